"""用户 (administrators): add users with a role, deactivate them, give one a new
password; and 我的账户: change one's own password."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from claims.enums import Role
from claims.errors import ClaimsError
from claims.i18n import _
from claims.permissions import allowed

from ..errors import show_error
from ..sorting import make_sortable, source_row


class UserDialog(QDialog):
    def __init__(self, parent, ctx):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("新增用户"))
        self.username, self.display = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(r.label, r.value)
        self.station = QComboBox()
        plat = {p.id: p.name for p in ctx.store.platforms()}
        for s in ctx.store.stations():
            self.station.addItem(f"{plat.get(s.platform_id, '')} {s.name}", s.id)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(styleSheet="color:#c0392b", wordWrap=True)
        form = QFormLayout(self)
        form.addRow(_("用户名"), self.username)
        form.addRow(_("姓名"), self.display)
        form.addRow(_("角色"), self.role)
        form.addRow(_("所属站点（站长）"), self.station)
        form.addRow(_("初始密码"), self.password)
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        self.role.currentIndexChanged.connect(lambda: self.station.setEnabled(self.role.currentData() == "station_manager"))
        self.station.setEnabled(False)
        self.change = None

    def save(self):
        try:
            _u, self.change = self.ctx.store.add_user(
                self.ctx.actor, username=self.username.text(), display_name=self.display.text(),
                role=self.role.currentData(), password=self.password.text(),
                station_id=self.station.currentData() if self.role.currentData() == "station_manager" else None)
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent, ctx):
        d = cls(parent, ctx)
        return d.change if d.exec() == QDialog.DialogCode.Accepted else None


class PasswordDialog(QDialog):
    def __init__(self, parent, ctx):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("修改密码"))
        self.old, self.new, self.again = (QLineEdit(echoMode=QLineEdit.EchoMode.Password) for _i in range(3))
        self.error = QLabel(styleSheet="color:#c0392b", wordWrap=True)
        form = QFormLayout(self)
        form.addRow(_("原密码"), self.old)
        form.addRow(_("新密码"), self.new)
        form.addRow(_("再次输入"), self.again)
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)

    def save(self):
        if self.new.text() != self.again.text():
            self.error.setText(_("两次输入的新密码不一致"))
            return
        try:
            self.ctx.store.change_password(self.ctx.actor, self.old.text(), self.new.text())
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent, ctx) -> bool:
        return cls(parent, ctx).exec() == QDialog.DialogCode.Accepted


class ResetPasswordDialog(QDialog):
    """An administrator gives a user a new password (forgotten, locked out, or unable to open
    the encrypted database): the user logs in with it and may change it afterwards."""

    def __init__(self, parent, ctx, user):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("重设密码"))
        self.new, self.again = (QLineEdit(echoMode=QLineEdit.EchoMode.Password) for _i in range(2))
        self.error = QLabel(styleSheet="color:#c0392b", wordWrap=True)
        form = QFormLayout(self)
        form.addRow(QLabel(_("为用户“{u}”（{n}）设置新密码（至少 8 位，含字母和数字）。").format(
            u=user.username, n=user.display_name), wordWrap=True))
        form.addRow(_("新密码"), self.new)
        form.addRow(_("再次输入"), self.again)
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.save)
        bb.rejected.connect(self.reject)
        form.addRow(bb)
        self.change = None

    def save(self):
        if self.new.text() != self.again.text():
            self.error.setText(_("两次输入的新密码不一致"))
            return
        try:
            self.change = self.ctx.store.reset_password(self.ctx.actor, self.user.id, self.new.text(),
                                                        expected_version=self.user.row_version)
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent, ctx, user):
        d = cls(parent, ctx, user)
        return d.change if d.exec() == QDialog.DialogCode.Accepted else None


class UsersTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("用户名"), _("姓名"), _("角色"), _("站点"), _("状态")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        make_sortable(self.table, "设置.用户", ctx)
        bar = QHBoxLayout()
        self.add_btn = QPushButton(_("新增用户…"), clicked=self.add)
        self.toggle_btn = QPushButton(_("停用 / 启用"), clicked=self.toggle)
        self.reset_btn = QPushButton(_("重设密码…"), clicked=self.reset)
        self.pw_btn = QPushButton(_("修改我的密码…"), clicked=lambda: PasswordDialog.ask(self, ctx))
        admin = allowed(ctx.actor.role, "user.admin")
        for b in (self.add_btn, self.toggle_btn, self.reset_btn):
            b.setEnabled(admin)
            b.setToolTip("" if admin else _("只有管理员可以管理用户"))
        for b in (self.add_btn, self.toggle_btn, self.reset_btn, self.pw_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table)
        self.reload()

    def reload(self):
        stations = {s.id: s.name for s in self.ctx.store.stations()}
        self.users = self.ctx.store.users()
        self.table.setRowCount(len(self.users))
        for i, u in enumerate(self.users):
            for j, v in enumerate([u.username, u.display_name, u.role.label, stations.get(u.station_id, ""),
                                   "在用" if u.active else "已停用"]):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()

    def add(self):
        if UserDialog.ask(self, self.ctx):
            self.reload()

    def reset(self):
        row = source_row(self.table)
        if row < 0:
            QMessageBox.information(self, _("重设密码"), _("请先在表中选择一个用户"))
            return
        if ResetPasswordDialog.ask(self, self.ctx, self.users[row]):
            self.reload()

    def toggle(self):
        row = source_row(self.table)
        if row < 0:
            return
        u = self.users[row]
        try:
            self.ctx.store.set_user_active(self.ctx.actor, u.id, not u.active, expected_version=u.row_version)
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
        self.reload()
