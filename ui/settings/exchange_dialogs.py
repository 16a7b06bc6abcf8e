"""The dialogs of 设置 › 数据交换: the preview of a package before it is
applied (per table, per record), the conflict screen (field by field: this
site's value beside the other site's; keep mine, take theirs, or edit), the
probable duplicates to merge, and the shared folder's round off the GUI thread."""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from claims.errors import StaleRecord
from claims.i18n import _

from ..conflict import show_stale
from ..errors import show_error
from ..widgets import readonly_table

TABLE = {"workers": "人员", "platforms": "平台", "stations": "站点", "enrollments": "参保登记", "orders": "订单",
         "other_cover": "其他保障", "cases": "案件", "case_events": "案件经过", "case_documents": "案件材料",
         "decisions": "结论书", "appraisals": "鉴定结论", "assessments": "待遇核定", "benefit_payments": "待遇支付",
         "missing_notices": "补正告知", "dependants": "供养亲属", "advances": "垫付", "parameters": "参数",
         "fee_rates": "每单缴费金额", "users": "用户", "holiday_calendar": "节假日", "situation_texts": "确认情形",
         "declarations": "申报", "fee_payments": "缴费", "exchange_conflicts": "冲突记录",
         "exchange_duplicates": "疑似重复人员"}


def _fill(table, rows) -> None:
    table.setRowCount(len(rows))
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            table.setItem(i, j, QTableWidgetItem("—" if v is None else str(v)))
    table.resizeColumnsToContents()


