"""The declaration dialogs: 新建申报, 修改申报单量, 提交申报, 登记缴款. Each is a
form (labels left, fields right, Ctrl+S saves, Esc cancels) whose ``ask``
returns (record, change) or None."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox

from claims.errors import FieldError
from claims.i18n import _
from claims.money import format_yuan, per_order_units_to_str, to_fen
from claims.store.fees import due_date

from ..forms import FormDialog, date_edit, pydate
from ..html import grid
from .common import RATE_TEXT, month_edit, month_of, platform_combo, previous_month, signed
from claims.timeutil import today as china_today

MAX_COUNT = 2_000_000_000


def lines_html(lines) -> str:
    rows = [[l.industry.label, f"{l.orders_recorded:,}", f"{l.orders_declared:,}",
             per_order_units_to_str(l.rate_units) if l.rate_units is not None else _("缺少金额"),
             _(RATE_TEXT.get(l.rate_status, l.rate_status)), format_yuan(l.amount_fen)] for l in lines]
    return grid([_("行业"), _("记录单量"), _("申报单量"), _("每单金额(元)"), _("金额状态"), _("应缴")], rows)


class NewDeclarationDialog(FormDialog):
    save_label = "新建"
    field_keys = {"月份": "month"}

    def __init__(self, parent, ctx, platform_id: str | None = None, today: date | None = None):
        super().__init__(parent, ctx, _("新建缴费申报"))
        self.setMinimumWidth(560)  # room for the preview table beside its label
        combo = platform_combo(ctx.store, actor=ctx.actor)
        if platform_id:
            combo.setCurrentIndex(max(0, combo.findData(platform_id)))
        self.platform = self.add("platform", _("平台"), combo, required=True)
        self.region = self.add("region", _("地区代码"), QLineEdit("310000"), required=True,
                               hint=_("统筹地区六位代码，上海为 310000"))
        self.month = self.add("month", _("申报月份"), month_edit(previous_month(today or china_today())))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.form.addRow(_("按记录计算"), self.preview)
        self.finish()

    def problems(self) -> dict[str, str]:
        out = {}
        if self.platform.currentData() is None:
            out["platform"] = _("请先登记平台")
        region = self.region.text().strip()
        if len(region) != 6 or not region.isdigit():
            out["region"] = _("应为六位数字")
        lines = self._preview(out)
        missing = [l.industry.label for l in lines or [] if l.rate_status == "missing" and l.orders_declared > 0]
        if missing:  # the store refuses it too: say so before the clerk presses the button
            out["month"] = _("{m} 的{i}没有适用的每单缴费金额，不能申报：请管理员先在“缴费 › 每单金额”中录入").format(
                m=month_of(self.month), i="、".join(dict.fromkeys(missing)))
        return out

    def _preview(self, probs):
        if probs:
            self.preview.setText("")
            return None
        try:
            lines = self.ctx.store.compute_lines(self.platform.currentData(), self.region.text().strip(),
                                                 month_of(self.month))
        except Exception:  # noqa: BLE001 - only a preview; saving reports the error
            lines = None
        if not lines:
            self.preview.setText(_("该月没有订单记录或日单量；仍可新建，再按平台申报填写申报单量。"))
        else:
            self.preview.setText(lines_html(lines) + "<p>" + _("应缴合计 {t}").format(
                t=format_yuan(sum(l.amount_fen for l in lines))) + "</p>")
        return lines

    def save(self):
        return self.ctx.store.create_declaration(self.ctx.actor, self.platform.currentData(),
                                                 self.region.text().strip(), month_of(self.month))


class DeclaredCountDialog(FormDialog):
    """One spin box per industry line; the difference to the records is shown as you type."""

    def __init__(self, parent, ctx, declaration):
        super().__init__(parent, ctx, _("修改申报单量 — {n}").format(n=declaration.number))
        self.decl = declaration
        self.record_version, self.record_title = declaration.row_version, declaration.number
        self.spins: dict[str, tuple[QSpinBox, QLabel, int]] = {}
        for l in declaration.lines:
            spin = QSpinBox()
            spin.setRange(0, MAX_COUNT)
            spin.setGroupSeparatorShown(True)
            spin.setValue(l.orders_declared)
            diff = QLabel()
            self.spins[l.industry.value] = (spin, diff, l.orders_recorded)
            self.add(l.industry.value, l.industry.label, spin, hint=_("订单记录 {n:,} 单").format(n=l.orders_recorded))
            self.form.addRow("", diff)
        if not declaration.lines:
            self.form.addRow(QLabel(_("本申报没有行业明细。")))
        self.finish()

    def counts(self) -> dict[str, int]:
        return {ind: spin.value() for ind, (spin, _d, _r) in self.spins.items()}

    @staticmethod
    def _stored_counts(row: dict) -> dict[str, int]:
        import json
        return {l["industry"]: l["orders_declared"] for l in json.loads(row["lines"])}

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        stored = self._stored_counts(current)
        return [(self.fields[ind].label, f"{spin.value():,}", f"{stored.get(ind, 0):,}")
                for ind, (spin, _d, _r) in self.spins.items()]

    def load_record(self, row: dict) -> None:
        for ind, n in self._stored_counts(row).items():
            if ind in self.spins:
                self.spins[ind][0].setValue(n)

    def problems(self) -> dict[str, str]:
        for ind, (spin, label, recorded) in self.spins.items():
            d = spin.value() - recorded
            label.setText(_("与记录差异 {d}").format(d=signed(d)) if d else _("与记录一致"))
            label.setStyleSheet("color:#c0392b;font-weight:bold" if d else "color:#2e7d32")
        changed = {i: n for i, n in self.counts().items()
                   if n != next(l.orders_declared for l in self.decl.lines if l.industry.value == i)}
        return {} if changed else {"counts": _("申报单量没有改动")}

    def save(self):
        return self.ctx.store.set_declared_counts(self.ctx.actor, self.decl.id, self.counts(),
                                                  expected_version=self.record_version)


class SubmitDialog(FormDialog):
    save_label = "提交申报"

    def __init__(self, parent, ctx, declaration, today: date | None = None):
        super().__init__(parent, ctx, _("提交缴费申报 — {n}").format(n=declaration.number))
        self.decl = declaration
        self.record_version, self.record_title = declaration.row_version, declaration.number  # the lines shown
        self.on = self.add("declared_on", _("申报日期"), date_edit(today or china_today(), today or china_today()))
        self.info = info = QLabel(self._summary(declaration))
        info.setWordWrap(True)
        self.form.addRow(_("申报明细"), info)
        flags = {l.rate_status for l in declaration.lines}
        if flags & {"missing", "unconfirmed"}:
            warn = QLabel(_("注意：有的行业缺少每单金额或金额未确认，应缴金额仅供参考，提交后将照此标注。"))
            warn.setWordWrap(True)
            warn.setStyleSheet("color:#b9770e")
            self.form.addRow("", warn)
        self.finish()

    @staticmethod
    def _summary(d) -> str:
        return lines_html(d.lines) + "<p>" + _("应缴合计 <b>{t}</b>，缴款期限 {d}").format(
            t=format_yuan(d.amount_due_fen), d=due_date(d.month).isoformat()) + "</p>"

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        """What is submitted: each line's declared orders and the total, as shown and as stored now."""
        now = self.ctx.store.declaration(self.decl.id)
        stored = {l.industry.value: l for l in now.lines}
        rows = [(l.industry.label, f"{l.orders_declared:,}",
                 f"{stored[l.industry.value].orders_declared:,}" if l.industry.value in stored else "")
                for l in self.decl.lines]
        return rows + [(_("应缴合计"), format_yuan(self.decl.amount_due_fen), format_yuan(now.amount_due_fen))]

    def load_record(self, row: dict) -> None:
        self.decl = self.ctx.store.declaration(self.decl.id)
        self.info.setText(self._summary(self.decl))

    def save(self):
        return self.ctx.store.declare(self.ctx.actor, self.decl.id, pydate(self.on.date()),
                                      expected_version=self.record_version)


