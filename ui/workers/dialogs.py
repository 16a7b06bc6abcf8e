"""Forms for platforms, stations, enrollments and other cover. Each has
``ask(parent, ctx, …)`` returning (record, change) or None."""
from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from claims.enums import Industry
from claims.errors import FieldError
from claims.i18n import _
from claims.store.enrollment_extra import OTHER_COVER_KINDS, SHANGHAI_DISTRICTS
from claims.validators import credit_code_problem, normalize_mobile

from ..forms import FormDialog, Incomplete, OptionalDate, date_edit, qdate
from claims.timeutil import today as china_today


def check_phone(v: str):
    """A mobile number, or an area code and landline (021-12345678)."""
    digits = re.sub(r"[\s-]", "", v)
    if re.fullmatch(r"0\d{9,11}", digits):
        return None
    if digits.isdigit() and len(digits) < 11 and not digits.startswith("0"):
        raise Incomplete(_("已输入 {n} / 11 位").format(n=len(digits)))
    try:
        normalize_mobile(v, field=_("联系电话"))
    except FieldError:
        raise FieldError(_("联系电话"), _("应为11位手机号码，或区号加座机号码（如 021-12345678）")) from None
    return None


def a_year_from(d: date) -> date:
    """The last day of a one-year period starting on ``d``."""
    try:
        return d.replace(year=d.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return d + timedelta(days=365)


def combo(items: list[tuple[str, object]], placeholder: str | None = None) -> QComboBox:
    box = QComboBox()
    if placeholder is not None:
        box.addItem(placeholder, None)
    for text, data in items:
        box.addItem(text, data)
    return box


class IndustryChecks(QWidget):
    """One check box per industry; value() is the list of codes ticked."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes = [QCheckBox(i.label) for i in Industry]
        for b in self.boxes:
            lay.addWidget(b)
        lay.addStretch(1)

    def value(self) -> list[str]:
        return [i.value for i, b in zip(Industry, self.boxes) if b.isChecked()]


class PlatformDialog(FormDialog):
    def __init__(self, parent, ctx):
        super().__init__(parent, ctx, _("新增平台"))
        self.line("name", _("平台名称"), self._check_name, required=True, placeholder=_("如：美团"))
        self.line("credit_code", _("统一社会信用代码"), self._check_code, placeholder=_("18位，如 91310000MA1FL0XX7B"),
                  max_len=30)
        self.line("credit_override", _("忽略校验的理由"), required=True,
                  placeholder=_("如：营业执照上的代码即为此号，已核对原件"))
        self.industries = IndustryChecks()
        self.add("industries", _("服务行业"), self.industries, required=True, inputs=self.industries.boxes,
                 empty=_("请至少选择一个行业"))
        self.line("contact_name", _("联系人"), max_len=30)
        self.line("contact_phone", _("联系电话"), check_phone, max_len=20)
        self.line("legal_name", _("企业名称"), max_len=100, placeholder=_("营业执照上的名称，如：北京三快在线科技有限公司"))
        self.set_visible("credit_override", False)
        self.finish()

    def _check_name(self, v: str):
        if self.ctx.store.platform_by_name(v):
            raise FieldError(_("平台名称"), _("“{n}”已登记").format(n=v))

    @staticmethod
    def _check_code(v: str):
        cleaned = re.sub(r"[\s-]", "", v).upper()
        if len(cleaned) < 18 and re.fullmatch(r"[0-9A-Z]*", cleaned) and not re.search(r"[IOSVZ]", cleaned):
            raise Incomplete(_("已输入 {n} / 18 位").format(n=len(cleaned)))
        _code, warning = credit_code_problem(v)
        return warning

    def on_change(self, key: str) -> None:
        if key == "credit_code":
            level, _text = self.evaluate(self.fields["credit_code"])
            self.set_visible("credit_override", level == "warning")

    def save(self):
        override = self.value("credit_override") if self.fields["credit_override"].visible else ""
        return self.ctx.store.add_platform(
            self.ctx.actor, name=self.value("name"), credit_code=self.value("credit_code"),
            industries=self.industries.value(), credit_override=override,
            contact_name=self.value("contact_name"), contact_phone=self.value("contact_phone"),
            legal_name=self.value("legal_name"))


class StationDialog(FormDialog):
    def __init__(self, parent, ctx, platform_id: str | None = None):
        super().__init__(parent, ctx, _("新增站点"))
        plats = [(p.name, p.id) for p in ctx.store.platforms()]
        self.platform = self.add("platform", _("所属平台"), combo(plats, _("（请选择平台）")), required=True,
                                 empty=_("请选择平台（没有可选的平台时，请先新增平台）"))
        if platform_id:
            self.platform.setCurrentIndex(max(0, self.platform.findData(platform_id)))
        elif len(plats) == 1:
            self.platform.setCurrentIndex(1)
        self.line("name", _("站点名称"), self._check_name, required=True, placeholder=_("如：浦东张江站"))
        self.add("district", _("所在区"), combo([(f"{code} {name}", code) for code, name in SHANGHAI_DISTRICTS],
                                             _("（请选择所在区）")), required=True, empty=_("请选择站点所在的区"))
        self.line("address", _("地址"))
        self.line("manager", _("站长"), max_len=30)
        self.finish()

    def _check_name(self, v: str):
        pid = self.value("platform")
        if pid and any(s.name == v for s in self.ctx.store.stations(pid)):
            raise FieldError(_("站点名称"), _("该平台下已有站点“{n}”").format(n=v))

    def on_change(self, key: str) -> None:
        if key == "platform":
            self.fields["name"].touched = self.fields["name"].touched or bool(self.value("name"))

    def save(self):
        return self.ctx.store.add_station(self.ctx.actor, platform_id=self.value("platform"), name=self.value("name"),
                                          district=self.value("district"), address=self.value("address"),
                                          manager=self.value("manager"))


class EnrollDialog(FormDialog):
    def __init__(self, parent, ctx, worker, platform_id: str | None = None):
        super().__init__(parent, ctx, _("参保登记 — {n}").format(n=worker.name))
        self.worker = worker
        who = self.shown(_("人员"))
        who.setText(_("{n}（{id}）").format(n=worker.name, id=ctx.id_text(worker.id_number, worker.id)))
        self.platforms = {p.id: p for p in ctx.store.platforms(actor=ctx.actor)}
        self.platform = self.add("platform", _("平台"), combo([(p.name, p.id) for p in self.platforms.values()],
                                                             _("（请选择平台）")),
                                 required=True, empty=_("请选择平台"))
        self.station = self.add("station", _("站点"), combo([], None))
        self.industry = self.add("industry", _("行业"), combo([], None), self._check_industry, required=True,
                                 empty=_("请选择行业"))
        self.start = self.add("start", _("起始日期"), date_edit(), required=True)
        self.end = OptionalDate(_("有终止日期"))
        self.add("end", _("终止日期"), self.end, self._check_end, inputs=[self.end.box, self.end.edit])
        self.line("platform_account", _("平台账号"), max_len=40, placeholder=_("骑手、司机或配送员在平台的账号（选填）"))
        own = ctx.actor.station_id and ctx.store.station(ctx.actor.station_id)
        if own:
            self.platform.setCurrentIndex(self.platform.findData(own.platform_id))
        elif platform_id in self.platforms:  # the platform the list is filtered by
            self.platform.setCurrentIndex(self.platform.findData(platform_id))
        elif len(self.platforms) == 1:
            self.platform.setCurrentIndex(1)
        self._fill(station_id=own.id if own else None)
        self.finish()

    def _fill(self, station_id: str | None = None) -> None:
        """Stations and industries of the chosen platform (one industry: preselected)."""
        plat = self.platforms.get(self.value("platform"))
        with self.loading():
            self.station.clear()
            self.station.addItem(_("（不指定站点）"), None)
            inds = (plat.industries or list(Industry)) if plat else []
            self.industry.clear()
            if len(inds) != 1:
                self.industry.addItem(_("（请选择行业）"), None)
            for i in inds:
                self.industry.addItem(i.label, i.value)
            if plat:
                for s in self.ctx.store.stations(plat.id, actor=self.ctx.actor):
                    self.station.addItem(s.name, s.id)
                if station_id:
                    self.station.setCurrentIndex(max(0, self.station.findData(station_id)))
            self.station.setProperty("for", self.value("platform"))

    def on_change(self, key: str) -> None:
        if key == "platform" and not self._loading and self.station.property("for") != self.value("platform"):
            self._fill()

    def _check_industry(self, v: str):
        if self.end.value() is not None:
            return None
        for e in self.ctx.store.enrollments_of(self.worker.id):
            if (e.platform_id == self.value("platform") and e.industry.value == v and e.status.value == "active"
                    and e.end_on is None):
                raise FieldError(_("行业"), _("此人在该平台的{i}行业已有有效参保登记（自 {d} 起）").format(
                    i=e.industry.label, d=e.start_on.isoformat()))
        return None

    def _check_end(self, v: date):
        if v < self.value("start"):
            raise FieldError(_("终止日期"), _("不能早于起始日期"))

    def save(self):
        end = self.end.value()
        return self.ctx.store.enroll(self.ctx.actor, worker_id=self.worker.id, platform_id=self.value("platform"),
                                     industry=self.value("industry"), start_on=self.value("start").isoformat(),
                                     station_id=self.value("station"), end_on=end.isoformat() if end else None,
                                     platform_account=self.value("platform_account"))


class EndEnrollmentDialog(FormDialog):
    """The worker no longer works for a platform in an industry: their cover there ends on a day
    (the last day covered). The enrollment stays on record with its period."""

    save_label = "终止参保"

    def __init__(self, parent, ctx, worker):
        super().__init__(parent, ctx, _("终止参保 — {n}").format(n=worker.name))
        self.worker = worker
        names = {p.id: p.name for p in ctx.store.platforms()}
        mine = ctx.actor.role != "station_manager"  # a station manager ends only their own station's
        self.open = [e for e in ctx.store.enrollments_of(worker.id) if e.status.value == "active"
                     and (mine or e.station_id == ctx.actor.station_id)]
        who = self.shown(_("人员"))
        who.setText(_("{n}（{id}）").format(n=worker.name, id=ctx.id_text(worker.id_number, worker.id)))
        self.which = self.add("enrollment", _("参保登记"), combo(
            [(_("{p} / {i}（自 {d} 起）").format(p=names.get(e.platform_id, "—"), i=e.industry.label,
                                               d=e.start_on.isoformat()), e.id) for e in self.open],
            None if len(self.open) == 1 else _("（请选择要终止的参保）")),
            required=True, empty=_("请选择要终止的参保"))
        self.add("end", _("终止日期"), date_edit(china_today()), self._check_end, required=True,
                 hint=_("最后一个保障日：此后的订单不再有职业伤害保障"))
        self.finish()

    def _check_end(self, v: date):
        e = next((x for x in self.open if x.id == self.value("enrollment")), None)
        if e is not None and v < e.start_on:
            raise FieldError(_("终止日期"), _("不能早于起始日期 {d}").format(d=e.start_on.isoformat()))
        return None

    def conflict_rows(self, current: dict) -> list[tuple[str, str, str]]:
        return [(_("终止日期"), self.value("end").isoformat(), current["end_on"] or _("（未终止）")),
                (_("状态"), _("已终止"), _("已终止") if current["status"] == "ended" else _("在保"))]

    def load_record(self, row: dict) -> None:
        if row["end_on"]:
            self.fields["end"].widget.setDate(qdate(date.fromisoformat(row["end_on"])))

    def save(self):
        e = next((x for x in self.open if x.id == self.value("enrollment")), None)
        if self.record_version is None and e is not None:
            self.record_version = e.row_version  # the version the list was read at
        return self.ctx.store.end_enrollment(self.ctx.actor, self.value("enrollment"),
                                             end_on=self.value("end").isoformat(),
                                             expected_version=self.record_version)


class OtherCoverDialog(FormDialog):
    def __init__(self, parent, ctx, worker):
        super().__init__(parent, ctx, _("其他保障 — {n}").format(n=worker.name))
        self.worker = worker
        self.add("kind", _("保障类别"), combo(list((v, k) for k, v in OTHER_COVER_KINDS.items()), _("（请选择类别）")),
                 required=True, empty=_("请选择保障类别"))
        self.line("name", _("保障名称"), required=True, placeholder=_("如：新就业形态劳动者专享互助保障"))
        self.line("insurer", _("承保机构"), placeholder=_("如：上海市职工保障互助会"))
        self.line("policy_no", _("保单号"), max_len=60)
        self.start = self.add("start", _("起始日期"), date_edit(), required=True)
        self.end = OptionalDate(_("有终止日期"), a_year_from(china_today()))
        self.add("end", _("终止日期"), self.end, self._check_end, inputs=[self.end.box, self.end.edit])
        self.finish()

    def _check_end(self, v: date):
        if v < self.value("start"):
            raise FieldError(_("终止日期"), _("不能早于起始日期"))

    def save(self):
        end = self.end.value()
        return self.ctx.store.add_other_cover(self.ctx.actor, worker_id=self.worker.id, kind=self.value("kind"),
                                              name=self.value("name"), insurer=self.value("insurer"),
                                              policy_no=self.value("policy_no"),
                                              start_on=self.value("start").isoformat(),
                                              end_on=end.isoformat() if end else None)
