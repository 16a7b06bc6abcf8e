"""设置 › 节假日 and 设置 › 确认情形: the rules an administrator corrects over
their shipped defaults, each change audited. The holiday calendar decides
every deadline (a missing year is an error, an unconfirmed one a warning);
the situations are what a decision cites (decisions already issued keep the
wording they were issued with)."""
from __future__ import annotations

import re

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from claims import situations as sit
from claims.i18n import _
from claims.permissions import allowed
from claims.timeutil import today as china_today

from ..forms import HINT_STYLE, FormDialog
from ..sorting import make_sortable, source_row
from ..widgets import readonly_table

STATUS = {"confirmed": "已确认", "unconfirmed": "未确认"}
RULE_SETS = {"pilot-2022": "2022 年试点办法（2022-07-01 至 2025-06-30 的事故）",
             "pilot-2025": "2025 年修订办法（2025-07-01 起的事故）"}


def _status_box(value: str) -> QComboBox:
    box = QComboBox()
    box.addItem(_("已确认（与正式文件核对过）"), "confirmed")
    box.addItem(_("未确认（推算、二手资料或尚未核对）"), "unconfirmed")
    box.setCurrentIndex(max(0, box.findData(value)))
    return box


def _dates_edit(dates) -> QPlainTextEdit:
    w = QPlainTextEdit("\n".join(sorted(d.isoformat() for d in dates)))
    w.setTabChangesFocus(True)
    w.setPlaceholderText(_("每行一个日期，如 2027-10-01"))
    return w


def _dates_of(w: QPlainTextEdit) -> list[str]:
    return [t for t in re.split(r"[\s,，、;；]+", w.toPlainText()) if t]


class CalendarYearDialog(FormDialog):
    save_label = "保存"
    field_keys = {"年份": "year", "法定节假日": "holidays", "调休上班日": "workdays", "来源": "source"}

    def __init__(self, parent, ctx, year: int | None = None):
        super().__init__(parent, ctx, _("节假日安排"))
        cal = ctx.store.calendar()
        # what each year stands at as the form opens: a save over a year changed since is refused
        self.versions = ctx.store.calendar_versions()
        cy = ctx.store.calendar_year_for_edit(year)[0] if year else None
        self.year = self.add("year", _("年份"), QSpinBox())
        self.year.setRange(2000, 2100)
        self.year.setValue(year or max(cal.years, default=china_today().year) + 1)
        self.year.setEnabled(year is None)
        self.holidays = self.add("holidays", _("法定节假日"), _dates_edit(cy.holidays if cy else []), required=True,
                                 empty=_("请列出放假的日期"), hint=_("放假的每一天（含调休放假的周末），每行一个"))
        self.workdays = self.add("workdays", _("调休上班日"), _dates_edit(cy.workdays if cy else []),
                                 hint=_("需要上班的周六、周日，每行一个"))
        for w in (self.holidays, self.workdays):
            w.setFixedHeight(120)
        self.status = self.add("status", _("状态"), _status_box(cy.status if cy else "confirmed"))
        self.source = self.add("source", _("来源"), QLineEdit(cy.source if cy else ""), required=True,
                               empty=_("请注明来源"), hint=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))
        self.finish()
        self.resize(560, self.sizeHint().height())

    def save(self):
        y = self.year.value()
        return self.ctx.store.set_calendar_year(self.ctx.actor, y, holidays=_dates_of(self.holidays),
                                                workdays=_dates_of(self.workdays), status=self.status.currentData(),
                                                source=self.source.text(), expected_version=self.versions.get(y, 0))

    def resolve_conflict(self, e) -> None:
        """Someone entered or corrected this year meanwhile: two lists of dates side by
        side help no one. Say so, and show their year; the user checks it and saves again."""
        from ..conflict import show_stale
        show_stale(self, self.ctx.store, e)
        y = self.year.value()
        cy, self.versions[y] = self.ctx.store.calendar_year_for_edit(y)
        with self.loading():
            self.holidays.setPlainText("\n".join(sorted(d.isoformat() for d in cy.holidays)))
            self.workdays.setPlainText("\n".join(sorted(d.isoformat() for d in cy.workdays)))
            self.status.setCurrentIndex(max(0, self.status.findData(cy.status)))
            self.source.setText(cy.source)
        self.dirty = False
        self._store_errors.clear()
        self.validate()


