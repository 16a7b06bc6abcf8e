"""设置 › 数据交换: this site and the sites it trusts, identity cards, packages
for a site (to a folder or a USB stick), importing a package after a preview,
the conflicts to decide, and a shared folder picked up while the program is open."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from claims.i18n import _

from ..errors import show_error
from ..sorting import make_sortable
from ..widgets import readonly_table

ROLE = {"office": "经办机构（总部）", "field": "外勤站点"}
SYNC_EVERY_MS = 60_000


def _package(p: dict) -> str:
    if not p["seq"]:
        return _("从未")
    return _("第 {n} 包，{t}").format(n=p["seq"], t=p["at"][:16].replace("T", " ") if p["at"] else "")


class ExchangeTab(QWidget):
    def __init__(self, ctx, changed=None, parent=None):
        super().__init__(parent)
        self.ctx, self.changed = ctx, changed
        me = QGroupBox(_("本站点"))
        form = QFormLayout(me)
        self.name, self.site, self.role, self.fingerprint = QLabel(), QLabel(), QLabel(), QLabel()
        self.fingerprint.setStyleSheet("font-family: monospace; font-size: 15px; font-weight: bold")
        for label, w in ((_("名称"), self.name), (_("站点编号"), self.site), (_("角色"), self.role),
                         (_("密钥指纹"), self.fingerprint)):
            form.addRow(label, w)
        self.table = readonly_table([_("站点"), _("名称"), _("信任"), _("密钥指纹"), _("最近发出"), _("最近收到"),
                                     _("待发修改")])
        make_sortable(self.table, "设置.交换站点", ctx)
        buttons = QHBoxLayout()
        self.card_btn = QPushButton(_("导出本站点身份卡…"))
        self.trust_btn = QPushButton(_("信任站点…"))
        self.export_btn = QPushButton(_("为站点导出…"))
        self.import_btn = QPushButton(_("导入交换包…"))
        self.conflicts_btn = QPushButton(_("冲突与疑似重复…"))
        for b in (self.card_btn, self.trust_btn, self.export_btn, self.import_btn, self.conflicts_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.card_btn.clicked.connect(self.write_card)
        self.trust_btn.clicked.connect(self.trust)
        self.export_btn.clicked.connect(self.export_for_site)
        self.import_btn.clicked.connect(self.import_package)
        self.conflicts_btn.clicked.connect(self.show_conflicts)
        shared = QHBoxLayout()
        self.folder = QLabel()
        self.folder_btn = QPushButton(_("共享文件夹…"))
        self.sync_btn = QPushButton(_("立即收发"))
        self.folder_btn.clicked.connect(self.choose_folder)
        self.sync_btn.clicked.connect(self.sync)
        for w in (QLabel(_("共享文件夹：")), self.folder, self.folder_btn, self.sync_btn):
            shared.addWidget(w)
        shared.setStretch(1, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(me)
        lay.addWidget(QLabel(_("受信任的站点（双方屏幕上的指纹应逐字一致）")))
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addLayout(shared)
        lay.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync(quiet=True))
        self.reload()

    # -- showing ---------------------------------------------------------------------
    def reload(self) -> None:
        s = self.ctx.store
        info = s.site_info()
        self.name.setText(info["name"])
        self.site.setText(info["id"])
        self.role.setText(_(ROLE.get(info["role"], info["role"])))
        self.fingerprint.setText(info["fingerprint"] or _("（尚无密钥）"))
        rows = []
        for p in info["sites"]:
            rows.append([p["site"], p["name"], _("受信任") if p["trusted"] else _("经 {s} 得知").format(s=p["via"]),
                         p["fingerprint"], _package(p["sent"]), _package(p["received"]),
                         str(s.pending_for(p["site"])) if p["trusted"] else "—"])
        self.table.setRowCount(len(rows))
        from PySide6.QtWidgets import QTableWidgetItem
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        folder = s.meta_get("exchange.folder") or ""
        self.folder.setText(folder or _("未设置（收发交换包靠U盘或邮件）"))
        self.sync_btn.setEnabled(bool(folder))
        if folder and not self.timer.isActive():
            self.timer.start(SYNC_EVERY_MS)
        elif not folder:
            self.timer.stop()
        n = len(s.open_conflicts()) + len(s.open_duplicates())
        self.conflicts_btn.setText(_("冲突与疑似重复（{n}）…").format(n=n) if n else _("冲突与疑似重复…"))

    def _trusted(self) -> list[tuple[str, str]]:
        return [(p["site"], p["name"]) for p in self.ctx.store.site_info()["sites"] if p["trusted"]]

    def _done(self, change=None) -> None:
        self.reload()
        if self.changed is not None and change is not None:
            self.changed.emit(change)

    # -- actions -------------------------------------------------------------------------
    def write_card(self) -> None:
        s = self.ctx.store
        path, _f = QFileDialog.getSaveFileName(self, _("导出本站点身份卡"), f"{s.site_id}.zbcard",
                                               _("站点身份卡 (*.zbcard)"))
        if not path:
            return
        try:
            from claims.private import write_private
            write_private(Path(path), s.site_card())
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.status.setText(_("身份卡已导出：{p}。请把它交给对方站点的管理员，并在电话或当面核对指纹 {f}").format(
            p=path, f=s.site_info()["fingerprint"]))

    def trust(self) -> None:
        s = self.ctx.store
        path, _f = QFileDialog.getOpenFileName(self, _("选择对方站点的身份卡"), "", _("站点身份卡 (*.zbcard)"))
        if not path:
            return
        try:
            card = s.read_card(Path(path).read_bytes())
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        ok = QMessageBox.question(self, _("信任站点"), _(
            "站点：{n}（{s}）\n密钥指纹：{f}\n\n请与对方屏幕上“设置 › 数据交换”显示的指纹逐字核对。一致才信任。").format(
            n=card.get("name", ""), s=card["site"], f=card["fingerprint"]))
        if ok != QMessageBox.StandardButton.Yes:
            return
        try:
            s.trust_site(self.ctx.actor, Path(path).read_bytes())
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._done()
        self.status.setText(_("已信任站点 {s}").format(s=card["site"]))

    def export_for_site(self) -> None:
        sites = self._trusted()
        if not sites:
            QMessageBox.information(self, _("为站点导出"), _("还没有受信任的站点：请先交换身份卡"))
            return
        labels = [f"{n}（{s}）" for s, n in sites]
        choice, ok = QInputDialog.getItem(self, _("为站点导出"), _("收件站点"), labels, 0, False)
        if not ok:
            return
        site = sites[labels.index(choice)][0]
        folder = QFileDialog.getExistingDirectory(self, _("保存到（文件夹或U盘）"))
        if not folder:
            return
        self._export(site, Path(folder))

    def _export(self, site: str, folder: Path) -> None:
        from claims.private import write_private
        s = self.ctx.store
        try:
            data, summary = s.export_package(self.ctx.actor, site)
            out = folder / f"{s.site_id}-{site}-{summary['seq']:06d}.zbt"
            write_private(out, data)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        text = _("已导出给站点 {s} 的第 {n} 包：{p}（{u} 项修改）").format(s=site, n=summary["seq"], p=out,
                                                                  u=summary["units"])
        if summary["refused"]:
            text += "\n" + _("未发出（归其他站点管理）：") + "；".join(summary["refused"][:3])
        self.status.setText(text)
        self._done()

    def import_package(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("导入交换包"), "", _("交换包 (*.zbt)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> dict | None:
        from .exchange_dialogs import PreviewDialog
        s = self.ctx.store
        try:
            data = path.read_bytes()
            preview = s.preview_package(self.ctx.actor, data)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        if preview["already"]:
            QMessageBox.information(self, _("导入交换包"), _("这个交换包已经导入过，未做任何改动"))
            return preview
        if not PreviewDialog.ask(self, preview):
            return None
        try:
            result = s.import_package(self.ctx.actor, data)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        from claims.change import Change
        self._done(Change(tables=frozenset(result["tables"]) | {"exchange_conflicts"}, summary=_("已导入交换包")))
        self.status.setText(_("已导入站点 {s} 的第 {n} 包：{u} 项修改；冲突 {c} 项，疑似重复 {d} 对").format(
            s=result["from"], n=result["seq"], u=result["units"], c=result["conflicts"], d=result["duplicates"]))
        return result

    def show_conflicts(self) -> None:
        from .exchange_dialogs import ConflictsDialog
        ConflictsDialog.show_for(self, self.ctx)
        self._done()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("共享文件夹（每个站点一个子文件夹）"))
        if not folder:
            return
        try:
            self.ctx.store.set_exchange_folder(self.ctx.actor, folder)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._done()

    def sync(self, quiet: bool = False) -> None:
        """Off the GUI thread (ui/tasks.py), on the worker's own connection."""
        from .exchange_dialogs import run_sync
        result = run_sync(self, self.ctx, quiet=quiet)
        if result is None:
            return
        self.status.setText(_("共享文件夹：导入 {i} 个，拒绝 {r} 个，发出 {o} 个").format(
            i=len(result["imported"]), r=len(result["refused"]), o=len(result["sent"])))
        if result["imported"]:
            from claims.change import Change
            tables = set().union(*(r["tables"] for _n, r in result["imported"])) | {"exchange_conflicts"}
            self._done(Change(tables=frozenset(tables), summary=_("已从共享文件夹导入")))
        else:
            self._done()
