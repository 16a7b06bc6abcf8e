"""A case from report to two approved payments, through the case screen's
dialogs and buttons only, with two people (an agent and a reviewer) taking
turns at the same window — asserting what they would see."""
import argparse
import os
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QPushButton

from claims.models import Change
from claims.store import Actor
from claims.timeutil import now
from ui.app import open_main_window
from ui.cases import common
from ui.cases.assessment import AssessmentDialog
from ui.cases.decision import AppraisalDialog, DecisionDialog
from ui.cases.documents import AttachDialog
from ui.cases.payments import PaymentDialog, ScheduleDialog
from ui.cases.report import ReportDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


ADMIN = logged_in("admin", role="admin")
AGENT = logged_in("agent1", role="insurer_agent", display_name="李经办")
REVIEWER = logged_in("rev1", role="reviewer", display_name="王审核")
ID = "110105198512310029"  # a worker of working age: 伤残津贴 runs to retirement


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    st, _ = store.add_station(ADMIN, platform_id=p.id, name="宝山站", district="310113")
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13812345678",
                                    "bank_card": "6222021234567890128"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", station_id=st.id,
                 start_on="2025-01-01")
    acc = (now() - timedelta(days=1)).replace(hour=10, minute=0, second=0)
    store.import_orders(ADMIN, [(2, {"order_no": "MT0001", "platform": "美团", "industry": "food_delivery",
                                     "id_number": ID, "accepted_at": (acc - timedelta(minutes=20)).isoformat(),
                                     "finished_at": (acc + timedelta(minutes=30)).isoformat(), "region": "310000"})])
    return store, acc


@pytest.fixture
def window(qtbot, world, monkeypatch):
    store, _acc = world
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "test", store=store, actor=AGENT)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.nav.setCurrentRow(3)
    monkeypatch.setattr(common, "confirm", lambda *a, **k: True)
    win.printed = []
    monkeypatch.setattr(common, "preview", lambda _p, _c, code, key: win.printed.append((code, key)))
    return win


def type_cn(widget, text):
    """Chinese arrives from an input method as committed text."""
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def when_open(cls, fill):
    """Run ``fill(dialog)`` once a modal dialog of ``cls`` is showing; never leave it hanging."""
    def poll():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, cls):
            QTimer.singleShot(10, poll)
            return
        try:
            fill(dlg)
        finally:
            if dlg.isVisible():
                dlg.done(0)
    QTimer.singleShot(0, poll)


def button(sec, text) -> QPushButton:
    return next(b for b in sec.action_buttons if b.text() == text)


def shown_state(sec) -> str:
    """The state label in the title line of the case's detail."""
    return sec.detail.toPlainText().splitlines()[0].split()[-1]


def as_(win, actor):
    """The other person sits down at the window."""
    win.ctx.actor = actor
    win.apply_change(Change(tables=frozenset({"cases"})))


