"""申报: the monthly declarations (filter by platform, month and status), one
declaration's lines with the difference to the records highlighted, its
payments, and the actions 新建申报 / 修改申报单量 / 提交申报 / 登记缴款 / 打印."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QToolButton

from claims.enums import DeclarationStatus
from claims.i18n import _
from claims.money import format_yuan, per_order_units_to_str
from claims.store.fees import due_date

from ..errors import show_error
from ..html import h, heading, table, title
from ..sections.listing import ListSection
from ..table import Column
from .common import AMBER, DIFF_BG, RATE_COLOR, RATE_TEXT, RED, signed
from claims.timeutil import today as china_today

# (slot, text, shortcut, tip)
ACTIONS = [
    ("new_declaration", "新建申报", "Ctrl+N", "为一个平台和月份新建缴费申报（草稿）"),
    ("edit_counts", "修改申报单量", "", "按平台申报的单量修改草稿（差异会标出）"),
    ("submit", "提交申报", "", "提交后不能再修改申报单量"),
    ("record_payment", "登记缴款", "", "登记平台缴来的款项（日期、金额、凭证号）"),
]
STATUS_COLOR = {"overdue": RED, "partly_paid": AMBER, "draft": "#666666"}


def late_draft(d, today: date | None = None) -> bool:
    """A draft still not submitted after the month's fees fell due (the 15th of the next month)."""
    return d.status.value == "draft" and (today or china_today()) > due_date(d.month)


def status_text(d) -> str:
    return _("草稿·逾期未提交") if late_draft(d) else d.status.label


def gap(d) -> int:
    """Declared minus recorded orders over all lines."""
    return sum(l.orders_declared - l.orders_recorded for l in d.lines)


