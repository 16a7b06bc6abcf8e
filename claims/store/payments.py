"""Assessments and payments under maker-checker: an assessment is saved by one
user and approved by another; each payment is prepared by one and approved by
another. A later assessment (a re-appraisal, a death) replaces the unpaid
later months of the earlier monthly schedules; one-off payments never exceed
what was assessed, and money advanced by others is kept back for its
repayment (claims/store/advances.py)."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..change import Change
from ..enums import CaseState
from ..errors import ClaimsError, FieldError, PermissionDenied
from ..lazy import lazy_import
from ..lifecycle import TERMINAL
from ..money import format_yuan, to_fen
from ..permissions import require
from ..timeutil import now
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import BenefitAssessment, BenefitPayment

models = lazy_import("claims.models")
PAYMENT_KINDS = {"once": "一次性", "monthly": "按月"}


class PaymentsMixin(StoreBase):
    # -- assessments --------------------------------------------------------------
    def save_assessment(self, actor: Actor, case_id: str, result: dict, *, at: datetime | None = None
                        ) -> tuple[BenefitAssessment, Change]:
        """``result`` is the JSON form of a benefits computation (with the ``input`` it
        was computed from and, for a death, the ``dependant_ids`` in input order)."""
        require(actor, "assessment.prepare")
        deps = (result.get("input") or {}).get("dependants") or []
        if deps and len(result.get("dependant_ids") or []) != len(deps):
            raise ClaimsError("核定结果中的供养亲属与本案登记的供养亲属不一致，请重新核定")
        case = self.case(case_id)
        if case.relapse_of:
            from ..relapse import relapse_refusal
            why = relapse_refusal([(i.get("code", ""), i.get("name", "")) for i in result.get("items", [])],
                                  case.accident_at.date())
            if why:
                raise ClaimsError(why)
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

    def approve_assessment(self, actor: Actor, assessment_id: str, *,
                           expected_version: int | None = None) -> tuple[BenefitAssessment, Change]:
        """Approve; a later appraisal or a death then cancels the prepared (unpaid)
        months of earlier monthly schedules from the month its own amounts start."""
        a = self._must("assessments", assessment_id, "核定")
        require(actor, "assessment.approve")
        if a["prepared_by"] == actor.username:
            raise PermissionDenied("核定人不能批准自己核定的待遇")
        if a["status"] != "draft":
            raise ClaimsError(f"待遇核定 {a['number']} 已批准")
        with self.atomic():
            row = self._update("assessments", assessment_id, {"status": "approved", "approved_by": actor.username},
                               actor, action="approve", what="核定",
                               expected_version=a["row_version"] if expected_version is None else expected_version)
            self._replace_earlier_schedules(actor, row)
        return models.BenefitAssessment.from_row(row), self.change("assessments", "benefit_payments",
                                                                   ids=[a["case_id"]])

    def return_assessment(self, actor: Actor, assessment_id: str, reason: str) -> tuple[BenefitAssessment, Change]:
        """The checker returns an assessment to its maker with the reason: it is never approved,
        the case goes back to where it was before the assessment, and the maker assesses again."""
        a = self._must("assessments", assessment_id, "核定")
        require(actor, "assessment.approve")
        if a["prepared_by"] == actor.username:
            raise PermissionDenied("核定人不能退回自己核定的待遇，请审核人办理")
        if a["status"] != "draft":
            raise ClaimsError(f"待遇核定 {a['number']} 已{'批准' if a['status'] == 'approved' else '退回'}")
        if not reason.strip():
            raise FieldError("退回原因", "不能为空")
        case = self.case(a["case_id"])
        back = self.conn.execute("SELECT from_state FROM case_events WHERE case_id = ? AND to_state = 'assessed'"
                                 " ORDER BY seq DESC LIMIT 1", (a["case_id"],)).fetchone()
        at = now()
        with self.atomic():
            row = self._update("assessments", assessment_id, {"status": "returned", "returned_by": actor.username,
                                                              "return_reason": reason.strip()}, actor,
                               action="return", what="核定")
            if case.state == CaseState.assessed and back and back[0]:
                self._update("cases", case.id, {"state": back[0], "state_since": at.isoformat()}, actor, what="案件")
                self._event(actor, case.id, case.state, CaseState(back[0]), at,
                            f"退回待遇核定 {a['number']}：{reason.strip()}")
        return models.BenefitAssessment.from_row(row), self.change(
            "cases", "assessments", ids=[a["case_id"]], summary=f"已退回待遇核定 {a['number']}：{reason.strip()}")

    def _replace_earlier_schedules(self, actor: Actor, new: dict) -> None:
        from ..monthly import month_after
        inp = json.loads(new["result_json"] or "{}").get("input") or {}
        if inp.get("outcome") == "death" and inp.get("death_date"):
            cutoff, why = month_after(date.fromisoformat(inp["death_date"])), f"死亡后停发（核定 {new['number']}）"
        elif inp.get("appraisal_date"):
            cutoff, why = month_after(date.fromisoformat(inp["appraisal_date"])), f"按新鉴定结论重新核定（{new['number']}）"
        else:
            return
        for old in self.conn.execute("SELECT id, result_json FROM assessments WHERE case_id = ? AND id != ? AND"
                                     " status = 'approved'", (new["case_id"], new["id"])).fetchall():
            old_inp = json.loads(old["result_json"] or "{}").get("input") or {}
            if inp.get("outcome") != "death" and not (old_inp.get("appraisal_date") or "") < inp["appraisal_date"]:
                continue  # not a later appraisal than the one the old schedule rests on
            self.cancel_prepared_months(actor, old["id"], cutoff, why, series="worker")

    def cancel_prepared_months(self, actor: Actor, assessment_id: str, from_month: str, reason: str,
                               series: str | None = None) -> int:
        """Cancel the prepared monthly payments of an assessment from ``from_month`` on."""
        q = ("SELECT id FROM benefit_payments WHERE assessment_id = ? AND kind = 'monthly' AND status = 'prepared'"
             " AND period_month >= ?")
        args: list = [assessment_id, from_month]
        if series == "worker":
            q += " AND series IN ('worker', '')"
        elif series:
            q += " AND series = ?"
            args.append(series)
        ids = [r[0] for r in self.conn.execute(q, args).fetchall()]
        for pid in ids:
            self._update("benefit_payments", pid, {"status": "cancelled", "cancel_reason": reason}, actor,
                         action="cancel", what="支付")
        return len(ids)

    def assessments_of(self, case_id: str) -> list[BenefitAssessment]:
        return [models.BenefitAssessment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM assessments WHERE case_id = ? ORDER BY created_at", (case_id,))]

    def assessment(self, assessment_id: str) -> BenefitAssessment:
        return models.BenefitAssessment.from_row(self._must("assessments", assessment_id, "核定"))

    def assessment_result(self, assessment_id: str) -> dict:
        """The saved JSON of the computation (items, parameters, warnings, and the input)."""
        return json.loads(self.assessment(assessment_id).result_json or "{}")

    # -- payments -----------------------------------------------------------------
    def prepare_payment(self, actor: Actor, assessment_id: str, *, kind: str, amount_fen: int, payee: str,
                        account: str = "", due_on: date | None = None, period_month: str = "",
                        payee_bank: str = "", series: str = "", dependant_id: str | None = None,
                        advance_id: str | None = None, pay_items: list[dict] | None = None
                        ) -> tuple[BenefitPayment, Change]:
        """One payment to ``payee``. A one-off payment to anyone but an advancer may
        use only what is neither arranged nor kept back for repaying advances."""
        from ..validators import normalize_bank_card
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
        if account.strip():
            account = normalize_bank_card(account, field="收款账号")[0]
        case = self.case(a["case_id"], actor)
        if case.state in TERMINAL:
            raise ClaimsError(f"案件已{case.state.label}，不能再安排支付")
        if kind == "once":
            planned = self._planned_fen(assessment_id, "once")
            kept = 0 if advance_id else self.advances_outstanding_fen(a["case_id"])
            room = a["once_total_fen"] - planned - kept
            if amount_fen > room:
                why = f"，另有垫付款 {format_yuan(kept)} 须先偿还垫付方" if kept else ""
                raise FieldError("金额", f"一次性待遇核定合计 {format_yuan(a['once_total_fen'])}，已安排 "
                                       f"{format_yuan(planned)}{why}，本次最多 {format_yuan(max(room, 0))}")
        year = (due_on or now().date()).year
        with self.atomic():
            number = f"ZF{year}-{self.site_id}-{self.next_counter(f'payment:{year}'):05d}"
            row = self._insert("benefit_payments", {
                "number": number, "case_id": a["case_id"], "assessment_id": assessment_id, "kind": kind,
                "period_month": period_month, "amount_fen": amount_fen, "payee": payee.strip(), "account": account,
                "due_on": due_on.isoformat() if due_on else None, "status": "prepared",
                "prepared_by": actor.username, "payee_bank": payee_bank.strip(), "series": series,
                "dependant_id": dependant_id, "advance_id": advance_id,
                "pay_items": json.dumps(pay_items or [], ensure_ascii=False)}, actor)
        return models.BenefitPayment.from_row(row), self.change("benefit_payments", ids=[a["case_id"], row["id"]])

    def approve_payment(self, actor: Actor, payment_id: str, *, paid_on: date | None = None, reference: str = "",
                        expected_version: int | None = None) -> tuple[BenefitPayment, Change]:
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
                action="approve", what="支付",
                expected_version=p["row_version"] if expected_version is None else expected_version)
        return models.BenefitPayment.from_row(row), self.change("benefit_payments", ids=[p["case_id"], payment_id])

    def return_payment(self, actor: Actor, payment_id: str, reason: str) -> tuple[BenefitPayment, Change]:
        """The checker returns a prepared payment to its maker with the reason: it is not paid
        (cancelled, so its amount or months are free again) and says who returned it and why."""
        p = self._must("benefit_payments", payment_id, "支付")
        require(actor, "payment.approve")
        if p["prepared_by"] == actor.username:
            raise PermissionDenied("经办人不能退回自己制单的支付（须另一人审批）")
        if p["status"] != "prepared":
            raise ClaimsError(f"支付 {p['number']} 已{'审批' if p['status'] == 'approved' else '作废'}")
        if not reason.strip():
            raise FieldError("退回原因", "不能为空")
        case = self.case(p["case_id"])
        with self.atomic():
            row = self._update("benefit_payments", payment_id, {"status": "cancelled", "returned_by": actor.username,
                                                                 "cancel_reason": reason.strip()}, actor,
                               action="return", what="支付")
            self._event(actor, case.id, case.state, case.state, now(), f"退回支付 {p['number']}：{reason.strip()}")
        return models.BenefitPayment.from_row(row), self.change(
            "benefit_payments", "cases", ids=[p["case_id"], payment_id],
            summary=f"已退回支付 {p['number']}：{reason.strip()}")

    def cancel_payment(self, actor: Actor, payment_id: str, reason: str) -> tuple[BenefitPayment, Change]:
        """Cancel a payment not yet approved (作废), with the reason."""
        require(actor, "payment.prepare")
        p = self._must("benefit_payments", payment_id, "支付")
        if p["status"] != "prepared":
            raise ClaimsError(f"支付 {p['number']} 已{'审批，不能作废' if p['status'] == 'approved' else '作废'}")
        if not reason.strip():
            raise FieldError("作废原因", "不能为空")
        with self.atomic():
            row = self._update("benefit_payments", payment_id, {"status": "cancelled", "cancel_reason": reason.strip()},
                               actor, action="cancel", what="支付")
        return models.BenefitPayment.from_row(row), self.change("benefit_payments", ids=[p["case_id"], payment_id])

    def _planned_fen(self, assessment_id: str, kind: str) -> int:
        return self.conn.execute("SELECT coalesce(sum(amount_fen), 0) FROM benefit_payments WHERE assessment_id = ?"
                                 " AND kind = ? AND status != 'cancelled'", (assessment_id, kind)).fetchone()[0]

    def payments_of(self, case_id: str) -> list[BenefitPayment]:
        return [models.BenefitPayment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM benefit_payments WHERE case_id = ? ORDER BY due_on, number", (case_id,))]

    def payment_by_number(self, number: str) -> BenefitPayment:
        from ..errors import NotFound
        r = self.conn.execute("SELECT * FROM benefit_payments WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到支付 {number}")
        return models.BenefitPayment.from_row(dict(r))
