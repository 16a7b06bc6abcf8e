"""Domain records (pydantic v2, strict). The store returns these; screens and
commands read them. Money is integer fen; per-order fees are 0.0001 元 units."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .change import Change  # noqa: F401 - re-exported: what one action changed
from .enums import (
    CaseState, DeclarationStatus, EnrollmentStatus, Industry, ParamStatus, PaymentStatus, Relation, Role,
)


def _aware(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("时间必须带时区（Asia/Shanghai）")
    return dt


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Fen = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    """Columns every row has, so records from several offline sites can merge."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, use_enum_values=False, defer_build=True)

    id: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    site_id: str
    row_version: int = 1

    @classmethod
    def from_row(cls, row: dict[str, Any]):
        """Rows come from SQLite as text; validate leniently into strict types."""
        return cls.model_validate(row, strict=False)


class Platform(Record):
    name: str
    credit_code: str = ""
    credit_override: str = ""  # reason given when the checksum warning was overridden
    industries: list[Industry] = []
    tier: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    legal_name: str = ""  # the company's registered name (the platform's name is its brand)


class Station(Record):
    platform_id: str
    name: str
    district: str = ""  # six-digit region code
    address: str = ""
    manager: str = ""


class Worker(Record):
    id_number: str
    name: str
    gender: str  # male / female, derived from the ID number
    birth_date: date
    phone: str
    bank_card: str = ""
    bank_name: str = ""  # 开户银行 of bank_card
    bank_holder: str = ""  # 户名 of bank_card; empty: the worker themself
    address: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""


class Enrollment(Record):
    worker_id: str
    platform_id: str
    station_id: str | None = None
    industry: Industry
    start_on: date
    end_on: date | None = None
    status: EnrollmentStatus = EnrollmentStatus.active
    source: str = "manual"
    platform_account: str = ""  # the worker's account (rider / driver ID) on the platform


class OtherCover(Record):
    worker_id: str
    kind: str  # union_mutual_aid / commercial_accident / employer_liability
    name: str
    insurer: str = ""
    policy_no: str = ""
    start_on: date | None = None
    end_on: date | None = None


class OrderRecord(Record):
    platform_id: str
    order_no: str
    industry: Industry
    worker_id: str
    accepted_at: AwareDatetime
    finished_at: AwareDatetime | None = None
    region: str


class DailyOrderCount(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, defer_build=True)
    worker_id: str
    platform_id: str
    industry: Industry
    day: date
    orders: int
    source: str = "derived"


class FeeRate(Record):
    industry: Industry
    region: str
    tier: str = ""
    valid_from: date
    valid_to: date | None = None
    amount_units: int  # 0.0001 元 per order
    source: str = ""
    status: ParamStatus = ParamStatus.unconfirmed


class DeclarationLine(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, defer_build=True)
    industry: Industry
    orders_recorded: int
    orders_declared: int
    rate_units: int | None  # None: no amount known for this industry and month
    rate_status: str
    amount_fen: int


class FeeDeclaration(Record):
    number: str
    platform_id: str
    region: str
    month: str  # YYYY-MM
    status: DeclarationStatus
    declared_on: date | None = None
    declarant: str = ""
    amount_due_fen: int = 0
    amount_paid_fen: int = 0
    lines: list[DeclarationLine] = []


class FeePayment(Record):
    declaration_id: str
    paid_on: date
    amount_fen: Fen
    reference: str = ""


class Case(Record):
    number: str
    worker_id: str
    platform_id: str
    station_id: str | None = None
    industry: Industry
    order_no: str = ""
    accident_at: AwareDatetime
    place: str = ""
    description: str = ""
    body_parts: str = ""
    hospital: str = ""
    case_type: str = "injury"  # injury / traffic / violence / death
    reporter_name: str = ""
    reporter_relation: str = ""
    channel: str = "counter"
    reported_at: AwareDatetime
    state: CaseState
    state_since: AwareDatetime
    due_on: date | None = None
    clock_left: int | None = None  # days (working days for a working-day clock) left while paused
    review_until: date | None = None  # last day to apply for administrative review of the decision
    lawsuit_until: date | None = None  # last day to sue
    relapse_of: str | None = None  # the closed case this one reopens for a relapse (复发)
    report_no: str = ""  # the platform's own number of an imported report
    death_date: date | None = None
    death_cause: str | None = None  # injury / other (claims.enums.DeathCause)
    treatment_end_on: date | None = None  # 医疗终结
    claimant_name: str = ""  # 申请人: to whom notices and payments are addressed (a death case: a relative)
    claimant_relation: str = ""  # to the worker (or the deceased)
    claimant_id_number: str = ""
    claimant_phone: str = ""
    claimant_address: str = ""
    claimant_bank: str = ""
    claimant_account: str = ""
    diagnosed_on: date | None = None  # the first diagnosis (初诊)
    claimant_holder: str = ""  # 户名 of claimant_account; empty: the claimant themself

    @property
    def dead(self) -> bool:
        return self.death_date is not None


class CaseEvent(Record):
    case_id: str
    seq: int
    from_state: CaseState | None
    to_state: CaseState
    actor: str
    at: AwareDatetime
    note: str = ""


class CaseDocument(Record):
    case_id: str
    doc_type: str
    file_name: str = ""
    content_hash: str = ""
    pages: int = 0
    received_on: date | None = None
    note: str = ""


