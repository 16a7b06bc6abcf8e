"""对账: per platform and month, declared orders vs orders in the records vs
amount due vs paid, every difference highlighted with its size. Double-click
drills down: month → station → worker → day. Export to XLSX."""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
                               QVBoxLayout)

from claims import reconcile as R
from claims.errors import ClaimsError
from claims.i18n import _
from claims.money import format_yuan

from ..errors import show_error
from ..sections.base import Section
from ..sorting import make_sortable
from .common import (AMBER, DIFF_BG, RATE_TEXT, RED, Col, RowsModel, month_edit, month_of, platform_combo,
                     previous_month, signed, signed_yuan)
from claims.timeutil import today as china_today


def _diff(get):
    return {"color": lambda r: RED if get(r) else None, "background": lambda r: DIFF_BG if get(r) else None}


MONTH_COLS = [
    Col(_("平台"), lambda r: r.platform), Col(_("地区"), lambda r: r.region), Col(_("月份"), lambda r: r.month),
    Col(_("申报编号"), lambda r: r.declaration_number or "—"),
    Col(_("状态"), lambda r: _(R.STATUS_LABELS[r.status]),
        color=lambda r: RED if r.status in ("overdue", "undeclared") else AMBER if r.status == "partly_paid" else None),
    Col(_("申报单量"), lambda r: f"{r.declared:,}", numeric=True, sort=lambda r: r.declared),
    Col(_("记录单量"), lambda r: f"{r.recorded:,}", numeric=True, sort=lambda r: r.recorded),
    Col(_("单量差异"), lambda r: signed(r.order_diff), numeric=True, sort=lambda r: r.order_diff,
        **_diff(lambda r: r.order_diff)),
    Col(_("应缴（申报）"), lambda r: format_yuan(r.due_fen), numeric=True, sort=lambda r: r.due_fen),
    Col(_("应缴（按记录）"), lambda r: format_yuan(r.recorded_due_fen), numeric=True, sort=lambda r: r.recorded_due_fen,
        color=lambda r: {"missing": RED, "unconfirmed": AMBER}.get(r.rate_flag),
        tip=lambda r: _(R.RATE_LABELS[r.rate_flag]) if r.rate_flag else ""),
    Col(_("金额差异"), lambda r: signed_yuan(r.due_diff), numeric=True, sort=lambda r: r.due_diff,
        **_diff(lambda r: r.due_diff)),
    Col(_("已缴"), lambda r: format_yuan(r.paid_fen), numeric=True, sort=lambda r: r.paid_fen),
    Col(_("未缴"), lambda r: format_yuan(r.outstanding_fen), numeric=True, sort=lambda r: r.outstanding_fen,
        tip=lambda r: _("多缴") if r.outstanding_fen < 0 else "",
        **_diff(lambda r: r.outstanding_fen if r.status != "draft" else 0)),
]


def drill_cols(who: str, masked) -> list[Col]:
    if who == "station":
        first = [Col(_("站点"), lambda r: r.name),
                 Col(_("人数"), lambda r: f"{r.workers:,}", numeric=True, sort=lambda r: r.workers)]
    else:
        first = [Col(_("姓名"), lambda r: r.name), Col(_("身份证号码"), lambda r: masked(r.id_number))]
    return first + [
        Col(_("接单天数"), lambda r: f"{r.days:,}", numeric=True, sort=lambda r: r.days),
        Col(_("订单记录"), lambda r: f"{r.recorded:,}", numeric=True, sort=lambda r: r.recorded),
        Col(_("仅有日单量（无记录）"), lambda r: f"{r.imported_only:,}", numeric=True, sort=lambda r: r.imported_only,
            **_diff(lambda r: r.imported_only)),
        Col(_("按记录应缴"), lambda r: format_yuan(r.recorded_due_fen), numeric=True, sort=lambda r: r.recorded_due_fen,
            color=lambda r: {"missing": RED, "unconfirmed": AMBER}.get(r.rate_status),
            tip=lambda r: _(RATE_TEXT.get(r.rate_status, "")) if r.rate_status else ""),
    ]


