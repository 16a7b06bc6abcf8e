"""Preparing payments (the maker's side): a one-off payment, or a monthly
schedule for the monthly items. A different user approves each one."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit, QSpinBox

from claims.errors import FieldError
from claims.i18n import _
from claims.money import fen_to_str, format_yuan, to_fen
from claims.validators import normalize_bank_card

from ..forms import HINT_STYLE, FormDialog, date_edit, pydate, qdate
from claims.timeutil import today as china_today


def _account(v: str) -> None:
    normalize_bank_card(v)  # raises FieldError when it cannot be an account number


class _PayeeForm(FormDialog):
    def __init__(self, parent, ctx, assessment_id: str, title: str):
        super().__init__(parent, ctx, title)
        s = ctx.store
        self.assessment = s.assessment(assessment_id)
        self.case = s.case(self.assessment.case_id)
        self.worker = s.worker(self.case.worker_id)
        head = QLabel(_("案件 {c}　核定 {a}　一次性合计 {o}　按月合计 {m}").format(
            c=self.case.number, a=self.assessment.number, o=format_yuan(self.assessment.once_total_fen),
            m=format_yuan(self.assessment.monthly_total_fen)))
        head.setStyleSheet(HINT_STYLE)
        head.setWordWrap(True)
        self.form.addRow(head)

    def payee_rows(self) -> None:
        self.payee = self.add("payee", _("收款人"), QLineEdit(self.worker.name), required=True, empty=_("请填写收款人"))
        self.account = self.add("account", _("收款账号"), QLineEdit(self.worker.bank_card), _account, required=True,
                                empty=_("请填写收款账号"), hint=_("已按人员登记的银行账号填入") if self.worker.bank_card
                                else _("人员未登记银行账号，请填写"))

    def account_value(self) -> str:
        return normalize_bank_card(self.account.text())[0]


class PaymentDialog(_PayeeForm):
    """One-off payment; the amount is prefilled with what is not yet arranged."""

    save_label = "制作支付单"

    def __init__(self, parent, ctx, assessment_id: str):
        super().__init__(parent, ctx, assessment_id, _("制作一次性支付"))
        planned = sum(p.amount_fen for p in ctx.store.payments_of(self.case.id)
                      if p.assessment_id == assessment_id and p.kind == "once" and p.status.value != "cancelled")
        self.left = self.assessment.once_total_fen - planned
        self.amount = self.add("amount", _("金额（元）"), QLineEdit(fen_to_str(max(self.left, 0))), required=True,
                               hint=_("尚未安排的一次性待遇：{x}").format(x=format_yuan(max(self.left, 0))))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.payee_rows()
        self.due = self.add("due", _("支付日期"), date_edit(china_today()))
        self.finish()
        self.resize(560, self.sizeHint().height())

    def problems(self) -> dict[str, str]:
        try:
            fen = to_fen(self.amount.text())
        except FieldError as e:
            return {"amount": e.detail}
        if fen <= 0:
            return {"amount": _("金额应大于零")}
        if fen > self.left:
            return {"amount": _("超过尚未安排的一次性待遇 {x}").format(x=format_yuan(max(self.left, 0)))}
        return {}

    def save(self):
        pay, _c = self.ctx.store.prepare_payment(
            self.ctx.actor, self.assessment.id, kind="once", amount_fen=to_fen(self.amount.text()),
            payee=self.payee.text().strip(), account=self.account_value(), due_on=pydate(self.due.date()))
        return pay


class ScheduleDialog(_PayeeForm):
    """A monthly schedule: one payment per month, each approved on its own."""

    save_label = "生成按月支付"

    def __init__(self, parent, ctx, assessment_id: str):
        super().__init__(parent, ctx, assessment_id, _("安排按月支付"))
        taken = sorted(p.period_month for p in ctx.store.payments_of(self.case.id)
                       if p.assessment_id == assessment_id and p.kind == "monthly" and p.status.value != "cancelled")
        start = china_today().replace(day=1)
        if taken:
            y, m = (int(x) for x in taken[-1].split("-"))
            start = date(y + m // 12, m % 12 + 1, 1)
        self.first = QDateEdit()
        self.first.setDisplayFormat("yyyy-MM")
        self.first.setCalendarPopup(True)
        self.first.setDate(qdate(start))
        self.add("first", _("起始月份"), self.first,
                 hint=_("已安排至 {m}").format(m=taken[-1]) if taken else _("尚未安排按月支付"))
        self.months = self.add("months", _("月数"), QSpinBox())
        self.months.setRange(1, 120)
        self.months.setValue(12)
        self.months.setSuffix(_(" 个月"))
        self.payee_rows()
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.form.addRow(_("合计"), self.summary)
        self.finish()
        self.resize(560, self.sizeHint().height())

    def first_month(self) -> str:
        d = self.first.date()
        return f"{d.year():04d}-{d.month():02d}"

    def problems(self) -> dict[str, str]:
        per, n = self.assessment.monthly_total_fen, self.months.value()
        self.summary.setText(_("每月 {a}，共 {n} 期，合计 {t}").format(a=format_yuan(per), n=n, t=format_yuan(per * n)))
        return {} if per > 0 else {"first": _("本次核定没有按月发放的项目")}

    def save(self):
        pays, _c = self.ctx.store.schedule_monthly_payments(
            self.ctx.actor, self.assessment.id, self.first_month(), self.months.value(),
            payee=self.payee.text().strip(), account=self.account_value())
        return pays
