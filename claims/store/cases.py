"""Cases: report, lifecycle transitions with history and clocks, documents,
decisions, appraisals, assessments and maker-checker payments."""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import checklist as rules
from .. import lifecycle
from ..clocks import due_date
from ..enums import CaseState, Industry
from ..errors import ClaimsError, FieldError, NotFound, PermissionDenied
from ..change import Change
from ..lazy import lazy_import
from ..permissions import narrow, own_platform, own_station, require
from ..timeutil import SHANGHAI, now
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import (Appraisal, BenefitAssessment, BenefitPayment, Case, CaseDocument, CaseEvent,
                          Decision)

models = lazy_import("claims.models")

DUPLICATE_WINDOW = timedelta(hours=6)
APPRAISAL_KINDS = {"initial": "初次鉴定", "re_appraisal": "再次鉴定", "review": "复查鉴定"}
PAYMENT_KINDS = {"once": "一次性", "monthly": "按月"}
OPEN_STATES = tuple(st.value for st in CaseState if st not in lifecycle.TERMINAL)
WAITING_ORDER = "c.due_on IS NULL, c.due_on, c.reported_at"  # earliest deadline first
CASE_LIST_ORDER = "c.reported_at DESC, c.id"  # the case list: newest report first


@dataclass
class CaseFilter:
    text: str = ""
    state: str | None = None
    platform_id: str | None = None
    industry: str | None = None
    station_id: str | None = None
    due: str | None = None  # "overdue" | "soon" (within 7 days)
    today: date | None = None


