"""What the case screens share besides their forms (those are ui/forms.py):
one way to ask yes or no, and one way to print."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from claims.i18n import _

from ..errors import show_error


def confirm(parent, title: str, text: str) -> bool:
    """Ask a yes/no question (tests replace this function)."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def printing():
    """ui.printing's preview function, or None while that module is missing."""
    try:
        from ..printing import preview_document
    except ImportError:
        return None
    return preview_document


def preview(parent, ctx, doc_code: str, record_key: str) -> None:
    fn = printing()
    if fn is None:
        QMessageBox.information(parent, _("打印"), _("打印模块尚未安装，暂不能打印。"))
        return
    try:
        fn(parent, ctx, doc_code, record_key)
    except Exception as e:  # noqa: BLE001 - one error path
        show_error(parent, e)
