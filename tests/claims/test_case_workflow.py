"""Case work beyond the bare lifecycle: the document checklist per case type,
the single notice of everything missing, monthly payment schedules under
maker-checker, and what the home screen lists for each role."""
from datetime import date, datetime, timedelta

import pytest

from claims import checklist as rules
from claims.enums import CaseState as S
from claims.errors import ClaimsError, FieldError, PermissionDenied
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
AGENT2 = Actor("agent2", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
REVIEWER2 = Actor("rev2", role="reviewer")
T0 = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)
ALWAYS = ["id_card", "order_record", "diagnosis", "consent"]


@pytest.fixture
def world(store):
    p, _ = store.add_platform(AGENT, name="美团", industries=["food_delivery", "instant_delivery"])
    w, _ = store.add_worker(AGENT, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678",
                                    "bank_card": "6222021234567890128"})
    return store, p, w


def new_case(store, p, w, at=T0, **kw):
    kw.setdefault("description", "送餐途中摔倒")
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="food_delivery", accident_at=at,
                             reported_at=at + timedelta(hours=2), allow_duplicate=True, **kw)
    return c


def codes(rows):
    return [r.doc_type for r in rows]


# -- checklist -------------------------------------------------------------------

@pytest.mark.parametrize("case_type,hospital,extra", [
    ("injury", "", []),
    ("injury", "瑞金医院", ["medical_records"]),
    ("traffic", "", ["traffic_finding"]),
    ("violence", "", ["police_finding"]),
    ("death", "", ["death_records", "kinship_proof"]),
    ("traffic", "瑞金医院", ["medical_records", "traffic_finding"]),
])
def test_checklist_depends_on_the_case_type(world, case_type, hospital, extra):
    store, p, w = world
    c = new_case(store, p, w, case_type=case_type, hospital=hospital)
    rows = store.checklist(c.id)
    assert codes(rows) == ALWAYS + extra + ["bank_account"]
    assert all(r.label and r.reason and not r.received for r in rows)


def test_refused_and_withdrawn_cases_need_no_bank_account(world):
    store, p, w = world
    c = new_case(store, p, w)
    store.transition(AGENT, c.id, S.withdrawn, "申请人撤回")
    assert "bank_account" not in codes(store.checklist(c.id))


def test_checklist_counts_pages_and_latest_date(world):
    store, p, w = world
    c = new_case(store, p, w)
    store.add_document(AGENT, c.id, doc_type="diagnosis", pages=2, received_on=date(2025, 9, 4))
    store.add_document(AGENT, c.id, doc_type="diagnosis", pages=1, received_on=date(2025, 9, 6))
    store.add_document(AGENT, c.id, doc_type="photo", pages=3)  # not on the checklist: kept, not listed
    row = next(r for r in store.checklist(c.id) if r.doc_type == "diagnosis")
    assert tuple(row) == ("diagnosis", rules.document_label("diagnosis"), row.reason, True, 3, date(2025, 9, 6))
    assert "diagnosis" not in codes(store.missing_documents(c.id))


# -- one-time notice ---------------------------------------------------------------

def test_one_notice_lists_everything_missing_and_starts_the_clock(world):
    store, p, w = world
    c = new_case(store, p, w, case_type="traffic", hospital="瑞金医院")
    store.add_document(AGENT, c.id, doc_type="id_card", pages=1)
    at = T0 + timedelta(days=1)
    notice, change = store.issue_missing_notice(AGENT, c.id, at=at)
    assert [i["doc_type"] for i in notice.items] == ["order_record", "diagnosis", "consent", "medical_records",
                                                      "traffic_finding", "bank_account"]
    assert all(i["name"] and i["reason"] for i in notice.items)
    assert notice.number == f"{c.number}-BZ01" and notice.issued_on == at.date()
    case = store.case(c.id)
    assert case.state == S.awaiting_documents
    # 30 days from 2025-09-04 end on 10-04, in the National Day holiday (10-01..08): Thursday 10-09
    assert case.due_on == date(2025, 10, 9) == notice.due_on
    last = store.case_events(c.id)[-1]
    assert last.to_state == S.awaiting_documents and notice.number in last.note
    assert c.id in change.ids and "missing_notices" in change.tables


def test_a_second_notice_is_refused_while_one_is_open(world):
    store, p, w = world
    c = new_case(store, p, w)
    first, _ = store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=1))
    store.add_document(AGENT, c.id, doc_type="diagnosis")
    with pytest.raises(ClaimsError, match="一次性告知"):
        store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=2))
    assert [n.number for n in store.missing_notices_of(c.id)] == [first.number]


