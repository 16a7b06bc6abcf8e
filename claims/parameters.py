"""Dated parameter tables and rule sets, both loaded from ``resources/``.

A parameter row applies to the events whose date lies in [valid_from, valid_to]
(inclusive; ``valid_to`` None = open). Yearly statistics are shipped already
shifted to the year they are used in (the figure of year Y covers events in
Y+1), so a lookup is simply "the row whose period covers the date".
"""
from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from claims.enums import ParamStatus
from claims.errors import ClaimsError, FieldError, MissingParameter
from claims.i18n import _
from claims.regions import NATIONAL, region_chain  # noqa: F401 - still importable from here; they need no pydantic

PARAMETER_LABELS: dict[str, str] = {
    "benefit_base": "待遇计发基数",
    "care_base": "生活护理费计发基数",
    "death_base": "死亡待遇计发基数",
    "national_urban_income": "全国城镇居民人均可支配收入",
    "hospital_food_daily": "住院伙食补助标准",
    "minimum_wage": "最低工资标准",
    "private_sector_wage": "城镇私营单位就业人员月平均工资",
    "medical_ceiling": "医疗费用核对提示线",
}

RULESET_CODES: tuple[str, ...] = ("pilot-2022", "pilot-2025")


def resources_dir() -> Path:
    """``resources/`` next to the package, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


# --- parameter rows --------------------------------------------------------------


class ParameterRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str | None = None
    name: str
    region: str
    valid_from: date
    valid_to: date | None = None
    stat_year: int | None = None
    value: Decimal
    unit: str
    label: str
    source: str
    status: ParamStatus

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, v):
        if isinstance(v, float):
            raise ValueError("parameter values must be decimal strings, not floats")
        return v

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@lru_cache(maxsize=1)
def _parameters_doc() -> dict:
    return json.loads((resources_dir() / "parameters.json").read_text(encoding="utf-8"))


def load_shipped_parameters() -> list[ParameterRow]:
    """The rows shipped in ``resources/parameters.json``."""
    return [ParameterRow.model_validate(r) for r in _parameters_doc()["rows"]]


def wage_switch(region: str) -> dict:
    """When bases derived from last year's local wage take effect in ``region``
    (``month_day`` "MM-DD", with source and status): data, 1 July by default."""
    table = _parameters_doc().get("wage_switch", {})
    for reg in region_chain(region):
        if reg in table:
            return table[reg]
    return {"month_day": "07-01", "status": "unconfirmed", "source": _("默认每年7月1日切换（未确认）")}


def stat_year_window(region: str, stat_year: int) -> tuple[date, date]:
    """The events a figure of ``stat_year`` applies to: from the switch day of the
    following year up to the day before the next switch."""
    m, d = (int(x) for x in wage_switch(region)["month_day"].split("-"))
    return date(stat_year + 1, m, d), date(stat_year + 2, m, d) - timedelta(days=1)


def derived_rule(name: str) -> dict | None:
    """How a base is derived from another figure (``death_base`` from the private-sector wage)."""
    return _parameters_doc().get("derived", {}).get(name)


class ParameterTable:
    """Lookup of dated figures by name, region and date."""

    def __init__(self, rows: list[ParameterRow]):
        self.rows = list(rows)
        self._by_key: dict[tuple[str, str], list[ParameterRow]] = {}
        for r in self.rows:
            self._by_key.setdefault((r.name, r.region), []).append(r)

    @classmethod
    def shipped(cls) -> "ParameterTable":
        return cls(load_shipped_parameters())

    def lookup(self, name: str, region: str, on: date) -> ParameterRow | None:
        for reg in region_chain(region):
            hits = [r for r in self._by_key.get((name, reg), ()) if r.covers(on)]
            if hits:
                return max(hits, key=lambda r: r.valid_from)
        return None

    def require(self, name: str, region: str, on: date) -> ParameterRow:
        row = self.lookup(name, region, on)
        if row is None:
            raise MissingParameter(name, PARAMETER_LABELS.get(name, name), region, on.isoformat())
        return row


# --- rule sets ------------------------------------------------------------------

Status = Literal["confirmed", "unconfirmed"]


class ItemRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    period: Literal["once", "monthly"]
    kind: Literal["approved", "per_day", "months_by_grade", "pct_by_grade", "pct_by_care_level",
                  "multiple", "dependants"]
    parameter: str | None = None
    status: Status
    source: str
    months_by_grade: dict[int, int] | None = None
    pct_by_grade: dict[int, Decimal] | None = None
    pct_by_care_level: dict[str, Decimal] | None = None
    multiple: int | None = None
    pct_by_relation: dict[str, Decimal] | None = None
    extra_pct_lone_elder_or_orphan: Decimal | None = None
    cap_pct: Decimal | None = None
    starts: Literal["month_after_appraisal", "month_after_death"] | None = None  # monthly items: first month
    ends: Literal["retirement", "dependant"] | None = None  # monthly items: what ends them
    until_age: dict[str, int] | None = None  # dependants: relation -> age at which entitlement ends


class Timing(BaseModel):
    """When monthly items start and stop (rules.md §6), with its own status."""
    model_config = ConfigDict(frozen=True)

    last_month: Literal["month_of_end"] = "month_of_end"
    status: Status
    source: str


class LaterAppraisal(BaseModel):
    """What a re-appraisal or review appraisal does to one-off items already granted."""
    model_config = ConfigDict(frozen=True)

    items: list[str]
    policy: Literal["difference_if_higher", "none", "full"]
    status: Status
    source: str


class DeathRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[str]
    requires_grade: list[int] | None = None
    status: Status
    source: str


class RuleSet(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    in_force_from: date
    in_force_to: date | None = None
    status: Status
    source: str
    industries: list[str]
    industry_map: dict[str, str] = {}
    items: dict[str, ItemRule]
    outcomes: dict[Literal["injury", "disability", "death"], list[str]]
    death_rules: dict[Literal["injury", "other"], DeathRule]
    timing: Timing
    later_appraisal: LaterAppraisal

    def covers(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)


def _no_floats(text: str):
    def bad(s):
        raise ValueError(f"float {s} in rule set; use integers or decimal strings")
    return json.loads(text, parse_float=bad)


@lru_cache(maxsize=None)
def load_ruleset(code: str) -> RuleSet:
    if code not in RULESET_CODES:
        raise ClaimsError(_("未知的规则集：{code}").format(code=code))
    path = resources_dir() / "rulesets" / f"{code}.json"
    return RuleSet.model_validate(_no_floats(path.read_text(encoding="utf-8")))


def ruleset_name(code: str) -> str:
    """A rule set as people call it (screens and paper never show its code)."""
    try:
        return load_ruleset(code).name
    except ClaimsError:
        return _("（未知的计发办法）")


def ruleset_for(accident_date: date) -> RuleSet:
    """The rule set in force on the accident date."""
    for code in RULESET_CODES:
        rs = load_ruleset(code)
        if rs.covers(accident_date):
            return rs
    first = min(load_ruleset(c).in_force_from for c in RULESET_CODES)
    raise FieldError("accident_date", _("事故日期 {d} 早于试点开始日期 {start}，没有适用的规则集").format(
        d=accident_date.isoformat(), start=first.isoformat()))
