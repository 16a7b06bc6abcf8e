"""The forms of the people and facts benefits rest on: the end of the
treatment period, the death, the claimant (申请人) and a dependant (供养亲属).
Each checks as the clerk types with the same rules the store applies on
saving (claims/store/death.py), and shows a refusal under the field it names."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from claims.enums import DeathCause, Relation
from claims.errors import ClaimsError, FieldError
from claims.i18n import _
from claims.validators import parse_id_number

from ..forms import HINT_STYLE, FormDialog, Incomplete, OptionalDate, date_edit, pydate, qdate, shown_text
from ..workers.worker_dialog import _digits, check_card, check_id, check_mobile
from claims.timeutil import today as china_today

CLAIMANT_RELATIONS = ["配偶", "子女", "父母", "祖父母", "孙子女", "兄弟姐妹", "其他近亲属", "委托代理人"]


def _hint(form: FormDialog, text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    form.form.insertRow(0, "", label)
    return label


class TreatmentEndDialog(FormDialog):
    save_label = "保存"

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("医疗终结"))
        self.case = ctx.store.case(case_id)
        self.record_version, self.record_title = self.case.row_version, _("医疗终结")
        self.end = self.add("end", _("医疗终结日期"), OptionalDate(_("已医疗终结"), self.case.treatment_end_on),
                            get=lambda: self.end.value(), inputs=[])
        self.end.box.setChecked(self.case.treatment_end_on is not None)
        self.end.edit.setMaximumDate(qdate(china_today()))
        self.end.box.toggled.connect(lambda *_a: self.touched("end"))
        self.end.edit.dateChanged.connect(lambda *_a: self.touched("end"))
        _hint(self, _("医疗终结（停止治疗、伤情稳定）之前死亡的，属因职业伤害死亡；未登记时视为仍在治疗期。"))
        self.finish()

    def problems(self) -> dict[str, str]:
        v = self.end.value()
        if v is not None and v < self.case.accident_at.date():
            return {"end": _("不能早于事故日期 {d}").format(d=self.case.accident_at.date().isoformat())}
        return {}

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        mine = self.end.value()
        return [(_("医疗终结日期"), mine.isoformat() if mine else _("未登记"), current["treatment_end_on"] or _("未登记"))]

    def load_record(self, row: dict) -> None:
        end = row["treatment_end_on"]
        self.end.box.setChecked(bool(end))
        if end:
            self.end.edit.setDate(qdate(date.fromisoformat(end)))

    def save(self):
        c, _c = self.ctx.store.set_treatment_end(self.ctx.actor, self.case.id, self.end.value(),
                                                 expected_version=self.record_version)
        return c


class DeathDialog(FormDialog):
    save_label = "登记死亡"
    field_keys = {"死亡日期": "date", "死亡原因": "cause"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("登记死亡"))
        self.case = ctx.store.case(case_id)
        c = self.case
        self.record_version, self.record_title = c.row_version, _("死亡情况")
        self.date = self.add("date", _("死亡日期"), date_edit(c.death_date or china_today(), maximum=china_today()))
        self.cause = self.add("cause", _("死亡原因"), QComboBox())
        for d in DeathCause:
            self.cause.addItem(d.label, d.value)
        if c.death_cause:
            self.cause.setCurrentIndex(self.cause.findData(c.death_cause))
        end = c.treatment_end_on
        _hint(self, _("事故日期 {a}；医疗终结：{e}。治疗期间死亡的属因职业伤害死亡；因其他原因死亡的，仅一至四级伤残人员"
                      "享受丧葬补助金和供养亲属抚恤金。").format(
            a=c.accident_at.date().isoformat(), e=end.isoformat() if end else _("未登记（视为仍在治疗期）")))
        self.finish()

    def problems(self) -> dict[str, str]:
        d, c = pydate(self.date.date()), self.case
        if d < c.accident_at.date():
            return {"date": _("不能早于事故日期 {d}").format(d=c.accident_at.date().isoformat())}
        if self.cause.currentData() == DeathCause.other.value:
            end = c.treatment_end_on
            if end is None:
                return {"cause": _("尚未登记医疗终结日期：治疗期间死亡的属因职业伤害死亡")}
            if d <= end:
                return {"cause": _("死亡在医疗终结（{e}）之前，属治疗期间死亡，应为因职业伤害死亡").format(e=end.isoformat())}
        return {}

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        cause = current["death_cause"]
        return [(_("死亡日期"), pydate(self.date.date()).isoformat(), current["death_date"] or _("未登记")),
                (_("死亡原因"), self.cause.currentText(), DeathCause(cause).label if cause else _("未登记"))]

    def load_record(self, row: dict) -> None:
        if row["death_date"]:
            self.date.setDate(qdate(date.fromisoformat(row["death_date"])))
        if row["death_cause"]:
            self.cause.setCurrentIndex(self.cause.findData(row["death_cause"]))

    def save(self):
        c, _c = self.ctx.store.record_death(self.ctx.actor, self.case.id, death_date=pydate(self.date.date()),
                                            death_cause=self.cause.currentData(),
                                            expected_version=self.record_version)
        return c


class ClaimantDialog(FormDialog):
    """申请人: to whom a death case's notices and payments are addressed."""

    save_label = "保存申请人"
    field_keys = {"申请人姓名": "name", "与死者关系": "relation", "与受伤人员关系": "relation",
                  "申请人身份证号码": "id_number", "联系电话": "phone", "收款账号": "account"}
    record_columns = {k: "claimant_" + k for k in ("name", "relation", "id_number", "phone", "address", "bank",
                                                   "account", "holder")}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("申请人"))
        self.case = c = ctx.store.case(case_id)
        self.record_version, self.record_title = c.row_version, _("申请人")
        self.name = self.line("name", _("姓名"), required=True, max_len=30)
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.add("relation", _("与死者关系") if c.dead else _("与受伤人员关系"), self.relation, required=True,
                 get=lambda: self.relation.currentText().strip())
        self.relation.editTextChanged.connect(lambda *_a: self.touched("relation"))
        self.relation.addItems(CLAIMANT_RELATIONS)
        self.line("id_number", _("身份证号码"), check_id, max_len=24)
        self.line("phone", _("联系电话"), check_mobile(_("联系电话")), max_len=20)
        self.line("address", _("住址"), max_len=100)
        self.line("bank", _("开户银行"), max_len=60, placeholder=_("一次性待遇支付到此账户"))
        self.line("account", _("收款账号"), check_card, max_len=30)
        self.line("holder", _("户名"), max_len=60, placeholder=_("账户不是申请人本人的才填写"))
        with self.loading():
            for key, value in (("name", c.claimant_name or c.reporter_name), ("id_number", c.claimant_id_number),
                               ("phone", c.claimant_phone), ("address", c.claimant_address),
                               ("bank", c.claimant_bank), ("account", c.claimant_account),
                               ("holder", c.claimant_holder)):
                self.fields[key].widget.setText(value if key != "name" or c.reporter_relation != "本人" else "")
            self.relation.setCurrentText(c.claimant_relation or (c.reporter_relation if c.reporter_relation
                                                                  not in ("", "本人", "站长") else ""))
        _hint(self, _("死亡案件的待遇申请表、核定通知书和支付凭证以申请人为收件人，死者姓名另行注明。"))
        self.finish()
        self.resize(560, self.sizeHint().height())

    def load_record(self, row: dict) -> None:
        for key, column in self.record_columns.items():
            if key != "relation":
                self.fields[key].widget.setText(row[column] or "")
        self.relation.setCurrentText(row["claimant_relation"] or "")

    def save(self):
        data = {k: self.value(k) for k in ("name", "id_number", "phone", "address", "bank", "account", "holder")}
        data["relation"] = self.relation.currentText().strip()
        c, _c = self.ctx.store.set_claimant(self.ctx.actor, self.case.id, data, expected_version=self.record_version)
        return c


