"""The monthly report: ``build_monthly_report`` assembles the A4 report's
sections (scale, fees, cases, durations, benefits, payout-to-fee ratio,
declaration gaps) from the same figures and views as the statistics
screens. forms/monthly_report.py lays it out."""
from __future__ import annotations

from datetime import datetime

from ..i18n import _
from .figures import ActivityFigures, BenefitFigures, CaseFigures, DurationFigures, FeeMonth, GapRow, Names, RatioRow
from .periods import StatsFilter
from .shapes import MonthlyReport, ReportSection, fmt
from .views import (Why, confirm_rate, benefits_view, cases_view, duration_stats, durations_view, enrollment_view,
                    gaps_view, ratio_view)


def _rate_text(v) -> str:
    """A guarded ratio as printed: the figure, or “—” with why."""
    return "—（{w}）".format(w=v.text) if isinstance(v, Why) else fmt("pct", v)


def _scope_text(region: str | None) -> str:
    return _("全部平台，地区 {r}").format(r=region) if region else _("全部平台、全部地区")


def build_monthly_report(*, month: str, office: str, actor_label: str, region: str | None,
                         activity: ActivityFigures, fees: list[FeeMonth], cases: CaseFigures,
                         durations: DurationFigures, benefits: BenefitFigures, ratio_rows: list[RatioRow],
                         gaps: list[GapRow], names: Names, at: datetime) -> MonthlyReport:
    """``activity`` and ``ratio`` cover the year to date (January to ``month``);
    the rest covers ``month`` alone."""
    from ..money import format_yuan
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
                  (_("确认率"), _rate_text(confirm_rate(tc, tr)))]
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
    wanted = (_("所属期"), _("平台"), _("缴费行业"), _("状态"), _("记录订单数"), _("申报单量"), _("差异（申报−记录）"),
              _("未缴"))
    keep = [i for i, c in enumerate(gap_table.columns) if c.title in wanted]
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
