"""The money screens as a clerk uses them: a death, the claimant and three
dependants entered in 待遇与支付 › 伤亡与亲属 (impossible ones refused under the
field), the assessment showing months and what is unconfirmed, one monthly
series per dependant never before the month after the death, advances, and
the death base computed from an entered wage. ZBT_SHOTS=/dir saves screenshots."""
from __future__ import annotations

import argparse
import os
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate

from claims.enums import CaseState as S
from claims.store import Actor
from claims.store.base import _issue
from claims.timeutil import SHANGHAI
from ui.app import open_main_window
from ui.cases import common
from ui.cases.advances import AdvanceDialog
from ui.cases.assessment import AssessmentDialog
from ui.cases.payments import PaymentDialog, ScheduleDialog
from ui.cases.people_dialogs import ClaimantDialog, DeathDialog, DependantDialog

ADMIN = _issue(Actor("admin", role="admin"))  # as a login issues it
AGENT = _issue(Actor("agent1", role="insurer_agent", display_name="李经办"))  # as a login issues it
REVIEWER = _issue(Actor("rev1", role="reviewer", display_name="王审核"))  # as a login issues it
ACCIDENT = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)
SHOTS = os.environ.get("ZBT_SHOTS")


def shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


@pytest.fixture
def case(store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "李强", "id_number": "310104198506150015", "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行"})
    store.add_parameter(ADMIN, name="death_base", region="310000", valid_from="2025-07-01", valid_to="2026-06-30",
                        value="4430.40", status="unconfirmed", source="测试用假定值")
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=ACCIDENT, reported_at=ACCIDENT + timedelta(hours=3), description="被撞倒",
                             case_type="traffic", reporter_name="王芳", reporter_relation="配偶")
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic", legal_basis="办法第十条",
                 override_reason="平台补报的订单记录已核实")
    return store, c


@pytest.fixture
def window(qtbot, case, monkeypatch):
    store, c = case
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "test", store=store, actor=AGENT)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.nav.setCurrentRow(3)
    monkeypatch.setattr(common, "confirm", lambda *a, **k: True)
    sec = win.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.current() is not None)
    sec.tabs.setCurrentWidget(sec.benefits)
    return win, sec


