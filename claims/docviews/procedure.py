"""Views of the procedure's own notices and statements (shared/domain/forms.md):
受理通知书, 中止通知书, 撤回申请确认书, 职业伤害保障待遇垫付情况说明 and
供养亲属抚恤金支付明细. Values are raw (layouts mask by audience); money in fen."""
from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from claims.enums import Relation

from .parts import OfficeInfo, PayeeInfo, PlatformInfo, WorkerInfo, _View


class AcceptanceNoticeView(_View):
    notice_number: str
    case_number: str
    addressee: str  # the applicant
    applicant_relation: str = ""
    worker: WorkerInfo
    platform: PlatformInfo
    applied_on: date | None = None
    accepted_on: date
    accepted_by: str = ""  # the clerk, by name
    decision_due: date | None = None  # the day by which the decision is due
    clock_text: str  # e.g. 自受理之日起 30 个工作日内
    office: OfficeInfo


class SuspensionNoticeView(_View):
    notice_number: str
    case_number: str
    addressee: str
    worker: WorkerInfo
    platform: PlatformInfo
    accepted_on: date | None = None
    suspended_on: date
    reason: str  # why the clock stops (waiting for a police, court or other finding)
    resumes_when: str  # what resumes it
    days_left: int | None = None  # of the clock, when it stopped
    days_unit: str = "日"  # 日 / 个工作日
    office: OfficeInfo


class WithdrawalConfirmationView(_View):
    confirmation_number: str
    case_number: str
    addressee: str  # who asked to withdraw
    addressee_relation: str = ""
    worker: WorkerInfo
    platform: PlatformInfo
    application: str  # the application withdrawn, e.g. 职业伤害确认申请
    applied_on: date | None = None
    withdrawn_on: date
    reason: str = ""
    effect: str
    office: OfficeInfo


class AdvanceRow(_View):
    advancer: str
    advancer_kind: str  # label
    advanced_on: date
    amount_fen: int = Field(ge=0)
    purpose: str = ""
    paid_to: str = ""  # to whom the advancer paid (the worker, a hospital, the family)
    evidence: str = ""  # the documents it rests on
    payee: PayeeInfo  # where the repayment goes
    repay_fen: int = Field(ge=0)  # to be repaid to the advancer
    repayment_number: str = ""
    repaid_on: date | None = None


class AdvanceStatementView(_View):
    statement_number: str
    case_number: str
    worker: WorkerInfo
    platform: PlatformInfo
    death_date: date | None = None
    decision_number: str = ""
    assessment_number: str = ""
    once_total_fen: int = Field(default=0, ge=0)
    advances: list[AdvanceRow] = Field(min_length=1)
    repay_total_fen: int = Field(ge=0)
    worker_due_fen: int = Field(default=0, ge=0)
    compiled_by: str = ""
    compiled_on: date
    office: OfficeInfo

    @model_validator(mode="after")
    def _total(self):
        if sum(a.repay_fen for a in self.advances) != self.repay_total_fen:
            raise ValueError("偿还合计与明细合计不符")
        return self


class PensionPayment(_View):
    month: str  # "2026-01"
    amount_fen: int = Field(ge=0)
    status: str  # label: 已支付 / 待审批 / 待发放
    paid_on: date | None = None


class PensionRow(_View):
    name: str
    relation: Relation
    id_number: str = ""
    birth_date: date | None = None
    monthly_fen: int = Field(ge=0)
    from_month: str = ""
    until: date | None = None
    end_reason: str = ""
    payee: PayeeInfo
    payments: list[PensionPayment] = []


class PensionScheduleView(_View):
    schedule_number: str
    case_number: str
    deceased: WorkerInfo
    death_date: date
    claimant: str = ""
    assessment_number: str = ""
    notice_date: date | None = None
    dependants: list[PensionRow] = Field(min_length=1)
    monthly_total_fen: int = Field(ge=0)
    prepared_on: date
    office: OfficeInfo

    @model_validator(mode="after")
    def _total(self):
        if sum(d.monthly_fen for d in self.dependants) != self.monthly_total_fen:
            raise ValueError("每月合计与明细合计不符")
        return self
