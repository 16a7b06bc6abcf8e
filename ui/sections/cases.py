"""案件: the case list (filter by state, platform, industry, deadline; search by
case number, name or ID number) and one case's facts, history and next steps."""
from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QPushButton

from claims.enums import CaseState, Industry
from claims.i18n import _
from claims.lifecycle import ACTION_LABELS, REVIEWER_ONLY
from claims.money import format_yuan
from claims.store import CaseFilter
from claims.validators import mask_id

from ..errors import show_error
from ..html import grid, heading, table, title
from ..table import Column
from .base import ListSection


def due_text(c, today: date) -> str:
    if c.due_on is None:
        return "暂停" if c.state in (CaseState.suspended, CaseState.disputed) else ""
    days = (c.due_on - today).days
    return f"逾期 {-days} 天" if days < 0 else f"{c.due_on.isoformat()}（剩 {days} 天）"


def due_color(c, today: date):
    if c.due_on is None:
        return None
    days = (c.due_on - today).days
    return QColor("#c0392b") if days < 0 else QColor("#b9770e") if days <= 7 else None


class CasesSection(ListSection):
    title = "案件"
    tables = frozenset({"cases", "decisions", "appraisals", "assessments", "benefit_payments", "case_documents"})
    search_hint = "按案件号、姓名或身份证号查找　Ctrl+F"

    def columns(self):
        today = date.today()
        self._names: dict[str, str] = {}
        return [
            Column(_("案件号"), lambda c: c.number),
            Column(_("姓名"), lambda c: self.name_of(c.worker_id)),
            Column(_("行业"), lambda c: c.industry.label),
            Column(_("事故时间"), lambda c: c.accident_at.strftime("%Y-%m-%d %H:%M")),
            Column(_("状态"), lambda c: c.state.label),
            Column(_("时限"), lambda c: due_text(c, today), color=lambda c: due_color(c, today)),
        ]

    def name_of(self, worker_id: str) -> str:
        if worker_id not in self._names:
            self._names[worker_id] = self.ctx.store.worker(worker_id).name
        return self._names[worker_id]

    def build_filters(self):
        s = self.ctx.store
        self.state_box = self.add_filter(_("状态"), [(_("全部状态"), None)] + [(x.label, x.value) for x in CaseState])
        self.platform_box = self.add_filter(_("平台"), [(_("全部平台"), None)] + [(p.name, p.id) for p in s.platforms()])
        self.industry_box = self.add_filter(_("行业"), [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry])
        self.due_box = self.add_filter(_("时限"), [(_("全部"), None), (_("7 天内到期"), "soon"), (_("已逾期"), "overdue")])
        self.filters.addStretch(1)

    def build_actions(self):
        self.action_buttons: list[QPushButton] = []
        self.actions_bar.addStretch(1)

    def filter(self) -> CaseFilter:
        return CaseFilter(text=self.search.text(), state=self.state_box.currentData(),
                          platform_id=self.platform_box.currentData(), industry=self.industry_box.currentData(),
                          due=self.due_box.currentData())

    def fetch(self, offset, limit):
        return self.ctx.store.search_cases(self.filter(), offset=offset, limit=limit, actor=self.ctx.actor)

    def count(self):
        return self.ctx.store.count_cases(self.filter(), actor=self.ctx.actor)

    def on_select(self, c):
        for b in self.action_buttons:
            self.actions_bar.removeWidget(b)
            b.deleteLater()
        self.action_buttons = []
        if c is None:
            return
        # Steps that need their own form (decision, appraisal, assessment) come from their screens.
        simple = {CaseState.awaiting_documents, CaseState.accepted, CaseState.investigating, CaseState.appraisal,
                  CaseState.paid, CaseState.closed, CaseState.withdrawn, CaseState.disputed, CaseState.suspended}
        for target in self.ctx.store.allowed_transitions(c.id):
            if target not in simple and target != self.ctx.store.resume_state(c.id):
                continue
            label = ACTION_LABELS.get(target, target.label)
            if c.state in (CaseState.suspended, CaseState.disputed) and target == self.ctx.store.resume_state(c.id):
                label = _("恢复（回到{s}）").format(s=target.label)
            b = QPushButton(label)
            b.setEnabled(target not in REVIEWER_ONLY or self.ctx.actor.role in ("reviewer", "admin"))
            b.clicked.connect(lambda _=False, t=target: self.do_transition(t))
            self.actions_bar.insertWidget(len(self.action_buttons), b)
            self.action_buttons.append(b)

    def do_transition(self, target: CaseState):
        c = self.current()
        if c is None:
            return
        note, ok = QInputDialog.getText(self, _("案件 {n}").format(n=c.number),
                                        _("“{a}”的说明（记入案件历史）：").format(a=ACTION_LABELS.get(target, target.label)))
        if not ok:
            return
        try:
            _case, change = self.ctx.store.transition(self.ctx.actor, c.id, target, note)
        except Exception as e:  # noqa: BLE001 - shown through the one error path
            show_error(self, e)
            return
        self.changed.emit(change)

    def describe(self, c) -> str:
        s = self.ctx.store
        w = s.worker(c.worker_id)
        p = s.platform(c.platform_id)
        today = date.today()
        parts = [title(f"{c.number}　{c.state.label}", due_text(c, today)),
                 table([(_("人员"), f"{w.name}（{w.id_number if self.ctx.sees_full_ids else mask_id(w.id_number)}）"),
                        (_("平台 / 行业"), f"{p.name} / {c.industry.label}"),
                        (_("订单号"), c.order_no or "—"),
                        (_("事故时间"), c.accident_at.strftime("%Y-%m-%d %H:%M")),
                        (_("事故地点"), c.place), (_("受伤部位"), c.body_parts), (_("就诊医院"), c.hospital),
                        (_("报案人"), f"{c.reporter_name}（{c.reporter_relation}）"),
                        (_("报案时间"), c.reported_at.strftime("%Y-%m-%d %H:%M")),
                        (_("事故经过"), c.description)])]
        proof = s.orders_at(c.worker_id, c.accident_at, c.platform_id)
        parts.append(heading(_("接单证明")))
        if proof["in_progress"]:
            rows = [[o.order_no, o.accepted_at.strftime("%m-%d %H:%M"), o.finished_at.strftime("%H:%M") if o.finished_at else "—"]
                    for o in proof["in_progress"]]
            parts.append("<p style='color:#1e8449'>" + _("事故发生时正在执行订单：") + "</p>")
            parts.append(grid([_("订单号"), _("接单"), _("完成")], rows))
        else:
            near = [x for x in (proof["before"], proof["after"]) if x]
            parts.append("<p style='color:#b9770e'>" + _("事故时点没有进行中的订单；当日接单 {n} 单。").format(
                n=proof["orders_that_day"]) + "</p>")
            parts.append(grid([_("最近订单"), _("接单"), _("完成")],
                              [[o.order_no, o.accepted_at.strftime("%m-%d %H:%M"),
                                o.finished_at.strftime("%m-%d %H:%M") if o.finished_at else "—"] for o in near]))
        decisions = s.decisions_of(c.id)
        if decisions:
            parts.append(heading(_("确认结论")))
            parts.append(grid([_("编号"), _("日期"), _("结论"), _("情形/理由")],
                              [[d.number, d.decided_on.isoformat(), "予以确认" if d.kind == "confirm" else "不予确认",
                                d.situation_code or d.reasons] for d in decisions]))
        apps = s.appraisals_of(c.id)
        if apps:
            parts.append(heading(_("劳动能力鉴定")))
            parts.append(grid([_("结论书"), _("日期"), _("等级"), _("当前")],
                              [[a.conclusion_no, a.concluded_on.isoformat(), f"{a.grade} 级" if a.grade else "未达等级",
                                "是" if a.current else "（已被替代）"] for a in apps]))
        for a in s.assessments_of(c.id):
            parts.append(heading(_("待遇核定 {n}").format(n=a.number)))
            parts.append(table([(_("规则"), a.rule_set), (_("一次性合计"), format_yuan(a.once_total_fen)),
                                (_("按月合计"), format_yuan(a.monthly_total_fen)),
                                (_("状态"), "已批准" if a.status == "approved" else "待批准")]))
        pays = s.payments_of(c.id)
        if pays:
            parts.append(heading(_("支付")))
            parts.append(grid([_("编号"), _("金额"), _("收款人"), _("状态"), _("制单"), _("审批")],
                              [[p_.number, format_yuan(p_.amount_fen), p_.payee, p_.status.label, p_.prepared_by,
                                p_.approved_by or "—"] for p_ in pays]))
        parts.append(heading(_("案件历史")))
        parts.append(grid([_("时间"), _("从"), _("到"), _("经办人"), _("说明")],
                          [[e.at.strftime("%Y-%m-%d %H:%M"), e.from_state.label if e.from_state else "—", e.to_state.label,
                            e.actor, e.note] for e in s.case_events(c.id)]))
        return "".join(parts)
