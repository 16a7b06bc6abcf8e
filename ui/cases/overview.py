"""The case's facts and history, and the order proof, as the detail pane's HTML."""
from __future__ import annotations

import json
from datetime import timedelta

from claims import checklist as rules
from claims.enums import CareLevel
from claims.i18n import _
from claims.money import format_yuan
from claims.parameters import ruleset_name

from ..html import grid, h, heading, table, title
from .deadline import due_text
from claims.timeutil import today as china_today

COVER_KINDS = {"union_mutual_aid": "工会职工互助保障", "commercial_accident": "商业意外险",
               "employer_liability": "雇主责任险"}


def overview_html(ctx, c) -> str:
    s = ctx.store
    w, p = s.worker(c.worker_id), s.platform(c.platform_id)
    station = s.station(c.station_id).name if c.station_id else "—"
    today = china_today()
    idn = ctx.id_text(w.id_number, w.id, c.id)
    parts = [title(_("{n}　{s}").format(n=c.number, s=c.state.label), due_text(c, today)), next_step_html(ctx, c, today),
             table([(_("人员"), f"{w.name}（{idn}）"),
                    (_("平台 / 行业 / 站点"), f"{p.name} / {c.industry.label} / {station}"),
                    (_("事故类型"), rules.CASE_TYPES.get(c.case_type, c.case_type)),
                    (_("订单号"), c.order_no or "—"),
                    (_("事故时间"), c.accident_at.strftime("%Y-%m-%d %H:%M")),
                    (_("事故地点"), c.place), (_("受伤部位"), c.body_parts), (_("就诊医院"), c.hospital or "—"),
                    (_("首次诊断日期"), c.diagnosed_on.isoformat() if c.diagnosed_on else _("未填（收到初诊证明时补填）")),
                    (_("报案人"), f"{c.reporter_name}（{c.reporter_relation}）"),
                    (_("报案时间"), c.reported_at.strftime("%Y-%m-%d %H:%M")),
                    (_("事故经过"), c.description)])]
    if not ctx.shown(w.id, c.id):
        parts.append("<p style='margin:2px 0'><a href='reveal:case'>" + h(_("显示完整号码（记入审计日志）")) + "</a></p>")
    covers = s.other_cover_of(c.worker_id)
    parts.append(heading(_("其他保障（{n} 项）").format(n=len(covers))))
    parts.append(grid([_("类别"), _("名称"), _("承保机构"), _("保单号"), _("期间")],
                      [[COVER_KINDS.get(o.kind, o.kind), o.name, o.insurer, o.policy_no,
                        f"{o.start_on or ''}—{o.end_on or ''}"] for o in covers]) if covers else
                 "<p style='color:#888'>" + _("未登记工会互助或商业保险；如有，请在“参保登记”中补充，以免漏赔。") + "</p>")
    if c.relapse_of:
        orig = s.case(c.relapse_of)
        d = s.original_decision(c)
        parts.append("<p>" + h(_("复发：原案件 {o}（已结案），原确认结论 {d} 继续有效").format(
            o=orig.number, d=d.number if d else "—")) + "</p>")
    relapses = [r.number for r in s.relapses_of(c.id) if r.id != c.id] if c.state.value == "closed" or c.relapse_of else []
    if relapses:
        parts.append("<p>" + h(_("复发案件：{n}").format(n="、".join(relapses))) + "</p>")
    decisions = s.decisions_of(c.id)
    if decisions:
        parts.append(heading(_("确认结论")))
        rows = []
        for d in decisions:
            sit = d.situation()
            what = (sit.wording.rstrip("的") if sit else d.situation_code) + (
                ("；" + d.reasons) if d.reasons else "")
            basis = (sit.citation if sit else "") + (("；" + d.legal_basis) if d.legal_basis else "")
            rows.append([d.number, d.decided_on.isoformat(), _("予以确认") if d.kind == "confirm" else _("不予确认"),
                         what, basis, d.served_on.isoformat() if d.served_on else _("未登记")])
        parts.append(grid([_("编号"), _("日期"), _("结论"), _("情形 / 理由"), _("依据"), _("送达")], rows))
        last = decisions[-1]
        if last.override_reason:
            parts.append("<p style='color:#b9770e'>" + h(_("与记录不一致的理由：{r}").format(r=last.override_reason))
                         + "</p>")
        if c.lawsuit_until:
            parts.append(table([(_("申请行政复议期限"), window_text(c.review_until, today)),
                                (_("提起行政诉讼期限"), window_text(c.lawsuit_until, today))]))
            if last.served_on is None:
                parts.append("<p style='color:#b9770e'>" + h(_(
                    "尚未登记结论书送达日期：以上期限暂按结论日期 {d} 起算，登记送达日期后自送达次日重新计算。").format(
                    d=last.decided_on.isoformat())) + "</p>")
            else:
                parts.append("<p style='color:#666;margin:0'>" + h(_("以上期限自送达日期 {d} 的次日起算。").format(
                    d=last.served_on.isoformat())) + "</p>")
    apps = s.appraisals_of(c.id)
    if apps:
        parts.append(heading(_("劳动能力鉴定")))
        parts.append(grid([_("结论书"), _("日期"), _("等级"), _("生活自理"), _("当前")],
                          [[a.conclusion_no, a.concluded_on.isoformat(),
                            _("{g} 级").format(g=a.grade) if a.grade else _("未达等级"),
                            CareLevel(a.care_level).label if a.care_level else "—",
                            _("是") if a.current else _("（已被替代）")] for a in apps]))
    for a in s.assessments_of(c.id):
        parts.append(heading(_("待遇核定 {n}（{s}）").format(n=a.number, s=_(a.status_label))))
        if a.returned_by:
            parts.append("<p style='color:#b9770e;margin:0'>" + h(_("{who}退回：{r}").format(
                who=s.display_name(a.returned_by), r=a.return_reason)) + "</p>")
        res = json.loads(a.result_json or "{}")
        items = [[i["name"], _("一次性") if i["period"] == "once" else (
                  _("按月，{m}起").format(m=i["from"]) if i.get("from") else _("按月")), i["formula"], "¥" + i["amount"]]
                 for i in res.get("items", [])]
        parts.append(grid([_("项目"), _("期间"), _("计算公式"), _("金额")], items))
        parts.append(table([(_("一次性合计"), format_yuan(a.once_total_fen)),
                            (_("按月合计"), format_yuan(a.monthly_total_fen)),
                            (_("依据"), ruleset_name(a.rule_set))]))
        for warn in res.get("warnings", []):
            parts.append(f"<p style='color:#b9770e;margin:0'>⚠ {h(warn)}</p>")
    pays = s.payments_of(c.id)
    if pays:
        parts.append(heading(_("支付")))
        parts.append(grid([_("编号"), _("类别"), _("金额"), _("收款人"), _("状态"), _("制单"), _("审批")],
                          [[x.number, _("一次性") if x.kind == "once" else x.period_month, format_yuan(x.amount_fen),
                            x.payee, x.status_label, s.display_name(x.prepared_by),
                            s.display_name(x.approved_by or x.returned_by) or "—"] for x in pays]))
    parts.append(heading(_("案件历史")))
    parts.append(grid([_("时间"), _("从"), _("到"), _("经办人"), _("说明")],
                      [[e.at.strftime("%Y-%m-%d %H:%M"), e.from_state.label if e.from_state else "—", e.to_state.label,
                        s.display_name(e.actor), e.note] for e in s.case_events(c.id)]))
    return "".join(parts)


