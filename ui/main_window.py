"""The one main window: sections on the left (with counts that matter), the
current section on the right, and a status bar saying which database, which
site, which user, and how old the last backup is."""
from __future__ import annotations

from datetime import datetime

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
                               QSplitter, QStackedWidget)

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
    def __init__(self, ctx):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(_("职保通 — 新就业形态人员职业伤害保障") + f" — {ctx.store.path.name}")
        self.nav = QListWidget()
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(120)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        self.sections: dict[int, Section] = {}
        self._first_painted = False
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
        self.nav.setCurrentRow(0)
        geo = settings.load().get("geometry")
        if geo:
            self.restoreGeometry(QByteArray.fromBase64(geo.encode()))
        else:
            self.resize(1280, 760)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._first_painted:
            self._first_painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What can wait until the window is on screen: the home screen's figures (queries that
        take a while on a large database) and the menu shortcuts (see _build_menu)."""
        if self.isHidden():  # hidden meanwhile (a restore is replacing the file): wait for the next paint
            self._first_painted = False
            return
        for action, keys in self._shortcuts:
            action.setShortcut(keys)
        home = self.sections.get(0)
        if home is not None and getattr(home, "overdue_count", 0) is None:
            home.refresh()

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
        self.backup_action = QAction(_("备份数据库…"), self, triggered=self.backup)
        m.addAction(self.backup_action)
        self.restore_action = QAction(_("从备份恢复…"), self, triggered=self.restore_from_backup)
        self.restore_action.setEnabled(allowed(self.ctx.actor.role, "backup"))
        if not self.restore_action.isEnabled():
            self.restore_action.setToolTip(_("只有系统管理员可以从备份恢复"))
        m.addAction(self.restore_action)
        m.addSeparator()
        imports = m.addMenu(_("导入"))  # the three imports, each with its dry run, in the section it fills
        for text, section, method, right in ((_("导入人员与参保登记…"), "workers", "import_workers", "worker.write"),
                                             (_("导入订单记录…"), "fees", "import_orders", "fee.write"),
                                             (_("导入平台报案…"), "cases", "import_reports", "case.report")):
            action = QAction(text, self, triggered=lambda _=False, sec=section, name=method: self.run_import(sec, name))
            action.setEnabled(allowed(self.ctx.actor.role, right))
            imports.addAction(action)
        m.addSeparator()
        # Shortcuts are attached just after the first paint: PySide6 builds the `Qt` namespace's
        # enums (~20 ms) on the first setShortcut, and nobody presses a key in those milliseconds.
        self._shortcuts: list[tuple[QAction, QKeySequence]] = []
        quit_action = QAction(_("退出"), self, triggered=self.close)
        self._shortcuts.append((quit_action, QKeySequence(QKeySequence.StandardKey.Quit)))
        m.addAction(quit_action)
        edit = self.menuBar().addMenu(_("编辑(&E)"))
        self.undo_action = QAction(_("撤销"), self, triggered=self.undo, enabled=False)
        self._shortcuts.append((self.undo_action, QKeySequence(QKeySequence.StandardKey.Undo)))
        edit.addAction(self.undo_action)
        self.last_change: Change | None = None
        go = self.menuBar().addMenu(_("转到(&G)"))
        for i, (_m, _c, label) in enumerate(SECTIONS):
            action = QAction(_(label), self, triggered=lambda _=False, i=i: self.nav.setCurrentRow(i))
            self._shortcuts.append((action, QKeySequence(f"Ctrl+{i + 1}")))
            go.addAction(action)
        h = self.menuBar().addMenu(_("帮助(&H)"))
        h.addAction(QAction(_("关于职保通"), self, triggered=self.about))

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.db_label = QLabel(_("数据库：{p}").format(p=self.ctx.store.path))
        self.site_label = QLabel(_("站点：{s}").format(s=self.ctx.store.site_id))
        self.user_label = QLabel(_("用户：{u}").format(u=self.ctx.actor.label))
        self.backup_label = QLabel()
        store = self.ctx.store
        # what the user must know before typing: nothing can be saved, or the audit log is not being signed
        self.state_label = QLabel(_("只读：不能保存修改") if store.read_only else
                                  _("审计签名异常") if store.identity_problem else "")
        self.state_label.setStyleSheet("color: #c0392b; font-weight: bold")
        self.state_label.setToolTip(store.identity_problem or _("数据库文件或其所在文件夹是只读的"))
        self.state_label.setVisible(bool(self.state_label.text()))
        for w in (self.state_label, self.db_label, self.site_label, self.user_label, self.backup_label):
            sb.addPermanentWidget(w)
        self.update_backup_label()

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

        from claims.backup import SUFFIX, BackupCancelled, backup
        path, _f = QFileDialog.getSaveFileName(self, _("备份到"), str(settings.data_dir() / "backups" /
                                               f"{self.ctx.store.path.stem}-{china_now():%Y%m%d-%H%M}{SUFFIX}"),
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
        self.statusBar().showMessage(_("已备份到 {p}").format(p=dest), 8000)
        if problems:
            QMessageBox.warning(self, _("备份不完整"), _("已备份到 {p}，但以下材料文件未能备份：\n\n{l}").format(
                p=dest, l="\n".join(problems)))

    def restore_from_backup(self) -> None:
        """Replace the open database by a backup (administrators), after a check and a confirmation;
        then everyone logs in again, because the users may differ in the backup."""
        from pathlib import Path

        from claims.backup import BackupLocked, check_backup_file, restore
        from claims.errors import ClaimsError

        from .tasks import run_task
        store = self.ctx.store
        name, _f = QFileDialog.getOpenFileName(self, _("选择备份文件"), str(settings.data_dir() / "backups"),
                                               _("职保通备份 (*.zbk *.db);;所有文件 (*)"))
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

    def about(self) -> None:
        QMessageBox.about(self, _("关于职保通"), _(
            "<h3>职保通 {v}</h3><p>新就业形态人员职业伤害保障试点离线工作台。</p>"
            "<p>数据库结构版本 {s}</p><p>界面字体：文泉驿微米黑（Apache-2.0 / GPLv3 字体例外）</p>").format(
            v=self.ctx.version, s=self.ctx.store.schema_version))

    def closeEvent(self, event) -> None:
        s = settings.load()
        s["geometry"] = bytes(self.saveGeometry().toBase64()).decode()
        settings.save(s)
        super().closeEvent(event)
