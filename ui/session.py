"""Handing the window over from one user to the next (文件 › 切换用户…, the lock
screen, the status bar's user name): what the previous user left typed is asked
about first, then every section is built again for the next user's rights and
scope, without restarting the program."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from claims.i18n import _


def open_dialogs(window) -> list[QDialog]:
    """The program's dialogs still open over the window (not message boxes, not the login)."""
    from .login import LoginDialog
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and not isinstance(w, (LoginDialog, QMessageBox))]


def confirm_discard_open_dialogs(window, next_actor=None) -> bool:
    """Name the open dialogs with typed input and ask; True: close them all and go on."""
    dialogs = open_dialogs(window)
    typed = [d for d in dialogs if getattr(d, "dirty", False)]
    if typed:
        names = "\n".join("· " + (d.windowTitle() or _("未命名窗口")) for d in typed)
        who = _("切换到 {u} 前，").format(u=next_actor.label) if next_actor is not None else _("切换用户前，")
        box = QMessageBox(QMessageBox.Icon.Warning, _("尚未保存的输入"),
                          who + _("以下窗口中有尚未保存的输入，切换后将丢失：\n\n{n}\n\n请先回到这些窗口保存，"
                                  "或放弃这些输入。").format(n=names), QMessageBox.StandardButton.NoButton, window)
        discard = box.addButton(_("放弃输入并切换"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("返回"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        if box.clickedButton() is not discard:
            return False
    for d in reversed(dialogs):
        if hasattr(d, "dirty"):
            d.dirty = False
        d.done(QDialog.DialogCode.Rejected)
    return True


def rebuild_for(window, actor) -> None:
    """The window now works for ``actor``: rights, scope, revealed numbers, sections and menus."""
    ctx = window.ctx
    ctx.actor = actor
    ctx.revealed.clear()  # what the previous user revealed is masked again
    for old in getattr(window, "_retired", []):  # sections retired at an earlier switch: long unused
        old.deleteLater()
    window._retired = []
    for index, sec in list(window.sections.items()):
        # A retired section may still be under a dialog's closing exec() (the lock screen's switch):
        # it is kept, hidden and inert, until the next switch deletes it.
        for signal in (sec.changed, sec.badge_changed):
            try:
                signal.disconnect()
            except (RuntimeError, TypeError):
                pass
        if hasattr(sec, "retire"):
            sec.retire()
        window.stack.removeWidget(sec)
        window.stack.insertWidget(index, QLabel())
        sec.hide()
        window._retired.append(sec)
    window.sections = {}
    window.last_change = None
    window.update_undo_action()
    window.apply_rights()
    window.show_user()
    window.show_section(window.nav.currentRow())
    home = window.section(0)
    home.refresh()
    window.update_badges()
    window.statusBar().showMessage(_("{u} 已登录，窗口按其权限显示").format(u=actor.label), 8000)
