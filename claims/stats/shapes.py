"""What the screens, the XLSX export and the monthly report are given: the
pydantic shapes of a statistics view (``Table`` of typed columns,
``Chart`` with series, ``View``), the view titles and filter names, how a
cell is formatted (``fmt``), the monthly report's sections, and the home
screen's figures (``HomeSummary``)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..i18n import _


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
    tips: dict[str, str] = Field(default_factory=dict)  # "row,col" -> why the cell shows “—” (the total is row len(rows))

    def text_rows(self) -> list[list[str]]:
        return [[fmt(c.kind, v) for c, v in zip(self.columns, r)] for r in self.rows]


class Series(BaseModel):
    name: str
    values: list[float | None]  # None: not shown (a ratio over too small a base), drawn as “—”


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
    from ..money import format_yuan
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
