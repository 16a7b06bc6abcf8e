"""What a clerk notices about every form, on a dialog from the enrollment
screen and one from the case screen: stars on the required fields, Enter
moving on, Save saying why it cannot save, Esc asking before typed work is
lost, and a refusal from the store shown under the field it is about."""
from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from claims.errors import FieldError
from claims.store import Actor
from claims.timeutil import now
from ui.cases import report
from ui.context import AppContext
from ui.workers.worker_dialog import WorkerDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = logged_in("admin", role="admin", display_name="管理员")
ID = "11010519491231002X"


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), key, mod)


def open_(qtbot, dlg, first):
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: focused() is first)
    return dlg


def message(dlg, key):
    box = dlg.fields[key].box
    return box.msg.text() if box.msg.isVisible() else ""


@pytest.fixture
def ctx(store):
    return AppContext(store=store, actor=ADMIN, version="test")


@pytest.fixture
def worker_dlg(qtbot, ctx):
    dlg = WorkerDialog(None, ctx)
    return open_(qtbot, dlg, dlg.fields["name"].widget)


@pytest.fixture(autouse=True)
def asked(monkeypatch):
    """The questions asked before discarding, and the answers to give in order
    (then: discard, so that closing the dialog after the test does not wait)."""
    log = {"asked": [], "answers": []}

    def question(*a, **_k):
        log["asked"].append(a[2])
        return log["answers"].pop(0) if log["answers"] else QMessageBox.StandardButton.Discard
    monkeypatch.setattr(QMessageBox, "question", question)
    return log


# -- the new-worker dialog ------------------------------------------------------------------
def test_worker_form_stars_the_required_fields(worker_dlg):
    starred = {k for k, f in worker_dlg.fields.items() if "*" in f.label_widget.text()}
    assert starred == {"name", "id_number", "phone"}


def test_worker_form_enter_moves_from_field_to_field_and_saves_on_the_last(worker_dlg, qtbot, type_into, ctx):
    f = worker_dlg.fields
    type_into(focused(), "王芳")
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is f["id_number"].widget
    type_into(focused(), ID)
    press(qtbot, Qt.Key.Key_Enter)                 # the keypad's Enter too; the derived rows are skipped
    assert focused() is f["phone"].widget
    type_into(focused(), "13912345678")
    for key in ("bank_card", "bank_name", "bank_holder", "address", "emergency_contact", "emergency_phone"):
        press(qtbot, Qt.Key.Key_Return)
        assert focused() is f[key].widget
    press(qtbot, Qt.Key.Key_Return)                # on the last field: saves
    assert worker_dlg.result() == worker_dlg.DialogCode.Accepted
    assert ctx.store.worker_by_id_number(ID).name == "王芳"


def test_worker_form_says_why_it_cannot_save(worker_dlg, qtbot, type_into):
    type_into(focused(), "王芳")
    assert not worker_dlg.save_btn.isEnabled()
    assert worker_dlg.reason.text() == "尚不能保存：身份证号码：不能为空（另有 1 项）"
    assert "手机号码：不能为空" in worker_dlg.save_btn.toolTip()
    assert message(worker_dlg, "id_number") == ""  # not scolded before the clerk has been there
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert worker_dlg.isVisible()
    assert message(worker_dlg, "id_number") == "不能为空" and message(worker_dlg, "phone") == "不能为空"
    assert focused() is worker_dlg.fields["id_number"].widget  # the first problem


def test_worker_form_esc_asks_before_discarding(worker_dlg, qtbot, type_into, asked):
    type_into(focused(), "张三")
    asked["answers"] = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    press(qtbot, Qt.Key.Key_Escape)
    assert worker_dlg.isVisible() and "尚未保存" in asked["asked"][0]
    qtbot.mouseClick(worker_dlg.cancel_btn, Qt.MouseButton.LeftButton)
    assert not worker_dlg.isVisible() and len(asked["asked"]) == 2


