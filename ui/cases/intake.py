"""材料接收: the case's checklist on one screen at the counter — a tick, the pages and
the received date per line; Enter moves down, Space ticks, "全部今日收到" ticks every
missing line at once; scans are dropped onto a line or taken from the scanner
folder (a folder setting; files not yet attached to any case are offered). Ctrl+S
registers the ticked lines in one action and prints the 材料接收凭证. Enter never
opens a file chooser (no button here is a default button)."""
from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from claims import settings
from claims.i18n import _
from claims.timeutil import parse_date
from claims.timeutil import today as china_today

from ..errors import show_error
from ..forms import OptionalDate, qdate
from . import common

TICK, PAGES, DATE, FILE = range(4)
PATH_ROLE = 0x0100 + 1
SCAN_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


class ChecklistTable(QTableWidget):
    """Enter moves down (also after typing a value); files dropped on a line belong to it."""

    def __init__(self, dialog):
        super().__init__(0, 4)
        self.dialog = dialog
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def event(self, e) -> bool:
        from PySide6.QtCore import QEvent
        if e.type() == QEvent.Type.ShortcutOverride and e.modifiers() & (
                Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
            e.ignore()  # Alt+A, Ctrl+S … belong to the dialog, not to typing in a cell
            return False
        return super().event(e)

    def keyPressEvent(self, e) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_down()
            return
        super().keyPressEvent(e)

    def closeEditor(self, editor, hint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in a cell: on to the next line
            self.move_down()

    def move_down(self) -> None:
        r, c = self.currentRow(), max(self.currentColumn(), 0)
        if r + 1 < self.rowCount():
            self.setCurrentCell(r + 1, c)
        else:
            self.dialog.save_btn.setFocus()

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dragMoveEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        row = self.rowAt(e.position().toPoint().y())
        if paths and row >= 0:
            self.dialog.attach(row, paths[0])
            e.acceptProposedAction()


def _path_key(path: str) -> str:
    """A dropped file's URL has "/" where Windows' own paths have "\\": compare them alike."""
    return os.path.normcase(os.path.normpath(path))


class IntakeDialog(QDialog):
    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent)
        self.ctx, s = ctx, ctx.store
        self.case = s.case(case_id, ctx.actor)
        self.result_value = None
        self.dirty = False
        self.setWindowTitle(_("材料接收 — 案件 {n}").format(n=self.case.number))
        self.rows = [r for r in s.checklist(case_id)]
        intro = QLabel(_("空格键勾选收到的材料，回车到下一行；在页数、日期上直接输入。扫描件可拖到对应的行上，"
                         "或从扫描文件夹选取。Ctrl+S 登记并打印材料接收凭证。"))
        intro.setWordWrap(True)
        self.table = ChecklistTable(self)
        self.table.setHorizontalHeaderLabels([_("收到（材料）"), _("页数"), _("收到日期"), _("扫描件")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(TICK, QHeaderView.ResizeMode.Stretch)
        for col in (PAGES, DATE, FILE):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.fill()
        self.table.itemChanged.connect(self._edited)
        self.all_btn = QPushButton(_("全部今日收到　Alt+A"))
        self.all_btn.setToolTip(_("把尚未收到的每一项都勾选为今天收到（Alt+A）"))
        self.all_btn.clicked.connect(self.all_today)
        self.folder_btn = QPushButton(_("扫描文件夹…"))
        self.folder_btn.clicked.connect(self.choose_folder)
        self.take_btn = QPushButton(_("附到当前行"))
        self.take_btn.setToolTip(_("把右侧选中的扫描文件附到表中当前的材料行"))
        self.take_btn.clicked.connect(self.take_scan)
        self.scans = QListWidget()
        self.scans.setMaximumWidth(260)
        self.scans.itemDoubleClicked.connect(lambda _it: self.take_scan())
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setStyleSheet("color:#666")
        self.save_btn = QPushButton(_("登记并打印凭证(&S)"))
        self.save_btn.setToolTip(_("登记勾选的材料，并打印材料接收凭证（Ctrl+S）"))
        self.save_btn.clicked.connect(self.save)
        self.cancel_btn = QPushButton(_("取消"))
        self.cancel_btn.clicked.connect(self.reject)
        for b in (self.all_btn, self.folder_btn, self.take_btn, self.save_btn, self.cancel_btn):
            b.setAutoDefault(False)  # Enter belongs to the table: it never presses a button
            b.setDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Alt+A"), self, activated=self.all_today)  # also where mnemonics are off
        self.summary = QLabel()
        # the first diagnosis, read off the 初诊证明 as it is handed in (optional)
        self.diagnosed = OptionalDate(_("已诊断"), self.case.diagnosed_on or china_today())
        self.diagnosed.box.setChecked(self.case.diagnosed_on is not None)
        self.diagnosed.edit.setMinimumDate(qdate(self.case.accident_at.date()))
        self.diagnosed.edit.setMaximumDate(qdate(china_today()))
        self.diagnosed.box.toggled.connect(self._diagnosis_edited)
        self.diagnosed.edit.dateChanged.connect(self._diagnosis_edited)
        diag_label = QLabel(_("首次诊断日期"))
        diag_label.setBuddy(self.diagnosed.box)
        diag_hint = QLabel(_("初诊证明（诊断证明）上的日期，不早于事故日期 {d}；印在确认申请表上").format(
            d=self.case.accident_at.date().isoformat()))
        diag_hint.setStyleSheet("color:#666")
        diag = QHBoxLayout()
        diag.addWidget(diag_label)
        diag.addWidget(self.diagnosed)
        diag.addWidget(diag_hint, 1)
        side = QVBoxLayout()
        side.addWidget(QLabel(_("扫描文件夹中的新文件")))
        side.addWidget(self.scans, 1)
        side.addWidget(self.folder_label)
        fb = QHBoxLayout()
        fb.addWidget(self.folder_btn)
        fb.addWidget(self.take_btn)
        side.addLayout(fb)
        mid = QHBoxLayout()
        mid.addWidget(self.table, 1)
        mid.addLayout(side)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_btn)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.save_btn)
        bottom.addWidget(self.cancel_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(mid, 1)
        lay.addLayout(diag)
        lay.addLayout(bottom)
        self.resize(980, 560)
        self.load_scans()
        self.update_summary()
        self.table.setFocus()
        self.table.setCurrentCell(self._first_missing(), TICK)

    def showEvent(self, e) -> None:
        from ..forms import fit_screen
        super().showEvent(e)
        fit_screen(self)
        self.table.setFocus()  # the counter starts typing at once

    # -- the checklist ------------------------------------------------------------------
    def fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        today = china_today().isoformat()
        for r, row in enumerate(self.rows):
            tick = QTableWidgetItem(row.label)
            tick.setToolTip(_("需要的原因：{r}").format(r=row.reason))
            pages = QTableWidgetItem(str(row.pages) if row.received else "1")
            when = QTableWidgetItem(row.received_on.isoformat() if row.received_on else today)
            scan = QTableWidgetItem("")
            scan.setFlags(scan.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if row.received:  # already registered: shown, not registered again
                tick.setText(row.label + _("（已登记）"))
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                tick.setCheckState(Qt.CheckState.Checked)
                for it in (pages, when):
                    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    it.setForeground(Qt.GlobalColor.gray)
            else:
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                tick.setCheckState(Qt.CheckState.Unchecked)
            for c, it in enumerate((tick, pages, when, scan)):
                self.table.setItem(r, c, it)
        self.table.blockSignals(False)

    def _first_missing(self) -> int:
        return next((i for i, r in enumerate(self.rows) if not r.received), 0)

    def _new(self, r: int) -> bool:
        return not self.rows[r].received

    def _edited(self, item) -> None:
        self.dirty = True
        if item.column() in (PAGES, DATE, FILE) and self._new(item.row()) and item.column() != FILE:
            tick = self.table.item(item.row(), TICK)  # typing pages or a date means it arrived
            if tick.checkState() != Qt.CheckState.Checked:
                tick.setCheckState(Qt.CheckState.Checked)
        self.update_summary()

    def all_today(self) -> None:
        today = china_today().isoformat()
        for r in range(self.table.rowCount()):
            if self._new(r):
                self.table.item(r, TICK).setCheckState(Qt.CheckState.Checked)
                self.table.item(r, DATE).setText(today)
        self.update_summary()

    def ticked(self) -> list[int]:
        return [r for r in range(self.table.rowCount())
                if self._new(r) and self.table.item(r, TICK).checkState() == Qt.CheckState.Checked]

    def _diagnosis_edited(self, *_a) -> None:
        self.dirty = True
        self.update_summary()

    def diagnosis_changed(self) -> bool:
        return self.diagnosed.value() != self.case.diagnosed_on

    def update_summary(self) -> None:
        n, left = len(self.ticked()), sum(1 for r in range(len(self.rows)) if self._new(r))
        text = _("本次勾选 {n} 项，尚缺 {m} 项").format(n=n, m=left - n)
        if self.diagnosis_changed():
            text += _("；首次诊断日期将改为 {d}").format(
                d=self.diagnosed.value().isoformat() if self.diagnosed.value() else _("未填"))
        self.summary.setText(text)
        ok = n > 0 or self.diagnosis_changed()
        self.save_btn.setEnabled(ok)
        self.save_btn.setToolTip(_("登记勾选的材料，并打印材料接收凭证（Ctrl+S）") if n else
                                 _("保存首次诊断日期（Ctrl+S）") if ok else _("先勾选收到的材料"))

    # -- scans --------------------------------------------------------------------------
    def attach(self, row: int, path: str) -> None:
        if not self._new(row):
            return
        it = self.table.item(row, FILE)
        it.setText(Path(path).name)
        it.setData(PATH_ROLE, path)
        it.setToolTip(path)
        self.table.item(row, TICK).setCheckState(Qt.CheckState.Checked)
        for i in range(self.scans.count()):
            if _path_key(self.scans.item(i).data(PATH_ROLE)) == _path_key(path):
                self.scans.takeItem(i)
                break

    def choose_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, _("选择扫描仪保存文件的文件夹"), settings.load().get("scanner_folder", ""),
                                             QFileDialog.Option.DontUseNativeDialog)
        if d:
            s = settings.load()
            s["scanner_folder"] = d
            settings.save(s)
            self.load_scans()

    def load_scans(self) -> None:
        """Files in the scanner folder not yet attached to any case, newest first."""
        self.scans.clear()
        folder = settings.load().get("scanner_folder", "")
        if not folder or not Path(folder).is_dir():
            self.folder_label.setText(_("未设置扫描文件夹：点“扫描文件夹…”选择扫描仪保存文件的位置。"))
            self.take_btn.setEnabled(False)
            return
        files = sorted((p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in SCAN_TYPES),
                       key=lambda p: p.stat().st_mtime, reverse=True)[:60]
        digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
        old = self.ctx.store.attached_hashes(list(digests.values()))
        for p in files:
            if digests[p] not in old:
                it = QListWidgetItem(p.name)
                it.setData(PATH_ROLE, str(p))
                it.setToolTip(str(p))
                self.scans.addItem(it)
        self.folder_label.setText(_("{f}：{n} 个新文件").format(f=folder, n=self.scans.count()))
        self.take_btn.setEnabled(self.scans.count() > 0)

    def take_scan(self) -> None:
        it = self.scans.currentItem() or self.scans.item(0)
        row = self.table.currentRow()
        if it is not None and row >= 0:
            self.attach(row, it.data(PATH_ROLE))

    # -- saving -------------------------------------------------------------------------
    def items(self) -> list[dict]:
        out = []
        for r in self.ticked():
            label = self.rows[r].label
            try:
                pages = int(self.table.item(r, PAGES).text().strip() or "0")
            except ValueError:
                raise _Bad(r, PAGES, _("{m}：页数应为数字").format(m=label)) from None
            try:
                got = parse_date(self.table.item(r, DATE).text(), field=_("收到日期"))
            except Exception:  # noqa: BLE001 - said under the line
                raise _Bad(r, DATE, _("{m}：收到日期应为 2025-11-30 这样的日期").format(m=label)) from None
            if got > china_today() or got < self.case.reported_at.date() - timedelta(days=365):
                raise _Bad(r, DATE, _("{m}：收到日期 {d} 不合理").format(m=label, d=got.isoformat()))
            out.append({"doc_type": self.rows[r].doc_type, "pages": pages, "received_on": got,
                        "file_path": self.table.item(r, FILE).data(PATH_ROLE)})
        return out

    def save(self) -> None:
        if not self.ticked() and not self.diagnosis_changed():
            return
        try:
            items = self.items()
        except _Bad as e:
            self.table.setCurrentCell(e.row, e.col)
            QMessageBox.warning(self, _("请核对"), e.text)
            return
        try:
            docs, change = self.ctx.store.add_documents(self.ctx.actor, self.case.id, items,
                                                        diagnosed_on=self.diagnosed.value())
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.result_value = change
        self.dirty = False
        self.accept()
        if docs:
            common.preview(self.parent() or self, self.ctx, "document_receipt", self.case.number)

    def reject(self) -> None:
        if self.dirty and (self.ticked() or self.diagnosis_changed()) and QMessageBox.question(
                self, _("放弃输入？"), _("已勾选的材料或改动的首次诊断日期尚未登记，确定放弃吗？"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Discard:
            return
        super().reject()

    @classmethod
    def ask(cls, parent, ctx, case_id: str):
        """The change record of what was registered, or None."""
        dlg = cls(parent, ctx, case_id)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()


class _Bad(Exception):
    def __init__(self, row: int, col: int, text: str):
        super().__init__(text)
        self.row, self.col, self.text = row, col, text
