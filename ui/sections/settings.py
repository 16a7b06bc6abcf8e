"""设置: parameter tables and per-order amounts with source and status, the
handling office's details on printouts, the holiday calendar and the wording
of the situations decisions cite, users, encryption of the database file, the
audit log, and one's own password."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QTextBrowser, QVBoxLayout

from claims.i18n import _
from claims.money import per_order_units_to_str
from claims.permissions import allowed

from ..html import grid
from .base import Section


class SettingsSection(Section):
    title = "设置"
    tables = frozenset({"parameters", "fee_rates", "users", "meta", "holiday_calendar", "situation_texts",
                        "industries", "database"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        from ..settings.audit_tab import AuditTab
        from ..settings.office_tab import OfficeTab
        from ..settings.params_tab import ParamsTab
        from ..settings.users_tab import UsersTab
        self.tabs = QTabWidget()
        self.params = ParamsTab(ctx, self.changed)
        self.rates = QTextBrowser()
        self.tabs.addTab(self.params, _("参数表"))
        self.tabs.addTab(self.rates, _("每单缴费金额"))
        self.office_tab = OfficeTab(ctx, self.changed)
        self.tabs.addTab(self.office_tab, _("经办机构"))
        from ..settings.rules_tab import CalendarTab, SituationsTab
        self.calendar_tab = CalendarTab(ctx, self.changed)
        self.tabs.addTab(self.calendar_tab, _("节假日"))
        self.situations_tab = SituationsTab(ctx, self.changed)
        self.tabs.addTab(self.situations_tab, _("确认情形"))
        from ..settings.industries_tab import IndustriesTab
        self.industries_tab = IndustriesTab(ctx, self.changed)
        self.tabs.addTab(self.industries_tab, _("行业"))
        self.users_tab = UsersTab(ctx)
        self.tabs.addTab(self.users_tab, _("用户"))
        from ..settings.security_tab import SecurityTab
        self.security_tab = SecurityTab(ctx, self.changed)
        self.tabs.addTab(self.security_tab, _("数据加密"))
        self.exchange_tab = None
        if allowed(ctx.actor.role, "exchange"):
            from ..settings.exchange_tab import ExchangeTab
            self.exchange_tab = ExchangeTab(ctx, self.changed)
            self.tabs.addTab(self.exchange_tab, _("数据交换"))
        self.audit_tab = None
        if allowed(ctx.actor.role, "audit.view"):
            self.audit_tab = AuditTab(ctx)
            self.tabs.addTab(self.audit_tab, _("审计日志"))
        QVBoxLayout(self).addWidget(self.tabs)
        self.refresh()

    def refresh(self, change=None):
        s = self.ctx.store
        if change is None or "parameters" in change.tables:
            self.params.reload()
        self.rates.setHtml(grid(
            [_("行业"), _("地区"), _("适用期间"), _("每单金额(元)"), _("状态"), _("来源")],
            [[r.industry.label, r.region, f"{r.valid_from} — {r.valid_to or '至今'}",
              per_order_units_to_str(r.amount_units), r.status.label, r.source] for r in s.fee_rates()]))
        if change is not None and "industries" in change.tables:
            self.industries_tab.reload()
        if change is not None and "users" in change.tables:
            self.users_tab.reload()
        if change is not None and change.tables & {"users", "database"}:
            self.security_tab.reload()
