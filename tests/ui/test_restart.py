"""After a restore from backup the program opens the database again and asks who
logs in (the users may differ in the backup) — without being started again."""
import argparse

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from claims.store import Actor
from ui import app as ui_app
from ui.login import LoginDialog
from ui.main_window import MainWindow
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


def test_a_restart_request_opens_the_database_again_and_asks_to_log_in(qapp, demo_db, monkeypatch, tmp_path):
    logins = []
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda cls, parent, store: logins.append(store.path)
                                                        or logged_in("admin", role="admin")))
    rounds = []

    def close_the_window():
        win = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if win is None:
            QTimer.singleShot(50, close_the_window)
            return
        rounds.append(win.ctx.store)
        win.restart = len(rounds) == 1  # the first window asks for a restart, as restore_from_backup does
        win.close()
        if len(rounds) == 1:
            QTimer.singleShot(50, close_the_window)

    QTimer.singleShot(50, close_the_window)
    code = ui_app.run_gui(argparse.Namespace(db=str(demo_db), demo=False, command=None), "t", tmp_path / "log.txt")
    assert code == 0
    assert logins == [demo_db, demo_db]  # logged in twice
    assert len(rounds) == 2 and rounds[0] is not rounds[1]  # a fresh store the second time
