"""Ready-made print actions the sections add to their action bar: a 打印 ▾
button listing the documents that apply to the selected record, and Ctrl+P
for the record's main document."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from claims.i18n import _

from .preview import preview_document


def print_button(parent: QWidget, ctx, kind: str, current_key: Callable[[], str | None]) -> QToolButton:
    """``kind``: "case" (key: case number), "worker" (ID number), "declaration"
    (declaration number) or "payment" (payment number)."""
    from claims import printing

    btn = QToolButton(parent)
    btn.setText(_("打印"))
    btn.setToolTip(_("打印本记录的文书（Ctrl+P 打印主要文书）"))
    btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(btn)
    btn.setMenu(menu)

    def fill() -> None:
        menu.clear()
        key = current_key()
        docs = printing.applicable_documents(ctx.store, key, kind) if key else []
        for code, title in docs:
            menu.addAction(title + "…", lambda c=code, k=key: preview_document(parent, ctx, c, k))
        if not docs:
            menu.addAction(_("请先选择一条记录") if not key else _("本记录暂无可打印的文书")).setEnabled(False)

    menu.aboutToShow.connect(fill)
    return btn


def install_print_shortcut(widget: QWidget, ctx, current: Callable[[], tuple[str, str] | None]) -> QShortcut:
    """Ctrl+P anywhere in ``widget``: preview ``current()`` = (doc_code, record_key)."""
    def go() -> None:
        target = current()
        if target:
            preview_document(widget, ctx, *target)

    sc = QShortcut(QKeySequence.StandardKey.Print, widget, activated=go)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return sc


def case_main_document(ctx, case) -> tuple[str, str] | None:
    """(doc_code, case number) of a case's main document at its stage."""
    if case is None:
        return None
    from claims.printing import main_document
    return main_document(ctx.store, case), case.number


def worker_main_document(worker) -> tuple[str, str] | None:
    return ("enrollment_certificate", worker.id_number) if worker is not None else None
