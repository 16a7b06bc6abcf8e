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
        # Enter is handled by the fields alone (returnPressed): a default button would take the same
        # key press as a second attempt, so one wrong password counted twice.
        for b in self.buttons.buttons():
            b.setAutoDefault(False)
            b.setDefault(False)
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
    """Who works now. Locked (after idle minutes), the same user gives the password, or
    another person takes over with 切换用户 (the window then changes to their rights).
    On an encrypted database that is not open yet (``store`` None, ``path`` given),
    the user name and password first unlock the file, then the usual check inside
    it (claims/store/encryption.py): ``self.store`` is the store."""

    def __init__(self, parent, store, username: str = "", locked: bool = False, switching: bool = False, *,
                 path=None, site_id: str = "", read_only: bool = False):
        title = _("职保通 — 已锁定") if locked else _("职保通 — 切换用户") if switching else _("职保通 — 登录")
        intro = (_("长时间未操作，程序已锁定。请输入密码继续；换人使用请点“切换用户”。") if locked else
                 _("请下一位用户输入用户名和密码。窗口保持打开，按新用户的权限显示。") if switching else
                 _("数据库已加密：请输入用户名和密码打开。") if store is None else
                 _("请输入用户名和密码。"))
        super().__init__(parent, title, intro)
        self.store, self.path, self.site_id, self.read_only = store, path, site_id, read_only
        self.username = QLineEdit(username)
        self.username.setReadOnly(locked)
        self.password = self.password_field()
        self.form.addRow(_("用户名"), self.username)
        self.form.addRow(_("密码"), self.password)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_accept)
        self.switch_btn = None
        if locked:
            self.switch_btn = self.buttons.addButton(_("切换用户"), QDialogButtonBox.ButtonRole.ActionRole)
            self.switch_btn.setAutoDefault(False)
            self.switch_btn.setToolTip(_("另一位用户登录：窗口保持打开，按其权限显示"))
            self.switch_btn.clicked.connect(self.other_user)
        (self.password if username else self.username).setFocus()

    def other_user(self) -> None:
        """On the lock screen: someone else logs in here."""
        self.username.setReadOnly(False)
        self.username.clear()
        self.password.clear()
        self.error.clear()
        self.intro.setText(_("请下一位用户输入用户名和密码。窗口保持打开，按新用户的权限显示。"))
        self.switch_btn.setEnabled(False)
        self.username.setFocus()

    def attempt(self):
        if not self.username.text().strip():
            raise ClaimsError(_("请输入用户名"))
        if not self.password.text():
            raise ClaimsError(_("请输入密码"))
        if self.store is None:
            from claims.store.encryption import open_unlocked
            self.store, actor = open_unlocked(self.path, self.site_id, self.username.text(), self.password.text(),
                                              read_only=self.read_only)
            return actor
        return self.store.authenticate(self.username.text(), self.password.text())

    @classmethod
    def ask(cls, parent, store, username: str = "", locked: bool = False, switching: bool = False):
        d = cls(parent, store, username, locked, switching)
        try:
            return d.result_actor if d.exec() == QDialog.DialogCode.Accepted else None
        finally:
            d.deleteLater()

    @classmethod
    def unlock(cls, parent, path, site_id: str, read_only: bool = False):
        """(store, actor) of an encrypted database the user opened, or None (cancelled)."""
        d = cls(parent, None, path=path, site_id=site_id, read_only=read_only)
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
        # the main window's one application-wide filter reports input (ui/reasons.py) to the
        # window's listeners; another window watches for itself
        self.listeners = getattr(window, "on_input", None)
        if self.listeners is not None:
            self.listeners.append(self.input_seen)
        else:
            QApplication.instance().installEventFilter(self)
        self.timer.start()
        self.locked = False

    def stop(self) -> None:
        self.timer.stop()
        if self.listeners is not None:
            if self.input_seen in self.listeners:
                self.listeners.remove(self.input_seen)
        else:
            QApplication.instance().removeEventFilter(self)

    def input_seen(self) -> None:
        if not self.locked:
            self.timer.start()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self.INPUT:
            self.input_seen()
        return False

    def lock(self) -> None:
        if not self.window.isVisible():  # closed or minimised to nothing: nothing to hide
            self.timer.start()
            return
        self.locked = True
        central = self.window.centralWidget()
        central.setVisible(False)
        ctx = self.window.ctx
        while True:  # the data stays hidden until the password is given
            actor = LoginDialog.ask(self.window, ctx.store, ctx.actor.username, locked=True)
            if actor is None:
                continue
            if actor.username == ctx.actor.username:
                break
            # another person takes over: what the previous user left typed is asked about first
            if hasattr(self.window, "confirm_unsaved") and not self.window.confirm_unsaved(closing_for=actor):
                continue
            self.window.switch_to(actor)
            break
        central.setVisible(True)
        self.locked = False
        self.timer.start()
