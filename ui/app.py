"""Starting the GUI: the application, its typeface, the crash handler, the
database, and the main window."""
from __future__ import annotations

import sys
from pathlib import Path

from claims.i18n import _


def run_gui(args, version: str, log_path: Path) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from claims import settings
    from claims.errors import ClaimsError

    from .errors import install_excepthook
    from .fonts import install_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("zhibaotong")
    app.setApplicationDisplayName(_("职保通"))
    install_font(app)
    install_excepthook(log_path)
    try:
        window = open_main_window(args, version)
    except ClaimsError as e:
        QMessageBox.critical(None, _("无法打开数据库"), e.message)
        return 2
    window.show()
    return app.exec()


def open_main_window(args, version: str):
    from claims import settings
    from claims.cli import cli_actor
    from claims.store import Store

    from .context import AppContext
    from .main_window import MainWindow

    path = Path(args.db) if args.db else (settings.data_dir() / "demo.db" if args.demo else settings.default_db())
    if args.demo and not path.exists():
        from claims.demo import generate
        generate(path, workers=2000, site_id=settings.site_id())
    store = Store(path, settings.site_id(), create=not path.exists())
    actor = cli_actor()  # replaced by the login of the users issue
    return MainWindow(AppContext(store=store, actor=actor, version=version))
