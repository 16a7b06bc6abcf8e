"""统计: the pilot's figures at a glance — a filter bar, one tab per view
(tables and charts), XLSX export of every table and chart, and the A4
monthly report. Built on first visit; matplotlib is imported only after the
first tables have been painted, so neither start-up nor the first look waits."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QPushButton, QTabWidget,
                               QVBoxLayout)

from claims.i18n import _
from claims.permissions import allowed
from claims.stats import VIEW_TITLES, StatsFilter, month_index, month_of_index, today_month

from ..errors import show_error
from .base import Section


class StatsSection(Section):
    title = "统计"
    tables = frozenset({"cases", "case_events", "decisions", "declarations", "fee_payments", "benefit_payments",
                        "assessments", "orders", "daily_counts", "enrollments", "workers", "stations", "platforms",
                        "whatif_scenarios", "industries"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self._lay = QVBoxLayout(self)
        self._placeholder = QLabel(_("正在载入统计…"))
        self._lay.addWidget(self._placeholder)
        self.filters = None
        self.tabs: QTabWidget | None = None
        self.view_tabs: list = []

    # -- building ------------------------------------------------------------------
    def showEvent(self, e):
        super().showEvent(e)
        if self.tabs is None:
            self.build()

    def build(self) -> None:
        from ..stats.filters import FilterBar
        from ..stats.view_tab import ViewTab

        from ..stats import preload
        preload.start()
        self.ensure_fresh()
        s, actor = self.ctx.store, self.ctx.actor
        station = actor.station_id if actor.role == "station_manager" else None
        platform = actor.platform_id if actor.role == "station_manager" else None
        self.filters = FilterBar(s.stats_filter_choices(actor), self.default_period(), fixed_platform=platform,
                                 fixed_station=station)
        self.filters.changed.connect(self.on_filter)
        self.report_btn = QPushButton(_("月报 PDF…"))
        self.report_btn.setToolTip(_("生成某月的运行分析月报（A4 PDF），供经办机构存档或报送"))
        self.report_btn.clicked.connect(self.ask_monthly_report)
        if not allowed(actor.role, "report.office"):
            self.report_btn.setEnabled(False)
            self.report_btn.setToolTip(_("月报含所有平台的数据，由承办机构生成"))
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        top.addWidget(self.report_btn)
        self.tabs = QTabWidget()
        for key, title in VIEW_TITLES.items():
            tab = ViewTab(key, _(title), ctx=self.ctx)
            tab.export_requested.connect(self.export_tab)
            self.view_tabs.append(tab)
            self.tabs.addTab(tab, _(title))
        from ..stats.whatif_tab import WhatifTab
        self.whatif = WhatifTab(self.ctx)
        self.tabs.addTab(self.whatif, self.whatif.title)
        self.tabs.currentChanged.connect(lambda _i: self.load_current())
        self._lay.removeWidget(self._placeholder)
        self._placeholder.deleteLater()
        self._lay.addLayout(top)
        self._lay.addWidget(self.tabs, 1)
        self.load_current(charts_later=True)

    def default_period(self) -> tuple[str, str]:
        """The last six months that have data (or the six months up to now)."""
        span = self.ctx.store.stats_months()
        last = span[1] if span else today_month()
        first = month_of_index(month_index(last) - 5)
        if span and span[0] > first:
            first = span[0]
        return first, last

    def ensure_fresh(self) -> None:
        """Bring the aggregate tables up to date (after an import) off the GUI thread."""
        s = self.ctx.store
        if not s.stats_pending():
            return
        from claims.store import Store

        from ..tasks import run_task
        path, site = s.path, s.site_id

        def work(progress, cancelled):
            other = Store(path, site)
            try:
                other.refresh_stats(progress=lambda _m: progress(0))
            finally:
                other.close()

        try:
            run_task(self, _("正在更新统计汇总"), work)
        except Exception as e:  # noqa: BLE001 - shown through the one error path
            show_error(self, e)

    # -- loading ---------------------------------------------------------------------
    def current_filter(self) -> StatsFilter:
        return self.filters.value()

    def caption(self, f: StatsFilter) -> str:
        names = self.ctx.store.stats_names()
        parts = [_("{a} 至 {b}").format(a=f.month_from, b=f.month_to)]
        if f.platform_id:
            parts.append(names.platform(f.platform_id))
        if f.station_id:
            parts.append(names.station(f.station_id))
        if f.industry:
            from claims.stats import industry_label
            parts.append(industry_label(f.industry))
        if f.region:
            parts.append(_("地区 {r}").format(r=f.region))
        return "，".join(parts)

    def load_current(self, charts_later: bool = False) -> None:
        if self.tabs is None:
            return
        tab = self.tabs.currentWidget()
        statistics = tab is not self.whatif  # 政策测算 has a period of its own; the filters are the views'
        self.filters.setVisible(statistics)
        self.report_btn.setVisible(statistics)
        if tab is None or not tab.stale:
            return
        f = self.current_filter()
        try:
            view = self.ctx.store.stats_view(tab.key, f, actor=self.ctx.actor)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        tab.show_view(view, self.caption(f), with_charts=not charts_later)
        if charts_later:  # paint the tables first; matplotlib loads on the next turn of the event loop
            QTimer.singleShot(0, tab.draw_charts)

    def on_filter(self, _f=None) -> None:
        for t in self.view_tabs:
            t.stale = True
        self.load_current()

    def refresh(self, change=None):
        if self.tabs is None or (change is not None and not (change.tables & self.tables)):
            return
        if change is not None and "industries" in change.tables:
            self.filters.set_industries()
        self.ensure_fresh()
        self.on_filter()

    # -- export and report -------------------------------------------------------------
    def export_tab(self, tab, path: str | None = None) -> Path | None:
        if path is None:
            f = self.current_filter()
            name = f"{tab.title}_{f.month_from}_{f.month_to}.xlsx"
            from ..files import save_path
            path = save_path(self, "export", _("导出 XLSX"), name, _("Excel 工作簿 (*.xlsx)"))
            if not path:
                return None
        try:
            rows = tab.export_xlsx(path, subtitle=self.caption(self.current_filter()))
            self.ctx.store.log_export(self.ctx.actor, f"stats:{tab.key}", rows, personal=False)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        self._status(_("已导出 {p}").format(p=path))
        from ..files import announce_saved
        announce_saved(self, Path(path), _("已导出"))
        return Path(path)

    def save_monthly_report(self, month: str, path: str | Path) -> int:
        """Write the monthly report of ``month`` to ``path``; returns the page count."""
        import forms.monthly_report as module
        from claims import printing
        f = self.current_filter()
        report = self.ctx.store.monthly_report(month, self.ctx.actor, region=f.region)
        pdf, pages = printing.record_report(self.ctx.store, module, report, self.ctx.actor,
                                            printing.printer_name(self.ctx.store, self.ctx.actor))
        from claims.savefile import save_bytes
        save_bytes(path, pdf)
        return pages

    def ask_monthly_report(self) -> None:
        f = self.current_filter()
        months = list(reversed(f.months()))
        month, ok = QInputDialog.getItem(self, _("运行分析月报"), _("月份："), months, 0, False)
        if not ok:
            return
        from ..files import save_path
        path = save_path(self, "pdf", _("保存月报"), _("运行分析月报_{m}.pdf").format(m=month), _("PDF 文件 (*.pdf)"))
        if not path:
            return
        try:
            pages = self.save_monthly_report(month, path)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._status(_("已保存月报 {p}（{n} 页）").format(p=path, n=pages))

    def _status(self, text: str) -> None:
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(text, 8000)

