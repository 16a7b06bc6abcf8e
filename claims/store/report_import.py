"""``import-reports``: a platform's accident reports in bulk (cli.md "Accident
report format"). Each new report becomes a case in 报案, its clock running
from the report time, through the same ``report_case`` a clerk's report
goes through (the same checks, the same duplicate guard, 外卖 recorded as
即时配送 from 2025-07-01 with a note); the same report (platform + its own
number) imported again is stored once. One ``import_transaction``: a dry run,
a cancel or an error writes nothing; the row-by-row report as the other imports."""
from __future__ import annotations

from datetime import timedelta
from typing import Callable, Iterable

from ..enums import Industry
from ..errors import ClaimsError, FieldError
from ..i18n import _
from ..industries import as_recorded
from ..permissions import require
from ..timeutil import now, parse_time
from .base import Actor, StoreBase
from .import_report import Cancelled, ImportLogMixin, ImportReport

REQUIRED = {"report_no": "报案编号", "platform": "平台", "industry": "行业", "id_number": "身份证号码",
            "accident_at": "事故时间", "place": "事故地点", "account": "事故经过", "reported_at": "报案时间"}
OUTCOMES = {"injury": "injury", "death": "death", "受伤": "injury", "伤": "injury", "死亡": "death"}
BATCH = 200  # rows between progress and cancel checks


def _industry(text: str, line: int) -> Industry:
    try:
        return Industry.from_text(text)
    except ValueError:
        raise FieldError(_("行业"), _("未知行业“{i}”（出行、外卖、即时配送、同城货运）").format(i=text), line) from None


class ReportImportMixin(ImportLogMixin, StoreBase):
    def import_reports(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                       file_name: str = "", progress: Callable[[int], None] | None = None,
                       cancel: Callable[[], bool] | None = None) -> ImportReport:
        require(actor, "case.report")
        report = ImportReport(dry_run=dry_run)
        platforms = {p.name: p for p in self.platforms()}
        checked_header = False
        with self.import_transaction(dry_run=dry_run):
            for line, rec in rows:
                if not checked_header:
                    missing = [lab for key, lab in REQUIRED.items() if key not in rec]
                    if missing:
                        raise ClaimsError(_("文件缺少必填列：{c}（列名见报案导入格式：{k}）").format(
                            c="、".join(missing), k="、".join(k for k in REQUIRED if k not in rec)))
                    checked_header = True
                report.total += 1
                try:
                    status, detail = self._import_report_row(actor, line, rec, platforms)
                except FieldError as e:
                    report.reject(line, e.message)
                except ClaimsError as e:
                    report.reject(line, _("第 {l} 行：{m}").format(l=line, m=e.message))
                else:
                    if status == "new":
                        report.new += 1
                    else:
                        report.unchanged += 1
                    report.note(line, status, detail)
                if report.total % BATCH == 0:
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            if cancel and cancel():
                raise Cancelled()
            self._log_import(actor, "reports", file_name, report)
        if progress:
            progress(report.total)
        return report

    def _import_report_row(self, actor: Actor, line: int, rec: dict, platforms: dict) -> tuple[str, str]:
        get = lambda k: (rec.get(k) or "").strip()  # noqa: E731
        for key, label in REQUIRED.items():
            if not get(key):
                raise FieldError(_(label), _("不能为空（必填）"), line)
        plat = platforms.get(get("platform"))
        if plat is None:
            raise FieldError(_("平台"), _("未登记的平台“{p}”").format(p=get("platform")), line)
        report_no = get("report_no")
        if len(report_no) > 64:
            raise FieldError(_("报案编号"), _("太长（最多 64 个字符）"), line)
        old = self.conn.execute("SELECT number FROM cases WHERE platform_id = ? AND report_no = ?",
                                (plat.id, report_no)).fetchone()
        if old:
            return "unchanged", _("已导入：案件 {n}").format(n=old[0])
        ind = _industry(get("industry"), line)
        accident_at = parse_time(get("accident_at"), field=_("事故时间"), row=line)
        reported_at = parse_time(get("reported_at"), field=_("报案时间"), row=line)
        if reported_at > now() + timedelta(minutes=5):
            raise FieldError(_("报案时间"), _("{t} 晚于现在").format(t=get("reported_at")), line)
        if accident_at > reported_at:
            raise FieldError(_("事故时间"), _("{a} 晚于报案时间 {r}").format(a=get("accident_at"), r=get("reported_at")),
                             line)
        stored_ind, mapped = as_recorded(ind, accident_at)
        if plat.industries and stored_ind not in plat.industries and ind not in plat.industries:
            raise FieldError(_("行业"), _("平台“{p}”未登记{i}行业").format(p=plat.name, i=ind.label), line)
        from ..validators import parse_id_number
        try:
            idn = parse_id_number(get("id_number")).number
        except FieldError as e:
            raise FieldError(_("身份证号码"), e.detail, line) from None
        worker = self.worker_by_id_number(idn)
        if worker is None:
            raise FieldError(_("身份证号码"), _("未登记的人员 {i}（请先登记人员）").format(i=get("id_number")), line)
        outcome = OUTCOMES.get(get("outcome") or "injury")
        if outcome is None:
            raise FieldError(_("结果"), _("“{o}”应为 injury（受伤）或 death（死亡）").format(o=get("outcome")), line)
        parts = [p.strip() for p in get("body_parts").replace(";", "、").replace("；", "、").split("、") if p.strip()]
        station = self.conn.execute(
            "SELECT station_id FROM enrollments WHERE worker_id = ? AND platform_id = ? AND station_id IS NOT NULL"
            " ORDER BY (industry = ?) DESC, start_on DESC LIMIT 1", (worker.id, plat.id, stored_ind.value)).fetchone()
        case, _c = self.report_case(
            actor, worker_id=worker.id, platform_id=plat.id, industry=ind.value, accident_at=accident_at,
            station_id=station[0] if station else None, order_no=get("order_no"), place=get("place"),
            description=get("account"), body_parts="、".join(parts), case_type="death" if outcome == "death" else "injury",
            reporter_name=get("reporter_name") or plat.name, reporter_relation=get("reporter_relation") or _("平台企业"),
            channel="platform", reported_at=reported_at, report_no=report_no)
        if get("reporter_phone"):
            self._event_note_phone(actor, case.id, get("reporter_phone"))
        return "new", _("案件 {n}").format(n=case.number) + (_("（{m}）").format(m=mapped) if mapped else "")

    def _event_note_phone(self, actor: Actor, case_id: str, phone: str) -> None:
        """The reporter's telephone has no column of its own: it goes into the report's history entry."""
        r = self.conn.execute("SELECT id, note FROM case_events WHERE case_id = ? ORDER BY seq LIMIT 1",
                              (case_id,)).fetchone()
        self._update("case_events", r[0], {"note": r[1] + _("；报案人电话 {p}").format(p=phone)}, actor, what=_("案件历史"))
