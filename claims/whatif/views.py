"""A scenario's result as the tables and charts of the 政策测算 screen, the
XLSX export and the printed report — side by side with what happened — and
two scenarios compared. Built on the statistics' shapes (claims/stats)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from ..i18n import _
from ..money import format_yuan
from ..stats.shapes import Chart, Col, ReportSection, Series, View
from ..stats.views import MIN_FEES_FEN, rate, shown, table
from .engine import ASSUMED, Result
from .scenario import describe


class WhatifReport(BaseModel):
    title: str
    scenario: str
    period: str
    office: str
    generated_at: datetime
    generated_by: str
    number: str
    code: str
    sections: list[ReportSection]
    notes: list[str] = []


def _ratio(benefits: int, fees: int):
    return rate(benefits, fees, MIN_FEES_FEN, _("期内应缴为零"),
                _("期内应缴不足 10 万元：一笔待遇就能使支缴率成倍变化，没有统计意义"))


def _diff(a: int, b: int) -> int:
    return b - a


def _pct_change(a: int, b: int) -> str:
    if not a:
        return "—" if b else "0.0%"
    return f"{(b - a) / a * 100:+,.1f}%"


@dataclass
class Summary:
    """The headline figures of a run (screens, report, CLI)."""
    fees_actual: int
    fees_scenario: int
    benefits_actual: int
    benefits_scenario: int
    workers_affected: int
    cases_affected: int

    def facts(self) -> list[tuple[str, str]]:
        ra, rs = _ratio(self.benefits_actual, self.fees_actual), _ratio(self.benefits_scenario, self.fees_scenario)

        def pct(v):
            v = shown(v)
            return "—" if v is None else f"{v * 100:,.1f}%"
        return [(_("应缴（实际）"), format_yuan(self.fees_actual)),
                (_("应缴（测算）"), f"{format_yuan(self.fees_scenario)}（{_pct_change(self.fees_actual, self.fees_scenario)}）"),
                (_("待遇（实际）"), format_yuan(self.benefits_actual)),
                (_("待遇（测算）"), f"{format_yuan(self.benefits_scenario)}"
                                   f"（{_pct_change(self.benefits_actual, self.benefits_scenario)}）"),
                (_("支缴率（实际）"), pct(ra)), (_("支缴率（测算）"), pct(rs)),
                (_("涉及人员"), _("{n:,} 人").format(n=self.workers_affected)),
                (_("待遇不同的案件"), _("{n} 件").format(n=self.cases_affected))]


def summary(res: Result) -> Summary:
    return Summary(res.total("fees_actual"), res.total("fees_scenario"), res.total("benefits_actual"),
                   res.total("benefits_scenario"), res.workers_affected, res.cases_affected)


FEES_NOTE = _("应缴：期间内各月已提交的缴费申报的各行（申报单量 × 每单金额，每行四舍五入到分一次）；测算按方案的每单金额重算，"
              "方案未改动的行与实际相同。")
BENEFITS_NOTE = _("待遇：期间内已审批的待遇支付，按支付日期；测算按方案的计发规则和参数，用各次待遇核定保存的计算依据重算，"
                  "再按项目折算每笔支付。按月待遇按实际已发放的月份测算。")


def result_view(res: Result) -> View:
    names = res.industries
    ind = lambda c: names.get(c, c)  # noqa: E731
    cells = res.by_month_industry()
    cols = [Col(title=_("月份")), Col(title=_("行业")), Col(title=_("申报单量"), kind="int"),
            Col(title=_("应缴（实际）"), kind="money"), Col(title=_("应缴（测算）"), kind="money"),
            Col(title=_("应缴差额"), kind="money"), Col(title=_("待遇（实际）"), kind="money"),
            Col(title=_("待遇（测算）"), kind="money"), Col(title=_("待遇差额"), kind="money")]
    rows = [[c.month, ind(c.industry), c.orders, c.fees_actual, c.fees_scenario, _diff(c.fees_actual, c.fees_scenario),
             c.benefits_actual, c.benefits_scenario, _diff(c.benefits_actual, c.benefits_scenario)] for c in cells]
    s = summary(res)
    total = [_("合计"), "", sum(c.orders for c in cells), s.fees_actual, s.fees_scenario,
             s.fees_scenario - s.fees_actual, s.benefits_actual, s.benefits_scenario,
             s.benefits_scenario - s.benefits_actual]
    t_month = table("whatif_month", _("按月、按行业"), cols, rows, total, note=FEES_NOTE + BENEFITS_NOTE)

    plat: dict[tuple[str, str], list[int]] = {}
    for (m, pid, i), c in res.cells.items():
        p = plat.setdefault((pid, i), [0, 0, 0, 0])
        for k, v in enumerate((c.fees_actual, c.fees_scenario, c.benefits_actual, c.benefits_scenario)):
            p[k] += v
    pname = lambda pid: _("（方案假定）") if pid == ASSUMED else res.platforms.get(pid, pid)  # noqa: E731
    pcols = [Col(title=_("平台")), Col(title=_("行业")), Col(title=_("应缴（实际）"), kind="money"),
             Col(title=_("应缴（测算）"), kind="money"), Col(title=_("待遇（实际）"), kind="money"),
             Col(title=_("待遇（测算）"), kind="money"), Col(title=_("支缴率（实际）"), kind="pct"),
             Col(title=_("支缴率（测算）"), kind="pct")]
    prows = [[pname(pid), ind(i), a, b, c, d, _ratio(c, a), _ratio(d, b)]
             for (pid, i), (a, b, c, d) in sorted(plat.items(), key=lambda kv: (pname(kv[0][0]), kv[0][1]))]
    t_plat = table("whatif_platform", _("按平台、行业"), pcols, prows,
                   note=_("支缴率 = 待遇 ÷ 应缴（按申报所属月份和支付日期）。") + FEES_NOTE)

    fund = []
    bal_a = bal_s = 0
    for m in res.months:
        fa, fs = res.total("fees_actual", month=m), res.total("fees_scenario", month=m)
        ba, bs = res.total("benefits_actual", month=m), res.total("benefits_scenario", month=m)
        bal_a += fa - ba
        bal_s += fs - bs
        fund.append([m, fa, ba, bal_a, fs, bs, bal_s])
    fcols = [Col(title=_("月份")), Col(title=_("缴费（实际）"), kind="money"), Col(title=_("待遇（实际）"), kind="money"),
             Col(title=_("累计结余（实际）"), kind="money"), Col(title=_("缴费（测算）"), kind="money"),
             Col(title=_("待遇（测算）"), kind="money"), Col(title=_("累计结余（测算）"), kind="money")]
    t_fund = table("whatif_fund", _("基金月度收支"), fcols, fund,
                   note=_("以期间第一个月的月初结余为零：每月结余 = 当月应缴 − 当月待遇支付，累计。应缴按申报所属月份，"
                          "待遇按支付日期。"))

    icols = [Col(title=_("行业")), Col(title=_("应缴（实际）"), kind="money"), Col(title=_("待遇（实际）"), kind="money"),
             Col(title=_("支缴率（实际）"), kind="pct"), Col(title=_("应缴（测算）"), kind="money"),
             Col(title=_("待遇（测算）"), kind="money"), Col(title=_("支缴率（测算）"), kind="pct"),
             Col(title=_("在岗人数（月均）"), kind="int")]
    irows = []
    for i in res.industry_order():
        fa, fs = res.total("fees_actual", industry=i), res.total("fees_scenario", industry=i)
        ba, bs = res.total("benefits_actual", industry=i), res.total("benefits_scenario", industry=i)
        workers = [c.workers for c in cells if c.industry == i]
        irows.append([ind(i), fa, ba, _ratio(ba, fa), fs, bs, _ratio(bs, fs),
                      round(sum(workers) / len(res.months)) if workers else 0])
    t_ratio = table("whatif_ratio", _("支缴率（按行业）"), icols, irows,
                    note=_("支缴率 = 期内待遇 ÷ 期内应缴。在岗人数：当月在该行业有订单的人数（日单量），各月平均。"))

    ccols = [Col(title=_("案件号")), Col(title=_("姓名")), Col(title=_("行业")), Col(title=_("伤残等级")),
             Col(title=_("一次性（实际）"), kind="money"), Col(title=_("一次性（测算）"), kind="money"),
             Col(title=_("按月（实际）"), kind="money"), Col(title=_("按月（测算）"), kind="money"),
             Col(title=_("期内已付（实际）"), kind="money"), Col(title=_("期内已付（测算）"), kind="money")]
    crows = [[c.number, c.worker, ind(c.industry), _grade(c.grade), c.once_actual, c.once_scenario,
              c.monthly_actual, c.monthly_scenario, c.paid_actual, c.paid_scenario]
             for c in sorted(res.cases, key=lambda c: (not c.changed, c.number))]
    t_cases = table("whatif_cases", _("案件（期内有支付）"), ccols, crows,
                    note=_("期间内有待遇支付的案件，待遇不同的排在前面。一次性：各次核定的一次性待遇合计；按月：最近一次核定的每月金额。"))
    desc = table("whatif_scenario", _("方案内容"), [Col(title=_("改动"))], [[line] for line in describe(res.scenario)],
                 note="；".join(res.notes))
    dcols = [Col(title=_("月份")), Col(title=_("平台")), Col(title=_("行业")), Col(title=_("申报单量"), kind="int"),
             Col(title=_("应缴（实际）"), kind="money"), Col(title=_("应缴（测算）"), kind="money"),
             Col(title=_("待遇（实际）"), kind="money"), Col(title=_("待遇（测算）"), kind="money"),
             Col(title=_("在岗人数"), kind="int")]
    order = {c: i for i, c in enumerate(res.industry_order())}
    drows = [[c.month, pname(c.platform_id), ind(c.industry), c.orders, c.fees_actual, c.fees_scenario,
              c.benefits_actual, c.benefits_scenario, c.workers]
             for c in sorted(res.cells.values(), key=lambda c: (c.month, pname(c.platform_id), order.get(c.industry, 99)))]
    t_detail = table("whatif_detail", _("明细（按月、平台、行业）"), dcols, drows,
                     note=_("在岗人数：当月在该平台该行业有订单的人数（日单量）。") + FEES_NOTE)
    months = res.months
    return View(key="whatif", title=_("政策测算"), tables=[t_month, t_fund, t_ratio, t_plat, t_cases, desc, t_detail],
                charts=[
        Chart(kind="bars", title=_("应缴（按月，元）"), unit=_("元"), categories=months, series=[
            Series(name=_("实际"), values=[res.total("fees_actual", month=m) / 100 for m in months]),
            Series(name=_("测算"), values=[res.total("fees_scenario", month=m) / 100 for m in months])]),
        Chart(kind="bars", title=_("基金累计结余（按月，元）"), unit=_("元"), categories=months, series=[
            Series(name=_("实际"), values=[r[3] / 100 for r in fund]),
            Series(name=_("测算"), values=[r[6] / 100 for r in fund])]),
        Chart(kind="bars", title=_("支缴率（按行业，%）"), unit="%", categories=[r[0] for r in irows], series=[
            Series(name=_("实际"), values=[_pct(r[3]) for r in irows]),
            Series(name=_("测算"), values=[_pct(r[6]) for r in irows])]),
    ], notes=list(res.notes))


def _without(t, titles: tuple[str, ...]):
    """``t`` without the columns of those titles (the printed page is narrower than the screen)."""
    keep = [i for i, c in enumerate(t.columns) if c.title not in titles]
    pick = lambda r: [r[i] for i in keep]  # noqa: E731
    return t.model_copy(update={"columns": pick(t.columns), "rows": [pick(r) for r in t.rows],
                                "total": pick(t.total) if t.total else None, "tips": {}})


def _pct(v) -> float | None:
    v = shown(v)
    return None if v is None else round(v * 100, 1)


def _grade(g) -> str:
    return _("{g} 级").format(g=g) if g else "—"


def compare_view(a: Result, b: Result) -> View:
    """Two scenarios over the same period: the actual figures, A and B."""
    na, nb = a.scenario.name or _("方案甲"), b.scenario.name or _("方案乙")
    names = {**a.industries, **b.industries}
    keys = sorted({(c.month, c.industry) for c in a.by_month_industry()} | {(c.month, c.industry)
                                                                             for c in b.by_month_industry()})
    ca = {(c.month, c.industry): c for c in a.by_month_industry()}
    cb = {(c.month, c.industry): c for c in b.by_month_industry()}
    cols = [Col(title=_("月份")), Col(title=_("行业")), Col(title=_("应缴（实际）"), kind="money"),
            Col(title=_("应缴·甲"), kind="money"), Col(title=_("应缴·乙"), kind="money"),
            Col(title=_("待遇（实际）"), kind="money"), Col(title=_("待遇·甲"), kind="money"),
            Col(title=_("待遇·乙"), kind="money")]
    rows = []
    for k in keys:
        x, y = ca.get(k), cb.get(k)
        act = x or y
        rows.append([k[0], names.get(k[1], k[1]), act.fees_actual, x.fees_scenario if x else act.fees_actual,
                     y.fees_scenario if y else act.fees_actual, act.benefits_actual,
                     x.benefits_scenario if x else act.benefits_actual, y.benefits_scenario if y else act.benefits_actual])
    sa, sb = summary(a), summary(b)
    total = [_("合计"), "", sa.fees_actual, sa.fees_scenario, sb.fees_scenario, sa.benefits_actual,
             sa.benefits_scenario, sb.benefits_scenario]
    legend = _("甲：{a}；乙：{b}。").format(a=na, b=nb)
    t = table("compare_month", _("按月、按行业：实际、甲、乙"), cols, rows, total, note=legend + FEES_NOTE)
    icols = [Col(title=_("行业")), Col(title=_("支缴率（实际）"), kind="pct"), Col(title=_("支缴率·甲"), kind="pct"),
             Col(title=_("支缴率·乙"), kind="pct"), Col(title=_("应缴·甲−乙"), kind="money"),
             Col(title=_("待遇·甲−乙"), kind="money")]
    irows = []
    for i in sorted({c.industry for c in a.cells.values()} | {c.industry for c in b.cells.values()},
                    key=lambda i: (list(names).index(i) if i in names else 99)):
        fa = a.total("fees_actual", industry=i)
        ba = a.total("benefits_actual", industry=i)
        irows.append([names.get(i, i), _ratio(ba, fa),
                      _ratio(a.total("benefits_scenario", industry=i), a.total("fees_scenario", industry=i)),
                      _ratio(b.total("benefits_scenario", industry=i), b.total("fees_scenario", industry=i)),
                      a.total("fees_scenario", industry=i) - b.total("fees_scenario", industry=i),
                      a.total("benefits_scenario", industry=i) - b.total("benefits_scenario", industry=i)])
    t2 = table("compare_ratio", _("支缴率（按行业）：实际、甲、乙"), icols, irows, note=legend)
    facts = [[label, va, vb] for (label, va), (_l, vb) in zip(sa.facts(), sb.facts())]
    t3 = table("compare_summary", _("要点：甲与乙"), [Col(title=_("项目")), Col(title=_("甲")), Col(title=_("乙"))], facts,
               note=legend)
    t4 = table("compare_scenarios", _("两个方案的改动"), [Col(title=_("方案")), Col(title=_("改动"))],
               [[na, line] for line in describe(a.scenario)] + [[nb, line] for line in describe(b.scenario)])
    months = a.months
    return View(key="compare", title=_("方案比较"), tables=[t3, t, t2, t4], charts=[
        Chart(kind="bars", title=_("应缴（按月，元）：实际、甲、乙"), unit=_("元"), categories=months, series=[
            Series(name=_("实际"), values=[a.total("fees_actual", month=m) / 100 for m in months]),
            Series(name=_("甲"), values=[a.total("fees_scenario", month=m) / 100 for m in months]),
            Series(name=_("乙"), values=[b.total("fees_scenario", month=m) / 100 for m in months])]),
        Chart(kind="bars", title=_("支缴率（按行业，%）：实际、甲、乙"), unit="%", categories=[r[0] for r in irows], series=[
            Series(name=_("实际"), values=[_pct(r[1]) for r in irows]),
            Series(name=_("甲"), values=[_pct(r[2]) for r in irows]),
            Series(name=_("乙"), values=[_pct(r[3]) for r in irows])]),
    ])


def digest(res: Result) -> str:
    """A short code of what the report shows (the scenario, the period and every
    figure): the same scenario on the same data gives the same code again."""
    body = {"scenario": res.scenario.raw, "months": res.months,
            "cells": sorted([k[0], k[1], k[2], c.orders, c.fees_actual, c.fees_scenario, c.benefits_actual,
                             c.benefits_scenario] for k, c in res.cells.items()),
            "cases": sorted([c.number, c.once_scenario, c.monthly_scenario, c.paid_scenario] for c in res.cases)}
    h = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12].upper()
    return "-".join(h[i:i + 4] for i in range(0, 12, 4))


def report(res: Result, *, office: str, by: str, at: datetime) -> WhatifReport:
    """What the printed report (forms/whatif_report.py) shows."""
    v = result_view(res)
    s = summary(res)
    tables = {t.key: t for t in v.tables}
    name = res.scenario.name or _("未命名方案")
    sections = [
        ReportSection(title=_("一、方案"), tables=[tables["whatif_scenario"]],
                      note=res.scenario.note),
        ReportSection(title=_("二、要点"), facts=s.facts()),
        ReportSection(title=_("三、按月、按行业"), tables=[_without(tables["whatif_month"], (_("应缴差额"), _("待遇差额")))]),
        ReportSection(title=_("四、基金月度收支"), tables=[tables["whatif_fund"]]),
        ReportSection(title=_("五、支缴率"), tables=[tables["whatif_ratio"], tables["whatif_platform"]]),
        ReportSection(title=_("六、案件"), tables=[_without(tables["whatif_cases"], (
            _("姓名"), _("按月（实际）"), _("按月（测算）")))] if tables["whatif_cases"].rows else [],
                      note="" if tables["whatif_cases"].rows else _("期间内没有待遇支付。")),
    ]
    code = digest(res)
    return WhatifReport(title=_("政策测算报告"), scenario=name, period=_("{a} 至 {b}").format(a=res.months[0],
                                                                                          b=res.months[-1]),
                        office=office, generated_at=at, generated_by=by, number=_("CS-{c}").format(c=code[:4]),
                        code=code, sections=sections,
                        notes=[_("测算只用已有记录计算，不改动任何记录。测算摘要码由方案、期间和各项数字算出：同一方案在同一数据上重算，"
                                 "摘要码相同。")])