class DependantDialog(FormDialog):
    """A dependant: who they are, why they depended on the deceased, to whom their
    pension is paid, and when their entitlement ends when that is known."""

    save_label = "保存供养亲属"
    field_keys = {"收款账号": "payee_account"}

    def __init__(self, parent, ctx, case_id: str, dependant=None):
        super().__init__(parent, ctx, _("修改供养亲属 — {n}").format(n=dependant.name) if dependant
                         else _("添加供养亲属"))
        self.case_id, self.dep = case_id, dependant
        if dependant is not None:  # the version the list showed it at
            self.record_version, self.record_title = dependant.row_version, dependant.name
        self.line("name", _("姓名"), required=True, max_len=30)
        self.relation = self.add("relation", _("关系"), QComboBox(), required=True)
        for r in Relation:
            self.relation.addItem(r.label, r.value)
        self.line("id_number", _("身份证号码"), self._check_id, max_len=24,
                  placeholder=_("尚无身份证的未成年人可不填，改填出生日期"))
        self.birth = self.add("birth_date", _("出生日期"), date_edit(china_today(), maximum=china_today()),
                              hint=_("有身份证号码时由号码得出"))
        self.line("basis", _("供养依据"), max_len=120, placeholder=_("如：配偶，无工作、无收入"))
        self.lone = self.add("lone_elder", _("孤寡老人"), QCheckBox(_("按孤寡老人加发 10%")))
        self.orphan = self.add("orphan", _("孤儿"), QCheckBox(_("按孤儿加发 10%")))
        self.line("payee_name", _("收款人"), max_len=30, placeholder=_("默认为本人；未成年人填监护人"))
        self.line("payee_bank", _("开户银行"), max_len=60)
        self.line("payee_account", _("收款账号"), check_card, max_len=30)
        self.end = self.add("end_on", _("领取终止日期"), OptionalDate(_("已知终止日期")),
                            get=lambda: self.end.value(), inputs=[],
                            hint=_("子女默认领取至年满18周岁；仍在校就读的填写毕业日期"))
        self.end.box.toggled.connect(lambda *_a: self.touched("end_on"))
        self.end.edit.dateChanged.connect(lambda *_a: self.touched("end_on"))
        self.line("end_reason", _("终止原因"), max_len=60)
        if dependant is not None:
            with self.loading():
                self.load_record(dependant.model_dump(mode="json"))
        self.finish()
        self.resize(600, self.sizeHint().height())

    @staticmethod
    def _check_id(v: str):
        """As a worker's number, but a dependant may be a child or very old."""
        d = _digits(v).upper()
        if d.isdigit() and len(d) < 18 and len(d) != 15:
            raise Incomplete(_("已输入 {n} / 18 位").format(n=len(d)))
        parse_id_number(v, ages=(0, 120))

    def on_change(self, key: str) -> None:
        if key != "id_number":
            return
        try:
            idn = parse_id_number(self.value("id_number"), ages=(0, 120))
        except FieldError:
            self.birth.setEnabled(True)
            return
        with self.loading():
            self.birth.setDate(qdate(idn.birth_date))
        self.birth.setEnabled(False)

    def data(self) -> dict:
        d = {k: self.value(k) for k in ("name", "id_number", "basis", "payee_name", "payee_bank", "payee_account",
                                        "end_reason")}
        d.update(relation=self.relation.currentData(), birth_date=pydate(self.birth.date()),
                 lone_elder=self.lone.isChecked(), orphan=self.orphan.isChecked(), end_on=self.end.value())
        return d

    def problems(self) -> dict[str, str]:
        """The store's own checks (relation and flags, age, end, one spouse, …) as the clerk types."""
        by_label = {f.label: k for k, f in self.fields.items()}
        try:
            self.ctx.store.normalize_dependant(self.case_id, self.data(), self.dep.id if self.dep else None)
        except FieldError as e:
            return {by_label.get(e.field, "name"): e.detail}
        except ClaimsError as e:
            return {"_": e.message}
        return {}

    TEXTS = ("name", "id_number", "basis", "payee_name", "payee_bank", "payee_account", "end_reason")

    def load_record(self, row: dict) -> None:
        """Fill the form from a stored dependant (on opening, and "take theirs")."""
        for k in self.TEXTS:
            self.fields[k].widget.setText(row[k] or "")
        self.relation.setCurrentIndex(self.relation.findData(row["relation"]))
        if row["birth_date"]:
            self.birth.setDate(qdate(date.fromisoformat(str(row["birth_date"]))))
        self.lone.setChecked(bool(row["lone_elder"]))
        self.orphan.setChecked(bool(row["orphan"]))
        self.end.box.setChecked(bool(row["end_on"]))
        if row["end_on"]:
            self.end.edit.setDate(qdate(date.fromisoformat(str(row["end_on"]))))

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        def text(key, v) -> str:
            if key == "relation":
                return Relation(v).label if v else ""
            if key in ("lone_elder", "orphan"):
                return _("是") if v else _("否")
            if key == "end_on":
                return str(v) if v else _("未填写")
            return shown_text(v)
        mine = self.data()
        return [(self.fields[k].label, text(k, mine[k]), text(k, current[k]))
                for k in ("name", "relation", "id_number", "birth_date", "basis", "lone_elder", "orphan",
                          "payee_name", "payee_bank", "payee_account", "end_on", "end_reason")]

    def save(self):
        s, a = self.ctx.store, self.ctx.actor
        if self.dep is None:
            d, _c = s.add_dependant(a, self.case_id, self.data())
        else:
            d, _c = s.update_dependant(a, self.dep.id, self.data(), expected_version=self.record_version)
        return d

