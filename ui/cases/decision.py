"""作出结论 (reviewers) and 录入鉴定结论: the two steps that need more than a note."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton

from claims import checklist as rules
from claims.enums import CareLevel
from claims.i18n import _
from claims.store.cases import APPRAISAL_KINDS

from ..forms import HINT_STYLE, FormDialog, date_edit, pydate
from claims.timeutil import today as china_today

GENERIC_REFUSAL = "order_task"  # "not performing an order": cite the rule that was not met


class DecisionDialog(FormDialog):
    """Confirm with a situation code, or refuse with reasons; the legal basis is
    prefilled from the situations data and may be edited."""

    save_label = "作出结论"

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("作出确认结论"))
        self.case = ctx.store.case(case_id)
        self.setWindowTitle(_("作出确认结论 — {n}").format(n=self.case.number))
        self.confirm_rb = QRadioButton(_("予以确认"))
        self.refuse_rb = QRadioButton(_("不予确认"))
        self.confirm_rb.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.confirm_rb)
        group.addButton(self.refuse_rb)
        row = QHBoxLayout()
        row.addWidget(self.confirm_rb)
        row.addWidget(self.refuse_rb)
        row.addStretch(1)
        self.add("kind", _("结论"), row, inputs=[self.confirm_rb, self.refuse_rb])
        self.situation = self.add("situation", _("情形"), QComboBox(), empty=_("请选择确认的情形"))
        self.situation.setMinimumContentsLength(30)
        self.status = QLabel()
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setWordWrap(True)
        self.form.addRow("", self.status)
        self.reasons = QPlainTextEdit()
        self.reasons.setFixedHeight(70)
        self.reasons.setTabChangesFocus(True)
        self.reasons.setPlaceholderText(_("不予确认的事实和理由，每条一行"))
        self.add("reasons", _("不予确认理由"), self.reasons, empty=_("请填写不予确认的理由"))
        self.basis = QPlainTextEdit()
        self.basis.setFixedHeight(70)
        self.basis.setTabChangesFocus(True)
        self.add("basis", _("法律依据"), self.basis, required=True, empty=_("请填写法律依据"),
                 hint=_("按所选情形自动填写，可修改"))
        self.decided_on = self.add("date", _("结论日期"), date_edit(china_today(), maximum=china_today()))
        self._auto_basis = ""
        self.confirm_rb.toggled.connect(self.fill_situations)
        self.situation.currentIndexChanged.connect(self.fill_basis)
        self.fill_situations()
        self.finish()
        self.resize(640, self.sizeHint().height())

    def fill_situations(self, *_a) -> None:
        confirm = self.confirm_rb.isChecked()
        self.situation.blockSignals(True)
        self.situation.clear()
        for s in rules.confirming_situations() if confirm else rules.excluding_situations():
            self.situation.addItem(f"{s['label']}（{rules.SITUATION_KINDS[s['kind']]}）", s["code"])
        if not confirm:
            self.situation.addItem(_("事故发生时未处于执行平台订单任务期间等其他理由"), "")
        self.situation.blockSignals(False)
        self.reasons.setEnabled(not confirm)
        self.set_required("situation", confirm)  # refusing, the situation may be "other reasons"
        self.set_required("reasons", not confirm)
        self.fill_basis()

    def fill_basis(self, *_a) -> None:
        code = self.situation.currentData()
        sit = rules.situation(code or GENERIC_REFUSAL)
        text = sit["basis"] if sit else ""
        if not self.basis.toPlainText().strip() or self.basis.toPlainText() == self._auto_basis:
            self.basis.setPlainText(text)  # the user's own edit is kept
            self._auto_basis = text
        own = rules.situation(code) if code else None
        if own:
            note = own.get("conclusion", "")
            if own.get("status") != "confirmed":
                note += _("　（此情形条目未经确认，参照工伤保险条例）")
            self.status.setText(note)
        else:
            self.status.setText(_("不属于职业伤害，不予确认"))
        self.validate()

    def save(self):
        d, _c = self.ctx.store.decide(
            self.ctx.actor, self.case.id, confirm=self.confirm_rb.isChecked(),
            situation_code=self.situation.currentData() or "", reasons=self.reasons.toPlainText().strip()
            if self.refuse_rb.isChecked() else "", legal_basis=self.basis.toPlainText().strip(),
            decided_on=pydate(self.decided_on.date()))
        return d


class AppraisalDialog(FormDialog):
    """Grade 1–10 or none, self-care level, conclusion number and date. A later
    re-appraisal or review replaces the current result (history is kept)."""

    save_label = "保存鉴定结论"

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("录入劳动能力鉴定结论"))
        self.case = ctx.store.case(case_id)
        earlier = ctx.store.appraisals_of(case_id)
        self.kind = self.add("kind", _("鉴定类别"), QComboBox())
        for code, label in APPRAISAL_KINDS.items():
            self.kind.addItem(_(label), code)
        self.kind.setCurrentIndex(1 if earlier else 0)
        self.grade = self.add("grade", _("伤残等级"), QComboBox())
        self.grade.addItem(_("未达伤残等级"), None)
        for g in range(1, 11):
            self.grade.addItem(_("{g} 级").format(g=g), g)
        self.care = self.add("care", _("生活自理障碍"), QComboBox())
        self.care.addItem(_("无"), None)
        for c in CareLevel:
            self.care.addItem(c.label, c.value)
        self.number = self.add("number", _("鉴定结论书编号"), QLineEdit(), required=True, empty=_("请填写鉴定结论书编号"))
        self.number.setPlaceholderText(_("如：沪劳鉴〔2026〕第1234号"))
        self.concluded = self.add("date", _("结论日期"), date_edit(china_today(), maximum=china_today()))
        if earlier:
            cur = next((a for a in earlier if a.current), earlier[-1])
            note = QLabel(_("现有结论：{n}（{d}，{g}）；保存后以新结论为准，原结论保留在历史中").format(
                n=cur.conclusion_no, d=cur.concluded_on.isoformat(),
                g=_("{g} 级").format(g=cur.grade) if cur.grade else _("未达伤残等级")))
            note.setStyleSheet(HINT_STYLE)
            note.setWordWrap(True)
            self.form.insertRow(0, "", note)
        self.finish()
        self.resize(560, self.sizeHint().height())

    def problems(self) -> dict[str, str]:
        p = {}
        if pydate(self.concluded.date()) < self.case.accident_at.date():
            p["date"] = _("结论日期不能早于事故日期")
        if self.care.currentData() and self.grade.currentData() is None:
            p["care"] = _("未达伤残等级时不评定生活自理障碍")
        return p

    def save(self):
        a, _c = self.ctx.store.record_appraisal(
            self.ctx.actor, self.case.id, grade=self.grade.currentData(), care_level=self.care.currentData(),
            conclusion_no=self.number.text().strip(), concluded_on=pydate(self.concluded.date()),
            kind=self.kind.currentData())
        return a