class CalendarTab(QWidget):
    def __init__(self, ctx, changed, parent=None):
        super().__init__(parent)
        self.ctx, self.changed = ctx, changed
        self.problems = QLabel(wordWrap=True)
        note = QLabel(_("时限按法定节假日计算：期间最后一日是节假日或周末（调休上班日除外）的，顺延至下一个工作日；"
                        "按工作日计算的时限跳过节假日。缺少某一年的安排时，涉及该年的时限无法计算。"), wordWrap=True)
        note.setStyleSheet(HINT_STYLE)
        self.table = readonly_table([_("年份"), _("节假日天数"), _("调休上班日"), _("状态"), _("来源"), _("录入方式")])
        make_sortable(self.table, "设置.节假日", ctx)
        admin = allowed(ctx.actor.role, "parameter.write")
        self.add_btn = QPushButton(_("录入新的一年…"), clicked=lambda: self.edit(None))
        self.edit_btn = QPushButton(_("更正所选年份…"), clicked=lambda: self.edit(self.current()))
        self.table.doubleClicked.connect(lambda _i: self.edit(self.current()))
        for b in (self.add_btn, self.edit_btn):
            b.setEnabled(admin)
            b.setToolTip("" if admin else _("只有管理员可以维护节假日安排"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_btn)
        bar.addWidget(self.edit_btn)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.problems)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        cal = self.ctx.store.calendar()
        self.years = sorted(cal.years)
        self.table.setRowCount(len(self.years))
        for r, y in enumerate(self.years):
            cy = cal.years[y]
            cells = [str(y), str(len(cy.holidays)), str(len(cy.workdays)), _(STATUS.get(cy.status, cy.status)),
                     cy.source, _("管理员录入") if cy.origin == "database" else _("程序自带")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3 and cy.status != "confirmed":
                    item.setForeground(QColor("#b9770e"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        errors, warnings = self.ctx.store.calendar_problems(china_today())
        self.problems.setText("\n".join([f"✖ {e}" for e in errors] + [f"⚠ {w}" for w in warnings]))
        self.problems.setStyleSheet("color:#c0392b" if errors else "color:#b9770e")
        self.problems.setVisible(bool(errors or warnings))

    def current(self) -> int | None:
        r = source_row(self.table)
        return self.years[r] if 0 <= r < len(self.years) else None

    def edit(self, year: int | None) -> None:
        if not self.add_btn.isEnabled():
            return
        change = CalendarYearDialog.ask(self, self.ctx, year)
        self.reload()  # saved here, or changed elsewhere meanwhile (a refused save showed it)
        if change:
            self.changed.emit(change)


class SituationDialog(FormDialog):
    save_label = "保存"
    field_keys = {"措辞": "wording", "条款": "article", "来源": "source"}

    def __init__(self, parent, ctx, s: sit.Situation):
        super().__init__(parent, ctx, _("更正确认情形"))
        # the text as it stands now, with the version a save must find
        s, self.record_version = ctx.store.situation_for_edit(s.rule_set, s.code)
        self.s, self.record_title = s, s.label or s.kind_label
        self.shown(_("规则集")).setText(_(RULE_SETS.get(s.rule_set, s.rule_set)))
        self.shown(_("办法")).setText(s.measure)
        self.shown(_("类别")).setText(s.kind_label)
        self.wording = QPlainTextEdit(s.wording)
        self.wording.setFixedHeight(70)
        self.wording.setTabChangesFocus(True)
        self.add("wording", _("措辞"), self.wording, required=True, empty=_("请填写措辞"),
                 hint=_("按办法原文；已作出的结论书保留原措辞"))
        self.article = self.add("article", _("条款"), QLineEdit(s.article), required=True, empty=_("请填写条款"))
        self.status = self.add("status", _("状态"), _status_box(s.status))
        self.source = self.add("source", _("来源"), QLineEdit(s.source), required=True, empty=_("请注明来源"),
                               hint=_("如：人社部发〔2025〕24号 办法原文第十条"))
        self.finish()
        self.resize(620, self.sizeHint().height())

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        return [(_("措辞"), self.wording.toPlainText().strip(), current["wording"]),
                (_("条款"), self.article.text().strip(), current["article"]),
                (_("状态"), _(STATUS[self.status.currentData()]), _(STATUS.get(current["status"], ""))),
                (_("来源"), self.source.text().strip(), current["source"])]

    def load_record(self, row: dict) -> None:
        self.wording.setPlainText(row["wording"])
        self.article.setText(row["article"])
        self.status.setCurrentIndex(max(0, self.status.findData(row["status"])))
        self.source.setText(row["source"])

    def save(self):
        return self.ctx.store.set_situation_text(self.ctx.actor, self.s.rule_set, self.s.code,
                                                 wording=self.wording.toPlainText(), article=self.article.text(),
                                                 status=self.status.currentData(), source=self.source.text(),
                                                 expected_version=self.record_version)


class SituationsTab(QWidget):
    def __init__(self, ctx, changed, parent=None):
        super().__init__(parent)
        self.ctx, self.changed = ctx, changed
        note = QLabel(_("结论书引用事故发生之日适用的办法及条款。各条措辞参照《工伤保险条例》拟定、尚未与办法原文核对的，"
                        "标为“未确认”，请按原文更正。《工伤保险条例》不是职业伤害确认的依据。"), wordWrap=True)
        note.setStyleSheet(HINT_STYLE)
        self.rule_set = QComboBox()
        for code in sit.rule_set_codes():
            self.rule_set.addItem(_(RULE_SETS.get(code, code)), code)
        self.rule_set.setCurrentIndex(self.rule_set.count() - 1)
        self.rule_set.currentIndexChanged.connect(lambda _i: self.reload())
        self.measure = QLabel()
        self.table = readonly_table([_("类别"), _("条款"), _("措辞"), _("状态"), _("更正来源")], stretch=2)
        make_sortable(self.table, "设置.工伤情形", ctx)
        self.table.setWordWrap(True)
        admin = allowed(ctx.actor.role, "parameter.write")
        self.edit_btn = QPushButton(_("更正所选…"), clicked=self.edit)
        self.edit_btn.setEnabled(admin)
        self.edit_btn.setToolTip("" if admin else _("只有管理员可以更正"))
        self.table.doubleClicked.connect(lambda _i: self.edit())
        bar = QHBoxLayout()
        bar.addWidget(self.rule_set)
        bar.addWidget(self.measure, 1)
        bar.addWidget(self.edit_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        code = self.rule_set.currentData()
        self.items = self.ctx.store.situations(code)
        self.measure.setText(sit.measure_of(code))
        self.table.setRowCount(len(self.items))
        for r, s in enumerate(self.items):
            for c, text in enumerate([s.kind_label, s.article, s.wording, _(STATUS.get(s.status, s.status)),
                                      s.source or _("程序自带")]):
                item = QTableWidgetItem(text)
                if c == 3 and s.status != "confirmed":
                    item.setForeground(QColor("#b9770e"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def edit(self) -> None:
        r = source_row(self.table)
        if r < 0 or not self.edit_btn.isEnabled():
            return
        change = SituationDialog.ask(self, self.ctx, self.items[r])
        self.reload()  # saved here, or changed elsewhere meanwhile (a refused save showed it)
        if change:
            self.changed.emit(change)
