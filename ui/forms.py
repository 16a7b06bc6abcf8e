"""The one form dialog every data-entry form is built on (ux.md "Forms"):
labels left and fields right in the order of the paper form, required fields
starred, a field's problem in Chinese under it once the user has been there
(every problem after a save attempt), Save disabled while something is wrong
with its tooltip and one reason line saying why, Enter moving to the next field
(saving on the last), Ctrl+S saving, Esc asking before typed edits are thrown
away, and a FieldError from the store shown under the field it names."""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from claims.errors import ClaimsError, FieldError, StaleRecord
from claims.i18n import _

from .errors import show_error
from claims.timeutil import today as china_today

# message levels: "error" and "incomplete" block saving; "warning" and "info" do not
STYLES = {"error": "color:#c0392b", "incomplete": "color:#777", "warning": "color:#b9770e", "info": "color:#777"}
BLOCKING = ("error", "incomplete")
HINT_STYLE = "color: #666; font-size: 9pt;"
EDIT_SIGNALS = ("textChanged", "currentIndexChanged", "dateTimeChanged", "toggled", "changed")  # the first one a widget has
Check = Callable[[Any], "tuple[str, str] | str | None"]


class Incomplete(Exception):
    """Raised by a check while the value is still being typed (shown grey, blocks saving)."""


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date | None = None, maximum: date | None = None) -> QDateEdit:
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    if maximum:
        w.setMaximumDate(qdate(maximum))
    w.setDate(qdate(d or china_today()))
    return w


class OptionalDate(QWidget):
    """A date that may be left out: a check box, and the date when ticked."""

    def __init__(self, text: str, default: date | None = None, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(text)
        self.edit = date_edit(default)
        self.edit.setEnabled(False)
        self.box.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.box)
        lay.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.box.isChecked() else None


class FieldBox(QWidget):
    """A field (a widget or a layout), a grey hint under it if there is one, and its message."""

    def __init__(self, field, hint: str = "", parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        if isinstance(field, QWidget):
            lay.addWidget(field)
        else:
            lay.addLayout(field)
        small = self.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
        lines = [QLabel(hint), QLabel()] if hint else [QLabel()]
        for line in lines:
            line.setWordWrap(True)
            line.setFont(small)
            line.setStyleSheet("color:#666")
            lay.addWidget(line)
        self.msg = lines[-1]
        self.msg.setVisible(False)

    def set_message(self, level: str, text: str) -> None:
        self.msg.setText(text)
        self.msg.setStyleSheet(STYLES.get(level, ""))
        self.msg.setVisible(bool(text))


@dataclass
class Field:
    key: str
    label: str
    widget: QWidget | None  # the widget whose value the field has (for a layout: its first input)
    box: FieldBox
    label_widget: QLabel
    check: Check | None
    required: bool
    inputs: list  # the widgets typed into, in order
    empty: str  # what a required field says while empty
    get: Callable[[], Any] | None = None
    touched: bool = False
    visible: bool = True


def value_of(w: QWidget | None):
    if isinstance(w, QLineEdit):
        return w.text().strip()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QDateEdit):
        return pydate(w.date())
    return w.value() if hasattr(w, "value") else None


def shown_text(v) -> str:
    """A value as a person reads it in the conflict dialog."""
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def _empty(v) -> bool:
    return v is None or v == "" or v == [] or v == ()


def _bare(label: str) -> str:
    """A label without its unit: 金额（元） -> 金额."""
    return re.sub(r"（.*?）", "", label)


