"""One pydantic view per printed document (shared/domain/forms.md): the 14
models the store's builders fill (``claims.printing``) and the layouts in
``forms/`` print. Each totals check (a total equal to the sum of its items)
is a validator, so a view that adds up wrong cannot be built."""
from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field, model_validator

from claims.enums import Channel, Industry, Outcome, ParamStatus

from .parts import (ClaimantInfo, CoverageView, DependantView, DocumentItem, FeeLineView, MissingItem, NextStep, OfficeInfo,
                    ParameterUseView, PayeeInfo, PaymentItemView, PlatformInfo, ReconciliationRow, WorkerInfo,
                    BenefitItemView, _check_total, _View)

class ReportReceiptView(_View):
    case_number: str
    receipt_number: str = ""  # the receipt's own number (office style); the case number is the reference
    reported_at: AwareDatetime
    channel: Channel
    reporter_name: str
    reporter_relation: str  # 本人 / 配偶 / 平台 …
    reporter_phone: str = ""
    worker: WorkerInfo
    platform: PlatformInfo
    industry: Industry
    accident_at: AwareDatetime
    accident_place: str
    summary: str = ""
    next_steps: list[NextStep] = []
    documents_to_prepare: list[str] = []
    handler: str = ""
    office: OfficeInfo


class ConfirmationApplicationView(_View):
    case_number: str
    applicant_name: str
    applicant_relation: str
    applicant_phone: str = ""
    worker: WorkerInfo
    platform: PlatformInfo
    industry: Industry
    platform_account: str = ""
    order_number: str = ""
    order_accepted_at: AwareDatetime | None = None
    order_finished_at: AwareDatetime | None = None
    accident_at: AwareDatetime
    accident_place: str
    accident_cause: str
    body_parts: str
    diagnosis_date: date | None = None
    hospital: str = ""
    account: str  # free text: time, place, task, cause, injury, severity
    applied_on: date | None = None
    applicant_address: str = ""
    materials: list[tuple[str, str]] = []  # documents sent with it: (name, when needed)


class DocumentReceiptView(_View):
    receipt_number: str
    case_number: str
    worker: WorkerInfo
    submitted_by: str = ""
    documents: list[DocumentItem]
    received_by: str
    received_on: date
    office: OfficeInfo


class MissingDocumentsNoticeView(_View):
    notice_number: str
    case_number: str
    addressee: str  # the applicant
    worker: WorkerInfo
    notice_date: date
    items: list[MissingItem] = Field(min_length=1)
    submit_place: str
    due_date: date
    consequence: str
    office: OfficeInfo


class ConfirmationDecisionView(_View):
    decision_number: str
    decision_date: date
    case_number: str
    worker: WorkerInfo
    platform: PlatformInfo
    industry: Industry
    accident_at: AwareDatetime
    accident_place: str
    applied_on: date | None = None
    accepted_on: date | None = None
    facts: str
    applicant: str = ""  # who applied (the worker, a relative, or the platform)
    applicant_relation: str = ""
    death_date: date | None = None  # the worker died (by the decision): the decision is about the death
    situation_code: str
    situation_label: str
    legal_basis: str
    conclusion: str
    review_authority: str  # where to apply for administrative review
    court: str
    office: OfficeInfo


class RefusalDecisionView(ConfirmationDecisionView):
    reasons: list[str] = Field(min_length=1)


class AppraisalApplicationView(_View):
    case_number: str
    worker: WorkerInfo
    platform: PlatformInfo
    industry: Industry
    decision_number: str
    decision_date: date
    accident_date: date
    injured_parts: str
    hospital: str
    treatment_summary: str
    applicant_name: str
    applicant_relation: str
    applicant_phone: str = ""
    applied_on: date | None = None
    committee: str


