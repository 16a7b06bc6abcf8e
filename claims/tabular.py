"""Streaming readers for the import files, CSV (UTF-8, with or without BOM)
and XLSX (first sheet): ``read_rows`` yields (row number, {column: text})
without loading the file into memory, and accounts for every row.

A file is refused as a whole (``FileRefused``, one Chinese message naming the
file, and where it helps the row) when it cannot be read as what it claims to
be: a CSV with an unterminated quote or malformed quoting, a field longer
than a spreadsheet cell can hold, a header with a column twice or without a
required column, no data rows; an "XLSX" that is no Excel workbook, a zip
bomb (the sizes the archive declares are checked before anything is
unpacked; the unpacker never produces more than they declare), XML with
entity declarations (openpyxl parses through ``defusedxml``). Since the
readers are generators, a problem found in the last row surfaces while the
import runs: every import is one transaction, so nothing is written.

XLSX sheets are read to their real last row: openpyxl's read-only mode
trusts the sheet's ``<dimension>``, which some programs write wrong, so the
dimension is dropped before reading.

Every cell is stripped, and full-width digits and Latin letters (０-９,
Ａ-Ｚ, ａ-ｚ) become ASCII, the same way for every import."""
from __future__ import annotations

import csv
import logging
import re
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .errors import ClaimsError
from .i18n import _

log = logging.getLogger("zhibaotong.import")

FIELD_LIMIT = 32_767          # characters: Excel's own limit for one cell
XLSX_MAX_MEMBERS = 10_000
XLSX_MAX_PART = 1 << 30       # bytes unpacked, one part of the workbook (a 1,000,000-row sheet is ~0.5 GB)
XLSX_MAX_TOTAL = 2 << 30      # bytes unpacked, all parts
XLSX_MAX_RATIO = 100          # unpacked / packed of a part over 1 MiB (real sheets: 5-25; a zip bomb: ~1000)
XLSX_MAX_HELD = 256 << 20     # bytes unpacked of a part openpyxl holds in memory (shared strings, styles, …)

_FULLWIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)},
              **{0xFF21 + i: 0x41 + i for i in range(26)},
              **{0xFF41 + i: 0x61 + i for i in range(26)}}


_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


class FileRefused(ClaimsError):
    """The whole file is refused: nothing of it is imported."""


def normalize_cell(text: str) -> str:
    """Strip, and full-width digits and letters to ASCII."""
    text = text.strip()
    return text if text.isascii() else text.translate(_FULLWIDTH)


def read_rows(path: str | Path, mapping: dict[str, str] | None = None, *,
              required: Mapping[str, str] | Iterable[str] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """``mapping`` renames the file's columns to ours ({their name: our name});
    ``required`` names our columns the file must have ({column: label} or
    column names). Blank rows are skipped; columns with a blank header are
    ignored. Row numbers are those a spreadsheet shows (the header is row 1)."""
    path = Path(path)
    rows = _raw_rows(path)
    header, width = _header(path, rows, mapping, required)
    named = [(i, name) for i, name in enumerate(header) if name]
    names = header if len(named) == width else None  # every column named: zip them (the usual, faster way)
    strip = str.strip
    seen = 0
    for line, values in rows:
        n = len(values)
        if n != width:
            if n > width and any(v.strip() for v in values[width:]):
                raise FileRefused(_("{f} 第 {l} 行有 {n} 个值，比表头的 {w} 列多：可能某个值中含有未加引号的逗号，"
                                    "请检查该行后重新导出").format(f=path.name, l=line, n=n, w=width))
            if n < width:
                values = list(values) + [""] * (width - n)
        rec = dict(zip(names, map(strip, values))) if names else {name: values[i].strip() for i, name in named}
        if not any(rec.values()):
            continue
        joined = "".join(values)
        if not joined.isascii() and _FULLWIDTH_RE.search(joined):  # rare: translate only then
            rec = {k: v.translate(_FULLWIDTH) for k, v in rec.items()}
        seen += 1
        yield line, rec
    if not seen:
        raise FileRefused(_("{f} 没有数据行：表头之后是空的").format(f=path.name))


def header_of(path: str | Path) -> list[str]:
    """The file's column names as the file has them (checked as ``read_rows`` checks them)."""
    path = Path(path)
    rows = _raw_rows(path)
    try:
        header, _w = _header(path, rows, None, ())
    finally:
        rows.close()
    return [h for h in header if h]


def estimate_rows(path: str | Path) -> int:
    """A quick estimate of the data rows, for a progress bar (0: unknown). For
    XLSX it is what the sheet's dimension says, which may be wrong."""
    path = Path(path)
    if _is_xlsx(path):
        check_xlsx(path)
        from openpyxl import load_workbook
        try:
            wb = load_workbook(path, read_only=True)
        except Exception:  # noqa: BLE001 - only an estimate; reading says what is wrong
            return 0
        try:
            return max(0, (wb.worksheets[0].max_row or 1) - 1) if wb.worksheets else 0
        finally:
            wb.close()
    with path.open("rb") as fh:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1)


