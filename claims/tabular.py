"""Streaming readers for CSV (UTF-8, with or without BOM) and XLSX files:
yield (line number, {column: text}) without loading the file into memory."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from .errors import ClaimsError


def read_rows(path: str | Path, mapping: dict[str, str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """``mapping`` renames the file's columns to ours ({their name: our name})."""
    path = Path(path)
    if not path.is_file():
        raise ClaimsError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ""):
        rows = _csv_rows(path)
    else:
        raise ClaimsError(f"不支持的文件类型 {suffix}：请使用 CSV（UTF-8）或 XLSX")
    header: list[str] | None = None
    for line, values in rows:
        if header is None:
            header = [(mapping or {}).get(h.strip(), h.strip()) for h in values]
            continue
        if not any(v.strip() for v in values):
            continue
        yield line, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}


def header_of(path: str | Path) -> list[str]:
    path = Path(path)
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    for _, values in rows:
        return [v.strip() for v in values]
    return []


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, row in enumerate(csv.reader(fh), start=1):
                yield i, row
    except UnicodeDecodeError:
        raise ClaimsError(f"{path.name} 不是 UTF-8 编码的 CSV 文件（请在 Excel 中另存为“CSV UTF-8”）") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield i, [_cell(v) for v in row]
    finally:
        wb.close()


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
