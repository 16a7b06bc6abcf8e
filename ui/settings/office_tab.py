"""经办机构: the office details printed on every receipt, notice and decision.
Administrators edit them here; everyone else sees what will be printed."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QFormLayout, QFrame, QHBoxLayout, QLabel, QLayout, QLineEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from claims.errors import ClaimsError, FieldError, StaleRecord
from claims.i18n import _
from claims.office import OFFICE_FIELDS
from claims.permissions import allowed

ERROR_STYLE = "QLineEdit { border: 1px solid #c0392b; }"


class OfficeTab(QWidget):
    def __init__(self, ctx, changed_signal, parent=None):
        super().__init__(parent)
        self.ctx, self.changed_signal = ctx, changed_signal
        self.can_edit = allowed(ctx.actor.role, "office.write")
        self.status = QLabel(wordWrap=True)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for f in OFFICE_FIELDS:
            if f.key == "office.number.report_receipt":  # the document numbers: a group of their own
                form.addRow(QLabel(_("文书编号格式（{年份}为出具年份，{序号}为该类文书当年的流水号）"),
                                   styleSheet="font-weight:bold; margin-top:8px"))
            edit = QLineEdit()
            edit.setReadOnly(not self.can_edit)
            edit.setPlaceholderText(f.default or _("（不填）"))
            edit.setToolTip(f.hint)
            edit.setAccessibleName(f.label)
            edit.textEdited.connect(self._edited)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            if not f.key.startswith("office.number."):  # one explanation for the group, above it
                box.addWidget(QLabel(f.hint, styleSheet="color:#666"))
            form.addRow(f.label + ("" if f.required else _("（选填）")), box)
            self.edits[f.key] = edit
        self.error = QLabel(styleSheet="color:#c0392b", wordWrap=True)
        self.save_button = QPushButton(_("保存 (Ctrl+S)"), clicked=self.save)
        self.revert_button = QPushButton(_("放弃修改"), clicked=self.reload)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        page = QWidget()  # a readable width: a form stretched over a wide screen is hard to follow
        page.setMaximumWidth(860)
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # scroll, never squeeze the fields
        row.addWidget(page, 4)
        row.addStretch(1)
        scroll = QScrollArea(self)  # the document number formats make the form taller than a laptop screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.status)
        lay.addLayout(form)
        lay.addWidget(self.error)
        if self.can_edit:
            lay.addLayout(buttons)
            QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        else:
            lay.addWidget(QLabel(_("只有系统管理员可以修改经办机构信息。"), styleSheet="color:#666"))
        lay.addStretch(1)
        self.reload()

    def reload(self) -> None:
        s = self.ctx.store
        self.version = s.office_version()  # a save over details changed since is refused
        stored = s.office_saved()
        for f in OFFICE_FIELDS:
            # a value never saved shows empty, its default greyed as the placeholder text
            self.edits[f.key].setText(stored.get(f.key, ""))
            self.edits[f.key].setStyleSheet("")
        self._saved = self.values()
        unset = s.office_unset()
        if unset:
            self.status.setText(_("⚠ {f}尚未填写：打印件上现在印的是占位文字（灰色所示）。").format(f="、".join(unset)))
            self.status.setStyleSheet("color:#b9770e")
        else:
            self.status.setText(_("以下信息印在回执、告知书、结论书和通知书上。未填写的项目按灰色所示的默认内容打印。"))
            self.status.setStyleSheet("")
        self.error.clear()
        self._edited()

    def values(self) -> dict[str, str]:
        return {k: e.text() for k, e in self.edits.items()}

    def dirty(self) -> bool:
        return self.values() != self._saved

    def _edited(self, *_args) -> None:
        self.save_button.setEnabled(self.can_edit and self.dirty())
        self.revert_button.setEnabled(self.can_edit and self.dirty())

    def save(self) -> None:
        if not self.can_edit or not self.dirty():
            return
        values = {k: v for k, v in self.values().items() if v != self._saved[k]}
        for e in self.edits.values():
            e.setStyleSheet("")
        try:
            change = self.ctx.store.set_office_settings(self.ctx.actor, values, expected_version=self.version)
        except StaleRecord as e:
            self.resolve_conflict(e)
            return
        except FieldError as e:
            self.error.setText(e.message)
            key = next((f.key for f in OFFICE_FIELDS if f.label == e.field), None)
            if key:
                self.edits[key].setStyleSheet(ERROR_STYLE)
                self.edits[key].setFocus()
            return
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.reload()
        self.changed_signal.emit(change)

    def resolve_conflict(self, e: StaleRecord) -> None:
        """Someone changed the details since this page read them: each detail either side
        changed, theirs beside mine; keep mine saves mine over theirs (theirs elsewhere stay),
        take theirs shows the details as they are now."""
        from ..conflict import MINE, THEIRS, ConflictDialog
        mine, theirs = self.values(), e.current
        rows = [(f.label, mine[f.key], theirs.get(f.key, "")) for f in OFFICE_FIELDS
                if mine[f.key] != self._saved[f.key] or theirs.get(f.key, "") != self._saved[f.key]]
        choice = ConflictDialog.ask(self, self.ctx.store, e, rows, _("经办机构信息"))
        if choice == MINE:
            self.version = e.current_version
            self.save()
        elif choice == THEIRS:
            self.reload()

