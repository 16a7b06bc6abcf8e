"""接单查询 (the coverage question): was this worker taking an order for this
platform at this moment, and on this day? The orders in progress, the
nearest before and after, and the day's orders — the order proof of a case."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtWidgets import (QDateTimeEdit, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QTextBrowser,
                               QVBoxLayout)

from claims.i18n import _
from claims.timeutil import SHANGHAI

from ..errors import show_error
from ..html import h, heading
from ..sections.base import Section
from .common import platform_combo
from claims.timeutil import now as china_now

GREEN, RED, GREY = "#2e7d32", "#c0392b", "#666"


class CoverageView(Section):
    title = "接单查询"
    tables = frozenset({"orders", "daily_counts", "workers"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(_("18 位身份证号码"))
        self.id_edit.setMaxLength(18)
        self.id_edit.returnPressed.connect(self.lookup)
        self.platform = platform_combo(ctx.store, _("全部平台"), ctx.actor)
        n = china_now()  # China time, whatever the PC's zone
        self.when = QDateTimeEdit(QDateTime(QDate(n.year, n.month, n.day), QTime(n.hour, n.minute)))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.go = QPushButton(_("查询"))
        self.go.setDefault(True)
        self.go.clicked.connect(self.lookup)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(_("身份证号码"), self.id_edit)
        form.addRow(_("平台"), self.platform)
        row = QHBoxLayout()
        row.addWidget(self.when)
        row.addWidget(self.go)
        row.addStretch(1)
        form.addRow(_("时间（上海时间）"), row)
        self.result = QTextBrowser()
        self.result.setOpenLinks(False)
        self.result.setHtml("<p style='color:%s'>%s</p>" % (GREY, h(_(
            "输入人员的身份证号码和事故时间，查询该时刻是否正在执行平台订单（订单证明），以及当天的接单情况。"))))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.result, 1)

    def moment(self) -> datetime:
        q = self.when.dateTime()
        d, t = q.date(), q.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)

    def set_query(self, id_number: str, moment: datetime, platform_id: str | None = None) -> None:
        self.id_edit.setText(id_number)
        m = moment.astimezone(SHANGHAI)
        self.when.setDateTime(QDateTime(m.year, m.month, m.day, m.hour, m.minute, 0))
        self.platform.setCurrentIndex(max(0, self.platform.findData(platform_id)))

    def lookup(self) -> None:
        s = self.ctx.store
        try:
            w = s.worker_by_id_number(self.id_edit.text(), actor=self.ctx.actor)
            if w is None:
                self.result.setHtml("<p style='color:%s'>%s</p>" % (RED, h(_("没有登记身份证号码为 {i} 的人员。").format(
                    i=self.id_edit.text().strip()))))
                return
            pid = self.platform.currentData()
            at = s.orders_at(w.id, self.moment(), pid, actor=self.ctx.actor)
            day = s.worked_on(w.id, self.moment().date(), pid, actor=self.ctx.actor)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.result.setHtml(self.describe(w, at, day))

    def describe(self, w, at, day) -> str:
        plats = {p.id: p.name for p in self.ctx.store.platforms()}
        idn = self.ctx.id_text(w.id_number, w.id)
        m = self.moment()
        out = [f"<h3 style='margin:0'>{h(w.name)}　<span style='color:{GREY}'>{h(idn)}</span></h3>"]
        if at["in_progress"]:
            out.append(f"<p style='color:{GREEN};font-size:13pt'><b>" + h(_("{t} 正在执行平台订单。").format(
                t=m.strftime("%Y-%m-%d %H:%M"))) + "</b></p>")
            out.append(self._orders(at["in_progress"], plats))
        else:
            out.append(f"<p style='color:{RED};font-size:13pt'><b>" + h(_("{t} 没有进行中的订单记录。").format(
                t=m.strftime("%Y-%m-%d %H:%M"))) + "</b></p>")
            near = [o for o in (at["before"], at["after"]) if o is not None]
            out.append(heading(_("最近的订单（之前 / 之后）")))
            out.append(self._orders(near, plats) if near else "<p>" + h(_("没有任何订单记录。")) + "</p>")
        out.append(heading(_("{d} 当天").format(d=day["day"])))
        if day["orders"]:
            src = {"derived": _("订单记录"), "imported": _("平台报送日单量")}
            lines = "；".join(_("{p} {i} {n} 单（{s}）").format(p=plats.get(p, "?"), i=_ind(i), n=n, s=src.get(s, s))
                             for p, i, n, s in day["counts"])
            out.append("<p>" + h(_("当天接单 {n} 单：").format(n=day["orders"]) + lines) + "</p>")
            out.append(self._orders(day["records"], plats))
        else:
            out.append(f"<p style='color:{RED}'>" + h(_("当天没有接单。")) + "</p>")
        return "".join(out)

    @staticmethod
    def _orders(orders, plats) -> str:
        if not orders:
            return ""
        head = "".join(f"<th align='left' style='border-bottom:1px solid #ccc'>{h(x)}</th>"
                       for x in (_("订单号"), _("平台"), _("行业"), _("接单时间"), _("完成时间")))
        body = "".join(
            f"<tr><td>{h(o.order_no)}</td><td>{h(plats.get(o.platform_id, '?'))}</td><td>{h(o.industry.label)}</td>"
            f"<td>{o.accepted_at:%Y-%m-%d %H:%M:%S}</td><td>"
            + (f"{o.finished_at:%Y-%m-%d %H:%M:%S}" if o.finished_at else h(_("（未完成或已取消）"))) + "</td></tr>"
            for o in orders)
        return f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"

    def refresh(self, change=None) -> None:
        if change is not None and change.tables & {"platforms"}:
            keep = self.platform.currentData()
            self.platform.clear()
            if self.ctx.actor.role != "station_manager":
                self.platform.addItem(_("全部平台"), None)
            for p in self.ctx.store.platforms(actor=self.ctx.actor):
                self.platform.addItem(p.name, p.id)
            self.platform.setCurrentIndex(max(0, self.platform.findData(keep)))


def _ind(code: str) -> str:
    from claims.enums import Industry
    return Industry(code).label
