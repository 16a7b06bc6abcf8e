"""The industries of the pilot, as data (a table seeded from
``resources/rules/industries.json``): code, Chinese name, since when, a
merger into another industry from a day, and the documents a case of the
industry needs beyond the common checklist. From 2027 an administrator adds
industries in the program (设置 › 行业); every screen, import, declaration,
statistic and document reads them from here, through ``claims.enums.Industry``
(``Industry(code).label``, ``for i in Industry``, ``Industry.from_text``).

The registry is the list of the database in use: the store loads it when it
opens a file and after an administrator adds an industry; before any store is
opened it holds the shipped list.

The 2025 merger of 外卖 into 即时配送 (rules.md §1, domain README) is one row
of that data: from 2025-07-01 there is no 外卖 industry any more. Anything
recorded for a day on or after it as 外卖 — an enrollment, an order, a case, a
report — is stored as 即时配送, with a note saying so (in the import's row
report or the case history); records before that day keep 外卖."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from .i18n import _

if TYPE_CHECKING:
    from .enums import Industry

MERGE_DAY = date(2025, 7, 1)
MERGED_NOTE = _("外卖自 2025-07-01 起并入即时配送，已按即时配送登记")


@dataclass(frozen=True)
class IndustryDef:
    code: str
    name: str
    since: str = "2022-07-01"
    merged_into: str = ""
    merged_on: str = ""  # YYYY-MM-DD: from this day records and fees go to ``merged_into``
    documents: tuple[dict, ...] = field(default=())  # {code, name, reason}: beyond the common checklist
    status: str = "confirmed"
    source: str = ""

    def merged(self, day: str) -> bool:
        return bool(self.merged_into and self.merged_on and day >= self.merged_on)


def _shipped() -> list[IndustryDef]:
    from .resources import load_json
    return [_def(r) for r in load_json("rules/industries.json")["industries"]]


def _def(r: dict) -> IndustryDef:
    return IndustryDef(code=r["code"], name=r["name"], since=r.get("since") or "2022-07-01",
                       merged_into=r.get("merged_into") or "", merged_on=r.get("merged_on") or "",
                       documents=tuple(r.get("documents") or ()), status=r.get("status") or "confirmed",
                       source=r.get("source") or "")


_registry: dict[str, IndustryDef] | None = None


def registry() -> dict[str, IndustryDef]:
    """code -> definition, in display order."""
    global _registry
    if _registry is None:
        _registry = {d.code: d for d in _shipped()}
    return _registry


def use(defs: list[IndustryDef]) -> None:
    """Make ``defs`` (the open database's industries, in order) the registry.
    The shipped industries are kept even if a database lacks a row for one."""
    global _registry
    merged = {d.code: d for d in defs}
    for d in _shipped():
        merged.setdefault(d.code, d)
    _registry = merged


def shipped_rows() -> list[dict]:
    """The shipped list as rows for the industries table (seed)."""
    from .resources import load_json
    return [dict(r) for r in load_json("rules/industries.json")["industries"]]


def codes() -> list[str]:
    return list(registry())


def label(code: str) -> str:
    d = registry().get(code)
    return d.name if d else code


def definition(code: str) -> IndustryDef | None:
    return registry().get(code)


def fee_industry(code: str, day: str) -> str:
    """The industry a fee (and a benefit's payout-to-fee figure) counts under on
    ``day`` (YYYY-MM-DD, or YYYY-MM for a month): 外卖 is 即时配送 from 2025-07-01."""
    d = registry().get(code)
    if d is not None and d.merged_into:
        on = day if len(day) >= 10 else day + "-01"
        if d.merged(on):
            return d.merged_into
    return code


def documents_for(code: str) -> list[dict]:
    d = registry().get(code)
    return list(d.documents) if d else []


def as_recorded(industry: "str | Industry", day: date | datetime | str) -> "tuple[Industry, str]":
    """(the industry to store, a note when it was mapped, else '')."""
    from .enums import Industry
    ind = Industry(industry)
    if isinstance(day, datetime):
        day = day.date()
    elif isinstance(day, str):
        day = date.fromisoformat(day[:10])
    d = registry().get(ind.value)
    if d is not None and d.merged(day.isoformat()):
        note = MERGED_NOTE if ind.value == "food_delivery" else _("{a}自 {d} 起并入{b}，已按{b}登记").format(
            a=d.name, d=d.merged_on, b=label(d.merged_into))
        return Industry(d.merged_into), note
    return ind, ""
