"""参保登记: the worker list with search as you type, filters, and the detail
of one person: enrollments on every platform, order activity, cases, other
cover. The actions of the screen (new worker, enroll, import, export…) are
made in one place, ``ACTIONS``."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QSplitter, QToolBar, QToolButton

from claims.enums import EnrollmentStatus, Industry
from claims.i18n import _
from claims.permissions import allowed
from claims.store import WorkerFilter
from claims.store.enrollment_extra import OTHER_COVER_KINDS

from ..errors import show_error
from ..html import grid, heading, table, title
from ..table import Column
from .listing import ListSection

# key, text, shortcut, tooltip, where ("bar": the section's toolbar, "record": above the detail)
ACTIONS = [
    ("new_worker", "新增人员", "Ctrl+N", "登记一位新的人员", "bar"),
    ("new_platform", "新增平台", "Ctrl+Shift+P", "登记平台企业：名称、统一社会信用代码、服务行业", "bar"),
    ("new_station", "新增站点", "Ctrl+Shift+S", "登记平台下的站点：所在区、地址、站长", "bar"),
    ("import_workers", "导入人员…", "Ctrl+I", "导入平台导出的人员名单（CSV 或 XLSX），先试运行检查再导入", "bar"),
    ("export", "导出…", "Ctrl+Shift+E", "把当前筛选出的人员导出为 XLSX 或 CSV", "bar"),
    ("edit", "编辑", "Ctrl+E", "修改所选人员的信息", "record"),
    ("enroll", "参保登记", "Ctrl+Shift+R", "为所选人员登记在某个平台的参保", "record"),
    ("end_enrollment", "终止参保…", "", "所选人员不再在某平台接单：保障到终止日期为止，参保记录保留", "record"),
    ("other_cover", "其他保障", "Ctrl+Shift+O", "登记所选人员的工会互助保障、商业意外险或雇主责任险", "record"),
    ("toggle_reveal", "显示完整号码", "", "显示此人的完整身份证号、手机号和银行账号（会记入审计日志）", "record"),
]
ACTION_TIPS = {key: tip for key, _text, _shortcut, tip, _where in ACTIONS}


class WorkersSection(ListSection):
    title = "参保登记"
    tables = frozenset({"workers", "enrollments", "other_cover", "orders", "cases", "platforms", "stations"})
    search_hint = "按姓名，或身份证号、手机号中的任意几位查找　Ctrl+F"

    def __init__(self, ctx, parent=None):
        self._plat_names: dict[str, str] = {}
        self._own_change = None
        super().__init__(ctx, parent)

    # -- table ------------------------------------------------------------------------
    def columns(self):
        return [
            Column(_("姓名"), lambda w: w.name, "name"),
            Column(_("身份证号码"), lambda w: self.id_text(w), "id_number"),
            Column(_("性别"), lambda w: _("男") if w.gender == "male" else _("女"), "gender"),
            Column(_("出生日期"), lambda w: w.birth_date.isoformat(), "birth_date"),
            Column(_("手机号码"), lambda w: self.phone_text(w), "phone"),
            Column(_("平台"), lambda w: self._plat_names.get(w.id, "—"), "platform"),
        ]

    def id_text(self, w) -> str:
        return self.ctx.id_text(w.id_number, w.id)

    def phone_text(self, w) -> str:
        return self.ctx.phone_text(w.phone, w.id)

    def reveal(self, w) -> bool:
        return self.ctx.shown(w.id)

    def filter(self) -> WorkerFilter:
        return WorkerFilter(text=self.search.text(), platform_id=self.platform_box.currentData(),
                            station_id=self.station_box.currentData(), industry=self.industry_box.currentData(),
                            status=self.status_box.currentData(),
                            sort=self.model.sort_code or "name", descending=self.model.descending)

    def fetch(self, offset, limit):
        rows = self.ctx.store.search_workers(self.filter(), offset=offset, limit=limit, actor=self.ctx.actor)
        if offset == 0:
            self._plat_names = {}
        self._plat_names.update(self.ctx.store.platform_names_for([w.id for w in rows], actor=self.ctx.actor))
        return rows

    def count(self):
        return self.ctx.store.count_workers(self.filter(), actor=self.ctx.actor)

    # -- filters ----------------------------------------------------------------------
    def _combo(self, label: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(label)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filters.addWidget(QLabel(label))
        self.filters.addWidget(box)
        return box

    def build_filters(self):
        self.platform_box = self._combo(_("平台"))
        self.station_box = self._combo(_("站点"))
        self.industry_box = self._combo(_("行业"))
        self.status_box = self._combo(_("状态"))
        for text, data in [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry]:
            self.industry_box.addItem(text, data)
        for text, data in [(_("全部状态"), None)] + [(s.label, s.value) for s in EnrollmentStatus]:
            self.status_box.addItem(text, data)
        self.filters.addStretch(1)
        self.fill_filters()
        self.platform_box.currentIndexChanged.connect(self._platform_changed)
        for box in (self.station_box, self.industry_box, self.status_box):
            box.currentIndexChanged.connect(self.reload)

    def fill_filters(self) -> None:
        """(Re)load the platform list, keeping the choice."""
        keep = self.platform_box.currentData()
        self.platform_box.blockSignals(True)
        self.platform_box.clear()
        self.platform_box.addItem(_("全部平台"), None)
        for p in self.ctx.store.platforms(actor=self.ctx.actor):
            self.platform_box.addItem(p.name, p.id)
        self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(keep)))
        self.platform_box.blockSignals(False)
        self._fill_stations()

    def _fill_stations(self) -> None:
        keep, pid = self.station_box.currentData(), self.platform_box.currentData()
        self.station_box.blockSignals(True)
        self.station_box.clear()
        self.station_box.addItem(_("全部站点"), None)
        if pid:
            for s in self.ctx.store.stations(pid, actor=self.ctx.actor):
                self.station_box.addItem(s.name, s.id)
        self.station_box.setCurrentIndex(max(0, self.station_box.findData(keep)))
        self.station_box.setEnabled(bool(pid))
        self.station_box.setToolTip("" if pid else _("先选择平台，再按站点筛选"))
        self.station_box.blockSignals(False)

    def _platform_changed(self) -> None:
        self._fill_stations()
        self.reload()

    # -- actions ----------------------------------------------------------------------
    def build_actions(self):
        self.acts: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key, text, shortcut, tip, where in ACTIONS:
            act = QAction(_(text), self)
            tip = _(tip) + (_("（{k}）").format(k=shortcut) if shortcut else "")
            act.setToolTip(tip)
            act.setStatusTip(tip)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(getattr(self, key))
            self.addAction(act)
            self.acts[key] = act
            if where == "bar":
                bar.addAction(act)
            else:
                btn = QToolButton()
                btn.setDefaultAction(act)
                btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                self.actions_bar.addWidget(btn)
                self.buttons[key] = btn
        from ..printing import install_print_shortcut, print_button, worker_main_document
        self.print_btn = print_button(self, self.ctx, "worker", lambda: (w := self.current()) and w.id_number)
        self.actions_bar.addWidget(self.print_btn)
        install_print_shortcut(self, self.ctx, lambda: worker_main_document(self.current()))
        self.actions_bar.addStretch(1)
        self.layout().insertWidget(0, bar)
        split = self.findChild(QSplitter)
        if split is not None:  # the detail pane needs room for the enrollment table
            split.setSizes([620, 440])
        self.toolbar = bar
        self.reveal_btn = self.buttons["toggle_reveal"]
        may_register = allowed(self.ctx.actor.role, "platform.write")
        for key in ("new_platform", "new_station"):
            self.acts[key].setEnabled(may_register)
            if not may_register:
                self.acts[key].setToolTip(_("您的角色不能登记平台或站点，请联系承办机构"))

    def on_select(self, w):
        for key in ("edit", "enroll", "other_cover", "toggle_reveal"):
            self.acts[key].setEnabled(w is not None)
        sm = self.ctx.actor.role == "station_manager"
        has_open = w is not None and any(e.status.value == "active" and (not sm or e.station_id == self.ctx.actor.station_id)
                                         for e in self.ctx.store.enrollments_of(w.id, actor=self.ctx.actor))
        self.acts["end_enrollment"].setEnabled(has_open)
        self.acts["end_enrollment"].setToolTip(_(ACTION_TIPS["end_enrollment"]) if has_open or w is None
                                               else _("此人没有（本站）在保的参保登记"))
        if w is not None:
            self.acts["toggle_reveal"].setText(_("隐藏号码") if self.reveal(w) else _("显示完整号码"))

    def toggle_reveal(self):
        w = self.current()
        if w is None:
            return
        if w.id not in self.ctx.revealed:
            try:
                self.ctx.store.log_reveal(self.ctx.actor, "workers", w.id, "id_number,phone,bank_card")
            except Exception as e:  # noqa: BLE001 - one error path
                show_error(self, e)
                return
        self.ctx.revealed.symmetric_difference_update({w.id})
        last = self.model.columnCount() - 1
        self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, last))
        self._show(self.view.currentIndex().row())

    # -- the slots named in ACTIONS ----------------------------------------------------
    def new_worker(self):
        from ..workers.worker_dialog import WorkerDialog
        self._worker_saved(WorkerDialog.ask(self, self.ctx))

    def edit(self):
        from ..workers.worker_dialog import WorkerDialog
        w = self.current()
        if w is not None:
            self._worker_saved(WorkerDialog.ask(self, self.ctx, self.ctx.store.worker(w.id)))

    def _worker_saved(self, result) -> None:
        if result is None:
            return
        if result.change is None:  # the person was already registered: show the existing record
            self.select_worker(result.worker.id)
        else:
            self.after_save(result.change, result.worker.id)

    def enroll(self):
        from ..workers.dialogs import EnrollDialog
        w = self.current()
        if w is not None:
            out = EnrollDialog.ask(self, self.ctx, w, self.platform_box.currentData())
            if out:
                self.after_save(out[1], w.id)

    def end_enrollment(self):
        from ..workers.dialogs import EndEnrollmentDialog
        w = self.current()
        if w is not None:
            out = EndEnrollmentDialog.ask(self, self.ctx, w)
            if out:
                self.after_save(out[1], w.id)

    def other_cover(self):
        from ..workers.dialogs import OtherCoverDialog
        w = self.current()
        if w is not None:
            out = OtherCoverDialog.ask(self, self.ctx, w)
            if out:
                self.after_save(out[1], w.id)

    def new_platform(self):
        from ..workers.dialogs import PlatformDialog
        out = PlatformDialog.ask(self, self.ctx)
        if out:
            self.after_save(out[1])

    def new_station(self):
        from ..workers.dialogs import StationDialog
        out = StationDialog.ask(self, self.ctx, self.platform_box.currentData())
        if out:
            self.after_save(out[1])

    def import_workers(self):
        from ..workers.import_dialog import ImportDialog
        out = ImportDialog.ask(self, self.ctx)
        if out:
            self.after_save(out[1])

    def export(self):
        from ..workers.transfer import export_filtered
        export_filtered(self, self.ctx, self.filter())

    def after_save(self, change, worker_id: str | None = None) -> None:
        """Show what was saved, then tell the other screens."""
        self._own_change = change
        if change.tables & {"platforms", "stations"}:
            self.fill_filters()
        if self.search.text():  # what was typed to find the last person does not stay on screen
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self._debounce.stop()
        if self._loaded:
            self.reload()
        if worker_id:
            self.select_worker(worker_id)
        self.changed.emit(change)

    def refresh(self, change=None) -> None:
        if change is not None and change is self._own_change:
            return  # already shown by after_save
        if change is None or change.tables & {"platforms", "stations"}:
            self.fill_filters()
        super().refresh(change)

    def select_worker(self, worker_id: str) -> None:
        """Select the worker in the list; when the filters hide them, search for them."""
        self._loaded = True
        for r in range(self.model.rowCount()):
            if self.model.record(r).id == worker_id:
                self.view.selectRow(r)
                self.view.scrollTo(self.model.index(r, 0))
                return
        w = self.ctx.store.worker(worker_id)
        for box in (self.platform_box, self.industry_box, self.status_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self._fill_stations()
        self.search.setText(w.name)  # the name, never the ID number: the search box stays on screen
        self._debounce.stop()
        self.reload()
        for r in range(self.model.rowCount()):
            if self.model.record(r).id == worker_id:
                self.view.selectRow(r)
                return

    # -- detail -------------------------------------------------------------------------
    def empty_text(self):
        s = self.ctx.store
        if not s.platforms(actor=self.ctx.actor):
            return "<p>" + _("还没有登记任何平台。第一步：点上方“新增平台”登记平台企业，再“新增站点”；"
                             "然后“新增人员”（Ctrl+N）逐个登记，或“导入人员…”导入平台导出的名单。") + "</p>"
        if s.count_workers(actor=self.ctx.actor) == 0:
            return "<p>" + _("还没有登记任何人员。点上方“新增人员”（Ctrl+N）逐个登记，"
                             "或“导入人员…”导入平台导出的名单（CSV 或 XLSX）。") + "</p>"
        return "<p style='color:#666'>" + _("没有符合条件的人员。请修改搜索内容或筛选条件。") + "</p>"

    def describe(self, w) -> str:
        s = self.ctx.store
        plat = {p.id: p.name for p in s.platforms()}
        stations = {st.id: st.name for st in s.stations()}
        sex = _("男") if w.gender == "male" else _("女")
        parts = [title(w.name, _("{g}　{b} 出生").format(g=sex, b=w.birth_date.isoformat())),
                 table([(_("身份证号码"), self.ctx.id_text(w.id_number, w.id)),
                        (_("手机号码"), self.ctx.phone_text(w.phone, w.id)),
                        (_("银行账号"), " ".join(x for x in (w.bank_name, self.ctx.account_text(w.bank_card, w.id),
                                                          _("户名 {h}").format(h=w.bank_holder) if w.bank_holder
                                                          else "") if x) or "—"),
                        (_("住址"), w.address or "—"),
                        (_("紧急联系人"), " ".join(x for x in (w.emergency_contact, self.ctx.phone_text(
                            w.emergency_phone, w.id)) if x) or "—")])]
        ens = s.enrollments_of(w.id, actor=self.ctx.actor)
        active = {e.platform_id for e in ens if e.status.value == "active"}
        parts.append(heading(_("参保登记（{n} 个平台，在保 {a} 个）").format(n=len({e.platform_id for e in ens}),
                                                                     a=len(active))))
        if not ens:
            parts.append("<p style='color:#888'>" + _("尚未参保。点上方“参保登记”登记此人在某个平台的参保。") + "</p>")
        else:
            parts.append(grid([_("平台"), _("站点"), _("行业"), _("起始"), _("终止"), _("状态"), _("来源")],
                              [[plat.get(e.platform_id, "?"), stations.get(e.station_id, "—"), e.industry.label,
                                e.start_on.isoformat(), e.end_on.isoformat() if e.end_on else "—", e.status.label,
                                _("导入") if e.source == "import" else _("手工")] for e in ens]))
        parts.append(heading(_("接单情况（按月）")))
        parts.append(grid([_("平台"), _("月份"), _("接单天数"), _("订单数")],
                          [list(r) for r in s.order_days(w.id, actor=self.ctx.actor)[:12]]))
        from claims.store import CaseFilter
        cases = s.search_cases(CaseFilter(text=w.id_number), limit=50, actor=self.ctx.actor)
        parts.append(heading(_("案件")))
        parts.append(grid([_("案件号"), _("事故时间"), _("状态")],
                          [[c.number, c.accident_at.strftime("%Y-%m-%d %H:%M"), c.state.label] for c in cases]))
        parts.append(heading(_("其他保障")))
        parts.append(grid([_("类别"), _("名称"), _("承保机构"), _("保单号"), _("期间")],
                          [[_(OTHER_COVER_KINDS.get(o.kind, o.kind)), o.name, o.insurer or "—", o.policy_no or "—",
                            _period(o.start_on, o.end_on)] for o in s.other_cover_of(w.id)]))
        return "".join(parts)


def _period(start: date | None, end: date | None) -> str:
    if not start and not end:
        return "—"
    return _("{a} 至 {b}").format(a=start.isoformat() if start else "？", b=end.isoformat() if end else _("长期"))
