"""Figures to views: one function per statistics view (参保与活跃, 订单与缴费,
案件, 办理时长, 待遇支出, 支缴率, 申报差异) that turns the store's figures
into the tables and charts of a ``View``, with the code-to-label helpers
and the stacked-by-industry chart they share."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..i18n import _
from .figures import ActivityFigures, BenefitFigures, CaseFigures, DurationFigures, FeeMonth, GapRow, Names, RatioRow
from .numbers import median, percentile, ratio
from .periods import StatsFilter
from .shapes import VIEW_TITLES, Chart, Col, Series, Table, View


# Below these bases a ratio says more about chance than about the pilot: the cell shows “—” and says why.
# 支缴率 over less than ¥100,000 of fees says nothing: one death case alone pays about ¥1.1 million
MIN_FEES_FEN = 10_000_000
MIN_DUE_FEN = 10_000  # 缴费率 over less than ¥100 due
MIN_DECIDED = 5  # 确认率 of fewer than five decisions
MIN_ENROLLED = 10  # 活跃率 of fewer than ten enrolled
DASH_NOTE = _("“—”：比率的分母为零或过小（如缴费不足 10 万元、结论不足 5 件），没有统计意义。")


@dataclass(frozen=True)
class Why:
    """A ratio not shown, and why (becomes “—” with a tooltip)."""
    text: str


def rate(num: float, den: float, minimum: float, zero: str, small: str) -> float | Why:
    if not den:
        return Why(zero)
    if den < minimum:
        return Why(small)
    return num / den


def table(key: str, title: str, columns: list[Col], rows: list[list], total: list | None = None,
          note: str = "") -> Table:
    """A Table whose ``Why`` cells become “—” with their reason as the cell's tip."""
    tips: dict[str, str] = {}

    def clean(r: list, i: int) -> list:
        out = []
        for j, v in enumerate(r):
            if isinstance(v, Why):
                tips[f"{i},{j}"] = v.text
                v = None
            out.append(v)
        return out

    body = [clean(r, i) for i, r in enumerate(rows)]
    tot = clean(total, len(rows)) if total is not None else None
    return Table(key=key, title=title, columns=columns, rows=body, total=tot, tips=tips,
                 note=(note + DASH_NOTE) if tips else note)


def shown(v) -> float | None:
    return None if isinstance(v, Why) else v


def industry_label(code: str) -> str:
    from ..enums import Industry
    try:
        return Industry(code).label
    except ValueError:
        return code or _("（未知）")


def state_label(code: str) -> str:
    from ..enums import CaseState
    try:
        return CaseState(code).label
    except ValueError:
        return code


def status_label(code: str) -> str:
    from ..enums import DeclarationStatus
    extra = {"missing": _("未申报"), "line_missing": _("申报缺少该行业")}
    if code in extra:
        return extra[code]
    try:
        return DeclarationStatus(code).label
    except ValueError:
        return code


def _industries(*nested: dict[str, dict[str, int]]) -> list[str]:
    from ..enums import Industry
    seen = {i for d in nested for per in d.values() for i, v in per.items() if v}
    return [i.value for i in Industry if i.value in seen] + sorted(seen - {i.value for i in Industry})


def stacked(title: str, months: list[str], nested: dict[str, dict[str, int]], unit: str,
            scale: float = 1, totals: dict[str, int] | None = None) -> Chart:
    inds = _industries(nested)
    return Chart(kind="stacked", title=title, unit=unit, categories=[m for m in months],
                 totals=[totals[m] for m in months] if totals is not None else None,
                 series=[Series(name=industry_label(i), values=[nested[m][i] / scale for m in months]) for i in inds])


