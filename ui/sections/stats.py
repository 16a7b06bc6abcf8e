"""统计: the pilot's figures at a glance (cases by state and industry, fees)."""
from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout

from claims.enums import CaseState, Industry
from claims.i18n import _
from claims.money import format_yuan

from ..html import grid, heading
from .base import Section


class StatsSection(Section):
    title = "统计"
    tables = frozenset({"cases", "declarations", "fee_payments", "benefit_payments"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.view = QTextBrowser()
        QVBoxLayout(self).addWidget(self.view)
        self._loaded = False

    def showEvent(self, e):
        super().showEvent(e)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def refresh(self, change=None):
        if not self._loaded:
            return
        q = self.ctx.store.conn.execute
        by_state = dict(q("SELECT state, count(*) FROM cases GROUP BY state").fetchall())
        by_ind = q("SELECT industry, count(*), sum(state IN ('confirmed','appraisal','appraised','assessed','paid','closed')),"
                   " sum(state = 'rejected') FROM cases GROUP BY industry").fetchall()
        fees = q("SELECT month, sum(amount_due_fen), sum(amount_paid_fen) FROM declarations GROUP BY month ORDER BY month").fetchall()
        paid = q("SELECT coalesce(sum(amount_fen), 0) FROM benefit_payments WHERE status = 'approved'").fetchone()[0]
        fee_paid = sum(r[2] or 0 for r in fees)
        self.view.setHtml("".join([
            heading(_("案件状态")),
            grid([_("状态"), _("件数")], [[s.label, by_state.get(s.value, 0)] for s in CaseState]),
            heading(_("按行业")),
            grid([_("行业"), _("报案"), _("确认"), _("不予确认")],
                 [[Industry(i).label, n, c or 0, r or 0] for i, n, c, r in by_ind]),
            heading(_("缴费（按月）")),
            grid([_("月份"), _("应缴"), _("已缴")], [[m, format_yuan(d or 0), format_yuan(p or 0)] for m, d, p in fees]),
            heading(_("支缴率")),
            f"<p>{_('已支付待遇')} {format_yuan(paid)} ÷ {_('已收缴费')} {format_yuan(fee_paid)} = "
            f"{(paid / fee_paid * 100 if fee_paid else 0):.1f}%</p>",
        ]))