def test_a_new_requirement_allows_a_notice_that_replaces_the_open_one(world):
    store, p, w = world
    c = new_case(store, p, w)
    first, _ = store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=1))
    store.add_document(AGENT, c.id, doc_type="id_card")
    # the applicant now says they were treated in hospital: medical records become required
    store.conn.execute("UPDATE cases SET hospital = '瑞金医院' WHERE id = ?", (c.id,))
    second, _ = store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=5))
    assert "medical_records" in [i["doc_type"] for i in second.items]
    assert "id_card" not in [i["doc_type"] for i in second.items]
    notices = {n.number: n for n in store.missing_notices_of(c.id)}
    assert notices[first.number].status == "superseded" and notices[second.number].status == "open"
    # 30 days from 2025-09-08 end on 10-08, the last day of the National Day holiday: Thursday 10-09
    assert store.case(c.id).due_on == date(2025, 10, 9)


def test_notice_closes_when_the_case_is_accepted_and_a_later_notice_is_possible(world):
    store, p, w = world
    c = new_case(store, p, w)
    first, _ = store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=1))
    for row in store.missing_documents(c.id):
        store.add_document(AGENT, c.id, doc_type=row.doc_type)
    store.transition(AGENT, c.id, S.accepted, "材料齐全")
    assert store.open_missing_notice(c.id) is None
    assert store.missing_notices_of(c.id)[0].status == "closed"
    with pytest.raises(ClaimsError, match="材料已齐全"):
        store.issue_missing_notice(AGENT, c.id)


def test_suspension_keeps_the_notice_open(world):
    store, p, w = world
    c = new_case(store, p, w)
    store.issue_missing_notice(AGENT, c.id, at=T0 + timedelta(days=1))
    store.transition(AGENT, c.id, S.suspended, "等待交警认定")
    assert store.open_missing_notice(c.id) is not None
    store.transition(AGENT, c.id, S.awaiting_documents, "恢复")
    assert store.open_missing_notice(c.id) is not None


def test_station_manager_cannot_issue_a_notice(world):
    store, p, w = world
    c = new_case(store, p, w)
    with pytest.raises(PermissionDenied):
        store.issue_missing_notice(Actor("sm", role="station_manager"), c.id)


# -- decisions and appraisals: the data decides -------------------------------------

def test_decision_situation_codes_come_from_the_data(world):
    store, p, w = world
    c = new_case(store, p, w)
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    with pytest.raises(FieldError, match="未知的情形"):
        store.decide(REVIEWER, c.id, confirm=True, situation_code="nonsense", legal_basis="x")
    with pytest.raises(FieldError, match="不得认定"):
        store.decide(REVIEWER, c.id, confirm=True, situation_code="intoxication", legal_basis="x")
    d, _ = store.decide(REVIEWER, c.id, confirm=False, situation_code="intoxication", reasons="事故时醉酒")
    assert d.kind == "refuse" and d.number.startswith("BQ")


def test_appraisal_care_level_is_checked(world):
    store, p, w = world
    c = new_case(store, p, w)
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task",
                 override_reason="调查核实：事故时正在执行订单（平台记录未导入）")
    store.transition(AGENT, c.id, S.appraisal)
    with pytest.raises(FieldError, match="生活自理"):
        store.record_appraisal(AGENT, c.id, grade=3, care_level="some", conclusion_no="鉴1",
                               concluded_on=date(2025, 11, 1))


# -- payments -------------------------------------------------------------------------

def _approved_assessment(store, p, w, once="30000.00", monthly="5533.50"):
    c = new_case(store, p, w)
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t)
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task",
                 override_reason="调查核实：事故时正在执行订单（平台记录未导入）")
    a, _ = store.save_assessment(AGENT, c.id, {"rule_set": "pilot-2025", "items": [], "once_total": once,
                                                "monthly_total": monthly})
    store.approve_assessment(REVIEWER, a.id)
    return c, a


def test_monthly_schedule_prepares_one_payment_per_month(world):
    store, p, w = world
    c, a = _approved_assessment(store, p, w)
    pays, change = store.schedule_monthly_payments(AGENT, a.id, "2025-11", 3)
    assert [(x.period_month, x.amount_fen, x.kind, x.status.value) for x in pays] == [
        ("2025-11", 553350, "monthly", "prepared"), ("2025-12", 553350, "monthly", "prepared"),
        ("2026-01", 553350, "monthly", "prepared")]
    assert [x.due_on for x in pays] == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert all(x.payee == "张伟" and x.account == w.bank_card and x.prepared_by == "agent1" for x in pays)
    assert len({x.number for x in pays}) == 3 and c.id in change.ids
    with pytest.raises(FieldError, match="2025-12"):
        store.schedule_monthly_payments(AGENT, a.id, "2025-12", 2)