def test_a_case_from_report_to_two_approved_payments(window, world, qtbot, monkeypatch, tmp_path):
    store, acc = world
    sec = window.stack.currentWidget()
    seen = {}

    # -- 报案 -----------------------------------------------------------------------
    def report(dlg):
        qtbot.keyClicks(dlg.find, ID)
        qtbot.waitUntil(lambda: dlg.worker is not None)
        assert dlg.platform.currentText() == "美团" and dlg.industry.currentText() == "外卖"
        assert not dlg.industry.isEnabled() and dlg.station.text() == "宝山站"  # derived, not typed
        assert not dlg.save_btn.isEnabled() and dlg.reason.text().startswith("尚不能保存")
        dlg.when.setDateTime(QDateTime(acc.year, acc.month, acc.day, acc.hour, acc.minute, 0))
        qtbot.keyClicks(dlg.order_no, "MT0001")
        assert "接单" in dlg.order_hint.text()
        type_cn(dlg.place, "徐汇区漕溪北路与零陵路路口")
        type_cn(dlg.description, "送餐途中被右转车辆刮倒，左腿受伤")
        dlg.parts[9].click()  # 下肢
        type_cn(dlg.hospital, "瑞金医院")
        assert dlg.reporter.text() == "张伟"  # 本人 reports: the name is filled in
        assert dlg.save_btn.isEnabled(), dlg.reason.text()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
        seen["done"] = dlg.done_label.text()
        qtbot.mouseClick(dlg.close_btn, Qt.MouseButton.LeftButton)

    when_open(ReportDialog, report)
    qtbot.mouseClick(sec.report_btn, Qt.MouseButton.LeftButton)
    case = store.search_cases()[0]
    assert case.number in seen["done"] and "案件号" in seen["done"]
    qtbot.waitUntil(lambda: sec.current() is not None and sec.current().id == case.id)
    assert sec.detail.toPlainText().startswith(case.number) and shown_state(sec) == "报案"
    assert "事故发生时正在执行订单" in sec.proof.toPlainText() and "MT0001" in sec.proof.toPlainText()

    # -- 一次性告知, then the documents arrive ----------------------------------------
    docs = sec.documents
    qtbot.mouseClick(docs.notice_btn, Qt.MouseButton.LeftButton)
    assert store.case(case.id).state.value == "awaiting_documents"
    assert shown_state(sec) == "材料待补"
    notice = store.open_missing_notice(case.id)
    assert notice.number in docs.notice_label.text() and len(notice.items) == 6  # 4 always + 病历 + 银行卡
    assert window.printed[-1] == ("missing_documents_notice", case.number)  # offered at once, and printed
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))

    def attach(dlg):
        dlg.pick()
        dlg.pages.setValue(2)
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    for r in range(docs.checklist.rowCount()):
        docs.checklist.setCurrentCell(r, 0)
        when_open(AttachDialog, attach)
        qtbot.mouseClick(docs.attach_btn, Qt.MouseButton.LeftButton)
    assert [docs.checklist.item(r, 1).text() for r in range(docs.checklist.rowCount())] == ["已收"] * 6
    assert not docs.notice_btn.isEnabled()
    # the last document registered is what 编辑 › 撤销 offers to take back
    assert window.undo_action.isEnabled() and window.undo_action.text().startswith("撤销“已登记材料：")

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("材料齐全", True))
    qtbot.mouseClick(button(sec, "受理"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(sec, "开始调查"), Qt.MouseButton.LeftButton)
    assert not button(sec, "作出结论…").isEnabled()  # the agent cannot decide

    # -- the reviewer confirms ------------------------------------------------------
    as_(window, REVIEWER)

    def decide(dlg):
        dlg.situation.setCurrentIndex(dlg.situation.findData("order_task"))
        # the citation comes from the data, the evidence is beside the buttons, and nothing needs overriding
        assert "《新就业形态人员职业伤害保障办法（试行）》第十条第一款第（一）项" in dlg.status.text()
        assert "事故发生时正在执行订单 MT0001" in dlg.facts.toPlainText() and not dlg.fields["override"].visible
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    when_open(DecisionDialog, decide)
    qtbot.mouseClick(button(sec, "作出结论…"), Qt.MouseButton.LeftButton)
    decision = store.decisions_of(case.id)[0]
    assert shown_state(sec) == "确认" and decision.number in sec.detail.toPlainText()

    # -- the agent: appraisal and assessment -----------------------------------------
    as_(window, AGENT)
    qtbot.mouseClick(button(sec, "申请劳动能力鉴定"), Qt.MouseButton.LeftButton)

    def appraise(dlg):
        dlg.grade.setCurrentIndex(dlg.grade.findData(4))
        dlg.care.setCurrentIndex(dlg.care.findData("partial"))
        type_cn(dlg.number, "沪劳鉴〔2026〕第1号")
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    when_open(AppraisalDialog, appraise)
    qtbot.mouseClick(button(sec, "录入鉴定结论…"), Qt.MouseButton.LeftButton)
    assert shown_state(sec) == "鉴定完成" and "沪劳鉴〔2026〕第1号" in sec.detail.toPlainText()

    def assess(dlg):
        assert dlg.outcome.currentData() == "disability" and dlg.grade.currentData() == 4  # from the appraisal
        assert dlg.care.currentData() == "partial"
        qtbot.keyClicks(dlg.money["medical_expenses"], "12000")
        dlg.days.setValue(5)
        assert "待遇计发基数" in dlg.error.text() and "benefit_base" not in dlg.error.text()  # no codes on screen
        assert not dlg.save_btn.isEnabled()
        y = date.today().year
        for name, value in (("benefit_base", "7460.40"), ("care_base", "12500.00")):
            store.add_parameter(ADMIN, name=name, region="310000", valid_from=f"{y}-01-01", valid_to=f"{y}-12-31",
                                value=value, status="unconfirmed", source="测试")
        dlg.reload_parameters()
        seen["totals"] = dlg.totals.text()
        seen["items"] = [dlg.items.item(r, 0).text() for r in range(dlg.items.rowCount())]
        seen["warned"] = dlg.warnings.text()
        qtbot.keyClicks(dlg.money["rehabilitation"], "x")
        assert "金额" in dlg.fields["rehabilitation"].box.msg.text() and not dlg.save_btn.isEnabled()
        dlg.money["rehabilitation"].clear()
        dlg.validate()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    when_open(AssessmentDialog, assess)
    qtbot.mouseClick(button(sec, "待遇核定…"), Qt.MouseButton.LeftButton)
    assert seen["totals"] == "一次性合计 ¥168,768.40　　按月合计 ¥9,345.30"
    assert seen["items"] == ["医疗费", "住院伙食补助费", "一次性伤残补助金", "伤残津贴", "生活护理费"]
    assert "未经确认" in seen["warned"]
    ben = sec.benefits
    assert not ben.approve_assessment_btn.isEnabled()  # only reviewers approve, and the button says so
    assert "审核人" in ben.approve_assessment_btn.toolTip() and "审核人" in ben.approve_assessment_btn.statusTip()
    assert ben.assessments.item(0, 4).text() == "待批准"

    # -- the reviewer approves the assessment --------------------------------------------
    as_(window, REVIEWER)
    sec.tabs.setCurrentWidget(ben)
    qtbot.mouseClick(ben.approve_assessment_btn, Qt.MouseButton.LeftButton)
    assert ben.assessments.item(0, 4).text() == "已批准"

    # -- the agent prepares a one-off payment and two monthly ones ----------------------
    as_(window, AGENT)

    def once(dlg):
        assert dlg.amount.text() == "168768.40" and dlg.payee.text() == "张伟"
        assert dlg.account.text() == "6222021234567890128"
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    def monthly(dlg):
        dlg.months.setValue(2)
        assert "每月 ¥9,345.30，共 2 期，合计 ¥18,690.60" == dlg.summary.text()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)

    when_open(PaymentDialog, once)
    qtbot.mouseClick(ben.once_btn, Qt.MouseButton.LeftButton)
    when_open(ScheduleDialog, monthly)
    qtbot.mouseClick(ben.monthly_btn, Qt.MouseButton.LeftButton)
    assert [ben.payments.item(r, 4).text() for r in range(3)] == ["待审批"] * 3
    assert not button(sec, "支付完成").isEnabled()  # nothing is paid until someone else approves

    # -- the reviewer approves two; the preparer cannot approve their own ----------------
    as_(window, REVIEWER)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("流水0001", True))
    for row in (0, 1):
        ben.payments.selectRow(row)
        qtbot.mouseClick(ben.approve_payment_btn, Qt.MouseButton.LeftButton)
    assert [ben.payments.item(r, 4).text() for r in range(3)] == ["已审批", "已审批", "待审批"]
    assert ben.payments.item(0, 6).text() == "rev1"
    as_(window, logged_in("agent1", role="reviewer"))  # the preparer, even with approving rights:
    ben.payments.selectRow(2)  # the step the core would refuse is disabled, with the reason
    assert not ben.approve_payment_btn.isEnabled() and "自己" in ben.approve_payment_btn.toolTip()
    assert ben.payments.item(2, 4).text() == "待审批"

    # -- the agent records the payment step -------------------------------------------
    as_(window, AGENT)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("一次性待遇及首月津贴已支付", True))
    qtbot.mouseClick(button(sec, "支付完成"), Qt.MouseButton.LeftButton)
    text = sec.detail.toPlainText()
    assert shown_state(sec) == "支付"
    history = [e.to_state.label for e in store.case_events(case.id)]
    assert history == ["报案", "材料待补", "受理", "调查", "确认", "劳动能力鉴定", "鉴定完成", "待遇核定", "支付"]
    assert "一次性待遇及首月津贴已支付" in text and "rev1" in text  # who approved, in the payments
    assert sum(p.status.value == "approved" for p in store.payments_of(case.id)) == 2

    if os.environ.get("ZBT_SHOTS"):  # look at it: ZBT_SHOTS=/tmp/shots pytest tests/ui/test_cases_gui.py
        for i in range(sec.tabs.count()):
            sec.tabs.setCurrentIndex(i)
            window.grab().save(os.path.join(os.environ["ZBT_SHOTS"], f"flow_tab{i}.png"))

    # the home screen of the reviewer lists the last monthly payment to approve
    as_(window, REVIEWER)
    home = window.section(0)
    tasks = [home.tasks.item(r, 0).text() for r in range(home.tasks.rowCount())]
    assert any(t.startswith("审批支付") for t in tasks)
    if os.environ.get("ZBT_SHOTS"):
        window.nav.setCurrentRow(0)
        window.grab().save(os.path.join(os.environ["ZBT_SHOTS"], "flow_home.png"))
    row = next(r for r in range(home.tasks.rowCount()) if home.tasks.item(r, 0).text().startswith("审批支付"))
    home.tasks.itemDoubleClicked.emit(home.tasks.item(row, 0))  # opens the case
    assert window.nav.currentRow() == 3
    qtbot.waitUntil(lambda: sec.current() is not None and sec.current().id == case.id)


