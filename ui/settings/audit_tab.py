"""审计日志 for administrators and reviewers: filter by user, record and date;
the history of one worker or case (type its ID number or case number)."""
from __future__ import annotations

import json

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from claims.i18n import _

from ..errors import show_error
from claims.timeutil import today as china_today

ACTIONS = {"insert": "新增", "update": "修改", "import": "导入", "approve": "批准", "reveal": "查看完整号码",
           "export": "导出", "login": "登录", "login_failed": "登录失败", "password": "修改密码", "undo": "撤销",
           "password_reset": "重设密码", "encrypt": "加密数据库", "decrypt": "取消数据库加密"}


class AuditTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("用户名"))
        self.record = QLineEdit()
        self.record.setPlaceholderText(_("身份证号、案件号、申报编号或记录 ID"))
        self.date_from = QDateEdit(QDate(china_today()).addMonths(-1), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(QDate(china_today()), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.any_date = QPushButton(_("不限日期"), checkable=True, checked=True)
        go = QPushButton(_("查询"))
        go.clicked.connect(self.reload)
        self.record.returnPressed.connect(self.reload)
        self.user.returnPressed.connect(self.reload)
        top = QHBoxLayout()
        for w in (QLabel(_("用户")), self.user, QLabel(_("记录")), self.record, QLabel(_("日期")), self.date_from,
                  QLabel("—"), self.date_to, self.any_date, go):
            top.addWidget(w)
        top.setStretch(3, 1)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([_("序号"), _("时间"), _("用户"), _("操作"), _("记录"), _("变更内容")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table)

    def reload(self) -> None:
        use_dates = not self.any_date.isChecked()
        try:
            rows = self.ctx.store.audit_entries(
                self.ctx.actor, user=self.user.text(), record=self.record.text(),
                date_from=self.date_from.date().toString("yyyy-MM-dd") if use_dates else "",
                date_to=self.date_to.date().toString("yyyy-MM-dd") if use_dates else "", limit=500)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.table.setRowCount(len(rows))
        for i, e in enumerate(rows):
            changes = json.loads(e.changes)
            text = "；".join(f"{k}: {_short(v[0])} → {_short(v[1])}" for k, v in changes.items()
                            if k not in ("id", "created_at", "updated_at", "site_id", "row_version"))
            for j, v in enumerate([e.seq, e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, ACTIONS.get(e.action, e.action),
                                   f"{e.table_name} {e.record_id[:12]}", text]):
                self.table.setItem(i, j, QTableWidgetItem(str(v)))
        self.table.resizeColumnsToContents()


def _short(v) -> str:
    s = "—" if v is None else str(v)
    return s if len(s) <= 40 else s[:38] + "…"
