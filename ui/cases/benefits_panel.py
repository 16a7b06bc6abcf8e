"""待遇与支付 on a case, in four tabs: 核定与支付 — the assessments (a reviewer
approves; the preparer cannot) and the payments (one-off, monthly; each
approved by another user — the core enforces it, the refusal is shown as it
is); 按月发放 — the monthly series (schedule_panel.py); 伤亡与亲属 — treatment
end, death, claimant, dependants (people_panel.py); 垫付 — advances and their
repayment (advances.py)."""
from __future__ import annotations


from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QPushButton, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from claims.enums import CareLevel, CaseState
from claims.i18n import _
from claims.money import format_yuan
from claims.parameters import ruleset_name
from claims.permissions import allowed

from ..errors import show_error
from ..sorting import make_sortable, source_row
from ..widgets import readonly_table
from . import common
from .advances import AdvancesPanel
from .assessment import AssessmentDialog
from .payments import PaymentDialog, ScheduleDialog
from .people_panel import PeoplePanel
from .schedule_panel import SchedulePanel
from claims.timeutil import today as china_today

APPROVERS = ("reviewer", "admin")


class BenefitsPanel(QWidget):
    changed = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.case = None
        self._assessments, self._payments = [], []
        self.appraisal_label = QLabel()
        self.appraisal_label.setWordWrap(True)
        # the measure's long name gives way (elided, whole in its tooltip): who approved stays on screen
        self.assessments = readonly_table([_("核定号"), _("依据"), _("一次性合计"), _("按月合计"), _("状态"), _("核定人"),
                                           _("批准人")], stretch=1)
        self.assessments.setMaximumHeight(120)
        self.payments = readonly_table([_("支付号"), _("类别"), _("金额"), _("收款人"), _("状态"), _("制单"), _("审批"),
                                        _("支付日期"), _("开户银行")])
        make_sortable(self.assessments, "案件.待遇核定", ctx)
        make_sortable(self.payments, "案件.待遇支付", ctx)
        self.assess_btn = QPushButton(_("待遇核定…"))
        self.assess_btn.clicked.connect(self.assess)
        self.approve_assessment_btn = QPushButton(_("批准核定"))
        self.approve_assessment_btn.clicked.connect(self.approve_assessment)
        self.return_assessment_btn = QPushButton(_("退回核定…"))
        self.return_assessment_btn.clicked.connect(self.return_assessment)
        self.notice_btn = QPushButton(_("打印核定通知书"))
        self.notice_btn.clicked.connect(lambda: self.case and common.preview(self, self.ctx, "benefit_notice",
                                                                             self.case.number))
        self.once_btn = QPushButton(_("一次性支付…"))
        self.once_btn.clicked.connect(lambda: self.prepare(PaymentDialog))
        self.monthly_btn = QPushButton(_("按月支付…"))
        self.monthly_btn.clicked.connect(lambda: self.prepare(ScheduleDialog))
        self.approve_payment_btn = QPushButton(_("审批支付"))
        self.approve_payment_btn.clicked.connect(self.approve_payment)
        self.return_payment_btn = QPushButton(_("退回支付…"))
        self.return_payment_btn.clicked.connect(self.return_payment)
        self.voucher_btn = QPushButton(_("打印支付凭证"))
        self.voucher_btn.clicked.connect(self.print_voucher)
        self.assessments.itemSelectionChanged.connect(self.update_buttons)
        self.payments.itemSelectionChanged.connect(self.update_buttons)
        main = QWidget()
        lay = QVBoxLayout(main)
        lay.addWidget(self.appraisal_label)
        lay.addLayout(self._bar(self.assess_btn, self.approve_assessment_btn, self.return_assessment_btn,
                                self.notice_btn))
        lay.addWidget(self.assessments)
        lay.addLayout(self._bar(self.once_btn, self.monthly_btn, self.approve_payment_btn, self.return_payment_btn,
                                self.voucher_btn))
        lay.addWidget(self.payments, 1)
        self.schedule = SchedulePanel(ctx)
        self.people = PeoplePanel(ctx)
        self.advances = AdvancesPanel(ctx)
        self.inner = QTabWidget()
        self.inner.setDocumentMode(True)
        self.inner.addTab(main, _("核定与支付"))
        self.inner.addTab(self.schedule, _("按月发放"))
        self.inner.addTab(self.people, _("伤亡与亲属"))
        self.inner.addTab(self.advances, _("垫付"))
        for panel in (self.schedule, self.people, self.advances):
            panel.changed.connect(self.changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.inner)

    @staticmethod
    def _bar(*buttons) -> QHBoxLayout:
        bar = QHBoxLayout()
        for b in buttons:
            bar.addWidget(b)
        bar.addStretch(1)
        return bar

    # -- showing ---------------------------------------------------------------
    def show_case(self, case) -> None:
        self.case = case
        s = self.ctx.store
        self._assessments = s.assessments_of(case.id) if case else []
        self._payments = s.payments_of(case.id) if case else []
        apps = [a for a in s.appraisals_of(case.id) if a.current] if case else []
        if apps:
            a = apps[-1]
            self.appraisal_label.setText(_("当前鉴定结论：{g}{c}（{n}，{d}）").format(
                g=_("{g} 级伤残").format(g=a.grade) if a.grade else _("未达伤残等级"),
                c=_("，{x}").format(x=CareLevel(a.care_level).label)
                if a.care_level else "", n=a.conclusion_no, d=a.concluded_on.isoformat()))
        else:
            self.appraisal_label.setText(_("本案没有劳动能力鉴定结论（无伤残时可直接核定医疗等待遇）") if case else "")
        if case is not None and case.dead:
            self.appraisal_label.setText(self.appraisal_label.text() + "\n" + _(
                "人员已于 {d} 死亡：死亡待遇按“伤亡与亲属”中登记的申请人和供养亲属核定。").format(d=case.death_date.isoformat()))
        self.assessments.setRowCount(len(self._assessments))
        for r, a in enumerate(self._assessments):
            cells = [a.number, ruleset_name(a.rule_set), format_yuan(a.once_total_fen), format_yuan(a.monthly_total_fen),
                     _(a.status_label), s.display_name(a.prepared_by),
                     s.display_name(a.approved_by or a.returned_by) if a.approved_by or a.returned_by else "—"]
            self._fill(self.assessments, r, cells, None if a.status == "approved" else QColor("#b9770e"),
                       _("{who}退回：{r}").format(who=s.display_name(a.returned_by), r=a.return_reason)
                       if a.returned_by else "")
        self.payments.setRowCount(len(self._payments))
        for r, p in enumerate(self._payments):
            kind = _("一次性") if p.kind == "once" else _("按月 {m}").format(m=p.period_month)
            if p.advance_id:
                kind = _("偿还垫付")
            cells = [p.number, kind, format_yuan(p.amount_fen), p.payee, _(p.status_label), s.display_name(p.prepared_by),
                     s.display_name(p.approved_by or p.returned_by) if p.approved_by or p.returned_by else "—",
                     p.paid_on.isoformat() if p.paid_on else "—", p.payee_bank]
            why = _("{who}退回：{r}").format(who=s.display_name(p.returned_by), r=p.cancel_reason) if p.returned_by \
                else (_("作废原因：{r}").format(r=p.cancel_reason) if p.cancel_reason else "")
            self._fill(self.payments, r, cells, QColor("#b9770e") if p.status.value == "prepared" or p.returned_by
                       else None, why)
        if self._assessments:
            self.assessments.selectRow(len(self._assessments) - 1)
        pending = next((i for i, p in enumerate(self._payments) if p.status.value == "prepared"), None)
        if self._payments:
            self.payments.selectRow(pending if pending is not None else len(self._payments) - 1)
        for panel in (self.schedule, self.people, self.advances):
            panel.show_case(case)
        self.update_buttons()

    @staticmethod
    def _fill(table, r, cells, color, why: str = "") -> None:
        for c, text in enumerate(cells):
            it = QTableWidgetItem(text)
            if color is not None and c == 4:
                it.setForeground(color)
            if why and c == 4:
                it.setToolTip(why)
                it.setText(text + "（" + why.split("：", 1)[-1][:12] + ("…" if len(why.split("：", 1)[-1]) > 12 else "") + "）")
            table.setItem(r, c, it)

    def selected_assessment(self):
        r = source_row(self.assessments)
        return self._assessments[r] if 0 <= r < len(self._assessments) else None

    def selected_payment(self):
        r = source_row(self.payments)
        return self._payments[r] if 0 <= r < len(self._payments) else None

    def update_buttons(self) -> None:
        c, role, me = self.case, self.ctx.actor.role, self.ctx.actor.username
        can_assess = c is not None and CaseState.assessed in self.ctx.store.allowed_transitions(c.id) \
            and allowed(role, "assessment.prepare")
        self.assess_btn.setEnabled(can_assess)
        self.assess_btn.setToolTip("" if can_assess else _("案件确认（或鉴定完成）后才能核定待遇"))
        a = self.selected_assessment()
        draft = a is not None and a.status == "draft"
        why = "" if draft else _("没有待批准的待遇核定")
        if draft and role not in APPROVERS:
            why = _("须由审核人批准或退回")
        elif draft and a.prepared_by == me:
            why = _("核定人不能批准或退回自己核定的待遇：等待另一位审核人")
        for b in (self.approve_assessment_btn, self.return_assessment_btn):
            self._allow(b, why)
        self.notice_btn.setEnabled(a is not None)
        ok = a is not None and a.status == "approved" and allowed(role, "payment.prepare") \
            and c is not None and c.state not in (CaseState.closed, CaseState.withdrawn)
        left = self.ctx.store.once_summary(a.id).free_fen if a else 0
        self.once_btn.setEnabled(ok and left > 0)
        self.monthly_btn.setEnabled(ok and a.monthly_total_fen > 0)
        why = _("待遇核定批准后才能安排支付") if not ok else ""
        self.once_btn.setToolTip(why or ("" if left > 0 else _("一次性待遇已全部安排（或留作偿还垫付款）")))
        self.monthly_btn.setToolTip(why or ("" if a.monthly_total_fen else _("本次核定没有按月发放的项目")))
        p = self.selected_payment()
        waiting = p is not None and p.status.value == "prepared"
        why = "" if waiting else _("选择一笔待审批的支付")
        if waiting and role not in APPROVERS:
            why = _("须由审核人审批或退回")
        elif waiting and p.prepared_by == me:
            why = _("制单人不能审批或退回自己制作的支付：等待另一位审核人")
        for b in (self.approve_payment_btn, self.return_payment_btn):
            self._allow(b, why)
        self.voucher_btn.setEnabled(p is not None and p.status.value == "approved")

    @staticmethod
    def _allow(button, why: str) -> None:
        """Enabled, or disabled saying why (tooltip and status bar)."""
        button.setEnabled(not why)
        button.setToolTip(why)
        button.setStatusTip(_("“{a}”不可用：{w}").format(a=button.text().rstrip("…"), w=why) if why else "")

    def _reason(self, title: str, prompt: str) -> str | None:
        """The reason for a return, never empty (None: cancelled)."""
        text, ok = QInputDialog.getText(self, title, prompt)
        while ok and not text.strip():
            text, ok = QInputDialog.getText(self, title, _("请写明退回的原因，不能为空：\n") + prompt)
        return text.strip() if ok else None

    def return_assessment(self) -> None:
        a = self.selected_assessment()
        if a is None:
            return
        why = self._reason(_("退回核定 {n}").format(n=a.number), _(
            "退回给核定人 {who} 重新核定。请写明原因（核定人会看到，并记入案件历史）：").format(
            who=self.ctx.store.display_name(a.prepared_by)))
        if why is None:
            return
        try:
            _a, change = self.ctx.store.return_assessment(self.ctx.actor, a.id, why)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.changed.emit(change)

    def return_payment(self) -> None:
        p = self.selected_payment()
        if p is None:
            return
        why = self._reason(_("退回支付 {n}").format(n=p.number), _(
            "退回给制单人 {who}，本笔不支付。请写明原因（制单人会看到，并记入案件历史）：").format(
            who=self.ctx.store.display_name(p.prepared_by)))
        if why is None:
            return
        try:
            _p, change = self.ctx.store.return_payment(self.ctx.actor, p.id, why)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.changed.emit(change)

    # -- actions -----------------------------------------------------------------
    def _emit(self, summary: str) -> None:
        self.changed.emit(self.ctx.store.change("cases", "assessments", "benefit_payments", ids=[self.case.id],
                                                summary=summary))

    def assess(self) -> None:
        a = AssessmentDialog.ask(self, self.ctx, self.case.id)
        if a is not None:
            self._emit(_("已保存待遇核定 {n}，待审核人批准").format(n=a.number))

    def approve_assessment(self) -> None:
        a = self.selected_assessment()
        if a is None or not common.confirm(self, _("批准核定"), _("批准待遇核定 {n}（一次性 {o}，按月 {m}）吗？").format(
                n=a.number, o=format_yuan(a.once_total_fen), m=format_yuan(a.monthly_total_fen))):
            return
        try:
            self.ctx.store.approve_assessment(self.ctx.actor, a.id, expected_version=a.row_version)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._emit(_("已批准待遇核定 {n}").format(n=a.number))

    def prepare(self, dialog) -> None:
        a = self.selected_assessment()
        if a is None:
            return
        got = dialog.ask(self, self.ctx, a.id)
        if got:
            n = len(got) if isinstance(got, list) else 1
            self._emit(_("已制作 {n} 笔支付，待另一人审批").format(n=n))

    def approve_payment(self) -> None:
        p = self.selected_payment()
        if p is None:
            return
        ref, ok = QInputDialog.getText(self, _("审批支付 {n}").format(n=p.number), _(
            "向 {who} 支付 {amt}。\n银行流水号（可稍后补记）：").format(who=p.payee, amt=format_yuan(p.amount_fen)))
        if not ok:
            return
        try:
            self.ctx.store.approve_payment(self.ctx.actor, p.id, paid_on=china_today(), reference=ref.strip(),
                                           expected_version=p.row_version)
        except Exception as e:  # noqa: BLE001 - the core's refusal, shown as it is
            show_error(self, e)
            return
        self._emit(_("已审批支付 {n}").format(n=p.number))

    def print_voucher(self) -> None:
        p = self.selected_payment()
        if p is not None:
            common.preview(self, self.ctx, "payment_voucher", p.number)
