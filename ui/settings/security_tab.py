"""数据加密: whether the database file is encrypted, who can open it, and (for
administrators) turning encryption on or off (claims/store/encryption.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from claims.i18n import _
from claims.permissions import allowed

from ..errors import show_error
from ..widgets import readonly_table

PLAIN_TEXT = _("本数据库<b>未加密</b>：拿到数据库文件（或它的备份）的人，用常见的数据库工具就能读出人员的姓名、证件号码和案件。"
               "文件只受操作系统的文件权限保护。")
ENCRYPTED_TEXT = _("本数据库<b>已加密</b>：没有某个用户的密码，数据库文件和它的备份都无法读取。"
                   "每位用户用自己的密码登录，登录即解开数据库。")
ABOUT_ENCRYPT = _("加密后：各用户照旧用自己的密码登录，不必重新设置；数据库旁多一个密钥文件“{keys}”，"
                  "须与数据库放在一起（备份中也有一份）——缺了它，任何人都无法打开数据库。"
                  "忘记密码的用户请管理员重设密码；所有管理员都忘记密码时，数据将无法找回。"
                  "加密使打开数据库与大批导入稍慢（见使用说明）；命令行工具也须给出用户名和密码才能打开。")
ABOUT_KEYS = _("密钥文件“{keys}”须与数据库放在一起（备份中也有一份）：缺了它，任何人都无法打开数据库。"
               "忘记密码的用户请管理员在“用户”中为其重设密码；所有管理员都忘记密码时，数据将无法找回。")


class SecurityTab(QWidget):
    def __init__(self, ctx, changed_signal, parent=None):
        super().__init__(parent)
        self.ctx, self.changed_signal = ctx, changed_signal
        self.admin = allowed(ctx.actor.role, "database.encrypt")
        self.status = QLabel(wordWrap=True)
        self.about = QLabel(wordWrap=True, styleSheet="color:#555")
        self.table = readonly_table([_("用户名"), _("姓名"), _("角色"), _("能否打开加密的数据库")])
        self.encrypt_button = QPushButton(_("加密数据库…"), clicked=self.encrypt)
        self.decrypt_button = QPushButton(_("取消加密…"), clicked=self.decrypt)
        bar = QHBoxLayout()
        bar.addWidget(self.encrypt_button)
        bar.addWidget(self.decrypt_button)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.about)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addStretch(0)  # takes the room of the table while there is none: the text stays on top
        self.reload()

    def reload(self) -> None:
        s = self.ctx.store
        encrypted = s.encrypted
        self.status.setText(ENCRYPTED_TEXT if encrypted else PLAIN_TEXT)
        self.about.setText((ABOUT_KEYS if encrypted else ABOUT_ENCRYPT).format(keys=s.path.name + ".keys"))
        self.layout().setStretch(self.layout().count() - 1, 0 if encrypted else 1)
        why = ("" if self.admin else _("只有管理员可以加密数据库或取消加密"))
        self.encrypt_button.setVisible(not encrypted)
        self.decrypt_button.setVisible(encrypted)
        for b in (self.encrypt_button, self.decrypt_button):
            b.setEnabled(self.admin and not s.read_only)
            b.setToolTip(why or (_("数据库是只读的") if s.read_only else ""))
        self.table.setVisible(encrypted)
        if not encrypted:
            return
        keys = s.key_users()
        users = s.users()
        self.table.setRowCount(len(users))
        for i, u in enumerate(users):
            kind = keys.get(u.username)
            can = (_("可以（用自己的密码）") if kind == "password" else
                   _("可以（加密后尚未登录过，首次登录时更新）") if kind == "login" else
                   _("不能（已停用）") if not u.active else _("不能：请管理员为其重设密码"))
            for j, v in enumerate([u.username, u.display_name, u.role.label, can]):
                self.table.setItem(i, j, QTableWidgetItem(v))

    def _run(self, title: str, work) -> None:
        """Re-encrypting rewrites every page on the window's own connection, which nothing else
        may use meanwhile, and cannot stop half-way: it runs here, under a busy cursor (about
        a second per 50 MB: bench/README.md), rather than beside screens that read the database."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("{t}中，请稍候……").format(t=title))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()
        try:
            change = work()
        except Exception as e:  # noqa: BLE001 - one error path
            QApplication.restoreOverrideCursor()
            show_error(self, e)
            return
        finally:
            if hasattr(window, "statusBar"):
                window.statusBar().clearMessage()
        QApplication.restoreOverrideCursor()
        self.reload()
        self.changed_signal.emit(change)
        QMessageBox.information(self, title, change.summary)

    def encrypt(self) -> None:
        s = self.ctx.store
        answer = QMessageBox.question(
            self, _("加密数据库"),
            _("加密数据库 {db}？\n\n{about}\n\n请先关闭其他使用这个数据库的程序和窗口。").format(
                db=s.path, about=ABOUT_ENCRYPT.format(keys=s.path.name + ".keys")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._run(_("加密数据库"), lambda: s.encrypt_database(self.ctx.actor))

    def decrypt(self) -> None:
        s = self.ctx.store
        answer = QMessageBox.warning(
            self, _("取消加密"),
            _("取消数据库 {db} 的加密？\n\n此后拿到数据库文件的人不用密码就能读出其中的全部个人信息。"
              "已有的加密备份仍保持加密。").format(db=s.path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._run(_("取消加密"), lambda: s.decrypt_database(self.ctx.actor))
