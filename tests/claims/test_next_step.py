"""The next step of a case (what, who, by when) and approvals returned with a reason:
the maker sees the return, the case waits for a new assessment or payment, and a
station manager's steps are only the documents."""
from datetime import date, datetime, timedelta

import pytest

from claims.enums import CaseState as S
from claims.errors import ClaimsError, FieldError, PermissionDenied
from claims.next_step import next_step, step_text
from claims.store import Actor
from claims.timeutil import SHANGHAI

ADMIN = Actor("admin", role="admin")
AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
SM = Actor("sm", role="station_manager")
ACCIDENT = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def case(store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "李强", "id_number": "310104198506150015", "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行"})
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=ACCIDENT, reported_at=ACCIDENT + timedelta(hours=3), description="被撞倒",
                             case_type="traffic", reporter_name="王芳", reporter_relation="配偶")
    return store, c


def step(store, c):
    return next_step(store, store.case(c.id))


def test_steps_name_what_who_and_by_when(case):
    store, c = case
    s = step(store, c)
    assert s.kind == "documents" and "缺" in s.what and s.by == store.case(c.id).due_on
    assert s.can(SM)[0] and s.can(AGENT)[0]  # a station manager collects documents
    for d in store.missing_documents(c.id):
        store.add_document(AGENT, c.id, doc_type=d.doc_type)
    s = step(store, c)
    assert s.what == "受理" and not s.can(SM)[0] and "承办机构经办人" in s.can(SM)[1]
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    s = step(store, c)
    assert "结论" in s.what and s.who == "审核人" and not s.can(AGENT)[0]
    assert step_text(s).startswith("下一步：") and s.by.isoformat() in step_text(s)


def test_an_assessment_and_a_payment_returned_with_a_reason(case):
    store, c = case
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic", legal_basis="办法第十条",
                 override_reason="平台补报的订单记录已核实")
    store.add_parameter(ADMIN, name="benefit_base", region="310000", valid_from="2025-07-01", valid_to="2026-06-30",
                        value="7384.00", status="unconfirmed", source="测试用假定值")
    store.transition(AGENT, c.id, S.appraisal)
    store.record_appraisal(AGENT, c.id, grade=7, care_level=None, conclusion_no="鉴1", concluded_on=date(2025, 12, 1))
    a, _ = store.assess(AGENT, c.id)
    s = step(store, c)
    assert s.kind == "assessment" and s.not_by == "agent1" and not s.can(Actor("agent1", role="reviewer"))[0]
    with pytest.raises(PermissionDenied):
        store.return_assessment(AGENT, a.id, "金额有误")
    with pytest.raises(FieldError):
        store.return_assessment(REVIEWER, a.id, "  ")
    back, change = store.return_assessment(REVIEWER, a.id, "医疗费票据未核对")
    assert back.status == "returned" and back.return_reason == "医疗费票据未核对" and "退回" in change.summary
    assert store.case(c.id).state == S.appraised  # back to where it was before the assessment
    s = step(store, c)
    assert s.what == "重新核定待遇" and "医疗费票据未核对" in s.note and s.can(AGENT)[0]
    assert "退回待遇核定" in store.case_events(c.id)[-1].note
    assert store.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'return'").fetchone()[0] == 1
    with pytest.raises(ClaimsError):
        store.approve_assessment(REVIEWER, a.id)  # a returned assessment is never approved
    a2, _ = store.assess(AGENT, c.id)
    store.approve_assessment(REVIEWER, a2.id)
    pay, _ = store.prepare_payment(AGENT, a2.id, kind="once", amount_fen=a2.once_total_fen, payee="李强")
    assert step(store, c).kind == "payment"
    ret, _ = store.return_payment(REVIEWER, pay.id, "收款账号待核实")
    assert ret.status.value == "cancelled" and ret.returned_by == "rev1" and ret.status_label == "已退回"
    s = step(store, c)
    assert s.what == "制作支付单" and "收款账号待核实" in s.note
    again, _ = store.prepare_payment(AGENT, a2.id, kind="once", amount_fen=a2.once_total_fen, payee="李强")
    store.approve_payment(REVIEWER, again.id)  # the returned amount was free again
    assert "支付完成" in step(store, c).what
