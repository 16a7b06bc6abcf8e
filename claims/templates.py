"""Import templates (帮助 › 导入模板): an XLSX workbook per import with the columns
the import reads (claims/import_formats.py) as its header, and a second sheet that
says what each column holds, whether it is required, and the names platforms
commonly use for it. Written through claims/sheets.py."""
from __future__ import annotations

from pathlib import Path

from .i18n import _
from .import_formats import (DAILY_COUNT_COLUMNS, DESCRIPTIONS, ORDER_COLUMNS, REPORT_COLUMNS, WORKER_COLUMNS,
                             Column)

TEMPLATES: dict[str, tuple[str, list[Column]]] = {
    "workers": ("人员与参保登记", WORKER_COLUMNS),
    "orders": ("订单记录", ORDER_COLUMNS),
    "daily_counts": ("按日接单量", DAILY_COUNT_COLUMNS),
    "reports": ("平台报案", REPORT_COLUMNS),
}


def write_template(kind: str, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from .sheets import put
    title, columns = TEMPLATES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = _(title)[:31]
    bold, need = Font(bold=True), PatternFill("solid", fgColor="FDEBD0")
    for c, (code, label, req, _names) in enumerate(columns, start=1):
        cell = put(ws, 1, c, code)
        cell.font = bold
        if req:
            cell.fill = need
        ws.column_dimensions[cell.column_letter].width = max(14, len(code) + 4)
    ws.freeze_panes = "A2"
    info = wb.create_sheet(_("填写说明"))
    head = [_("列名（第一行照抄）"), _("中文名称"), _("是否必填"), _("填写说明"), _("平台导出中常见的列名（也能识别）")]
    for c, text in enumerate(head, start=1):
        put(info, 1, c, text).font = bold
    for r, (code, label, req, names) in enumerate(columns, start=2):
        for c, v in enumerate([code, _(label), _("必填") if req else _("可不填"), _(DESCRIPTIONS.get(code, "")),
                               "、".join(names)], start=1):
            put(info, r, c, v)
    note = len(columns) + 3
    put(info, note, 1, _("说明：第一张表的第一行是列名，请从第二行起每行填写一条记录；必填的列名有底色。"
                         "保存为 XLSX 或 UTF-8 编码的 CSV 后，在“文件 › 导入”中先检查再导入。"))
    for col, width in zip("ABCDE", (22, 18, 10, 48, 40)):
        info.column_dimensions[col].width = width
    path = Path(path)
    wb.save(path)
    return path
