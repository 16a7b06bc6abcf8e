"""Registering an injured worker on the spot while taking a report. Uses the
enrollment screen's own dialog when it is there; otherwise a minimal form:
name, ID number (gender and birth date derived), mobile, bank card, and the
platform enrollment."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from claims.enums import Industry
from claims.errors import FieldError
from claims.i18n import _
from claims.validators import normalize_bank_card, normalize_mobile, parse_id_number

from .common import FormDialog, date_edit, pydate


def _record(got):
    """The record in what another screen's ``ask`` returned (record, (record, change) or a result object)."""
    if isinstance(got, tuple):
        got = got[0] if got else None
    got = getattr(got, "worker", got)
    return got if hasattr(got, "id_number") else None


def register_worker(parent, ctx):
    """The new (or already registered) worker, or None. Uses the enrollment
    screen's WorkerDialog and EnrollDialog when they are there."""
    try:
        from ..workers.worker_dialog import WorkerDialog
        from ..workers.dialogs import EnrollDialog
    except ImportError:
        return QuickWorkerDialog.ask(parent, ctx)
    w = _record(WorkerDialog.ask(parent, ctx))
    if w is not None and not ctx.store.enrollments_of(w.id):
        EnrollDialog.ask(parent, ctx, w)  # the platform they were working for
    return w


class QuickWorkerDialog(FormDialog):
    field_keys = {"姓名": "name", "身份证号码": "id", "手机号码": "phone", "银行账号": "card", "行业": "industry"}

    def __init__(self, parent, ctx):
        super().__init__(parent, ctx, _("当场登记人员"))
        self.name = self.add_row("name", _("姓名"), QLineEdit())
        self.idn = self.add_row("id", _("身份证号码"), QLineEdit())
        self.derived = QLabel("—")
        self.derived.setStyleSheet("color: #666")
        self.form.addRow(_("性别 / 出生日期"), self.derived)
        self.phone = self.add_row("phone", _("手机号码"), QLineEdit())
        self.card = self.add_row("card", _("银行账号"), QLineEdit(), _("支付待遇时使用，可稍后补登"))
        self.platform = self.add_row("platform", _("平台"), QComboBox())
        for p in ctx.store.platforms():
            self.platform.addItem(p.name, p.id)
        self.industry = self.add_row("industry", _("行业"), QComboBox())
        self.station = self.add_row("station", _("站点"), QComboBox())
        self.start = self.add_row("start", _("参保日期"), date_edit(date.today(), maximum=date.today()))
        self.platform.currentIndexChanged.connect(self.fill)
        self.fill()
        self.finish_layout()
        self.resize(520, self.sizeHint().height())

    def fill(self) -> None:
        pid = self.platform.currentData()
        self.industry.clear()
        self.station.clear()
        if not pid:
            return
        p = self.ctx.store.platform(pid)
        for i in p.industries or list(Industry):
            self.industry.addItem(i.label, i.value)
        self.industry.setEnabled(self.industry.count() > 1)
        self.station.addItem(_("（不指定）"), None)
        for st in self.ctx.store.stations(pid):
            self.station.addItem(st.name, st.id)
        if self.ctx.actor.role == "station_manager":
            self.station.setCurrentIndex(max(0, self.station.findData(self.ctx.actor.station_id)))
            self.station.setEnabled(False)

    def problems(self) -> dict[str, str]:
        p = {}
        if not self.name.text().strip():
            p["name"] = _("请填写姓名")
        try:
            idn = parse_id_number(self.idn.text())
            self.derived.setText(_("{g}，{b} 出生").format(g="男" if idn.gender == "male" else "女",
                                                          b=idn.birth_date.isoformat()))
        except FieldError as e:
            self.derived.setText("—")
            if self.idn.text().strip():
                p["id"] = e.detail
            else:
                p["id"] = _("请填写身份证号码")
        try:
            normalize_mobile(self.phone.text())
        except FieldError as e:
            p["phone"] = e.detail if self.phone.text().strip() else _("请填写手机号码")
        if self.card.text().strip():
            try:
                normalize_bank_card(self.card.text())
            except FieldError as e:
                p["card"] = e.detail
        if not self.platform.currentData():
            p["platform"] = _("请先在“参保登记”中登记平台")
        return p

    def save(self):
        s, a = self.ctx.store, self.ctx.actor
        with s.atomic():
            w, _c = s.add_worker(a, {"name": self.name.text(), "id_number": self.idn.text(),
                                     "phone": self.phone.text(), "bank_card": self.card.text()})
            s.enroll(a, worker_id=w.id, platform_id=self.platform.currentData(),
                     industry=self.industry.currentData(), station_id=self.station.currentData(),
                     start_on=pydate(self.start.date()).isoformat())
        return w
