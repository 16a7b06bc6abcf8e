"""作出结论 (reviewers) and 录入鉴定结论: the two steps that need more than a note."""
from __future__ import annotations


from PySide6.QtWidgets import (QButtonGroup, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from claims.enums import CareLevel
from claims.i18n import _
from claims.situations import rule_set_on
from claims.store.cases import APPRAISAL_KINDS
from claims.store.decisions import not_met_situation

from ..forms import HINT_STYLE, FormDialog, OptionalDate, date_edit, pydate, qdate
from ..html import grid, h, heading
from claims.timeutil import today as china_today


class DecisionDialog(FormDialog):
    """Confirm with a situation, or refuse with reasons, with the evidence
    beside the buttons: the order records at the accident time (or the nearest
    orders), the cover on that day, the documents received. When the choice
    goes against a record, an override reason is asked for (the store refuses
    without one). The facts the decision will print are previewed as they
    will be printed (the same builder); the citation is the situation's
    article in the measure of the rule set in force on the accident date."""

    save_label = "作出结论"
    field_keys = {"与记录不一致的理由": "override", "法律依据": "basis", "情形": "situation",
                  "不予确认理由": "reasons", "送达日期": "served"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("作出确认结论"))
        store = ctx.store
        self.case = store.case(case_id)
        self.setWindowTitle(_("作出确认结论 — {n}").format(n=self.case.number))
        self.evidence = store.decision_evidence(case_id)
        self.rule_set = rule_set_on(self.case.accident_at.date())
        self.all_situations = store.situations(self.rule_set)
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
        self.situation.setMinimumContentsLength(24)
        self.situation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status = QLabel()
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setWordWrap(True)
        self.form.addRow("", self.status)
        self.reasons = self._text(_("不予确认的事实和理由，每条一行"))
        self.add("reasons", _("不予确认理由"), self.reasons, empty=_("请填写不予确认的理由"))
        self.override = self._text(_("如：交警事故认定书载明事故时正在送达订单，平台记录漏传该单"))
        self.add("override", _("与记录不一致的理由"), self.override, empty=_("结论与记录不一致，须写明理由"),
                 hint=_("记入案件历史，并印在结论书的事实认定中"))
        self.basis = self._text(_("如有本市实施办法等其他依据，在此填写（可不填）"))
        self.add("basis", _("其他依据"), self.basis, hint=_("不能以《工伤保险条例》作为依据"))
        self.decided_on = self.add("date", _("结论日期"), date_edit(china_today(), maximum=china_today()))
        self.served = OptionalDate(_("已送达"), china_today())
        self.served.box.setChecked(True)
        self.served.edit.setMaximumDate(qdate(china_today()))
        self.add("served", _("送达日期"), self.served, inputs=[self.served.box, self.served.edit],
                 get=self.served.value,
                 hint=_("申请人收到结论书之日，复议（60 日）和诉讼（6 个月）期限自次日起算；邮寄等尚未送达的，"
                        "取消勾选，送达后在案件页“登记送达日期”"))
        self.decided_on.dateChanged.connect(self.follow_decision_date)
        self.facts = QTextBrowser()
        self.facts.setMinimumWidth(400)
        body = QWidget()
        lay = QHBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addLayout(self.form)
        left_lay.addStretch(1)
        lay.addWidget(left, 5)
        lay.addWidget(self.facts, 6)
        self.confirm_rb.toggled.connect(self.fill_situations)
        self.situation.currentIndexChanged.connect(lambda _i: self.refresh())
        self.override.textChanged.connect(self.refresh)
        self.fill_situations()
        self.finish(body)
        self.resize(1080, 640)

    def follow_decision_date(self, *_a) -> None:
        """The service date starts as the decision date (handed over at once) until the user sets it."""
        if not self.fields["served"].touched:
            with self.loading():
                self.served.edit.setDate(self.decided_on.date())

    def problems(self) -> dict[str, str]:
        served = self.served.value()
        if served is not None and served < pydate(self.decided_on.date()):
            return {"served": _("送达日期不能早于结论日期")}
        return {}

    def _text(self, placeholder: str) -> QPlainTextEdit:
        w = QPlainTextEdit()
        w.setFixedHeight(58)
        w.setTabChangesFocus(True)
        w.setPlaceholderText(placeholder)
        return w

    def fill_situations(self, *_a) -> None:
        confirm = self.confirm_rb.isChecked()
        self.situation.blockSignals(True)
        self.situation.clear()
        for s in self.all_situations:
            if (s.kind != "exclude") == confirm:
                self.situation.addItem(_("{w}（{k}）").format(w=s.label or s.wording, k=s.kind_label), s.code)
        if not confirm:
            self.situation.insertItem(0, _("不符合予以确认的情形（未处于执行订单任务期间等）"), "")
            self.situation.setCurrentIndex(0)
        self.situation.blockSignals(False)
        self.reasons.setEnabled(not confirm)
        self.set_required("situation", confirm)  # refusing, the situation may be "not met"
        self.set_required("reasons", not confirm)
        self.refresh()

    def problems_with_records(self) -> list[str]:
        return self.evidence.problems(self.confirm_rb.isChecked())

    def cited(self):
        code = self.situation.currentData()
        chosen = next((s for s in self.all_situations if s.code == code), None) if code else None
        return chosen or not_met_situation(self.all_situations)

    def refresh(self, *_a) -> None:
        against = self.problems_with_records()
        self.set_visible("override", bool(against))
        self.set_required("override", bool(against))
        s = self.cited()
        self.situation.setToolTip(self.situation.currentText())  # a long situation is cut off in the box
        note = _("依据：{c}　{k}").format(c=s.citation, k=s.conclusion)
        if s.status != "confirmed":
            note += _("（此情形的措辞尚未与办法原文核对，可由管理员在“设置 › 确认情形”中更正）")
        self.status.setText(note)
        self.facts.setHtml(evidence_html(self.evidence, against) + heading(_("事实认定（结论书上将印出）"))
                           + "<p>" + h(self.ctx.store.decision_facts(self.case.id, self.override.toPlainText()
                                                                       if against else "", self.evidence)) + "</p>")
        self.validate()

    def save(self):
        against = self.problems_with_records()
        d, _c = self.ctx.store.decide(
            self.ctx.actor, self.case.id, confirm=self.confirm_rb.isChecked(),
            situation_code=self.situation.currentData() or "",
            reasons=self.reasons.toPlainText().strip() if self.refuse_rb.isChecked() else "",
            legal_basis=self.basis.toPlainText().strip(),
            override_reason=self.override.toPlainText().strip() if against else "",
            decided_on=pydate(self.decided_on.date()), served_on=self.served.value())
        return d


def _hm(t) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else "—"


def evidence_html(ev, against: list[str]) -> str:
    """The records beside the decision buttons: orders, cover, documents, and
    what in them stands against the conclusion chosen."""
    parts = [heading(_("证据（截至今日的记录）"))]
    if ev.in_progress:
        o = ev.in_progress[0]
        parts.append("<p style='color:#1e8449'><b>" + h(_("✔ 事故发生时正在执行订单 {o}（{a} 接单，{f} 完成）").format(
            o=o.order_no, a=_hm(o.accepted_at), f=_hm(o.finished_at))) + "</b></p>")
    else:
        near = []
        if ev.before is not None:
            near.append(_("之前最近：{o}（{a}–{f}）").format(o=ev.before.order_no, a=_hm(ev.before.accepted_at),
                                                      f=_hm(ev.before.finished_at)))
        if ev.after is not None:
            near.append(_("之后最近：{o}（{a} 接单）").format(o=ev.after.order_no, a=_hm(ev.after.accepted_at)))
        parts.append("<p style='color:#b9770e'><b>" + h(_("✖ 事故时点没有进行中的订单记录")) + "</b><br>"
                     + h("；".join(near) or _("平台订单记录中没有此人的订单")) + "<br>"
                     + h(_("事故当日接单 {n} 单").format(n=ev.orders_that_day)) + "</p>")
    if ev.cover:
        e = ev.cover[0]
        parts.append("<p style='color:#1e8449'><b>" + h(_("✔ 事故当日在保：{p} {i}，自 {s} 起{u}").format(
            p=ev.platform, i=ev.industry, s=e.start_on.isoformat(),
            u=_("至 {d}").format(d=e.end_on.isoformat()) if e.end_on else "")) + "</b></p>")
    else:
        spans = "、".join(f"{e.start_on}—{e.end_on or _('至今')}" for e in ev.enrollments) or _("无参保登记")
        parts.append("<p style='color:#c0392b'><b>" + h(_("✖ 事故当日不在 {p} {i} 的保障期间内").format(
            p=ev.platform, i=ev.industry)) + "</b><br>" + h(_("参保期间：{s}").format(s=spans)) + "</p>")
    parts.append(grid([_("已收材料"), _("收到日期")], [[n, d.isoformat() if d else "—"] for n, d in ev.received]))
    if ev.missing:
        parts.append("<p style='color:#b9770e'>" + h(_("尚缺：{m}").format(m="、".join(ev.missing))) + "</p>")
    if against:
        parts.append("<p style='color:#c0392b'><b>" + h(_("所选结论与记录不一致：{p}。须在左侧写明理由。").format(
            p="；".join(against))) + "</b></p>")
    return "".join(parts)


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