class DeclarationsView(ListSection):
    title = "缴费申报"
    tables = frozenset({"declarations", "fee_payments", "fee_rates", "platforms"})
    search_hint = "按申报编号查找　Ctrl+F"

    def __init__(self, ctx, parent=None, today: date | None = None):
        self.today = today
        self._own_change = None
        super().__init__(ctx, parent)

    def columns(self):
        self._plat = {p.id: p.name for p in self.ctx.store.platforms()}
        return [
            Column(_("申报编号"), lambda d: d.number, "number"),
            Column(_("平台"), lambda d: self._plat.get(d.platform_id, "?"), "platform"),
            Column(_("月份"), lambda d: d.month, "month"),
            Column(_("状态"), lambda d: status_text(d), "status", color=lambda d: _qc(RED if late_draft(d) else
                                                                         STATUS_COLOR.get(d.status.value))),
            Column(_("申报单量"), lambda d: f"{sum(l.orders_declared for l in d.lines):,}", "declared", align=_RIGHT),
            Column(_("与记录差异"), lambda d: signed(gap(d)), "gap", align=_RIGHT, color=lambda d: _qc(RED if gap(d) else None)),
            Column(_("应缴"), lambda d: format_yuan(d.amount_due_fen) + _mark(d), "due", align=_RIGHT,
                   color=lambda d: _qc(_rate_color(d))),
            Column(_("已缴"), lambda d: format_yuan(d.amount_paid_fen), "paid", align=_RIGHT),
        ]

    def build_filters(self):
        s = self.ctx.store
        own = self.ctx.actor.platform_id if self.ctx.actor.role == "station_manager" else None
        platforms = [(p.name, p.id) for p in s.platforms() if own is None or p.id == own]
        self.platform_box = self.add_filter(_("平台"), ([] if own else [(_("全部平台"), None)]) + platforms)
        self.month_box = self.add_filter(_("月份"), [(_("全部月份"), None)] + [(m, m) for m in s.declaration_months()])
        self.status_box = self.add_filter(_("状态"), [(_("全部状态"), None)] + [
            (st.label, st.value) for st in DeclarationStatus])
        self.filters.addStretch(1)

    def _filters(self) -> dict:
        return {"platform_id": self.platform_box.currentData(), "month": self.month_box.currentData(),
                "status": self.status_box.currentData(), "search": self.search.text().strip(), "today": self.today,
                "actor": self.ctx.actor}

    def fetch(self, offset, limit):
        return self.ctx.store.declarations(offset=offset, limit=limit, sort=self.model.sort_code,
                                           descending=self.model.descending, **self._filters())

    def count(self):
        return self.ctx.store.count_declarations(**self._filters())

    def empty_text(self) -> str:
        return "<p style='color:#666'>" + _("没有符合条件的缴费申报。点“新建申报”为一个平台和月份建立申报；"
                                            "先在“导入订单”中导入该月的订单记录，申报单量会自动算出。") + "</p>"

    def build_actions(self):
        self.acts: dict[str, QAction] = {}
        for key, text, shortcut, tip in ACTIONS:
            act = QAction(_(text), self)
            act.setToolTip(_(tip) + (_("（{k}）").format(k=shortcut) if shortcut else ""))
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(getattr(self, key))
            self.addAction(act)
            btn = QToolButton()
            btn.setDefaultAction(act)
            self.actions_bar.addWidget(btn)
            self.acts[key] = act
        try:
            from ..printing.actions import install_print_shortcut, print_button
        except ImportError:  # printing not installed: no print button
            pass
        else:
            self.actions_bar.addWidget(print_button(self, self.ctx, "declaration",
                                                    lambda: (self.current() or _Nothing).number or None))
            install_print_shortcut(self, self.ctx, lambda: ("fee_declaration", self.current().number)
                                   if self.current() is not None and self.current().declared_on else None)
        self.actions_bar.addStretch(1)

    def on_select(self, d):
        st = d.status.value if d else None
        self.acts["edit_counts"].setEnabled(st == "draft")
        self.acts["submit"].setEnabled(st == "draft")
        self.acts["record_payment"].setEnabled(st in ("declared", "partly_paid", "overdue"))

    def describe(self, d) -> str:
        s = self.ctx.store
        left = d.amount_due_fen - d.amount_paid_fen
        out = [title(d.number, _("{p}　{m}　地区 {r}").format(p=self._plat.get(d.platform_id, ""), m=d.month, r=d.region)),
               table([(_("状态"), status_text(d)), (_("申报日期"), d.declared_on or "—"),
                      (_("申报人"), s.display_name(d.declarant) if d.declarant else "—"),
                      (_("缴款期限"), due_date(d.month).isoformat()),
                      (_("应缴合计"), format_yuan(d.amount_due_fen)), (_("已缴"), format_yuan(d.amount_paid_fen)),
                      (_("未缴") if left >= 0 else _("多缴"), format_yuan(abs(left)))]),
               heading(_("申报明细")), _lines_table(d.lines)]
        if any(l.rate_status != "confirmed" for l in d.lines):
            out.append("<p style='color:%s'>%s</p>" % (AMBER, h(_(
                "标注“未确认”或“缺少金额”的行业：每单金额尚未确认或没有录入，应缴金额据此计算，仅供参考。"))))
        pays = s.fee_payments(d.id)
        out.append(heading(_("缴款记录")))
        if pays:
            rows = "".join(f"<tr><td>{p.paid_on}</td><td align='right'>{h(format_yuan(p.amount_fen))}</td>"
                           f"<td>{h(p.reference)}</td></tr>" for p in pays)
            out.append(f"<table cellpadding='3'><tr><th align='left'>{h(_('日期'))}</th><th align='right'>"
                       f"{h(_('金额'))}</th><th align='left'>{h(_('凭证号'))}</th></tr>{rows}</table>")
        else:
            out.append("<p style='color:#888'>" + h(_("尚无缴款。")) + "</p>")
        return "".join(out)

    # -- actions -----------------------------------------------------------------------
    def _done(self, out) -> None:
        if not out:
            return
        change = out[1]
        self._own_change = change
        self.refill_months()
        self.reload()
        self.select_id(change.ids)
        self.changed.emit(change)

    def refill_months(self) -> None:
        keep = self.month_box.currentData()
        self.month_box.blockSignals(True)
        self.month_box.clear()
        self.month_box.addItem(_("全部月份"), None)
        for m in self.ctx.store.declaration_months():
            self.month_box.addItem(m, m)
        self.month_box.setCurrentIndex(max(0, self.month_box.findData(keep)))
        self.month_box.blockSignals(False)

    def select_id(self, ids) -> None:
        for r in range(self.model.rowCount()):
            if self.model.record(r).id in ids:
                self.view.selectRow(r)
                return

    def new_declaration(self):
        from .dialogs import NewDeclarationDialog
        self._done(NewDeclarationDialog.ask(self, self.ctx, self.platform_box.currentData(), today=self.today))

    def edit_counts(self):
        from .dialogs import DeclaredCountDialog
        d = self.current()
        if d is not None:
            self._done(DeclaredCountDialog.ask(self, self.ctx, self.ctx.store.declaration(d.id, self.today, actor=self.ctx.actor)))

    def submit(self):
        from .dialogs import SubmitDialog
        d = self.current()
        if d is not None:
            self._done(SubmitDialog.ask(self, self.ctx, self.ctx.store.declaration(d.id, self.today, actor=self.ctx.actor), today=self.today))

    def record_payment(self):
        from .dialogs import PaymentDialog
        d = self.current()
        if d is None:
            return
        try:
            d = self.ctx.store.declaration(d.id, self.today, actor=self.ctx.actor)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self._done(PaymentDialog.ask(self, self.ctx, d, today=self.today))

    def refresh(self, change=None) -> None:
        if change is not None and change is self._own_change:
            return
        if change is None or change.tables & {"platforms"}:
            self._plat = {p.id: p.name for p in self.ctx.store.platforms()}
        super().refresh(change)


