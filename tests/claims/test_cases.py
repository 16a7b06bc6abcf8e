"""Case lifecycle: every allowed transition, every refused one, clocks that
pause and resume, and maker-checker on payments."""
from datetime import date, datetime, timedelta

import pytest

from claims import lifecycle
from claims.enums import CaseState as S
from claims.errors import ClaimsError, InvalidTransition, PermissionDenied
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
AGENT2 = Actor("agent2", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
REVIEWER2 = Actor("rev2", role="reviewer")
T0 = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def world(store):
    p, _ = store.add_platform(AGENT, name="美团", industries=["food_delivery", "instant_delivery"])
    w, _ = store.add_worker(AGENT, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678",
                                    "bank_card": "6222021234567890128"})
    return store, p, w


def new_case(store, p, w, at=T0, **kw):
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="food_delivery", accident_at=at,
                             description="送餐途中摔倒", reported_at=at + timedelta(hours=2), **kw)
    return c


def decide(store, case_id, target, note=""):
    """A confirmation or refusal is a decision (the records of these cases show no order: an override reason)."""
    confirm = target == S.confirmed
    return store.decide(REVIEWER, case_id, confirm=confirm, situation_code="order_task" if confirm else "",
                        reasons="" if confirm else "事故发生时未处于执行订单任务期间",
                        override_reason="经调查核实，事故发生时其正在执行订单（平台记录尚未导入）")


def drive(store, case_id, path):
    for target in path:
        if target in lifecycle.REVIEWER_ONLY:
            decide(store, case_id, target)
        elif target == S.closed and store.case(case_id).state == S.rejected:
            store.close_with_waiver(AGENT, case_id, signed_by="张伟", signed_on=store.decisions_of(case_id)[-1].decided_on)
        else:
            store.transition(AGENT, case_id, target)


# a path of transitions that reaches each state from `reported`
REACH = {
    S.reported: [], S.awaiting_documents: [S.awaiting_documents], S.accepted: [S.accepted],
    S.investigating: [S.accepted, S.investigating], S.confirmed: [S.accepted, S.investigating, S.confirmed],
    S.rejected: [S.accepted, S.investigating, S.rejected],
    S.appraisal: [S.accepted, S.investigating, S.confirmed, S.appraisal],
    S.appraised: [S.accepted, S.investigating, S.confirmed, S.appraisal, S.appraised],
    S.assessed: [S.accepted, S.investigating, S.confirmed, S.assessed],
    S.paid: [S.accepted, S.investigating, S.confirmed, S.assessed, S.paid],
    S.closed: [S.accepted, S.investigating, S.rejected, S.closed], S.withdrawn: [S.withdrawn],
    S.disputed: [S.accepted, S.investigating, S.rejected, S.disputed],
    S.suspended: [S.accepted, S.suspended],
}

ALLOWED = [(a, b) for a in S for b in S if b in lifecycle.allowed(a, resume_to=None)]
REFUSED = [(a, b) for a in S for b in S if b not in lifecycle.allowed(a, resume_to=None) and a not in lifecycle.SIDE_STATES]


@pytest.mark.parametrize("frm,to", ALLOWED, ids=lambda s: s.value)
def test_every_allowed_transition_is_taken_and_recorded(world, frm, to):
    store, p, w = world
    c = new_case(store, p, w)
    drive(store, c.id, REACH[frm])
    actor = REVIEWER if to in lifecycle.REVIEWER_ONLY else AGENT
    if to in lifecycle.REVIEWER_ONLY:  # a decision, with its decision document
        _d, change = decide(store, c.id, to)
        note = store.case_events(c.id)[-1].note
    elif to == S.closed and frm == S.rejected:  # inside the review and lawsuit windows: on a written waiver
        _c, change = store.close_with_waiver(AGENT, c.id, signed_by="张伟",
                                             signed_on=store.decisions_of(c.id)[-1].decided_on)
        note = store.case_events(c.id)[-1].note
    else:
        _c, change = store.transition(actor, c.id, to, "说明")
        note = "说明"
    assert store.case(c.id).state == to
    last = store.case_events(c.id)[-1]
    assert (last.from_state, last.to_state, last.actor, last.note) == (frm, to, actor.username, note)
    assert c.id in change.ids


@pytest.mark.parametrize("frm,to", REFUSED, ids=lambda s: s.value)
def test_every_other_transition_is_refused_with_the_reason(world, frm, to):
    store, p, w = world
    c = new_case(store, p, w)
    drive(store, c.id, REACH[frm])
    n = len(store.case_events(c.id))
    with pytest.raises(InvalidTransition, match=frm.label):
        store.transition(REVIEWER, c.id, to)
    assert store.case(c.id).state == frm
    assert len(store.case_events(c.id)) == n


def test_side_states_resume_where_they_interrupted(world):
    store, p, w = world
    c = new_case(store, p, w)
    drive(store, c.id, [S.accepted, S.investigating, S.suspended])
    assert store.allowed_transitions(c.id)[0] == S.investigating
    with pytest.raises(InvalidTransition):
        store.transition(AGENT, c.id, S.accepted)
    store.transition(AGENT, c.id, S.investigating)
    assert store.case(c.id).state == S.investigating


