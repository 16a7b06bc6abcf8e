"""复发 pays medical benefits only: a relapse case is assessed with the medical
items of its rule set; a lump sum or a monthly disability or death item is
refused by the store with a message naming it, and nothing is saved; the
medical costs of the relapse are assessed, approved and paid on its own history."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from claims.benefits import assessment_to_json, compute, parse_input
from claims.enums import CaseState as S
from claims.errors import ClaimsError
from claims.relapse import relapse_items
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
ADMIN = Actor("admin1", role="admin")
ACCIDENT = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)


def relapse_case(store):
    """A confirmed case paid and closed, then reopened for a relapse."""
    p, _ = store.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "李强", "id_number": "310104198506150015", "phone": "13812345678"})
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=ACCIDENT, reported_at=ACCIDENT + timedelta(hours=3), description="被撞倒",
                             case_type="traffic", reporter_name="李强", reporter_relation="本人")
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t, at=ACCIDENT + timedelta(days=1))
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic",
                 override_reason="交警认定书载明其时正在送单", at=ACCIDENT + timedelta(days=5))
    a, _ = store.assess(AGENT, c.id, medical={"medical_expenses": "1000.00", "hospital_days": 0})
    store.approve_assessment(REVIEWER, a.id)
    pay, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=a.once_total_fen, payee="李强")
    store.approve_payment(REVIEWER, pay.id)
    store.transition(AGENT, c.id, S.paid)
    store.transition(AGENT, c.id, S.closed, "已支付")
    r, _ = store.report_relapse(AGENT, c.id, description="骨折处再次疼痛，住院治疗", hospital="上海市第六人民医院")
    return r


def computed(store, case_id, **changes) -> dict:
    inp, ids = store.benefit_input(case_id, outcome=changes.pop("outcome"))
    inp.update(changes)
    return {**assessment_to_json(compute(parse_input(inp), store.parameter_table()), record=True), "input": inp,
            "dependant_ids": ids}


def test_the_medical_items_of_a_relapse_come_from_the_rule_set():
    items = relapse_items(ACCIDENT.date())
    assert list(items) == ["medical_expenses", "hospital_food_allowance", "out_of_area_travel", "rehabilitation",
                           "assistive_devices"]
    assert items["hospital_food_allowance"] == "住院伙食补助费" and "one_off_disability" not in items


@pytest.mark.parametrize("outcome, extra, named", [
    ("disability", {"disability_grade": 7, "appraisal_date": "2026-01-10",
                    "parameters": {"benefit_base": "7384.00"}}, "一次性伤残补助金"),
    ("disability", {"disability_grade": 3, "appraisal_date": "2026-01-10",
                    "parameters": {"benefit_base": "7384.00"}}, "一次性伤残补助金、伤残津贴"),
    ("death", {"death_date": "2026-02-01", "death_cause": "injury", "dependants": [],
               "parameters": {"death_base": "4430.40", "national_urban_income": "54188"}}, "丧葬补助金"),
])
def test_a_relapse_refuses_lump_sums_and_monthly_items_naming_them(store, outcome, extra, named):
    r = relapse_case(store)
    result = computed(store, r.id, outcome=outcome, **extra)
    with pytest.raises(ClaimsError, match="复发案件只支付医疗待遇：" + named) as e:
        store.save_assessment(AGENT, r.id, result)
    assert "不适用" in e.value.message and "医疗费" in e.value.message  # what may be assessed
    assert store.assessments_of(r.id) == [] and store.case(r.id).state == S.confirmed  # nothing saved


def test_a_relapse_is_assessed_and_paid_for_its_medical_costs(store):
    r = relapse_case(store)
    assert store.benefit_input(r.id)[0]["outcome"] == "injury"  # whatever the original case was
    a, _ = store.assess(AGENT, r.id, medical={"medical_expenses": "3200.50", "hospital_days": 5},
                        parameters={"hospital_food_daily": "20"})
    res = json.loads(store.assessments_of(r.id)[-1].result_json)
    items = {i["code"]: i["amount"] for i in res["items"]}
    assert items == {"medical_expenses": "3200.50", "hospital_food_allowance": "100.00"}
    assert a.once_total_fen == 330050 and a.monthly_total_fen == 0
    store.approve_assessment(REVIEWER, a.id)
    pay, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=330050, payee="李强")
    store.approve_payment(REVIEWER, pay.id)
    store.transition(AGENT, r.id, S.paid)
    assert store.case(r.id).state == S.paid
    assert [p.amount_fen for p in store.payments_of(r.id)] == [330050]
