"""缴费: monthly declarations per platform and region, their lines and payments."""
from __future__ import annotations

from PySide6.QtGui import QColor

from claims.i18n import _
from claims.money import format_yuan, per_order_units_to_str

from ..html import grid, table, title
from ..table import Column
from .base import ListSection


class FeesSection(ListSection):
    title = "缴费"
    tables = frozenset({"declarations", "fee_payments", "fee_rates", "orders"})
    search_hint = "按申报编号查找　Ctrl+F"

    def columns(self):
        self._plat = {p.id: p.name for p in self.ctx.store.platforms()}
        return [
            Column(_("申报编号"), lambda d: d.number),
            Column(_("平台"), lambda d: self._plat.get(d.platform_id, "?")),
            Column(_("月份"), lambda d: d.month),
            Column(_("状态"), lambda d: d.status.label),
            Column(_("应缴"), lambda d: format_yuan(d.amount_due_fen)),
            Column(_("已缴"), lambda d: format_yuan(d.amount_paid_fen)),
            Column(_("申报与记录差异"), lambda d: self.gap(d) or "",
                   color=lambda d: QColor("#c0392b") if self.gap(d) else None),
        ]

    @staticmethod
    def gap(d) -> int:
        return sum(l.orders_declared - l.orders_recorded for l in d.lines)

    def build_filters(self):
        self.platform_box = self.add_filter(_("平台"), [(_("全部平台"), None)] + [
            (p.name, p.id) for p in self.ctx.store.platforms()])
        self.filters.addStretch(1)

    def fetch(self, offset, limit):
        text = self.search.text().strip()
        rows = self.ctx.store.declarations(offset=offset, limit=limit, platform_id=self.platform_box.currentData())
        return [d for d in rows if text.upper() in d.number] if text else rows

    def count(self):
        return self.ctx.store.count_declarations()

    def describe(self, d) -> str:
        lines = [[l.industry.label, l.orders_recorded, l.orders_declared, l.orders_declared - l.orders_recorded,
                  per_order_units_to_str(l.rate_units) if l.rate_units is not None else "缺少金额",
                  "已确认" if l.rate_status == "confirmed" else "未确认", format_yuan(l.amount_fen)] for l in d.lines]
        return "".join([
            title(d.number, f"{self._plat.get(d.platform_id, '')}　{d.month}　地区 {d.region}"),
            table([(_("状态"), d.status.label), (_("申报日期"), d.declared_on or "—"), (_("申报人"), d.declarant or "—"),
                   (_("应缴合计"), format_yuan(d.amount_due_fen)), (_("已缴"), format_yuan(d.amount_paid_fen)),
                   (_("未缴"), format_yuan(max(0, d.amount_due_fen - d.amount_paid_fen)))]),
            grid([_("行业"), _("记录单量"), _("申报单量"), _("差异"), _("每单金额(元)"), _("金额状态"), _("应缴")], lines),
        ])
