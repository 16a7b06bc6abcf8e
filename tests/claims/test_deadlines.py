"""Deadlines as the law counts them (rules.md §4, 民法典 arts. 201–203), with
dates computed by hand from the calendar: the start day is not counted; a
calendar-day period ending on a holiday or a weekend that is not a make-up
workday ends on the next working day; months end on the corresponding day;
a paused working-day clock resumes in working days; a missing year is an error."""
from datetime import date, datetime, timedelta

import pytest

from claims import cli
from claims.clocks import CalendarMissing, Calendar, due_date, rights_windows, shipped_calendar
from claims.enums import CaseState as S
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
ADMIN = Actor("admin1", role="admin")


@pytest.mark.parametrize("state,start,due,why", [
    # 30 calendar days from 2026-09-03 end on Saturday 2026-10-03, in the National Day holiday (10-01..07):
    # the next working day is Thursday 2026-10-08
    ("reported", date(2026, 9, 3), date(2026, 10, 8), "holiday"),
    # 30 days from Friday 2026-10-16 end on Sunday 2026-11-15: Monday 2026-11-16
    ("reported", date(2026, 10, 16), date(2026, 11, 16), "sunday"),
    # 30 days from 2026-08-21 end on Sunday 2026-09-20, a make-up workday: it stays
    ("awaiting_documents", date(2026, 8, 21), date(2026, 9, 20), "make-up sunday"),
    # 30 days from 2027-01-06 end on Friday 2027-02-05 (除夕); 02-06..08 are the Spring Festival
    # (Saturday, Sunday, Monday): Tuesday 2027-02-09
    ("reported", date(2027, 1, 6), date(2027, 2, 9), "2027 spring festival"),
    # 60 days from 2027-07-17 end on Wednesday 2027-09-15 (中秋): Thursday 2027-09-16
    ("appraisal", date(2027, 7, 17), date(2027, 9, 16), "2027 mid-autumn"),
    # 15 days from 2026-06-01 end on Tuesday 2026-06-16, a working day
    ("appraised", date(2026, 6, 1), date(2026, 6, 16), "plain"),
])
def test_calendar_day_deadlines_end_on_a_working_day(state, start, due, why):
    assert due_date(state, start, None) == due


@pytest.mark.parametrize("accepted,due", [
    # 30 working days from Tuesday 2026-01-20: 01-21..23 (3), 01-26..02-13 (18), Saturday 02-14 worked (19),
    # Spring Festival 02-15..23 off, 02-24..27 (23), Saturday 02-28 worked (24), 03-02..06 (29), 03-09 (30)
    (date(2026, 1, 20), date(2026, 3, 9)),
    # in 2027 (statutory days only, shipped unconfirmed): from Friday 2027-09-10, 09-13..14 (2), 09-15 中秋 off,
    # 09-16..17 (4), 09-20..24 (9), 09-27..30 (13), 10-01 off and 10-02..03 a weekend, 10-04..08 (18),
    # 10-11..15 (23), 10-18..22 (28), 10-25..26 (30)
    (date(2027, 9, 10), date(2027, 10, 26)),
])
def test_working_day_deadlines(accepted, due):
    assert due_date("accepted", accepted, accepted) == due


@pytest.mark.parametrize("served,review,lawsuit", [
    # review: 60 days from 2026-08-04 end on 2026-10-03 (holiday): 2026-10-08;
    # lawsuit: 6 months end on Thursday 2027-02-04
    (date(2026, 8, 4), date(2026, 10, 8), date(2027, 2, 4)),
    # 60 days from 2026-08-31: Friday 2026-10-30; 6 months: 2027-02-31 does not exist, so the month's last
    # day, Sunday 2027-02-28: Monday 2027-03-01
    (date(2026, 8, 31), date(2026, 10, 30), date(2027, 3, 1)),
    # 6 months from 2026-08-06 end on Saturday 2027-02-06, in the Spring Festival (02-05..08): 2027-02-09
    (date(2026, 8, 6), date(2026, 10, 8), date(2027, 2, 9)),
])
def test_review_and_lawsuit_windows(served, review, lawsuit):
    assert rights_windows(served) == (review, lawsuit)


def test_a_missing_year_is_an_error_never_a_year_of_weekdays():
    cal = Calendar({y: c for y, c in shipped_calendar().years.items() if y != 2027})
    with pytest.raises(CalendarMissing, match="2027"):
        cal.add_days(date(2026, 12, 20), 30, False)  # ends 2027-01-19: is it a holiday? Nobody knows
    with pytest.raises(CalendarMissing, match="设置 › 节假日"):
        cal.add_days(date(2026, 12, 28), 5, True)
    assert cal.add_days(date(2026, 11, 2), 30, False) == date(2026, 12, 2)  # within the known years: fine


