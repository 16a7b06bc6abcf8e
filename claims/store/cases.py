"""Cases: report, lifecycle transitions with history and clocks, documents,
decisions, appraisals, assessments and maker-checker payments."""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .. import lifecycle
from ..clocks import due_date
from ..enums import CaseState, Industry
from ..errors import ClaimsError, FieldError, NotFound, PermissionDenied
from ..models import (Appraisal, BenefitAssessment, BenefitPayment, Case, CaseDocument, CaseEvent, Change,
                      Decision)
from ..permissions import require
from ..timeutil import SHANGHAI, now
from .base import Actor, StoreBase

DUPLICATE_WINDOW = timedelta(hours=6)


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
        return [Case.from_row(dict(r)) for r in rows]

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
        return Case.from_row(row), self.change("cases", ids=[row["id"]], summary=f"报案 {number}")

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
        c = Case.from_row(self._must("cases", case_id, "案件"))
        if actor is not None and self._scope_station(actor) and c.station_id != actor.station_id:
            raise PermissionDenied("站长只能查看本站点的案件")
        return c

    def case_by_number(self, number: str) -> Case:
        r = self.conn.execute("SELECT * FROM cases WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到案件 {number}")
        return Case.from_row(dict(r))

    def case_events(self, case_id: str) -> list[CaseEvent]:
        return [CaseEvent.from_row(dict(r)) for r in self.conn.execute(
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
        return Case.from_row(row), self.change("cases", ids=[case_id],
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
        return CaseDocument.from_row(row), self.change("case_documents", ids=[case_id])

    def case_documents(self, case_id: str) -> list[CaseDocument]:
        return [CaseDocument.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM case_documents WHERE case_id = ? ORDER BY received_on, created_at", (case_id,))]

    # -- decision, appraisal ----------------------------------------------
    def decide(self, actor: Actor, case_id: str, *, confirm: bool, situation_code: str = "", reasons: str = "",
               legal_basis: str = "", decided_on: date | None = None, at: datetime | None = None) -> tuple[Decision, Change]:
        if confirm and not situation_code:
            raise FieldError("情形", "确认时须选择情形代码")
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
        return Decision.from_row(row), self.change("cases", "decisions", ids=[case_id], summary=f"结论书 {number}")

    def decisions_of(self, case_id: str) -> list[Decision]:
        return [Decision.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM decisions WHERE case_id = ? ORDER BY decided_on", (case_id,))]

    def record_appraisal(self, actor: Actor, case_id: str, *, grade: int | None, care_level: str | None,
                         conclusion_no: str, concluded_on: date, kind: str = "initial",
                         at: datetime | None = None) -> tuple[Appraisal, Change]:
        if grade is not None and not 1 <= grade <= 10:
            raise FieldError("伤残等级", "应为 1–10 级或无等级")
        if not conclusion_no.strip():
            raise FieldError("鉴定结论书编号", "不能为空")
        with self.atomic():
            self.transition(actor, case_id, CaseState.appraised, f"鉴定结论 {conclusion_no}", at=at)
            for (old,) in self.conn.execute("SELECT id FROM appraisals WHERE case_id = ? AND current = 1",
                                            (case_id,)).fetchall():
                self._update("appraisals", old, {"current": 0}, actor, what="鉴定")  # kept as history
            row = self._insert("appraisals", {"case_id": case_id, "grade": grade, "care_level": care_level,
                                              "conclusion_no": conclusion_no, "concluded_on": concluded_on.isoformat(),
                                              "kind": kind, "current": 1}, actor)
        return Appraisal.from_row(row), self.change("cases", "appraisals", ids=[case_id])

    def appraisals_of(self, case_id: str) -> list[Appraisal]:
        return [Appraisal.from_row(dict(r)) for r in self.conn.execute(
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
        return BenefitAssessment.from_row(row), self.change("cases", "assessments", ids=[case_id])

    def approve_assessment(self, actor: Actor, assessment_id: str) -> tuple[BenefitAssessment, Change]:
        a = self._must("assessments", assessment_id, "核定")
        require(actor, "assessment.approve")
        if a["prepared_by"] == actor.username:
            raise PermissionDenied("核定人不能批准自己核定的待遇")
        with self.atomic():
            row = self._update("assessments", assessment_id, {"status": "approved", "approved_by": actor.username},
                               actor, action="approve", what="核定")
        return BenefitAssessment.from_row(row), self.change("assessments", ids=[a["case_id"]])

    def assessments_of(self, case_id: str) -> list[BenefitAssessment]:
        return [BenefitAssessment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM assessments WHERE case_id = ? ORDER BY created_at", (case_id,))]

    def prepare_payment(self, actor: Actor, assessment_id: str, *, kind: str, amount_fen: int, payee: str,
                        account: str = "", due_on: date | None = None, period_month: str = ""
                        ) -> tuple[BenefitPayment, Change]:
        require(actor, "payment.prepare")
        a = self._must("assessments", assessment_id, "核定")
        if a["status"] != "approved":
            raise ClaimsError("待遇核定尚未批准，不能安排支付")
        if amount_fen <= 0:
            raise FieldError("金额", "应大于零")
        if not payee.strip():
            raise FieldError("收款人", "不能为空")
        year = (due_on or now().date()).year
        with self.atomic():
            number = f"ZF{year}-{self.site_id}-{self.next_counter(f'payment:{year}'):05d}"
            row = self._insert("benefit_payments", {
                "number": number, "case_id": a["case_id"], "assessment_id": assessment_id, "kind": kind,
                "period_month": period_month, "amount_fen": amount_fen, "payee": payee, "account": account,
                "due_on": due_on.isoformat() if due_on else None, "status": "prepared",
                "prepared_by": actor.username}, actor)
        return BenefitPayment.from_row(row), self.change("benefit_payments", ids=[a["case_id"], row["id"]])

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
        return BenefitPayment.from_row(row), self.change("benefit_payments", ids=[p["case_id"], payment_id])

    def payments_of(self, case_id: str) -> list[BenefitPayment]:
        return [BenefitPayment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM benefit_payments WHERE case_id = ? ORDER BY due_on, number", (case_id,))]

    def payment_by_number(self, number: str) -> BenefitPayment:
        r = self.conn.execute("SELECT * FROM benefit_payments WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到支付 {number}")
        return BenefitPayment.from_row(dict(r))

    # -- list -------------------------------------------------------------
    def _case_where(self, f: CaseFilter, actor: Actor | None) -> tuple[str, list]:
        where, args = [], []
        if f.text.strip():
            t = f.text.strip()
            where.append("(c.number LIKE ? OR c.worker_id IN (SELECT id FROM workers WHERE name = ? OR id_number = ?))")
            args += [f"%{t}%", t, t.upper()]
        for col, val in (("state", f.state), ("platform_id", f.platform_id), ("industry", f.industry),
                         ("station_id", f.station_id or (self._scope_station(actor) if actor else None))):
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
        where, args = self._case_where(f or CaseFilter(), actor)
        return self.conn.execute(f"SELECT count(*) FROM cases c{where}", args).fetchone()[0]

    def search_cases(self, f: CaseFilter | None = None, *, offset: int = 0, limit: int = 100,
                     actor: Actor | None = None) -> list[Case]:
        where, args = self._case_where(f or CaseFilter(), actor)
        rows = self.conn.execute(f"SELECT c.* FROM cases c{where} ORDER BY c.reported_at DESC, c.id LIMIT ? OFFSET ?",
                                 (*args, limit, offset))
        return [Case.from_row(dict(r)) for r in rows]

    def case_counts_by_state(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT state, count(*) FROM cases GROUP BY state").fetchall())