class PreviewDialog(QDialog):
    """What a package will change, before anything is written."""

    def __init__(self, preview: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("导入交换包：预览"))
        head = QLabel(_("来自站点 {s} 的第 {n} 包：{u} 项修改将被应用，{p} 项此前已有。冲突 {c} 项，疑似重复人员 {d} 对。").format(
            s=preview["from"], n=preview["seq"], u=preview["units"], p=preview["present_units"],
            c=preview["conflicts"], d=preview["duplicates"]))
        head.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        if preview.get("gap"):
            gap = QLabel(_("尚未收到该站点的第 {a}–{b} 包：其内容已包含在本包中，或将随下一包送达。").format(
                a=preview["gap"][0], b=preview["gap"][1]))
            gap.setStyleSheet("color: #a15c00")
            lay.addWidget(gap)
        self.tables = readonly_table([_("表"), _("新增"), _("修改"), _("删除"), _("已有"), _("冲突")])
        _fill(self.tables, [[_(TABLE.get(t, t)), c["added"], c["changed"], c["deleted"], c["present"], c["conflicts"]]
                            for t, c in sorted(preview["tables"].items())])
        self.records = readonly_table([_("表"), _("记录")])
        _fill(self.records, [[_(t), _mask(r)] for t, r in preview.get("records", [])])
        lay.addWidget(QLabel(_("按表")))
        lay.addWidget(self.tables)
        lay.addWidget(QLabel(_("按记录")))
        lay.addWidget(self.records, 1)
        buttons = QDialogButtonBox()
        self.apply_btn = buttons.addButton(_("应用"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 520)

    @classmethod
    def ask(cls, parent, preview: dict) -> bool:
        return cls(preview, parent).exec() == QDialog.DialogCode.Accepted


def _mask(text: str) -> str:
    """ID numbers are masked on screen until revealed: the last four digits are enough to recognise a record."""
    return f"{text[:3]}***********{text[-4:]}" if len(text) == 18 and text[:17].isdigit() else text


class ConflictsDialog(QDialog):
    """Field by field: this site's value beside the other site's; keep mine, take theirs, or edit."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("冲突与疑似重复"))
        tabs = QTabWidget()
        page = QWidget()
        self.table = readonly_table([_("记录"), _("项目"), _("现用的值"), _("被取代的值"), _("被取代的值来自")], stretch=None)
        self.keep_btn = QPushButton(_("保留现用的值"))
        self.take_btn = QPushButton(_("改用被取代的值"))
        self.edit_btn = QPushButton(_("改为…"))
        self.keep_btn.clicked.connect(lambda: self.decide("keep"))
        self.take_btn.clicked.connect(lambda: self.decide("take"))
        self.edit_btn.clicked.connect(lambda: self.decide("edit"))
        row = QHBoxLayout()
        for b in (self.keep_btn, self.take_btn, self.edit_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        note = QLabel(_("两个站点同时修改了同一项：各站点已统一采用较晚的修改（现用的值），被取代的值列在旁边。"
                        "请决定保留哪一个，或改为别的值；决定会随下一个交换包送到其他站点。"))
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        tabs.addTab(page, _("冲突"))
        dpage = QWidget()
        self.dups = readonly_table([_("原因"), _("人员甲"), _("人员乙")])
        self.keep_a = QPushButton(_("合并，保留甲"))
        self.keep_b = QPushButton(_("合并，保留乙"))
        self.not_same = QPushButton(_("不是同一人"))
        self.keep_a.clicked.connect(lambda: self.merge("a"))
        self.keep_b.clicked.connect(lambda: self.merge("b"))
        self.not_same.clicked.connect(lambda: self.merge(None))
        drow = QHBoxLayout()
        for b in (self.keep_a, self.keep_b, self.not_same):
            drow.addWidget(b)
        drow.addStretch(1)
        dl = QVBoxLayout(dpage)
        dl.addWidget(self.dups, 1)
        dl.addLayout(drow)
        tabs.addTab(dpage, _("疑似重复人员"))
        close = QDialogButtonBox()
        close.addButton(_("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        main = QVBoxLayout(self)
        main.addWidget(tabs)
        main.addWidget(close)
        self.resize(820, 480)
        self.reload()

    def reload(self) -> None:
        self.items = self.ctx.store.open_conflicts()
        here = self.ctx.store.site_id
        _fill(self.table, [[f"{_(c['label'])} {_mask(str(c['record']))}", _(c["field_label"]), c["ours"], c["theirs"],
                            _("本站点") if c["site"] == here else c["site"]] for c in self.items])
        self.dup_items = self.ctx.store.open_duplicates()
        _fill(self.dups, [[_(d["reason"]), f"{d['a']['name']} {_mask(d['a']['id_number'])} {d['a']['phone']}",
                           f"{d['b']['name']} {_mask(d['b']['id_number'])} {d['b']['phone']}"] for d in self.dup_items])
        for b in (self.keep_btn, self.take_btn, self.edit_btn):
            b.setEnabled(bool(self.items))
        for b in (self.keep_a, self.keep_b, self.not_same):
            b.setEnabled(bool(self.dup_items))
        if self.items:
            self.table.selectRow(0)
        if self.dup_items:
            self.dups.selectRow(0)

    def decide(self, how: str) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        c = self.items[row]
        value = c["ours"] if how == "keep" else c["theirs"]
        if how == "edit":
            text, ok = QInputDialog.getText(self, _("改为"), _(c["field_label"]), text="" if c["ours"] is None
                                            else str(c["ours"]))
            if not ok:
                return
            value = text
        try:  # decided on the value shown: a record changed since is refused, and the latest shown
            self.ctx.store.decide_conflict(self.ctx.actor, c["id"], value, expected_version=c["version"])
        except StaleRecord as e:
            show_stale(self, self.ctx.store, e)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
        self.reload()

    def merge(self, keep: str | None) -> None:
        row = self.dups.currentRow()
        if row < 0:
            return
        d = self.dup_items[row]
        try:
            if keep is None:
                self.ctx.store.dismiss_duplicate(self.ctx.actor, d["id"])
            else:
                if QMessageBox.question(self, _("合并人员"), _("把另一位的参保、订单和案件并入保留的一位，并删除另一位？"
                                                            "此操作记入审计日志，并随交换包送到其他站点。")) \
                        != QMessageBox.StandardButton.Yes:
                    return
                self.ctx.store.merge_workers(self.ctx.actor, d["id"], d[keep]["id"])
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
        self.reload()

    @classmethod
    def show_for(cls, parent, ctx) -> None:
        cls(ctx, parent).exec()


def run_sync(parent, ctx, *, quiet: bool = False) -> dict | None:
    """The shared folder's round (claims/store/exchange/folder.py) in a worker thread with
    its own connection, with progress; None when there is no folder or it failed."""
    from pathlib import Path

    from claims.store.exchange.folder import sync_folder

    from ..tasks import run_task
    store, actor = ctx.store, ctx.actor
    folder = store.meta_get("exchange.folder")
    if not folder:
        return None
    db, site = store.path, store.site_id

    def work(progress, cancelled):
        from claims.store import Store
        own = Store(db, site)  # SQLite connections are per thread
        try:
            return sync_folder(own, actor, Path(folder), progress, cancelled)
        finally:
            own.close()
    try:
        return run_task(parent, _("共享文件夹收发"), work)
    except Exception as e:  # noqa: BLE001 - one error path
        if not quiet:
            show_error(parent, e)
        return None
