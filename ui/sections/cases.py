"""案件: the case list (filter by state, platform, industry, station, deadline;
search by case number, name or ID number) and one case: its facts and history,
the order proof, the documents, benefits and payments, and the next steps
allowed from its state."""
from __future__ import annotations


from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QPushButton, QTabWidget, QTextBrowser

from claims.enums import CaseState, Industry
from claims.i18n import _
from claims.lifecycle import ACTION_LABELS, REVIEWER_ONLY, TERMINAL
from claims.change import Change
from claims.permissions import allowed
from claims.store import CaseFilter

from ..cases import common
from ..cases.benefits_panel import BenefitsPanel
from ..cases.decision import AppraisalDialog, DecisionDialog
from ..cases.documents import DocumentsPanel
from ..cases.deadline import due_color, due_text
from ..cases.overview import order_proof_html, overview_html
from ..cases.report import ReportDialog
from ..errors import show_error
from ..table import Column
from .listing import ListSection
from claims.timeutil import today as china_today

__all__ = ["CasesSection", "due_text", "due_color"]
SIDE = (CaseState.suspended, CaseState.disputed)


class CasesSection(ListSection):
    title = "案件"
    tables = frozenset({"cases", "decisions", "appraisals", "assessments", "benefit_payments", "case_documents",
                        "missing_notices", "workers", "other_cover", "dependants", "advances"})
    search_hint = "按案件号、姓名或身份证号查找　Ctrl+F"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        # the detail pane becomes tabs: overview (with history), order proof, documents, benefits
        self.tabs = QTabWidget()
        lay = self.detail_box.layout()
        lay.removeWidget(self.detail)
        self.tabs.addTab(self.detail, _("概况与历史"))
        self.proof = QTextBrowser()
        self.tabs.addTab(self.proof, _("接单证明"))
        self.documents = DocumentsPanel(ctx)
        self.tabs.addTab(self.documents, _("材料"))
        self.benefits = BenefitsPanel(ctx)
        self.tabs.addTab(self.benefits, _("待遇与支付"))
        lay.addWidget(self.tabs, 1)
        split = self.detail_box.parentWidget()
        split.setStretchFactor(0, 9)  # the case's detail needs the room more than the list
        split.setStretchFactor(1, 11)

        for panel in (self.documents, self.benefits):
            panel.changed.connect(self.changed)
        self.detail.anchorClicked.connect(self.follow_link)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.report)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_main)

    def columns(self):
        today = china_today()
        self._names: dict[str, str] = {}
        return [
            Column(_("案件号"), lambda c: c.number, "number"),
            Column(_("姓名"), lambda c: self.name_of(c.worker_id), "name"),
            Column(_("行业"), lambda c: c.industry.label, "industry"),
            Column(_("事故时间"), lambda c: c.accident_at.strftime("%Y-%m-%d %H:%M"), "accident_at"),
            Column(_("状态"), lambda c: c.state.label, "state"),
            Column(_("时限"), lambda c: due_text(c, today, short=True), "due", color=lambda c: due_color(c, today)),
        ]

    def name_of(self, worker_id: str) -> str:
        if worker_id not in self._names:
            self._names[worker_id] = self.ctx.store.worker(worker_id).name
        return self._names[worker_id]

    def build_filters(self):
        s = self.ctx.store
        self.state_box = self.add_filter(_("状态"), [(_("全部状态"), None)] + [(x.label, x.value) for x in CaseState])
        self.platform_box = self.add_filter(_("平台"), [(_("全部平台"), None)]
                                            + [(p.name, p.id) for p in s.platforms(actor=self.ctx.actor)])
        self.industry_box = self.add_filter(_("行业"), [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry])
        stations = s.stations() if self.ctx.actor.role != "station_manager" else []
        self.station_box = self.add_filter(_("站点"), [(_("全部站点"), None)] + [(st.name, st.id) for st in stations])
        self.station_box.setVisible(bool(stations))
        self.due_box = self.add_filter(_("时限"), [(_("全部"), None), (_("7 天内到期"), "soon"), (_("已逾期"), "overdue")])
        # The row may shrink: the case's detail needs the width. Each box's first
        # entry (全部状态, 全部平台, …) already says what it filters, so the labels go.
        for i in range(self.filters.count()):
            w = self.filters.itemAt(i).widget()
            if isinstance(w, QLabel):
                w.hide()
        for box in (self.state_box, self.platform_box, self.industry_box, self.station_box, self.due_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(5)
            box.setToolTip(box.accessibleName())
        self.filters.addStretch(1)
        self.report_btn = QPushButton(_("报案…"))
        self.report_btn.setToolTip(_("登记一起新的事故报案（Ctrl+N）"))
        self.report_btn.clicked.connect(self.report)
        self.filters.addWidget(self.report_btn)
        self.import_btn = QPushButton(_("导入报案…"))
        self.import_btn.setToolTip(_("导入平台批量报送的事故报案（CSV 或 XLSX），先检查再导入"))
        self.import_btn.clicked.connect(lambda: self.import_reports())
        may = allowed(self.ctx.actor.role, "case.report")
        self.import_btn.setEnabled(may)
        if not may:
            self.import_btn.setToolTip(_("您的角色不能登记报案"))
        self.filters.addWidget(self.import_btn)

    def build_actions(self):
        self.action_buttons: list[QPushButton] = []
        self.actions_bar.addStretch(1)
        try:  # 打印 ▾: every document that applies to the case now
            from ..printing import print_button
            self.print_btn = print_button(self, self.ctx, "case", lambda: c.number if (c := self.current()) else None)
        except ImportError:
            self.print_btn = QPushButton(_("打印"))
            self.print_btn.clicked.connect(self.print_main)
        self.print_btn.setToolTip(_("打印本案的文书（Ctrl+P 打印当前阶段的主要文书）"))
        self.actions_bar.addWidget(self.print_btn)
        self.batch_btn = QPushButton(_("批量打印…"))
        self.batch_btn.setToolTip(_("为列表中当前筛选出的所有案件打印同一种文书（后台进行，可取消）"))
        self.batch_btn.clicked.connect(self.batch_print)
        self.actions_bar.addWidget(self.batch_btn)

    BATCH_LIMIT = 2000

    def batch_print(self) -> None:
        """One document for every case the current filter shows; cases for
        which it does not apply yet are skipped and listed afterwards."""
        from PySide6.QtWidgets import QInputDialog

        from claims.docviews import DOCUMENTS
        from claims.printing import KEY_KIND

        from ..printing import ask_batch_print
        codes = [c for c in DOCUMENTS if KEY_KIND[c] == "case"]
        titles = [DOCUMENTS[c][0] for c in codes]
        n = self.count()
        title, ok = QInputDialog.getItem(self, _("批量打印"), _("为当前列表中的 {n} 件案件打印：").format(
            n=min(n, self.BATCH_LIMIT)), titles, 0, False)
        if not ok:
            return
        code = codes[titles.index(title)]
        cases = self.ctx.store.search_cases(self.filter(), limit=self.BATCH_LIMIT, actor=self.ctx.actor)
        ask_batch_print(self, self.ctx, [(code, c.number) for c in cases])

    def filter(self) -> CaseFilter:
        return CaseFilter(text=self.search.text(), state=self.state_box.currentData(),
                          platform_id=self.platform_box.currentData(), industry=self.industry_box.currentData(),
                          station_id=self.station_box.currentData(), due=self.due_box.currentData(),
                          sort=self.model.sort_code, descending=self.model.descending)

    def fetch(self, offset, limit):
        return self.ctx.store.search_cases(self.filter(), offset=offset, limit=limit, actor=self.ctx.actor)

    def count(self):
        return self.ctx.store.count_cases(self.filter(), actor=self.ctx.actor)

    def badge(self) -> str:
        n = self.ctx.store.count_cases(CaseFilter(due="overdue"), actor=self.ctx.actor)
        return _("（逾期 {n}）").format(n=n) if n else ""

    def empty_text(self) -> str:
        if self.ctx.store.count_cases(actor=self.ctx.actor) == 0:
            return "<p>" + _("还没有案件。有人报告事故时，点“报案…”（Ctrl+N）登记。") + "</p>"
        return super().empty_text()

    def describe(self, c) -> str:
        return overview_html(self.ctx, c)

    # -- the selected case -------------------------------------------------------
    def on_select(self, c):
        if c is not None:
            c = self.ctx.store.case(c.id, self.ctx.actor)  # the row may be older than the last change
        self.proof.setHtml(order_proof_html(self.ctx, c) if c else "")
        self.documents.show_case(c)
        self.benefits.show_case(c)
        self.print_btn.setEnabled(c is not None and common.printing() is not None)
        for b in self.action_buttons:
            self.actions_bar.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.action_buttons = []
        if c is None:
            return
        s, role = self.ctx.store, self.ctx.actor.role
        resume = s.resume_state(c.id) if c.state in SIDE else None
        decided = False
        missing = s.missing_documents(c.id) if c.state in (CaseState.reported, CaseState.awaiting_documents) else []
        for target in s.allowed_transitions(c.id):
            if target in REVIEWER_ONLY and target != resume:
                if decided:
                    continue
                decided = True
                label, why = _("作出结论…"), _("确认或不予确认须由审核人作出")
                ok = allowed(role, "case.decide")
            elif target == resume:
                label, why, ok = _("恢复（回到{s}）").format(s=target.label), _("须由承办机构经办人办理"), \
                    allowed(role, "case.transition")
            else:
                label, why = ACTION_LABELS.get(target, target.label), _("站长不能办理此步骤，请承办机构经办人办理")
                ok = allowed(role, "case.transition")
                if target == CaseState.appraised:
                    label = _("录入鉴定结论…")
                elif target == CaseState.assessed:
                    label = _("待遇核定…")
                elif target == CaseState.awaiting_documents:
                    label = _("一次性告知…")
                    if ok and not missing:
                        ok, why = False, _("材料已齐全，无需告知")
                elif target == CaseState.paid and not any(p.status.value == "approved" for p in s.payments_of(c.id)):
                    ok, why = False, _("尚无已审批的支付：支付单须由另一人审批后才能登记支付完成")
            if target == CaseState.closed and c.state == CaseState.rejected and s.close_guard(c, china_today()):
                label = _("结案（书面放弃）…")
            b = self._add_action(label, ok, why, lambda _=False, t=target, r=(target == resume): self.do_transition(t, r))
            if target == CaseState.accepted and ok and missing:  # allowed, but said: a notice may be the step
                b.setToolTip(_("注意：尚缺 {n} 项材料（{m}）；材料不齐的，应先发出一次性告知").format(
                    n=len(missing), m="、".join(m.label for m in missing[:3]) + ("等" if len(missing) > 3 else "")))
        if c.lawsuit_until and c.state not in (CaseState.closed, CaseState.withdrawn):
            ok = allowed(role, "case.transition")
            b = self._add_action(_("登记送达日期…"), ok, _("须由承办机构经办人登记"), self.record_service)
            if ok:
                b.setToolTip(_("结论书送达申请人的日期：复议和诉讼期限自次日起算"))
        if c.state == CaseState.closed and (d := s.original_decision(c)) is not None and d.kind == "confirm":
            ok = allowed(role, "case.report")
            b = self._add_action(_("登记复发…"), ok, _("您的角色不能登记"), self.relapse)
            if ok:
                b.setToolTip(_("伤情复发：另立一件关联案件办理复发后的医疗待遇，原确认结论不变"))

    def _add_action(self, label: str, ok: bool, why: str, slot) -> QPushButton:
        """A step's button; one the user cannot take is disabled and says why (tooltip and status bar)."""
        b = QPushButton(label)
        b.setEnabled(ok)
        b.setToolTip("" if ok else why)
        b.setStatusTip("" if ok else _("“{a}”不可用：{w}").format(a=label.rstrip("…"), w=why))
        b.clicked.connect(slot)
        self.actions_bar.insertWidget(len(self.action_buttons), b)
        self.action_buttons.append(b)
        return b

    def follow_link(self, url) -> None:
        """显示完整号码 in the case's detail: this case's numbers (the worker's, the claimant's,
        the dependants' and payees') are shown whole, and the reveal is logged."""
        c = self.current()
        if c is None or url.toString() != "reveal:case":
            return
        try:
            self.ctx.store.log_reveal(self.ctx.actor, "cases", c.id, "id_number,account")
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.ctx.revealed.update({c.id, c.worker_id})
        self._show(self.view.currentIndex().row())

    def do_transition(self, target: CaseState, resume: bool = False):
        c = self.current()
        if c is None:
            return
        if target in REVIEWER_ONLY and not resume:
            self._dialog(DecisionDialog, c, lambda d: _("结论书 {n}").format(n=d.number))
            return
        if target == CaseState.appraised:
            self._dialog(AppraisalDialog, c, lambda a: _("已录入鉴定结论 {n}").format(n=a.conclusion_no))
            return
        if target == CaseState.assessed:
            self.tabs.setCurrentWidget(self.benefits)
            self.benefits.assess()
            return
        if target == CaseState.awaiting_documents:
            self.tabs.setCurrentWidget(self.documents)
            self.documents.issue_notice()
            return
        if target == CaseState.closed and c.state == CaseState.rejected and \
                self.ctx.store.close_guard(self.ctx.store.case(c.id), china_today()):
            from ..cases.closing import WaiverDialog
            got = WaiverDialog.ask(self, self.ctx, c.id)
            if got is not None:
                self.changed.emit(got[1])
            return
        label = ACTION_LABELS.get(target, target.label)
        final = target in TERMINAL
        prompt = _("“{a}”的说明（记入案件历史）：").format(a=label)
        if final:  # the case ends here: nothing can be done on it afterwards, so say so and ask why
            prompt = _("“{a}”后案件即终结，不能再办理，也不能撤销。\n请写明原因（记入案件历史）：").format(a=label)
        note, ok = QInputDialog.getText(self, _("案件 {n}").format(n=c.number), prompt)
        while ok and final and not note.strip():
            note, ok = QInputDialog.getText(self, _("案件 {n}").format(n=c.number),
                                            _("请写明“{a}”的原因，不能为空：").format(a=label))
        if not ok:
            return
        try:
            _case, change = self.ctx.store.transition(self.ctx.actor, c.id, target, note,
                                                      expected_version=c.row_version)
        except Exception as e:  # noqa: BLE001 - shown through the one error path
            show_error(self, e)
            return
        self.changed.emit(change)

    def _dialog(self, cls, c, summary) -> None:
        got = cls.ask(self, self.ctx, c.id)
        if got is not None:
            self.changed.emit(Change(tables=frozenset({"cases", "decisions", "appraisals"}), ids=frozenset({c.id}),
                                     summary=f"{c.number}：{summary(got)}"))

    def record_service(self) -> None:
        from ..cases.closing import ServiceDialog
        c = self.current()
        if c is not None:
            change = ServiceDialog.ask(self, self.ctx, c.id)
            if change is not None:
                self.changed.emit(change)

    def relapse(self) -> None:
        from ..cases.closing import RelapseDialog
        c = self.current()
        if c is None:
            return
        got = RelapseDialog.ask(self, self.ctx, c.id)
        if got is not None:
            self.changed.emit(got[1])
            self.show_case(got[0].number)

    def import_reports(self, path=None, platform: str | None = None):
        from ..cases.import_reports import ReportImportDialog
        out = ReportImportDialog.ask(self, self.ctx, path, platform)
        if out:
            self.changed.emit(out[1])
        return out

    def report(self) -> None:
        case = ReportDialog.ask(self, self.ctx)
        if case is None:
            return
        self.changed.emit(Change(tables=frozenset({"cases"}), ids=frozenset({case.id}),
                                 summary=_("报案 {n}").format(n=case.number)))
        self.show_case(case.number)

    def show_case(self, number: str) -> None:
        """Find a case by number and select it (e.g. from the home screen)."""
        self.state_box.setCurrentIndex(0)
        self.due_box.setCurrentIndex(0)
        self.search.setText(number)
        self._loaded = True
        self.reload()
        QTimer.singleShot(0, lambda: self.view.selectRow(0))

    def print_main(self) -> None:
        c = self.current()
        if c is None:
            return
        try:
            from claims.printing import main_document
            code = main_document(self.ctx.store, self.ctx.store.case(c.id))
        except ImportError:
            code = "report_receipt"
        common.preview(self, self.ctx, code, c.number)