def next_step_html(ctx, c, today) -> str:
    """What happens next, who does it and by when; and, when it is not this user's, why."""
    from claims.next_step import next_step, step_text
    step = next_step(ctx.store, c, today)
    lines = [f"<b>{h(step_text(step))}</b>"]
    if step is not None:
        if step.note:
            lines.append(h(step.note))
        ok, why = step.can(ctx.actor)
        lines.append(h(_("您可以办理这一步。") if ok else _("您不能办理：{w}。").format(w=why)))
    color = "#eaf4ea" if step is None or step.can(ctx.actor)[0] else "#fdf2e9"
    return (f"<table width='100%' cellpadding='6' style='background:{color};margin:4px 0'><tr><td>"
            + "<br>".join(lines) + "</td></tr></table>")


def window_text(last, today) -> str:
    if last is None:
        return "—"
    days = (last - today).days
    return _("至 {d}（剩 {n} 天）").format(d=last.isoformat(), n=days) if days >= 0 else \
        _("至 {d}（已届满）").format(d=last.isoformat())


def _order_rows(orders) -> list[list[str]]:
    return [[o.order_no, o.industry.label, o.accepted_at.strftime("%Y-%m-%d %H:%M"),
             o.finished_at.strftime("%Y-%m-%d %H:%M") if o.finished_at else _("未完成/取消"), o.region] for o in orders]