def test_each_monthly_payment_is_approved_by_another_user(world):
    store, p, w = world
    c, a = _approved_assessment(store, p, w)
    pays, _ = store.schedule_monthly_payments(AGENT, a.id, "2025-11", 2)
    with pytest.raises(PermissionDenied, match="无权审批"):
        store.approve_payment(AGENT2, pays[0].id)
    store.approve_payment(REVIEWER, pays[0].id, reference="流水A")
    assert [x.status.value for x in store.payments_of(c.id)] == ["approved", "prepared"]
    mine, _ = store.schedule_monthly_payments(REVIEWER, a.id, "2026-01", 1)
    with pytest.raises(PermissionDenied, match="不能批准自己"):
        store.approve_payment(REVIEWER, mine[0].id)
    store.approve_payment(REVIEWER2, mine[0].id)


def test_monthly_schedule_needs_monthly_items_and_an_approved_assessment(world):
    store, p, w = world
    c, a = _approved_assessment(store, p, w, monthly="0.00")
    with pytest.raises(ClaimsError, match="没有按月"):
        store.schedule_monthly_payments(AGENT, a.id, "2025-11", 2)
    with pytest.raises(FieldError, match="月份"):
        store.schedule_monthly_payments(AGENT, a.id, "2025/13", 2)
    with pytest.raises(PermissionDenied):
        store.schedule_monthly_payments(Actor("sm", role="station_manager"), a.id, "2025-11", 2)


def test_one_off_payments_cannot_exceed_the_assessed_total(world):
    store, p, w = world
    c, a = _approved_assessment(store, p, w, once="300.00")
    store.prepare_payment(AGENT, a.id, kind="once", amount_fen=20000, payee="张伟")
    with pytest.raises(FieldError, match="最多 ¥100.00"):
        store.prepare_payment(AGENT, a.id, kind="once", amount_fen=10001, payee="张伟")
    store.prepare_payment(AGENT, a.id, kind="once", amount_fen=10000, payee="张伟")


def test_an_assessment_is_approved_once(world):
    store, p, w = world
    c, a = _approved_assessment(store, p, w)
    with pytest.raises(ClaimsError, match="已批准"):
        store.approve_assessment(REVIEWER2, a.id)


# -- home screen ------------------------------------------------------------------------

def test_what_waits_for_a_reviewer_and_for_an_agent(world):
    store, p, w = world
    fresh = new_case(store, p, w, at=T0 + timedelta(days=20))
    inv = new_case(store, p, w, at=T0 + timedelta(days=10))
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, inv.id, t)
    c, a = _approved_assessment(store, p, w)
    draft_case = new_case(store, p, w, at=T0 + timedelta(days=30))
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, draft_case.id, t)
    store.decide(REVIEWER, draft_case.id, confirm=True, situation_code="order_task",
                 override_reason="调查核实：事故时正在执行订单（平台记录未导入）")
    draft, _ = store.save_assessment(AGENT, draft_case.id, {"rule_set": "pilot-2025", "items": [],
                                                            "once_total": "1.00", "monthly_total": "0.00"})
    by_agent, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=100, payee="张伟")
    by_rev, _ = store.prepare_payment(REVIEWER, a.id, kind="once", amount_fen=100, payee="张伟")

    rev = store.my_tasks(REVIEWER)
    assert [x.id for x in rev["cases"]] == [inv.id]
    assert [x.id for x in rev["assessments"]] == [draft.id]
    assert [x.id for x in rev["payments"]] == [by_agent.id]  # not the one rev1 prepared
    assert {x.id for x in store.my_tasks(REVIEWER2)["payments"]} == {by_agent.id, by_rev.id}

    agent = store.my_tasks(AGENT)
    assert {x.id for x in agent["cases"]} == {fresh.id, inv.id, c.id, draft_case.id}
    assert agent["assessments"] == [] and agent["payments"] == []
    store.transition(AGENT, fresh.id, S.withdrawn)
    assert fresh.id not in {x.id for x in store.my_tasks(AGENT)["cases"]}


def test_agent_tasks_come_earliest_deadline_first(world):
    store, p, w = world
    a = new_case(store, p, w, at=T0)
    b = new_case(store, p, w, at=T0 - timedelta(days=10))
    ids = [x.id for x in store.cases_waiting_for(AGENT)]
    assert ids == [b.id, a.id]


def test_a_version_1_database_gains_the_notices_table(tmp_path, monkeypatch):
    from claims.store import Store, base, schema
    monkeypatch.setattr(base, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(base, "HEAD", 1)
    Store(tmp_path / "old.db", "TEST", create=True).close()
    monkeypatch.undo()
    s = Store(tmp_path / "old.db", "TEST")
    assert s.schema_version >= 2 and s.conn.execute("SELECT count(*) FROM missing_notices").fetchone()[0] == 0
    assert s.migration_backup.exists()
    s.close()