# -- the header ------------------------------------------------------------------
def _header(path: Path, rows: Iterator[tuple[int, list[str]]], mapping: dict[str, str] | None,
            required: Mapping[str, str] | Iterable[str]) -> tuple[list[str], int]:
    first = next(rows, None)
    while first is not None and not any(v.strip() for v in first[1]):
        first = next(rows, None)  # blank lines before the header
    if first is None:
        raise FileRefused(_("{f} 是空的：没有表头，也没有数据行").format(f=path.name))
    header_line, values = first
    theirs = [normalize_cell(v) for v in values]
    where: dict[str, int] = {}
    for i, h in enumerate(theirs):
        if h and h in where:
            raise FileRefused(_("{f} 的表头中“{h}”出现了两次（第 {a} 列和第 {b} 列）：请删去或改名其中一列").format(
                f=path.name, h=h, a=where[h] + 1, b=i + 1))
        where.setdefault(h, i)
    header = [(mapping or {}).get(h, h) if h else "" for h in theirs]
    ours: dict[str, int] = {}
    for i, h in enumerate(header):
        if h and h in ours:
            raise FileRefused(_("{f} 中有两列都对应到“{h}”（第 {a} 列和第 {b} 列）").format(
                f=path.name, h=h, a=ours[h] + 1, b=i + 1))
        ours.setdefault(h, i)
    labels = dict(required) if isinstance(required, Mapping) else {c: "" for c in required}
    missing = [c for c in labels if c not in ours]
    if missing:
        names = "、".join(_("{l}（{c}）").format(l=labels[c], c=c) if labels[c] else c for c in missing)
        raise FileRefused(_("{f} 缺少必填列：{c}（表头在第 {l} 行）").format(f=path.name, c=names, l=header_line))
    return header, len(header)


def _raw_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    if not path.is_file():
        raise ClaimsError(_("找不到文件：{p}").format(p=path))
    if _is_xlsx(path):
        check_xlsx(path)
        return _xlsx_rows(path)
    if path.suffix.lower() in (".csv", ".txt", ""):
        return _csv_rows(path)
    raise FileRefused(_("不支持的文件类型 {s}：请使用 CSV（UTF-8）或 XLSX").format(s=path.suffix))


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


# -- CSV ---------------------------------------------------------------------------
_CSV_ERRORS = (
    ("unexpected end of data", "有未闭合的引号：某个值以英文引号 \" 开始却没有结束，文件可能不完整"),
    ("expected after", "引号使用有误：引号括起的值后面紧跟着其他字符"),
    ("field larger than field limit", "某个值过长（超过 {n} 个字符），不像是表格中的单元格：可能有未闭合的引号"),
    ("line contains nul", "含有空字符（NUL），不是文本文件"),
)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            for line, row in enumerate(reader, start=1):
                if row and max(map(len, row)) > FIELD_LIMIT:
                    raise FileRefused(_("{f} 第 {l} 行：某个值有 {n} 个字符，超过单元格的上限 {m}").format(
                        f=path.name, l=line, n=max(map(len, row)), m=FIELD_LIMIT))
                yield line, row
    except UnicodeDecodeError:
        raise FileRefused(_("{f} 不是 UTF-8 编码的 CSV 文件（请在 Excel 中另存为“CSV UTF-8”）").format(
            f=path.name)) from None
    except csv.Error as e:
        text = str(e).lower()
        why = next((_(msg).format(n=FIELD_LIMIT) for key, msg in _CSV_ERRORS if key in text),
                   _("格式有误（{e}）").format(e=e))
        raise FileRefused(_("{f} 第 {l} 行附近：{w}。整个文件未导入。").format(f=path.name, l=line + 1, w=why)) from None


