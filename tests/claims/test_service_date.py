"""送达日期: the review (60 days) and lawsuit (6 months) windows run from the day
the applicant received the decision, the start day not counted and a last day
on a weekend or holiday moved to the next working day (rules.md §4, the shipped
calendar). Until the service is recorded they run provisionally from the
decision date. Recording it later checks the decision's row version and is audited."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from claims.enums import CaseState as S
from claims.errors import FieldError, StaleRecord
from claims.store import Actor
from claims.timeutil import SHANGHAI, today

AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
ADMIN = Actor("admin1", role="admin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def case(store):
    p, _ = store.add_platform(ADMIN, name="达达", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=at("2026-03-10T15:00:00"), place="虹漕路", description="摔倒",
                             reported_at=at("2026-03-10T17:00:00"))
    store.transition(AGENT, c.id, S.accepted, at=at("2026-03-12T10:00:00"))
    store.transition(AGENT, c.id, S.investigating, at=at("2026-03-13T10:00:00"))
    return store, c


# served -> (last day to apply for review, last day to sue), by hand from the 2026/2027 calendars
@pytest.mark.parametrize("served, review, lawsuit", [
    (date(2026, 9, 5), date(2026, 11, 4), date(2027, 3, 5)),   # +60: 11-04 (Wed); +6 months: 03-05 (Fri)
    (date(2026, 9, 6), date(2026, 11, 5), date(2027, 3, 8)),   # 2027-03-06 is a Saturday: Monday 03-08
    (date(2026, 8, 4), date(2026, 10, 8), date(2027, 2, 4)),   # 10-03 falls in National Day: 10-08
])
def test_the_windows_run_from_the_service_date(case, served, review, lawsuit):
    store, c = case
    d, _ = store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", decided_on=date(2026, 8, 4),
                        served_on=served)  # entered today for a decision dated 08-04
    got = store.case(c.id)
    assert d.served_on == served and (got.review_until, got.lawsuit_until) == (review, lawsuit)
    assert got.due_on == lawsuit  # a refused case may be closed once both have run out
    assert store.windows_provisional(c.id) is None


def test_without_a_service_date_the_windows_run_provisionally_from_the_decision(case):
    store, c = case
    d, _ = store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-09-01T10:00:00"))
    assert d.served_on is None and store.windows_provisional(c.id).id == d.id
    got = store.case(c.id)
    # from 09-01: +60 is 10-31, a Saturday: Monday 11-02; +6 months 2027-03-01 (Mon)
    assert (got.review_until, got.lawsuit_until) == (date(2026, 11, 2), date(2027, 3, 1))
    store.record_service(AGENT, d.id, date(2026, 9, 5), expected_version=d.row_version)
    got = store.case(c.id)
    assert (got.review_until, got.lawsuit_until) == (date(2026, 11, 4), date(2027, 3, 5))
    assert store.windows_provisional(c.id) is None
    audited = [e for e in store.audit_entries(ADMIN, record=c.number) if e.table_name == "decisions"
               and "served_on" in json.loads(e.changes)]
    assert audited and audited[0].actor == "agent1" and json.loads(audited[0].changes)["served_on"] == [
        None, "2026-09-05"]


def test_a_service_date_before_the_decision_or_in_the_future_is_refused(case):
    store, c = case
    with pytest.raises(FieldError, match="送达日期"):
        store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-09-01T10:00:00"),
                     served_on=date(2026, 8, 31))
    assert store.case(c.id).state == S.investigating and store.decisions_of(c.id) == []  # nothing changed
    with pytest.raises(FieldError, match="不能晚于今天"):
        store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-09-01T10:00:00"),
                     served_on=today() + timedelta(days=1))
    d, _ = store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-09-01T10:00:00"))
    with pytest.raises(FieldError, match="不能早于结论日期 2026-09-01"):
        store.record_service(AGENT, d.id, date(2026, 8, 30))
    with pytest.raises(FieldError, match="不能晚于今天"):
        store.record_service(AGENT, d.id, today() + timedelta(days=1))
    assert store.decisions_of(c.id)[-1].served_on is None


def test_recording_the_service_over_a_newer_version_is_refused(case):
    store, c = case
    d, _ = store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-09-01T10:00:00"))
    store.record_service(AGENT, d.id, date(2026, 9, 3), expected_version=d.row_version)  # another clerk
    with pytest.raises(StaleRecord):
        store.record_service(AGENT, d.id, date(2026, 9, 5), expected_version=d.row_version)  # read before
    assert store.decisions_of(c.id)[-1].served_on == date(2026, 9, 3)
    assert store.case(c.id).review_until == date(2026, 11, 2)
