"""The form dialog every enrollment form shares (ux.md "Forms"): labels left,
fields right, the message in Chinese under each field as you type, a Save
button that says why it is disabled, Ctrl+S saves, Enter moves on, Esc
cancels (asking first when something was typed)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from claims.errors import ClaimsError, FieldError
from claims.i18n import _

from ..errors import show_error

# message levels: "error" and "incomplete" block saving; "warning" and "info" do not
STYLES = {"error": "color:#c0392b", "incomplete": "color:#777", "warning": "color:#b9770e", "info": "color:#777"}
BLOCKING = ("error", "incomplete")
Check = Callable[[Any], "tuple[str, str] | str | None"]


class Incomplete(Exception):
    """Raised by a check while the value is still being typed (shown grey, blocks saving)."""


class FieldBox(QWidget):
    """An input with its message underneath (red for errors, small)."""

    def __init__(self, widget: QWidget, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        self.msg = QLabel()
        self.msg.setWordWrap(True)
        self.msg.setVisible(False)
        f = self.msg.font()
        f.setPointSizeF(max(7.0, f.pointSizeF() * 0.88))
        self.msg.setFont(f)
        lay.addWidget(self.msg)

    def set_message(self, level: str, text: str) -> None:
        self.msg.setText(text)
        self.msg.setStyleSheet(STYLES.get(level, ""))
        self.msg.setVisible(bool(text))
        self.msg.setProperty("level", level if text else "")


class OptionalDate(QWidget):
    """A date that may be left out: a check box, and the date when ticked."""

    def __init__(self, text: str, default: date | None = None, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(text)
        self.edit = date_edit(default or date.today())
        self.edit.setEnabled(False)
        self.box.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.box)
        lay.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.box.isChecked() else None

    def set_value(self, d: date | None) -> None:
        self.box.setChecked(d is not None)
        if d is not None:
            self.edit.setDate(QDate(d.year, d.month, d.day))


def date_edit(d: date | None = None) -> QDateEdit:
    e = QDateEdit()
    e.setDisplayFormat("yyyy-MM-dd")
    e.setCalendarPopup(True)
    d = d or date.today()
    e.setDate(QDate(d.year, d.month, d.day))
    return e


@dataclass
class _Field:
    key: str
    label: str
    widget: QWidget
    box: FieldBox
    label_widget: QLabel
    check: Check | None
    required: bool
    inputs: list
    empty: str = ""
    touched: bool = False
    visible: bool = True


def value_of(w: QWidget):
    if isinstance(w, QLineEdit):
        return w.text().strip()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QDateEdit):
        return w.date().toPython()
    if hasattr(w, "value"):
        return w.value()
    raise TypeError(type(w))


class FormDialog(QDialog):
    """Subclasses add fields in form order, then implement ``save()`` which
    writes through the store and returns the result (or raises)."""

    dialog_title = ""

    def __init__(self, parent, ctx):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.dialog_title)
        self.setMinimumWidth(520)
        self.fields: dict[str, _Field] = {}
        self.result_value = None
        self.dirty = False
        self._show_all = False
        self._loading = False
        self._building = True  # until finish(): changes made while building are not edits
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setVerticalSpacing(8)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color:#777")
        self.save_btn = QPushButton(_("保存（Ctrl+S）"))
        self.cancel_btn = QPushButton(_("取消"))
        self.save_btn.clicked.connect(self.try_save)
        self.cancel_btn.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.why, 1)
        bottom.addWidget(self.save_btn)
        bottom.addWidget(self.cancel_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addStretch(1)
        lay.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)
        self._enter = _EnterMovesOn(self)

    # -- building ---------------------------------------------------------------
    def add(self, key: str, label: str, widget: QWidget, check: Check | None = None, required: bool = False,
            inputs: list | None = None, empty: str = "") -> QWidget:
        mark = "<span style='color:#c0392b'>*</span>" if required else "&nbsp;"
        lab = QLabel(mark + label)
        lab.setTextFormat(Qt.TextFormat.RichText)
        lab.setBuddy(widget)
        box = FieldBox(widget)
        self.form.addRow(lab, box)
        inputs = inputs or [widget]
        f = _Field(key, label, widget, box, lab, check, required, inputs, empty or _("不能为空"))
        self.fields[key] = f
        widget.setAccessibleName(label)
        for w in inputs:
            w.installEventFilter(self._enter)
            for sig in ("textChanged", "currentIndexChanged", "dateChanged", "toggled"):
                if hasattr(w, sig):
                    getattr(w, sig).connect(lambda *_a, f=f: self._edited(f))
        return widget

    def line(self, key: str, label: str, check: Check | None = None, required: bool = False,
             placeholder: str = "", max_len: int = 200) -> QLineEdit:
        e = QLineEdit()
        e.setPlaceholderText(placeholder)
        e.setMaxLength(max_len)
        return self.add(key, label, e, check, required)

    def shown(self, label: str) -> QLabel:
        """A derived value, shown read-only (never typed)."""
        v = QLabel("—")
        v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.setStyleSheet("color:#333")
        lab = QLabel("&nbsp;" + label)
        lab.setTextFormat(Qt.TextFormat.RichText)
        self.form.addRow(lab, v)
        return v

    def set_visible(self, key: str, on: bool) -> None:
        f = self.fields[key]
        f.visible = on
        self.form.setRowVisible(f.box, on)

    def finish(self) -> None:
        """Call after the last field: tab order in form order, first field focused."""
        chain = [w for f in self.fields.values() for w in f.inputs] + [self.save_btn, self.cancel_btn]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        self.save_btn.setAutoDefault(True)
        self.cancel_btn.setAutoDefault(True)
        self._building = False
        for key in self.fields:
            self.on_change(key)
        self.revalidate()
        self.dirty = False
        chain[0].setFocus()

    def value(self, key: str):
        return value_of(self.fields[key].widget)

    # -- validation -------------------------------------------------------------
    def evaluate(self, f: _Field) -> tuple[str, str]:
        v = value_of(f.widget)
        if v in ("", None, [], ()):
            return ("error", f.empty) if f.required else ("", "")
        if f.check is None:
            return "", ""
        try:
            out = f.check(v)
        except FieldError as e:
            return "error", e.detail
        except Incomplete as e:
            return "incomplete", str(e)
        if out is None:
            return "", ""
        return out if isinstance(out, tuple) else ("warning", out)

    def extra_problems(self) -> list[str]:
        """Cross-field problems (subclasses); each blocks saving."""
        return []

    def on_change(self, key: str) -> None:
        """Hook for derived values and rows that appear (subclasses)."""

    def _edited(self, f: _Field) -> None:
        if self._building:
            return
        if not self._loading:
            self.dirty = True
            f.touched = True
        self.on_change(f.key)
        self.revalidate()

    def revalidate(self) -> list[str]:
        problems = []
        for f in self.fields.values():
            if not f.visible:
                f.box.set_message("", "")
                continue
            level, text = self.evaluate(f)
            filled = value_of(f.widget) not in ("", None, [], ())
            # an empty or half-typed field is not scolded before the user has been there
            show = f.touched or self._show_all or (filled and level != "incomplete")
            f.box.set_message(level, text if show else "")
            if level in BLOCKING:
                problems.append(_("{f}：{m}").format(f=f.label, m=text))
        problems += self.extra_problems()
        self.save_btn.setEnabled(not problems)
        if problems:
            more = _("（另有 {n} 项）").format(n=len(problems) - 1) if len(problems) > 1 else ""
            self.why.setText(_("尚不能保存：") + problems[0] + more)
            self.save_btn.setToolTip(_("尚不能保存：") + "\n" + "\n".join(problems))
        else:
            self.why.setText("")
            self.save_btn.setToolTip(_("保存（Ctrl+S）"))
        return problems

    def show_field_error(self, e: FieldError) -> bool:
        for f in self.fields.values():
            if f.label == e.field and f.visible:
                f.box.set_message("error", e.detail)
                f.inputs[0].setFocus()
                return True
        return False

    # -- saving and leaving -----------------------------------------------------
    def save(self):
        raise NotImplementedError

    def try_save(self) -> None:
        self._show_all = True
        problems = self.revalidate()
        if problems:
            bad = next((f for f in self.fields.values() if f.visible and self.evaluate(f)[0] in BLOCKING), None)
            if bad is not None:
                bad.inputs[0].setFocus()
            return
        try:
            result = self.save()
        except FieldError as e:
            if not self.show_field_error(e):
                show_error(self, e)
            return
        except ClaimsError as e:
            show_error(self, e)
            return
        if result is not None:
            self.result_value = result
            self.dirty = False
            self.accept()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, _("放弃输入？"), _("已输入的内容尚未保存，确定放弃吗？"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        super().reject()

    @classmethod
    def ask(cls, parent, ctx, *args, **kwargs):
        """Show the dialog; return what was saved, or None when cancelled."""
        dlg = cls(parent, ctx, *args, **kwargs)
        try:
            return dlg.result_value if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


class _EnterMovesOn(QObject):
    """Enter or Return in a field moves to the next one, as Tab does."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if isinstance(obj, QComboBox) and obj.view().isVisible():
            return False
        self.parent().focusNextChild()
        return True
