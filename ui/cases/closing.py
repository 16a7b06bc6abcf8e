"""Closing a refused case inside its review and lawsuit windows (only on the
applicant's written waiver, filed as a case document) and reopening a closed
case for a relapse (复发: a new case linked to it, the original decision
standing). Each dialog returns the store's (case, change)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox

from claims.i18n import _
from claims.timeutil import today as china_today

from ..forms import HINT_STYLE, FormDialog, date_edit, pydate, qdate


class WaiverDialog(FormDialog):
    save_label = "登记并结案"
    field_keys = {"声明人": "who", "签署日期": "date"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("书面放弃复议和诉讼后结案"))
        self.case = ctx.store.case(case_id)
        self.setWindowTitle(_("结案 — {n}").format(n=self.case.number))
        self.why = QLabel(ctx.store.close_guard(self.case, china_today()))
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color:#b9770e")
        self.form.addRow("", self.why)
        worker = ctx.store.worker(self.case.worker_id).name
        self.who = self.add("who", _("声明人"), QLineEdit(worker), required=True, empty=_("请填写签署声明的人"),
                            hint=_("受伤人员本人，或死亡案件的近亲属"))
        decided = ctx.store.decisions_of(self.case.id)[-1].decided_on
        self.signed = self.add("date", _("签署日期"), date_edit(china_today(), maximum=china_today()))
        self.signed.setMinimumDate(qdate(decided))
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_("书面声明的扫描件（可不附，纸质原件归档）"))
        pick = QPushButton(_("选择文件…"))
        pick.clicked.connect(self.pick)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(pick)
        self.add("file", _("扫描件"), row, inputs=[self.file])
        self.pages = self.add("pages", _("页数"), QSpinBox())
        self.pages.setRange(1, 99)
        self.note = self.add("note", _("结案说明"), QLineEdit())
        self.finish()
        self.resize(620, self.sizeHint().height())

    def pick(self) -> None:
        from ..files import open_path
        path = open_path(self, "scan", _("选择扫描件"), _("扫描件 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)"))
        if path:
            self.file.setText(path)

    def problems(self) -> dict[str, str]:
        f = self.file.text().strip()
        return {"file": _("找不到文件 {f}").format(f=f)} if f and not Path(f).is_file() else {}

    def save(self):
        return self.ctx.store.close_with_waiver(
            self.ctx.actor, self.case.id, signed_by=self.who.text(), signed_on=pydate(self.signed.date()),
            pages=self.pages.value(), file_path=self.file.text().strip() or None, note=self.note.text())


class RelapseDialog(FormDialog):
    save_label = "登记复发"
    field_keys = {"复发情况": "what"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("登记复发"))
        self.case = ctx.store.case(case_id)
        self.setWindowTitle(_("登记复发 — {n}").format(n=self.case.number))
        d = ctx.store.original_decision(self.case)
        info = QLabel(_("原案件 {n} 已结案；原确认结论 {d} 继续有效。复发作为一件新的关联案件办理（编号为原案件号加“-F序号”），"
                        "直接进入“确认”状态，用于核定复发后的医疗待遇。").format(n=self.case.number, d=d.number if d else "—"))
        info.setWordWrap(True)
        info.setStyleSheet(HINT_STYLE)
        self.form.addRow("", info)
        self.what = QPlainTextEdit()
        self.what.setFixedHeight(70)
        self.what.setTabChangesFocus(True)
        self.what.setPlaceholderText(_("如：原骨折处再次疼痛，经诊断为……，需住院治疗"))
        self.add("what", _("复发情况"), self.what, required=True, empty=_("请填写复发情况"))
        self.hospital = self.add("hospital", _("就诊医院"), QLineEdit())
        self.body = self.add("body", _("受伤部位"), QLineEdit(self.case.body_parts))
        self.finish()
        self.resize(600, self.sizeHint().height())

    def save(self):
        return self.ctx.store.report_relapse(self.ctx.actor, self.case.id, description=self.what.toPlainText(),
                                             hospital=self.hospital.text().strip(), body_parts=self.body.text().strip())


class ServiceDialog(FormDialog):
    """登记送达日期: the day the applicant received the decision; the review and
    lawsuit windows run from it. Saved only over the decision as it was read."""
    save_label = "保存"
    field_keys = {"送达日期": "date"}
    record_title = "结论书"
    record_columns = {"date": "served_on"}

    def __init__(self, parent, ctx, case_id: str):
        super().__init__(parent, ctx, _("登记结论书送达日期"))
        self.decision = ctx.store.decisions_of(case_id)[-1]
        self.record_version = self.decision.row_version
        self.shown(_("结论书")).setText(_("{n}（{d}作出）").format(n=self.decision.number,
                                                              d=self.decision.decided_on.isoformat()))
        self.served = self.add("date", _("送达日期"), date_edit(self.decision.served_on or china_today(),
                                                              maximum=china_today()),
                               hint=_("申请人签收之日；申请行政复议（60 日）和提起行政诉讼（6 个月）的期限自次日起算"))
        self.served.setMinimumDate(qdate(self.decision.decided_on))
        if self.decision.served_on is None:
            note = QLabel(_("尚未登记送达日期：目前两项期限暂按结论日期 {d} 起算。").format(
                d=self.decision.decided_on.isoformat()))
            note.setWordWrap(True)
            note.setStyleSheet("color:#b9770e")
            self.form.insertRow(0, "", note)
        self.finish()
        self.resize(520, self.sizeHint().height())

    def stored_text(self, key: str, row: dict):
        return row.get("served_on") or _("（未登记）")

    def load_record(self, row: dict) -> None:
        if row.get("served_on"):
            self.served.setDate(qdate(date.fromisoformat(row["served_on"])))

    def save(self):
        return self.ctx.store.record_service(self.ctx.actor, self.decision.id, pydate(self.served.date()),
                                             expected_version=self.record_version)
