"""Export of the filtered worker list: choose a file, write it off the GUI
thread with a progress dialog that can be cancelled. Identifiers are masked
unless the user's role may export personal data (admin)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from claims.i18n import _
from claims.permissions import allowed

from ..errors import show_error
from ..tasks import run_task
from claims.timeutil import today as china_today

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
CSV_FILTER = "CSV UTF-8 (*.csv)"


def export_masks(ctx) -> bool:
    return not allowed(ctx.actor.role, "export.personal")


def choose_export_path(parent) -> Path | None:
    from ..files import OPTIONS, remember, start_folder
    start = start_folder("export") / f"人员名单-{china_today():%Y%m%d}.xlsx"
    path, chosen = QFileDialog.getSaveFileName(parent, _("导出人员名单"), str(start),
                                               ";;".join((_(XLSX_FILTER), _(CSV_FILTER))), "", OPTIONS)
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if chosen == _(CSV_FILTER) else ".xlsx")
    remember("export", path)
    return path


def export_filtered(parent, ctx, f, path: Path | None = None) -> int | None:
    """Export what the list shows now; returns the number of rows written."""
    total = ctx.store.count_workers(f, actor=ctx.actor)
    if total == 0:
        QMessageBox.information(parent, _("导出"), _("当前的搜索和筛选条件下没有人员可导出。"))
        return None
    path = path or choose_export_path(parent)
    if path is None:
        return None
    mask = export_masks(ctx)
    db, site, actor = ctx.store.path, ctx.store.site_id, ctx.actor

    def work(progress, cancelled):
        from claims.export import export_workers
        from claims.store import Store
        store = Store(db, site)  # this thread's own connection
        try:
            return export_workers(store, f, path, path.suffix.lstrip("."), mask,
                                  lambda n: progress(n, total), cancelled, actor=actor)
        finally:
            store.close()

    try:
        n = run_task(parent, _("导出人员名单"), work, total)
    except Exception as e:  # noqa: BLE001 - one error path
        show_error(parent, e)
        return None
    note = _("身份证号、手机号和银行账号已遮蔽") if mask else _("含完整身份证号和手机号，请妥善保管")
    msg = _("已导出 {n} 人到 {p}（{note}）").format(n=n, p=path, note=note)
    bar = getattr(parent.window(), "statusBar", None)
    if bar is not None:
        bar().showMessage(msg, 10000)
    from ..files import announce_saved
    announce_saved(parent, path, _("已导出 {n} 人（{note}）").format(n=n, note=note))
    return n
