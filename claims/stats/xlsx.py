"""The XLSX export of statistics tables: one sheet per table, money in yuan
with two decimals, percentages as numbers formatted as %, then optional
chart images. openpyxl is imported on first use. Cells are written through
claims/sheets.py: names (platforms, stations) are text, never formulas."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Sequence

from ..sheets import put
from .shapes import Table, fmt


_XLSX_FORMAT = {"money": "#,##0.00", "pct": "0.0%", "days": "0.0", "int": "#,##0", "num": "#,##0.00"}


def xlsx_value(kind: str, v):
    if v is None:
        return None
    if kind == "money":
        return Decimal(int(v)) / 100
    return v


def write_xlsx(path: str | Path, tables: Sequence[Table], images: Sequence[tuple[str, bytes]] = (),
               title: str = "", subtitle: str = "") -> Path:
    """One sheet per table (money in yuan with two decimals, percentages as
    numbers formatted %), then optional chart images (sheet name, PNG bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="ECECEC")
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.title, used))
        row = 1
        for line in (title, subtitle):
            if line:
                put(ws, row, 1, line).font = bold if line is title else Font(color="666666")
                row += 1
        if row > 1:
            row += 1
        for j, c in enumerate(t.columns, 1):
            cell = put(ws, row, j, c.title)
            cell.font, cell.fill = bold, shade
            cell.alignment = Alignment(horizontal="center")
        body = list(t.rows) + ([t.total] if t.total else [])
        for i, r in enumerate(body, row + 1):
            for j, (c, v) in enumerate(zip(t.columns, r), 1):
                cell = put(ws, i, j, xlsx_value(c.kind, v))
                if c.kind in _XLSX_FORMAT:
                    cell.number_format = _XLSX_FORMAT[c.kind]
                if t.total and i == row + len(body):
                    cell.font = bold
        if t.note:
            put(ws, row + len(body) + 2, 1, t.note).font = Font(color="666666")
        for j, c in enumerate(t.columns, 1):
            width = max([_width(c.title)] + [_width(fmt(c.kind, r[j - 1])) for r in body if j - 1 < len(r)])
            ws.column_dimensions[ws.cell(row, j).column_letter].width = min(60, width + 2)
        ws.freeze_panes = ws.cell(row + 1, 1)
    for name, png in images:
        import io

        from openpyxl.drawing.image import Image
        ws = wb.create_sheet(_sheet_name(name, used))
        img = Image(io.BytesIO(png))
        ws.add_image(img, "A1")
    from ..savefile import saving
    path = Path(path)
    with saving(path) as tmp:  # whole or not at all, the owner's only; a file held open is kept beside it
        wb.save(tmp)
    return path


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]}({n})", n + 1
    used.add(name)
    return name
