"""The evidence a confirmation decision stands on, and the facts (事实认定)
it prints: written in the office's own voice, in the third person, from the
records only — the order records at the accident time, the worker's cover on
that platform and industry, the documents received, the dates — and never
from the worker's own account of the accident. The decision dialog's preview
and the printed decision use the same ``build_facts``; the store refuses a
conclusion the records do not support unless an override reason explains it,
and that reason is printed in the facts, so the facts cannot contradict the
conclusion."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .i18n import _
from .timeutil import SHANGHAI, cn_date


@dataclass
class Evidence:
    accident_at: datetime
    platform: str
    industry: str  # label
    in_progress: list = field(default_factory=list)  # OrderRecord
    before: object | None = None
    after: object | None = None
    orders_that_day: int = 0
    cover: list = field(default_factory=list)  # Enrollment covering the accident day (platform, industry)
    enrollments: list = field(default_factory=list)  # every enrollment on the platform in the industry
    received: list[tuple[str, date | None]] = field(default_factory=list)  # (document, received on)
    missing: list[str] = field(default_factory=list)
    reported_on: date | None = None
    accepted_on: date | None = None

    @property
    def order_in_progress(self) -> bool:
        return bool(self.in_progress)

    @property
    def covered(self) -> bool:
        return bool(self.cover)

    def problems(self, confirm: bool) -> list[str]:
        """What the records say against the conclusion: each needs an override reason."""
        if not confirm:
            return [_("平台订单记录显示事故发生时正在执行订单 {o}").format(o=self.in_progress[0].order_no)] \
                if self.in_progress else []
        out = []
        if not self.in_progress:
            out.append(_("平台订单记录中没有事故发生时正在执行的订单"))
        if not self.cover:
            out.append(_("事故发生之日不在其在{p}{i}行业的参保期间内").format(p=self.platform, i=self.industry))
        return out


def _t(t: datetime | None) -> str:
    if t is None:
        return ""
    t = t.astimezone(SHANGHAI)
    return f"{cn_date(t.date())}{t:%H:%M}"


def _order(o, *, finished: bool = True) -> str:
    text = _("订单 {n}（{a}接单").format(n=o.order_no, a=_t(o.accepted_at))
    if finished:
        text += _("，{f}完成").format(f=_t(o.finished_at)) if o.finished_at else _("，无完成记录")
    return text + "）"


def _cover_text(ev: Evidence, day: date) -> str:
    if ev.cover:
        e = ev.cover[0]
        until = _("至{d}止").format(d=cn_date(e.end_on)) if e.end_on else ""
        return _("本机构参保登记记录显示，其自{s}起在{p}参加{i}行业职业伤害保障{u}，事故发生之日在保障期间内。").format(
            s=cn_date(e.start_on), p=ev.platform, i=ev.industry, u=until)
    if ev.enrollments:
        spans = "、".join(_("{s}至{e}").format(s=cn_date(e.start_on), e=cn_date(e.end_on) if e.end_on else _("今"))
                          for e in ev.enrollments)
        return _("本机构参保登记记录显示，其在{p}{i}行业的保障期间为{spans}，事故发生之日（{d}）不在保障期间内。").format(
            p=ev.platform, i=ev.industry, spans=spans, d=cn_date(day))
    return _("本机构参保登记记录中未见其在{p}{i}行业参加职业伤害保障的记录。").format(p=ev.platform, i=ev.industry)


def _orders_text(ev: Evidence) -> str:
    if ev.in_progress:
        o = ev.in_progress[0]
        more = _("（同时进行中的订单共 {n} 单）").format(n=len(ev.in_progress)) if len(ev.in_progress) > 1 else ""
        return _("平台订单记录显示，事故发生时其正在执行{o}{m}。").format(o=_order(o), m=more)
    text = _("平台订单记录中未见事故发生时正在执行的订单")
    near = []
    if ev.before is not None:
        near.append(_("此前最近一单为{o}").format(o=_order(ev.before)))
    if ev.after is not None:
        near.append(_("此后最近一单为{o}").format(o=_order(ev.after, finished=False)))
    if near:
        text += "；" + "，".join(near)
    return text + _("；事故当日平台记录接单 {n} 单。").format(n=ev.orders_that_day)


def _documents_text(ev: Evidence) -> str:
    parts = []
    if ev.received:
        names = "、".join(dict.fromkeys(name for name, _d in ev.received))
        days = [d for _n, d in ev.received if d]
        when = _("截至{d}，").format(d=cn_date(max(days))) if days else ""
        parts.append(_("{w}本机构已收到{n}。").format(w=when, n=names))
    else:
        parts.append(_("本机构未收到申请材料。"))
    if ev.missing:
        parts.append(_("尚未提交{m}。").format(m="、".join(ev.missing)))
    return "".join(parts)


def build_facts(ev: Evidence, *, worker: str, station: str = "", place: str = "", body_parts: str = "",
                hospital: str = "", override_reason: str = "", death_date: date | None = None) -> str:
    """The 事实认定 paragraph: who, cover, when and where (as registered),
    the order records, the dates and documents, and — when the conclusion
    stands against a record — the reason the office gives for it."""
    at = ev.accident_at.astimezone(SHANGHAI)
    where = ev.platform + (f"{station}" if station else "")
    text = _("经查，{w}系{p}{i}行业从业人员。").format(w=worker, p=where, i=ev.industry)
    text += _cover_text(ev, at.date())
    text += _("据报案登记，事故发生于{t}，地点为{pl}").format(t=_t(at), pl=place or _("（未登记）"))
    if death_date is not None:  # the worker died: the facts say so, with the day
        if hospital.strip():
            text += _("，{w}经{h}抢救无效，于{d}死亡").format(w=worker, h=hospital.strip(), d=cn_date(death_date))
        else:
            text += _("，{w}于{d}死亡").format(w=worker, d=cn_date(death_date))
    else:
        if body_parts.strip():
            text += _("，受伤部位为{b}").format(b=body_parts.strip())
        if hospital.strip():
            text += _("，就诊医院为{h}").format(h=hospital.strip())
    text += "。"
    text += _orders_text(ev)
    dates = []
    if ev.reported_on:
        dates.append(_("{d}报案").format(d=cn_date(ev.reported_on)))
    if ev.accepted_on:
        dates.append(_("{d}受理").format(d=cn_date(ev.accepted_on)))
    if dates:
        text += _("本案于{d}。").format(d="，".join(dates))
    text += _documents_text(ev)
    reason = " ".join((override_reason or "").split()).rstrip("。")
    if reason:
        text += _("上述记录与本结论不一致之处，经本机构调查核实：{r}。").format(r=reason)
    return text