class PaymentDialog(FormDialog):
    save_label = "登记"

    def __init__(self, parent, ctx, declaration, today: date | None = None):
        super().__init__(parent, ctx, _("登记缴款 — {n}").format(n=declaration.number))
        self.decl = declaration
        self.record_version, self.record_title = declaration.row_version, declaration.number  # the amounts shown
        self.left = max(0, declaration.amount_due_fen - declaration.amount_paid_fen)
        self.on = self.add("paid_on", _("缴款日期"), date_edit(today or china_today(), today or china_today()))
        self.amount = self.add("amount", _("缴款金额（元）"), QLineEdit(f"{self.left / 100:.2f}" if self.left else ""),
                               required=True, hint=_("应缴 {d}，已缴 {p}，未缴 {l}").format(
                                   d=format_yuan(declaration.amount_due_fen),
                                   p=format_yuan(declaration.amount_paid_fen), l=format_yuan(self.left)))
        self.reference = self.add("reference", _("缴款凭证号"), QLineEdit(), hint=_("税票号、银行流水号等"))
        self.note = QLabel()
        self.note.setStyleSheet("color:#b9770e")
        self.form.addRow("", self.note)
        self.finish()

    def amount_fen(self) -> int:
        return to_fen(self.amount.text(), field=_("缴款金额"))

    def problems(self) -> dict[str, str]:
        try:
            fen = self.amount_fen()
        except FieldError as e:
            self.note.setText("")
            return {"amount": e.detail}
        if fen <= 0:
            return {"amount": _("应大于零")}
        self.note.setText(_("超出未缴金额 {x}，将记为多缴").format(x=format_yuan(fen - self.left))
                          if fen > self.left else "")
        return {}

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        """Another payment (or a correction) came in meanwhile: what was paid and is left, then and now."""
        d, paid = self.decl, current["amount_paid_fen"]
        return [(_("应缴"), format_yuan(d.amount_due_fen), format_yuan(current["amount_due_fen"])),
                (_("已缴"), format_yuan(d.amount_paid_fen), format_yuan(paid)),
                (_("未缴"), format_yuan(self.left), format_yuan(max(0, current["amount_due_fen"] - paid)))]

    def load_record(self, row: dict) -> None:
        self.decl = self.ctx.store.declaration(self.decl.id)
        self.left = max(0, self.decl.amount_due_fen - self.decl.amount_paid_fen)
        self.amount.setText(f"{self.left / 100:.2f}" if self.left else "")

    def save(self):
        return self.ctx.store.record_fee_payment(self.ctx.actor, self.decl.id, paid_on=pydate(self.on.date()),
                                                 amount_fen=self.amount_fen(), reference=self.reference.text(),
                                                 expected_version=self.record_version)

