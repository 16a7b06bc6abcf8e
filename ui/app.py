"""Starting the GUI: the application, its typeface, the crash handler, the
database, and the main window."""
from __future__ import annotations

import sys
from pathlib import Path

from claims.i18n import _


def run_gui(args, version: str, log_path: Path) -> int:
    import claims.store  # noqa: F401 - before PySide6, whose import hook slows every later import
    from PySide6.QtWidgets import QApplication, QMessageBox

    from claims.errors import ClaimsError

    from .errors import install_excepthook
    from .fonts import install_font
    from .translations import install_translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("zhibaotong")
    app.setApplicationDisplayName(_("职保通"))
    install_font(app)
    install_translator(app)
    install_excepthook(log_path)
    from claims.private import cleanup
    app.aboutToQuit.connect(cleanup)  # copies of scans opened for viewing, unfinished exports
    from claims.dblock import DatabaseLock
    lock = DatabaseLock(db_path(args))
    read_only = False
    if not lock.acquire():  # another copy of the program has this database open
        read_only = ask_read_only(lock)
        if read_only is None:
            return 0
    try:
        return _run(app, args, version, read_only)
    finally:
        lock.release()


def _run(app, args, version: str, read_only: bool) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from claims.errors import ClaimsError

    from .login import FirstAdminDialog, IdleLock, LoginDialog
    from claims import settings
    from claims.store import keyring
    from claims.store.db import key_for
    while True:  # once, or again after a restore from backup (the users may have changed: log in again)
        path = db_path(args)
        try:
            if keyring.is_encrypted(path) and key_for(path) is None:  # the login unlocks it first
                opened = LoginDialog.unlock(None, path, settings.site_id(), read_only=read_only)
                if opened is None:
                    return 0
                store, actor = opened
            else:
                store = open_store(args, read_only=read_only)
                # the store's parts beyond the login's and the home screen's (claims/store/__init__.py),
                # loaded while the login waits for a password
                QTimer.singleShot(0, store.load_all_parts)
                actor = LoginDialog.ask(None, store) if store.has_users() else FirstAdminDialog.ask(None, store)
        except ClaimsError as e:
            QMessageBox.critical(None, _("无法打开数据库"), e.message)
            return 2
        if actor is None:
            return 0
        window = open_main_window(args, version, store=store, actor=actor)
        window.idle_lock = IdleLock(window)
        window.show()
        code = app.exec()
        window.idle_lock.stop()
        if not window.restart:
            return code
        window.deleteLater()


def db_path(args) -> Path:
    from claims import settings
    return Path(args.db) if args.db else (settings.data_dir() / "demo.db" if args.demo else settings.default_db())


def ask_read_only(lock) -> bool | None:
    """Another copy holds the database: True (open it read-only) or None (do not open it)."""
    from PySide6.QtWidgets import QMessageBox
    h = lock.holder()
    who = "，".join(x for x in (_("计算机 {h}").format(h=h.host) if h.host else "",
                                _("用户 {u}").format(u=h.user) if h.user else "",
                                _("自 {t} 起").format(t=h.since[:16].replace("T", " ")) if h.since else "") if x)
    box = QMessageBox(QMessageBox.Icon.Warning, _("数据库已被打开"), _(
        "数据库 {db} 已被另一个职保通窗口打开{who}。\n\n两个窗口同时修改会互相覆盖。可以只读方式打开查看，"
        "或先关闭另一个窗口。").format(db=str(lock.path)[:-5], who=_("（{w}）").format(w=who) if who else ""))
    ro = box.addButton(_("以只读方式打开"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("不打开"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return True if box.clickedButton() is ro else None


def open_store(args, read_only: bool = False):
    from claims import settings
    from claims.store import Store

    path = db_path(args)
    if args.demo and not path.exists() and not read_only:
        from claims.demo import generate
        generate(path, workers=2000, site_id=settings.site_id()).close()
    return Store(path, settings.site_id(), create=not path.exists(), read_only=read_only)


def open_main_window(args, version: str, store=None, actor=None):
    """The main window for the user who logged in (``actor``: what the login returned)."""
    from .context import AppContext
    from .main_window import MainWindow

    store = store or open_store(args)
    return MainWindow(AppContext(store=store, actor=actor, version=version))
