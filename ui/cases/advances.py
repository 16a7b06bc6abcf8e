"""垫付 on a case: money a platform, employer or someone else advanced (who,
what for, when, how much, their account, the 垫付情况说明 on file), and
its repayment out of the one-off benefits (a payment of its own to the
advancer, approved by another user). The worker's one-off payment leaves
the advanced amount aside until it is repaid."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from claims.enums import AdvancerKind
from claims.errors import FieldError, StaleRecord
from claims.i18n import _
from claims.money import format_yuan, to_fen
from claims.permissions import allowed
from claims.validators import normalize_bank_card

from ..conflict import show_stale
from ..errors import show_error
from ..forms import HINT_STYLE, FormDialog, date_edit, pydate
from ..sorting import make_sortable, source_row
from ..widgets import readonly_table
from ..workers.worker_dialog import check_card
from . import common
from claims.timeutil import today as china_today

EVIDENCE = "advance_statement"


class AdvanceDialog(FormDialog):
    save_label = "登记垫付"
    field_keys = {"垫付方类别": "kind", "垫付金额": "amount", "垫付日期": "date", "垫付凭证": "evidence"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("登记垫付"))
        self.case = ctx.store.case(case_id)
        self.kind = self.add("kind", _("垫付方类别"), QComboBox())
        for k in AdvancerKind:
            self.kind.addItem(k.label, k.value)
        self.line("advancer", _("垫付方"), required=True, max_len=60, placeholder=_("如：某平台企业的公司全称"))
        self.date = self.add("date", _("垫付日期"), date_edit(china_today(), maximum=china_today()))
        self.amount = self.add("amount", _("垫付金额"), QLineEdit(), self._amount, required=True)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line("purpose", _("垫付用途"), max_len=60, placeholder=_("如：住院医疗费"))
        self.line("payee", _("收款户名"), max_len=60, placeholder=_("默认为垫付方"))
        self.line("bank", _("开户银行"), required=True, max_len=60)
        self.line("account", _("收款账号"), check_card, required=True, max_len=30)
        self.evidence = self.add("evidence", _("垫付凭证"), QComboBox(),
                                 hint=_("垫付情况说明须在“材料”中登记；偿还款从一次性待遇中扣除，另行支付给垫付方"))
        self.evidence.addItem(_("尚未收到（稍后在“材料”中登记）"), None)
        for d in ctx.store.case_documents(case_id):
            if d.doc_type == EVIDENCE:
                self.evidence.addItem(_("垫付情况说明（{d} 收到，{p} 页）").format(
                    d=d.received_on.isoformat() if d.received_on else "", p=d.pages), d.id)
        self.evidence.setCurrentIndex(self.evidence.count() - 1)
        self.finish()
        self.resize(600, self.sizeHint().height())

    @staticmethod
    def _amount(v: str):
        if to_fen(v, field=_("垫付金额")) <= 0:
            raise FieldError(_("垫付金额"), _("应大于零"))

    def problems(self) -> dict[str, str]:
        if pydate(self.date.date()) < self.case.accident_at.date():
            return {"date": _("不能早于事故日期")}
        return {}

    def save(self):
        a, _c = self.ctx.store.record_advance(
            self.ctx.actor, self.case.id, advancer_kind=self.kind.currentData(),
            advancer_name=self.value("advancer"), advanced_on=pydate(self.date.date()),
            amount_fen=to_fen(self.amount.text()), purpose=self.value("purpose"), payee_name=self.value("payee"),
            payee_bank=self.value("bank"), payee_account=normalize_bank_card(self.value("account"))[0],
            evidence_document_id=self.evidence.currentData())
        return a


class AdvancesPanel(QWidget):
    changed = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.case, self._rows, self.assessment = None, [], None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = readonly_table([_("垫付方"), _("日期"), _("金额"), _("用途"), _("收款账户"), _("偿还")])
        self.table.itemSelectionChanged.connect(self.update_buttons)
        make_sortable(self.table, "案件.垫付", ctx)
        self.add_btn = QPushButton(_("登记垫付…"), clicked=self.add)
        self.repay_btn = QPushButton(_("安排偿还垫付方"), clicked=self.repay)
        self.withdraw_btn = QPushButton(_("撤销登记"), clicked=self.withdraw)
        hint = QLabel(_("平台企业、用工单位等先行垫付的款项，从一次性待遇中扣除，直接支付给垫付方；本人只领取余额。"))
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)
        bar = QHBoxLayout()
        for b in (self.add_btn, self.repay_btn, self.withdraw_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)

    def show_case(self, case) -> None:
        self.case = case
        s = self.ctx.store
        self._rows = s.advances_of(case.id) if case else []
        approved = [a for a in s.assessments_of(case.id) if a.status == "approved" and a.once_total_fen > 0] \
            if case else []
        self.assessment = approved[-1] if approved else None
        self.table.setRowCount(len(self._rows))
        for r, a in enumerate(self._rows):
            pay = s.advance_repayment(a.id)
            state = _("{n}（{s}）").format(n=pay.number, s=pay.status.label) if pay else _("未安排")
            acct = f"{a.payee_bank} {self.ctx.account_text(a.payee_account, case.id)}"
            cells = [_("{n}（{k}）").format(n=a.advancer_name, k=AdvancerKind(a.advancer_kind).label),
                     a.advanced_on.isoformat(), format_yuan(a.amount_fen), a.purpose, acct, state]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.assessment is not None:
            o = s.once_summary(self.assessment.id)
            self.summary.setText(_("核定 {n} 一次性合计 {t}：偿还垫付方 {a}，待偿还 {k}，已安排给本人 {w}，尚未安排 {f}").format(
                n=self.assessment.number, t=format_yuan(o.total_fen), a=format_yuan(o.to_advancers_fen),
                k=format_yuan(o.kept_back_fen), w=format_yuan(o.to_worker_fen), f=format_yuan(o.free_fen)))
        else:
            self.summary.setText(_("一次性待遇核定批准后，可在此安排偿还垫付方。") if self._rows else "")
        self.update_buttons()

    def selected(self):
        r = source_row(self.table)
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def update_buttons(self) -> None:
        ok = self.case is not None and allowed(self.ctx.actor.role, "case.transition")
        self.add_btn.setEnabled(ok)
        a = self.selected()
        unpaid = a is not None and self.ctx.store.advance_repayment(a.id) is None
        can_pay = unpaid and self.assessment is not None and allowed(self.ctx.actor.role, "payment.prepare")
        self.repay_btn.setEnabled(can_pay)
        self.repay_btn.setToolTip("" if can_pay else _("选择一笔尚未偿还的垫付；一次性待遇核定批准后才能安排"))
        self.withdraw_btn.setEnabled(ok and unpaid)

    def _emit(self, summary: str) -> None:
        self.changed.emit(self.ctx.store.change("advances", "benefit_payments", "cases", ids=[self.case.id],
                                                summary=summary))

    def add(self) -> None:
        if AdvanceDialog.ask(self, self.ctx, self.case.id) is not None:
            self._emit(_("已登记垫付"))

    def repay(self) -> None:
        a = self.selected()
        if a is None or not common.confirm(self, _("安排偿还垫付方"), _(
                "从核定 {n} 的一次性待遇中向 {who} 支付 {amt}（{bank} {acct}）吗？支付单须另一人审批。").format(
                n=self.assessment.number, who=a.payee_name, amt=format_yuan(a.amount_fen), bank=a.payee_bank,
                acct=self.ctx.account_text(a.payee_account, self.case.id))):
            return
        try:
            pay, _c = self.ctx.store.repay_advance(self.ctx.actor, self.assessment.id, a.id, due_on=china_today(),
                                                   expected_version=a.row_version)
        except StaleRecord as e:  # the payee confirmed above is no longer the stored one: show the latest
            self._stale(e)
            return
        except Exception as e:  # noqa: BLE001 - the core's refusal, shown as it is
            show_error(self, e)
            return
        self._emit(_("已制作偿还垫付款支付 {n}，待另一人审批").format(n=pay.number))

    def withdraw(self) -> None:
        a = self.selected()
        if a is None or not common.confirm(self, _("撤销垫付登记"), _("撤销 {who} {amt} 的垫付登记吗？").format(
                who=a.advancer_name, amt=format_yuan(a.amount_fen))):
            return
        try:
            self.ctx.store.withdraw_advance(self.ctx.actor, a.id, expected_version=a.row_version)
        except StaleRecord as e:
            self._stale(e)
            return
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
            return
        self._emit(_("已撤销垫付登记"))

    def _stale(self, e: StaleRecord) -> None:
        """The advance changed since the list was read: say so, and show the latest."""
        show_stale(self, self.ctx.store, e)
        self.show_case(self.ctx.store.case(self.case.id, self.ctx.actor))
