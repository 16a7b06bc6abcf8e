"""One running window, three people, one case from report to an approved payment,
without restarting: the agent reports, takes the documents at the counter, accepts
and investigates; the reviewer logs in (文件 › 切换用户…) and decides; the agent
appraises and assesses; the reviewer returns the assessment with a reason, which
the agent sees on the home screen and in the case, then approves the new one; the
agent prepares the payment; the reviewer approves it."""
import argparse
from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from claims.store import Actor
from claims.timeutil import now, today
from ui.app import open_main_window
from ui.cases import common
from ui.cases.assessment import AssessmentDialog
from ui.cases.decision import AppraisalDialog, DecisionDialog
from ui.cases.intake import IntakeDialog
from ui.cases.payments import PaymentDialog
from ui.cases.report import ReportDialog
from ui.login import LoginDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ID = "110105198512310029"


@pytest.fixture
def world(store):
    admin = store.setup_first_admin("Admin2026")
    store.add_user(admin, username="li", display_name="李经办", role="insurer_agent", password="Agent2026")
    store.add_user(admin, username="wang", display_name="王审核", role="reviewer", password="Review2026")
    p, _ = store.add_platform(admin, name="美团", industries=["food_delivery"])
    st, _ = store.add_station(admin, platform_id=p.id, name="宝山站", district="310113")
    w, _ = store.add_worker(admin, {"name": "张伟", "id_number": ID, "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行"})
    store.enroll(admin, worker_id=w.id, platform_id=p.id, industry="food_delivery", station_id=st.id,
                 start_on="2025-01-01")
    acc = (now() - timedelta(days=1)).replace(hour=10, minute=0, second=0)
    store.import_orders(admin, [(2, {"order_no": "MT0001", "platform": "美团", "industry": "food_delivery",
                                     "id_number": ID, "accepted_at": (acc - timedelta(minutes=20)).isoformat(),
                                     "finished_at": (acc + timedelta(minutes=30)).isoformat(), "region": "310000"})])
    y = today().year
    for name, value in (("benefit_base", "7460.40"), ("care_base", "12500.00")):
        store.add_parameter(admin, name=name, region="310000", valid_from=f"{y - 1}-01-01", valid_to=f"{y + 1}-12-31",
                            value=value, status="unconfirmed", source="测试")
    return store, acc


def when_open(cls, fill):
    def poll(tries=0):
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, cls):
            if tries < 500:
                QTimer.singleShot(10, lambda: poll(tries + 1))
            return
        try:
            fill(dlg)
        finally:
            if dlg.isVisible():
                dlg.done(0)
    QTimer.singleShot(0, poll)