def dialog(qtbot, window, cls, *args):
    dlg = cls(window, window.ctx, *args)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_death_dependants_assessment_and_pensions(qtbot, window, case, type_into):
    win, sec = window
    store, c = case
    ben = sec.benefits
    ben.inner.setCurrentWidget(ben.people)
    assert not ben.people.add_btn.isEnabled() and "先“登记死亡”" in ben.people.empty.text()

    # the death: "other causes" is refused while the treatment period has not ended
    d = dialog(qtbot, win, DeathDialog, c.id)
    d.date.setDate(QDate(2025, 12, 3))
    d.cause.setCurrentIndex(d.cause.findData("other"))
    assert not d.save_btn.isEnabled() and "医疗终结" in d.fields["cause"].box.msg.text()
    shot(d, "death_dialog.png")
    d.cause.setCurrentIndex(d.cause.findData("injury"))
    assert d.save_btn.isEnabled()
    d.try_save()
    win.apply_change(store.change("cases", ids=[c.id]))
    assert "2025-12-03" in ben.people.death.text() and ben.people.add_btn.isEnabled()

    cl = dialog(qtbot, win, ClaimantDialog, c.id)
    assert cl.value("name") == "王芳" and cl.relation.currentText() == "配偶"  # from the report
    type_into(cl.fields["id_number"].widget, "310104198804020024")
    type_into(cl.fields["bank"].widget, "建设银行")
    type_into(cl.fields["account"].widget, "6222021234567890128")
    shot(cl, "claimant_dialog.png")
    cl.try_save()
    assert store.case(c.id).claimant_account == "6222021234567890128"

    # a spouse marked orphan: refused under the field, nothing saved
    dep = dialog(qtbot, win, DependantDialog, c.id)
    type_into(dep.fields["name"].widget, "王芳")
    type_into(dep.fields["id_number"].widget, "310104198804020024")
    assert not dep.birth.isEnabled() and dep.birth.date() == QDate(1988, 4, 2)  # derived from the number
    dep.orphan.setChecked(True)
    assert not dep.save_btn.isEnabled() and "配偶" in dep.fields["orphan"].box.msg.text()
    shot(dep, "dependant_refused.png")
    dep.orphan.setChecked(False)
    type_into(dep.fields["payee_bank"].widget, "建设银行")
    type_into(dep.fields["payee_account"].widget, "6222021234567890128")
    dep.try_save()
    child = dialog(qtbot, win, DependantDialog, c.id)
    type_into(child.fields["name"].widget, "李小明")
    child.relation.setCurrentIndex(child.relation.findData("child"))
    type_into(child.fields["id_number"].widget, "310104201505200011")
    child.orphan.setChecked(True)  # the mother is a dependant: no orphan
    assert "健在" in child.fields["orphan"].box.msg.text()
    child.orphan.setChecked(False)
    type_into(child.fields["payee_name"].widget, "王芳")
    type_into(child.fields["payee_account"].widget, "6222021234567890128")
    child.try_save()
    father = dialog(qtbot, win, DependantDialog, c.id)
    type_into(father.fields["name"].widget, "李大山")
    father.relation.setCurrentIndex(father.relation.findData("parent"))
    type_into(father.fields["id_number"].widget, "310104195501090013")
    father.lone.setChecked(True)
    type_into(father.fields["payee_account"].widget, "6217001210034567899")
    father.try_save()
    win.apply_change(store.change("dependants", "cases", ids=[c.id]))
    t = ben.people.table
    assert [t.item(r, 0).text() for r in range(t.rowCount())] == ["王芳", "李小明", "李大山"]
    assert t.item(1, 4).text() == "2033-05-20\n（年满18周岁）" and t.item(2, 1).text() == "父母（孤寡老人）"
    assert t.item(1, 3).text() == "王芳 6222 **** **** 0128"  # the child's pension goes to the mother
    shot(win, "people_tab.png")

    # the assessment: from the case's records, months shown, what is unconfirmed listed
    ben.inner.setCurrentIndex(0)
    a = dialog(qtbot, win, AssessmentDialog, c.id)
    a.resize(1366, 740)
    assert a.outcome.currentData() == "death" and a.dependants.rowCount() == 3
    rows = [(a.items.item(r, 0).text(), a.items.item(r, 1).text(), a.items.item(r, 3).text())
            for r in range(a.items.rowCount())]
    assert ("供养亲属抚恤金（李小明）", "按月，2026年1月起，至2033年5月", "¥1,208.29") in rows
    assert "按月待遇的起止月份" in a.unconfirmed.text() and "死亡待遇计发基数" in a.unconfirmed.text()
    assert "pilot" not in a.rule_label.text() and "职业伤害保障试点" in a.rule_label.text()
    shot(a, "assessment_death.png")
    a.try_save()
    saved = store.assessments_of(c.id)[-1]
    store.approve_assessment(REVIEWER, saved.id)
    win.apply_change(store.change("assessments", "cases", ids=[c.id]))

    # one-off benefits to the claimant; pensions per dependant from 2026-01
    once = dialog(qtbot, win, PaymentDialog, saved.id)
    assert (once.payee.text(), once.bank.text(), once.account.text()) == ("王芳", "建设银行", "6222021234567890128")
    once.close()
    ben.inner.setCurrentWidget(ben.schedule)
    st = ben.schedule.table
    assert st.rowCount() == 3 and [st.item(r, 0).text() for r in range(3)] == ["王芳（配偶）", "李小明（子女）",
                                                                               "李大山（父母）"]
    assert st.item(1, 3).text() == "2026年1月起\n至2033年5月\n（年满18周岁）" and st.item(0, 3).text() == "2026年1月起，长期"
    assert st.item(1, 5).text() == "2026年1月\n尚余 89 期" and st.item(1, 1).text() == "王芳 代领\n6222 **** **** 0128"
    sd = dialog(qtbot, win, ScheduleDialog, saved.id)
    assert sd.which.currentData() is None and sd.first_month() == "2026-01"
    sd.first.setDate(QDate(2025, 12, 1))
    assert not sd.save_btn.isEnabled() and "2026年1月起发放" in sd.fields["first"].box.msg.text()
    sd.first.setDate(QDate(2026, 1, 1))
    sd.months.setValue(1)
    assert sd.summary.text() == "每月 ¥4,430.40，共 1 期，合计 ¥4,430.40"
    shot(sd, "schedule_dialog.png")
    sd.try_save()
    win.apply_change(store.change("benefit_payments", "cases", ids=[c.id]))
    assert [st.item(r, 4).text() for r in range(3)] == ["已付 0 期\n待审批 1 期"] * 3
    assert [st.item(r, 5).text().split("\n")[0] for r in range(3)] == ["2026年2月"] * 3
    shot(win, "schedule_tab.png")
    pays = [p for p in store.payments_of(c.id) if p.kind == "monthly"]
    assert sorted(p.payee for p in pays) == ["李大山", "王芳", "王芳"]
    ben.inner.setCurrentIndex(0)
    banks = {ben.payments.item(r, 3).text() + ":" + ben.payments.item(r, 8).text() for r in range(3)}
    assert banks == {"王芳:建设银行", "王芳:", "李大山:"}  # each dependant's own payee and bank
    shot(win, "payments_tab.png")