class Decision(Record):
    case_id: str
    kind: str  # confirm / refuse
    number: str
    decided_on: date
    situation_code: str = ""
    reasons: str = ""
    legal_basis: str = ""  # further basis as typed by the reviewer (the citation is in situation_text)
    decided_by: str = ""
    rule_set: str = ""
    situation_text: str = ""  # JSON: the situation cited, as it read when the decision was issued
    facts: str = ""  # 事实认定 as issued (claims/decision_facts.py)
    override_reason: str = ""  # why the conclusion stands against what the records show
    served_on: date | None = None  # received by the applicant: the review and lawsuit windows run from it

    def situation(self):
        """The situation cited, as issued (None for decisions issued before this was kept)."""
        import json

        from .situations import Situation
        return Situation.from_snapshot(json.loads(self.situation_text)) if self.situation_text else None


class Appraisal(Record):
    case_id: str
    grade: int | None = Field(default=None, ge=1, le=10)
    care_level: str | None = None
    conclusion_no: str
    concluded_on: date
    kind: str = "initial"  # initial / re_appraisal / review
    current: bool = True


class AssessmentItem(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, defer_build=True)
    code: str
    name: str
    period: str
    amount_fen: int
    formula: str
    dependant: int | None = None


class BenefitAssessment(Record):
    case_id: str
    number: str
    rule_set: str
    once_total_fen: int
    monthly_total_fen: int
    status: str = "draft"  # draft / approved / returned (to its maker, with the reason)
    prepared_by: str = ""
    approved_by: str = ""
    result_json: str = "{}"
    returned_by: str = ""
    return_reason: str = ""

    @property
    def status_label(self) -> str:
        return {"approved": "已批准", "returned": "已退回"}.get(self.status, "待批准")


class BenefitPayment(Record):
    number: str
    case_id: str
    assessment_id: str
    kind: str  # once / monthly
    period_month: str = ""
    amount_fen: Fen
    payee: str
    account: str = ""
    due_on: date | None = None
    paid_on: date | None = None
    reference: str = ""
    status: PaymentStatus = PaymentStatus.prepared
    prepared_by: str = ""
    approved_by: str = ""
    payee_bank: str = ""
    series: str = ""  # monthly: "worker" or "dependant:<id>"; "" for one-off payments
    dependant_id: str | None = None
    advance_id: str | None = None  # the repayment of this advance
    pay_items: list[dict] = []  # [{"code", "name", "amount_fen"}] what the payment pays
    cancel_reason: str = ""
    returned_by: str = ""  # a reviewer returned it to its maker (then cancelled, the reason in cancel_reason)

    @property
    def status_label(self) -> str:
        return "已退回" if self.returned_by else self.status.label

    @classmethod
    def from_row(cls, row: dict):
        import json
        return cls.model_validate({**row, "pay_items": json.loads(row.get("pay_items") or "[]")}, strict=False)


class Dependant(Record):
    """A dependant (供养亲属) of a deceased worker, with their payee and end of entitlement."""

    case_id: str
    seq: int
    name: str
    relation: Relation
    id_number: str = ""
    birth_date: date | None = None
    basis: str = ""  # why the person depended on the deceased (供养依据)
    lone_elder: bool = False
    orphan: bool = False
    payee_name: str = ""  # the account holder (a guardian for a minor)
    payee_bank: str = ""
    payee_account: str = ""
    end_on: date | None = None  # recorded end of entitlement (leaving school, …)
    end_reason: str = ""
    active: bool = True


class Advance(Record):
    """Money a platform, employer or other advanced (先行支付/垫付), to be paid back."""

    case_id: str
    advancer_kind: str  # platform / employer / other
    advancer_name: str
    advanced_on: date
    amount_fen: Fen
    purpose: str = ""
    payee_name: str = ""  # the advancer's account holder
    payee_bank: str = ""
    payee_account: str = ""
    evidence_document_id: str | None = None
    note: str = ""
    active: bool = True


class Parameter(Record):
    name: str
    region: str
    valid_from: date
    valid_to: date | None = None
    stat_year: int | None = None
    value: str  # decimal yuan as text, exact
    unit: str = ""
    label: str = ""
    source: str = ""
    status: ParamStatus


class User(Record):
    username: str
    display_name: str
    role: Role
    platform_id: str | None = None
    station_id: str | None = None
    active: bool = True
    failed_attempts: int = 0
    locked_until: AwareDatetime | None = None


class AuditEntry(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, defer_build=True)
    seq: int
    at: AwareDatetime
    actor: str
    action: str
    table_name: str
    record_id: str
    changes: str  # JSON of {field: [before, after]}
    row_digest: str
    prev_hash: str
    hash: str


class MissingNotice(Record):
    """One 补正材料一次性告知: every missing document at the time, with the date."""

    case_id: str
    number: str
    issued_on: date
    due_on: date | None = None
    issued_by: str = ""
    items: list[dict] = []  # [{"doc_type", "name", "reason"}]
    status: str = "open"  # open / closed / superseded
    closed_on: date | None = None

    @classmethod
    def from_row(cls, row: dict):
        import json
        return cls.model_validate({**row, "items": json.loads(row.get("items") or "[]")}, strict=False)
