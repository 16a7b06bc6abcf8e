"""One way to show errors: expected ones (ClaimsError) as a calm message, the
unexpected ones in a crash dialog with the log file named, never swallowed."""
from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QWidget

from claims.errors import ClaimsError, DatabaseBusy, DatabaseError, database_problem
from claims.i18n import _

log = logging.getLogger("zhibaotong.ui")
LOG_PATH = None


def plain(text: str) -> str:
    """A message that may quote a file's content (``<b>`` in a name) shown as the text it is:
    a message box would take it for HTML."""
    if "<" not in text and "&" not in text:
        return text
    import html
    return "<p>" + html.escape(text, quote=False) + "</p>"


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """The one way to show an error: what the core refused, or what happened to the
    database (busy, disk full, read-only, damaged), calmly; anything else as a crash."""
    from PySide6.QtWidgets import QMessageBox  # (here: its enums are made on its first import, not at start-up)
    problem = database_problem(exc)
    if isinstance(problem, DatabaseBusy):
        QMessageBox.information(parent, _("请稍候"), problem.message)
    elif isinstance(problem, DatabaseError):
        if problem is not exc:
            log.warning("database problem: %s", exc)
        QMessageBox.critical(parent, _("数据库问题"), problem.message)
    elif isinstance(problem, ClaimsError):
        QMessageBox.warning(parent, _("无法完成"), plain(problem.message))
    else:
        show_crash(type(exc), exc, exc.__traceback__)


def show_crash(etype, value, tb) -> None:
    from PySide6.QtWidgets import QMessageBox
    log.error("unexpected error", exc_info=(etype, value, tb))
    if QApplication.instance() is None:
        traceback.print_exception(etype, value, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, _("程序出错"),
                      _("发生了意外错误，您刚才的操作可能没有完成。已保存的数据不受影响。"))
    box.setInformativeText(_("详细信息已记录在日志文件：") + str(LOG_PATH or ""))
    box.setDetailedText("".join(traceback.format_exception(etype, value, tb)))
    box.exec()


def install_excepthook(log_path) -> None:
    global LOG_PATH
    LOG_PATH = log_path

    def hook(etype, value, tb):
        if database_problem(value) is not None:
            show_error(QApplication.activeWindow(), value)
            return
        show_crash(etype, value, tb)

    sys.excepthook = hook
