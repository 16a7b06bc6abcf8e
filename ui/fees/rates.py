"""每单金额: the per-order fee amounts as dated data (industry, region, platform
tier, valid from/to, amount, source, status). Administrators add and edit
them (every change audited by the store); everyone else sees them read-only."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableView, QVBoxLayout)

from claims.enums import Industry
from claims.errors import FieldError
from claims.i18n import _
from claims.money import per_order_units_to_str
from claims.permissions import allowed
from claims.store.fees import parse_per_order

from ..forms import FormDialog, date_edit, pydate, qdate
from ..sections.base import Section
from ..sorting import make_sortable
from .common import AMBER, RATE_TEXT, Col, RowsModel

COLS = [
    Col(_("行业"), lambda r: r.industry.label), Col(_("地区"), lambda r: _("全国") if r.region == "000000" else r.region),
    Col(_("平台等级"), lambda r: r.tier or "—"),
    Col(_("适用期间"), lambda r: f"{r.valid_from} — {r.valid_to or _('至今')}", sort=lambda r: str(r.valid_from)),
    Col(_("每单金额(元)"), lambda r: per_order_units_to_str(r.amount_units), numeric=True, sort=lambda r: r.amount_units),
    Col(_("状态"), lambda r: _(RATE_TEXT[r.status.value]), color=lambda r: AMBER if r.status.value != "confirmed" else None),
    Col(_("来源"), lambda r: r.source),
]


class RateDialog(FormDialog):
    field_keys = {"适用期间": "valid_from"}
    record_columns = {"amount": "amount_units"}

    def __init__(self, parent, ctx, rate=None):
        super().__init__(parent, ctx, _("修改每单缴费金额") if rate else _("新增每单缴费金额"))
        self.rate = rate
        self.industry = QComboBox()
        for i in Industry:
            self.industry.addItem(i.label, i.value)
        self.add("industry", _("行业"), self.industry)
        self.region = self.add("region", _("地区代码"), QLineEdit("310000"), required=True, hint=_("000000 为全国基准"))
        self.tier = self.add("tier", _("平台等级"), QLineEdit(), hint=_("省市按支缴率给平台分级时填写；一般留空"))
        self.start = self.add("valid_from", _("起始日期"), date_edit(date(2022, 7, 1)))
        end_row = QHBoxLayout()
        self.open_end = QCheckBox(_("至今有效"))
        self.open_end.setChecked(True)
        self.end = date_edit(date(2025, 6, 30))
        self.end.setEnabled(False)
        self.open_end.toggled.connect(lambda on: self.end.setEnabled(not on))
        end_row.addWidget(self.open_end)
        end_row.addWidget(self.end, 1)
        self.add("valid_to", _("截止日期"), end_row, inputs=[self.open_end, self.end])
        self.amount = self.add("amount", _("每单金额（元）"), QLineEdit(), required=True,
                               hint=_("最多四位小数，例如 0.07 或 0.0450"))
        self.status = QComboBox()
        self.status.addItem(_("未确认"), "unconfirmed")
        self.status.addItem(_("已确认"), "confirmed")
        self.add("status", _("状态"), self.status, hint=_("未见公开文件的金额请选“未确认”，据此算出的缴费都会标注"))
        self.source = self.add("source", _("来源"), QLineEdit(), required=True, empty=_("请注明来源"),
                               hint=_("文件号，或“管理员录入，待核实”"))
        if rate is not None:
            self.record_version = rate.row_version
            self.load_record({"industry": rate.industry.value, "region": rate.region, "tier": rate.tier,
                              "valid_from": rate.valid_from.isoformat(),
                              "valid_to": rate.valid_to.isoformat() if rate.valid_to else None,
                              "amount_units": rate.amount_units, "status": rate.status.value, "source": rate.source})
        self.finish()

    def load_record(self, row: dict) -> None:
        self.industry.setCurrentIndex(self.industry.findData(row["industry"]))
        self.region.setText(row["region"])
        self.tier.setText(row["tier"])
        self.start.setDate(qdate(date.fromisoformat(row["valid_from"])))
        self.open_end.setChecked(row["valid_to"] is None)
        if row["valid_to"]:
            self.end.setDate(qdate(date.fromisoformat(row["valid_to"])))
        self.amount.setText(per_order_units_to_str(row["amount_units"]))
        self.status.setCurrentIndex(self.status.findData(row["status"]))
        self.source.setText(row["source"])

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        def text(v: dict) -> list[str]:
            return [Industry(v["industry"]).label, v["region"], v["tier"], v["valid_from"], v["valid_to"] or _("至今有效"),
                    per_order_units_to_str(v["amount_units"]), _(RATE_TEXT[v["status"]]), v["source"]]
        labels = [_("行业"), _("地区代码"), _("平台等级"), _("起始日期"), _("截止日期"), _("每单金额"), _("状态"), _("来源")]
        try:
            mine = text(self.values())
        except FieldError:
            mine = [""] * len(labels)
        return list(zip(labels, mine, text(current)))

    def values(self) -> dict:
        return {"industry": self.industry.currentData(), "region": self.region.text().strip(),
                "tier": self.tier.text().strip(), "valid_from": pydate(self.start.date()).isoformat(),
                "valid_to": None if self.open_end.isChecked() else pydate(self.end.date()).isoformat(),
                "amount_units": parse_per_order(self.amount.text()), "status": self.status.currentData(),
                "source": self.source.text().strip()}

    def problems(self) -> dict[str, str]:
        out = {}
        r = self.region.text().strip()
        if len(r) != 6 or not r.isdigit():
            out["region"] = _("应为六位数字")
        if not self.open_end.isChecked() and self.end.date() < self.start.date():
            out["valid_to"] = _("早于起始日期")
        try:
            parse_per_order(self.amount.text())
        except FieldError as e:
            out["amount"] = e.detail
        return out

    def save(self):
        s, v = self.ctx.store, self.values()
        if self.rate is None:
            return s.add_fee_rate(self.ctx.actor, **v)
        return s.update_fee_rate(self.ctx.actor, self.rate.id, expected_version=self.record_version, **v)


class RatesView(Section):
    title = "每单金额"
    tables = frozenset({"fee_rates"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.may_edit = allowed(ctx.actor.role, "fee_rate.write")
        self.model = RowsModel(COLS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        make_sortable(self.view, "缴费.每单金额", ctx)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.add_btn = QPushButton(_("新增金额…"))
        self.edit_btn = QPushButton(_("修改…"))
        self.add_btn.clicked.connect(self.add)
        self.edit_btn.clicked.connect(self.edit)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        note = QLabel(_("每单缴费金额按订单日期和地区选取；“未确认”的金额算出的缴费在申报中标注。") + (
            "" if self.may_edit else _("　只有管理员可以维护，您只能查看。")))
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")
        bar = QHBoxLayout()
        bar.addWidget(self.add_btn)
        bar.addWidget(self.edit_btn)
        bar.addWidget(note, 1)
        for b in (self.add_btn, self.edit_btn):
            b.setEnabled(self.may_edit)
            if not self.may_edit:
                b.setToolTip(_("只有管理员可以维护每单缴费金额"))
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.refresh()

    def current(self):
        idx = self.view.currentIndex()
        return self.model.record(idx.row()) if idx.isValid() else None

    def add(self) -> None:
        self._done(RateDialog.ask(self, self.ctx))

    def edit(self) -> None:
        r = self.current()
        if r is not None and self.may_edit:
            self._done(RateDialog.ask(self, self.ctx, r))

    def _done(self, out) -> None:
        if out:
            self.refresh()
            self.changed.emit(out[1])

    def refresh(self, change=None) -> None:
        if change is None or change.tables & self.tables:
            self.model.set_rows(self.ctx.store.fee_rates())
            self.view.resizeColumnsToContents()