def test_advances_are_entered_and_kept_back(qtbot, window, case, type_into):
    win, sec = window
    store, c = case
    store.add_document(AGENT, c.id, doc_type="advance_statement", pages=2, received_on=date(2025, 9, 10))
    ad = dialog(qtbot, win, AdvanceDialog, c.id)
    type_into(ad.fields["advancer"].widget, "北京三快科技有限公司")
    ad.date.setDate(QDate(2025, 9, 5))
    type_into(ad.amount, "abc")
    assert "金额" in ad.fields["amount"].box.msg.text() and not ad.save_btn.isEnabled()
    ad.amount.clear()
    type_into(ad.amount, "5000")
    type_into(ad.fields["purpose"].widget, "住院医疗费")
    type_into(ad.fields["bank"].widget, "招商银行")
    type_into(ad.fields["account"].widget, "6225880123456789")
    assert ad.evidence.currentData() is not None  # the statement on file is picked
    shot(ad, "advance_dialog.png")
    ad.try_save()
    win.apply_change(store.change("advances", "cases", ids=[c.id]))
    ben = sec.benefits
    ben.inner.setCurrentWidget(ben.advances)
    assert ben.advances.table.item(0, 2).text() == "¥5,000.00" and ben.advances.table.item(0, 5).text() == "未安排"
    shot(win, "advances_tab.png")


def test_death_base_from_the_wage(qtbot, demo_db):
    from ui.settings.params_tab import WageDialog
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=ADMIN)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(5)
    tab = w.stack.currentWidget().params
    from PySide6.QtWidgets import QLabel
    assert any("60%" in lab.text() and "7月1日" in lab.text() for lab in tab.findChildren(QLabel))
    assert tab.wage_btn.isEnabled()
    dlg = WageDialog(tab, w.ctx)
    qtbot.addWidget(dlg)
    dlg.year.setValue(2030)
    dlg.fields["wage"].widget.setText("12345.67")
    dlg.fields["source"].widget.setText("上海市统计局")
    assert "12345.67 元 × 60% = 7407.40 元/月" in dlg.result.text() and "2031-07-01 至 2032-06-30" in dlg.result.text()
    dlg.show()
    shot(dlg, "wage_dialog.png")
    dlg.try_save()
    vals = {(p.name, p.valid_from.isoformat(), p.value) for p in w.ctx.store.parameters()}
    assert {("private_sector_wage", "2031-07-01", "12345.67"), ("death_base", "2031-07-01", "7407.40")} <= vals


def test_a_workers_bank_is_entered_with_the_account(qtbot, window, case, type_into):
    from ui.workers.worker_dialog import WorkerDialog
    win, _sec = window
    store, c = case
    w = store.worker(c.worker_id)
    dlg = dialog(qtbot, win, WorkerDialog, w)
    dlg.fields["bank_name"].widget.clear()
    type_into(dlg.fields["bank_name"].widget, "中国银行上海分行")
    dlg.fields["bank_card"].widget.setText("6222021234567890127")  # fails the check digit: a warning only
    assert "校验位" in dlg.fields["bank_card"].box.msg.text() and dlg.save_btn.isEnabled()
    dlg.try_save()
    w = store.worker(w.id)
    assert (w.bank_name, w.bank_card) == ("中国银行上海分行", "6222021234567890127")


def test_a_review_appraisal_shows_what_was_paid_before(qtbot, window, case):
    win, _sec = window
    store, c = case
    store.add_parameter(ADMIN, name="benefit_base", region="310000", valid_from="2025-07-01", valid_to="2026-06-30",
                        value="7384.00", status="unconfirmed", source="测试用假定值")
    store.transition(AGENT, c.id, S.appraisal)
    store.record_appraisal(AGENT, c.id, grade=7, care_level=None, conclusion_no="鉴1", concluded_on=date(2025, 12, 1))
    a, _ = store.assess(AGENT, c.id)
    store.approve_assessment(REVIEWER, a.id)
    pay, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=a.once_total_fen, payee="李强")
    store.approve_payment(REVIEWER, pay.id)
    store.transition(AGENT, c.id, S.paid)
    store.transition(AGENT, c.id, S.appraisal, "申请复查鉴定")
    store.record_appraisal(AGENT, c.id, grade=4, care_level=None, conclusion_no="鉴2", concluded_on=date(2026, 3, 10),
                           kind="review")
    dlg = dialog(qtbot, win, AssessmentDialog, c.id)
    dlg.resize(1366, 740)
    assert dlg.grade.currentData() == 4
    # 21 × 7384.00 = 155064.00; 13 × 7384.00 = 95992.00 paid: 59072.00 more; 75% × 7384.00 from 2026-04
    assert "此前已支付一次性待遇合计 ¥95,992.00" in dlg.prior.text()
    assert "一次性伤残补助金 ¥95,992.00（新等级标准 ¥155,064.00，本次 ¥59,072.00：伤残等级提高，补发差额）" in dlg.prior.text()
    assert dlg.totals.text() == "一次性合计 ¥59,072.00　　按月合计 ¥5,538.00"
    # a man born 1985-06-15 retires at 63 (born after 1976-08): 2048-06-15, the allowance's last month
    assert dlg.items.item(1, 1).text() == "按月，2026年4月起，至2048年6月"
    shot(dlg, "assessment_review.png")
