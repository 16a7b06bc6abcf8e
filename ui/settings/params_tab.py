"""参数表: every figure with region, period, source and status; administrators
add next year's figures or correct one (audited)."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from claims.errors import ClaimsError, StaleRecord
from claims.i18n import _
from claims.parameters import PARAMETER_LABELS
from claims.permissions import allowed
from claims.timeutil import today as china_today


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
        form = QFormLayout(self)
        form.addRow(_("参数"), self.name)
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
        self.record_version = param.row_version if param else None

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
        note = QLabel(_("标为“未确认”的数值来自二手资料或类推，使用它们的核定通知书会注明。缺少的参数须由管理员录入后才能核定相应待遇。"))
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        admin = allowed(ctx.actor.role, "parameter.write")
        self.add_btn = QPushButton(_("新增参数…"), clicked=self.add)
        self.edit_btn = QPushButton(_("修改所选…"), clicked=self.edit)
        self.table.doubleClicked.connect(self.edit)
        for b in (self.add_btn, self.edit_btn):
            b.setEnabled(admin)
            b.setToolTip("" if admin else _("只有管理员可以维护参数表"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_btn)
        bar.addWidget(self.edit_btn)
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

    def edit(self, *_args):
        row = self.table.currentRow()
        if row < 0 or not self.edit_btn.isEnabled():
            return
        change = ParameterDialog.ask(self, self.ctx, self.params[row])
        if change:
            self.changed.emit(change)