DAY_COLS = [
    Col(_("日期"), lambda r: r.day), Col(_("行业"), lambda r: r.industry.label),
    Col(_("计费行业"), lambda r: r.fee_industry.label),
    Col(_("日单量"), lambda r: f"{r.count:,}", numeric=True, sort=lambda r: r.count),
    Col(_("来源"), lambda r: _("订单记录") if r.source == "derived" else _("平台报送日单量")),
    Col(_("订单记录"), lambda r: f"{r.records:,}", numeric=True, sort=lambda r: r.records),
    Col(_("差异"), lambda r: signed(r.difference), numeric=True, sort=lambda r: r.difference,
        **_diff(lambda r: r.difference)),
]


class ReconciliationView(Section):
    title = "对账"
    tables = frozenset({"declarations", "fee_payments", "fee_rates", "orders", "daily_counts"})

    def __init__(self, ctx, parent=None, today: date | None = None):
        super().__init__(ctx, parent)
        self.today = today
        last = previous_month(today or china_today())
        self.platform = platform_combo(ctx.store, _("全部平台"), ctx.actor)
        self.region = QLineEdit("310000")
        self.region.setPlaceholderText(_("全部地区"))
        self.region.setMaximumWidth(90)
        self.month_from = month_edit(date(last.year - (last.month <= 5), (last.month - 6) % 12 + 1, 1))
        self.month_to = month_edit(last)
        self.run_btn = QPushButton(_("对账"))
        self.run_btn.setDefault(True)
        self.run_btn.clicked.connect(self.run)
        self.export_btn = QPushButton(_("导出 XLSX…"))
        self.export_btn.clicked.connect(lambda: self.export())
        top = QHBoxLayout()
        for label, w in ((_("平台"), self.platform), (_("地区"), self.region), (_("月份"), self.month_from),
                         ("—", self.month_to)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        top.addWidget(self.run_btn)
        top.addStretch(1)
        top.addWidget(self.export_btn)
        self.back_btn = QPushButton(_("◀ 返回上一级"))
        self.back_btn.clicked.connect(self.back)
        self.crumb = QLabel()
        self.crumb.setTextFormat(Qt.TextFormat.RichText)
        nav = QHBoxLayout()
        nav.addWidget(self.back_btn)
        nav.addWidget(self.crumb, 1)
        self.model = RowsModel(MONTH_COLS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        make_sortable(self.view, "缴费.对账", ctx)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda idx: self.drill(idx.row()))
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        legend = QLabel(_("红底红字：有差异（数值为 申报 − 记录 或 应缴 − 已缴）；橙字：每单金额未确认。双击一行逐级查看"
                          "站点 → 人员 → 每日。"))
        legend.setStyleSheet("color:#666")
        legend.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(nav)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.totals)
        lay.addWidget(legend)
        self.stack: list[tuple] = []  # drill path: ("month", row), ("station", row), ("worker", row)
        self.month_rows: list[R.ReconRow] = []
        self._loaded = False
        self._show_level()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.run()

    def masked(self, idn: str) -> str:
        return self.ctx.id_text(idn)

    # -- levels ---------------------------------------------------------------------
    def run(self) -> None:
        a, b = month_of(self.month_from), month_of(self.month_to)
        if a > b:
            a, b = b, a
        try:
            self.month_rows = R.reconcile(self.ctx.store, a, b, self.platform.currentData(),
                                          self.region.text().strip() or None, self.today, actor=self.ctx.actor)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._loaded = True
        self.stack = []
        self._show_level()

    def drill(self, row: int) -> None:
        rec = self.model.record(row)
        if rec is None or len(self.stack) >= 3:
            return
        level = ("month", "station", "worker")[len(self.stack)]
        self.stack.append((level, rec))
        try:
            self._show_level()
        except Exception as e:  # noqa: BLE001 - one error path
            self.stack.pop()
            show_error(self, e)

    def back(self) -> None:
        if self.stack:
            self.stack.pop()
            self._show_level()

    def level(self) -> str:
        return ("month", "station", "worker", "day")[len(self.stack)]

    def _show_level(self) -> None:
        s, lvl = self.ctx.store, self.level()
        crumbs = [_("按月")]
        if lvl == "month":
            self.model.cols = MONTH_COLS
            rows = self.month_rows
        else:
            m = self.stack[0][1]
            crumbs.append(_("{p} {m} 地区 {r}").format(p=m.platform, m=m.month, r=m.region))
            if lvl == "station":
                self.model.cols = drill_cols("station", self.masked)
                rows = R.by_station(s, m.platform_id, m.region, m.month, actor=self.ctx.actor)
            elif lvl == "worker":
                st = self.stack[1][1]
                crumbs.append(st.name)
                self.model.cols = drill_cols("worker", self.masked)
                rows = R.by_worker(s, m.platform_id, m.region, m.month, st.key, actor=self.ctx.actor)
            else:
                crumbs += [self.stack[1][1].name, self.stack[2][1].name]
                self.model.cols = DAY_COLS
                rows = R.by_day(s, self.stack[2][1].key, m.platform_id, m.region, m.month, actor=self.ctx.actor)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        crumbs = [html.escape(c) for c in crumbs]  # station and worker names are data, not markup
        self.crumb.setText(" › ".join(crumbs[:-1] + ["<b>" + crumbs[-1] + "</b>"]))
        self.back_btn.setEnabled(bool(self.stack))
        self.totals.setText(self._totals(lvl, rows))

    def _totals(self, lvl: str, rows) -> str:
        if not rows:
            return _("没有数据：请选择平台和月份后点“对账”；该期间没有申报，也没有订单记录或日单量。")
        if lvl == "month":
            diff = [r for r in rows if r.has_difference]
            return _("共 {n} 个平台月：申报 {d:,} 单，记录 {r:,} 单，差异 {x} 单；应缴 {due}，已缴 {paid}，未缴 {left}；"
                     "有差异 {k} 行").format(
                n=len(rows), d=sum(r.declared for r in rows), r=sum(r.recorded for r in rows),
                x=signed(sum(r.order_diff for r in rows)), due=format_yuan(sum(r.due_fen for r in rows)),
                paid=format_yuan(sum(r.paid_fen for r in rows)),
                left=format_yuan(sum(r.outstanding_fen for r in rows)), k=len(diff))
        if lvl == "day":
            return _("{n} 天，日单量 {c:,}，订单记录 {r:,}").format(
                n=len({r.day for r in rows}), c=sum(r.count for r in rows), r=sum(r.records for r in rows))
        return _("{n} 行，订单记录 {r:,} 单，仅有日单量 {i:,} 单").format(
            n=len(rows), r=sum(r.recorded for r in rows), i=sum(r.imported_only for r in rows))

    # -- export ---------------------------------------------------------------------
    def export(self, path: str | Path | None = None) -> Path | None:
        if not self.month_rows:
            show_error(self, ClaimsError(_("没有可导出的对账结果：请先点“对账”")))
            return None
        if path is None:
            name = _("缴费对账_{a}_{b}.xlsx").format(a=self.month_rows[0].month, b=self.month_rows[-1].month)
            from ..files import save_path
            path = save_path(self, "export", _("导出对账结果"), name, _("Excel 文件 (*.xlsx)"))
            if not path:
                return None
        try:
            out = R.export_xlsx(self.month_rows, path, title=_("缴费对账 {a} — {b}").format(
                a=month_of(self.month_from), b=month_of(self.month_to)))
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return None
        from ..files import announce_saved
        announce_saved(self, out, _("已导出"))
        return out

    def refresh(self, change=None) -> None:
        if self._loaded and (change is None or change.tables & self.tables):
            path = list(self.stack)
            self.run()
            try:
                for lvl, rec in path:  # stay where the user was, if the rows are still there
                    match = next(i for i, r in enumerate(self.model.rows) if _same(r, rec))
                    self.drill(match)
            except StopIteration:
                pass


def _same(a, b) -> bool:
    if hasattr(a, "month") and hasattr(b, "month"):
        return (a.platform_id, a.region, a.month) == (b.platform_id, b.region, b.month)
    return getattr(a, "key", None) == getattr(b, "key", None)
