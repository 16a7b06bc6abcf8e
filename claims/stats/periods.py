"""The period and dimensions of a statistics question (``StatsFilter``) and
the month arithmetic behind it: checking a YYYY-MM month, month indexes,
ranges, labels and the current month; what "within a region" means for
hierarchical region codes; and the fee industry of a month (外卖 is
declared as 即时配送 from 2025-07). Plain data, no pydantic."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..i18n import _
from ..timeutil import today as china_today


MERGE_MONTH = "2025-07"  # from this month 外卖 fees are declared as 即时配送 (rules.md §1)


# --- the filter ---------------------------------------------------------------------

@dataclass(frozen=True)
class StatsFilter:
    """Period (months, both ends included) and optional dimensions.

    ``region`` is a region code matched hierarchically: 310000 holds 310115.
    Order and fee figures carry the pooling area (统筹地区) where orders were
    taken; workers and cases also the district of their station."""

    month_from: str
    month_to: str
    platform_id: str | None = None
    industry: str | None = None
    station_id: str | None = None
    region: str | None = None

    def __post_init__(self):
        for m in (self.month_from, self.month_to):
            check_month(m)
        if self.month_from > self.month_to:
            raise ValueError(_("起始月份晚于截止月份"))

    def months(self) -> list[str]:
        return months_between(self.month_from, self.month_to)

    @property
    def day_from(self) -> str:
        return self.month_from + "-01"

    @property
    def day_to(self) -> str:
        """The first day after the period (exclusive bound)."""
        return next_month(self.month_to) + "-01"

    def with_(self, **changes) -> "StatsFilter":
        return replace(self, **changes)

    @classmethod
    def for_month(cls, month: str, **dims) -> "StatsFilter":
        return cls(month, month, **dims)


def check_month(month: str) -> str:
    from ..errors import FieldError
    try:
        y, m = month.split("-")
        if len(y) != 4 or len(m) != 2 or not 1 <= int(m) <= 12:
            raise ValueError
    except (ValueError, AttributeError):
        raise FieldError(_("月份"), _("“{m}”应为 YYYY-MM").format(m=month)) from None
    return month


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of_index(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def next_month(month: str) -> str:
    return month_of_index(month_index(month) + 1)


def months_between(first: str, last: str) -> list[str]:
    return [month_of_index(i) for i in range(month_index(first), month_index(last) + 1)]


def region_prefix(code: str) -> str:
    """310000 -> '31', 310100 -> '3101', 310115 -> '310115' (what 'within' means)."""
    code = (code or "").strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def region_within(code: str | None, region: str | None) -> bool:
    return bool(code) and bool(region) and code.startswith(region_prefix(region))


def fee_industry(industry: str, month_or_day: str) -> str:
    """The industry a fee is declared under: 外卖 is 即时配送 from 2025-07 (industries are data)."""
    from ..industries import fee_industry as by_data
    return by_data(industry, month_or_day)


def today_month(today: date | None = None) -> str:
    d = today or china_today()
    return f"{d.year:04d}-{d.month:02d}"


def month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"