class CaseMixin(StoreBase):
    @property
    def files_dir(self) -> Path:
        return self.path.with_name(self.path.stem + ".files")

    # -- report -----------------------------------------------------------
    def duplicate_cases(self, worker_id: str, accident_at: datetime, platform_id: str = "",
                        order_no: str = "") -> list[Case]:
        lo = (accident_at - DUPLICATE_WINDOW).isoformat()
        hi = (accident_at + DUPLICATE_WINDOW).isoformat()
        rows = self.conn.execute(
            "SELECT * FROM cases WHERE (worker_id = ? AND accident_at BETWEEN ? AND ?)"
            " OR (? != '' AND platform_id = ? AND order_no = ?) ORDER BY accident_at",
            (worker_id, lo, hi, order_no, platform_id, order_no))
        return [models.Case.from_row(dict(r)) for r in rows]

    def report_case(self, actor: Actor, *, worker_id: str, platform_id: str, industry: str,
                    accident_at: datetime, station_id: str | None = None, order_no: str = "",
                    place: str = "", description: str = "", body_parts: str = "", hospital: str = "",
                    case_type: str = "injury", reporter_name: str = "", reporter_relation: str = "",
                    channel: str = "counter", reported_at: datetime | None = None,
                    allow_duplicate: bool = False) -> tuple[Case, Change]:
        require(actor, "case.report")
        self._must("workers", worker_id, "人员")
        self._must("platforms", platform_id, "平台")
        ind = Industry(industry)
        if accident_at.tzinfo is None:
            raise FieldError("事故时间", "须带时区")
        reported_at = reported_at or now()
        if accident_at > reported_at:
            raise FieldError("事故时间", "不能晚于报案时间")
        if not description.strip():
            raise FieldError("事故经过", "不能为空")
        if self._scope_station(actor) and station_id != actor.station_id:
            raise PermissionDenied("站长只能为本站点人员报案")
        dups = self.duplicate_cases(worker_id, accident_at, platform_id, order_no.strip())
        if dups and not allow_duplicate:
            nums = "、".join(c.number for c in dups)
            raise ClaimsError(f"可能重复报案：已有案件 {nums}（同一人员相近时间或同一订单）。确认不是同一事故后再提交。")
        year = accident_at.astimezone(SHANGHAI).year
        with self.atomic():
            seq = self.next_counter(f"case:{year}")
            number = f"BA{year}-{self.site_id}-{seq:05d}"
            since = reported_at.astimezone(SHANGHAI)
            row = self._insert("cases", {
                "number": number, "worker_id": worker_id, "platform_id": platform_id, "station_id": station_id,
                "industry": ind.value, "order_no": order_no.strip(),
                "accident_at": accident_at.astimezone(SHANGHAI).isoformat(), "place": place,
                "description": description, "body_parts": body_parts, "hospital": hospital,
                "case_type": case_type, "reporter_name": reporter_name, "reporter_relation": reporter_relation,
                "channel": channel, "reported_at": since.isoformat(), "state": CaseState.reported.value,
                "state_since": since.isoformat(),
                "due_on": str(due_date("reported", since.date(), None) or "") or None}, actor)
            self._event(actor, row["id"], None, CaseState.reported, since, "报案")
        return models.Case.from_row(row), self.change("cases", ids=[row["id"]], summary=f"报案 {number}")

    @staticmethod
    def _scope_station(actor: Actor) -> str | None:
        return actor.station_id if actor.role == "station_manager" else None

    def _event(self, actor: Actor, case_id: str, frm, to: CaseState, at: datetime, note: str) -> None:
        seq = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = ?",
                                (case_id,)).fetchone()[0]
        self._insert("case_events", {"case_id": case_id, "seq": seq, "from_state": frm.value if frm else None,
                                     "to_state": to.value, "actor": actor.username, "at": at.isoformat(),
                                     "note": note}, actor)

    # -- lifecycle --------------------------------------------------------
    def case(self, case_id: str, actor: Actor | None = None) -> Case:
        c = models.Case.from_row(self._must("cases", case_id, "案件"))
        if actor is not None and self._scope_station(actor) and c.station_id != actor.station_id:
            raise PermissionDenied("站长只能查看本站点的案件")
        return c

    def case_by_number(self, number: str, actor: Actor | None = None) -> Case:
        """A case by its number; a station manager (``actor``) finds their own station's only."""
        r = self.conn.execute("SELECT * FROM cases WHERE number = ?", (number.strip(),)).fetchone()
        if not r or (own_station(actor) is not None and r["station_id"] != own_station(actor)):
            raise NotFound(f"找不到案件 {number}")
        return models.Case.from_row(dict(r))

    def case_events(self, case_id: str) -> list[CaseEvent]:
        return [models.CaseEvent.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM case_events WHERE case_id = ? ORDER BY seq", (case_id,))]

    def resume_state(self, case_id: str) -> CaseState | None:
        """The state a suspension or dispute interrupted."""
        r = self.conn.execute("SELECT from_state FROM case_events WHERE case_id = ? AND to_state IN "
                              "('suspended','disputed') ORDER BY seq DESC LIMIT 1", (case_id,)).fetchone()
        return CaseState(r[0]) if r and r[0] else None

    def allowed_transitions(self, case_id: str) -> tuple[CaseState, ...]:
        c = self.case(case_id)
        return lifecycle.allowed(c.state, self.resume_state(case_id))

    def transition(self, actor: Actor, case_id: str, target: str | CaseState, note: str = "",
                   at: datetime | None = None) -> tuple[Case, Change]:
        target = CaseState(target)
        require(actor, "case.decide" if target in lifecycle.REVIEWER_ONLY else "case.transition")
        c = self.case(case_id, actor)
        lifecycle.check(c.state, target, self.resume_state(case_id), actor.role)
        at = (at or now()).astimezone(SHANGHAI)
        values = {"state": target.value, "state_since": at.isoformat()}
        if target in lifecycle.PAUSED_STATES:  # stop the clock, keep what is left
            left = (c.due_on - at.date()).days if c.due_on else None
            values.update(due_on=None, clock_left=left)
        elif c.state in lifecycle.PAUSED_STATES and c.clock_left is not None and target == self.resume_state(case_id):
            values.update(due_on=(at.date() + timedelta(days=c.clock_left)).isoformat(), clock_left=None)
        else:
            accepted = self._accepted_on(case_id)
            if target == CaseState.accepted:
                accepted = at.date()
            due = due_date(target.value, at.date(), accepted)
            values.update(due_on=due.isoformat() if due else None, clock_left=None)
        with self.atomic():
            row = self._update("cases", case_id, values, actor, what="案件")
            self._event(actor, case_id, c.state, target, at, note)
            if c.state == CaseState.awaiting_documents and target not in lifecycle.PAUSED_STATES:
                self._close_notices(actor, case_id, "closed", at.date())
        return models.Case.from_row(row), self.change("cases", ids=[case_id],
                                               summary=f"{c.number}：{c.state.label} → {target.label}")

    def _accepted_on(self, case_id: str) -> date | None:
        r = self.conn.execute("SELECT at FROM case_events WHERE case_id = ? AND to_state = 'accepted' "
                              "ORDER BY seq DESC LIMIT 1", (case_id,)).fetchone()
        return datetime.fromisoformat(r[0]).date() if r else None

    # -- documents --------------------------------------------------------
    def add_document(self, actor: Actor, case_id: str, *, doc_type: str, pages: int = 1,
                     received_on: date | None = None, file_path: str | Path | None = None) -> tuple[CaseDocument, Change]:
        require(actor, "case.document")
        self.case(case_id, actor)
        if pages < 0:
            raise FieldError("页数", "不能为负数")
        digest, name = "", ""
        if file_path:
            src = Path(file_path)
            if not src.is_file():
                raise FieldError("文件", f"找不到文件 {src}")
            digest = hashlib.sha256(src.read_bytes()).hexdigest()
            dest = self.files_dir / digest[:2] / digest
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
            name = src.name
        with self.atomic():
            row = self._insert("case_documents", {"case_id": case_id, "doc_type": doc_type, "file_name": name,
                                                  "content_hash": digest, "pages": pages,
                                                  "received_on": (received_on or now().date()).isoformat()}, actor)
        return models.CaseDocument.from_row(row), self.change(
            "case_documents", "cases", ids=[case_id], summary=f"已登记材料：{rules.document_label(doc_type)}")

    def case_documents(self, case_id: str) -> list[CaseDocument]:
        return [models.CaseDocument.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM case_documents WHERE case_id = ? ORDER BY received_on, created_at", (case_id,))]

    def checklist(self, case_id: str) -> list[rules.ChecklistRow]:
        """The documents this case needs (rules.md §5, from data) and whether each arrived:
        rows of (doc_type, label, reason, received, pages, received_on)."""
        return rules.checklist_rows(self.case(case_id), self.case_documents(case_id))

    def missing_documents(self, case_id: str) -> list[rules.ChecklistRow]:
        return [r for r in self.checklist(case_id) if not r.received]

    def missing_notices_of(self, case_id: str) -> list[models.MissingNotice]:
        return [models.MissingNotice.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM missing_notices WHERE case_id = ? ORDER BY issued_on, created_at", (case_id,))]

    def open_missing_notice(self, case_id: str) -> models.MissingNotice | None:
        r = self.conn.execute("SELECT * FROM missing_notices WHERE case_id = ? AND status = 'open' "
                              "ORDER BY created_at DESC LIMIT 1", (case_id,)).fetchone()
        return models.MissingNotice.from_row(dict(r)) if r else None

    def missing_notice_by_number(self, number: str) -> models.MissingNotice:
        r = self.conn.execute("SELECT * FROM missing_notices WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到补正告知 {number}")
        return models.MissingNotice.from_row(dict(r))

    def issue_missing_notice(self, actor: Actor, case_id: str, at: datetime | None = None
                             ) -> tuple[models.MissingNotice, Change]:
        """Record ONE notice listing every missing document and move the case to
        材料待补 (its clock starts). Asking piecemeal is not allowed: while a notice
        is open a second one is refused, unless a requirement appeared that the
        open notice does not list; the new notice then lists everything missing
        and replaces the open one (which is kept, marked superseded)."""
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        at = (at or now()).astimezone(SHANGHAI)
        missing = self.missing_documents(case_id)
        if not missing:
            raise ClaimsError(f"案件 {c.number} 的材料已齐全，无需发出补正告知")
        current = self.open_missing_notice(case_id)
        if current is not None:
            listed = {i["doc_type"] for i in current.items}
            if not [m for m in missing if m.doc_type not in listed]:
                raise ClaimsError(
                    f"已于 {current.issued_on.isoformat()} 发出一次性告知 {current.number}（限 "
                    f"{current.due_on.isoformat() if current.due_on else '—'} 前补正），尚未结束；"
                    "一次性告知须列明全部缺少的材料，不能再次发出（除非出现了新的材料要求）")
        items = [{"doc_type": m.doc_type, "name": m.label, "reason": m.reason} for m in missing]
        with self.atomic():
            seq = self.conn.execute("SELECT count(*) FROM missing_notices WHERE case_id = ?", (case_id,)).fetchone()[0]
            number = f"{c.number}-BZ{seq + 1:02d}"  # as printed on the notice (claims/printing.py)
            names = "、".join(m.label for m in missing)
            if c.state != CaseState.awaiting_documents:
                c, _ = self.transition(actor, case_id, CaseState.awaiting_documents,
                                       f"一次性告知 {number}：缺 {len(missing)} 项（{names}）", at=at)
                due = c.due_on
            else:  # a supplementary notice: the applicant gets the full period again
                due = due_date(CaseState.awaiting_documents.value, at.date(), None)
                self._update("cases", case_id, {"due_on": due.isoformat() if due else None}, actor, what="案件")
            if current is not None:
                self._close_notices(actor, case_id, "superseded", at.date())
            row = self._insert("missing_notices", {
                "case_id": case_id, "number": number, "issued_on": at.date().isoformat(),
                "due_on": due.isoformat() if due else None, "issued_by": actor.username,
                "items": json.dumps(items, ensure_ascii=False), "status": "open"}, actor)
        return models.MissingNotice.from_row(row), self.change(
            "cases", "missing_notices", ids=[case_id, row["id"]], summary=f"{c.number}：一次性告知 {number}")

    def _close_notices(self, actor: Actor, case_id: str, status: str, on: date) -> None:
        for (nid,) in self.conn.execute("SELECT id FROM missing_notices WHERE case_id = ? AND status = 'open'",
                                        (case_id,)).fetchall():
            self._update("missing_notices", nid, {"status": status, "closed_on": on.isoformat()}, actor,
                         what="补正告知")

    # -- decision, appraisal ----------------------------------------------
    def decide(self, actor: Actor, case_id: str, *, confirm: bool, situation_code: str = "", reasons: str = "",
               legal_basis: str = "", decided_on: date | None = None, at: datetime | None = None) -> tuple[Decision, Change]:
        if confirm and not situation_code:
            raise FieldError("情形", "确认时须选择情形代码")
        if situation_code:
            sit = rules.situation(situation_code)
            if sit is None:
                raise FieldError("情形", f"未知的情形代码“{situation_code}”")
            if confirm and sit["kind"] == "exclude":
                raise FieldError("情形", f"“{sit['label']}”属于不得确认的情形，不能据此予以确认")
            if not confirm and sit["kind"] != "exclude":
                raise FieldError("情形", f"“{sit['label']}”是予以确认的情形，不能作为不予确认的依据")
        if not confirm and not reasons.strip():
            raise FieldError("不予确认理由", "不能为空")
        if not legal_basis.strip():
            raise FieldError("法律依据", "不能为空")
        at = at or now()
        decided_on = decided_on or at.date()
        with self.atomic():
            self.transition(actor, case_id, CaseState.confirmed if confirm else CaseState.rejected,
                            "予以确认" if confirm else "不予确认", at=at)
            seq = self.next_counter(f"decision:{decided_on.year}")
            number = f"{'QR' if confirm else 'BQ'}{decided_on.year}-{self.site_id}-{seq:04d}"
            row = self._insert("decisions", {"case_id": case_id, "kind": "confirm" if confirm else "refuse",
                                             "number": number, "decided_on": decided_on.isoformat(),
                                             "situation_code": situation_code, "reasons": reasons,
                                             "legal_basis": legal_basis, "decided_by": actor.username}, actor)
        return models.Decision.from_row(row), self.change("cases", "decisions", ids=[case_id], summary=f"结论书 {number}")

    def decisions_of(self, case_id: str) -> list[Decision]:
        return [models.Decision.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM decisions WHERE case_id = ? ORDER BY decided_on", (case_id,))]

    def record_appraisal(self, actor: Actor, case_id: str, *, grade: int | None, care_level: str | None,
                         conclusion_no: str, concluded_on: date, kind: str = "initial",
                         at: datetime | None = None) -> tuple[Appraisal, Change]:
        if grade is not None and not 1 <= grade <= 10:
            raise FieldError("伤残等级", "应为 1–10 级或无等级")
        if not conclusion_no.strip():
            raise FieldError("鉴定结论书编号", "不能为空")
        if care_level not in (None, "full", "most", "partial"):
            raise FieldError("生活自理障碍", "应为完全、大部分、部分不能自理或无")
        if kind not in APPRAISAL_KINDS:
            raise FieldError("鉴定类别", "应为初次鉴定、再次鉴定或复查鉴定")
        with self.atomic():
            self.transition(actor, case_id, CaseState.appraised, f"鉴定结论 {conclusion_no}", at=at)
            for (old,) in self.conn.execute("SELECT id FROM appraisals WHERE case_id = ? AND current = 1",
                                            (case_id,)).fetchall():
                self._update("appraisals", old, {"current": 0}, actor, what="鉴定")  # kept as history
            row = self._insert("appraisals", {"case_id": case_id, "grade": grade, "care_level": care_level,
                                              "conclusion_no": conclusion_no, "concluded_on": concluded_on.isoformat(),
                                              "kind": kind, "current": 1}, actor)
        return models.Appraisal.from_row(row), self.change("cases", "appraisals", ids=[case_id])

    def appraisals_of(self, case_id: str) -> list[Appraisal]:
        return [models.Appraisal.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM appraisals WHERE case_id = ? ORDER BY concluded_on, created_at", (case_id,))]

    # -- assessment and payments ------------------------------------------
    def save_assessment(self, actor: Actor, case_id: str, result: dict, *, at: datetime | None = None
                        ) -> tuple[BenefitAssessment, Change]:
        """``result`` is the JSON form of a benefits computation."""
        from ..money import to_fen
        require(actor, "assessment.prepare")
        with self.atomic():
            self.transition(actor, case_id, CaseState.assessed, "待遇核定", at=at)
            year = (at or now()).year
            number = f"HD{year}-{self.site_id}-{self.next_counter(f'assessment:{year}'):05d}"
            row = self._insert("assessments", {
                "case_id": case_id, "number": number, "rule_set": result["rule_set"],
                "once_total_fen": to_fen(result["once_total"]), "monthly_total_fen": to_fen(result["monthly_total"]),
                "status": "draft", "prepared_by": actor.username,
                "result_json": json.dumps(result, ensure_ascii=False)}, actor)
        return models.BenefitAssessment.from_row(row), self.change("cases", "assessments", ids=[case_id])

    def approve_assessment(self, actor: Actor, assessment_id: str) -> tuple[BenefitAssessment, Change]:
        a = self._must("assessments", assessment_id, "核定")
        require(actor, "assessment.approve")
        if a["prepared_by"] == actor.username:
            raise PermissionDenied("核定人不能批准自己核定的待遇")
        if a["status"] != "draft":
            raise ClaimsError(f"待遇核定 {a['number']} 已批准")
        with self.atomic():
            row = self._update("assessments", assessment_id, {"status": "approved", "approved_by": actor.username},
                               actor, action="approve", what="核定")
        return models.BenefitAssessment.from_row(row), self.change("assessments", ids=[a["case_id"]])

    def assessments_of(self, case_id: str) -> list[BenefitAssessment]:
        return [models.BenefitAssessment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM assessments WHERE case_id = ? ORDER BY created_at", (case_id,))]

    def prepare_payment(self, actor: Actor, assessment_id: str, *, kind: str, amount_fen: int, payee: str,
                        account: str = "", due_on: date | None = None, period_month: str = ""
                        ) -> tuple[BenefitPayment, Change]:
        require(actor, "payment.prepare")
        a = self._must("assessments", assessment_id, "核定")
        if a["status"] != "approved":
            raise ClaimsError("待遇核定尚未批准，不能安排支付")
        if kind not in PAYMENT_KINDS:
            raise FieldError("支付类别", "应为一次性或按月")
        if amount_fen <= 0:
            raise FieldError("金额", "应大于零")
        if not payee.strip():
            raise FieldError("收款人", "不能为空")
        case = self.case(a["case_id"], actor)
        if case.state in lifecycle.TERMINAL:
            raise ClaimsError(f"案件已{case.state.label}，不能再安排支付")
        if kind == "once":
            planned = self._planned_fen(assessment_id, "once")
            if planned + amount_fen > a["once_total_fen"]:
                from ..money import format_yuan
                raise FieldError("金额", f"一次性待遇核定合计 {format_yuan(a['once_total_fen'])}，已安排 "
                                       f"{format_yuan(planned)}，本次最多 {format_yuan(a['once_total_fen'] - planned)}")
        year = (due_on or now().date()).year
        with self.atomic():
            number = f"ZF{year}-{self.site_id}-{self.next_counter(f'payment:{year}'):05d}"
            row = self._insert("benefit_payments", {
                "number": number, "case_id": a["case_id"], "assessment_id": assessment_id, "kind": kind,
                "period_month": period_month, "amount_fen": amount_fen, "payee": payee, "account": account,
                "due_on": due_on.isoformat() if due_on else None, "status": "prepared",
                "prepared_by": actor.username}, actor)
        return models.BenefitPayment.from_row(row), self.change("benefit_payments", ids=[a["case_id"], row["id"]])

    def approve_payment(self, actor: Actor, payment_id: str, *, paid_on: date | None = None,
                        reference: str = "") -> tuple[BenefitPayment, Change]:
        p = self._must("benefit_payments", payment_id, "支付")
        require(actor, "payment.approve")
        if p["prepared_by"] == actor.username:
            raise PermissionDenied("经办人不能批准自己制单的支付（须另一人审批）")
        if p["status"] != "prepared":
            raise ClaimsError(f"支付 {p['number']} 已{ '审批' if p['status'] == 'approved' else '作废'}")
        with self.atomic():
            row = self._update("benefit_payments", payment_id, {
                "status": "approved", "approved_by": actor.username,
                "paid_on": (paid_on or now().date()).isoformat(), "reference": reference}, actor,
                action="approve", what="支付")
        return models.BenefitPayment.from_row(row), self.change("benefit_payments", ids=[p["case_id"], payment_id])

    def _planned_fen(self, assessment_id: str, kind: str) -> int:
        return self.conn.execute("SELECT coalesce(sum(amount_fen), 0) FROM benefit_payments WHERE assessment_id = ?"
                                 " AND kind = ? AND status != 'cancelled'", (assessment_id, kind)).fetchone()[0]

    def assessment(self, assessment_id: str) -> BenefitAssessment:
        return models.BenefitAssessment.from_row(self._must("assessments", assessment_id, "核定"))

    def assessment_result(self, assessment_id: str) -> dict:
        """The saved JSON of the computation (items, parameters, warnings, and the input)."""
        return json.loads(self.assessment(assessment_id).result_json or "{}")

    def schedule_monthly_payments(self, actor: Actor, assessment_id: str, first_month: str, months: int, *,
                                  payee: str | None = None, account: str | None = None
                                  ) -> tuple[list[BenefitPayment], Change]:
        """Prepare one payment per month of the monthly items (disability
        allowance, nursing care, dependants' pensions), ``months`` months from
        ``first_month`` (YYYY-MM). Each is then approved on its own by another
        user. Payee and account default to the injured worker's."""
        require(actor, "payment.prepare")
        a = self._must("assessments", assessment_id, "核定")
        try:
            y, m = (int(x) for x in first_month.strip().split("-"))
            start = date(y, m, 1)
        except ValueError:
            raise FieldError("起始月份", f"“{first_month}”不是有效的月份（应为 YYYY-MM）") from None
        if not 1 <= months <= 120:
            raise FieldError("月数", "应为 1–120 个月")
        if a["monthly_total_fen"] <= 0:
            raise ClaimsError(f"待遇核定 {a['number']} 没有按月发放的项目")
        if payee is None or account is None:
            w = self.worker(self.case(a["case_id"]).worker_id)
            payee = w.name if payee is None else payee
            account = w.bank_card if account is None else account
        periods = []
        for i in range(months):
            k = start.year * 12 + start.month - 1 + i
            periods.append(date(k // 12, k % 12 + 1, 1))
        taken = {r[0]: r[1] for r in self.conn.execute(
            "SELECT period_month, number FROM benefit_payments WHERE assessment_id = ? AND kind = 'monthly'"
            " AND status != 'cancelled'", (assessment_id,))}
        clash = [f"{p:%Y-%m}（{taken[f'{p:%Y-%m}']}）" for p in periods if f"{p:%Y-%m}" in taken]
        if clash:
            raise FieldError("起始月份", "以下月份已安排支付：" + "、".join(clash))
        out, change = [], self.change()
        with self.atomic():
            for p in periods:
                pay, ch = self.prepare_payment(actor, assessment_id, kind="monthly", amount_fen=a["monthly_total_fen"],
                                               payee=payee, account=account, due_on=p, period_month=f"{p:%Y-%m}")
                out.append(pay)
                change = change | ch
        return out, self.change("benefit_payments", ids=set(change.ids),
                                summary=f"按月支付 {months} 期（{periods[0]:%Y-%m} 起）")

    def payments_of(self, case_id: str) -> list[BenefitPayment]:
        return [models.BenefitPayment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM benefit_payments WHERE case_id = ? ORDER BY due_on, number", (case_id,))]

    def payment_by_number(self, number: str) -> BenefitPayment:
        r = self.conn.execute("SELECT * FROM benefit_payments WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到支付 {number}")
        return models.BenefitPayment.from_row(dict(r))

    # -- list -------------------------------------------------------------
    def _case_list_where(self, f: CaseFilter, actor: Actor | None) -> tuple[str, list]:
        where, args = [], []
        if f.text.strip():
            t = f.text.strip()
            where.append("(c.number LIKE ? OR c.worker_id IN (SELECT id FROM workers WHERE name = ? OR id_number = ?))")
            args += [f"%{t}%", t, t.upper()]
        for col, val in (("state", f.state), ("platform_id", narrow(own_platform(actor), f.platform_id)),
                         ("industry", f.industry), ("station_id", narrow(own_station(actor), f.station_id))):
            if val:
                where.append(f"c.{col} = ?")
                args.append(val)
        today = f.today or now().date()
        if f.due == "overdue":
            where.append("c.due_on < ?")
            args.append(today.isoformat())
        elif f.due == "soon":
            where.append("c.due_on BETWEEN ? AND ?")
            args += [today.isoformat(), (today + timedelta(days=7)).isoformat()]
        return (" WHERE " + " AND ".join(where)) if where else "", args

    def count_cases(self, f: CaseFilter | None = None, actor: Actor | None = None) -> int:
        where, args = self._case_list_where(f or CaseFilter(), actor)
        return self.conn.execute(f"SELECT count(*) FROM cases c{where}", args).fetchone()[0]

    def search_cases(self, f: CaseFilter | None = None, *, offset: int = 0, limit: int = 100,
                     actor: Actor | None = None) -> list[Case]:
        where, args = self._case_list_where(f or CaseFilter(), actor)
        rows = self.conn.execute(f"SELECT c.* FROM cases c{where} ORDER BY {CASE_LIST_ORDER} LIMIT ? OFFSET ?",
                                 (*args, limit, offset))
        return [models.Case.from_row(dict(r)) for r in rows]

    def case_counts_by_state(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT state, count(*) FROM cases GROUP BY state").fetchall())

    # -- home screen: what waits for whom ------------------------------------
    def cases_waiting_for(self, actor: Actor, *, limit: int = 100) -> list[Case]:
        """Cases whose next step is the actor's: a reviewer's are those under
        investigation (a decision is due) and disputes; everyone else's are the
        open cases in their reach. Earliest deadline first."""
        where, args = self._waiting_where(actor)
        rows = self.conn.execute(f"SELECT c.* FROM cases c WHERE {where} ORDER BY {WAITING_ORDER} LIMIT ?",
                                 (*args, limit))
        return [models.Case.from_row(dict(r)) for r in rows]

    def _waiting_where(self, actor: Actor) -> tuple[str, list]:
        """The condition on ``cases c`` of ``cases_waiting_for`` (the home screen's light lists use it too)."""
        if actor.role in ("reviewer", "admin"):
            return "c.state IN ('investigating', 'disputed')", []
        where, args = f"c.state IN ({','.join('?' * len(OPEN_STATES))})", list(OPEN_STATES)
        if self._scope_station(actor):
            where += " AND c.station_id = ?"
            args.append(actor.station_id)
        return where, args

    def assessments_awaiting_approval(self, actor: Actor | None = None, *, limit: int = 100) -> list[BenefitAssessment]:
        """Draft assessments; for an actor, those they may approve (not their own)."""
        q, args = "SELECT * FROM assessments WHERE status = 'draft'", []
        if actor is not None:
            q += " AND prepared_by != ?"
            args.append(actor.username)
        return [models.BenefitAssessment.from_row(dict(r)) for r in self.conn.execute(
            q + " ORDER BY created_at LIMIT ?", (*args, limit))]

    def payments_awaiting_approval(self, actor: Actor | None = None, *, limit: int = 100) -> list[BenefitPayment]:
        """Prepared payments; for an actor, those they may approve (not their own)."""
        q, args = "SELECT * FROM benefit_payments WHERE status = 'prepared'", []
        if actor is not None:
            q += " AND prepared_by != ?"
            args.append(actor.username)
        return [models.BenefitPayment.from_row(dict(r)) for r in self.conn.execute(
            q + " ORDER BY due_on IS NULL, due_on, number LIMIT ?", (*args, limit))]

    def my_tasks(self, actor: Actor, *, limit: int = 100) -> dict[str, list]:
        """What the home screen lists for ``actor``: ``cases`` waiting for them and,
        for those who may approve, ``assessments`` and ``payments`` awaiting approval."""
        from ..permissions import allowed
        return {"cases": self.cases_waiting_for(actor, limit=limit),
                "assessments": self.assessments_awaiting_approval(actor, limit=limit)
                if allowed(actor.role, "assessment.approve") else [],
                "payments": self.payments_awaiting_approval(actor, limit=limit)
                if allowed(actor.role, "payment.approve") else []}
