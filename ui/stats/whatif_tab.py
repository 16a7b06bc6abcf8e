"""政策测算: under 统计, a scenario of changed rules run on the real history
beside what happened — fees per month, platform and industry, the benefits
the paid cases would have received, the fund's monthly balance and payout
ratio per industry, the workers and cases affected. Scenarios are saved by
name, compared two at a time, exported to XLSX and printed as a report.
Running one changes no record (claims/whatif)."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QInputDialog, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from claims.i18n import _
from claims.permissions import allowed

from ..errors import show_error
from ..files import open_path, save_path
from .view_tab import ViewTab

IN_FORCE = ""  # the combo's first entry: the rules in force, unchanged


class WhatifTab(QWidget):
    key = "whatif"
    stale = False  # not one of the statistics views: it runs when asked

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.title = _("政策测算")
        self.may_run = allowed(ctx.actor.role, "whatif")
        self.results: dict[str, object] = {}  # scenario name -> Result of the current period
        self.shown = None  # what the view shows: a Result, or a pair being compared
        self.scenario = QComboBox()
        self.scenario.setAccessibleName(_("测算方案"))
        self.scenario.setMinimumContentsLength(14)
        self.new_btn = QPushButton(_("新建方案…"))
        self.edit_btn = QPushButton(_("修改方案…"))
        self.load_btn = QPushButton(_("从文件载入…"))
        self.month_from, self.month_to = self._month(), self._month()
        self.run_btn = QPushButton(_("测算"))
        self.compare_btn = QPushButton(_("与另一方案比较…"))
        self.print_btn = QPushButton(_("打印报告…"))
        self.run_btn.setDefault(True)
        for b, slot, tip in ((self.new_btn, self.new, _("以现行规则为底，新建一个方案")),
                             (self.edit_btn, self.edit, _("修改所选方案（现行规则不能修改）")),
                             (self.load_btn, self.load, _("载入 JSON 格式的方案文件（与 whatif 命令相同）")),
                             (self.run_btn, self.run, _("按所选方案重算期间内的缴费与待遇，与实际并列")),
                             (self.compare_btn, self.compare, _("所选方案与另一方案并列比较")),
                             (self.print_btn, self.print_report, _("把本次测算输出为 A4 PDF 报告"))):
            b.clicked.connect(slot)
            b.setToolTip(tip)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("方案")))
        bar.addWidget(self.scenario, 1)
        for w in (self.new_btn, self.edit_btn, self.load_btn):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(QLabel(_("期间")))
        bar.addWidget(self.month_from)
        bar.addWidget(QLabel("—"))
        bar.addWidget(self.month_to)
        bar.addWidget(self.run_btn)
        bar.addSpacing(12)
        bar.addWidget(self.compare_btn)
        bar.addWidget(self.print_btn)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color:#333")
        self.view = ViewTab("whatif", self.title, ctx=ctx)
        self.view.export_requested.connect(lambda _t: self.export())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.summary)
        lay.addWidget(self.view, 1)
        self.fill()
        self._set_period()
        self.summary.setText(_("选一个方案（或新建：现行规则已填好，改动其中几项即可），再按“测算”：缴费、待遇、基金结余和支缴率"
                               "与实际并列，不改动任何记录。"))
        self._enable()
        self.scenario.currentIndexChanged.connect(self._enable)

    # -- the form --------------------------------------------------------------------------
    @staticmethod
    def _month() -> QDateEdit:
        w = QDateEdit()
        w.setDisplayFormat("yyyy-MM")
        return w

    def _set_period(self) -> None:
        span = self.ctx.store.whatif_span()
        if span:
            for w, m in ((self.month_from, span[0]), (self.month_to, span[1])):
                w.setDate(QDate(int(m[:4]), int(m[5:7]), 1))

    def period(self) -> tuple[str, str]:
        a, b = (f"{w.date().year():04d}-{w.date().month():02d}" for w in (self.month_from, self.month_to))
        return (a, b) if a <= b else (b, a)

    def fill(self, select: str | None = None) -> None:
        keep = select if select is not None else self.scenario.currentData()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        self.scenario.addItem(_("现行规则（不作改动）"), IN_FORCE)
        for s in self.ctx.store.scenarios():
            self.scenario.addItem(s.name, s.name)
        i = self.scenario.findData(keep) if keep is not None else 0
        self.scenario.setCurrentIndex(max(0, i))
        self.scenario.blockSignals(False)

    def _enable(self, *_a) -> None:
        why = "" if self.may_run else _("政策测算使用所有平台的数据，由承办机构或管理员进行")
        for b in (self.new_btn, self.load_btn, self.run_btn, self.compare_btn):
            b.setEnabled(self.may_run)
            if why:
                b.setToolTip(why)
        self.edit_btn.setEnabled(self.may_run and self.scenario.currentData() != IN_FORCE)
        self.print_btn.setEnabled(self.may_run and self.shown is not None)
        if not self.may_run:
            self.summary.setText(why)

    def body(self, name: str | None = None) -> dict:
        name = self.scenario.currentData() if name is None else name
        if name == IN_FORCE:
            return {"name": _("现行规则")}
        return self.ctx.store.scenario_by_name(name).body

    # -- actions ---------------------------------------------------------------------------
    def new(self) -> None:
        from .scenario_dialog import ScenarioDialog
        body = ScenarioDialog.ask(self, self.ctx.store)
        if body:
            self._save(body)

    def edit(self) -> None:
        from .scenario_dialog import ScenarioDialog
        if self.scenario.currentData() == IN_FORCE:
            return
        body = ScenarioDialog.ask(self, self.ctx.store, self.body())
        if body:
            self._save(body)

    def load(self, path: str | None = None) -> None:
        if path is None:
            path = open_path(self, "import", _("载入方案"), _("方案文件 (*.json)"))
            if not path:
                return
        try:
            from claims.whatif import parse_text
            sc = parse_text(Path(path).read_text(encoding="utf-8"))
            body = dict(sc.raw)
            body.setdefault("name", Path(path).stem)
        except (OSError, UnicodeDecodeError) as e:
            from claims.errors import ClaimsError
            show_error(self, ClaimsError(_("无法读取 {p}：{e}").format(p=path, e=e)))
            return
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._save(body)

    def _save(self, body: dict) -> None:
        try:
            saved, change = self.ctx.store.save_scenario(self.ctx.actor, body)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.results.clear()
        self.fill(saved.name)
        self._status(change.summary)
        self.run()

    def _result(self, name: str):
        """The scenario's result for the period on screen (computed off the GUI thread once)."""
        key = json.dumps([name, self.period(), self.body(name)], ensure_ascii=False, sort_keys=True)
        if key in self.results:
            return self.results[key]
        from claims.store import Store
        from claims.whatif import parse, run

        from ..tasks import run_task
        store, actor, body, (a, b) = self.ctx.store, self.ctx.actor, self.body(name), self.period()

        def work(progress, cancelled):
            other = Store(store.path, store.site_id)
            try:
                return run(other, parse(body), a, b, actor=actor, progress=lambda _m: progress(0))
            finally:
                other.close()

        res = run_task(self, _("正在测算"), work)
        self.results[key] = res
        return res

    def run(self) -> None:
        from claims.whatif.views import result_view, summary
        try:
            res = self._result(self.scenario.currentData())
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.shown = res
        facts = summary(res).facts()
        self.summary.setText("　".join(f"{k}：{v}" for k, v in facts))
        self.view.show_view(result_view(res), _("{n}，{a} 至 {b}").format(
            n=res.scenario.name or _("现行规则"), a=res.months[0], b=res.months[-1]))
        self._enable()

    def compare(self, other: str | None = None) -> None:
        from claims.whatif.views import compare_view
        names = [self.scenario.itemData(i) for i in range(self.scenario.count())
                 if self.scenario.itemData(i) != self.scenario.currentData()]
        if not names:
            return
        if other is None:
            labels = [self.scenario.itemText(self.scenario.findData(n)) for n in names]
            label, ok = QInputDialog.getItem(self, _("比较方案"), _("与哪一方案比较："), labels, 0, False)
            if not ok:
                return
            other = names[labels.index(label)]
        try:
            a, b = self._result(self.scenario.currentData()), self._result(other)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.shown = (a, b)
        self.summary.setText(_("比较：甲 {a}；乙 {b}。").format(a=a.scenario.name or _("现行规则"),
                                                          b=b.scenario.name or _("现行规则")))
        self.view.show_view(compare_view(a, b), _("甲与乙，{x} 至 {y}").format(x=a.months[0], y=a.months[-1]))
        self._enable()

    def export(self, path: str | None = None) -> Path | None:
        if self.view.view is None:
            return None
        if path is None:
            a, b = self.period()
            path = save_path(self, "export", _("导出 XLSX"), _("政策测算_{a}_{b}.xlsx").format(a=a, b=b),
                             _("Excel 工作簿 (*.xlsx)"))
            if not path:
                return None
        try:
            rows = self.view.export_xlsx(path, subtitle=self.view.caption.text())
            self.ctx.store.log_export(self.ctx.actor, "whatif", rows, personal=False)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        self._status(_("已导出 {p}").format(p=path))
        return Path(path)

    def print_report(self, path: str | None = None) -> Path | None:
        from claims.timeutil import now
        from claims.whatif.views import report

        import forms.whatif_report
        from claims.printing.api import record_report
        res = self.shown[0] if isinstance(self.shown, tuple) else self.shown
        if res is None:
            return None
        if path is None:
            path = save_path(self, "pdf", _("保存测算报告"), _("政策测算报告_{n}.pdf").format(
                n=res.scenario.name or _("现行规则")), _("PDF 文件 (*.pdf)"))
            if not path:
                return None
        try:
            rep = report(res, office=self.ctx.store.office_settings()["office.name"], by=self.ctx.actor.label,
                         at=now())
            # the print is recorded: verify finds its code
            pdf, pages = record_report(self.ctx.store, forms.whatif_report, rep, self.ctx.actor,
                                       self.ctx.actor.label, doc_code="whatif_report")
            Path(path).write_bytes(pdf)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        self._status(_("已保存测算报告 {p}（{n} 页，摘要码 {c}）").format(p=path, n=pages, c=rep.code))
        return Path(path)

    def _status(self, text: str) -> None:
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(text, 8000)
