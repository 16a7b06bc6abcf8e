"""Logging in: a station manager sees only their own station's workers."""
import argparse

from PySide6.QtCore import Qt

from claims.store import Store
from ui.app import open_main_window
from ui.login import FirstAdminDialog, LoginDialog
from claims.store.base import Actor, _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


def test_station_manager_sees_only_own_station(qtbot, demo_db):
    store = Store(demo_db, "T")
    dlg = LoginDialog(None, store)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "zhanzhang")
    qtbot.keyClicks(dlg.password, "station123")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    actor = dlg.result_actor
    assert actor is not None and actor.role == "station_manager"
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", store=store, actor=actor)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(1)
    sec = w.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    mine = {r[0] for r in store.conn.execute("SELECT worker_id FROM enrollments WHERE station_id = ?",
                                             (actor.station_id,))}
    total = store.count_workers()
    assert sec.model.rowCount() == min(len(mine), sec.model.PAGE) < total
    assert all(sec.model.record(r).id in mine for r in range(sec.model.rowCount()))
    assert "*" in sec.model.data(sec.model.index(0, 1))  # masked for a station manager


def test_wrong_password_is_said_in_chinese(qtbot, demo_db):
    dlg = LoginDialog(None, Store(demo_db, "T"))
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "agent")
    qtbot.keyClicks(dlg.password, "nope")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.result_actor is None and "密码错误" in dlg.error.text()


def test_first_start_asks_for_admin_password(qtbot, store):
    dlg = FirstAdminDialog(None, store)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.password, "Secret2026")
    qtbot.keyClicks(dlg.again, "Secret2027")
    dlg.try_accept()
    assert "不一致" in dlg.error.text() and not store.has_users()
    dlg.again.clear()
    qtbot.keyClicks(dlg.again, "Secret2026")
    dlg.try_accept()
    assert dlg.result_actor.role == "admin" and store.authenticate("admin", "Secret2026")


def test_idle_window_locks_and_hides_data_until_password(qtbot, demo_db, monkeypatch):
    from ui import login
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                         actor=logged_in("admin", role="admin", display_name="系统管理员"))
    qtbot.addWidget(w)
    w.show()
    seen = []

    def fake_ask(parent, store, username="", locked=False):
        seen.append((w.centralWidget().isVisible(), username, locked))
        return None if len(seen) == 1 else w.ctx.actor  # first a wrong password, then the right one

    monkeypatch.setattr(login.LoginDialog, "ask", staticmethod(fake_ask))
    lock = login.IdleLock(w)
    lock.timer.setInterval(30)
    lock.timer.start()
    qtbot.waitUntil(lambda: len(seen) == 2)
    lock.stop()
    assert seen == [(False, "admin", True), (False, "admin", True)]
    assert w.centralWidget().isVisible()


def test_lock_screen_lets_another_user_take_over(qtbot, demo_db, monkeypatch):
    from claims.store import Actor
    from ui import login
    store = Store(demo_db, "T")
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", store=store,
                         actor=store.authenticate("agent", "agent123"))
    qtbot.addWidget(w)
    w.show()
    reviewer = store.authenticate("reviewer", "review123")
    monkeypatch.setattr(login.LoginDialog, "ask", staticmethod(lambda *a, **k: reviewer))
    lock = login.IdleLock(w)
    lock.lock()
    lock.stop()
    assert w.ctx.actor == reviewer and w.centralWidget().isVisible() and "审核" in w.user_label.text()
    assert isinstance(reviewer, Actor)


def test_lock_screen_has_a_switch_user_button(qtbot, demo_db):
    dlg = LoginDialog(None, Store(demo_db, "T"), "agent", locked=True)
    qtbot.addWidget(dlg)
    assert dlg.username.isReadOnly()
    qtbot.mouseClick(dlg.switch_btn, Qt.MouseButton.LeftButton)
    assert not dlg.username.isReadOnly() and dlg.username.text() == ""
    qtbot.keyClicks(dlg.username, "reviewer")
    qtbot.keyClick(dlg.username, Qt.Key.Key_Return)
    qtbot.keyClicks(dlg.password, "review123")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.result_actor.username == "reviewer"
