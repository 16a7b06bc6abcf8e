"""Preparing payments (the maker's side): a one-off payment, or monthly
payments of one series or all (the worker's monthly items; each dependant's
pension, paid to that dependant's payee). A different user approves each one.
Money advanced by others is kept back from the one-off payment until it is
paid back to the advancer."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QLineEdit, QSpinBox, QTableWidgetItem

from claims.errors import FieldError
from claims.i18n import _
from claims.money import fen_to_str, format_yuan, to_fen
from claims.monthly import add_months, month_label, months_between
from claims.validators import normalize_bank_card

from ..forms import HINT_STYLE, FormDialog, date_edit, pydate, qdate
from ..sorting import make_sortable
from ..widgets import readonly_table
from ..workers.worker_dialog import check_card
from claims.timeutil import today as china_today


class _PayeeForm(FormDialog):
    field_keys = {"收款账号": "account"}

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

    def payee_rows(self, name: str, bank: str, account: str, whose: str) -> None:
        self.payee = self.add("payee", _("收款人"), QLineEdit(name), required=True, empty=_("请填写收款人"))
        self.bank = self.add("bank", _("开户银行"), QLineEdit(bank))
        self.account = self.add("account", _("收款账号"), QLineEdit(account), check_card, required=True,
                                empty=_("请填写收款账号"), hint=_("已按{w}登记的银行账号填入").format(w=whose) if account
                                else _("{w}未登记银行账号，请填写").format(w=whose))

    def default_payee(self) -> tuple[str, str, str, str]:
        """(name, bank, account, whose): a death case's claimant, else the worker."""
        c, w = self.case, self.worker
        if c.dead:
            return c.claimant_holder or c.claimant_name, c.claimant_bank, c.claimant_account, _("申请人")
        return w.bank_holder or w.name, w.bank_name, w.bank_card, _("人员")

    def account_value(self) -> str:
        return normalize_bank_card(self.account.text())[0]


class PaymentDialog(_PayeeForm):
    """One-off payment; the amount is prefilled with what is neither arranged nor kept back for advances."""

    save_label = "制作支付单"

    def __init__(self, parent, ctx, assessment_id: str):
        super().__init__(parent, ctx, assessment_id, _("制作一次性支付"))
        summary = ctx.store.once_summary(assessment_id)
        self.left = summary.free_fen
        hint = _("尚未安排的一次性待遇：{x}").format(x=format_yuan(max(self.left, 0)))
        if summary.kept_back_fen:
            hint += _("（另有垫付款 {k} 须偿还垫付方，请在“垫付”中安排）").format(k=format_yuan(summary.kept_back_fen))
        self.amount = self.add("amount", _("金额（元）"), QLineEdit(fen_to_str(max(self.left, 0))), required=True,
                               hint=hint)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.payee_rows(*self.default_payee())
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
            payee=self.payee.text().strip(), account=self.account_value(), payee_bank=self.bank.text().strip(),
            due_on=pydate(self.due.date()))
        return pay