def test_clock_pauses_while_suspended_and_resumes_with_what_was_left(world):
    store, p, w = world
    c = new_case(store, p, w)
    t = T0 + timedelta(days=1)
    store.transition(AGENT, c.id, S.accepted, at=t)
    # accepted Thursday 2025-09-04, 30 working days: 09-05, 09-08..26 (16), Sunday 09-28 worked (17),
    # 09-29..30 (19), National Day 10-01..08 off, 10-09..10 (21), Saturday 10-11 worked (22),
    # 10-13..17 (27), 10-20..22 (30). Suspended Tuesday 09-09: 09-05, 09-08, 09-09 used, 27 left.
    assert store.case(c.id).due_on == date(2025, 10, 22)
    store.transition(AGENT, c.id, S.suspended, at=t + timedelta(days=5))
    paused = store.case(c.id)
    assert paused.due_on is None and paused.clock_left == 27
    # resumed Sunday 2025-10-19: 27 working days from Monday 10-20 (five full weeks = 25, then 11-24, 11-25)
    store.transition(AGENT, c.id, S.accepted, at=t + timedelta(days=45))
    assert store.case(c.id).due_on == date(2025, 11, 25)


def test_decision_after_acceptance_counts_working_days(world):
    store, p, w = world
    c = new_case(store, p, w)
    store.transition(AGENT, c.id, S.accepted, at=datetime(2025, 9, 26, 9, tzinfo=SHANGHAI))
    # 30 working days from Friday 2025-09-26, skipping the National Day holiday (10-01..10-08)
    # and counting the make-up working days 09-28 and 10-11:
    # 09-28..09-30 = 3, 10-09..10-11 = 6, four full weeks to 11-07 = 26, 11-10..11-13 = 30.
    assert store.case(c.id).due_on == date(2025, 11, 13)


def test_only_a_reviewer_confirms(world):
    store, p, w = world
    c = new_case(store, p, w)
    drive(store, c.id, [S.accepted, S.investigating])
    with pytest.raises(PermissionDenied):
        store.decide(AGENT, c.id, confirm=True, situation_code="order_task", override_reason="调查核实")
    d, _ = store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", override_reason="调查核实")
    assert d.number.startswith(f"QR{d.decided_on.year}-TEST-") and store.case(c.id).state == S.confirmed


def test_duplicate_report_is_shown_before_a_second_case(world):
    store, p, w = world
    new_case(store, p, w, order_no="D1")
    with pytest.raises(ClaimsError, match="可能重复报案"):
        new_case(store, p, w, at=T0 + timedelta(hours=3))
    with pytest.raises(ClaimsError, match="可能重复报案"):
        new_case(store, p, w, at=T0 + timedelta(days=3), order_no="D1")
    assert new_case(store, p, w, at=T0 + timedelta(days=3), order_no="D2")


def test_case_numbers_include_the_site_and_are_sequential(world):
    store, p, w = world
    a = new_case(store, p, w)
    b = new_case(store, p, w, at=T0 + timedelta(days=2))
    assert a.number == "BA2025-TEST-00001" and b.number == "BA2025-TEST-00002"


def _assessed(store, p, w):
    c = new_case(store, p, w)
    drive(store, c.id, [S.accepted, S.investigating, S.confirmed])
    result = {"rule_set": "pilot-2025", "items": [], "once_total": "95992.00", "monthly_total": "0.00"}
    a, _ = store.save_assessment(AGENT, c.id, result)
    return c, a


def test_the_preparer_cannot_approve_a_payment(world):
    store, p, w = world
    c, a = _assessed(store, p, w)
    with pytest.raises(ClaimsError, match="尚未批准"):
        store.prepare_payment(AGENT, a.id, kind="once", amount_fen=100, payee="张伟")
    store.approve_assessment(REVIEWER, a.id)
    pay, _ = store.prepare_payment(REVIEWER, a.id, kind="once", amount_fen=9599200, payee="张伟")
    with pytest.raises(PermissionDenied, match="不能批准自己"):
        store.approve_payment(REVIEWER, pay.id)
    with pytest.raises(PermissionDenied, match="无权审批支付"):
        store.approve_payment(AGENT2, pay.id)
    done, _ = store.approve_payment(REVIEWER2, pay.id, reference="流水1")
    assert done.status.value == "approved" and done.approved_by == "rev2" and done.prepared_by == "rev1"
    with pytest.raises(ClaimsError, match="已审批"):
        store.approve_payment(REVIEWER2, pay.id)


def test_assessor_cannot_approve_own_assessment(world):
    store, p, w = world
    c, a = _assessed(store, p, w)
    with pytest.raises(PermissionDenied):
        store.approve_assessment(Actor("agent1", role="reviewer"), a.id)


def test_reappraisal_replaces_and_keeps_history(world):
    store, p, w = world
    c = new_case(store, p, w)
    drive(store, c.id, [S.accepted, S.investigating, S.confirmed, S.appraisal])
    store.record_appraisal(AGENT, c.id, grade=9, care_level=None, conclusion_no="沪劳鉴1", concluded_on=date(2025, 11, 1))
    store.transition(AGENT, c.id, S.appraisal, "申请再次鉴定")
    store.record_appraisal(AGENT, c.id, grade=7, care_level=None, conclusion_no="沪劳鉴2", concluded_on=date(2025, 12, 1),
                           kind="re_appraisal")
    apps = store.appraisals_of(c.id)
    assert [(a.grade, a.current) for a in apps] == [(9, False), (7, True)]


def test_documents_are_copied_by_content_hash(world, tmp_path):
    store, p, w = world
    c = new_case(store, p, w)
    src = tmp_path / "诊断证明.pdf"
    src.write_bytes(b"%PDF-1.4 test")
    d, _ = store.add_document(AGENT, c.id, doc_type="diagnosis", pages=2, file_path=src)
    src.unlink()  # the original moves away: the copy stays
    kept = store.files_dir / d.content_hash[:2] / d.content_hash
    assert kept.read_bytes() == b"%PDF-1.4 test"
