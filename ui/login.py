"""Login, the first administrator's password on a new database, and the lock
after a period of inactivity."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
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
        self.setMinimumWidth(380)  # room for the messages on one or two lines

    def keyPressEvent(self, event) -> None:
        """Enter is handled by the fields (next field, or log in). The dialog's default button
        would take the same key press a second time: a wrong password counted twice, or an
        empty one sent (and counted) from the user name field."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

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
            self.adjustSize()
            return
        self.accept()

    def attempt(self):
        raise NotImplementedError


class LoginDialog(_PasswordForm):
    """The login. On an encrypted database that is not open yet (``store`` None,
    ``path`` given), the user name and password first unlock the file, then the
    usual check inside it (claims/store/encryption.py): ``self.store`` is the store."""

    def __init__(self, parent, store, username: str = "", locked: bool = False, *, path=None, site_id: str = ""):
        super().__init__(parent, _("职保通 — 登录") if not locked else _("职保通 — 已锁定"),
                         _("长时间未操作，程序已锁定。请输入密码继续。") if locked else
                         _("数据库已加密：请输入用户名和密码打开。") if store is None else
                         _("请输入用户名和密码。"))
        self.store, self.path, self.site_id = store, path, site_id
        self.username = QLineEdit(username)
        self.username.setReadOnly(locked)
        self.password = self.password_field()
        self.form.addRow(_("用户名"), self.username)
        self.form.addRow(_("密码"), self.password)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_accept)
        (self.password if username else self.username).setFocus()

    def attempt(self):
        if self.store is None:
            from claims.store.encryption import open_unlocked
            self.store, actor = open_unlocked(self.path, self.site_id, self.username.text(), self.password.text())
            return actor
        return self.store.authenticate(self.username.text(), self.password.text())

    @classmethod
    def ask(cls, parent, store, username: str = "", locked: bool = False):
        d = cls(parent, store, username, locked)
        return d.result_actor if d.exec() == QDialog.DialogCode.Accepted else None

    @classmethod
    def unlock(cls, parent, path, site_id: str):
        """(store, actor) of an encrypted database the user opened, or None (cancelled)."""
        d = cls(parent, None, path=path, site_id=site_id)
        return (d.store, d.result_actor) if d.exec() == QDialog.DialogCode.Accepted else None


class BackupPasswordDialog(_PasswordForm):
    """A user name and password of an encrypted backup whose key is not the open
    database's (claims/backup.py): ``check(credentials)`` raises if they do not open it."""

    def __init__(self, parent, intro: str, check, username: str = ""):
        super().__init__(parent, _("职保通 — 加密的备份"), intro)
        self.check = check
        self.username = QLineEdit(username)
        self.password = self.password_field()
        self.form.addRow(_("用户名"), self.username)
        self.form.addRow(_("密码"), self.password)
        self.password.returnPressed.connect(self.try_accept)
        (self.password if username else self.username).setFocus()

    def attempt(self):
        credentials = (self.username.text().strip(), self.password.text())
        self.check(credentials)
        return credentials

    @classmethod
    def ask(cls, parent, intro: str, check, username: str = ""):
        d = cls(parent, intro, check, username)
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
        self.password.returnPressed.connect(self.again.setFocus)
        self.again.returnPressed.connect(self.try_accept)

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
