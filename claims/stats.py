"""运行分析: the pilot's figures, as pure functions and plain data.

The store (``claims/store/stats.py``) runs the queries; this module holds what
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
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from .i18n import _

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
    from .errors import FieldError
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
    """The industry a fee is declared under: 外卖 is 即时配送 from 2025-07."""
    return "instant_delivery" if industry == "food_delivery" and month_or_day[:7] >= MERGE_MONTH else industry


# --- small statistics -----------------------------------------------------------------

def median(values: Sequence[float]) -> float | None:
    v = sorted(values)
    n = len(v)
    if not n:
        return None
    mid = n // 2
    return float(v[mid]) if n % 2 else (v[mid - 1] + v[mid]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least ``p`` % of values at or below it."""
    v = sorted(values)
    if not v:
        return None
    rank = max(1, math.ceil(p / 100 * len(v)))
    return float(v[rank - 1])


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` fen pro rata to ``weights``; the fen left by rounding
    down go to the largest remainders (ties: the earlier item). The parts add
    up to ``amount`` exactly. All-zero weights: split evenly."""
    n = len(weights)
    if not n:
        return []
    total = sum(weights)
    if total <= 0:
        weights, total = [1] * n, n
    base = [amount * w // total for w in weights]
    left = amount - sum(base)
    order = sorted(range(n), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:left]:
        base[i] += 1
    return base


def split_payment(amount_fen: int, kind: str, items: Iterable[dict]) -> list[tuple[str, str, str, int]]:
    """A payment's share of each item of its assessment: (code, name, period, fen).

    ``items`` are the assessment's ``result_json['items']`` (amount in yuan as
    text). Only items whose period equals the payment's kind take a share."""
    from .money import to_fen
    same = [i for i in items if i.get("period") == kind]
    if not same:
        return [("unitemized", _("未分项"), kind, amount_fen)]
    parts = allocate(amount_fen, [to_fen(str(i.get("amount") or "0")) for i in same])
    return [(str(i.get("code", "")), str(i.get("name", "")), kind, p) for i, p in zip(same, parts)]


# --- what the screens, the export and the report are given ------------------------------

Kind = Literal["text", "int", "num", "money", "pct", "days"]


class Col(BaseModel):
    model_config = ConfigDict(frozen=True)
    title: str
    kind: Kind = "text"


class Table(BaseModel):
    """A small table of figures. Money cells are integer fen, pct a fraction
    (0.25 = 25 %), days a number of days; None is shown as “—”."""

    key: str
    title: str
    columns: list[Col]
    rows: list[list[str | int | float | None]] = Field(default_factory=list)
    total: list[str | int | float | None] | None = None
    note: str = ""

    def text_rows(self) -> list[list[str]]:
        return [[fmt(c.kind, v) for c, v in zip(self.columns, r)] for r in self.rows]


class Series(BaseModel):
    name: str
    values: list[float]


class Chart(BaseModel):
    """``kind``: stacked (bars by category, one stack per series), bars
    (grouped), hbars (horizontal, one series), funnel (one series, widest first)."""

    kind: Literal["stacked", "bars", "hbars", "funnel"]
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""  # 人, 单, 元, %, 天
    totals: list[float] | None = None  # shown on top of stacks when not their sum (distinct people)

    def table(self) -> Table:
        """The chart's data as a table (what the XLSX export writes for a chart)."""
        kind = "int" if self.unit in ("人", "单", "件") else "num"
        cols = [Col(title=_("类别"))] + [Col(title=s.name, kind=kind) for s in self.series]
        rows = [[c] + [s.values[i] for s in self.series] for i, c in enumerate(self.categories)]
        return Table(key="chart", title=self.title + (f"（{self.unit}）" if self.unit else ""), columns=cols, rows=rows)


class View(BaseModel):
    key: str
    title: str
    tables: list[Table]
    charts: list[Chart]
    notes: list[str] = Field(default_factory=list)
    ignored_filters: list[str] = Field(default_factory=list)  # filter names that do not apply here


VIEW_TITLES: dict[str, str] = {
    "enrollment": "参保与活跃", "fees": "订单与缴费", "cases": "案件", "durations": "办理时长",
    "benefits": "待遇支出", "ratio": "支缴率", "gaps": "申报差异",
}
FILTER_NAMES = {"platform": "平台", "industry": "行业", "station": "站点", "region": "地区"}


def fmt(kind: str, v) -> str:
    from .money import format_yuan
    if v is None:
        return "—"
    if kind == "money":
        return format_yuan(int(v))
    if kind == "pct":
        return f"{v * 100:,.1f}%"
    if kind == "days":
        return f"{v:g}" if float(v).is_integer() else f"{v:.1f}"
    if kind == "int":
        return f"{int(v):,}"
    if kind == "num":
        return f"{v:,.2f}" if not float(v).is_integer() else f"{int(v):,}"
    return str(v)


def month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"


# --- the monthly report (forms/monthly_report.py lays it out) -----------------------------

class ReportSection(BaseModel):
    title: str
    tables: list[Table] = Field(default_factory=list)
    facts: list[tuple[str, str]] = Field(default_factory=list)  # (label, formatted value)
    note: str = ""


class MonthlyReport(BaseModel):
    """Everything the A4 monthly report prints, already computed and formatted
    where it is prose. Filled by ``Store.monthly_report``; no database in forms/."""

    month: str
    office: str
    scope: str  # e.g. "全部平台、全部地区"
    generated_at: datetime
    generated_by: str
    number: str  # e.g. "YB202509"
    sections: list[ReportSection]
    notes: list[str] = Field(default_factory=list)


class HomeSummary(BaseModel):
    """The home screen's figures (Store.home_summary)."""

    month: str
    workers_enrolled: int
    workers_active: int
    open_cases: int
    overdue_cases: int
    fees_outstanding_fen: int
    overdue_declarations: int
    stale: bool = False  # worker figures wait for a refresh of the aggregates (see Store.home_summary)


# --- XLSX ------------------------------------------------------------------------------

_XLSX_FORMAT = {"money": "#,##0.00", "pct": "0.0%", "days": "0.0", "int": "#,##0", "num": "#,##0.00"}


def xlsx_value(kind: str, v):
    if v is None:
        return None
    if kind == "money":
        return Decimal(int(v)) / 100
    return v


def write_xlsx(path: str | Path, tables: Sequence[Table], images: Sequence[tuple[str, bytes]] = (),
               title: str = "", subtitle: str = "") -> Path:
    """One sheet per table (money in yuan with two decimals, percentages as
    numbers formatted %), then optional chart images (sheet name, PNG bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="ECECEC")
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.title, used))
        row = 1
        for line in (title, subtitle):
            if line:
                ws.cell(row, 1, line).font = bold if line is title else Font(color="666666")
                row += 1
        if row > 1:
            row += 1
        for j, c in enumerate(t.columns, 1):
            cell = ws.cell(row, j, c.title)
            cell.font, cell.fill = bold, shade
            cell.alignment = Alignment(horizontal="center")
        body = list(t.rows) + ([t.total] if t.total else [])
        for i, r in enumerate(body, row + 1):
            for j, (c, v) in enumerate(zip(t.columns, r), 1):
                cell = ws.cell(i, j, xlsx_value(c.kind, v))
                if c.kind in _XLSX_FORMAT:
                    cell.number_format = _XLSX_FORMAT[c.kind]
                if t.total and i == row + len(body):
                    cell.font = bold
        if t.note:
            ws.cell(row + len(body) + 2, 1, t.note).font = Font(color="666666")
        for j, c in enumerate(t.columns, 1):
            width = max([_width(c.title)] + [_width(fmt(c.kind, r[j - 1])) for r in body if j - 1 < len(r)])
            ws.column_dimensions[ws.cell(row, j).column_letter].width = min(60, width + 2)
        ws.freeze_panes = ws.cell(row + 1, 1)
    for name, png in images:
        import io

        from openpyxl.drawing.image import Image
        ws = wb.create_sheet(_sheet_name(name, used))
        img = Image(io.BytesIO(png))
        ws.add_image(img, "A1")
    path = Path(path)
    wb.save(path)
    return path


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]}({n})", n + 1
    used.add(name)
    return name


def today_month(today: date | None = None) -> str:
    d = today or date.today()
    return f"{d.year:04d}-{d.month:02d}"


# --- figures (what the store's queries return) -------------------------------------------

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


# --- figures to views -------------------------------------------------------------------

def industry_label(code: str) -> str:
    from .enums import Industry
    try:
        return Industry(code).label
    except ValueError:
        return code or _("（未知）")


def state_label(code: str) -> str:
    from .enums import CaseState
    try:
        return CaseState(code).label
    except ValueError:
        return code


def status_label(code: str) -> str:
    from .enums import DeclarationStatus
    extra = {"missing": _("未申报"), "line_missing": _("申报缺少该行业")}
    if code in extra:
        return extra[code]
    try:
        return DeclarationStatus(code).label
    except ValueError:
        return code


def _industries(*nested: dict[str, dict[str, int]]) -> list[str]:
    from .enums import Industry
    seen = {i for d in nested for per in d.values() for i, v in per.items() if v}
    return [i.value for i in Industry if i.value in seen] + sorted(seen - {i.value for i in Industry})


def stacked(title: str, months: list[str], nested: dict[str, dict[str, int]], unit: str,
            scale: float = 1, totals: dict[str, int] | None = None) -> Chart:
    inds = _industries(nested)
    return Chart(kind="stacked", title=title, unit=unit, categories=[m for m in months],
                 totals=[totals[m] for m in months] if totals is not None else None,
                 series=[Series(name=industry_label(i), values=[nested[m][i] / scale for m in months]) for i in inds])


def enrollment_view(a: ActivityFigures, names: Names) -> View:
    inds = _industries(a.enrolled_by_industry, a.active_by_industry)
    cols = [Col(title=_("月份")), Col(title=_("参保人数"), kind="int"), Col(title=_("活跃人数"), kind="int"),
            Col(title=_("活跃率"), kind="pct"), Col(title=_("订单数"), kind="int"), Col(title=_("接单人天"), kind="int")]
    cols += [Col(title=_("活跃·{i}").format(i=industry_label(i)), kind="int") for i in inds]
    rows = [[m, a.enrolled[m], a.active[m], ratio(a.active[m], a.enrolled[m]), a.orders[m], a.worker_days[m]]
            + [a.active_by_industry[m][i] for i in inds] for m in a.months]
    table = Table(key="enrollment", title=_("参保与活跃（按月）"), columns=cols, rows=rows,
                  note=_("参保：当月有覆盖的参保登记；活跃：当月有接单。同一人在多个平台或行业只计一次，按行业分列时各计一次。"))
    return View(key="enrollment", title=VIEW_TITLES["enrollment"], tables=[table], charts=[
        stacked(_("活跃人数（按月、按行业）"), a.months, a.active_by_industry, _("人"), totals=a.active),
        stacked(_("参保人数（按月、按行业）"), a.months, a.enrolled_by_industry, _("人"), totals=a.enrolled)])


def fees_view(fees: list[FeeMonth], a: ActivityFigures, f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("费款所属期")), Col(title=_("记录订单数"), kind="int"), Col(title=_("申报单量"), kind="int"),
            Col(title=_("申报数"), kind="int"), Col(title=_("其中草稿"), kind="int"), Col(title=_("应缴"), kind="money"),
            Col(title=_("已缴"), kind="money"), Col(title=_("欠缴"), kind="money"), Col(title=_("缴费率"), kind="pct"),
            Col(title=_("逾期申报"), kind="int")]
    rows = [[m.month, a.orders[m.month], m.orders_declared, m.declarations, m.drafts, m.due_fen, m.paid_fen,
             m.outstanding_fen, ratio(m.paid_fen, m.due_fen), m.overdue] for m in fees]
    tot = [_("合计"), sum(a.orders[m.month] for m in fees), sum(m.orders_declared for m in fees),
           sum(m.declarations for m in fees), sum(m.drafts for m in fees), sum(m.due_fen for m in fees),
           sum(m.paid_fen for m in fees), sum(m.outstanding_fen for m in fees),
           ratio(sum(m.paid_fen for m in fees), sum(m.due_fen for m in fees)), sum(m.overdue for m in fees)]
    months = [m.month for m in fees]
    due = {m.month: m.due_by_industry for m in fees}
    return View(key="fees", title=VIEW_TITLES["fees"],
                tables=[Table(key="fees", title=_("订单与缴费（按月）"), columns=cols, rows=rows, total=tot,
                              note=_("应缴、已缴按费款所属月份的申报统计（草稿不计应缴）；按行业筛选时已缴按申报各行业应缴金额比例分摊。"))],
                charts=[stacked(_("订单数（按月、按行业）"), a.months, a.orders_by_industry, _("单")),
                        stacked(_("应缴费额（按月、按缴费行业，元）"), months, due, _("元"), scale=100)],
                ignored_filters=["station"] if f.station_id else [])


def cases_view(c: CaseFigures, names: Names) -> View:
    inds = _industries(c.reported_by_industry)
    month_cols = [Col(title=_("月份")), Col(title=_("报案"), kind="int"), Col(title=_("予以确认"), kind="int"),
                  Col(title=_("不予确认"), kind="int"), Col(title=_("撤回"), kind="int"),
                  Col(title=_("确认率"), kind="pct")]
    month_cols += [Col(title=_("报案·{i}").format(i=industry_label(i)), kind="int") for i in inds]
    rows = [[m, c.reported[m], c.confirmed[m], c.refused[m], c.withdrawn[m],
             ratio(c.confirmed[m], c.confirmed[m] + c.refused[m])] + [c.reported_by_industry[m][i] for i in inds]
            for m in c.months]
    tc, tr = sum(c.confirmed.values()), sum(c.refused.values())
    total = [_("合计"), sum(c.reported.values()), tc, tr, sum(c.withdrawn.values()), ratio(tc, tc + tr)] + \
        [sum(c.reported_by_industry[m][i] for m in c.months) for i in inds]
    sit = sorted(c.by_situation.items(), key=lambda kv: -kv[1])
    body = sorted(c.by_body_part.items(), key=lambda kv: (-kv[1], kv[0]))
    states = sorted(c.by_state.items(), key=lambda kv: -kv[1])
    funnel_rows = [[state_label(s), n, ratio(n, c.funnel[0][1]) if c.funnel else None] for s, n in c.funnel]
    return View(key="cases", title=VIEW_TITLES["cases"], tables=[
        Table(key="cases_month", title=_("案件（按月）"), columns=month_cols, rows=rows, total=total,
              note=_("报案按报案日期；确认与不予确认按首次结论日期。")),
        Table(key="cases_funnel", title=_("案件进度漏斗"), columns=[Col(title=_("阶段")), Col(title=_("案件数"), kind="int"),
              Col(title=_("占报案"), kind="pct")], rows=funnel_rows,
              note=_("本期报案的案件中，曾到达各阶段的件数。")),
        Table(key="cases_situation", title=_("确认情形"), columns=[Col(title=_("情形代码")), Col(title=_("情形")),
              Col(title=_("件数"), kind="int")], rows=[[k, names.situation(k), n] for k, n in sit]),
        Table(key="cases_body", title=_("受伤部位"), columns=[Col(title=_("部位")), Col(title=_("件数"), kind="int")],
              rows=[[k, n] for k, n in body], note=_("一案多个部位时各计一次。")),
        Table(key="cases_state", title=_("当前状态"), columns=[Col(title=_("状态")), Col(title=_("件数"), kind="int")],
              rows=[[state_label(s), n] for s, n in states]),
    ], charts=[
        Chart(kind="funnel", title=_("案件进度漏斗"), unit=_("件"), categories=[state_label(s) for s, _n in c.funnel],
              series=[Series(name=_("案件数"), values=[n for _s, n in c.funnel])]),
        stacked(_("报案数（按月、按行业）"), c.months, c.reported_by_industry, _("件")),
        Chart(kind="hbars", title=_("受伤部位"), unit=_("件"), categories=[k for k, _n in body[:12]],
              series=[Series(name=_("件数"), values=[n for _k, n in body[:12]])]),
    ])


def duration_stats(values: list[int]) -> tuple[int, float | None, float | None, float | None]:
    return len(values), median(values), percentile(values, 90), (max(values) if values else None)


def durations_view(d: DurationFigures, f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("月份")), Col(title=_("结论件数"), kind="int"), Col(title=_("至结论 中位数"), kind="days"),
            Col(title=_("至结论 90%分位"), kind="days"), Col(title=_("首次支付件数"), kind="int"),
            Col(title=_("至首次支付 中位数"), kind="days"), Col(title=_("至首次支付 90%分位"), kind="days")]

    def per(rows, key):
        g: dict = defaultdict(list)
        for r in rows:
            g[key(r)].append(r[3])
        return g

    dm, pm = per(d.decision, lambda r: r[0]), per(d.payment, lambda r: r[0])
    rows = []
    for m in f.months():
        n1, med1, p1, _x = duration_stats(dm.get(m, []))
        n2, med2, p2, _y = duration_stats(pm.get(m, []))
        rows.append([m, n1, med1, p1, n2, med2, p2])
    all1, all2 = duration_stats([r[3] for r in d.decision]), duration_stats([r[3] for r in d.payment])
    total = [_("全期"), all1[0], all1[1], all1[2], all2[0], all2[1], all2[2]]
    grp_cols = [Col(title=_("平台")), Col(title=_("行业")), Col(title=_("结论件数"), kind="int"),
                Col(title=_("结论 中位数"), kind="days"), Col(title=_("结论 90%分位"), kind="days"),
                Col(title=_("支付件数"), kind="int"), Col(title=_("支付 中位数"), kind="days"),
                Col(title=_("支付 90%分位"), kind="days")]
    dg, pg = per(d.decision, lambda r: (r[1], r[2])), per(d.payment, lambda r: (r[1], r[2]))
    grp_rows = []
    for k in sorted(set(dg) | set(pg), key=lambda k: (names.platform(k[0]), k[1])):
        a, b = duration_stats(dg.get(k, [])), duration_stats(pg.get(k, []))
        grp_rows.append([names.platform(k[0]), industry_label(k[1]), a[0], a[1], a[2], b[0], b[1], b[2]])
    months = f.months()
    return View(key="durations", title=VIEW_TITLES["durations"], tables=[
        Table(key="durations_month", title=_("办理时长（天，按月）"), columns=cols, rows=rows, total=total,
              note=_("自报案日至首次结论日、至首次支付日的日历天数；按结论或支付所在月份统计。中位数为居中值（偶数个取中间两值的平均）；90%分位取最近秩。")),
        Table(key="durations_group", title=_("办理时长（天，按平台、行业）"), columns=grp_cols, rows=grp_rows),
    ], charts=[Chart(kind="bars", title=_("报案至结论天数（按月）"), unit=_("天"), categories=months, series=[
        Series(name=_("中位数"), values=[r[2] or 0 for r in rows]),
        Series(name=_("90%分位"), values=[r[3] or 0 for r in rows])]),
        Chart(kind="bars", title=_("报案至首次支付天数（按月）"), unit=_("天"), categories=months, series=[
            Series(name=_("中位数"), values=[r[5] or 0 for r in rows]),
            Series(name=_("90%分位"), values=[r[6] or 0 for r in rows])])])


def benefits_view(b: BenefitFigures, f: StatsFilter, names: Names) -> View:
    period_label = {"once": _("一次性"), "monthly": _("按月")}
    items = sorted(b.by_item.items(), key=lambda kv: -kv[1][0])
    rows = [[name or code, code, period_label.get(period, period), fen, n, ratio(fen, b.total_fen)]
            for (code, name, period), (fen, n) in items]
    cols = [Col(title=_("待遇项目")), Col(title=_("代码")), Col(title=_("类型")), Col(title=_("已支付金额"), kind="money"),
            Col(title=_("涉及支付笔数"), kind="int"), Col(title=_("占比"), kind="pct")]
    months = f.months()
    inds = _industries(b.by_month_industry)
    mcols = [Col(title=_("月份")), Col(title=_("合计"), kind="money")] + \
        [Col(title=industry_label(i), kind="money") for i in inds]
    mrows = [[m, sum(b.by_month_industry[m].values())] + [b.by_month_industry[m][i] for i in inds] for m in months]
    return View(key="benefits", title=VIEW_TITLES["benefits"], tables=[
        Table(key="benefits_item", title=_("待遇支出（按项目）"), columns=cols, rows=rows,
              total=[_("合计"), "", "", b.total_fen, b.payments, 1.0 if b.total_fen else None],
              note=_("已审批支付按支付日期统计。一笔支付按其核定中同类（一次性或按月）各项目金额的比例分摊到项目，分到分，尾差按最大余数。")),
        Table(key="benefits_month", title=_("待遇支出（按月、按行业）"), columns=mcols, rows=mrows),
    ], charts=[
        Chart(kind="hbars", title=_("待遇支出（按项目，元）"), unit=_("元"), categories=[r[0] for r in rows],
              series=[Series(name=_("已支付"), values=[r[3] / 100 for r in rows])]),
        stacked(_("待遇支出（按月、按行业，元）"), months, b.by_month_industry, _("元"), scale=100)])


def ratio_view(rows: list[RatioRow], f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("平台")), Col(title=_("缴费行业")), Col(title=_("已收缴费"), kind="money"),
            Col(title=_("已付待遇"), kind="money"), Col(title=_("支付笔数"), kind="int"), Col(title=_("支缴率"), kind="pct")]
    body = [[names.platform(r.platform_id), industry_label(r.industry), r.fees_paid_fen, r.benefits_paid_fen,
             r.payments, r.ratio] for r in sorted(rows, key=lambda r: (names.platform(r.platform_id), r.industry))]
    fees, ben = sum(r.fees_paid_fen for r in rows), sum(r.benefits_paid_fen for r in rows)
    total = [_("合计"), "", fees, ben, sum(r.payments for r in rows), ratio(ben, fees)]
    by_p: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_i: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_p[r.platform_id][0] += r.fees_paid_fen
        by_p[r.platform_id][1] += r.benefits_paid_fen
        by_i[r.industry][0] += r.fees_paid_fen
        by_i[r.industry][1] += r.benefits_paid_fen
    pcols = [Col(title=_("平台")), Col(title=_("已收缴费"), kind="money"), Col(title=_("已付待遇"), kind="money"),
             Col(title=_("支缴率"), kind="pct")]
    prow = [[names.platform(p), a, b, ratio(b, a)] for p, (a, b) in sorted(by_p.items(), key=lambda kv: names.platform(kv[0]))]
    icols = [Col(title=_("缴费行业"))] + pcols[1:]
    irow = [[industry_label(i), a, b, ratio(b, a)] for i, (a, b) in by_i.items()]
    return View(key="ratio", title=VIEW_TITLES["ratio"], tables=[
        Table(key="ratio_platform_industry", title=_("支缴率（按平台、行业）"), columns=cols, rows=body, total=total,
              note=_("支缴率 = 期内已付待遇 ÷ 期内已收缴费（均按款项实际收付日期）。缴费按申报各行业应缴比例分摊；2025-07-01 起外卖按事故日期计入即时配送。")),
        Table(key="ratio_platform", title=_("支缴率（按平台）"), columns=pcols, rows=prow),
        Table(key="ratio_industry", title=_("支缴率（按行业）"), columns=icols, rows=irow),
    ], charts=[Chart(kind="hbars", title=_("支缴率（按平台，%）"), unit="%", categories=[r[0] for r in prow],
                     series=[Series(name=_("支缴率"), values=[round((r[3] or 0) * 100, 1) for r in prow])]),
               Chart(kind="bars", title=_("已收缴费与已付待遇（按行业，元）"), unit=_("元"),
                     categories=[r[0] for r in irow],
                     series=[Series(name=_("已收缴费"), values=[r[1] / 100 for r in irow]),
                             Series(name=_("已付待遇"), values=[r[2] / 100 for r in irow])])],
                ignored_filters=["station"] if f.station_id else [])


def gaps_view(rows: list[GapRow], f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("所属期")), Col(title=_("平台")), Col(title=_("地区")), Col(title=_("缴费行业")),
            Col(title=_("申报编号")), Col(title=_("状态")), Col(title=_("记录订单数"), kind="int"),
            Col(title=_("申报单量"), kind="int"), Col(title=_("差异（申报−记录）"), kind="int"),
            Col(title=_("应缴"), kind="money"), Col(title=_("已缴"), kind="money"), Col(title=_("未缴"), kind="money")]
    body = [[r.month, names.platform(r.platform_id), r.region, industry_label(r.industry), r.number,
             status_label(r.status), r.recorded, r.declared, r.difference, r.due_fen, r.paid_fen, r.unpaid_fen]
            for r in rows]
    total = [_("合计"), "", "", "", "", "", sum(r.recorded for r in rows), sum(r.declared for r in rows),
             sum(r.difference for r in rows), sum(r.due_fen for r in rows), sum(r.paid_fen for r in rows),
             sum(r.unpaid_fen for r in rows)]
    flagged = [b for b, r in zip(body, rows) if r.difference or r.unpaid_fen or r.status in ("missing", "line_missing")]
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_month[r.month][0] += r.difference
        by_month[r.month][1] += r.unpaid_fen
    months = f.months()
    return View(key="gaps", title=VIEW_TITLES["gaps"], tables=[
        Table(key="gaps_flagged", title=_("有差异或未缴的申报"), columns=cols, rows=flagged,
              note=_("记录订单数取当前的日单量（订单记录与导入的日单量）；未申报：有订单记录、但该月未提交申报（不含当月）。")),
        Table(key="gaps_all", title=_("全部申报行"), columns=cols, rows=body, total=total),
    ], charts=[Chart(kind="bars", title=_("申报单量差异（按月，申报−记录）"), unit=_("单"), categories=months,
                     series=[Series(name=_("差异"), values=[by_month[m][0] for m in months])]),
               Chart(kind="bars", title=_("未缴金额（按月，元）"), unit=_("元"), categories=months,
                     series=[Series(name=_("未缴"), values=[by_month[m][1] / 100 for m in months])])],
                ignored_filters=["station"] if f.station_id else [])


# --- the monthly report -------------------------------------------------------------------

def _scope_text(region: str | None) -> str:
    return _("全部平台，地区 {r}").format(r=region) if region else _("全部平台、全部地区")


def build_monthly_report(*, month: str, office: str, actor_label: str, region: str | None,
                         activity: ActivityFigures, fees: list[FeeMonth], cases: CaseFigures,
                         durations: DurationFigures, benefits: BenefitFigures, ratio_rows: list[RatioRow],
                         gaps: list[GapRow], names: Names, at: datetime) -> MonthlyReport:
    """``activity`` and ``ratio`` cover the year to date (January to ``month``);
    the rest covers ``month`` alone."""
    from .money import format_yuan
    f = StatsFilter.for_month(month, region=region)
    ytd = StatsFilter(month[:4] + "-01", month, region=region)
    fee = fees[0] if fees else FeeMonth(month=month)
    scale = [
        (_("参保人数"), f"{activity.enrolled[month]:,}"), (_("活跃人数"), f"{activity.active[month]:,}"),
        (_("订单数"), f"{activity.orders[month]:,}"), (_("接单人天"), f"{activity.worker_days[month]:,}"),
    ]
    act_table = enrollment_view(activity, names).tables[0]
    act_table = act_table.model_copy(update={"title": _("参保与活跃（本年各月）"), "columns": act_table.columns[:6],
                                             "rows": [r[:6] for r in act_table.rows]})
    fee_facts = [(_("申报数"), f"{fee.declarations}（{_('草稿')} {fee.drafts}）"),
                 (_("申报单量"), f"{fee.orders_declared:,}"), (_("应缴"), format_yuan(fee.due_fen)),
                 (_("已缴"), format_yuan(fee.paid_fen)), (_("欠缴"), format_yuan(fee.outstanding_fen)),
                 (_("逾期申报"), str(fee.overdue))]
    cv = cases_view(cases, names)
    tc, tr = cases.confirmed[month], cases.refused[month]
    case_facts = [(_("报案"), str(cases.reported[month])), (_("予以确认"), str(tc)), (_("不予确认"), str(tr)),
                  (_("撤回"), str(cases.withdrawn[month])),
                  (_("确认率"), fmt("pct", ratio(tc, tc + tr)))]
    dv = durations_view(durations, f, names)
    d1, d2 = duration_stats([r[3] for r in durations.decision]), duration_stats([r[3] for r in durations.payment])
    dur_facts = [(_("结论件数"), str(d1[0])), (_("报案→结论 中位数"), fmt("days", d1[1]) + _(" 天")),
                 (_("报案→结论 90%分位"), fmt("days", d1[2]) + _(" 天")), (_("首次支付件数"), str(d2[0])),
                 (_("报案→首次支付 中位数"), fmt("days", d2[1]) + _(" 天")),
                 (_("报案→首次支付 90%分位"), fmt("days", d2[2]) + _(" 天"))]
    bv = benefits_view(benefits, f, names)
    rv = ratio_view(ratio_rows, ytd, names)
    gv = gaps_view(gaps, f, names)
    gap_table = gv.tables[0]
    keep = [0, 1, 3, 5, 6, 7, 8, 11]
    gap_table = gap_table.model_copy(update={"columns": [gap_table.columns[i] for i in keep],
                                             "rows": [[r[i] for i in keep] for r in gap_table.rows]})
    sections = [
        ReportSection(title=_("一、参保与活跃"), facts=scale, tables=[act_table]),
        ReportSection(title=_("二、缴费（本月费款）"), facts=fee_facts),
        ReportSection(title=_("三、案件"), facts=case_facts, tables=[cv.tables[1], cv.tables[2], cv.tables[3]]),
        ReportSection(title=_("四、办理时长"), facts=dur_facts, tables=[dv.tables[1]] if dv.tables[1].rows else []),
        ReportSection(title=_("五、待遇支出"), facts=[(_("支付笔数"), str(benefits.payments)),
                                                   (_("支付金额"), format_yuan(benefits.total_fen))],
                      tables=[bv.tables[0]] if bv.tables[0].rows else []),
        ReportSection(title=_("六、支缴率（本年累计）"), tables=[rv.tables[1], rv.tables[2]], note=rv.tables[0].note),
        ReportSection(title=_("七、申报差异"), tables=[gap_table] if gap_table.rows else [],
                      note=gap_table.note if gap_table.rows else _("本月无申报差异或欠缴。")),
    ]
    return MonthlyReport(month=month, office=office, scope=_scope_text(region), generated_at=at,
                         generated_by=actor_label, number=_("YB{m}").format(m=month.replace("-", "")),
                         sections=sections, notes=[_("统计口径见程序“统计”页各表说明。金额单位：元。")])