def enrollment_view(a: ActivityFigures, names: Names) -> View:
    inds = _industries(a.active_by_industry)
    cols = [Col(title=_("月份")), Col(title=_("参保人数"), kind="int"), Col(title=_("活跃人数"), kind="int"),
            Col(title=_("活跃率"), kind="pct"), Col(title=_("订单数"), kind="int"), Col(title=_("接单人天"), kind="int")]
    cols += [Col(title=_("活跃·{i}").format(i=industry_label(i)), kind="int") for i in inds]
    rows = [[m, a.enrolled[m], a.active[m],
             rate(a.active[m], a.enrolled[m], MIN_ENROLLED, _("当月没有参保人员"), _("参保不足 10 人，活跃率没有统计意义")),
             a.orders[m], a.worker_days[m]] + [a.active_by_industry[m][i] for i in inds] for m in a.months]
    t = table("enrollment", _("参保与活跃（按月）"), cols, rows,
              note=_("参保：当月有覆盖的参保登记（参保登记表）；活跃：当月有接单（日单量：订单记录和平台报送的日单量）。"
                     "同一人在多个平台或行业只计一次，按行业分列时各计一次。"))
    return View(key="enrollment", title=VIEW_TITLES["enrollment"], tables=[t], charts=[
        stacked(_("活跃人数（按月、按行业）"), a.months, a.active_by_industry, _("人"), totals=a.active),
        stacked(_("参保人数（按月、按行业）"), a.months, a.enrolled_by_industry, _("人"), totals=a.enrolled)])


def fees_view(fees: list[FeeMonth], a: ActivityFigures, f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("费款所属期")), Col(title=_("记录订单数"), kind="int"), Col(title=_("申报单量"), kind="int"),
            Col(title=_("申报数"), kind="int"), Col(title=_("其中草稿"), kind="int"), Col(title=_("应缴"), kind="money"),
            Col(title=_("已缴"), kind="money"), Col(title=_("欠缴"), kind="money"), Col(title=_("缴费率"), kind="pct"),
            Col(title=_("逾期申报"), kind="int")]
    zero, small = _("没有已提交申报的应缴金额（尚未申报或只有草稿）"), _("应缴不足 100 元，缴费率没有统计意义")
    rows = [[m.month, a.orders[m.month], m.orders_declared, m.declarations, m.drafts, m.due_fen, m.paid_fen,
             m.outstanding_fen, rate(m.paid_fen, m.due_fen, MIN_DUE_FEN, zero, small), m.overdue] for m in fees]
    due_all, paid_all = sum(m.due_fen for m in fees), sum(m.paid_fen for m in fees)
    tot = [_("合计"), sum(a.orders[m.month] for m in fees), sum(m.orders_declared for m in fees),
           sum(m.declarations for m in fees), sum(m.drafts for m in fees), due_all, paid_all,
           sum(m.outstanding_fen for m in fees), rate(paid_all, due_all, MIN_DUE_FEN, zero, small),
           sum(m.overdue for m in fees)]
    months = [m.month for m in fees]
    due = {m.month: m.due_by_industry for m in fees}
    return View(key="fees", title=VIEW_TITLES["fees"],
                tables=[table("fees", _("订单与缴费（按月）"), cols, rows, tot,
                              note=_("记录订单数：日单量（订单记录和平台报送）；申报单量、应缴、已缴：缴费申报及其缴款记录，"
                                     "按费款所属月份（草稿不计应缴）；按行业筛选时已缴按申报各行业应缴金额比例分摊。"))],
                charts=[stacked(_("订单数（按月、按行业）"), a.months, a.orders_by_industry, _("单")),
                        stacked(_("应缴费额（按月、按缴费行业，元）"), months, due, _("元"), scale=100)],
                ignored_filters=["station"] if f.station_id else [])


def confirm_rate(confirmed: int, refused: int) -> float | Why:
    return rate(confirmed, confirmed + refused, MIN_DECIDED, _("没有作出结论的案件"),
                _("结论不足 5 件，确认率没有统计意义"))


