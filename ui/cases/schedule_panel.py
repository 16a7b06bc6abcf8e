"""按月发放 on a case: every series of monthly payments of the latest approved
assessment with monthly items — to whom, how much a month, from and until
when, how many months are paid, waiting for approval and left — and the
button that arranges the next months of one series (or all)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from claims.i18n import _
from claims.money import format_yuan
from claims.monthly import month_label
from claims.permissions import allowed
from claims.validators import mask_account

from ..sorting import make_sortable, source_row
from ..widgets import readonly_table
from .payments import ScheduleDialog


def payee_text(x, ctx=None, case_id: str | None = None) -> str:
    """The series' account (masked as every screen masks it); who collects it when that is not the person themself."""
    acct = (ctx.account_text(x.account, case_id) if ctx is not None else mask_account(x.account)) or _("未登记账户")
    person = x.label.split("（")[0]
    return acct if x.payee == person else _("{p} 代领\n{a}").format(p=x.payee, a=acct)


def period_text(x) -> str:
    start = _("{m}起").format(m=month_label(x.first)) if x.first else "—"
    return start + (_("\n至{m}\n（{why}）").format(m=month_label(x.last), why=x.end_reason) if x.last else _("，长期"))


def next_text(x) -> str:
    if x.next_month is None:
        return _("已全部安排")
    left = _("尚余 {n} 期").format(n=x.months_left) if x.months_left is not None else _("长期")
    return f"{month_label(x.next_month)}\n{left}"


class SchedulePanel(QWidget):
    changed = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.case, self.assessment, self._series = None, None, []
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.table = readonly_table([_("发放对象"), _("收款账户"), _("每月金额"), _("发放期间"), _("进度"),
                                     _("下一期")])
        self.table.doubleClicked.connect(lambda *_a: self.arrange())
        self.table.itemSelectionChanged.connect(self.update_buttons)
        make_sortable(self.table, "案件.按月待遇", ctx)
        self.arrange_btn = QPushButton(_("安排所选对象按月支付…"), clicked=self.arrange)
        self.all_btn = QPushButton(_("全部安排…"), clicked=lambda: self.arrange(every=True))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#666")
        bar = QHBoxLayout()
        bar.addWidget(self.arrange_btn)
        bar.addWidget(self.all_btn)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)

    def show_case(self, case) -> None:
        self.case = case
        s = self.ctx.store
        approved = [a for a in s.assessments_of(case.id) if a.status == "approved" and a.monthly_total_fen > 0] \
            if case else []
        self.assessment = approved[-1] if approved else None
        self._series = s.monthly_series(self.assessment.id) if self.assessment else []
        if self.assessment is None:
            self.title.setText(_("没有已批准的按月待遇（伤残津贴、生活护理费、供养亲属抚恤金）。") if case else "")
        else:
            self.title.setText(_("核定 {n}：按月合计 {m}。每个发放对象各自按月支付，自核定的起始月份起，至领取条件终止的当月止。")
                               .format(n=self.assessment.number, m=format_yuan(self.assessment.monthly_total_fen)))
        self.table.setRowCount(len(self._series))
        for r, x in enumerate(self._series):
            cells = [x.label, payee_text(x, self.ctx, self.case.id if self.case else None), format_yuan(x.monthly_fen), period_text(x),
                     _("已付 {p} 期\n待审批 {q} 期").format(p=len(x.paid), q=len(x.prepared)), next_text(x)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if self._series:
            self.table.selectRow(0)
        capped = self.assessment and any("重新核定" in w for w in s.assessment_result(self.assessment.id)
                                         .get("warnings", []))
        self.note.setText(_("注意：供养亲属抚恤金已按上限核减，其中有人领取终止后须重新核定其余人员的金额。")
                          if capped else "")
        self.note.setVisible(bool(self.note.text()))
        self.update_buttons()

    def update_buttons(self) -> None:
        ok = self.assessment is not None and allowed(self.ctx.actor.role, "payment.prepare")
        r = source_row(self.table)
        pick = ok and 0 <= r < len(self._series) and self._series[r].next_month is not None
        self.arrange_btn.setEnabled(pick)
        self.all_btn.setEnabled(ok and len(self._series) > 1)
        why = "" if ok else _("按月待遇核定批准后才能安排支付")
        self.arrange_btn.setToolTip(why)
        self.all_btn.setToolTip(why)

    def arrange(self, every: bool = False) -> None:
        if not (self.all_btn if every else self.arrange_btn).isEnabled():
            return
        key = None if every else self._series[source_row(self.table)].key
        got = ScheduleDialog.ask(self, self.ctx, self.assessment.id, key)
        if got:
            self.changed.emit(self.ctx.store.change("benefit_payments", "cases", ids=[self.case.id],
                                                    summary=_("已制作 {n} 笔按月支付，待另一人审批").format(n=len(got))))
