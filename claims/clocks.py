"""Deadline clocks (rules.md §4) from data, counted as the law counts them
(民法典 arts. 201–203): the day a period starts is not counted; a period of
calendar days (or months) that ends on a weekend or public holiday that is
not a make-up workday ends on the next working day instead; a period of
working days counts working days only. The holiday calendar is data
(``resources/rules/calendar.json``, corrected by an administrator in the
database: ``Store.calendar()``); a year the calendar does not hold is an
error (``CalendarMissing``), never a year of plain weekdays."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .errors import ClaimsError
from .i18n import _
from .resources import load_json

# How far ahead deadlines reach from today (the lawsuit window of a decision
# made today: 6 months, moved past a holiday): the years the calendar must hold.
HORIZON_DAYS = 200
WHERE_TO_ENTER = "设置 › 节假日"


class CalendarMissing(ClaimsError):
    """A deadline needs a year the holiday calendar does not hold."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(_("缺少 {y} 年的节假日安排，无法按法定节假日计算时限：请管理员在“{w}”中录入 {y} 年的"
                           "法定节假日和调休上班日（国务院办公厅每年发布）").format(y=year, w=WHERE_TO_ENTER))


@dataclass(frozen=True)
class CalendarYear:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # make-up working days on a weekend (调休上班)
    status: str = "unconfirmed"
    source: str = ""
    origin: str = "shipped"  # shipped (resources/rules/calendar.json) or database (entered by an administrator)

    @classmethod
    def from_data(cls, year: int, data: dict, origin: str = "shipped") -> "CalendarYear":
        return cls(year=year, holidays=frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
                   workdays=frozenset(date.fromisoformat(d) for d in data.get("workdays", [])),
                   status=data.get("status", "unconfirmed"), source=data.get("source", ""), origin=origin)


@dataclass(frozen=True)
class Calendar:
    years: dict[int, CalendarYear] = field(default_factory=dict)

    def year(self, y: int) -> CalendarYear:
        try:
            return self.years[y]
        except KeyError:
            raise CalendarMissing(y) from None

    def is_working_day(self, d: date) -> bool:
        cy = self.year(d.year)
        if d in cy.workdays:
            return True
        return d.weekday() < 5 and d not in cy.holidays

    def on_working_day(self, d: date) -> date:
        """``d``, or the next working day when ``d`` is a weekend or holiday (民法典 art. 203)."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_days(self, start: date, days: int, working: bool) -> date:
        """The last day of a period of ``days`` days starting on ``start`` (not counted)."""
        if not working:
            return self.on_working_day(start + timedelta(days=days))
        d, n = start, 0
        while n < days:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n += 1
        return d

    def add_months(self, start: date, months: int) -> date:
        """The last day of a period of ``months`` months: the same day of the
        month, or the month's last day when it has none (民法典 art. 202),
        moved past a weekend or holiday."""
        k = start.year * 12 + start.month - 1 + months
        y, m = k // 12, k % 12 + 1
        last = ((date(y, m, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
        return self.on_working_day(date(y, m, min(start.day, last)))

    def left(self, due: date, on: date, working: bool) -> int:
        """What is left of a clock ending on ``due`` when it stops on ``on``:
        calendar days, or working days for a working-day clock."""
        if not working:
            return (due - on).days
        if due <= on:
            return -sum(1 for k in range((on - due).days) if self.is_working_day(due + timedelta(days=k + 1)))
        return sum(1 for k in range((due - on).days) if self.is_working_day(on + timedelta(days=k + 1)))

    def resume(self, on: date, left: int, working: bool) -> date:
        """The new end of a clock that resumes on ``on`` with ``left`` days (or working days) left."""
        if left <= 0:
            return on + timedelta(days=left) if not working else on
        return self.add_days(on, left, working)

    def missing(self, first: date, last: date) -> list[int]:
        return [y for y in range(first.year, last.year + 1) if y not in self.years]


def _shipped_years() -> dict[int, CalendarYear]:
    return {int(y): CalendarYear.from_data(int(y), data) for y, data in load_json("rules/calendar.json")["years"].items()}


@lru_cache(maxsize=1)
def shipped_calendar() -> Calendar:
    return Calendar(_shipped_years())


def merged_calendar(overrides: dict[int, dict]) -> Calendar:
    """The shipped years with the administrator's years (database rows) over them."""
    years = _shipped_years()
    for y, data in overrides.items():
        years[int(y)] = CalendarYear.from_data(int(y), data, origin="database")
    return Calendar(years)


# --- clocks ---------------------------------------------------------------------------

def clocks_data() -> dict:
    return load_json("rules/clocks.json")


def clock_for(state: str) -> dict | None:
    for c in clocks_data()["clocks"]:
        if c["state"] == state:
            return c
    return None


def due_date(state: str, state_since: date, accepted_on: date | None, cal: Calendar | None = None) -> date | None:
    """When the clock of ``state`` runs out, or None when the state has no clock."""
    c = clock_for(state)
    if c is None:
        return None
    start = accepted_on if c["from"] == "accepted" and accepted_on else state_since
    return (cal or shipped_calendar()).add_days(start, c["days"], c["working_days"])


def direct_apply_due(accident_day: date, cal: Calendar | None = None) -> date:
    """The last day a worker or relatives may apply directly (days from the accident)."""
    d = clocks_data().get("direct_apply", {"days": 90})
    return (cal or shipped_calendar()).add_days(accident_day, d["days"], False)


def rights_windows(served_on: date, cal: Calendar | None = None) -> tuple[date, date]:
    """The last day to apply for administrative review, and to sue, after a
    decision is received on ``served_on`` (rules.md §3: 60 days, 6 months)."""
    r = clocks_data().get("rights", {})
    cal = cal or shipped_calendar()
    review = cal.add_days(served_on, r.get("review", {}).get("days", 60), False)
    lawsuit = cal.add_months(served_on, r.get("lawsuit", {}).get("months", 6))
    return review, lawsuit
