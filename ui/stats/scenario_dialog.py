"""The 政策测算 scenario editor: the rules in force copied into a form —
per-order amounts, benefit rules, parameters, coverage — that an analyst
changes. Only what differs from the rules in force is kept in the scenario,
so an unchanged scenario gives exactly the actual figures."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
                               QTableWidget, QTabWidget, QVBoxLayout, QWidget)

from claims.enums import Industry
from claims.errors import ClaimsError, FieldError
from claims.i18n import _
from claims.parameters import PARAMETER_LABELS, ruleset_for
from claims.timeutil import today as china_today
from claims.whatif.scenario import PARAMETERS, parse

FEE_COLS = [_("行业"), _("起始月份"), _("截止月份（可空）"), _("平台档次（可空）"), _("每单金额（元）")]
COVER_COLS = [_("行业名称"), _("导入代码"), _("起始月份"), _("人数"), _("每人每月单量"), _("每单金额（元）"), _("每月待遇支出（元）")]
RULES = [  # (item code, field, keys, label, suffix)
    ("one_off_disability", "months_by_grade", list(range(1, 11)), _("一次性伤残补助金"), _("个月")),
    ("disability_allowance", "pct_by_grade", [1, 2, 3, 4], _("伤残津贴"), "%"),
    ("one_off_grade5_6", "months_by_grade", [5, 6], _("五级、六级一次性津贴"), _("个月")),
    ("nursing_care", "pct_by_care_level", ["full", "most", "partial"], _("生活护理费"), "%"),
    ("dependant_pension", "pct_by_relation", ["spouse", "other"], _("供养亲属抚恤金"), "%"),
]
KEY_LABELS = {"full": _("完全"), "most": _("大部分"), "partial": _("部分"), "spouse": _("配偶"), "other": _("其他亲属")}
MULTIPLES = [("funeral_grant", _("丧葬补助金（倍数）")), ("one_off_death", _("一次性死亡补助金（倍数）"))]
# How a scenario key reads on screen (an error names the field, never the key).
WORDS = {"name": _("方案名称"), "note": _("说明"), "fee_per_order": _("每单金额"), "coverage": _("新增覆盖"),
         "item_rules": _("待遇规则"), "parameters": _("参数"), "industry": _("行业"), "from": _("起始月份"),
         "to": _("截止月份"), "amount": _("每单金额"), "tier": _("平台档次"), "workers": _("人数"),
         "orders_per_worker_month": _("每人每月单量"), "benefits_per_month": _("每月待遇支出"),
         **{p: PARAMETER_LABELS.get(p, p) for p in PARAMETERS}}


def key_words(key: str) -> str:
    """``fee_per_order[1].amount`` -> 每单金额第 2 行 · 每单金额."""
    import re
    out = []
    for part in key.split("."):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if m:
            out.append(_("{w}第 {n} 行").format(w=WORDS.get(m[1], m[1]), n=int(m[2]) + 1))
        else:
            out.append(WORDS.get(part, part))
    return " · ".join(out)


class ScenarioDialog(QDialog):
    """Edit a scenario (a dict as the ``whatif`` command reads it); ``ask`` returns it, or None."""

    def __init__(self, parent, store, body: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("政策测算方案"))
        self.store = store
        self.result: dict | None = None
        body = dict(body or {})
        today = china_today()
        self.rs = ruleset_for(today)
        lay = QVBoxLayout(self)
        top = QFormLayout()
        self.name = QLineEdit(body.get("name", ""))
        self.name.setPlaceholderText(_("如：即时配送每单 0.10 元"))
        self.note = QLineEdit(body.get("note", ""))
        top.addRow(_("方案名称"), self.name)
        top.addRow(_("说明"), self.note)
        lay.addLayout(top)
        hint = QLabel(_("下面各项已填入现行规则；改动哪一项，方案就只改哪一项，其余按实际计算。"))
        hint.setStyleSheet("color:#666")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)
        self._fees_tab(body, today)
        self._rules_tab(body)
        self._params_tab(body)
        self._coverage_tab(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("保存方案"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(820, 560)

    # -- per-order amounts -------------------------------------------------------------
    def _fees_tab(self, body: dict, today) -> None:
        w = QWidget()
        v = QVBoxLayout(w)
        self.fees = QTableWidget(0, len(FEE_COLS))
        self.fees.setHorizontalHeaderLabels(FEE_COLS)
        self.fees.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fees.verticalHeader().setVisible(False)
        self.in_force: list[tuple] = []
        from claims.industries import fee_industry
        seen = set()
        for ind in Industry:
            fi = fee_industry(ind.value, today.isoformat())
            r = self.store.rate_for(fi, "310000", today.isoformat())
            if fi in seen or r is None:
                continue
            seen.add(fi)
            row = (fi, f"{r.valid_from:%Y-%m}", "", "", _units_text(r.amount_units))
            self.in_force.append(row)
        given = [(f["industry"], f["from"], f.get("to") or "", f.get("tier") or "", str(f["amount"]))
                 for f in body.get("fee_per_order", [])]
        for row in self.in_force:
            self._fee_row(*row)
        for g in given:  # a saved change of an amount in force shows in its row; anything else is a row of its own
            hit = next((i for i in range(self.fees.rowCount()) if self._fee_values(i)[:4] == g[:4]), None)
            if hit is None:
                self._fee_row(*g)
            else:
                self.fees.cellWidget(hit, 4).setText(g[4])
        bar = QHBoxLayout()
        add = QPushButton(_("添加一行"))
        add.clicked.connect(lambda: self._fee_row(Industry.instant_delivery.value, f"{today:%Y}-01", "", "", ""))
        drop = QPushButton(_("删除所选行"))
        drop.clicked.connect(lambda: self.fees.removeRow(self.fees.currentRow()) if self.fees.currentRow() >= 0 else None)
        bar.addWidget(add)
        bar.addWidget(drop)
        bar.addStretch(1)
        note = QLabel(_("每单金额自起始月份起适用于该行业各月申报的单量（填了平台档次的，只适用于该档平台）；"
                        "测算按申报单量 × 每单金额、每行四舍五入到分一次。"))
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")
        v.addWidget(self.fees, 1)
        v.addLayout(bar)
        v.addWidget(note)
        self.tabs.addTab(w, _("每单金额"))

    def _fee_row(self, industry: str, start: str, end: str, tier: str, amount: str) -> None:
        i = self.fees.rowCount()
        self.fees.insertRow(i)
        box = QComboBox()
        for ind in Industry:
            box.addItem(ind.label, ind.value)
        box.setCurrentIndex(max(0, box.findData(industry)))
        self.fees.setCellWidget(i, 0, box)
        for c, text in enumerate((start, end, tier, amount), 1):
            self.fees.setCellWidget(i, c, QLineEdit(text))

    def _fee_values(self, i: int) -> tuple:
        return (self.fees.cellWidget(i, 0).currentData(),
                *(self.fees.cellWidget(i, c).text().strip() for c in range(1, 5)))

    # -- benefit rules -----------------------------------------------------------------
    def _rules_tab(self, body: dict) -> None:
        w = QWidget()
        grid = QGridLayout(w)
        given = body.get("item_rules", {})
        months7 = body.get("one_off_disability_months", {})
        self.rule_boxes: dict[tuple[str, str, object], QSpinBox] = {}
        row = 0
        for code, fld, keys, label, suffix in RULES:
            item = self.rs.items.get(code)
            current = getattr(item, fld) or {} if item else {}
            grid.addWidget(QLabel(label), row, 0)
            for j, k in enumerate(keys):
                box = QSpinBox()
                box.setRange(0, 240)
                box.setSuffix(" " + suffix)
                base = current.get(k)
                override = (given.get(code, {}).get(fld, {}) or {}).get(str(k))
                if code == "one_off_disability" and str(k) in months7:
                    override = months7[str(k)]
                box.setValue(int(Decimal(str(override if override is not None else base or 0))))
                box.setProperty("base", int(Decimal(str(base or 0))))
                box.setAccessibleName(f"{label} {k}")
                cap = QLabel(_("{k}级").format(k=k) if isinstance(k, int) else KEY_LABELS[k])
                cap.setStyleSheet("color:#555")
                grid.addWidget(cap, row + 2 * (j // 5), 1 + 2 * (j % 5))
                grid.addWidget(box, row + 2 * (j // 5), 2 + 2 * (j % 5))
                self.rule_boxes[(code, fld, k)] = box
            row += 2 * (1 + (len(keys) - 1) // 5)
        for code, label in MULTIPLES:
            item = self.rs.items.get(code)
            box = QSpinBox()
            box.setRange(0, 100)
            base = item.multiple if item else 0
            box.setValue(int(given.get(code, {}).get("multiple", base) or 0))
            box.setProperty("base", base)
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(box, row, 2)
            self.rule_boxes[(code, "multiple", None)] = box
            row += 1
        note = QLabel(_("现行数值来自“{n}”。待遇测算用各次核定保存的计算依据，只换用这里改动的规则。").format(n=self.rs.name))
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")
        grid.addWidget(note, row, 0, 1, 11)
        grid.setRowStretch(row + 1, 1)
        self.tabs.addTab(w, _("待遇规则"))

    # -- parameters --------------------------------------------------------------------
    def _params_tab(self, body: dict) -> None:
        w = QWidget()
        form = QFormLayout(w)
        given = body.get("parameters", {})
        self.params: dict[str, QLineEdit] = {}
        for p in PARAMETERS:
            e = QLineEdit(str(given.get(p, "")))
            e.setPlaceholderText(_("留空：按各次核定当时所用的数值"))
            form.addRow(PARAMETER_LABELS.get(p, p) + _("（元）"), e)
            self.params[p] = e
        self.tabs.addTab(w, _("参数"))

    # -- coverage ----------------------------------------------------------------------
    def _coverage_tab(self, body: dict) -> None:
        w = QWidget()
        v = QVBoxLayout(w)
        self.cover = QTableWidget(0, len(COVER_COLS))
        self.cover.setHorizontalHeaderLabels(COVER_COLS)
        self.cover.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cover.verticalHeader().setVisible(False)
        for c in body.get("coverage", []):
            self._cover_row([str(c.get(k, "")) for k in ("name", "industry", "from", "workers",
                                                        "orders_per_worker_month", "amount", "benefits_per_month")])
        bar = QHBoxLayout()
        add = QPushButton(_("添加一个行业"))
        add.clicked.connect(lambda: self._cover_row(["", "", f"{china_today():%Y}-01", "", "", "", "0"]))
        drop = QPushButton(_("删除所选行"))
        drop.clicked.connect(lambda: self.cover.removeRow(self.cover.currentRow())
                             if self.cover.currentRow() >= 0 else None)
        bar.addWidget(add)
        bar.addWidget(drop)
        bar.addStretch(1)
        note = QLabel(_("尚未覆盖的行业按假定的人数、单量、每单金额和每月待遇支出测算，与实际记录分开列示。"))
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")
        v.addWidget(self.cover, 1)
        v.addLayout(bar)
        v.addWidget(note)
        self.tabs.addTab(w, _("新增覆盖"))

    def _cover_row(self, values: list[str]) -> None:
        i = self.cover.rowCount()
        self.cover.insertRow(i)
        for c, text in enumerate(values):
            self.cover.setCellWidget(i, c, QLineEdit(text))

    # -- the scenario ------------------------------------------------------------------
    def body(self) -> dict:
        """The scenario: only what differs from the rules in force."""
        out: dict = {"name": self.name.text().strip()}
        if self.note.text().strip():
            out["note"] = self.note.text().strip()
        fees = []
        for i in range(self.fees.rowCount()):
            vals = self._fee_values(i)
            if vals in self.in_force or not vals[4]:
                continue
            row = {"industry": vals[0], "from": vals[1], "amount": vals[4]}
            if vals[2]:
                row["to"] = vals[2]
            if vals[3]:
                row["tier"] = vals[3]
            fees.append(row)
        if fees:
            out["fee_per_order"] = fees
        rules: dict = {}
        for (code, fld, k), box in self.rule_boxes.items():
            if box.value() == box.property("base"):
                continue
            if k is None:
                rules.setdefault(code, {})[fld] = box.value()
            else:
                rules.setdefault(code, {}).setdefault(fld, {})[str(k)] = box.value()
        if rules:
            out["item_rules"] = rules
        params = {p: e.text().strip() for p, e in self.params.items() if e.text().strip()}
        if params:
            out["parameters"] = params
        cover = []
        keys = ("name", "industry", "from", "workers", "orders_per_worker_month", "amount", "benefits_per_month")
        for i in range(self.cover.rowCount()):
            vals = {k: self.cover.cellWidget(i, c).text().strip() for c, k in enumerate(keys)}
            if not any(vals.values()):
                continue
            cover.append({k: v for k, v in vals.items() if v or k in ("industry", "from")})
        if cover:
            out["coverage"] = cover
        return out

    def accept(self) -> None:
        body = self.body()
        try:
            parse(body)
            if not body["name"]:
                raise FieldError("name", _("请给方案起一个名称"))
        except FieldError as e:
            QMessageBox.warning(self, _("方案有误"), _("{f}：{m}").format(f=key_words(e.field), m=e.detail))
            return
        except ClaimsError as e:
            QMessageBox.warning(self, _("方案有误"), e.message)
            return
        self.result = body
        super().accept()

    @classmethod
    def ask(cls, parent, store, body: dict | None = None) -> dict | None:
        d = cls(parent, store, body)
        return d.result if d.exec() == QDialog.DialogCode.Accepted else None


def _units_text(units: int) -> str:
    return f"{units / 10000:.4f}".rstrip("0").rstrip(".")
