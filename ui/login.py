"""Login, the first administrator's password on a new database, and the lock
after a period of inactivity."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from claims.errors import ClaimsError
from claims.i18n import _

IDLE_MINUTES = 15


class _PasswordForm(QDialog):
    def __init__(self, parent, title: str, intro: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.result_actor = None

    @staticmethod
    def password_field() -> QLineEdit:
        f = QLineEdit()
        f.setEchoMode(QLineEdit.EchoMode.Password)
        return f

    def try_accept(self) -> None:
        try:
            self.result_actor = self.attempt()
        except ClaimsError as e:
            self.error.setText(e.message)
            return
        self.accept()

    def attempt(self):
        raise NotImplementedError


class LoginDialog(_PasswordForm):
    def __init__(self, parent, store, username: str = "", locked: bool = False):
        super().__init__(parent, _("职保通 — 登录") if not locked else _("职保通 — 已锁定"),
                         _("请输入用户名和密码。") if not locked else
                         _("长时间未操作，程序已锁定。请输入密码继续。"))
        self.store = store
        self.username = QLineEdit(username)
        self.username.setReadOnly(locked)
        self.password = self.password_field()
        self.form.addRow(_("用户名"), self.username)
        self.form.addRow(_("密码"), self.password)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_accept)
        (self.password if username else self.username).setFocus()

    def attempt(self):
        return self.store.authenticate(self.username.text(), self.password.text())

    @classmethod
    def ask(cls, parent, store, username: str = "", locked: bool = False):
        d = cls(parent, store, username, locked)
        return d.result_actor if d.exec() == QDialog.DialogCode.Accepted else None


class FirstAdminDialog(_PasswordForm):
    def __init__(self, parent, store):
        super().__init__(parent, _("职保通 — 设置管理员密码"),
                         _("这是一个新的数据库。请为管理员账户 admin 设置密码（至少 8 位，含字母和数字）。"))
        self.store = store
        self.password = self.password_field()
        self.again = self.password_field()
        self.form.addRow(_("密码"), self.password)
        self.form.addRow(_("再次输入"), self.again)

    def attempt(self):
        if self.password.text() != self.again.text():
            raise ClaimsError(_("两次输入的密码不一致"))
        return self.store.setup_first_admin(self.password.text())

    @classmethod
    def ask(cls, parent, store):
        d = cls(parent, store)
        return d.result_actor if d.exec() == QDialog.DialogCode.Accepted else None


class IdleLock(QObject):
    """Watches keyboard and mouse input application-wide; after a quiet
    period hides the data behind the login dialog for the same user."""

    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def __init__(self, window, minutes: int = IDLE_MINUTES):
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self, singleShot=True, interval=minutes * 60_000)
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        self.timer.start()
        self.locked = False

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self.INPUT and not self.locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        if not self.window.isVisible():  # closed or minimised to nothing: nothing to hide
            self.timer.start()
            return
        self.locked = True
        central = self.window.centralWidget()
        central.setVisible(False)
        ctx = self.window.ctx
        while LoginDialog.ask(self.window, ctx.store, ctx.actor.username, locked=True) is None:
            pass  # the data stays hidden until the password is given
        central.setVisible(True)
        self.locked = False
        self.timer.start()
