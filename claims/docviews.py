"""The data each printed document needs (shared/domain/forms.md), one model per
document. Values are raw: whole ID numbers and accounts; the layout masks them
according to the document's audience. Money is integer fen, dates are
``datetime.date``, times are timezone-aware datetimes.

No reportlab here: ``forms/`` turns these views into PDFs; the store builds them.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from claims.enums import Channel, Industry, Outcome, ParamStatus, Relation

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


class BenefitItemView(_View):
    code: str
    name: str
    period: str  # "once" | "monthly"
    amount_fen: int = Field(ge=0)
    formula: str = ""


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


# --- one view per document -----------------------------------------------------

class ReportReceiptView(_View):
    case_number: str
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
    dependants: list[DependantView] = []
    items_applied: list[str] = Field(min_length=1)
    payee: PayeeInfo
    applied_on: date | None = None


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

    @model_validator(mode="after")
    def _totals(self):
        _check_total([i for i in self.items if i.period == "once"], self.once_total_fen, "一次性合计")
        _check_total([i for i in self.items if i.period == "monthly"], self.monthly_total_fen, "按月合计")
        return self

    @property
    def unconfirmed(self) -> list[ParameterUseView]:
        return [p for p in self.parameters if p.status == ParamStatus.unconfirmed]


class PaymentVoucherView(_View):
    payment_number: str
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


# --- the catalogue -------------------------------------------------------------

DOCUMENTS: dict[str, tuple[str, type[BaseModel], str]] = {
    "report_receipt": ("职业伤害报案回执", ReportReceiptView, "worker"),
    "confirmation_application": ("职业伤害确认申请表", ConfirmationApplicationView, "authority"),
    "document_receipt": ("材料接收凭证", DocumentReceiptView, "worker"),
    "missing_documents_notice": ("补正材料一次性告知书", MissingDocumentsNoticeView, "worker"),
    "confirmation_decision": ("职业伤害确认结论书", ConfirmationDecisionView, "worker"),
    "refusal_decision": ("不予确认职业伤害结论书", RefusalDecisionView, "worker"),
    "appraisal_application": ("劳动能力鉴定申请表", AppraisalApplicationView, "authority"),
    "benefit_application": ("职业伤害保障待遇申请表", BenefitApplicationView, "authority"),
    "benefit_notice": ("职业伤害保障待遇核定通知书", BenefitNoticeView, "worker"),
    "payment_voucher": ("待遇支付凭证", PaymentVoucherView, "worker"),
    "fee_declaration": ("职业伤害保障费缴费申报表", FeeDeclarationView, "authority"),
    "reconciliation_statement": ("缴费对账单", ReconciliationStatementView, "third_party"),
    "enrollment_certificate": ("参保证明", EnrollmentCertificateView, "worker"),
    "case_index": ("案卷目录", CaseIndexView, "archive"),
}

MASKED_AUDIENCES = frozenset({"worker", "third_party"})


def content_digest(doc_code: str, record_key: str, view: BaseModel) -> str:
    """sha256 hex of the canonical JSON of the document's content (not the print time)."""
    payload = {"doc": doc_code, "key": record_key, "view": view.model_dump(mode="json")}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def verification_code(digest: str) -> str:
    """First 50 bits of the digest in Crockford base32: ``XXXX-XXXX-XX``."""
    bits = int(digest[:13], 16) >> 2  # 52 bits -> 50
    chars = "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in range(9, -1, -1))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalize_code(text: str) -> str:
    """What a person typed (lower case, O for 0, I/L for 1, no dashes) to ``XXXX-XXXX-XX``."""
    t = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    t = t.translate(str.maketrans("OIL", "011"))
    return f"{t[:4]}-{t[4:8]}-{t[8:]}" if len(t) == 10 else t


def sample_view(doc_code: str) -> BaseModel:
    """Realistic, fully filled sample data (tests, benchmarks, previews)."""
    if doc_code not in DOCUMENTS:
        raise KeyError(doc_code)
    return _SAMPLES[doc_code]()


# --- samples ---------------------------------------------------------------------