# -- XLSX --------------------------------------------------------------------------
def _not_xlsx(path: Path, why: str = "") -> FileRefused:
    return FileRefused(_("{f} 不是有效的 XLSX 工作簿{w}：请在 Excel 中打开并另存为“Excel 工作簿（*.xlsx）”或“CSV UTF-8”；"
                         "设置了打开密码的文件请先取消密码").format(f=path.name, w=f"（{why}）" if why else ""))


def check_xlsx(path: Path) -> None:
    """Refuse what is no workbook, and what would unpack to more than a real
    workbook could, before openpyxl opens anything."""
    if not zipfile.is_zipfile(path):
        raise _not_xlsx(path, _("文件内容不是 Excel 工作簿，可能是改了扩展名的其他文件或已损坏"))
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx(path, _("文件已损坏")) from None
    if len(infos) > XLSX_MAX_MEMBERS:
        raise _not_xlsx(path, _("包含 {n} 个部件，远多于任何工作簿").format(n=len(infos)))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _not_xlsx(path, _("缺少工作簿内容"))
    total = 0
    for i in infos:
        total += i.file_size
        held = not i.filename.startswith("xl/worksheets/")
        if (i.file_size > XLSX_MAX_PART or (held and i.file_size > XLSX_MAX_HELD)
                or (i.file_size > 1 << 20 and i.file_size > XLSX_MAX_RATIO * max(1, i.compress_size))):
            raise FileRefused(_("{f} 解压后异常巨大（其中一部分压缩 {c} 字节、解压 {u} 字节），不像真实的工作簿，"
                                "可能是恶意构造的文件（“压缩炸弹”），已拒绝").format(
                f=path.name, c=i.compress_size, u=i.file_size))
    if total > XLSX_MAX_TOTAL:
        raise FileRefused(_("{f} 解压后共 {u} 字节，超过导入的上限 {m} 字节：请拆分成几个文件").format(
            f=path.name, u=total, m=XLSX_MAX_TOTAL))


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl import load_workbook
    if not openpyxl.DEFUSEDXML:  # defusedxml missing or switched off: XML entities would be expanded
        raise ClaimsError(_("本程序缺少读取 XLSX 的安全组件（defusedxml），请重新安装；CSV 文件仍可导入"))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - whatever openpyxl trips on, the file is not a workbook we can read
        raise _xlsx_error(path, e) from e
    try:
        if not wb.worksheets:
            raise _not_xlsx(path, _("没有工作表"))
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # read to the real last row, whatever <dimension> says
        it = ws.iter_rows(values_only=True)
        line = 0
        while True:
            try:
                row = next(it)
            except StopIteration:
                break
            except Exception as e:  # noqa: BLE001 - as above, while reading the sheet
                raise _xlsx_error(path, e, line + 1) from e
            line += 1
            values = [_cell(v) for v in row]
            if values and max(map(len, values)) > FIELD_LIMIT:
                raise FileRefused(_("{f} 第 {l} 行：某个单元格有 {n} 个字符，超过单元格的上限 {m}").format(
                    f=path.name, l=line, n=max(map(len, values)), m=FIELD_LIMIT))
            yield line, values
    finally:
        wb.close()


def _xlsx_error(path: Path, e: Exception, line: int | None = None) -> FileRefused:
    from defusedxml.common import DefusedXmlException
    cause: BaseException | None = e
    while cause is not None and not isinstance(cause, DefusedXmlException):  # openpyxl wraps it in a ValueError
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return FileRefused(_("{f} 含有 XML 实体或外部引用（可能是恶意构造的文件），已拒绝").format(f=path.name))
    log.info("XLSX %s refused: %r", path.name, e)
    where = _("第 {l} 行：").format(l=line) if line else ""
    return _not_xlsx(path, where + _("内容已损坏，无法读取"))


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
