"""Advances (先行支付 / 垫付): a platform, employer or someone else paid money
ahead (medical bills, usually). The advance is recorded with its evidence (a
垫付情况说明 on the case's checklist); the same amount is kept back from the
worker's one-off payment and paid to the advancer as a payment of its own.
``advance_statement`` gathers what the printed 垫付情况说明 needs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..change import Change
from ..enums import AdvancerKind
from ..errors import ClaimsError, FieldError
from ..lazy import lazy_import
from ..money import format_yuan
from ..permissions import require
from ..timeutil import today
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import Advance, BenefitPayment

models = lazy_import("claims.models")
EVIDENCE_DOC = "advance_statement"  # the checklist row (resources/rules/documents.json)


@dataclass
class AdvanceStatement:
    """Everything the printed 垫付情况说明 (advance statement) shows."""
    case_number: str
    worker_name: str
    worker_id_number: str
    worker_dead: bool
    death_date: date | None
    advance: object  # models.Advance
    advancer_kind_label: str
    evidence: list = field(default_factory=list)  # case documents (models.CaseDocument)
    repayment: object | None = None  # models.BenefitPayment repaying it, if prepared
    assessment_number: str = ""
    once_total_fen: int = 0  # of the assessment the repayment comes from
    worker_due_fen: int = 0  # what is left for the worker (or the claimant) after every advance


@dataclass
class OnceSummary:
    """A one-off total split: repaid to advancers, kept back for them, arranged for
    the worker (or claimant), and what is still free."""
    total_fen: int
    to_advancers_fen: int
    kept_back_fen: int
    to_worker_fen: int

    @property
    def free_fen(self) -> int:
        return self.total_fen - self.to_advancers_fen - self.kept_back_fen - self.to_worker_fen


class AdvancesMixin(StoreBase):
    def record_advance(self, actor: Actor, case_id: str, *, advancer_kind: str, advancer_name: str,
                       advanced_on: date, amount_fen: int, purpose: str = "", payee_name: str = "",
                       payee_bank: str = "", payee_account: str = "", evidence_document_id: str | None = None,
                       note: str = "") -> tuple[Advance, Change]:
        from ..validators import normalize_bank_card
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        try:
            kind = AdvancerKind.from_text(advancer_kind)
        except ValueError:
            raise FieldError("垫付方类别", "应为平台企业、用工单位或其他") from None
        if not advancer_name.strip():
            raise FieldError("垫付方", "不能为空")
        if amount_fen <= 0:
            raise FieldError("垫付金额", "应大于零")
        if advanced_on < c.accident_at.date():
            raise FieldError("垫付日期", "不能早于事故日期")
        if advanced_on > today():
            raise FieldError("垫付日期", "不能晚于今天")
        if not payee_account.strip():
            raise FieldError("收款账号", "偿还垫付款须有垫付方的收款账号")
        account = normalize_bank_card(payee_account, field="收款账号")[0]
        if not payee_bank.strip():
            raise FieldError("开户银行", "不能为空")
        if evidence_document_id:
            doc = self._must("case_documents", evidence_document_id, "材料")
            if doc["case_id"] != case_id:
                raise FieldError("垫付凭证", "不是本案的材料")
        with self.atomic():
            row = self._insert("advances", {
                "case_id": case_id, "advancer_kind": kind.value, "advancer_name": advancer_name.strip(),
                "advanced_on": advanced_on.isoformat(), "amount_fen": amount_fen, "purpose": purpose.strip(),
                "payee_name": payee_name.strip() or advancer_name.strip(), "payee_bank": payee_bank.strip(),
                "payee_account": account, "evidence_document_id": evidence_document_id, "note": note.strip()}, actor)
        return models.Advance.from_row(row), self.change("advances", "cases", ids=[case_id, row["id"]],
                                                         summary=f"垫付 {advancer_name} {format_yuan(amount_fen)}")

    def withdraw_advance(self, actor: Actor, advance_id: str, *,
                         expected_version: int | None = None) -> tuple[Advance, Change]:
        """An advance recorded by mistake (kept, marked inactive) — not once its repayment exists.
        ``expected_version``: the version the list was read at (changed meanwhile: StaleRecord)."""
        require(actor, "case.transition")
        a = self.advance(advance_id)
        self.case(a.case_id, actor)
        if self.advance_repayment(advance_id) is not None:
            raise ClaimsError(f"已为 {a.advancer_name} 的垫付款安排偿还，不能撤销该垫付记录")
        with self.atomic():
            row = self._update("advances", advance_id, {"active": 0}, actor, action="remove", what="垫付",
                               expected_version=a.row_version if expected_version is None else expected_version)
        return models.Advance.from_row(row), self.change("advances", "cases", ids=[a.case_id, advance_id])

    def advance(self, advance_id: str) -> Advance:
        return models.Advance.from_row(self._must("advances", advance_id, "垫付记录"))

    def advances_of(self, case_id: str) -> list[Advance]:
        return [models.Advance.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM advances WHERE case_id = ? AND active = 1 ORDER BY advanced_on, created_at", (case_id,))]

    def advance_repayment(self, advance_id: str) -> BenefitPayment | None:
        r = self.conn.execute("SELECT * FROM benefit_payments WHERE advance_id = ? AND status != 'cancelled'"
                              " ORDER BY created_at DESC LIMIT 1", (advance_id,)).fetchone()
        return models.BenefitPayment.from_row(dict(r)) if r else None

    def advances_outstanding_fen(self, case_id: str) -> int:
        """Advances on the case whose repayment is not yet arranged: kept back."""
        return self.conn.execute(
            "SELECT coalesce(sum(amount_fen), 0) FROM advances a WHERE a.case_id = ? AND a.active = 1 AND NOT EXISTS"
            " (SELECT 1 FROM benefit_payments p WHERE p.advance_id = a.id AND p.status != 'cancelled')",
            (case_id,)).fetchone()[0]

    def repay_advance(self, actor: Actor, assessment_id: str, advance_id: str, *, due_on: date | None = None,
                      expected_version: int | None = None) -> tuple[BenefitPayment, Change]:
        """Prepare the payment that pays an advance back to the advancer, out of the
        assessment's one-off benefits (approved by another user, as every payment).
        ``expected_version``: the advance's version the user confirmed (its payee and
        account); an advance changed since is refused with StaleRecord."""
        a = self.advance(advance_id)
        assessment = self.assessment(assessment_id)
        if assessment.case_id != a.case_id or not a.active:
            raise ClaimsError("该垫付记录不属于本案")
        done = self.advance_repayment(advance_id)
        if done is not None:
            raise ClaimsError(f"{a.advancer_name} 的垫付款已安排偿还（{done.number}）")
        item = {"code": "advance_repayment", "name": f"偿还垫付款（{a.advancer_name}）", "amount_fen": a.amount_fen}
        with self.atomic():
            self.check_version("advances", self._must("advances", advance_id, "垫付记录"),
                               a.row_version if expected_version is None else expected_version, "垫付")
            pay, inner = self.prepare_payment(actor, assessment_id, kind="once", amount_fen=a.amount_fen,
                                              payee=a.payee_name, account=a.payee_account, payee_bank=a.payee_bank,
                                              due_on=due_on, advance_id=advance_id, pay_items=[item])
        return pay, self.change(*inner.tables, ids=inner.ids, summary=inner.summary)  # with this action's undo range

    def once_summary(self, assessment_id: str) -> OnceSummary:
        a = self.assessment(assessment_id)
        rows = self.conn.execute("SELECT advance_id IS NOT NULL, coalesce(sum(amount_fen), 0) FROM benefit_payments"
                                 " WHERE assessment_id = ? AND kind = 'once' AND status != 'cancelled'"
                                 " GROUP BY advance_id IS NOT NULL", (assessment_id,)).fetchall()
        by = {bool(k): v for k, v in rows}
        return OnceSummary(total_fen=a.once_total_fen, to_advancers_fen=by.get(True, 0),
                           kept_back_fen=self.advances_outstanding_fen(a.case_id), to_worker_fen=by.get(False, 0))

    def advance_statement(self, advance_id: str) -> AdvanceStatement:
        """What the printed 垫付情况说明 needs, for one advance."""
        a = self.advance(advance_id)
        c = self.case(a.case_id)
        w = self.worker(c.worker_id)
        evidence = [d for d in self.case_documents(c.id)
                    if d.id == a.evidence_document_id or d.doc_type == EVIDENCE_DOC]
        pay = self.advance_repayment(advance_id)
        assessment = self.assessment(pay.assessment_id) if pay else next(
            (x for x in reversed(self.assessments_of(c.id)) if x.status == "approved"), None)
        s = self.once_summary(assessment.id) if assessment else None
        return AdvanceStatement(
            case_number=c.number, worker_name=w.name, worker_id_number=w.id_number, worker_dead=c.dead,
            death_date=c.death_date, advance=a, advancer_kind_label=AdvancerKind(a.advancer_kind).label,
            evidence=evidence, repayment=pay, assessment_number=assessment.number if assessment else "",
            once_total_fen=s.total_fen if s else 0,
            worker_due_fen=(s.total_fen - s.to_advancers_fen - s.kept_back_fen) if s else 0)