def order_proof_html(ctx, c) -> str:
    """Was the worker performing an order at the accident time? With the evidence."""
    s = ctx.store
    at = c.accident_at
    proof = s.orders_at(c.worker_id, at, c.platform_id, actor=ctx.actor)
    day = s.worked_on(c.worker_id, at.date(), c.platform_id, actor=ctx.actor)
    head = [_("订单号"), _("行业"), _("接单时间"), _("完成时间"), _("地区")]
    parts = [title(_("接单证明"), _("事故时间 {t}，平台 {p}").format(t=at.strftime("%Y-%m-%d %H:%M"),
                                                              p=s.platform(c.platform_id).name))]
    if proof["in_progress"]:
        parts.append("<p style='color:#1e8449;font-weight:bold'>" + _("事故发生时正在执行订单（{n} 单）。").format(
            n=len(proof["in_progress"])) + "</p>")
        parts.append(grid(head, _order_rows(proof["in_progress"])))
    else:
        parts.append("<p style='color:#b9770e;font-weight:bold'>" + _("事故时点没有进行中的订单记录。") + "</p>")
        parts.append(heading(_("最近的订单")))
        near = []
        for label, o in ((_("之前"), proof["before"]), (_("之后"), proof["after"])):
            if o is not None:
                gap = abs(((o.finished_at or o.accepted_at) if label == _("之前") else o.accepted_at) - at)
                near.append([label, *_order_rows([o])[0], _gap(gap)])
        parts.append(grid([_("位置"), *head, _("相隔")], near))
    if c.order_no:
        rec = s.order_by_number(c.platform_id, c.order_no, actor=ctx.actor)
        parts.append(heading(_("报案所称订单 {o}").format(o=c.order_no)))
        if rec is None:
            parts.append("<p style='color:#b9770e'>" + _("订单记录中没有这个订单（可能尚未导入）。") + "</p>")
        else:
            inside = rec.accepted_at <= at and (rec.finished_at is None or at <= rec.finished_at)
            ok = rec.worker_id == c.worker_id
            parts.append(grid(head, _order_rows([rec])))
            parts.append("<p>" + (_("事故时间在该订单的接单与完成之间。") if inside else _("事故时间不在该订单的接单与完成之间。"))
                         + ("" if ok else _("　注意：该订单不是本人接的！")) + "</p>")
    parts.append(heading(_("事故当日接单 {n} 单").format(n=day["orders"])))
    parts.append(grid(head, _order_rows(day["records"][:30])))
    parts.append("<p style='color:#888'>" + _("证据来源：平台导入的订单记录和按日接单量。") + "</p>")
    return "".join(parts)


def _gap(d: timedelta) -> str:
    mins = int(d.total_seconds() // 60)
    return _("{h} 小时 {m} 分").format(h=mins // 60, m=mins % 60) if mins >= 60 else _("{m} 分钟").format(m=mins)
