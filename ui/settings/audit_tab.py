"""审计日志 for administrators and reviewers: filter by user, record and date;
the history of one worker or case (type its ID number or case number)."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from claims.audit_text import sentence
from claims.i18n import _

from ..errors import show_error
from ..sorting import make_sortable
from claims.timeutil import today as china_today



class AuditTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("姓名或用户名"))
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
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("序号"), _("时间"), _("事项")])
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        make_sortable(self.table, "设置.操作日志", ctx)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table)

    def user_name(self) -> str:
        """The user typed by name (李经办) or by user name."""
        t = self.user.text().strip()
        for u in self.ctx.store.users():
            if t and t in (u.display_name, u.username):
                return u.username
        return t

    def reload(self) -> None:
        use_dates = not self.any_date.isChecked()
        try:
            rows = self.ctx.store.audit_entries(
                self.ctx.actor, user=self.user_name(), record=self.record.text(),
                date_from=self.date_from.date().toString("yyyy-MM-dd") if use_dates else "",
                date_to=self.date_to.date().toString("yyyy-MM-dd") if use_dates else "", limit=500)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.table.setRowCount(len(rows))
        store, names = self.ctx.store, {}

        def name(table: str, rid: str) -> str:
            if (table, rid) not in names:
                names[table, rid] = store.record_label(table, rid) or (store.display_name(rid) if table == "users"
                                                                       else "")
            return names[table, rid]
        for i, e in enumerate(rows):
            record = name(e.table_name, e.record_id) or gone_name(e) or _("（已删除的记录）")
            text = sentence(e, store.display_name(e.actor), record, name)
            for j, v in enumerate([e.seq, e.at.strftime("%Y-%m-%d %H:%M:%S"), text]):
                it = QTableWidgetItem(str(v))
                if j == 2:
                    it.setToolTip(text)
                self.table.setItem(i, j, it)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.resizeRowsToContents()




def gone_name(entry) -> str:
    """A deleted record is named by what its entries kept (its name or number)."""
    import json
    try:
        changes = json.loads(entry.changes or "{}")
    except ValueError:
        return ""
    for key in ("number", "name"):
        pair = changes.get(key)
        if isinstance(pair, list):
            return str(pair[1] or pair[0] or "")
    return ""
