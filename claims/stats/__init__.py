"""运行分析: the pilot's figures, as pure functions and plain data.

The store (``claims/store/stats.py``) runs the queries; this package holds what
is computed on their results — medians, 90th percentiles, ratios, the way a
benefit payment is split into the items of its assessment — and the shapes
handed to the screens, the XLSX export and the monthly report (forms/).

Definitions (each is what the tests count by hand):

- **enrolled** in a month: a worker with at least one enrollment covering a day
  of the month (start_on ≤ last day, end_on empty or ≥ first day). Counted
  once per person, whatever the number of platforms or industries, unless the
  figures are split by industry (then once per industry).
- **active** in a month: a worker with a daily count of orders that month.
- **orders**: the sum of daily counts (records and imported counts).
- **fees due / paid per month**: of the declarations *for* that month (amount
  due; amount paid so far). Per industry, due is the declaration line's
  amount and a payment is split over the lines pro rata.
- **cases**: reported in the period (by report date); confirmed / refused by
  the date of the decision.
- **durations**: calendar days from the report date to the (first) decision,
  and to the first approved payment, for cases decided / first paid in the
  period. Median: the middle value (mean of the two middle values for an even
  count). 90th percentile: nearest rank — the smallest value such that at
  least 90 % of values are at or below it.
- **benefits paid by item**: an approved payment (``kind`` once or monthly)
  is split over the items of its assessment that have the same period, pro
  rata to their amounts, to the fen by largest remainder (``allocate``). A
  payment whose assessment has no item of that period is shown as 未分项.
- **支缴率** (payout-to-fee ratio) = benefits paid ÷ fees paid, both on the
  date money moved (approved payments' paid_on; fee payments' paid_on) within
  the period; per platform and fee industry (外卖 counts as 即时配送 from
  2025-07-01 by accident date, like the fee itself).
- **declaration gaps**: declared orders − orders recorded now, per declaration
  line; months with recorded orders but no declaration; unpaid amounts.
- **“—”**: a ratio whose base is zero or too small to mean anything (views.py:
  支缴率 over less than ¥1,000 of fees, 确认率 over fewer than five decisions,
  活跃率 over fewer than ten enrolled, 缴费率 over less than ¥100 due) is not
  shown; the cell's tip (``Table.tips``) says why.

The package: periods.py (the filter, months, regions), numbers.py (median,
percentile, ratio, allocation), figures.py (what the queries return),
shapes.py (tables, charts, views, report and home shapes), views.py
(figures to views), report.py (the monthly report), xlsx.py (the export).
Every name is importable from ``claims.stats``; the store loads this
package lazily (``lazy_import``), since shapes.py needs pydantic.
"""
from __future__ import annotations

from .figures import (ActivityFigures, BenefitFigures, CaseFigures, DurationFigures, FeeMonth, GapRow, Names,
                      RatioRow)
from .numbers import allocate, median, percentile, ratio, split_payment
from .periods import (MERGE_MONTH, StatsFilter, check_month, fee_industry, month_index, month_label, month_of_index,
                      months_between, next_month, region_prefix, region_within, today_month)
from .report import build_monthly_report
from .shapes import (FILTER_NAMES, VIEW_TITLES, Chart, Col, HomeSummary, Kind, MonthlyReport, ReportSection, Series,
                     Table, View, fmt)
from .views import (benefits_view, cases_view, duration_stats, durations_view, enrollment_view, fees_view, gaps_view,
                    industry_label, ratio_view, stacked, state_label, status_label)
from .xlsx import write_xlsx, xlsx_value

__all__ = [
    "ActivityFigures", "BenefitFigures", "CaseFigures", "DurationFigures", "FeeMonth", "GapRow", "Names", "RatioRow",
    "allocate", "median", "percentile", "ratio", "split_payment",
    "MERGE_MONTH", "StatsFilter", "check_month", "fee_industry", "month_index", "month_label", "month_of_index",
    "months_between", "next_month", "region_prefix", "region_within", "today_month",
    "build_monthly_report",
    "FILTER_NAMES", "VIEW_TITLES", "Chart", "Col", "HomeSummary", "Kind", "MonthlyReport", "ReportSection", "Series",
    "Table", "View", "fmt",
    "benefits_view", "cases_view", "duration_stats", "durations_view", "enrollment_view", "fees_view", "gaps_view",
    "industry_label", "ratio_view", "stacked", "state_label", "status_label",
    "write_xlsx", "xlsx_value",
]
