"""参数表: every figure with region, period, source and status; administrators
add next year's figures or correct one (audited)."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from claims.errors import ClaimsError, FieldError, StaleRecord
from claims.i18n import _
from claims.parameters import PARAMETER_LABELS, derived_rule, wage_switch
from claims.permissions import allowed
from claims.timeutil import today as china_today

from ..forms import HINT_STYLE, FormDialog
from ..sorting import make_sortable, source_row


def derived_note(name: str, region: str = "310000", how: bool = True) -> str:
    """What a derived base is and when it switches, for the screens (data, not code)."""
    rule = derived_rule(name)
    if rule is None:
        return ""
    m, d = (int(x) for x in wage_switch(region)["month_day"].split("-"))
    text = _("{explain}，每年自{m}月{d}日起按上一年度数据切换。").format(explain=rule["explain"], m=m, d=d)
    return text + (_("请用“由工资推算死亡待遇基数…”录入工资，程序记下工资（含来源）并算出基数。") if how else "")


class ParameterDialog(QDialog):
    def __init__(self, parent, ctx, param=None):
        super().__init__(parent)
        self.ctx, self.param = ctx, param
        self.setWindowTitle(_("修改参数") if param else _("新增参数"))
        self.name = QComboBox()
        for code, label in PARAMETER_LABELS.items():
            self.name.addItem(f"{label}（{code}）", code)
        self.region = QLineEdit("310000")
        self.valid_from = QDateEdit(QDate(china_today().year, 1, 1), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.open_end = QCheckBox(_("长期有效"))
        self.valid_to = QDateEdit(QDate(china_today().year, 12, 31), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.open_end.toggled.connect(lambda on: self.valid_to.setEnabled(not on))
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("元，如 7384.00"))
        self.status = QComboBox()
        self.status.addItem(_("已确认（见于正式文件或官方统计）"), "confirmed")
        self.status.addItem(_("未确认（二手资料、类推或估计）"), "unconfirmed")
        self.source = QLineEdit()
        self.source.setPlaceholderText(_("文件名、文号或网址"))
        self.error = QLabel(styleSheet="color:#c0392b", wordWrap=True)
        self.about = QLabel(styleSheet=HINT_STYLE, wordWrap=True)
        self.name.currentIndexChanged.connect(lambda *_a: self._explain())
        form = QFormLayout(self)
        form.addRow(_("参数"), self.name)
        form.addRow("", self.about)
        form.addRow(_("地区代码"), self.region)
        to_row = QHBoxLayout()
        to_row.addWidget(self.valid_to)
        to_row.addWidget(self.open_end)
        form.addRow(_("适用起始"), self.valid_from)
        form.addRow(_("适用截止"), to_row)
        form.addRow(_("数值（元）"), self.value)
        form.addRow(_("状态"), self.status)
        form.addRow(_("来源"), self.source)
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        if param:
            self.name.setCurrentIndex(max(0, self.name.findData(param.name)))
            self.name.setEnabled(False)
            self.region.setText(param.region)
            self.region.setEnabled(False)
            self.valid_from.setDate(QDate(param.valid_from.year, param.valid_from.month, param.valid_from.day))
            if param.valid_to:
                self.valid_to.setDate(QDate(param.valid_to.year, param.valid_to.month, param.valid_to.day))
            self.open_end.setChecked(param.valid_to is None)
            self.value.setText(param.value)
            self.status.setCurrentIndex(max(0, self.status.findData(param.status.value)))
            self.source.setText(param.source)
        self.change = None
        self._explain()
        self.record_version = param.row_version if param else None

    def _explain(self) -> None:
        self.about.setText(derived_note(self.name.currentData(), self.region.text().strip() or "310000"))
        self.about.setVisible(bool(self.about.text()))

    def _fill(self, row: dict) -> None:
        vf, vt = row["valid_from"], row["valid_to"]
        self.valid_from.setDate(QDate.fromString(vf, "yyyy-MM-dd"))
        if vt:
            self.valid_to.setDate(QDate.fromString(vt, "yyyy-MM-dd"))
        self.open_end.setChecked(vt is None)
        self.value.setText(row["value"])
        self.status.setCurrentIndex(max(0, self.status.findData(row["status"])))
        self.source.setText(row["source"])

    def _conflict(self, e: StaleRecord, vf: str, vt: str | None) -> None:
        """Someone changed the figure meanwhile: both versions side by side, then keep mine or take theirs."""
        from ..conflict import MINE, THEIRS, ConflictDialog
        status = {"confirmed": _("已确认"), "unconfirmed": _("未确认")}
        c = e.current
        rows = [(_("数值（元）"), self.value.text().strip(), c["value"]),
                (_("状态"), status.get(self.status.currentData(), ""), status.get(c["status"], "")),
                (_("来源"), self.source.text().strip(), c["source"]),
                (_("适用起始"), vf, c["valid_from"]), (_("适用截止"), vt or _("长期有效"), c["valid_to"] or _("长期有效"))]
        choice = ConflictDialog.ask(self, self.ctx.store, e, rows, self.name.currentText())
        if choice == MINE:
            self.record_version = e.current_version
            self.save()
        elif choice == THEIRS:
            self._fill(c)
            self.record_version = e.current_version

    def save(self):
        s, a = self.ctx.store, self.ctx.actor
        vf = self.valid_from.date().toString("yyyy-MM-dd")
        vt = None if self.open_end.isChecked() else self.valid_to.date().toString("yyyy-MM-dd")
        try:
            if self.param:
                _p, self.change = s.update_parameter(a, self.param.id, value=self.value.text().strip(),
                                                     status=self.status.currentData(), source=self.source.text(),
                                                     valid_from=vf, valid_to=vt,
                                                     expected_version=self.record_version)
            else:
                _p, self.change = s.add_parameter(a, name=self.name.currentData(), region=self.region.text().strip(),
                                                  valid_from=vf, valid_to=vt, value=self.value.text().strip(),
                                                  status=self.status.currentData(), source=self.source.text())
        except StaleRecord as e:
            self._conflict(e, vf, vt)
            return
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent, ctx, param=None):
        d = cls(parent, ctx, param)
        return d.change if d.exec() == QDialog.DialogCode.Accepted else None


class ParamsTab(QWidget):
    HEADERS = ["参数", "地区", "适用期间", "统计年度", "数值", "状态", "来源"]

    def __init__(self, ctx, changed, parent=None):
        super().__init__(parent)
        self.ctx, self.changed = ctx, changed
        note = QLabel(_("标为“未确认”的数值来自二手资料或类推，使用它们的核定通知书会注明。缺少的参数须由管理员录入后才能核定相应待遇。"
                        "依据上海市上年度工资的基数每年7月1日切换，不是1月1日。") + "\n" + derived_note("death_base"))
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        make_sortable(self.table, "设置.参数表", ctx)
        admin = allowed(ctx.actor.role, "parameter.write")
        self.add_btn = QPushButton(_("新增参数…"), clicked=self.add)
        self.edit_btn = QPushButton(_("修改所选…"), clicked=self.edit)
        self.wage_btn = QPushButton(_("由工资推算死亡待遇基数…"), clicked=self.add_wage)
        self.table.doubleClicked.connect(self.edit)
        for b in (self.add_btn, self.edit_btn, self.wage_btn):
            b.setEnabled(admin)
            b.setToolTip("" if admin else _("只有管理员可以维护参数表"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_btn)
        bar.addWidget(self.edit_btn)
        bar.addWidget(self.wage_btn)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.table)
        self.reload()

    def reload(self):
        self.params = self.ctx.store.parameters()
        self.table.setRowCount(len(self.params))
        for i, p in enumerate(self.params):
            for j, v in enumerate([p.label or p.name, p.region, f"{p.valid_from} — {p.valid_to or '至今'}",
                                   p.stat_year or "", f"{p.value} {p.unit}", p.status.label, p.source]):
                item = QTableWidgetItem(str(v))
                if j == 5 and p.status.value == "unconfirmed":
                    item.setForeground(QColor("#b9770e"))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def add(self):
        change = ParameterDialog.ask(self, self.ctx)
        if change:
            self.changed.emit(change)

    def add_wage(self):
        change = WageDialog.ask(self, self.ctx)
        if change:
            self.changed.emit(change)

    def edit(self, *_args):
        row = source_row(self.table)
        if row < 0 or not self.edit_btn.isEnabled():
            return
        change = ParameterDialog.ask(self, self.ctx, self.params[row])
        if change:
            self.changed.emit(change)


class WageDialog(FormDialog):
    """An administrator enters last year's average monthly wage of urban private-sector
    employees with its source; the screen shows the death base it gives (60%, data)
    and the period it applies to, and saves both (the wage as a parameter of its own)."""

    save_label = "保存工资和基数"
    field_keys = {"月平均工资": "wage", "统计年度": "year"}

    def __init__(self, parent, ctx):
        super().__init__(parent, ctx, _("由工资推算死亡待遇基数"))
        about = QLabel(derived_note("death_base", how=False) + _("录入上一年度的月平均工资及其来源，程序保存工资并算出基数。"))
        about.setStyleSheet(HINT_STYLE)
        about.setWordWrap(True)
        self.form.addRow(about)
        self.line("region", _("地区代码"), required=True, max_len=6).setText("310000")
        self.year = self.add("year", _("统计年度"), QSpinBox())
        self.year.setRange(2000, 2100)
        self.year.setValue(china_today().year - 1)
        self.line("wage", _("月平均工资"), required=True, max_len=12, placeholder=_("元/月，如 12345.67"))
        self.status = self.add("status", _("状态"), QComboBox())
        self.status.addItem(_("已确认（见于官方统计发布）"), "confirmed")
        self.status.addItem(_("未确认（二手资料或估计）"), "unconfirmed")
        self.line("source", _("来源"), required=True, max_len=200, placeholder=_("统计公报名称、发布日期或网址"))
        self.result = QLabel()
        self.result.setStyleSheet("font-weight: bold;")
        self.result.setWordWrap(True)
        self.form.addRow(_("计算"), self.result)
        self.finish()
        self.resize(620, self.sizeHint().height())

    def problems(self) -> dict[str, str]:
        self.result.setText("")
        if not self.value("wage"):
            return {}
        try:
            d = self.ctx.store.derived_base("death_base", self.value("region") or "310000", self.year.value(),
                                            self.value("wage"))
        except FieldError as e:
            return {"wage": e.detail}
        self.result.setText(_("死亡待遇计发基数 = {t}").format(t=d["text"]))
        return {}

    def save(self):
        _rows, change = self.ctx.store.add_wage_and_derived_base(
            self.ctx.actor, region=self.value("region"), stat_year=self.year.value(), wage=self.value("wage"),
            status=self.status.currentData(), source=self.value("source"))
        return change
