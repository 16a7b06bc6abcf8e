"""Paying once: a review appraisal after a grade 7 payment pays only the
difference and its monthly amounts from the month after the new conclusion,
replacing the unpaid later months of the old schedule; disability monthly
items stop at retirement; advances are kept back from the worker and paid
back to the advancer. Figures by hand in the comments."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from claims.enums import CaseState as S
from claims.errors import ClaimsError, FieldError
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
ACCIDENT = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)
BASE = {"benefit_base": "7384.00"}


@pytest.fixture
def world(store):
    p, _ = store.add_platform(AGENT, name="美团", industries=["food_delivery", "instant_delivery"])
    w, _ = store.add_worker(AGENT, {"name": "张伟", "id_number": "310104198506150015", "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行"})
    return store, p, w


def appraised(store, p, w, grade, on, care=None):
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=ACCIDENT, reported_at=ACCIDENT + timedelta(hours=2), description="摔伤",
                             allow_duplicate=True)
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", legal_basis="办法",
                 override_reason="平台补报的订单记录已核实")
    store.transition(AGENT, c.id, S.appraisal)
    store.record_appraisal(AGENT, c.id, grade=grade, care_level=care, conclusion_no="沪劳鉴1", concluded_on=on)
    return c


def approved(store, c, **kw):
    a, _ = store.assess(AGENT, c.id, parameters=BASE, **kw)
    a, _ = store.approve_assessment(REVIEWER, a.id)
    return a


def review(store, c, grade, on):
    store.transition(AGENT, c.id, S.appraisal, "申请复查鉴定")
    store.record_appraisal(AGENT, c.id, grade=grade, care_level=None, conclusion_no="沪劳鉴2", concluded_on=on,
                           kind="review")


def test_review_appraisal_after_a_grade_7_payment(world):
    store, p, w = world
    c = appraised(store, p, w, 7, date(2025, 12, 1))
    a7 = approved(store, c)
    assert a7.once_total_fen == 9599200  # 13 × 7384.00
    pay, _ = store.prepare_payment(AGENT, a7.id, kind="once", amount_fen=a7.once_total_fen, payee="张伟")
    store.approve_payment(REVIEWER, pay.id)
    store.transition(AGENT, c.id, S.paid)
    review(store, c, 4, date(2026, 3, 10))
    a4 = approved(store, c)
    res = store.assessment_result(a4.id)
    # 21 × 7384.00 = 155064.00, 95992.00 granted before: 59072.00 more; 75% × 7384.00 = 5538.00 from 2026-04
    assert [(i["code"], i["amount"], i.get("paid_before"), i.get("from")) for i in res["items"]] == [
        ("one_off_disability", "59072.00", "95992.00", None), ("disability_allowance", "5538.00", None, "2026-04")]
    assert res["input"]["previous"] == {"disability_grade": 7, "once": {"one_off_disability": "95992.00"}}
    with pytest.raises(FieldError, match="最多 ¥59,072.00"):
        store.prepare_payment(AGENT, a4.id, kind="once", amount_fen=9599200, payee="张伟")
    with pytest.raises(FieldError, match="2026年4月起发放"):
        store.schedule_monthly_payments(AGENT, a4.id, "2026-03", 2)
    pays, _ = store.schedule_monthly_payments(AGENT, a4.id, "2026-04", 3)
    assert [(x.period_month, x.amount_fen, x.payee, x.payee_bank) for x in pays] == [
        ("2026-04", 553800, "张伟", "工商银行"), ("2026-05", 553800, "张伟", "工商银行"),
        ("2026-06", 553800, "张伟", "工商银行")]
    # the same grade again: nothing more to pay
    review(store, c, 4, date(2026, 6, 1))
    a, _ = store.assess(AGENT, c.id, parameters=BASE)
    assert a.once_total_fen == 0


def test_a_higher_grade_replaces_the_unpaid_later_months_of_the_old_schedule(world):
    store, p, w = world
    c = appraised(store, p, w, 4, date(2025, 12, 1))
    a4 = approved(store, c)
    old, _ = store.schedule_monthly_payments(AGENT, a4.id, "2026-01", 6)  # 75% × 7384.00 = 5538.00, 2026-01 … 06
    for x in old[:2]:
        store.approve_payment(REVIEWER, x.id)
    store.transition(AGENT, c.id, S.paid)
    review(store, c, 2, date(2026, 3, 15))
    a2 = approved(store, c)
    status = {x.period_month: (x.status.value, x.amount_fen) for x in store.payments_of(c.id)
              if x.assessment_id == a4.id}
    # paid months stay, March keeps the old amount (before the new conclusion's next month), April on is replaced
    assert status == {"2026-01": ("approved", 553800), "2026-02": ("approved", 553800),
                      "2026-03": ("prepared", 553800), "2026-04": ("cancelled", 553800),
                      "2026-05": ("cancelled", 553800), "2026-06": ("cancelled", 553800)}
    new, _ = store.schedule_monthly_payments(AGENT, a2.id, "2026-04", 3)
    assert {x.amount_fen for x in new} == {627640}  # 85% × 7384.00 = 6276.40
    # 25 × 7384 = 184600.00 − 21 × 7384 = 155064.00 granted before: 29536.00 more
    assert a2.once_total_fen == 2953600
    series = store.monthly_series(a2.id)[0]
    assert (series.first, series.prepared[-1], series.next_month) == ("2026-04", "2026-06", "2026-07")


def test_disability_allowance_stops_at_retirement_care_goes_on(world):
    store, p, _w = world
    # a man born 1966-02-10 retires at 60 and 4 months: 2026-06-10 (retirement.json)
    w, _ = store.add_worker(AGENT, {"name": "老王", "id_number": "110105196602100018", "phone": "13812345679"})
    c = appraised(store, p, w, 2, date(2025, 12, 1), care="full")
    a = approved(store, c)
    s = store.monthly_series(a.id)[0]
    assert (s.first, s.last, s.months_total) == ("2026-01", None, None)  # the care allowance has no end
    pays, _ = store.schedule_monthly_payments(AGENT, a.id, "2026-05", 3)
    # 85% × 7384 = 6276.40 + 50% × 12434 = 6217.00 → 12493.40 until June; from July only the care allowance
    assert [(x.period_month, x.amount_fen, [i["code"] for i in x.pay_items]) for x in pays] == [
        ("2026-05", 1249340, ["disability_allowance", "nursing_care"]),
        ("2026-06", 1249340, ["disability_allowance", "nursing_care"]), ("2026-07", 621700, ["nursing_care"])]


def test_a_death_stops_the_workers_monthly_payments(world):
    store, p, w = world
    c = appraised(store, p, w, 1, date(2025, 12, 1))
    a = approved(store, c)
    store.schedule_monthly_payments(AGENT, a.id, "2026-01", 6)
    store.set_treatment_end(AGENT, c.id, date(2025, 11, 30))
    store.record_death(AGENT, c.id, death_date=date(2026, 3, 20), death_cause="other")
    live = [x.period_month for x in store.payments_of(c.id) if x.status.value != "cancelled"]
    assert live == ["2026-01", "2026-02", "2026-03"]


def test_an_advance_is_kept_back_and_paid_back(world):
    store, p, w = world
    c = appraised(store, p, w, 7, date(2025, 12, 1))
    with pytest.raises(FieldError, match="收款账号"):
        store.record_advance(AGENT, c.id, advancer_kind="platform", advancer_name="美团", advanced_on=date(2025, 9, 5),
                             amount_fen=500000, purpose="医疗费")
    adv, _ = store.record_advance(AGENT, c.id, advancer_kind="platform", advancer_name="美团",
                                  advanced_on=date(2025, 9, 5), amount_fen=500000, purpose="住院医疗费",
                                  payee_name="北京三快科技有限公司", payee_bank="招商银行北京分行",
                                  payee_account="6225880123456789")
    assert "advance_statement" in {r.doc_type for r in store.missing_documents(c.id)}
    a = approved(store, c)  # 13 × 7384.00 = 95992.00
    with pytest.raises(FieldError, match="垫付款 ¥5,000.00"):
        store.prepare_payment(AGENT, a.id, kind="once", amount_fen=a.once_total_fen, payee="张伟")
    back, _ = store.repay_advance(AGENT, a.id, adv.id)
    assert (back.payee, back.payee_bank, back.amount_fen, back.advance_id) == (
        "北京三快科技有限公司", "招商银行北京分行", 500000, adv.id)
    with pytest.raises(ClaimsError, match="已安排偿还"):
        store.repay_advance(AGENT, a.id, adv.id)
    mine, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=9099200, payee="张伟")  # 95992 − 5000
    s = store.once_summary(a.id)
    assert (s.total_fen, s.to_advancers_fen, s.kept_back_fen, s.to_worker_fen, s.free_fen) == (
        9599200, 500000, 0, 9099200, 0)
    st = store.advance_statement(adv.id)
    assert (st.case_number, st.worker_name, st.advancer_kind_label, st.repayment.number, st.worker_due_fen) == (
        c.number, "张伟", "平台企业", back.number, 9099200)
    with pytest.raises(ClaimsError, match="不能撤销"):
        store.withdraw_advance(AGENT, adv.id)
