"""The figures the store's queries return (claims/store/stats.py), as plain
dataclasses: display names, enrollment and activity per month, fee months,
case counts, raw durations, benefits paid by item, payout-to-fee ratio rows
and declaration gap rows. The views (views.py) turn them into tables and
charts."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..i18n import _
from .numbers import ratio


def _counter():
    return defaultdict(int)


def _nested():
    return defaultdict(_counter)


@dataclass
class Names:
    platforms: dict[str, str] = field(default_factory=dict)
    stations: dict[str, str] = field(default_factory=dict)
    situations: dict[str, str] = field(default_factory=dict)

    def platform(self, pid: str) -> str:
        return self.platforms.get(pid, pid or _("（未知）"))

    def station(self, sid: str) -> str:
        return self.stations.get(sid, sid or _("（无站点）"))

    def situation(self, code: str) -> str:
        return self.situations.get(code, code or _("（未填写）"))


@dataclass
class ActivityFigures:
    months: list[str]
    enrolled: dict[str, int] = field(default_factory=_counter)
    enrolled_by_industry: dict[str, dict[str, int]] = field(default_factory=_nested)
    active: dict[str, int] = field(default_factory=_counter)
    active_by_industry: dict[str, dict[str, int]] = field(default_factory=_nested)
    orders: dict[str, int] = field(default_factory=_counter)
    orders_by_industry: dict[str, dict[str, int]] = field(default_factory=_nested)
    worker_days: dict[str, int] = field(default_factory=_counter)


@dataclass
class FeeMonth:
    month: str
    declarations: int = 0
    drafts: int = 0
    orders_declared: int = 0
    due_fen: int = 0
    paid_fen: int = 0
    overdue: int = 0
    due_by_industry: dict[str, int] = field(default_factory=_counter)

    @property
    def outstanding_fen(self) -> int:
        return max(0, self.due_fen - self.paid_fen)


@dataclass
class CaseFigures:
    months: list[str]
    reported: dict[str, int] = field(default_factory=_counter)
    reported_by_industry: dict[str, dict[str, int]] = field(default_factory=_nested)
    confirmed: dict[str, int] = field(default_factory=_counter)
    refused: dict[str, int] = field(default_factory=_counter)
    withdrawn: dict[str, int] = field(default_factory=_counter)
    by_situation: dict[str, int] = field(default_factory=_counter)
    by_body_part: dict[str, int] = field(default_factory=_counter)
    by_state: dict[str, int] = field(default_factory=dict)
    funnel: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class DurationFigures:
    """Raw durations: (month of the end event, platform_id, industry, days)."""
    decision: list[tuple[str, str, str, int]] = field(default_factory=list)
    payment: list[tuple[str, str, str, int]] = field(default_factory=list)


@dataclass
class BenefitFigures:
    payments: int = 0
    total_fen: int = 0
    by_item: dict[tuple[str, str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_month_industry: dict[str, dict[str, int]] = field(default_factory=_nested)


@dataclass
class RatioRow:
    platform_id: str
    industry: str
    fees_paid_fen: int = 0
    benefits_paid_fen: int = 0
    payments: int = 0

    @property
    def ratio(self) -> float | None:
        return ratio(self.benefits_paid_fen, self.fees_paid_fen)


@dataclass
class GapRow:
    platform_id: str
    region: str
    month: str
    industry: str
    number: str
    status: str  # a DeclarationStatus code, or missing / line_missing
    recorded: int = 0
    declared: int = 0
    recorded_at_declaration: int = 0
    due_fen: int = 0
    paid_fen: int = 0

    @property
    def difference(self) -> int:
        return self.declared - self.recorded

    @property
    def unpaid_fen(self) -> int:
        return max(0, self.due_fen - self.paid_fen)