def type_cn(widget, text):
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def test_report_to_approved_payment_in_one_window(qtbot, world, monkeypatch):
    store, acc = world
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "t", store=store,
                           actor=store.authenticate("li", "Agent2026"))
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    printed = []
    monkeypatch.setattr(common, "preview", lambda _p, _c, code, key: printed.append(code))
    monkeypatch.setattr(common, "confirm", lambda *a, **k: True)
    reason = {"text": "已核实"}
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (reason["text"], True))

    def sec():
        win.nav.setCurrentRow(3)
        return win.stack.currentWidget()

    def button(text):
        return next(b for b in sec().action_buttons if b.text() == text)

    def switch(user, password):
        def login(dlg):
            dlg.username.setText(user)
            qtbot.keyClicks(dlg.password, password)
            qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
        when_open(LoginDialog, login)
        win.switch_action.trigger()
        assert win.ctx.actor.username == user
        s = sec()
        s.show_case(case.number)
        qtbot.waitUntil(lambda: s.current() is not None and s.current().id == case.id)
        return s

    # -- the agent reports ------------------------------------------------------------
    def report(dlg):
        qtbot.keyClicks(dlg.find, ID)
        qtbot.waitUntil(lambda: dlg.worker is not None)
        dlg.when.setDateTime(QDateTime(acc.year, acc.month, acc.day, acc.hour, acc.minute, 0))
        qtbot.keyClicks(dlg.order_no, "MT0001")
        type_cn(dlg.place, "徐汇区漕溪北路")
        type_cn(dlg.description, "送餐途中被车辆刮倒，左腿受伤")
        dlg.parts[9].click()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dlg.close_btn, Qt.MouseButton.LeftButton)
    when_open(ReportDialog, report)
    qtbot.mouseClick(sec().report_btn, Qt.MouseButton.LeftButton)
    case = store.search_cases()[0]
    s = sec()
    qtbot.waitUntil(lambda: s.current() is not None and s.current().id == case.id)
    assert "下一步：收齐材料" in s.detail.toPlainText()

    # -- documents at the counter, accepted, investigated ------------------------------
    def intake(dlg):
        qtbot.waitUntil(dlg.table.hasFocus)
        qtbot.keyClick(dlg.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dlg.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    when_open(IntakeDialog, intake)
    qtbot.mouseClick(s.documents.intake_btn, Qt.MouseButton.LeftButton)
    assert store.missing_documents(case.id) == [] and printed[-1] == "document_receipt"
    assert "下一步：受理" in sec().detail.toPlainText()
    qtbot.mouseClick(button("受理"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button("开始调查"), Qt.MouseButton.LeftButton)
    assert not button("作出结论…").isEnabled() and "审核人" in button("作出结论…").toolTip()
    assert "由审核人办理" in sec().detail.toPlainText()

    # -- the reviewer decides -------------------------------------------------------------
    s = switch("wang", "Review2026")
    assert "王审核" in win.user_label.text()

    def decide(dlg):
        dlg.situation.setCurrentIndex(dlg.situation.findData("order_task"))
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    when_open(DecisionDialog, decide)
    qtbot.mouseClick(button("作出结论…"), Qt.MouseButton.LeftButton)
    assert store.case(case.id).state.value == "confirmed"

    # -- the agent: appraisal and assessment ----------------------------------------------
    s = switch("li", "Agent2026")
    qtbot.mouseClick(button("申请劳动能力鉴定"), Qt.MouseButton.LeftButton)

    def appraise(dlg):
        dlg.grade.setCurrentIndex(dlg.grade.findData(9))
        type_cn(dlg.number, "沪劳鉴〔2026〕第7号")
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    when_open(AppraisalDialog, appraise)
    qtbot.mouseClick(button("录入鉴定结论…"), Qt.MouseButton.LeftButton)

    def assess(dlg):
        qtbot.keyClicks(dlg.money["medical_expenses"], "8000")
        assert dlg.save_btn.isEnabled(), dlg.reason.text()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    when_open(AssessmentDialog, assess)
    qtbot.mouseClick(button("待遇核定…"), Qt.MouseButton.LeftButton)
    first = store.assessments_of(case.id)[-1]
    ben = sec().benefits
    assert not ben.approve_assessment_btn.isEnabled() and "审核人" in ben.approve_assessment_btn.toolTip()

    # -- the reviewer returns it with a reason -----------------------------------------
    s = switch("wang", "Review2026")
    home = win.section(0)
    assert any(home.tasks.item(r, 0).text().startswith("批准或退回待遇核定") for r in range(home.tasks.rowCount()))
    ben = s.benefits
    ben.assessments.selectRow(0)
    assert ben.return_assessment_btn.isEnabled()
    reason["text"] = "医疗费票据须核对原件"
    qtbot.mouseClick(ben.return_assessment_btn, Qt.MouseButton.LeftButton)
    assert store.assessment(first.id).status == "returned"

    # -- the agent sees why, and assesses again ------------------------------------------
    s = switch("li", "Agent2026")
    home = win.section(0)
    tasks = [home.tasks.item(r, 0).text() for r in range(home.tasks.rowCount())]
    assert any("重新核定待遇" in t and "医疗费票据须核对原件" in t for t in tasks), tasks
    assert "医疗费票据须核对原件" in sec().detail.toPlainText()
    when_open(AssessmentDialog, assess)
    qtbot.mouseClick(button("待遇核定…"), Qt.MouseButton.LeftButton)
    second = store.assessments_of(case.id)[-1]
    assert second.id != first.id and second.status == "draft"

    # -- the reviewer approves; the agent prepares the payment; the reviewer approves it --
    s = switch("wang", "Review2026")
    ben = s.benefits
    ben.assessments.selectRow(1)
    qtbot.mouseClick(ben.approve_assessment_btn, Qt.MouseButton.LeftButton)
    assert store.assessment(second.id).status == "approved"
    s = switch("li", "Agent2026")
    ben = s.benefits
    ben.assessments.selectRow(1)

    def once(dlg):
        assert dlg.payee.text() == "张伟"
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    when_open(PaymentDialog, once)
    qtbot.mouseClick(ben.once_btn, Qt.MouseButton.LeftButton)
    pay = store.payments_of(case.id)[0]
    ben.payments.selectRow(0)
    assert not ben.approve_payment_btn.isEnabled()  # the maker waits for someone else
    s = switch("wang", "Review2026")
    ben = s.benefits
    ben.payments.selectRow(0)
    reason["text"] = "流水0001"
    qtbot.mouseClick(ben.approve_payment_btn, Qt.MouseButton.LeftButton)
    assert store.payment_by_number(pay.number).status.value == "approved"
    assert ben.payments.item(0, 6).text() == "王审核"  # a person's name, never a login
    assert win.isVisible()