class FormDialog(QDialog):
    """A form. Subclasses add fields in form order with ``add`` (or ``line``),
    may say what is wrong across fields in ``problems()`` (field key -> message),
    call ``finish()``, and implement ``save()``: it writes through the store and
    returns the result ``ask`` hands back, or None to stay in the form."""

    save_label = "保存"
    field_keys: dict[str, str] = {}  # a store field name (FieldError.field) -> field key, where it is not the label
    # Forms that edit a stored record: the version it was read at (passed to the store,
    # which refuses a save over a newer one), its name for the conflict dialog, and
    # which stored column each field shows (default: the field's key).
    record_version: int | None = None
    record_title = ""
    record_columns: dict[str, str] = {}

    def __init__(self, parent, ctx, title: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.fields: dict[str, Field] = {}
        self.result_value = None
        self.dirty = False
        self._tried = False  # after a save attempt every problem shows
        self._building = True  # until finish(): changes made while building are not edits
        self._loading = False
        self._blocking: list[str] = []
        self._store_errors: dict[str, str] = {}
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setVerticalSpacing(8)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(STYLES["info"])
        self.save_btn = QPushButton(_(self.save_label))
        self.cancel_btn = QPushButton(_("取消"))
        self.save_btn.clicked.connect(self.try_save)
        self.cancel_btn.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)

    # -- building ---------------------------------------------------------------
    def add(self, key: str, label: str, field, check: Check | None = None, *, required: bool = False,
            empty: str = "", hint: str = "", inputs: list | None = None, get: Callable[[], Any] | None = None):
        """A labelled row; ``field`` is a widget or a layout (returned). ``inputs``: the
        widgets typed into (default: the widget); ``get`` reads a value that is not the
        widget's. ``check(value)`` raises FieldError or Incomplete, or returns a warning."""
        if inputs is None:
            inputs = [field] if isinstance(field, QWidget) else []
        lab = QLabel()
        lab.setTextFormat(Qt.TextFormat.RichText)
        box = FieldBox(field, hint)
        self.form.addRow(lab, box)
        widget = field if isinstance(field, QWidget) else (inputs[0] if inputs else None)
        self.fields[key] = Field(key, label, widget, box, lab, check, required, inputs, empty or _("不能为空"), get)
        self.set_required(key, required)
        box.msg.setAccessibleName(label + _("错误"))
        if inputs:
            lab.setBuddy(inputs[0])
            inputs[0].setAccessibleName(label)
        for w in inputs:
            if not isinstance(w, QPlainTextEdit):  # there Enter starts a new line
                w.installEventFilter(self)
            signal = next((getattr(w, s) for s in EDIT_SIGNALS if hasattr(w, s)), None)
            if signal is not None:
                signal.connect(lambda *_a, k=key: self.touched(k))
        return field

    def line(self, key: str, label: str, check: Check | None = None, required: bool = False,
             placeholder: str = "", max_len: int = 200) -> QLineEdit:
        e = QLineEdit()
        e.setPlaceholderText(placeholder)
        e.setMaxLength(max_len)
        return self.add(key, label, e, check, required=required)

    def shown(self, label: str) -> QLabel:
        """A derived value, shown read-only (never typed)."""
        v = QLabel("—")
        v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(label, v)
        return v

    def set_required(self, key: str, on: bool = True) -> None:
        f = self.fields[key]
        f.required = on
        f.label_widget.setText(("<span style='color:#c0392b'>*</span>" if on else "") + f.label)

    def set_visible(self, key: str, on: bool) -> None:
        self.fields[key].visible = on
        self.form.setRowVisible(self.fields[key].box, on)

    @contextmanager
    def loading(self):
        """Changes made inside are the program's own: not edits, nothing touched."""
        was, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = was

    def finish(self, body: QWidget | None = None) -> None:
        """After the last field: the form (or ``body`` holding it), the reason line
        and the buttons; the first field has the focus. The tab order is the form's."""
        lay = QVBoxLayout(self)
        if body is None:
            lay.addLayout(self.form)
            lay.addStretch(1)
        else:
            lay.addWidget(body, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.save_btn)
        bottom.addWidget(self.cancel_btn)
        lay.addLayout(bottom)
        self._building = False
        for key in self.fields:
            self.on_change(key)
        self.validate()
        self.dirty = False
        self._focus(next(iter(self.fields.values()), None))

    def value(self, key: str):
        f = self.fields[key]
        return f.get() if f.get else value_of(f.widget)

    # -- validation -------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        """What is wrong across fields (subclasses): field key (or any other key) -> message."""
        return {}

    def on_change(self, key: str) -> None:
        """Hook for derived values and rows that appear (subclasses)."""

    def touched(self, key: str | None = None) -> None:
        """Something in the form changed (``key``: in which field)."""
        if self._building:
            return
        if not self._loading:
            self.dirty = True
            self._store_errors.clear()
            if key in self.fields:
                self.fields[key].touched = True
        if key:
            self.on_change(key)
        self.validate()

    def evaluate(self, f: Field) -> tuple[str, str]:
        """(level, message) from the field's own rules: required, then its check."""
        if not f.visible:
            return "", ""
        v = self.value(f.key)
        if _empty(v):
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

    def validate(self) -> list[str]:
        """Check every field and show each problem where the user has been; Save
        is enabled, or its tooltip and the reason line say why not."""
        if self._building:
            return []
        form = self.problems()
        problems, self._blocking = [], []
        for f in self.fields.values():
            level, text = ("error", form.pop(f.key)) if f.key in form else self.evaluate(f)
            if level in BLOCKING:
                self._blocking.append(f.key)
                name = _bare(f.label)
                problems.append(text if name in text else _("{f}：{m}").format(f=name, m=text))
            if f.key in self._store_errors:
                level, text, show = "error", self._store_errors[f.key], True
            else:  # an empty or half-typed field is not scolded before the user has been there
                show = f.touched or self._tried or (level != "incomplete" and not _empty(self.value(f.key)))
            f.box.set_message(level, text if show else "")
        problems += form.values()  # problems of the form as a whole
        self.save_btn.setEnabled(not problems)
        if problems:
            more = _("（另有 {n} 项）").format(n=len(problems) - 1) if len(problems) > 1 else ""
            self.reason.setText(_("尚不能保存：") + problems[0] + more)
            self.save_btn.setToolTip(_("尚不能保存：") + "\n" + "\n".join(problems))
        else:
            self.reason.setText("")
            self.save_btn.setToolTip(_("{s}（Ctrl+S）").format(s=_(self.save_label)))
        return problems

    def show_field_error(self, e: FieldError) -> bool:
        """Show an error from the store under the field it names; False when no field is named so."""
        key = self.field_keys.get(e.field) or next(
            (k for k, f in self.fields.items() if _bare(f.label) == _bare(e.field)), None)
        f = self.fields.get(key)
        if f is None or not f.visible:
            return False
        self._store_errors[key] = e.detail
        self.validate()
        self._focus(f)
        return True

    def _focus(self, f: Field | None) -> None:
        w = next((w for w in f.inputs if w.isEnabled() and not w.isHidden()), None) if f else None
        if w is not None:
            w.setFocus()

    # -- keys -------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        """Enter in a field moves to the next field, as Tab does; on the last one it saves."""
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and not (isinstance(obj, QComboBox) and obj.view().isVisible())):
            chain = [w for f in self.fields.values() for w in f.inputs]
            later = chain[chain.index(obj) + 1:] if obj in chain else []
            nxt = next((w for w in later if w.isVisible() and w.isEnabled()), None)
            if nxt is None:
                self.try_save()
            else:
                nxt.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(obj, event)

    # -- saving and leaving -----------------------------------------------------
    def save(self):
        raise NotImplementedError

    def try_save(self) -> None:
        if self.result_value is not None:  # saved already: a result page is showing
            return
        self._tried = True
        if self.validate():
            self._focus(self.fields[self._blocking[0]] if self._blocking else None)
            return
        try:
            result = self.save()
        except StaleRecord as e:
            self.resolve_conflict(e)
            return
        except FieldError as e:
            if not self.show_field_error(e):
                show_error(self, e)
            return
        except ClaimsError as e:
            show_error(self, e)
            return
        if result is not None:
            self.result_value = result
            self.saved()

    # -- someone changed the record meanwhile ------------------------------------
    def resolve_conflict(self, e: StaleRecord) -> None:
        """The save was refused: the record changed since the form read it. Show both
        versions side by side; keep mine saves again over the newer version, take
        theirs reloads the form with the database's values."""
        from .conflict import MINE, THEIRS, ConflictDialog
        choice = ConflictDialog.ask(self, self.ctx.store, e, self.conflict_rows(e.current), self.record_title)
        if choice == MINE:
            self.record_version = e.current_version
            self.try_save()
        elif choice == THEIRS:
            with self.loading():
                self.load_record(e.current)
            self.record_version = e.current_version
            self.dirty = False
            self._store_errors.clear()
            self.validate()

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        """(field, the user's value, the database's value) for each field showing a stored column."""
        rows = []
        for key, f in self.fields.items():
            column = self.record_columns.get(key, key)
            if f.visible and column in current:
                rows.append((_bare(f.label), shown_text(self.value(key)), shown_text(self.stored_text(key, current))))
        return rows

    def stored_text(self, key: str, row: dict):
        """A stored value as the field shows it (forms whose fields differ from the columns override this)."""
        return row[self.record_columns.get(key, key)]

    def load_record(self, row: dict) -> None:
        """Fill the fields from a stored row ("take theirs"); forms that edit a record implement it."""
        raise NotImplementedError

    def saved(self) -> None:
        """After a successful save; a dialog that shows a result page overrides this."""
        self.dirty = False
        self.accept()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, _("放弃输入？"), _("已输入的内容尚未保存，确定放弃吗？"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.result_value is not None:  # closing the result page
            self.accept()
        elif not self.dirty or self.confirm_discard():
            super().reject()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_screen(self)

    @classmethod
    def ask(cls, parent, ctx, *args, **kwargs):
        """Show the dialog; what was saved, or None when cancelled."""
        dlg = cls(parent, ctx, *args, **kwargs)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()


# A 1280×720 screen less a taskbar and the window's title bar leaves about 1260×640 for a dialog.
FIT_WIDTH, FIT_HEIGHT = 1260, 640


def fit_screen(dialog) -> None:
    """Never larger than a 1280×720 screen with a taskbar (nor than the screen it is on)."""
    screen = dialog.screen()
    avail = screen.availableGeometry() if screen is not None else None
    w_max = min(FIT_WIDTH, avail.width() - 20) if avail is not None and avail.width() > 640 else FIT_WIDTH
    h_max = min(FIT_HEIGHT, avail.height() - 80) if avail is not None and avail.height() > 480 else FIT_HEIGHT
    if dialog.width() > w_max or dialog.height() > h_max:
        dialog.resize(min(dialog.width(), w_max), min(dialog.height(), h_max))
