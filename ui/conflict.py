"""A save refused because someone changed the record meanwhile (StaleRecord):
the user's values and the database's, field by field, side by side, and the
choice — keep mine (save again over the newer version), take theirs (reload
the form with the database's values), or go back to the form. Never a silent
overwrite either way."""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from claims.errors import StaleRecord
from claims.i18n import _

MINE, THEIRS = "mine", "theirs"
CHANGED = QColor("#fff3cd")


def describe_actor(store, username: str) -> str:
    """Who changed it, in words a clerk reads: a user's name, or the command line."""
    if not username:
        return _("另一位用户")
    if username.startswith("cli:"):
        return _("命令行操作（如批量导入）")
    if ":" in username:
        return _("系统")
    r = store.conn.execute("SELECT display_name FROM users WHERE username = ?", (username,)).fetchone()
    return r[0] if r and r[0] else _("另一位用户")  # never a login on screen


def versions_text(error: StaleRecord) -> str:
    """Which version the user read and which is stored (0: nothing stored yet, a shipped default stood in)."""
    if error.expected == 0:
        return _("您打开时尚无保存的记录，数据库中现为第 {b} 版").format(b=error.current_version)
    return _("您打开时为第 {a} 版，数据库中现为第 {b} 版").format(a=error.expected, b=error.current_version)


class ConflictDialog(QDialog):
    def __init__(self, parent, store, error: StaleRecord, rows: list[tuple[str, str, str]], title: str = ""):
        super().__init__(parent)
        self.setWindowTitle(_("记录已被修改"))
        self.choice = None
        lay = QVBoxLayout(self)
        when = error.at[:16].replace("T", " ") if error.at else ""
        intro = QLabel(_("您打开{t}之后，{who}{when}修改了这条记录（{v}）。"
                         "您的修改尚未保存。请对照后决定：").format(
            t=("“" + title + "”") if title else _("这条记录"), who=describe_actor(store, error.by),
            when=_("于 {w} ").format(w=when) if when else "", v=versions_text(error)))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([_("项目"), _("你的修改"), _("当前数据库中的值")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        bold = QFont()
        bold.setBold(True)
        differ = 0
        for i, (label, mine, theirs) in enumerate(rows):
            cells = [QTableWidgetItem(label), QTableWidgetItem(mine or "—"), QTableWidgetItem(theirs or "—")]
            if mine != theirs:
                differ += 1
                for c in cells:
                    c.setBackground(QBrush(CHANGED))
                cells[0].setFont(bold)
            for j, c in enumerate(cells):
                table.setItem(i, j, c)
        h = table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setMinimumWidth(560)
        fit = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + sum(
            table.rowHeight(i) for i in range(len(rows)))
        table.setFixedHeight(min(fit, 420))  # every field in view, no empty band below
        self.table = table
        lay.addWidget(table)
        note = QLabel(_("有 {n} 项不同（底色标出）。").format(n=differ) if differ else
                      _("各项的值相同：对方改动的是本表单以外的内容。"))
        note.setStyleSheet("color: #555")
        lay.addWidget(note)
        buttons = QDialogButtonBox()
        self.keep_btn = QPushButton(_("保留我的修改"))
        self.keep_btn.setToolTip(_("以您的修改覆盖数据库中的值（记入审计日志）"))
        self.take_btn = QPushButton(_("采用数据库中的值"))
        self.take_btn.setToolTip(_("放弃您的修改，表单重新载入数据库中的值"))
        self.back_btn = QPushButton(_("返回编辑"))
        buttons.addButton(self.keep_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_btn, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.back_btn, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_btn.clicked.connect(lambda: self._choose(MINE))
        self.take_btn.clicked.connect(lambda: self._choose(THEIRS))
        self.back_btn.clicked.connect(self.reject)
        lay.addWidget(buttons)
        self.back_btn.setDefault(True)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent, store, error: StaleRecord, rows, title: str = "") -> str | None:
        """MINE, THEIRS, or None (back to the form)."""
        dlg = cls(parent, store, error, rows, title)
        try:
            dlg.exec()
            return dlg.choice
        finally:
            dlg.deleteLater()


def show_stale(parent, store, error: StaleRecord) -> None:
    """A refused change where a side-by-side comparison makes no sense (a row of a
    list, a year of holidays): say who changed it and that the latest is now shown."""
    from PySide6.QtWidgets import QMessageBox
    when = error.at[:16].replace("T", " ") if error.at else ""
    QMessageBox.warning(parent, _("记录已被修改"), _(
        "该{t}在您打开之后已被{who}{when}修改（{v}）。"
        "您的修改没有保存，也没有覆盖对方的修改。\n\n已重新载入最新内容，请核对后再操作。").format(
        t=error.what, who=describe_actor(store, error.by), when=_("于 {w} ").format(w=when) if when else "",
        v=versions_text(error)))
