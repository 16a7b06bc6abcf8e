"""What the case dialogs share (ux.md "Forms"): labels on the left and fields
on the right, the problem with a field shown under it as you type, a Save
button that says why it is disabled, Ctrl+S to save, Esc to cancel (asking
first when something was typed), and one way to ask, confirm and print."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox, QVBoxLayout,
                               QWidget)

from claims.errors import ClaimsError, FieldError
from claims.i18n import _

from ..errors import show_error

ERROR_STYLE = "color: #c0392b; font-size: 9pt;"
HINT_STYLE = "color: #666; font-size: 9pt;"


def confirm(parent, title: str, text: str) -> bool:
    """Ask a yes/no question (tests replace this function)."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


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
    w.setDate(qdate(d or date.today()))
    return w


def printing():
    """ui.printing's preview function, or None while that module is missing."""
    try:
        from ..printing import preview_document
    except ImportError:
        return None
    return preview_document


def preview(parent, ctx, doc_code: str, record_key: str) -> None:
    fn = printing()
    if fn is None:
        QMessageBox.information(parent, _("打印"), _("打印模块尚未安装，暂不能打印。"))
        return
    try:
        fn(parent, ctx, doc_code, record_key)
    except Exception as e:  # noqa: BLE001 - one error path
        show_error(parent, e)


class FormDialog(QDialog):
    """A form. Subclasses add rows with ``add_row``, say what is wrong in
    ``problems`` (field key -> message) and store in ``save`` (returning the
    result that ``ask`` hands back)."""

    save_label = "保存"

    def __init__(self, parent, ctx, title: str):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.result_value = None
        self._ready = False  # signals fired while the form is being built are not the user's
        self._dirty = False
        self._errors: dict[str, QLabel] = {}
        self._cells: dict[str, QWidget] = {}
        self._touched: set[str] = set()  # rows the user has changed: only they show their problem
        self._tried = False  # after a save attempt every problem shows
        self._shown: dict[str, str] = {}
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.reason = QLabel()
        self.reason.setStyleSheet(HINT_STYLE)
        self.reason.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_btn = self.buttons.addButton(_(self.save_label), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_btn = self.buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_btn.setToolTip(_("保存（Ctrl+S）"))
        self.save_btn.clicked.connect(self.try_save)
        self.cancel_btn.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.try_save)

    def finish_layout(self, body: QWidget | None = None) -> None:
        """Put the form (or ``body``), the reason line and the buttons in place."""
        if body is None:
            self.outer.addLayout(self.form)
        else:
            self.outer.addWidget(body, 1)
        self.outer.addWidget(self.reason)
        self.outer.addWidget(self.buttons)
        self._ready = True
        self.validate()

    # -- rows ---------------------------------------------------------------
    def add_row(self, key: str, label: str, field, hint: str = "", form: QFormLayout | None = None):
        """A labelled row; ``field`` is a widget or a layout. Returns ``field``."""
        cell = QWidget()
        lay = QVBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        if isinstance(field, QWidget):
            lay.addWidget(field)
        else:
            lay.addLayout(field)
        if hint:
            h = QLabel(hint)
            h.setStyleSheet(HINT_STYLE)
            h.setWordWrap(True)
            lay.addWidget(h)
        err = QLabel()
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.setVisible(False)
        err.setAccessibleName(label + _("错误"))
        lay.addWidget(err)
        self._errors[key] = err
        self._cells[key] = cell
        (form or self.form).addRow(label, cell)
        if isinstance(field, QWidget):
            self.watch(field, key=key)
        return field

    def show_row(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self._cells[key], visible)

    def watch(self, *widgets, key: str | None = None) -> None:
        """Validate (and remember that something was typed) when these change."""
        for w in widgets:
            sig = None
            if isinstance(w, QLineEdit):
                sig = w.textEdited
            elif isinstance(w, QPlainTextEdit):
                sig = w.textChanged
            elif isinstance(w, QComboBox):
                sig = w.currentIndexChanged
            elif isinstance(w, (QDateEdit, QDateTimeEdit)):
                sig = w.dateTimeChanged
            elif isinstance(w, QSpinBox):
                sig = w.valueChanged
            elif isinstance(w, QAbstractButton):
                sig = w.toggled
            if sig is not None:
                sig.connect(lambda *_a, k=key: self.touched(key=k))

    def touched(self, *_args, key: str | None = None) -> None:
        if self._ready:
            self._dirty = True
            if key:
                self._touched.add(key)
            self.validate()

    # -- validation -----------------------------------------------------------
    def problems(self) -> dict[str, str]:
        return {}

    def validate(self) -> bool:
        if not self._ready:
            return False
        probs = self.problems()
        for key, label in self._errors.items():
            text = (probs.get(key, "") if self._tried or key in self._touched else "") or self._shown.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        self._shown = {}
        first = next(iter(probs.values()), "")
        self.save_btn.setEnabled(not probs)
        self.save_btn.setToolTip(_("不能保存：{p}").format(p=first) if probs else _("保存（Ctrl+S）"))
        self.reason.setText(_("尚不能保存：{p}").format(p=first) if probs else "")
        self.reason.setVisible(bool(probs))
        return not probs

    def show_field_error(self, key: str, text: str) -> None:
        self._shown[key] = text
        lab = self._errors.get(key)
        if lab is not None:
            lab.setText(text)
            lab.setVisible(True)

    # -- saving and cancelling -----------------------------------------------
    field_keys: dict[str, str] = {}  # store field name (FieldError.field) -> row key

    def save(self):
        raise NotImplementedError

    def try_save(self) -> None:
        self._tried = True
        if self.result_value is not None or not self.validate():
            return
        try:
            result = self.save()
        except FieldError as e:
            key = self.field_keys.get(e.field)
            if key in self._errors:
                self.show_field_error(key, e.detail)
            else:
                show_error(self, e)
            return
        except ClaimsError as e:
            show_error(self, e)
            return
        except Exception as e:  # noqa: BLE001 - unexpected: the crash dialog
            show_error(self, e)
            return
        if result is None:
            return
        self.result_value = result
        self.saved()

    def saved(self) -> None:
        """After a successful save; a dialog that shows a result page overrides this."""
        self._dirty = False
        self.accept()

    def reject(self) -> None:
        if self.result_value is not None:
            self.accept()
            return
        if self._dirty and not confirm(self, self.windowTitle(), _("放弃已填写的内容？")):
            return
        self._dirty = False
        super().reject()

    @classmethod
    def ask(cls, parent, ctx, *args, **kwargs):
        """Show the dialog; the saved record, or None when cancelled."""
        dlg = cls(parent, ctx, *args, **kwargs)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()
