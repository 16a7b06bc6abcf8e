"""File dialogs that speak Chinese and start where the user keeps their files: the
documents folder the first time, then the folder last used for that kind of file
(backups, exports, PDFs, imports, scans — remembered per kind and per installation).
Qt's own dialog is used, not the system's, so Qt's Chinese catalogue applies to
every button and label whatever the PC's language. After saving, the status bar
says where, with a link that opens the folder."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from claims import settings
from claims.i18n import _

OPTIONS = QFileDialog.Option.DontUseNativeDialog


def documents_folder() -> Path:
    p = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(p) if p else Path.home()


def start_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` opens: the folder used last time, else the documents folder."""
    last = settings.load().get("folders", {}).get(kind)
    return Path(last) if last and Path(last).is_dir() else documents_folder()


def remember(kind: str, path: str | Path) -> None:
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    s = settings.load()
    s.setdefault("folders", {})[kind] = str(folder)
    settings.save(s)


def save_path(parent, kind: str, title: str, file_name: str, filters: str) -> str:
    """The file to save to ('' when cancelled)."""
    path, _f = QFileDialog.getSaveFileName(parent, title, str(start_folder(kind) / file_name), filters, "", OPTIONS)
    if path:
        remember(kind, path)
    return path


def open_path(parent, kind: str, title: str, filters: str) -> str:
    path, _f = QFileDialog.getOpenFileName(parent, title, str(start_folder(kind)), filters, "", OPTIONS)
    if path:
        remember(kind, path)
    return path


def folder_path(parent, kind: str, title: str) -> str:
    path = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)),
                                            OPTIONS | QFileDialog.Option.ShowDirsOnly)
    if path:
        remember(kind, path)
    return path


def announce_saved(widget, path: str | Path, what: str = "") -> None:
    """The status bar of the main window says where the file went, with a link to its folder."""
    win = widget.window() if widget is not None else None
    while win is not None and not hasattr(win, "show_saved") and win.parentWidget() is not None:
        win = win.parentWidget().window()
    if win is not None and hasattr(win, "show_saved"):
        win.show_saved(Path(path), what)


def open_folder(path: str | Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path))))


def saved_html(path: Path, what: str = "") -> str:
    import html
    return (html.escape(what or _("已保存")) + _("：") + html.escape(str(path)) +
            f"　<a href='{QUrl.fromLocalFile(str(path.parent)).toString()}'>" + html.escape(_("打开所在文件夹")) + "</a>")
