"""Export of the worker list as the screen filters it: XLSX (openpyxl,
write-only, so memory stays flat) or CSV (UTF-8 with BOM, so Excel reads the
Chinese). Streamed from the store; written to a temporary file that replaces
the target only when complete, so a cancelled export leaves nothing behind.
Cells go through claims/sheets.py: a name like ``=1+1`` opens as text."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from .i18n import _
from .sheets import CsvWriter, xlsx_row
from .savefile import saving
from .store import Cancelled, WorkerFilter
from .validators import mask_account, mask_id, mask_mobile

CHUNK = 500  # workers per platform-name query and per progress report


def worker_columns() -> list[str]:
    return [_("姓名"), _("身份证号码"), _("性别"), _("出生日期"), _("手机号码"), _("参保平台"), _("银行账号"),
            _("住址"), _("紧急联系人"), _("紧急联系人电话")]


def _rows(store, f: WorkerFilter, mask: bool, actor, progress, cancel) -> Iterator[list[str]]:
    done = 0
    batch = []

    def emit(batch):
        names = store.platform_names_for([w.id for w in batch], actor=actor)  # a station manager: their own
        for w in batch:
            yield [w.name, mask_id(w.id_number) if mask else w.id_number, _("男") if w.gender == "male" else _("女"),
                   w.birth_date.isoformat(), mask_mobile(w.phone) if mask else w.phone, names.get(w.id, ""),
                   mask_account(w.bank_card) if mask else w.bank_card, w.address, w.emergency_contact,
                   mask_mobile(w.emergency_phone) if mask else w.emergency_phone]

    for w in store.iter_workers(f, actor):
        batch.append(w)
        if len(batch) >= CHUNK:
            yield from emit(batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done)
            if cancel and cancel():
                raise Cancelled()
    if batch:
        yield from emit(batch)
        done += len(batch)
    if progress:
        progress(done)


def export_workers(store, f: WorkerFilter | None, path: str | Path, fmt: str | None = None, mask: bool = True,
                   progress: Callable[[int], None] | None = None, cancel: Callable[[], bool] | None = None,
                   *, actor=None) -> int:
    """Write the workers matching ``f`` to ``path``; returns the number of rows.
    ``fmt`` is "xlsx" or "csv" (default: from the file name). With ``mask``,
    ID numbers, phones and bank accounts are masked (identifiers.md)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in ("xlsx", "csv"):
        raise ValueError(fmt)
    f = f or WorkerFilter()
    if actor is not None and not mask:
        from .permissions import require
        require(actor, "export.personal")
    n = 0
    with saving(path) as tmp:  # all or nothing; a target held open keeps the new file under a free name
        rows = _rows(store, f, mask, actor, progress, cancel)
        if fmt == "csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                out = CsvWriter(fh)
                out.writerow(worker_columns())
                for r in rows:
                    out.writerow(r)
                    n += 1
        else:
            from openpyxl import Workbook
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(_("人员名单"))
            widths = [10, 22, 6, 12, 14, 24, 24, 30, 10, 14]
            for i, w in enumerate(widths):
                ws.column_dimensions[chr(ord("A") + i)].width = w
            ws.freeze_panes = "A2"
            try:
                ws.append(worker_columns())
                for r in rows:
                    ws.append(xlsx_row(ws, r))
                    n += 1
            except BaseException:
                _close_quietly(wb)
                raise
            wb.save(tmp)
    if actor is not None:
        store.log_export(actor, f"workers:{path.name}", n, personal=not mask)
    return n


def _close_quietly(wb) -> None:
    """Finish a write-only workbook abandoned half-way and remove its
    temporary files, so nothing is left open or behind."""
    for ws in wb.worksheets:
        ws.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            writer.cleanup()
