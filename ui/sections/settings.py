"""设置: parameter tables and per-order fee amounts with their source and status."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QTextBrowser, QVBoxLayout

from claims.i18n import _
from claims.money import per_order_units_to_str

from ..html import grid
from .base import Section


class SettingsSection(Section):
    title = "设置"
    tables = frozenset({"parameters", "fee_rates"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.tabs = QTabWidget()
        self.params = QTextBrowser()
        self.rates = QTextBrowser()
        self.tabs.addTab(self.params, _("参数表"))
        self.tabs.addTab(self.rates, _("每单缴费金额"))
        QVBoxLayout(self).addWidget(self.tabs)
        self.refresh()

    def refresh(self, change=None):
        s = self.ctx.store
        status = {"confirmed": "已确认", "unconfirmed": "未确认"}
        self.params.setHtml(grid(
            [_("参数"), _("地区"), _("适用期间"), _("统计年度"), _("数值"), _("状态"), _("来源")],
            [[p.label or p.name, p.region, f"{p.valid_from} — {p.valid_to or '至今'}", p.stat_year or "",
              f"{p.value} {p.unit}", status.get(p.status.value, p.status.label), p.source] for p in s.parameters()]))
        self.rates.setHtml(grid(
            [_("行业"), _("地区"), _("适用期间"), _("每单金额(元)"), _("状态"), _("来源")],
            [[r.industry.label, r.region, f"{r.valid_from} — {r.valid_to or '至今'}",
              per_order_units_to_str(r.amount_units), status.get(r.status.value, ""), r.source] for r in s.fee_rates()]))