def _t(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


_CASE = "ZS310104-2026-000123"
_OFFICE = dict(name="上海市徐汇区新就业形态职业伤害保障承办服务中心",
               address="上海市徐汇区漕溪北路 88 号 3 楼 12 号窗口", phone="021-64881234")
_REVIEW = "上海市徐汇区人民政府"
_COURT = "上海市徐汇区人民法院"


def _worker() -> WorkerInfo:
    return WorkerInfo(name="王秀英", id_number="11010519491231002X", gender="女",
                      birth_date=date(1949, 12, 31), phone="13817625548",
                      address="上海市徐汇区田林路 200 弄 15 号 402 室")


def _platform() -> PlatformInfo:
    return PlatformInfo(name="美团（北京三快在线科技有限公司）", credit_code="91110108MA01ABCD3L",
                        station="上海徐汇田林站")


def _payee() -> PayeeInfo:
    return PayeeInfo(name="王秀英", bank="中国工商银行上海市田林路支行",
                     account="6222021001123456789", relation="本人")


def _report_receipt() -> ReportReceiptView:
    return ReportReceiptView(
        case_number=_CASE, reported_at=_t("2026-10-12T15:20:00"), channel=Channel.counter,
        reporter_name="刘志强", reporter_relation="平台站点（站长）", reporter_phone="13916204471",
        worker=_worker(), platform=_platform(), industry=Industry.instant_delivery,
        accident_at=_t("2026-10-12T11:42:00"), accident_place="上海市徐汇区虹漕路与宜山路交叉口",
        summary="配送订单途中电动自行车与右转机动车相撞，左小腿及左手腕受伤，送上海市第六人民医院急诊。",
        next_steps=[
            NextStep(text="请在 30 日内由平台或本人提交职业伤害确认申请及下列材料", due=date(2026, 11, 11)),
            NextStep(text="材料齐全后承办机构受理，并在 30 个工作日内作出确认结论"),
            NextStep(text="材料不全的，承办机构一次性书面告知需补正的全部材料"),
        ],
        documents_to_prepare=["本人身份证复印件", "事故发生时的订单记录（订单号、接单及完成时间）",
                              "初诊证明或诊断证明", "交通事故责任认定书", "病历及医疗费用票据",
                              "知情同意确认书"],
        handler="陈静", office=OfficeInfo(**_OFFICE))


def _confirmation_application() -> ConfirmationApplicationView:
    return ConfirmationApplicationView(
        case_number=_CASE, applicant_name="王秀英", applicant_relation="本人", applicant_phone="13817625548",
        worker=_worker(), platform=_platform(), industry=Industry.instant_delivery,
        platform_account="MT-SH-20240315-7781", order_number="MT2026101211350042718",
        order_accepted_at=_t("2026-10-12T11:35:00"), order_finished_at=_t("2026-10-12T12:20:00"),
        accident_at=_t("2026-10-12T11:42:00"), accident_place="上海市徐汇区虹漕路与宜山路交叉口",
        accident_cause="配送途中与右转机动车相撞（交通事故）", body_parts="左小腿、左手腕",
        diagnosis_date=date(2026, 10, 12), hospital="上海市第六人民医院",
        account=("2026年10月12日11时35分，我通过美团骑手端接受订单 MT2026101211350042718，"
                 "从田林路取餐后前往宜山路 700 号送餐。11时42分，骑电动自行车沿虹漕路由北向南行驶至"
                 "宜山路路口时，与一辆右转的小型轿车相撞，摔倒在地，左小腿及左手腕受伤。交警到场处理，"
                 "我被送往上海市第六人民医院急诊，诊断为左胫骨骨折、左桡骨远端骨折，住院治疗 15 天。"),
        applied_on=date(2026, 10, 20))


def _document_receipt() -> DocumentReceiptView:
    d = date(2026, 10, 20)
    return DocumentReceiptView(
        receipt_number=_CASE + "-SJ01", case_number=_CASE, worker=_worker(), submitted_by="王秀英（本人）",
        documents=[
            DocumentItem(name="职业伤害确认申请表", received_on=d, pages=3),
            DocumentItem(name="身份证复印件", received_on=d, pages=1, original=False),
            DocumentItem(name="订单记录截图（MT2026101211350042718）", received_on=d, pages=2, original=False),
            DocumentItem(name="上海市第六人民医院诊断证明", received_on=d, pages=1),
            DocumentItem(name="知情同意确认书", received_on=d, pages=1),
        ],
        received_by="陈静", received_on=d, office=OfficeInfo(**_OFFICE))


def _missing_documents_notice() -> MissingDocumentsNoticeView:
    return MissingDocumentsNoticeView(
        notice_number=_CASE + "-BZ01", case_number=_CASE, addressee="王秀英", worker=_worker(),
        notice_date=date(2026, 10, 21),
        items=[
            MissingItem(name="交通事故责任认定书", reason="事故为道路交通事故，需据此确定本人是否负主要责任"),
            MissingItem(name="病历及医疗费用票据（原件）", reason="申请报销医疗费，需核定费用是否在目录范围内"),
            MissingItem(name="收款银行卡复印件", reason="待遇支付需核对收款人账户"),
        ],
        submit_place="上海市徐汇区漕溪北路 88 号 3 楼 12 号窗口（工作日 9:00–17:00）",
        due_date=date(2026, 11, 20),
        consequence="逾期未补正且无正当理由的，视为撤回申请，本案可以终止办理；补齐后可重新提出申请。",
        office=OfficeInfo(**_OFFICE))


def _decision_kwargs() -> dict:
    return dict(
        decision_number="沪徐职伤确〔2026〕0123号", decision_date=date(2026, 11, 30), case_number=_CASE,
        worker=_worker(), platform=_platform(), industry=Industry.instant_delivery,
        accident_at=_t("2026-10-12T11:42:00"), accident_place="上海市徐汇区虹漕路与宜山路交叉口",
        applied_on=date(2026, 10, 20), accepted_on=date(2026, 10, 28),
        review_authority=_REVIEW, court=_COURT, office=OfficeInfo(**_OFFICE))


def _confirmation_decision() -> ConfirmationDecisionView:
    return ConfirmationDecisionView(
        **_decision_kwargs(),
        facts=("经查，王秀英于2026年10月12日11时35分接受美团平台订单 MT2026101211350042718，"
               "11时42分在配送途中于虹漕路与宜山路交叉口与右转机动车相撞受伤。交警部门认定其不负主要责任。"
               "上海市第六人民医院诊断为左胫骨骨折、左桡骨远端骨折。"),
        situation_code="order_route_traffic",
        situation_label="在订单任务往返合理路线上发生非本人主要责任的交通事故",
        legal_basis="《新就业形态就业人员职业伤害保障办法（试行）》及本市实施办法，参照《工伤保险条例》第十四条第（六）项",
        conclusion="王秀英所受伤害属于职业伤害，予以确认。")


def _refusal_decision() -> RefusalDecisionView:
    return RefusalDecisionView(
        **(_decision_kwargs() | {"decision_number": "沪徐职伤不确〔2026〕0045号"}),
        facts=("经查，王秀英于2026年10月12日11时42分在虹漕路与宜山路交叉口摔倒受伤。平台订单记录显示，"
               "其当日最后一单已于10时58分完成，事故发生时未处于接单或执行订单状态。"),
        situation_code="order_task", situation_label="执行平台订单任务期间受到事故伤害",
        legal_basis="《新就业形态就业人员职业伤害保障办法（试行）》第十五条",
        conclusion="王秀英所受伤害不属于职业伤害，不予确认。",
        reasons=["事故发生时未处于执行平台订单任务期间（最后一单完成于10时58分）",
                 "无证据表明受伤与订单任务的预备性或收尾性工作有关"])


def _appraisal_application() -> AppraisalApplicationView:
    return AppraisalApplicationView(
        case_number=_CASE, worker=_worker(), platform=_platform(), industry=Industry.instant_delivery,
        decision_number="沪徐职伤确〔2026〕0123号", decision_date=date(2026, 11, 30),
        accident_date=date(2026, 10, 12), injured_parts="左小腿、左手腕",
        hospital="上海市第六人民医院",
        treatment_summary="左胫骨骨折切开复位内固定术，左桡骨远端骨折手法复位石膏固定；住院 15 天，出院后康复治疗 3 个月，现左踝活动受限。",
        applicant_name="王秀英", applicant_relation="本人", applicant_phone="13817625548",
        applied_on=date(2027, 3, 1), committee="上海市徐汇区劳动能力鉴定委员会")


def _benefit_application() -> BenefitApplicationView:
    return BenefitApplicationView(
        case_number=_CASE, kind=Outcome.death, worker=_worker(), decision_number="沪徐职伤确〔2026〕0123号",
        death_date=date(2026, 10, 14), claimant_name="李建国", claimant_relation="配偶",
        claimant_id_number="310115194806120038", claimant_phone="13761208834",
        dependants=[
            DependantView(name="李建国", relation=Relation.spouse, id_number="310115194806120038",
                          basis="配偶，无工作、无收入，由死者生前供养"),
            DependantView(name="李晓明", relation=Relation.child, id_number="310104198509010018",
                          basis="子女，完全丧失劳动能力（残疾证号 31010419850901001842）"),
        ],
        items_applied=["丧葬补助金", "供养亲属抚恤金", "一次性职业伤害死亡补助金"],
        payee=PayeeInfo(name="李建国", bank="中国建设银行上海漕河泾支行", account="6217001210034567899",
                        relation="配偶"),
        applied_on=date(2026, 12, 5))


def _benefit_notice() -> BenefitNoticeView:
    items = [
        BenefitItemView(code="medical_expenses", name="医疗费", period="once", amount_fen=385640,
                        formula="核定金额（工伤保险目录范围内）"),
        BenefitItemView(code="hospital_food_allowance", name="住院伙食补助费", period="once",
                        amount_fen=30000, formula="15 天 × 20.00"),
        BenefitItemView(code="one_off_disability", name="一次性伤残补助金", period="once",
                        amount_fen=15506400, formula="21 × 7384.00"),
        BenefitItemView(code="disability_allowance", name="伤残津贴", period="monthly",
                        amount_fen=553800, formula="75% × 7384.00"),
        BenefitItemView(code="nursing_care", name="生活护理费", period="monthly",
                        amount_fen=373020, formula="30% × 12434.00"),
    ]
    return BenefitNoticeView(
        notice_number=_CASE + "-DY01", notice_date=date(2027, 5, 18), case_number=_CASE, worker=_worker(),
        outcome=Outcome.disability, decision_number="沪徐职伤确〔2026〕0123号", disability_grade=4,
        care_level="部分不能自理", rule_set="pilot-2025",
        rule_set_basis="人社部发〔2025〕24号；人社厅函〔2025〕79号第三十八、三十九条；沪人社规〔2025〕17号",
        items=items, once_total_fen=15922040, monthly_total_fen=926820, monthly_from=date(2027, 6, 1),
        parameters=[
            ParameterUseView(name="benefit_base", label="待遇计发基数", value="7384.00", unit="元/月",
                             source="沪人社规〔2025〕17号", status=ParamStatus.confirmed),
            ParameterUseView(name="care_base", label="生活护理费计发基数", value="12434.00", unit="元/月",
                             source="上海市2024年城镇单位就业人员月平均工资（二手数据）",
                             status=ParamStatus.unconfirmed),
            ParameterUseView(name="hospital_food_daily", label="住院伙食补助标准", value="20.00", unit="元/天",
                             source="参照他市标准（默认值）", status=ParamStatus.unconfirmed),
        ],
        payee=_payee(), review_authority=_REVIEW, court=_COURT, office=OfficeInfo(**_OFFICE))


def _payment_voucher() -> PaymentVoucherView:
    return PaymentVoucherView(
        payment_number="ZF-2027-000456", case_number=_CASE, worker=_worker(),
        items=[PaymentItemView(name="医疗费", period="一次性", amount_fen=385640),
               PaymentItemView(name="住院伙食补助费", period="一次性", amount_fen=30000),
               PaymentItemView(name="一次性伤残补助金", period="一次性", amount_fen=15506400)],
        total_fen=15922040, payee=_payee(), paid_on=date(2027, 5, 28), reference="ICBC20270528093512",
        prepared_by="陈静", approved_by="周建华", office=OfficeInfo(**_OFFICE))


def _fee_declaration() -> FeeDeclarationView:
    return FeeDeclarationView(
        declaration_number="SB-310000-202610-0007", platform=_platform(), region_code="310000",
        region_name="上海市", month="2026-10", rule_set="pilot-2025",
        lines=[FeeLineView(industry=Industry.instant_delivery, orders=12845311, per_order_units=700,
                           amount_fen=89917177),
               FeeLineView(industry=Industry.intra_city_freight, orders=48210, per_order_units=1800,
                           amount_fen=867780)],
        total_fen=90784957, declarant="赵文华", declarant_phone="010-57376600", declared_on=date(2026, 11, 10))


def _reconciliation_statement() -> ReconciliationStatementView:
    rows = []
    for month, dec, imp, paid in [("2026-08", 12403377, 12403377, 86823639),
                                  ("2026-09", 12611520, 12609874, 88280640),
                                  ("2026-10", 12845311, 12851002, 80000000)]:
        due = dec * 7
        rows.append(ReconciliationRow(month=month, industry=Industry.instant_delivery, declared_orders=dec,
                                      imported_orders=imp, due_fen=due, paid_fen=min(paid, due)))
    return ReconciliationStatementView(
        statement_number="DZ-310000-2026Q3-0007", platform=_platform(), region_code="310000",
        region_name="上海市", period_from="2026-08", period_to="2026-10", rows=rows,
        prepared_by="陈静", prepared_on=date(2026, 11, 30),
        insurer="中国人寿财产保险股份有限公司上海市分公司")


def _enrollment_certificate() -> EnrollmentCertificateView:
    return EnrollmentCertificateView(
        certificate_number="CB-2026-018832", worker=_worker(),
        coverages=[CoverageView(platform="美团（北京三快在线科技有限公司）", industry=Industry.food_delivery,
                                start=date(2024, 3, 15), end=date(2025, 6, 30), days_covered=398),
                   CoverageView(platform="美团（北京三快在线科技有限公司）", industry=Industry.instant_delivery,
                                start=date(2025, 7, 1), end=None, days_covered=462),
                   CoverageView(platform="闪送（北京同城必应科技有限公司）", industry=Industry.instant_delivery,
                                start=date(2026, 2, 1), end=date(2026, 5, 31), days_covered=37)],
        purpose="办理居住证积分", issued_on=date(2026, 11, 30), office=OfficeInfo(**_OFFICE))


def _case_index() -> CaseIndexView:
    docs = [("职业伤害报案回执", date(2026, 10, 12), 1), ("职业伤害确认申请表", date(2026, 10, 20), 3),
            ("身份证复印件", date(2026, 10, 20), 1), ("订单记录", date(2026, 10, 20), 2),
            ("诊断证明", date(2026, 10, 20), 1), ("材料接收凭证", date(2026, 10, 20), 1),
            ("补正材料一次性告知书", date(2026, 10, 21), 2), ("交通事故责任认定书", date(2026, 11, 3), 2),
            ("调查笔录", date(2026, 11, 10), 4), ("职业伤害确认结论书", date(2026, 11, 30), 2),
            ("劳动能力鉴定结论书", date(2027, 4, 20), 2), ("职业伤害保障待遇核定通知书", date(2027, 5, 18), 3),
            ("待遇支付凭证", date(2027, 5, 28), 1)]
    return CaseIndexView(
        case_number=_CASE, worker=_worker(), platform=_platform(), state_label="结案",
        opened_on=date(2026, 10, 12), closed_on=date(2027, 6, 2),
        documents=[DocumentItem(name=n, received_on=d, pages=p) for n, d, p in docs],
        compiled_by="陈静", compiled_on=date(2027, 6, 2), retention="长期")


_SAMPLES = {
    "report_receipt": _report_receipt,
    "confirmation_application": _confirmation_application,
    "document_receipt": _document_receipt,
    "missing_documents_notice": _missing_documents_notice,
    "confirmation_decision": _confirmation_decision,
    "refusal_decision": _refusal_decision,
    "appraisal_application": _appraisal_application,
    "benefit_application": _benefit_application,
    "benefit_notice": _benefit_notice,
    "payment_voucher": _payment_voucher,
    "fee_declaration": _fee_declaration,
    "reconciliation_statement": _reconciliation_statement,
    "enrollment_certificate": _enrollment_certificate,
    "case_index": _case_index,
}
