"""报案: find the injured worker (or register them on the spot), the platform
and industry from their enrollments, the accident, the reporter; the duplicate
guard; then the case number and the report receipt."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from claims.checklist import CASE_TYPES
from claims.enums import Channel, Industry
from claims.i18n import _
from claims.store import WorkerFilter
from claims.timeutil import SHANGHAI, now

from ..forms import HINT_STYLE, FormDialog, OptionalDate
from . import common

BODY_PARTS = ["头部", "面部", "颈部", "胸部", "腹部", "背部", "腰部", "上肢", "手部", "下肢", "膝部", "足部"]
RELATIONS = ["本人", "配偶", "子女", "父母", "其他亲属", "站长", "平台", "同事", "其他"]
PILOT_START = datetime(2022, 7, 1, tzinfo=SHANGHAI)


class ReportDialog(FormDialog):
    save_label = "报案"
    field_keys = {"人员": "worker", "初诊日期": "diagnosed"}

    def __init__(self, parent, ctx):
        super().__init__(parent, ctx, _("报案"))
        self.worker = None
        self._station_id = None
        self.resize(760, 640)
        # worker
        self.find = QLineEdit()
        self.find.setPlaceholderText(_("输入身份证号、姓名或手机号查找"))
        self.find.setClearButtonEnabled(True)
        self.register_btn = QPushButton(_("新登记人员…"))
        self.register_btn.setToolTip(_("名单中没有此人时，当场登记"))
        self.register_btn.clicked.connect(self.register)
        top = QHBoxLayout()
        top.addWidget(self.find, 1)
        top.addWidget(self.register_btn)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(92)
        self.chosen = QLabel(_("尚未选择人员"))
        self.chosen.setStyleSheet("color: #666")
        box = QVBoxLayout()
        box.addLayout(top)
        box.addWidget(self.matches)
        box.addWidget(self.chosen)
        self.add("worker", _("受伤人员"), box, required=True, empty=_("请查找并选择受伤人员，或当场登记"),
                 inputs=[self.find], get=lambda: self.worker)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.search)
        self.find.textChanged.connect(self._search_timer.start)
        self.matches.currentItemChanged.connect(lambda cur, _p: self.choose(cur.data(Qt.ItemDataRole.UserRole) if cur else None))
        # platform, industry, station
        self.platform = QComboBox()
        self.industry = QComboBox()
        self.station = QLabel("—")
        prow = QHBoxLayout()
        prow.addWidget(self.platform, 2)
        prow.addSpacing(8)
        prow.addWidget(QLabel(_("行业")))
        prow.addWidget(self.industry, 1)
        prow.addSpacing(8)
        prow.addWidget(QLabel(_("站点")))
        prow.addWidget(self.station, 1)
        self.add("platform", _("平台"), prow, required=True, empty=_("请选择平台"), inputs=[self.platform, self.industry])
        self.platform.currentIndexChanged.connect(self.fill_industries)
        self.industry.currentIndexChanged.connect(self.fill_station)
        # accident
        self.order_no = QLineEdit()
        self.order_no.setPlaceholderText(_("知道时填写：用于核对接单状态和重复报案"))
        self.order_hint = QLabel()
        self.order_hint.setStyleSheet(HINT_STYLE)
        obox = QVBoxLayout()
        obox.addWidget(self.order_no)
        obox.addWidget(self.order_hint)
        self.add("order", _("订单号"), obox, inputs=[self.order_no])
        self.order_no.textChanged.connect(self.check_order)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        t = now() - timedelta(hours=1)
        self.when.setDateTime(QDateTime(t.year, t.month, t.day, t.hour, 0, 0))
        self.add("time", _("事故时间"), self.when)
        self.case_type = QComboBox()
        for code, label in CASE_TYPES.items():
            self.case_type.addItem(_(label), code)
        self.add("type", _("事故类型"), self.case_type)
        self.place = self.add("place", _("事故地点"), QLineEdit(), required=True, empty=_("请填写事故地点"))
        self.place.setPlaceholderText(_("如：徐汇区漕溪北路与零陵路路口"))
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(_("时间、地点、正在执行的任务、事故原因、受伤情况"))
        self.description.setFixedHeight(72)
        self.description.setTabChangesFocus(True)
        self.add("description", _("事故经过"), self.description, required=True, empty=_("请填写事故经过"))
        grid = QGridLayout()
        grid.setSpacing(2)
        self.parts: list[QCheckBox] = []
        for i, name in enumerate(BODY_PARTS):
            cb = QCheckBox(_(name))
            grid.addWidget(cb, i // 6, i % 6)
            self.parts.append(cb)
        self.other_parts = QLineEdit()
        self.other_parts.setPlaceholderText(_("其他部位或说明，如：左手腕骨折"))
        pbox = QVBoxLayout()
        pbox.addLayout(grid)
        pbox.addWidget(self.other_parts)
        self.add("parts", _("受伤部位"), pbox, required=True, empty=_("请勾选或填写受伤部位"),
                 inputs=[*self.parts, self.other_parts], get=self.body_parts)
        self.hospital = self.add("hospital", _("就诊医院"), QLineEdit())
        self.diagnosed = OptionalDate(_("已诊断"), now().date())
        self.diagnosed.edit.setMaximumDate(QDate(now().year, now().month, now().day))
        self.add("diagnosed", _("首次诊断日期"), self.diagnosed, inputs=[self.diagnosed.box, self.diagnosed.edit],
                 get=self.diagnosed.value, hint=_("初诊证明（诊断证明）上的日期；不知道时可不填，收到证明时在“材料”中补填"))
        # reporter
        self.reporter = QLineEdit()
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems([_(r) for r in RELATIONS])
        rrow = QHBoxLayout()
        rrow.addWidget(self.reporter, 2)
        rrow.addWidget(QLabel(_("关系")))
        rrow.addWidget(self.relation, 1)
        self.add("reporter", _("报案人"), rrow, required=True, empty=_("请填写报案人姓名"),
                 inputs=[self.reporter, self.relation])
        self.relation.currentTextChanged.connect(self.fill_reporter)
        self.channel = QComboBox()
        for ch in Channel:
            self.channel.addItem(ch.label, ch.value)
        self.channel.setCurrentIndex(self.channel.findData("counter"))
        self.add("channel", _("报案渠道"), self.channel)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addLayout(self.form)
        il.addStretch(1)  # spare height below the form, not between its rows
        scroll.setWidget(inner)
        self.pages = QStackedWidget()
        self.pages.addWidget(scroll)
        self.pages.addWidget(self._done_page())
        self.fill_platforms()
        self.order_hint.setVisible(False)
        self.finish(self.pages)

    def _done_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        self.done_label = QLabel()
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setStyleSheet("font-size: 15pt;")
        self.done_label.setWordWrap(True)
        lay.addWidget(self.done_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.print_btn = QPushButton(_("打印报案回执（Ctrl+P）"))
        self.print_btn.setShortcut("Ctrl+P")
        self.print_btn.clicked.connect(self.print_receipt)
        self.close_btn = QPushButton(_("完成"))
        self.close_btn.clicked.connect(self.accept)
        row.addWidget(self.print_btn)
        row.addWidget(self.close_btn)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)
        return page

    # -- worker -----------------------------------------------------------------
    def search(self) -> None:
        text = self.find.text().strip()
        self.matches.clear()
        if len(text) < 1:
            return
        found = self.ctx.store.search_workers(WorkerFilter(text=text), limit=8, actor=self.ctx.actor)
        for w in found:
            item = QListWidgetItem(f"{w.name}　{self.ctx.id_text(w.id_number, w.id)}　{self.ctx.phone_text(w.phone, w.id)}")
            item.setData(Qt.ItemDataRole.UserRole, w)
            self.matches.addItem(item)
        if not found:
            self.chosen.setText(_("没有找到“{t}”，可点“新登记人员…”当场登记").format(t=text))
        elif len(found) == 1:
            self.matches.setCurrentRow(0)

    def choose(self, w) -> None:
        self.worker = w
        if w is not None:
            self.chosen.setText(_("已选：{n}，{g}，{b} 出生，身份证 {i}").format(
                n=w.name, g="男" if w.gender == "male" else "女", b=w.birth_date.isoformat(), i=self.ctx.id_text(w.id_number, w.id)))
            self.chosen.setStyleSheet("color: #1e8449")
            self.fill_reporter()
        self.fill_platforms()
        self.validate()

    def register(self) -> None:
        """Someone not on the list: the enrollment screen's own dialogs, then choose them."""
        from ..workers.dialogs import EnrollDialog
        from ..workers.worker_dialog import WorkerDialog
        got = WorkerDialog.ask(self, self.ctx)
        if got is None:
            return
        if not self.ctx.store.enrollments_of(got.worker.id):
            EnrollDialog.ask(self, self.ctx, got.worker)  # the platform they were working for
        self.find.setText(got.worker.id_number)
        self.search()

    # -- platform, industry, station ----------------------------------------------
    def _enrollments(self):
        return self.ctx.store.enrollments_of(self.worker.id, actor=self.ctx.actor) if self.worker else []

    def fill_platforms(self) -> None:
        s = self.ctx.store
        ens = self._enrollments()
        ids = list(dict.fromkeys(e.platform_id for e in sorted(ens, key=lambda e: e.status.value != "active")))
        self.platform.blockSignals(True)
        self.platform.clear()
        plats = [s.platform(i) for i in ids] if ids else s.platforms(actor=self.ctx.actor)
        for p in plats:
            self.platform.addItem(p.name, p.id)
        self.platform.blockSignals(False)
        self.fill_industries()

    def fill_industries(self) -> None:
        pid = self.platform.currentData()
        self.industry.blockSignals(True)
        self.industry.clear()
        inds = list(dict.fromkeys(e.industry for e in self._enrollments() if e.platform_id == pid))
        if not inds and pid:
            inds = list(self.ctx.store.platform(pid).industries) or list(Industry)
        for i in inds:
            self.industry.addItem(i.label, i.value)
        self.industry.setEnabled(len(inds) > 1)  # derived when there is only one
        self.industry.blockSignals(False)
        self.fill_station()

    def fill_station(self) -> None:
        pid, ind = self.platform.currentData(), self.industry.currentData()
        en = next((e for e in self._enrollments() if e.platform_id == pid and e.industry.value == ind), None)
        self._station_id = en.station_id if en else None
        self.station.setText(self.ctx.store.station(en.station_id).name if en and en.station_id else "—")
        self.validate()

    def fill_reporter(self, *_a) -> None:
        if self.worker and self.relation.currentText() == _("本人") and not self.reporter.text().strip():
            self.reporter.setText(self.worker.name)

    # -- values -------------------------------------------------------------------
    def accident_at(self) -> datetime:
        q = self.when.dateTime()
        d, t = q.date(), q.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)

    def body_parts(self) -> str:
        chosen = [cb.text() for cb in self.parts if cb.isChecked()]
        extra = self.other_parts.text().strip()
        return "、".join(chosen + ([extra] if extra else []))

    def problems(self) -> dict[str, str]:
        at = self.accident_at()
        if at > now():
            return {"time": _("事故时间不能晚于现在")}
        if at < PILOT_START:
            return {"time": _("事故时间早于试点开始（2022-07-01）")}
        diagnosed = self.diagnosed.value()
        if diagnosed is not None and diagnosed < at.date():
            return {"diagnosed": _("首次诊断日期不能早于事故日期 {d}").format(d=at.date().isoformat())}
        return {}

    def check_order(self) -> None:
        order, pid = self.order_no.text().strip(), self.platform.currentData()
        rec = self.ctx.store.order_by_number(pid, order, actor=self.ctx.actor) if order and pid else None
        self.order_hint.setText("" if not order else _("未找到该订单记录（可先报案，导入订单后再核对）") if rec is None else _(
            "订单记录：接单 {a}，完成 {f}").format(a=rec.accepted_at.strftime("%Y-%m-%d %H:%M"),
                                           f=rec.finished_at.strftime("%H:%M") if rec.finished_at else "—"))
        self.order_hint.setVisible(bool(order))

    def save(self):
        s, at = self.ctx.store, self.accident_at()
        pid, order = self.platform.currentData(), self.order_no.text().strip()
        allow = False
        dups = s.duplicate_cases(self.worker.id, at, pid, order)
        if dups:
            lines = "\n".join(_("{n}　事故 {t}　{s}{o}").format(
                n=c.number, t=c.accident_at.strftime("%Y-%m-%d %H:%M"), s=c.state.label,
                o=_("　订单 {x}").format(x=c.order_no) if c.order_no else "") for c in dups)
            if not common.confirm(self, _("可能重复报案"), _(
                    "已有以下案件（同一人员相近时间，或同一订单）：\n\n{l}\n\n确认这是另一起事故，仍要新建案件吗？").format(l=lines)):
                return None
            allow = True
        case, _change = s.report_case(
            self.ctx.actor, worker_id=self.worker.id, platform_id=pid, industry=self.industry.currentData(),
            station_id=self._station_id, accident_at=at, order_no=order, place=self.place.text().strip(),
            description=self.description.toPlainText().strip(), body_parts=self.body_parts(),
            hospital=self.hospital.text().strip(), case_type=self.case_type.currentData(),
            reporter_name=self.reporter.text().strip(), reporter_relation=self.relation.currentText().strip(),
            channel=self.channel.currentData(), allow_duplicate=allow, diagnosed_on=self.diagnosed.value())
        return case

    def saved(self) -> None:
        self.dirty = False
        c = self.result_value
        self.done_label.setText(_("已报案\n\n案件号：{n}\n\n请将报案回执交给报案人。").format(n=c.number))
        self.pages.setCurrentIndex(1)
        self.save_btn.setVisible(False)
        self.cancel_btn.setVisible(False)
        self.reason.setVisible(False)
        self.print_btn.setEnabled(common.printing() is not None)
        if common.printing() is None:
            self.print_btn.setToolTip(_("打印模块尚未安装"))
        self.close_btn.setFocus()

    def print_receipt(self) -> None:
        if self.result_value is not None:
            common.preview(self, self.ctx, "report_receipt", self.result_value.number)
