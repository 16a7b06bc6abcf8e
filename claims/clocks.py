"""Deadline clocks (rules.md §4) from data: days per state, calendar or working
days, with a holiday calendar that is data too."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from .resources import load_json


@lru_cache(maxsize=1)
def _calendar() -> tuple[frozenset[date], frozenset[date]]:
    years = load_json("rules/calendar.json")["years"]
    hol = {date.fromisoformat(d) for y in years.values() for d in y["holidays"]}
    work = {date.fromisoformat(d) for y in years.values() for d in y["workdays"]}
    return frozenset(hol), frozenset(work)


def is_working_day(d: date) -> bool:
    hol, work = _calendar()
    if d in work:
        return True
    return d.weekday() < 5 and d not in hol


def add_days(start: date, days: int, working: bool) -> date:
    if not working:
        return start + timedelta(days=days)
    d, n = start, 0
    while n < days:
        d += timedelta(days=1)
        if is_working_day(d):
            n += 1
    return d


def clock_for(state: str) -> dict | None:
    for c in load_json("rules/clocks.json")["clocks"]:
        if c["state"] == state:
            return c
    return None


def due_date(state: str, state_since: date, accepted_on: date | None) -> date | None:
    """When the clock of ``state`` runs out, or None when the state has no clock."""
    c = clock_for(state)
    if c is None:
        return None
    start = accepted_on if c["from"] == "accepted" and accepted_on else state_since
    return add_days(start, c["days"], c["working_days"])
