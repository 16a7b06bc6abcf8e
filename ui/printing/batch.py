"""Batch printing in the background (e.g. every fee declaration of a month,
every notice for selected cases): one PDF per document into a folder, with a
progress dialog that can be cancelled. A document that does not apply to its
record is skipped and reported; the others are still printed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from claims.errors import ClaimsError
from claims.i18n import _
from claims.savefile import FileInUse, save_bytes

from ..errors import show_error
from ..tasks import run_task
from .preview import safe_file_name


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_code, record_key, why)
    cancelled: bool = False


def _work(path, site_id, actor, items: list[tuple[str, str]], folder: Path):
    def run(progress, cancelled) -> BatchResult:
        from claims import printing
        from claims.docviews import DOCUMENTS
        from claims.store import Store
        from claims.timeutil import now
        from forms import render as forms_render

        store = Store(path, site_id)  # SQLite connections are per thread
        res = BatchResult()
        try:
            for n, (doc, key) in enumerate(items, 1):
                if cancelled():
                    res.cancelled = True
                    break
                at = now()
                try:
                    r = printing.render_document(store, forms_render, doc, key, actor, at)
                except ClaimsError as e:
                    res.skipped.append((doc, key, e.message))
                else:
                    out = folder / safe_file_name(f"{DOCUMENTS[doc][0]}_{r.record_key}.pdf")
                    try:
                        save_bytes(out, r.pdf)
                    except FileInUse as e:  # an earlier copy open in a PDF reader: keep this one beside it
                        if e.kept is None:
                            raise
                        out = e.kept
                    printing.record(store, r, actor, at)
                    res.written.append(out)
                progress(n, len(items))
        finally:
            store.close()
        return res
    return run


def batch_print(parent: QWidget | None, ctx, items: list[tuple[str, str]], folder, *,
                notify: bool = True) -> BatchResult | None:
    """Print ``items`` — (doc_code, record_key) pairs — into ``folder``, one PDF
    each, in the background. Returns what was written and skipped (None if it failed)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result = run_task(parent, _("批量打印"), _work(ctx.store.path, ctx.store.site_id, ctx.actor, list(items),
                                                     folder), total=len(items))
    except Exception as e:  # noqa: BLE001 - the one error path
        show_error(parent, e)
        return None
    if notify:
        text = _("已输出 {n} 份文书到 {f}").format(n=len(result.written), f=folder)
        if result.cancelled:
            text += _("（已取消，其余 {m} 份未打印）").format(m=len(items) - len(result.written) - len(result.skipped))
        from claims.printing import print_warnings
        for warning in dict.fromkeys(w for doc in {d for d, _k in items} for w in print_warnings(ctx.store, doc)):
            text += "\n" + _("⚠ {w}").format(w=warning)
        box = QMessageBox(QMessageBox.Icon.Information, _("批量打印"), text, parent=parent)
        if result.skipped:
            box.setInformativeText(_("{n} 份未打印（文书不适用于该记录），见详细信息。").format(n=len(result.skipped)))
            box.setDetailedText("\n".join(f"{key}\t{why}" for _doc, key, why in result.skipped))
        box.exec()
    return result


def ask_batch_print(parent: QWidget | None, ctx, items: list[tuple[str, str]]) -> BatchResult | None:
    """Ask for a folder, then batch-print into it."""
    if not items:
        QMessageBox.information(parent, _("批量打印"), _("没有可打印的文书。"))
        return None
    from ..files import folder_path
    folder = folder_path(parent, "pdf", _("选择保存 {n} 份文书的文件夹").format(n=len(items)))
    if not folder:
        return None
    return batch_print(parent, ctx, items, folder)