class _Nothing:
    number = None


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _qc(c):
    return QColor(c) if c else None


def _rate_color(d):
    flags = {l.rate_status for l in d.lines}
    return RED if "missing" in flags else AMBER if "unconfirmed" in flags else None


def _mark(d) -> str:
    flags = {l.rate_status for l in d.lines}
    return _("（缺金额）") if "missing" in flags else _("（未确认）") if "unconfirmed" in flags else ""


def _lines_table(lines) -> str:
    if not lines:
        return "<p style='color:#888'>" + h(_("（无明细：该月没有记录。可用“修改申报单量”按平台申报填写。）")) + "</p>"
    head = [_("行业"), _("记录单量"), _("申报单量"), _("差异"), _("每单金额(元)"), _("金额状态"), _("应缴")]
    out = ["<table cellspacing='0' cellpadding='3'><tr>"] + [
        f"<th align='{'left' if i in (0, 5) else 'right'}' style='border-bottom:1px solid #ccc'>{h(x)}</th>"
        for i, x in enumerate(head)] + ["</tr>"]
    for l in lines:
        d = l.orders_declared - l.orders_recorded
        diff_style = f" style='background:{DIFF_BG};color:{RED};font-weight:bold'" if d else ""
        rc = RATE_COLOR.get(l.rate_status)
        rate_style = f" style='color:{rc};font-weight:bold'" if rc else ""
        rate = per_order_units_to_str(l.rate_units) if l.rate_units is not None else "—"
        out.append(f"<tr><td>{h(l.industry.label)}</td><td align='right'>{l.orders_recorded:,}</td>"
                   f"<td align='right'>{l.orders_declared:,}</td><td align='right'{diff_style}>{h(signed(d))}</td>"
                   f"<td align='right'{rate_style}>{h(rate)}</td><td{rate_style}>{h(_(RATE_TEXT[l.rate_status]))}</td>"
                   f"<td align='right'>{h(format_yuan(l.amount_fen))}</td></tr>")
    out.append("</table>")
    return "".join(out)