class BenefitApplicationView(_View):
    case_number: str
    kind: Outcome  # disability or death
    worker: WorkerInfo
    decision_number: str = ""
    disability_grade: int | None = Field(default=None, ge=1, le=10)
    death_date: date | None = None
    claimant_name: str
    claimant_relation: str
    claimant_id_number: str = ""
    claimant_phone: str = ""
    claimant_address: str = ""
    death_cause: str = ""  # label, e.g. 因职业伤害死亡
    dependants: list[DependantView] = []
    items_applied: list[str] = Field(min_length=1)
    payee: PayeeInfo
    applied_on: date | None = None
    materials: list[tuple[str, str]] = []  # documents sent with it: (name, when needed)


class BenefitNoticeView(_View):
    notice_number: str
    notice_date: date
    case_number: str
    worker: WorkerInfo
    outcome: Outcome
    decision_number: str = ""
    disability_grade: int | None = Field(default=None, ge=1, le=10)
    care_level: str = ""  # label
    rule_set: str
    rule_set_basis: str = ""
    items: list[BenefitItemView] = Field(min_length=1)
    once_total_fen: int = Field(ge=0)
    monthly_total_fen: int = Field(ge=0)
    monthly_from: date | None = None
    parameters: list[ParameterUseView] = []
    payee: PayeeInfo
    review_authority: str
    court: str
    office: OfficeInfo
    rule_set_name: str = ""  # printed instead of the rule set's code
    addressee: str = ""  # the worker, or a death case's claimant
    claimant: ClaimantInfo | None = None
    death_date: date | None = None
    death_cause: str = ""  # label
    dependants: list[DependantView] = []
    unconfirmed_notes: list[str] = []  # what rests on unconfirmed rules or figures, in words for the worker

    @model_validator(mode="after")
    def _totals(self):
        _check_total([i for i in self.items if i.period == "once"], self.once_total_fen, "一次性合计")
        _check_total([i for i in self.items if i.period == "monthly"], self.monthly_total_fen, "按月合计")
        return self

    @property
    def unconfirmed(self) -> list[ParameterUseView]:
        return [p for p in self.parameters if p.status == ParamStatus.unconfirmed]


class PaymentVoucherView(_View):
    payment_number: str  # the payment's internal number (the reference)
    voucher_number: str = ""  # the voucher's own number (office style)
    case_number: str
    worker: WorkerInfo
    items: list[PaymentItemView] = Field(min_length=1)
    total_fen: int = Field(ge=0)
    payee: PayeeInfo
    paid_on: date
    reference: str = ""
    prepared_by: str
    approved_by: str = ""
    office: OfficeInfo
    death_date: date | None = None  # set when the worker died: named as the deceased
    claimant_name: str = ""

    @model_validator(mode="after")
    def _total(self):
        _check_total(self.items, self.total_fen, "支付金额")
        return self


class FeeDeclarationView(_View):
    declaration_number: str
    platform: PlatformInfo
    region_code: str
    region_name: str
    month: str  # "2026-10"
    rule_set: str = ""
    lines: list[FeeLineView] = Field(min_length=1)
    total_fen: int = Field(ge=0)
    declarant: str
    declarant_phone: str = ""
    declared_on: date

    @model_validator(mode="after")
    def _total(self):
        _check_total(self.lines, self.total_fen, "应缴合计")
        return self


class ReconciliationStatementView(_View):
    statement_number: str
    platform: PlatformInfo
    region_code: str
    region_name: str
    period_from: str  # "2026-07"
    period_to: str
    rows: list[ReconciliationRow] = Field(min_length=1)
    prepared_by: str
    prepared_on: date
    insurer: str = ""


class EnrollmentCertificateView(_View):
    certificate_number: str
    worker: WorkerInfo
    coverages: list[CoverageView] = Field(min_length=1)
    purpose: str = ""
    issued_on: date
    office: OfficeInfo


class CaseIndexView(_View):
    case_number: str
    worker: WorkerInfo
    platform: PlatformInfo
    state_label: str
    opened_on: date
    closed_on: date | None = None
    documents: list[DocumentItem] = Field(min_length=1)
    compiled_by: str
    compiled_on: date
    retention: str = ""
