"""缴费: monthly declarations, reconciliation, the coverage question and the
per-order amounts, one tab each; 导入订单 imports order records or daily
counts. Changes made in a tab go to the main window, which hands them back
to every section (this one forwards them to its tabs)."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from claims.i18n import _
from claims.permissions import allowed

from ..fees.coverage import CoverageView
from ..fees.declarations import DeclarationsView
from ..fees.rates import RatesView
from ..fees.reconcile_view import ReconciliationView
from .base import Section


class FeesSection(Section):
    title = "缴费"
    tables = frozenset({"declarations", "fee_payments", "fee_rates", "orders", "daily_counts", "platforms"})

    def __init__(self, ctx, parent=None, today: date | None = None):
        super().__init__(ctx, parent)
        self.declarations = DeclarationsView(ctx, today=today)
        self.reconciliation = ReconciliationView(ctx, today=today)
        self.coverage = CoverageView(ctx)
        self.rates = RatesView(ctx)
        self.tabs = QTabWidget()
        for view, label in ((self.declarations, _("缴费申报")), (self.reconciliation, _("对账")),
                            (self.coverage, _("接单查询")), (self.rates, _("每单金额"))):
            self.tabs.addTab(view, label)
            view.changed.connect(self.changed.emit)
        corner = QWidget()
        cl = QHBoxLayout(corner)
        cl.setContentsMargins(0, 0, 4, 2)
        self.import_btn = QPushButton(_("导入订单…"))
        self.import_btn.setToolTip(_("导入平台的订单记录（或只有日单量时导入日单量），先试运行再导入"))
        self.import_btn.clicked.connect(lambda: self.import_orders())
        may = allowed(ctx.actor.role, "fee.write")
        self.import_btn.setEnabled(may)
        if not may:
            self.import_btn.setToolTip(_("您的角色不能导入订单"))
        cl.addWidget(self.import_btn)
        self.tabs.setCornerWidget(corner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    def import_orders(self, path=None, kind: str = "orders", platform: str | None = None):
        from ..fees.import_dialog import OrderImportDialog
        out = OrderImportDialog.ask(self, self.ctx, path, kind, platform)
        if out:
            self._own_change = out[1]
            self._refresh_views(out[1])
            self.changed.emit(out[1])
        return out

    def refresh(self, change=None) -> None:
        if change is not None and change is getattr(self, "_own_change", None):
            return  # already shown
        self._refresh_views(change)

    def _refresh_views(self, change) -> None:
        for view in (self.declarations, self.reconciliation, self.coverage, self.rates):
            view.refresh(change)