@pytest.fixture
def world(store):
    p, _ = store.add_platform(AGENT, name="达达", industries=["instant_delivery"])
    w, _ = store.add_worker(AGENT, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    return store, p, w


def _case(store, p, w, at):
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=at,
                             description="摔倒", reported_at=at + timedelta(hours=1))
    return c


def test_a_pause_over_the_spring_festival_resumes_in_working_days(world):
    store, p, w = world
    c = _case(store, p, w, datetime(2026, 1, 15, 10, tzinfo=SHANGHAI))
    store.transition(AGENT, c.id, S.accepted, at=datetime(2026, 1, 20, 9, tzinfo=SHANGHAI))
    assert store.case(c.id).due_on == date(2026, 3, 9)
    # suspended Tuesday 2026-02-10: used 01-21..23, 01-26..30, 02-02..06, 02-09..10 = 15; 15 working days left
    store.transition(AGENT, c.id, S.suspended, "等待交警认定", at=datetime(2026, 2, 10, 16, tzinfo=SHANGHAI))
    assert store.case(c.id).clock_left == 15
    # resumed Wednesday 2026-02-25: 02-26, 02-27 (2), Saturday 02-28 worked (3), 03-02..06 (8), 03-09..13 (13),
    # 03-16 (14), 03-17 (15) — not 15 calendar days (03-12)
    store.transition(AGENT, c.id, S.accepted, "交警认定已出", at=datetime(2026, 2, 25, 9, tzinfo=SHANGHAI))
    assert store.case(c.id).due_on == date(2026, 3, 17)


def test_a_deadline_in_a_missing_year_is_refused_and_says_so(world):
    store, p, w = world
    c = _case(store, p, w, datetime(2026, 11, 2, 10, tzinfo=SHANGHAI))
    with pytest.raises(CalendarMissing, match="2028"):  # 30 working days from 2027-12-10 reach into 2028
        store.transition(AGENT, c.id, S.accepted, at=datetime(2027, 12, 10, 9, tzinfo=SHANGHAI))
    assert store.case(c.id).state == S.reported
    errors, _w = store.calendar_problems(date(2027, 8, 1))
    assert any("2028" in e for e in errors)
    assert store.calendar_problems(date(2026, 12, 7))[0] == []


def test_an_administrator_enters_a_year_and_deadlines_use_it(world):
    store, p, w = world
    with pytest.raises(Exception, match="周六或周日"):
        store.set_calendar_year(ADMIN, 2028, holidays=["2028-01-01"], workdays=["2028-01-05"], status="confirmed",
                                source="国办通知")
    store.set_calendar_year(ADMIN, 2028, holidays=["2028-01-01", "2028-01-24", "2028-01-25", "2028-01-26"],
                            workdays=["2028-01-29"], status="unconfirmed", source="测试录入")
    # 30 days from 2027-12-26 end on Tuesday 2028-01-25, a holiday entered above: Thursday 2028-01-27
    assert store.calendar().add_days(date(2027, 12, 26), 30, False) == date(2028, 1, 27)
    row = store.conn.execute("SELECT actor, table_name FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(row) == ("admin1", "holiday_calendar")
    # an administrator's correction of a shipped year replaces it
    store.set_calendar_year(ADMIN, 2027, holidays=["2027-01-01", "2027-01-04"], workdays=[], status="confirmed",
                            source="国办发明电〔2026〕X号")
    assert not store.calendar().is_working_day(date(2027, 1, 4))
    assert store.calendar().is_working_day(date(2027, 2, 8))  # no longer in the corrected year's list


def test_check_shows_a_missing_year(tmp_path, monkeypatch, capsys):
    from claims import timeutil
    db = tmp_path / "c.db"
    assert cli.run(cli.build_parser("t").parse_args(["init", "--db", str(db)]), None) == 0
    capsys.readouterr()
    monkeypatch.setattr(timeutil, "today", lambda: date(2027, 9, 1))
    assert cli.run(cli.build_parser("t").parse_args(["check", "--db", str(db)]), None) == 2
    text = capsys.readouterr().out
    assert "缺少 2028 年的节假日安排" in text and "2027 年的节假日安排尚未确认" in text
