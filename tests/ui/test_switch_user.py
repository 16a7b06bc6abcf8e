"""Handing the window over: one wrong password counts once, whether confirmed by
Enter or the button; the next user logs in without a restart and the sections
follow their rights; unsaved input is asked about first."""
import argparse

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from claims.store import CaseFilter, Store
from ui.app import open_main_window
from ui.login import LoginDialog
from ui.sections.cases import CasesSection

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def failed_attempts(store, username):
    return store.conn.execute("SELECT failed_attempts FROM users WHERE username = ?", (username,)).fetchone()[0]


@pytest.fixture
def store(demo_db):
    s = Store(demo_db, "T")
    yield s
    s.close()


def test_one_wrong_password_confirmed_by_enter_counts_one(qtbot, store):
    dlg = LoginDialog(None, store)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "agent")
    qtbot.keyClick(dlg.username, Qt.Key.Key_Return)  # Enter in the name field moves on, tries nothing
    assert failed_attempts(store, "agent") == 0
    qtbot.keyClicks(dlg.password, "wrong1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert failed_attempts(store, "agent") == 1
    assert "还可尝试 4 次" in dlg.error.text()
    dlg.password.clear()
    qtbot.keyClicks(dlg.password, "wrong2")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert failed_attempts(store, "agent") == 2 and "还可尝试 3 次" in dlg.error.text()
    dlg.password.clear()
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)  # an empty password is not an attempt
    assert failed_attempts(store, "agent") == 2 and "请输入密码" in dlg.error.text()


def when_modal(qtbot, cls, drive):
    """Run ``drive(widget)`` once a modal widget of ``cls`` is up; never leave it hanging."""
    state = {"done": False}

    def poll(tries=0):
        w = QApplication.activeModalWidget()
        if not isinstance(w, cls):
            if tries < 500:
                QTimer.singleShot(10, lambda: poll(tries + 1))
            return
        try:
            drive(w)
        finally:
            state["done"] = True
            if w.isVisible() and not isinstance(w, QMessageBox):
                w.done(0)
    QTimer.singleShot(0, poll)
    return state


def log_in(qtbot, username, password):
    def drive(dlg):
        dlg.username.setText(username)
        qtbot.keyClicks(dlg.password, password)
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    return drive


def decide_button(sec):
    return next(b for b in sec.action_buttons if b.text() == "作出结论…")


def test_switch_from_agent_to_reviewer_without_restarting(qtbot, store):
    agent = store.authenticate("agent", "agent123")
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "t", store=store, actor=agent)
    qtbot.addWidget(win)
    win.show()
    win.nav.setCurrentRow(3)
    sec = win.stack.currentWidget()
    assert isinstance(sec, CasesSection)
    case = store.search_cases(CaseFilter(state="investigating"))[0]
    sec.show_case(case.number)
    qtbot.waitUntil(lambda: sec.current() is not None and sec.current().id == case.id)
    assert not decide_button(sec).isEnabled() and "审核人" in decide_button(sec).toolTip()
    assert "经办" in win.user_label.text()

    when_modal(qtbot, LoginDialog, log_in(qtbot, "reviewer", "review123"))
    win.switch_action.trigger()
    assert win.ctx.actor.username == "reviewer" and win.isVisible()
    assert "审核" in win.user_label.text()
    sec2 = win.stack.currentWidget()
    assert isinstance(sec2, CasesSection) and sec2 is not sec and sec.retired
    sec2.show_case(case.number)
    qtbot.waitUntil(lambda: sec2.current() is not None and sec2.current().id == case.id)
    assert decide_button(sec2).isEnabled()
    home = win.section(0)
    assert home.greeting.text().startswith(win.ctx.actor.label)


def test_switching_asks_about_unsaved_input_first(qtbot, store):
    from ui.workers.worker_dialog import WorkerDialog
    admin = store.authenticate("admin", "admin123")
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "t", store=store, actor=admin)
    qtbot.addWidget(win)
    win.show()
    dlg = WorkerDialog(win, win.ctx)
    dlg.show()  # open beside the window (as under the lock screen)
    dlg.fields["name"].widget.setText("王")
    dlg.fields["name"].widget.textEdited.emit("王")
    assert dlg.dirty

    def keep(box):
        assert "新增人员" in box.text() or dlg.windowTitle() in box.text()
        next(b for b in box.buttons() if b.text() == "返回").click()
    when_modal(qtbot, QMessageBox, keep)
    win.switch_user()
    assert dlg.isVisible() and win.ctx.actor.username == "admin"

    def discard(box):
        next(b for b in box.buttons() if b.text() == "放弃输入并切换").click()
    when_modal(qtbot, QMessageBox, discard)
    when_modal(qtbot, LoginDialog, log_in(qtbot, "agent", "agent123"))
    win.switch_user()
    assert not dlg.isVisible() and win.ctx.actor.username == "agent"
    assert not win.restore_action.isEnabled() and win.restore_action.toolTip()