def cases_view(c: CaseFigures, names: Names) -> View:
    inds = _industries(c.reported_by_industry)
    month_cols = [Col(title=_("月份")), Col(title=_("报案"), kind="int"), Col(title=_("予以确认"), kind="int"),
                  Col(title=_("不予确认"), kind="int"), Col(title=_("撤回"), kind="int"),
                  Col(title=_("确认率"), kind="pct")]
    month_cols += [Col(title=_("报案·{i}").format(i=industry_label(i)), kind="int") for i in inds]
    rows = [[m, c.reported[m], c.confirmed[m], c.refused[m], c.withdrawn[m],
             confirm_rate(c.confirmed[m], c.refused[m])] + [c.reported_by_industry[m][i] for i in inds]
            for m in c.months]
    tc, tr = sum(c.confirmed.values()), sum(c.refused.values())
    total = [_("合计"), sum(c.reported.values()), tc, tr, sum(c.withdrawn.values()), confirm_rate(tc, tr)] + \
        [sum(c.reported_by_industry[m][i] for m in c.months) for i in inds]
    sit = sorted(c.by_situation.items(), key=lambda kv: -kv[1])
    body = sorted(c.by_body_part.items(), key=lambda kv: (-kv[1], kv[0]))
    states = sorted(c.by_state.items(), key=lambda kv: -kv[1])
    base = c.funnel[0][1] if c.funnel else 0
    funnel_rows = [[state_label(s), n, rate(n, base, MIN_DECIDED, _("本期没有报案"),
                                             _("报案不足 5 件，比例没有统计意义"))] for s, n in c.funnel]
    src = _("来源：案件登记、案件流转记录和确认结论。")
    return View(key="cases", title=VIEW_TITLES["cases"], tables=[
        table("cases_month", _("案件（按月）"), month_cols, rows, total,
              note=_("报案按报案日期；予以确认与不予确认按首次结论日期；撤回按撤回日期。") + src),
        table("cases_funnel", _("案件进度漏斗"), [Col(title=_("阶段")), Col(title=_("案件数"), kind="int"),
              Col(title=_("占报案"), kind="pct")], funnel_rows,
              note=_("本期报案的案件中，曾到达各阶段的件数（按案件流转记录）。")),
        table("cases_situation", _("确认情形"), [Col(title=_("情形")), Col(title=_("件数"), kind="int")],
              [[names.situation(k), n] for k, n in sit],
              note=_("本期首次予以确认的案件，按确认结论书所引的情形。")),
        table("cases_body", _("受伤部位"), [Col(title=_("部位")), Col(title=_("件数"), kind="int")],
              [[k, n] for k, n in body], note=_("本期报案的案件，按报案登记的受伤部位；一案多个部位时各计一次。")),
        table("cases_state", _("当前状态"), [Col(title=_("状态")), Col(title=_("件数"), kind="int")],
              [[state_label(s), n] for s, n in states], note=_("本期报案的案件今天所处的办理阶段。")),
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
    how = _("自报案日至首次结论日、至首次支付日的日历天数（案件登记、确认结论和已审批的支付）；按结论或支付所在月份统计。"
            "中位数为居中值（偶数个取中间两值的平均）；90%分位取最近秩。没有案件的月份显示“—”。")
    return View(key="durations", title=VIEW_TITLES["durations"], tables=[
        table("durations_month", _("办理时长（天，按月）"), cols, rows, total, note=how),
        table("durations_group", _("办理时长（天，按平台、行业）"), grp_cols, grp_rows, note=how),
    ], charts=[Chart(kind="bars", title=_("报案至结论天数（按月）"), unit=_("天"), categories=months, series=[
        Series(name=_("中位数"), values=[r[2] for r in rows]),
        Series(name=_("90%分位"), values=[r[3] for r in rows])]),
        Chart(kind="bars", title=_("报案至首次支付天数（按月）"), unit=_("天"), categories=months, series=[
            Series(name=_("中位数"), values=[r[5] for r in rows]),
            Series(name=_("90%分位"), values=[r[6] for r in rows])])])


def _item_name(code: str) -> str:
    """A benefit item's name when its payment did not keep it (never the code on screen)."""
    from ..parameters import load_ruleset
    for rs in ("pilot-2025", "pilot-2022"):
        item = load_ruleset(rs).items.get(code)
        if item is not None:
            return item.name
    return _("其他待遇")


def benefits_view(b: BenefitFigures, f: StatsFilter, names: Names) -> View:
    period_label = {"once": _("一次性"), "monthly": _("按月")}
    items = sorted(b.by_item.items(), key=lambda kv: -kv[1][0])
    rows = [[name or _item_name(code), period_label.get(period, period), fen, n,
             rate(fen, b.total_fen, 1, _("本期没有支付"), "")] for (code, name, period), (fen, n) in items]
    cols = [Col(title=_("待遇项目")), Col(title=_("类型")), Col(title=_("已支付金额"), kind="money"),
            Col(title=_("涉及支付笔数"), kind="int"), Col(title=_("占比"), kind="pct")]
    months = f.months()
    inds = _industries(b.by_month_industry)
    mcols = [Col(title=_("月份")), Col(title=_("合计"), kind="money")] + \
        [Col(title=industry_label(i), kind="money") for i in inds]
    mrows = [[m, sum(b.by_month_industry[m].values())] + [b.by_month_industry[m][i] for i in inds] for m in months]
    return View(key="benefits", title=VIEW_TITLES["benefits"], tables=[
        table("benefits_item", _("待遇支出（按项目）"), cols, rows,
              [_("合计"), "", b.total_fen, b.payments, 1.0 if b.total_fen else Why(_("本期没有支付"))],
              note=_("已审批的待遇支付，按支付日期统计。一笔支付按其待遇核定中同类（一次性或按月）各项目金额的比例分摊到项目，"
                     "分到分，尾差按最大余数。")),
        table("benefits_month", _("待遇支出（按月、按行业）"), mcols, mrows,
              note=_("已审批的待遇支付，按支付日期所在月份和案件的行业统计。")),
    ], charts=[
        Chart(kind="hbars", title=_("待遇支出（按项目，元）"), unit=_("元"), categories=[r[0] for r in rows],
              series=[Series(name=_("已支付"), values=[r[2] / 100 for r in rows])]),
        stacked(_("待遇支出（按月、按行业，元）"), months, b.by_month_industry, _("元"), scale=100)])


def payout_ratio(benefits_fen: int, fees_fen: int) -> float | Why:
    """支缴率 as shown: “—” over no fees, or over less than ¥1,000 of them."""
    return rate(benefits_fen, fees_fen, MIN_FEES_FEN, _("期内没有已收缴费"),
                _("期内已收缴费不足 10 万元：一笔待遇就能使支缴率成倍变化，没有统计意义"))


def ratio_view(rows: list[RatioRow], f: StatsFilter, names: Names) -> View:
    cols = [Col(title=_("平台")), Col(title=_("缴费行业")), Col(title=_("已收缴费"), kind="money"),
            Col(title=_("已付待遇"), kind="money"), Col(title=_("支付笔数"), kind="int"), Col(title=_("支缴率"), kind="pct")]
    body = [[names.platform(r.platform_id), industry_label(r.industry), r.fees_paid_fen, r.benefits_paid_fen,
             r.payments, payout_ratio(r.benefits_paid_fen, r.fees_paid_fen)]
            for r in sorted(rows, key=lambda r: (names.platform(r.platform_id), r.industry))]
    fees, ben = sum(r.fees_paid_fen for r in rows), sum(r.benefits_paid_fen for r in rows)
    total = [_("合计"), "", fees, ben, sum(r.payments for r in rows), payout_ratio(ben, fees)]
    by_p: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_i: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_p[r.platform_id][0] += r.fees_paid_fen
        by_p[r.platform_id][1] += r.benefits_paid_fen
        by_i[r.industry][0] += r.fees_paid_fen
        by_i[r.industry][1] += r.benefits_paid_fen
    pcols = [Col(title=_("平台")), Col(title=_("已收缴费"), kind="money"), Col(title=_("已付待遇"), kind="money"),
             Col(title=_("支缴率"), kind="pct")]
    prow = [[names.platform(p), a, b, payout_ratio(b, a)]
            for p, (a, b) in sorted(by_p.items(), key=lambda kv: names.platform(kv[0]))]
    icols = [Col(title=_("缴费行业"))] + pcols[1:]
    order = {c: i for i, c in enumerate(_industries({"": {k: 1 for k in by_i}}))}
    irow = [[industry_label(i), a, b, payout_ratio(b, a)] for i, (a, b) in sorted(by_i.items(),
                                                                                   key=lambda kv: order.get(kv[0], 99))]
    how = _("支缴率 = 期内已付待遇 ÷ 期内已收缴费，均按款项实际收付日期（已审批的待遇支付；缴费申报的缴款记录）。"
            "缴款按申报各行业应缴比例分摊；2025-07-01 起外卖按事故日期计入即时配送。")

    def pct(v):
        v = shown(v)
        return None if v is None else round(v * 100, 1)

    return View(key="ratio", title=VIEW_TITLES["ratio"], tables=[
        table("ratio_platform_industry", _("支缴率（按平台、行业）"), cols, body, total, note=how),
        table("ratio_platform", _("支缴率（按平台）"), pcols, prow, note=how),
        table("ratio_industry", _("支缴率（按行业）"), icols, irow, note=how),
    ], charts=[Chart(kind="hbars", title=_("支缴率（按平台，%）"), unit="%", categories=[r[0] for r in prow],
                     series=[Series(name=_("支缴率"), values=[pct(r[3]) for r in prow])]),
               Chart(kind="bars", title=_("已收缴费与已付待遇（按行业，元）"), unit=_("元"),
                     categories=[r[0] for r in irow],
                     series=[Series(name=_("已收缴费"), values=[r[1] / 100 for r in irow]),
                             Series(name=_("已付待遇"), values=[r[2] / 100 for r in irow])])],
                ignored_filters=["station"] if f.station_id else [])


def gaps_view(rows: list[GapRow], f: StatsFilter, names: Names) -> View:
    regions = len({r.region for r in rows}) > 1  # the area's column only where it tells rows apart
    cols = [Col(title=_("所属期")), Col(title=_("平台"))] + ([Col(title=_("地区"))] if regions else []) + [
        Col(title=_("缴费行业")), Col(title=_("申报编号")), Col(title=_("状态")), Col(title=_("记录订单数"), kind="int"),
        Col(title=_("申报单量"), kind="int"), Col(title=_("差异（申报−记录）"), kind="int"),
        Col(title=_("应缴"), kind="money"), Col(title=_("未缴"), kind="money")]
    body = [[r.month, names.platform(r.platform_id)] + ([r.region] if regions else []) + [
        industry_label(r.industry), r.number, status_label(r.status), r.recorded, r.declared, r.difference, r.due_fen,
        r.unpaid_fen] for r in rows]
    total = [_("合计"), ""] + ([""] if regions else []) + ["", "", "", sum(r.recorded for r in rows),
                                                          sum(r.declared for r in rows), sum(r.difference for r in rows),
                                                          sum(r.due_fen for r in rows), sum(r.unpaid_fen for r in rows)]
    flagged = [b for b, r in zip(body, rows) if r.difference or r.unpaid_fen or r.status in ("missing", "line_missing")]
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r.status not in ("missing", "line_missing"):  # an undeclared month is a gap of its own, not a difference
            by_month[r.month][0] += r.difference
        by_month[r.month][1] += r.unpaid_fen
    months = f.months()
    how = _("记录订单数取当前的日单量（订单记录和平台报送的日单量）；申报单量、应缴、未缴取缴费申报及其缴款记录"
            "（缴款按各行业应缴比例分摊）。未申报：有订单、但该月未提交申报（不含当月）。")
    return View(key="gaps", title=VIEW_TITLES["gaps"], tables=[
        table("gaps_flagged", _("有差异或未缴的申报"), cols, flagged, note=how),
        table("gaps_all", _("全部申报行"), cols, body, total, note=how),
    ], charts=[Chart(kind="bars", title=_("申报单量差异（按月，申报−记录；不含未申报）"), unit=_("单"), categories=months,
                     series=[Series(name=_("差异"), values=[by_month[m][0] for m in months])]),
               Chart(kind="bars", title=_("未缴金额（按月，元）"), unit=_("元"), categories=months,
                     series=[Series(name=_("未缴"), values=[by_month[m][1] / 100 for m in months])])],
                ignored_filters=["station"] if f.station_id else [])
