"""待遇核定: the inputs filled from the case (grade and care level from the
current appraisal; death, cause and dependants as recorded under 伤亡与亲属;
what earlier assessments granted; approved medical costs, hospital days, …)
on the left; the items with the months they are paid, formulas, totals,
parameters, what was granted before, and everything unconfirmed, recomputed
live by the benefits engine, on the right. A missing parameter is named and
blocks saving."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QSplitter, QTableWidgetItem, QVBoxLayout, QWidget)

from claims.benefits import assessment_to_json, compute, parse_input
from claims.enums import CareLevel, DeathCause, Outcome
from claims.errors import ClaimsError, FieldError, MissingParameter
from claims.i18n import _
from claims.money import format_yuan, to_fen
from claims.monthly import month_label
from claims.relapse import relapse_items

from ..forms import HINT_STYLE, STYLES, FormDialog, date_edit, pydate
from ..widgets import readonly_table

MONEY = [("medical_expenses", "医疗费（核定）"), ("out_of_area_travel", "统筹地区以外就医交通食宿费"),
         ("rehabilitation", "康复费"), ("assistive_devices", "辅助器具费")]
# engine field path -> row key
ENGINE_FIELDS = {"region": "region", "disability_grade": "grade", "care_level": "care", "death_date": "death",
                 "death_cause": "death", "treatment_end_date": "death", "appraisal_date": "appraisal_date",
                 "dependants": "dependants", "medical.hospital_days": "hospital_days",
                 **{f"medical.{k}": k for k, _l in MONEY}}
WARN = "#b9770e"


def _months(it) -> str:
    if it.period == "once":
        return _("一次性")
    text = _("按月，{m}起").format(m=month_label(it.first_month)) if it.first_month else _("按月")
    if it.last_month:
        text += _("，至{m}").format(m=month_label(it.last_month))
    return text


class AssessmentDialog(FormDialog):
    save_label = "保存核定（提交审核）"

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("待遇核定"))
        s = ctx.store
        self.case = s.case(case_id)
        self.setWindowTitle(_("待遇核定 — {n}").format(n=self.case.number))
        self.table = s.parameter_table()
        self.result: dict | None = None
        self.input: dict | None = None
        self.dependant_ids: list[str] = []
        # 复发: medical items only, whatever the original case was paid (claims/relapse.py)
        self.relapse = relapse_items(self.case.accident_at.date()) if self.case.relapse_of else None
        apps = [a for a in s.appraisals_of(case_id) if a.current] if self.relapse is None else []
        app = apps[-1] if apps else None
        # -- inputs --
        self.outcome = self.add("outcome", _("核定类别"), QComboBox())
        kinds = ((Outcome.injury, _("受伤（无伤残）")), (Outcome.disability, _("伤残")), (Outcome.death, _("死亡")))
        for o, label in kinds if self.relapse is None else ((Outcome.injury, _("复发（仅医疗待遇）")),):
            self.outcome.addItem(label, o.value)
        self.outcome.setEnabled(self.relapse is None)
        self.grade = self.add("grade", _("伤残等级"), QComboBox())
        self.grade.addItem(_("无"), None)
        for g in range(1, 11):
            self.grade.addItem(_("{g} 级").format(g=g), g)
        self.care = self.add("care", _("生活自理障碍"), QComboBox())
        self.care.addItem(_("无"), None)
        for c in CareLevel:
            self.care.addItem(c.label, c.value)
        self.appraisal_date = self.add("appraisal_date", _("鉴定结论日期"),
                                       date_edit(app.concluded_on if app else self.case.accident_at.date()))
        c = self.case
        self.death = self.add("death", _("死亡情况"), QLabel(
            _("{d}，{c}").format(d=c.death_date.isoformat(), c=DeathCause(c.death_cause).label) if c.dead
            else _("未登记")), hint=_("在“待遇与支付 › 伤亡与亲属”中登记或修改"))
        deps = s.dependants_of(case_id)
        self.dependants = readonly_table([_("姓名"), _("关系"), _("出生日期")], stretch=None, rows=False)
        self.dependants.setFixedHeight(110)
        self.dependants.setRowCount(len(deps))
        for r, d in enumerate(deps):
            rel = d.relation.label + (_("（孤寡老人）") if d.lone_elder else _("（孤儿）") if d.orphan else "")
            for col, text in enumerate([d.name, rel, d.birth_date.isoformat() if d.birth_date else ""]):
                self.dependants.setItem(r, col, QTableWidgetItem(text))
        self.add("dependants", _("供养亲属"), self.dependants, inputs=[],
                 hint=_("共 {n} 人，按登记顺序核定").format(n=len(deps)) if deps else _("尚未登记供养亲属"))
        self.money: dict[str, QLineEdit] = {}
        for key, label in MONEY:
            if self.relapse is not None and key not in self.relapse:
                continue  # not a medical item of this rule set: never assessed on a relapse
            e = self.add(key, _(label), QLineEdit())
            e.setPlaceholderText("0.00")
            e.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.money[key] = e
        self.days = self.add("hospital_days", _("住院天数"), QSpinBox())
        self.days.setRange(0, 3650)
        self.region = self.add("region", _("统筹地区代码"), QLineEdit(self._region()))
        self.accident = QLabel(self.case.accident_at.strftime("%Y-%m-%d"))
        self.form.insertRow(0, _("事故日期"), self.accident)
        src = _("已按当前鉴定结论 {n} 填入等级").format(n=app.conclusion_no) if app else _("本案没有鉴定结论")
        if self.relapse is not None:
            orig = s.case(c.relapse_of)
            src = _("本案是原案件 {o} 的复发，只核定医疗待遇：{items}。一次性待遇和伤残、死亡的按月待遇在原案件中核定，"
                    "复发时不再支付。").format(o=orig.number, items="、".join(self.relapse.values()))
        self.source_hint = QLabel(src)
        self.source_hint.setStyleSheet(HINT_STYLE)
        self.source_hint.setWordWrap(True)
        self.form.insertRow(1, "", self.source_hint)
        if app:
            self.grade.setCurrentIndex(self.grade.findData(app.grade) if app.grade else 0)
            self.care.setCurrentIndex(max(0, self.care.findData(app.care_level)))
        outcome = "death" if c.dead or c.case_type == "death" else "disability" if app and app.grade else "injury"
        outcome = "injury" if self.relapse is not None else outcome
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))
        self.outcome.currentIndexChanged.connect(self.enable_fields)
        # -- results --
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(STYLES["error"] + ";font-size: 11pt;")
        self.error.setWordWrap(True)
        self.items = readonly_table([_("项目"), _("期间"), _("计算公式"), _("金额")], stretch=None, rows=False)
        self.items.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        self.totals.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.prior = QLabel()
        self.prior.setWordWrap(True)
        self.params = readonly_table([_("参数"), _("数值"), _("状态"), _("来源")], stretch=None, rows=False)
        self.params.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.params.setMaximumHeight(130)
        self.unconfirmed = QLabel()
        self.unconfirmed.setStyleSheet(f"color: {WARN}; font-weight: bold;")
        self.unconfirmed.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setStyleSheet(f"color: {WARN};")
        self.warnings.setWordWrap(True)
        reload_btn = QPushButton(_("重新读取参数表"))
        reload_btn.setToolTip(_("管理员刚补录参数后，点此重新计算"))
        reload_btn.clicked.connect(self.reload_parameters)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        for w in (self.rule_label, self.error, self.items, self.totals, self.prior, QLabel(_("所用参数")), self.params,
                  self.unconfirmed, self.warnings):
            rl.addWidget(w)
        rl.setStretchFactor(self.items, 1)
        rl.addWidget(reload_btn, 0, Qt.AlignmentFlag.AlignLeft)
        left = QWidget()
        left.setLayout(self.form)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self._tried = True  # the inputs come filled from the case: say at once what is wrong with them
        self.enable_fields()
        self.finish(split)
        self.resize(1240, 640)
        split.setSizes([470, 760])

    def _region(self) -> str:
        if self.case.station_id:
            d = self.ctx.store.station(self.case.station_id).district
            if re.fullmatch(r"\d{6}", d or ""):
                return d
        return "310000"

    def enable_fields(self, *_a) -> None:
        o = self.outcome.currentData()
        death = o == "death"
        for key in ("care", "appraisal_date"):
            self.set_visible(key, o == "disability")
        self.grade.setEnabled(o == "disability" or (death and self.case.death_cause == DeathCause.other.value))
        for key in ("death", "dependants"):
            self.set_visible(key, death)
        self.set_visible("grade", self.relapse is None)  # a relapse pays no grade-based item
        self.validate()

    def reload_parameters(self) -> None:
        self.table = self.ctx.store.parameter_table()
        self.validate()

    # -- the live computation ---------------------------------------------------
    def build_input(self, p: dict) -> dict:
        """The case's own facts (store.benefit_input), with what the clerk set here."""
        o = self.outcome.currentData()
        d, self.dependant_ids = self.ctx.store.benefit_input(self.case.id, outcome=o, region=self.region.text().strip())
        if o == "disability" or (o == "death" and self.case.death_cause == DeathCause.other.value):
            d["disability_grade"] = self.grade.currentData()
        if o == "disability":
            d["care_level"] = self.care.currentData()
            d["appraisal_date"] = pydate(self.appraisal_date.date()).isoformat()
        if o == "death" and not self.case.dead:
            p["death"] = _("请先在“待遇与支付 › 伤亡与亲属”中登记死亡日期和原因")
        med: dict = {"hospital_days": self.days.value()}
        for key, label in MONEY:
            if key not in self.money:
                continue
            text = self.money[key].text().strip()
            try:
                med[key] = f"{to_fen(text or '0', field=label) / 100:.2f}" if text else "0"
            except FieldError as e:
                p[key] = e.detail
                med[key] = "0"
        d["medical"] = med
        return d

    def problems(self) -> dict[str, str]:
        p: dict[str, str] = {}
        self.result = None
        inp = self.build_input(p)
        self.error.setText("")
        if not p:
            try:
                a = compute(parse_input(inp), self.table)
            except FieldError as e:
                key = next((v for k, v in ENGINE_FIELDS.items() if e.field == k or e.field.startswith(k + "[")
                            or e.field.startswith(k + ".")), None)
                p[key or "outcome"] = e.detail
            except (MissingParameter, ClaimsError) as e:
                self.error.setText(e.message)
                p["result"] = e.message
            else:
                self.result, self.input = assessment_to_json(a, record=True), inp
                self.show_result(a)
        if self.result is None:
            self.show_result(None)
        return p

    def show_result(self, a) -> None:
        self.error.setVisible(bool(self.error.text()))
        rows = a.items if a else []
        names = {i: self.dependants.item(i, 0).text() for i in range(self.dependants.rowCount())}
        self.items.setRowCount(len(rows))
        for r, it in enumerate(rows):
            name = it.name + (_("（{n}）").format(n=names.get(it.dependant, it.dependant + 1))
                              if it.dependant is not None else "")
            for c, text in enumerate([name, _months(it), it.formula, format_yuan(it.amount_fen)]):
                cell = QTableWidgetItem(text)
                if c == 3:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.items.setItem(r, c, cell)
        self.items.resizeRowsToContents()
        self.totals.setText(_("一次性合计 {o}　　按月合计 {m}").format(
            o=format_yuan(a.once_total_fen), m=format_yuan(a.monthly_total_fen)) if a else _("一次性合计 —　　按月合计 —"))
        self.rule_label.setText(_("依据：{r}").format(r=a.rule_set_name) if a else "")
        prior = a.previous if a else []
        paid = sum(p.amount_fen for p in self.ctx.store.payments_of(self.case.id)
                   if p.kind == "once" and p.status.value == "approved")
        self.prior.setText(_("此前已支付一次性待遇合计 {x}。").format(x=format_yuan(paid)) + _("此前已核定：") + "；".join(
            _("{n} {b}（新等级标准 {f}，本次 {p}：{why}）").format(n=x.name, b=format_yuan(x.before_fen),
                                                           f=format_yuan(x.full_fen), p=format_yuan(x.pay_fen),
                                                           why=x.note) for x in prior) if prior else "")
        self.prior.setVisible(bool(prior))
        params = a.parameters if a else []
        self.params.setRowCount(len(params))
        for r, prm in enumerate(params):
            status = {"confirmed": _("已确认"), "unconfirmed": _("未确认"), "given": _("手工指定")}.get(prm.status, prm.status)
            for c, text in enumerate([prm.label, f"{prm.value}", status, prm.source]):
                cell = QTableWidgetItem(text)
                if prm.status == "unconfirmed":
                    cell.setForeground(QColor(WARN))
                self.params.setItem(r, c, cell)
        unconfirmed = a.unconfirmed if a else []
        self.unconfirmed.setText(_("未经确认、须复核的依据：") + "\n" + "\n".join(
            "· " + u.what for u in unconfirmed) if unconfirmed else "")
        self.unconfirmed.setVisible(bool(unconfirmed))
        warn = a.warnings if a else []
        self.warnings.setText("\n".join("⚠ " + w for w in warn))
        self.warnings.setVisible(bool(warn))

    def save(self):
        if self.result is None:
            return None
        result = {**self.result, "input": self.input, "dependant_ids": self.dependant_ids}
        saved, _c = self.ctx.store.save_assessment(self.ctx.actor, self.case.id, result)
        return saved
