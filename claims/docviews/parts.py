"""The pieces the document views share: the base model (extra fields are an
error), who is named on a document (worker, platform, office, payee), and the
rows of its tables — benefit items, parameters used, documents received,
missing documents, dependants, payment items, fee lines, reconciliation rows,
coverages. ``AUDIENCES`` are who a printout can be for. Values are raw; the
layouts in ``forms/`` mask them by audience."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from claims.enums import Industry, ParamStatus, Relation

AUDIENCES = ("worker", "authority", "third_party", "archive")  # who a printout is for


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- shared pieces --------------------------------------------------------------

class WorkerInfo(_View):
    name: str
    id_number: str
    gender: str = ""  # label: 男 / 女 (derived from the ID number)
    birth_date: date | None = None
    phone: str = ""
    address: str = ""


class PlatformInfo(_View):
    name: str
    credit_code: str = ""
    station: str = ""


class OfficeInfo(_View):
    name: str
    address: str = ""
    phone: str = ""


class PayeeInfo(_View):
    name: str
    bank: str = ""
    account: str = ""
    relation: str = ""  # e.g. 本人, 配偶


class ClaimantInfo(_View):
    """The claimant (申请人) of a death case: to whom its documents are addressed."""
    name: str
    relation: str = ""  # to the deceased
    id_number: str = ""
    phone: str = ""
    address: str = ""


class BenefitItemView(_View):
    code: str
    name: str
    period: str  # "once" | "monthly"
    amount_fen: int = Field(ge=0)
    formula: str = ""
    from_month: str = ""  # monthly: first month paid, "2026-01"
    until_month: str = ""  # monthly: last month paid when an end is known
    paid_before_fen: int | None = None  # a later appraisal: granted by earlier assessments


class ParameterUseView(_View):
    name: str  # stable code, e.g. benefit_base
    label: str  # 待遇计发基数
    value: str  # "7384.00"
    unit: str = "元"
    source: str = ""
    status: ParamStatus = ParamStatus.confirmed


class DocumentItem(_View):
    name: str
    received_on: date | None = None
    pages: int | None = Field(default=None, ge=0)
    copies: int = Field(default=1, ge=0)
    original: bool = True  # 原件 / 复印件
    note: str = ""


class NextStep(_View):
    text: str
    due: date | None = None


class MissingItem(_View):
    name: str
    reason: str


class DependantView(_View):
    name: str
    relation: Relation
    id_number: str
    basis: str  # why the person depended on the deceased (供养依据)
    birth_date: date | None = None
    lone_elder: bool = False
    orphan: bool = False
    monthly_fen: int | None = Field(default=None, ge=0)  # the pension assessed for them
    from_month: str = ""  # "2026-01"
    until: date | None = None  # the day the entitlement ends, when known
    end_reason: str = ""
    payee: PayeeInfo | None = None


class PaymentItemView(_View):
    name: str
    period: str = ""  # "一次性" or "2026年11月"
    amount_fen: int = Field(ge=0)


class FeeLineView(_View):
    industry: Industry
    orders: int = Field(ge=0)
    per_order_units: int = Field(ge=0)  # 0.0001 元
    amount_fen: int = Field(ge=0)
    confirmed: bool = True  # per-order amount confirmed?


class ReconciliationRow(_View):
    month: str  # "2026-10"
    industry: Industry
    declared_orders: int = Field(ge=0)
    imported_orders: int = Field(ge=0)
    due_fen: int = Field(ge=0)
    paid_fen: int = Field(ge=0)

    @property
    def difference(self) -> int:
        return self.declared_orders - self.imported_orders

    @property
    def outstanding_fen(self) -> int:
        return self.due_fen - self.paid_fen


class CoverageView(_View):
    platform: str
    industry: Industry
    start: date
    end: date | None = None
    days_covered: int = Field(ge=0)


def _check_total(items, total: int, what: str) -> None:
    if sum(i.amount_fen for i in items) != total:
        raise ValueError(f"{what} 与明细合计不符")