def test_report_dialog_asks_before_discarding_and_shows_duplicates(window, world, qtbot, monkeypatch):
    store, acc = world
    dlg = ReportDialog(window, window.ctx)
    qtbot.addWidget(dlg)
    type_cn(dlg.place, "某地")
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.append(a[2]) or QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(common, "confirm", lambda *a, **k: answers.append(a[2]) or False)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and "放弃" in answers[-1]
    # a case for the same order already exists: shown before a second is created
    w = store.worker_by_id_number(ID)
    first, _ = store.report_case(AGENT, worker_id=w.id, platform_id=store.platforms()[0].id, industry="food_delivery",
                                 accident_at=acc, order_no="MT0001", description="摔倒")
    qtbot.keyClicks(dlg.find, ID)
    qtbot.waitUntil(lambda: dlg.worker is not None)
    dlg.when.setDateTime(QDateTime(acc.year, acc.month, acc.day, acc.hour, acc.minute, 0))
    type_cn(dlg.description, "同一事故")
    dlg.parts[0].setChecked(True)
    dlg.validate()
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert first.number in answers[-1] and store.count_cases() == 1  # declined: nothing created
    monkeypatch.setattr(common, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert store.count_cases() == 2 and dlg.pages.currentIndex() == 1


def test_batch_print_of_the_filtered_cases(qtbot, demo_db, tmp_path, monkeypatch):
    import argparse

    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from ui.app import open_main_window
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                         actor=logged_in("admin", role="admin", display_name="系统管理员"))
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(3)
    sec = w.stack.currentWidget()
    sec.state_box.setCurrentIndex(sec.state_box.findData("confirmed"))
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("职业伤害确认结论书", True))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    from ui.printing import batch as batch_mod
    shown = []
    monkeypatch.setattr(batch_mod.QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    sec.batch_print()
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == sec.count() and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert shown and f"已输出 {len(pdfs)} 份文书" in shown[0]