def test_worker_form_shows_a_store_refusal_under_its_field(worker_dlg, qtbot, type_into, ctx, monkeypatch):
    def refuse(*_a, **_k):
        raise FieldError("手机号码", "该号码已被注销，请核对")
    monkeypatch.setattr(ctx.store, "add_worker", refuse)
    f = worker_dlg.fields
    type_into(focused(), "王芳")
    type_into(f["id_number"].widget, ID)
    type_into(f["phone"].widget, "13912345678")
    f["address"].widget.setFocus()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert worker_dlg.isVisible() and worker_dlg.result_value is None
    assert message(worker_dlg, "phone") == "该号码已被注销，请核对"
    assert focused() is f["phone"].widget
    type_into(focused(), "0")                      # the clerk corrects it: the old refusal goes
    assert message(worker_dlg, "phone") != "该号码已被注销，请核对"


# -- the case report dialog -----------------------------------------------------------------
@pytest.fixture
def report_dlg(qtbot, ctx):
    s = ctx.store
    p, _c = s.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _c = s.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13812345678"})
    s.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2025-01-01")
    dlg = report.ReportDialog(None, ctx)
    return open_(qtbot, dlg, dlg.find)


def choose_worker(qtbot, dlg):
    qtbot.keyClicks(dlg.find, ID)
    qtbot.waitUntil(lambda: dlg.worker is not None)


def test_report_form_stars_the_required_fields(report_dlg):
    starred = {k for k, f in report_dlg.fields.items() if "*" in f.label_widget.text()}
    assert starred == {"worker", "platform", "place", "description", "parts", "reporter"}


def test_report_form_enter_moves_from_field_to_field(report_dlg, qtbot, type_into):
    dlg = report_dlg
    choose_worker(qtbot, dlg)
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is dlg.platform
    press(qtbot, Qt.Key.Key_Return)                # the industry is derived (disabled): skipped
    assert focused() is dlg.order_no
    for w in (dlg.when, dlg.case_type, dlg.place):
        press(qtbot, Qt.Key.Key_Return)
        assert focused() is w
    type_into(focused(), "徐汇区漕溪北路")
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is dlg.description
    type_into(focused(), "送餐途中摔倒")
    press(qtbot, Qt.Key.Key_Return)                # a multi-line box: Enter starts a new line
    assert focused() is dlg.description and dlg.description.toPlainText() == "送餐途中摔倒\n"
    assert dlg.isVisible() and dlg.ctx.store.count_cases() == 0


def test_report_form_says_why_it_cannot_save(report_dlg, qtbot, type_into):
    dlg = report_dlg
    choose_worker(qtbot, dlg)
    type_into(dlg.description, "送餐途中摔倒")
    dlg.parts[9].click()
    assert not dlg.save_btn.isEnabled()
    assert dlg.reason.text() == "尚不能保存：请填写事故地点"
    assert "请填写事故地点" in dlg.save_btn.toolTip()
    assert message(dlg, "place") == ""             # not scolded before the clerk has been there
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert message(dlg, "place") == "请填写事故地点" and focused() is dlg.place
    type_into(dlg.place, "徐汇区漕溪北路")
    assert dlg.save_btn.isEnabled() and dlg.reason.text() == ""


def test_report_form_esc_asks_before_discarding(report_dlg, qtbot, type_into, asked):
    dlg = report_dlg
    type_into(dlg.place, "某地")
    asked["answers"] = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and "放弃" in asked["asked"][0]
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and dlg.ctx.store.count_cases() == 0


def test_report_form_shows_a_store_refusal_under_its_field(report_dlg, qtbot, type_into, monkeypatch):
    dlg = report_dlg
    later = now() + timedelta(hours=2)
    monkeypatch.setattr(report, "now", lambda: later)   # this machine's clock runs ahead of the store's
    choose_worker(qtbot, dlg)
    t = now() + timedelta(hours=1)
    dlg.when.setDateTime(QDateTime(t.year, t.month, t.day, t.hour, t.minute, 0))
    type_into(dlg.place, "徐汇区漕溪北路")
    type_into(dlg.description, "送餐途中摔倒")
    dlg.parts[9].click()
    dlg.place.setFocus()
    assert dlg.save_btn.isEnabled(), dlg.reason.text()
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dlg.ctx.store.count_cases() == 0 and dlg.pages.currentIndex() == 0
    assert message(dlg, "time") == "不能晚于报案时间"
    assert focused() is dlg.when
