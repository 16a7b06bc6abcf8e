"""Months of the monthly benefits (伤残津贴, 生活护理费, 供养亲属抚恤金): month
arithmetic on "YYYY-MM" strings, and when an entitlement ends — a dependant's
own end date (a child at 18 by default, from the rule set), or the statutory
retirement age (``resources/rules/retirement.json``: data, never constants).
When an item starts and whether the end month is paid are rule-set data too
(``timing``); the code holds only the shape."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import FieldError
from .i18n import _
from .resources import load_json


def month_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def add_months(month: str, n: int) -> str:
    y, m = (int(x) for x in month.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def month_after(d: date) -> str:
    """The first month an item starting "the month after" ``d`` is paid for."""
    return add_months(month_of(d), 1)


def months_between(first: str, last: str) -> int:
    """How many months from ``first`` to ``last``, both included (0 when last < first)."""
    y1, m1 = (int(x) for x in first.split("-"))
    y2, m2 = (int(x) for x in last.split("-"))
    return max(0, (y2 * 12 + m2) - (y1 * 12 + m1) + 1)


def month_start(month: str) -> date:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, 1)


def parse_month(text: str, field: str = "起始月份") -> str:
    t = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{1,2}", t):
        y, m = (int(x) for x in t.split("-"))
        if 1 <= m <= 12 and y >= 1900:
            return f"{y:04d}-{m:02d}"
    raise FieldError(field, _("“{t}”不是有效的月份（应为 YYYY-MM）").format(t=t))


def month_label(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return _("{y}年{m}月").format(y=y, m=m)


def add_years_months(d: date, years: int = 0, months: int = 0) -> date:
    """The same day ``years`` and ``months`` later (29 Feb and 31st clamp to the month's end)."""
    k = d.year * 12 + d.month - 1 + years * 12 + months
    y, m = k // 12, k % 12 + 1
    last = (date(y + m // 12, m % 12 + 1, 1) - date(y, m, 1)).days  # days in the month (not `calendar`: start-up)
    return date(y, m, min(d.day, last))


# --- retirement age ---------------------------------------------------------------

@dataclass(frozen=True)
class Retirement:
    on: date  # the day the statutory retirement age is reached
    years: int
    extra_months: int
    label: str  # which rule (track) applied
    status: str  # confirmed only when both the law and the choice of track are
    source: str


def retirement(birth: date, gender: str) -> Retirement:
    """The statutory retirement day of a person born on ``birth`` (gender male/female)."""
    data = load_json("rules/retirement.json")
    track_code = data["gender_track"].get(gender)
    if track_code is None:
        raise FieldError(_("性别"), _("无法确定法定退休年龄：性别未知"))
    t = data["tracks"][track_code]
    fy, fm = (int(x) for x in t["reform_from_birth"].split("-"))
    k = (birth.year * 12 + birth.month) - (fy * 12 + fm)
    extra = 0 if k < 0 else min(t["max_extra_months"], k // t["birth_months_per_step"] + 1)
    track_status = data.get("gender_track_status", "unconfirmed")
    if isinstance(track_status, dict):  # the choice of track may be sure for one gender and not the other
        track_status = track_status.get(gender, "unconfirmed")
    status = "confirmed" if data["status"] == "confirmed" and track_status == "confirmed" else "unconfirmed"
    return Retirement(on=add_years_months(birth, t["base_years"], extra), years=t["base_years"], extra_months=extra,
                      label=t["label"], status=status,
                      source=data["source"] + "；" + data.get("gender_track_source", ""))


# --- dependants -------------------------------------------------------------------

def dependant_end(relation: str, birth: date | None, end: date | None, end_reason: str,
                  until_age: dict[str, int] | None) -> tuple[date | None, str]:
    """The day a dependant's entitlement ends and why: the date recorded for
    them (leaving school, …) when there is one, else for a relation the rule set
    ends at an age (a child at 18) the day that age is reached; None: for life."""
    if end is not None:
        return end, end_reason.strip() or _("领取条件终止")
    age = (until_age or {}).get(relation)
    if age is not None and birth is not None:
        return add_years_months(birth, age), _("年满{n}周岁").format(n=age)
    return None, ""
