"""The one main window: sections on the left (with counts that matter), the
current section on the right, and a status bar saying which database, which
site, which user, and how old the last backup is."""
from __future__ import annotations

from datetime import datetime

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QLabel, QListWidget, QListWidgetItem, QMainWindow,
                               QSplitter, QStackedWidget, QToolButton)

from claims import settings
from claims.i18n import _
from claims.permissions import allowed
from claims.change import Change

from .errors import show_error
from claims.timeutil import now as china_now

if TYPE_CHECKING:
    from .sections.base import Section

SECTIONS = [  # (module, class) in the order of the left bar
    ("home", "HomeSection", "工作台"), ("workers", "WorkersSection", "参保登记"), ("fees", "FeesSection", "缴费"),
    ("cases", "CasesSection", "案件"), ("stats", "StatsSection", "统计"), ("settings", "SettingsSection", "设置"),
]


class MainWindow(QMainWindow):
    settled = Signal()  # the figures are on screen, and shortcuts, sorting and status-bar reasons ready
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        ro = _("（只读）") if getattr(ctx.store, "read_only", False) else ""
        self.setWindowTitle(_("职保通 — 新就业形态人员职业伤害保障") + f" — {ctx.store.path.name}{ro}")
        self.nav = QListWidget()
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(120)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        self.sections: dict[int, Section] = {}
        self._first_painted = False
        self._settled = False  # _after_figures() done
        self.restart = False
        for i, (_m, _c, label) in enumerate(SECTIONS):
            self.nav.addItem(QListWidgetItem(_(label)))
            self.stack.addWidget(QLabel())  # placeholder until first visit: start-up stays fast
        split = QSplitter()  # horizontal; no `Qt` enums before the first paint (ui/sections/base.py)
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 1100])
        self.setCentralWidget(split)
        self.nav.currentRowChanged.connect(self.show_section)
        self._build_menu()
        self._build_status()
        # told of every key press, click, wheel turn or mouse move (the idle lock, ui/login.py) by the
        # status-bar reasons' event filter (ui/reasons.py), made with the figures (_after_figures)
        self.on_input: list = []
        self.reasons = None
        self.nav.setCurrentRow(0)
        geo = settings.load().get("geometry")
        if geo:
            self.restoreGeometry(QByteArray.fromBase64(geo.encode()))
        else:  # 1280×760, but never more than the screen leaves (a 1366×768 laptop with the taskbar: ~1366×728)
            avail = self.screen().availableGeometry()
            self.resize(min(1280, avail.width() - 16), min(760, avail.height() - 40))  # room for the title bar

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._first_painted:
            self._first_painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What can wait until the window is on screen: the home screen's figures (queries on
        the database); on the next turn of the event loop, once they are painted, the rest."""
        if self.isHidden():  # hidden meanwhile (a restore is replacing the file): wait for the next paint
            self._first_painted = False
            return
        home = self.sections.get(0)
        if home is not None and getattr(home, "overdue_count", 0) is None:
            home.refresh()
        QTimer.singleShot(0, self._after_figures)

    def _after_figures(self) -> None:
        """What nobody can use in the moment the window and its figures appear, and what would
        make them wait: the menu shortcuts and the home lists' sorting (PySide6 builds the `Qt`
        namespace's ninety-odd enums on the first use of one, ~20-40 ms), the one
        application-wide event filter (ui/reasons.py), which makes every widget built while it
        is installed slower (the home screen's two tables: ~75 ms), and, last, the store's
        other parts (~30 ms)."""
        if self._settled:
            return
        self._settled = True
        home = self.sections.get(0)
        if home is not None:
            home.make_sortable()
        from PySide6.QtGui import QKeySequence
        for action, keys in self._shortcuts:
            standard = getattr(QKeySequence.StandardKey, keys, None)
            action.setShortcut(QKeySequence(standard if standard is not None else keys))
        from .reasons import install as show_reasons  # a disabled control's reason in the status bar too
        self.reasons = show_reasons(self)
        self.reasons.install()
        self.settled.emit()
        # the store's parts the home screen did not need (claims/store/__init__.py), loaded now
        # rather than at the first click on another section
        QTimer.singleShot(0, self.ctx.store.load_all_parts)

    # -- sections -----------------------------------------------------------
    def section(self, index: int) -> Section:
        if index not in self.sections:
            from importlib import import_module
            mod, cls, _label = SECTIONS[index]
            sec = getattr(import_module(f"ui.sections.{mod}"), cls)(self.ctx)
            sec.changed.connect(self.apply_change)
            sec.badge_changed.connect(self.update_badges)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, sec)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.sections[index] = sec
        return self.sections[index]

    def run_import(self, section: str, method: str) -> None:
        index = next(i for i, x in enumerate(SECTIONS) if x[0] == section)
        self.nav.setCurrentRow(index)
        getattr(self.section(index), method)()

    def show_section(self, index: int) -> None:
        if index < 0:
            return
        sec = self.section(index)
        self.stack.setCurrentWidget(sec)

    def apply_change(self, change: Change) -> None:
        for sec in self.sections.values():
            sec.refresh(change)
        self.update_badges()
        if change.summary.startswith(_("已撤销")):
            self.last_change = None
        elif change.tables:  # a new action: 编辑 › 撤销 offers it, or says why it cannot be undone
            self.last_change = change
        self.update_undo_action()
        if change.summary:
            self.statusBar().showMessage(change.summary, 5000)

    def update_badges(self) -> None:
        from .sections.home import HomeSection
        home = self.sections.get(0)
        badge = home.badge() if isinstance(home, HomeSection) else ""
        self.nav.item(0).setText(_("工作台") + badge)

    # -- undo ------------------------------------------------------------------
    def update_undo_action(self) -> None:
        """编辑 › 撤销 names the last action, or says why it cannot be undone (claims/store/undo.py)."""
        c = self.last_change
        problem = self.ctx.store.undo_problem(self.ctx.actor, c) if c else None
        if c is None:
            self.undo_action.setText(_("撤销"))
        elif problem is None:
            self.undo_action.setText(_("撤销“{s}”").format(s=c.summary))
        else:
            self.undo_action.setText(_("撤销（{why}）").format(why=problem if len(problem) < 40 else _("不能撤销")))
        self.undo_action.setToolTip(problem or "")
        self.undo_action.setEnabled(c is not None and problem is None)

    def undo(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        c = self.last_change
        if c is None:
            return
        problem = self.ctx.store.undo_problem(self.ctx.actor, c)
        if problem:
            QMessageBox.information(self, _("不能撤销"), problem)
            self.update_undo_action()
            return
        answer = QMessageBox.question(self, _("撤销"), _("撤销“{s}”？\n这一步新增的记录将被删除，修改的内容恢复原状；"
                                                         "撤销本身记入审计日志。").format(s=c.summary))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            done = self.ctx.store.undo(self.ctx.actor, c)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            self.update_undo_action()
            return
        self.apply_change(done)

    # -- menu and status ----------------------------------------------------
    def _build_menu(self) -> None:
        m = self.menuBar().addMenu(_("文件(&F)"))
        # (action, right, why not): enabled for the user's role; re-applied when the user changes
        self._rights: list[tuple[QAction, str, str]] = []
        # QAction(parent, text=…): PySide6 resolves QAction(text, parent) by trying QAction(QIcon, …)
        # first, which makes QIcon's enums (150-odd theme icons) before the first paint
        self.switch_action = QAction(self, text=_("切换用户…"), triggered=self.switch_user)
        self.switch_action.setToolTip(_("另一位用户登录：窗口保持打开，按其权限和范围显示"))
        m.addAction(self.switch_action)
        m.addSeparator()
        self.backup_action = QAction(self, text=_("备份数据库…"), triggered=self.backup)
        m.addAction(self.backup_action)
        self.restore_action = QAction(self, text=_("从备份恢复…"), triggered=self.restore_from_backup)
        self._rights.append((self.restore_action, "backup", _("只有系统管理员可以从备份恢复")))
        m.addAction(self.restore_action)
        m.addSeparator()
        imports = m.addMenu(_("导入"))  # the three imports, each with its dry run, in the section it fills
        for text, section, method, right in ((_("导入人员与参保登记…"), "workers", "import_workers", "worker.write"),
                                             (_("导入订单记录…"), "fees", "import_orders", "fee.write"),
                                             (_("导入平台报案…"), "cases", "import_reports", "case.report")):
            action = QAction(self, text=text,
                             triggered=lambda _=False, sec=section, name=method: self.run_import(sec, name))
            self._rights.append((action, right, _("您的角色不能导入这类数据")))
            imports.addAction(action)
        m.addSeparator()
        # Shortcuts are attached just after the first paint: PySide6 builds the `Qt` namespace's
        # enums (~20 ms) on the first setShortcut, and QKeySequence's own on its first import,
        # and nobody presses a key in those milliseconds. A standard key by name, or the keys.
        self._shortcuts: list[tuple[QAction, str]] = []
        quit_action = QAction(self, text=_("退出"), triggered=self.close)
        self._shortcuts.append((quit_action, "Quit"))
        m.addAction(quit_action)
        edit = self.menuBar().addMenu(_("编辑(&E)"))
        self.undo_action = QAction(self, text=_("撤销"), triggered=self.undo, enabled=False)
        self._shortcuts.append((self.undo_action, "Undo"))
        edit.addAction(self.undo_action)
        self.last_change: Change | None = None
        go = self.menuBar().addMenu(_("转到(&G)"))
        for i, (_m, _c, label) in enumerate(SECTIONS):
            action = QAction(self, text=_(label), triggered=lambda _=False, i=i: self.nav.setCurrentRow(i))
            self._shortcuts.append((action, f"Ctrl+{i + 1}"))
            go.addAction(action)
        h = self.menuBar().addMenu(_("帮助(&H)"))
        guide = QAction(self, text=_("使用说明"), triggered=self.show_guide)
        self._shortcuts.append((guide, "HelpContents"))
        h.addAction(guide)
        templates = h.addMenu(_("导入模板"))
        from claims.templates import TEMPLATES
        for kind, (title, _cols) in TEMPLATES.items():
            templates.addAction(QAction(self, text=_(title) + _("模板…"),
                                        triggered=lambda _=False, k=kind: self.save_template(k)))
        h.addSeparator()
        h.addAction(QAction(self, text=_("关于职保通"), triggered=self.about))
        self.apply_rights()

    def apply_rights(self) -> None:
        """Menu actions as the current user's role allows; a disabled one says why."""
        read_only = getattr(self.ctx.store, "read_only", False)
        for action, right, why in self._rights:
            ok = allowed(self.ctx.actor.role, right)
            if read_only and action is self.restore_action:
                ok, why = False, _("数据库以只读方式打开，不能恢复")
            action.setEnabled(ok)
            action.setToolTip("" if ok else why)
            action.setStatusTip("" if ok else why)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.db_label = QLabel(_("数据库：{p}").format(p=self.ctx.store.path))
        if getattr(self.ctx.store, "read_only", False):
            self.db_label.setText(self.db_label.text() + _("（只读：另一个窗口正在使用）"))
            self.db_label.setStyleSheet("color: #c0392b")
        self.site_label = QLabel(_("站点：{s}").format(s=self.ctx.store.site_id))
        self.user_label = QToolButton()  # the user's name: a click hands the window to the next user
        self.user_label.setAutoRaise(True)
        self.user_label.setToolTip(_("点击切换用户"))
        self.user_label.clicked.connect(self.switch_user)
        self.show_user()
        self.backup_label = QLabel()
        store = self.ctx.store
        # what the user must know before typing: nothing can be saved, or the audit log is not being signed
        self.state_label = QLabel(_("只读：不能保存修改") if store.read_only else
                                  _("审计签名异常") if store.identity_problem else "")
        self.state_label.setStyleSheet("color: #c0392b; font-weight: bold")
        self.state_label.setToolTip(store.identity_problem or (
            _("另一个职保通窗口正在使用这个数据库") if store.opened_read_only else _("数据库文件或其所在文件夹是只读的")))
        self.state_label.setVisible(bool(self.state_label.text()))
        self.saved_label = QLabel()  # where the last file was saved, with a link to its folder
        self.saved_label.setOpenExternalLinks(False)
        self.saved_label.linkActivated.connect(self._open_link)
        self.saved_label.hide()
        sb.addWidget(self.saved_label, 1)
        for w in (self.state_label, self.db_label, self.site_label, self.user_label, self.backup_label):
            sb.addPermanentWidget(w)
        self.update_backup_label()

    def show_saved(self, path, what: str = "") -> None:
        from .files import saved_html
        self.saved_label.setText(saved_html(path, what))
        self.saved_label.setToolTip(str(path))
        self.saved_label.show()

    @staticmethod
    def _open_link(link: str) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        QDesktopServices.openUrl(QUrl(link))

    def show_user(self) -> None:
        from claims.enums import Role
        try:
            role = Role(self.ctx.actor.role).label
        except ValueError:
            role = ""
        text = _("用户：{u}").format(u=self.ctx.actor.label) + (_("（{r}）").format(r=role) if role else "")
        self.user_label.setText(text)

    # -- who works -------------------------------------------------------------
    def switch_user(self) -> None:
        """文件 › 切换用户…: after asking about unsaved input, the next user logs in here."""
        from .login import LoginDialog
        if not self.confirm_unsaved():
            return
        actor = LoginDialog.ask(self, self.ctx.store, switching=True)
        if actor is not None:
            self.switch_to(actor)

    def confirm_unsaved(self, closing_for=None) -> bool:
        """Open dialogs with typed input are named and may be discarded (True) or kept (False)."""
        from .session import confirm_discard_open_dialogs
        return confirm_discard_open_dialogs(self, closing_for)

    def switch_to(self, actor) -> None:
        """The window changes to ``actor``: every section is built again for their rights and scope."""
        from .session import rebuild_for
        rebuild_for(self, actor)

    def update_backup_label(self) -> None:
        last = self.ctx.store.meta_get("last_backup")
        if not last:
            self.backup_label.setText(_("尚未备份"))
            self.backup_label.setStyleSheet("color: #c0392b")
            return
        days = (china_now() - datetime.fromisoformat(last)).days
        self.backup_label.setText(_("上次备份：{d} 天前").format(d=days) if days else _("今天已备份"))
        self.backup_label.setStyleSheet("color: #c0392b" if days > 7 else "")

    def backup(self) -> None:
        """The database and every attached file into one checked file (claims/backup.py)."""
        from pathlib import Path

        from PySide6.QtWidgets import QMessageBox

        from claims.backup import SUFFIX, BackupCancelled, backup
        from .files import save_path
        path = save_path(self, "backup", _("备份到"), f"{self.ctx.store.path.stem}-{china_now():%Y%m%d-%H%M}{SUFFIX}",
                         _("职保通备份 (*.zbk)"))
        if not path:
            return
        from .tasks import run_task
        store, problems = self.ctx.store, []
        try:  # off the GUI thread, with progress and cancel: a large database takes minutes
            # the file dialog has asked before replacing a file; backup() still refuses one that is not a backup
            dest = run_task(self, _("备份数据库"), lambda progress, cancelled: backup(
                store, Path(path), progress=progress, cancelled=cancelled, force=True, problems=problems))
        except BackupCancelled as e:
            self.statusBar().showMessage(e.message, 8000)
            return
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.update_backup_label()
        self.show_saved(Path(dest), _("已备份"))
        if problems:
            QMessageBox.warning(self, _("备份不完整"), _("已备份到 {p}，但以下材料文件未能备份：\n\n{l}").format(
                p=dest, l="\n".join(problems)))

    def restore_from_backup(self) -> None:
        """Replace the open database by a backup (administrators), after a check and a confirmation;
        then everyone logs in again, because the users may differ in the backup."""
        from pathlib import Path

        from PySide6.QtWidgets import QMessageBox

        from claims.backup import BackupLocked, check_backup_file, restore
        from claims.errors import ClaimsError

        from .tasks import run_task
        store = self.ctx.store
        from .files import open_path
        name = open_path(self, "backup", _("选择备份文件"), _("职保通备份 (*.zbk *.db);;所有文件 (*)"))
        if not name:
            return
        src, target = Path(name), store.path
        credentials = None
        try:
            version = check_backup_file(src)
        except BackupLocked as e:  # encrypted with another key: a user name and password of the backup open it
            from .login import BackupPasswordDialog
            creds = BackupPasswordDialog.ask(self, e.message, lambda c: check_backup_file(src, credentials=lambda: c),
                                             self.ctx.actor.username)
            if creds is None:
                return
            credentials = lambda: creds  # noqa: E731
            version = check_backup_file(src, credentials=credentials)
        except ClaimsError as e:
            show_error(self, e)
            return
        answer = QMessageBox.warning(
            self, _("从备份恢复"),
            _("用备份 {src}（结构版本 {v}）替换当前数据库 {db}，并放回备份中的材料文件？\n\n"
              "当前数据库会先另存为“…-before-restore-….db”，备份之后录入的内容将不在恢复后的数据库中。"
              "恢复后请重新登录。").format(src=src, v=version, db=target),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.hide()  # its screens must not read the database while the file is replaced
        store.close()
        try:
            saved = run_task(None, _("从备份恢复"), lambda progress, _cancelled: restore(
                src, target, progress=progress, credentials=credentials))
        except Exception as e:  # noqa: BLE001 - the database is untouched: carry on with it
            from claims.store import Store
            self.ctx.store = Store(target, store.site_id)
            self.show()
            show_error(self, e)
            return
        QMessageBox.information(None, _("已恢复"), _("已从 {src} 恢复。{saved}请重新登录。").format(
            src=src.name, saved=_("原数据库已另存为 {p}。").format(p=saved) if saved else ""))
        self.restart = True  # ui.app.run_gui opens the database again and asks who logs in
        self.close()

    def show_guide(self) -> None:
        from .help import GuideDialog
        GuideDialog.show_for(self, self.ctx.actor.role)

    def save_template(self, kind: str) -> None:
        """帮助 › 导入模板: an XLSX with the columns of one import and what each holds."""
        from claims.templates import TEMPLATES, write_template

        from .files import save_path
        path = save_path(self, "template", _("保存导入模板"), _("{t}导入模板.xlsx").format(t=_(TEMPLATES[kind][0])),
                         _("Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        try:
            out = write_template(kind, path)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.show_saved(out, _("已保存导入模板"))

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.about(self, _("关于职保通"), _(
            "<h3>职保通 {v}</h3><p>新就业形态人员职业伤害保障试点离线工作台。</p>"
            "<p>数据库结构版本 {s}</p><p>界面字体：文泉驿微米黑（Apache-2.0 / GPLv3 字体例外）</p>").format(
            v=self.ctx.version, s=self.ctx.store.schema_version))

    def closeEvent(self, event) -> None:
        s = settings.load()
        s["geometry"] = bytes(self.saveGeometry().toBase64()).decode()
        settings.save(s)
        super().closeEvent(event)