class ScheduleDialog(_PayeeForm):
    """Monthly payments: one per month and series, each approved on its own. The
    first month cannot be before the series starts; months after it ends are not made."""

    save_label = "生成按月支付"

    def __init__(self, parent, ctx, assessment_id: str, series: str | None = None):
        super().__init__(parent, ctx, assessment_id, _("安排按月支付"))
        self.all_series = ctx.store.monthly_series(assessment_id)
        self.which = self.add("series", _("发放对象"), QComboBox())
        if len(self.all_series) > 1:
            self.which.addItem(_("全部（{n} 项，各自的收款账户）").format(n=len(self.all_series)), None)
        for s in self.all_series:
            self.which.addItem(s.label, s.key)
        if series is not None:
            self.which.setCurrentIndex(max(0, self.which.findData(series)))
        self.first = QDateEdit()
        self.first.setDisplayFormat("yyyy-MM")
        self.first.setCalendarPopup(True)
        self.add("first", _("起始月份"), self.first)
        self.months = self.add("months", _("月数"), QSpinBox())
        self.months.setRange(1, 120)
        self.months.setValue(12)
        self.months.setSuffix(_(" 个月"))
        w = self.worker
        self.payee_rows(w.bank_holder or w.name, w.bank_name, w.bank_card, _("人员"))
        self.payees = readonly_table([_("发放对象"), _("收款人及账户"), _("进度")], rows=False)
        self.payees.setFixedHeight(118)
        make_sortable(self.payees, "案件.按月发放对象", ctx)
        self.form.addRow(_("收款"), self.payees)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.summary.setWordWrap(True)
        self.form.addRow(_("合计"), self.summary)
        self.which.currentIndexChanged.connect(self.pick_series)
        self.pick_series()
        self.finish()
        self.resize(700, self.sizeHint().height())

    def chosen(self) -> list:
        key = self.which.currentData()
        return [s for s in self.all_series if key is None or s.key == key]

    def pick_series(self, *_a) -> None:
        chosen = self.chosen()
        nexts = [s.next_month for s in chosen if s.next_month]
        start = min(nexts) if nexts else f"{china_today():%Y-%m}"
        y, m = (int(x) for x in start.split("-"))
        with self.loading():
            self.first.setDate(qdate(date(y, m, 1)))
            lefts = [s.months_left for s in chosen if s.months_left is not None]
            if lefts and len(lefts) == len(chosen):
                self.months.setValue(max(1, min(12, max(lefts))))
        own = any(s.key == "worker" for s in chosen) and len(chosen) == 1
        for key in ("payee", "bank", "account"):
            self.set_visible(key, own)
        self.payees.setRowCount(len(chosen))
        for r, s in enumerate(chosen):
            left = _("尚余 {n} 期").format(n=s.months_left) if s.months_left is not None else _("长期")
            cells = [s.label, " ".join(x for x in (s.payee, s.payee_bank, self.ctx.account_text(s.account, self.case.id)) if x),
                     _("已付 {p}，待审批 {q}，{left}").format(p=len(s.paid), q=len(s.prepared), left=left)]
            for c, text in enumerate(cells):
                self.payees.setItem(r, c, QTableWidgetItem(text))
        self.payees.setVisible(not own)
        self.form.setRowVisible(self.payees, not own)
        self.validate()

    def first_month(self) -> str:
        d = self.first.date()
        return f"{d.year():04d}-{d.month():02d}"

    def problems(self) -> dict[str, str]:
        chosen, n, first = self.chosen(), self.months.value(), self.first_month()
        months = [add_months(first, i) for i in range(n)]
        total = sum(s.amount(m)[0] for s in chosen for m in months)
        per = sum(s.monthly_fen for s in chosen)
        self.summary.setText(_("每月 {a}，共 {n} 期，合计 {t}").format(a=format_yuan(per), n=n, t=format_yuan(total)))
        if per <= 0:
            return {"first": _("本次核定没有按月发放的项目")}
        for s in chosen:
            if s.first and first < s.first:
                return {"first": _("{l}自 {m}起发放，不能安排更早的月份").format(l=s.label, m=month_label(s.first))}
            if s.last and first > s.last:
                return {"first": _("{l}已于 {m}终止（{r}）").format(l=s.label, m=month_label(s.last), r=s.end_reason)}
            taken = sorted(set(s.paid + s.prepared) & set(months))
            if taken:
                return {"first": _("{l}以下月份已安排支付：{m}").format(l=s.label, m="、".join(taken))}
        ends = [s for s in chosen if s.last and months_between(first, s.last) < n]
        if ends:
            self.summary.setText(self.summary.text() + _("（{x}）").format(x="；".join(
                _("{l}发放至 {m}").format(l=s.label, m=month_label(s.last)) for s in ends)))
        return {}

    def save(self):
        own = self.fields["payee"].visible
        pays, _c = self.ctx.store.schedule_monthly_payments(
            self.ctx.actor, self.assessment.id, self.first_month(), self.months.value(),
            series=self.which.currentData(), payee=self.payee.text().strip() if own else None,
            account=self.account_value() if own else None, payee_bank=self.bank.text().strip() if own else None)
        return pays
