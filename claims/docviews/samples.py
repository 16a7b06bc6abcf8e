"""Realistic, fully filled sample data for each printed document (one
builder per document, ``_SAMPLES``): what the tests, the benchmarks and the
layout previews print. ``sample_view`` (catalogue.py) is the way in."""
from __future__ import annotations

from datetime import date, datetime

from claims.enums import Channel, Industry, Outcome, ParamStatus, Relation

from .parts import (BenefitItemView, CoverageView, DependantView, DocumentItem, FeeLineView, MissingItem,
                    NextStep, OfficeInfo, ParameterUseView, PayeeInfo, PaymentItemView, PlatformInfo,
                    ReconciliationRow, WorkerInfo)
from .views import (AppraisalApplicationView, BenefitApplicationView, BenefitNoticeView, CaseIndexView,
                    ConfirmationApplicationView, ConfirmationDecisionView, DocumentReceiptView,
                    EnrollmentCertificateView, FeeDeclarationView, MissingDocumentsNoticeView, PaymentVoucherView,
                    ReconciliationStatementView, RefusalDecisionView, ReportReceiptView)

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
        facts=("经查，王秀英系美团上海徐汇田林站即时配送行业从业人员。本机构参保登记记录显示，其自2026年3月1日起在美团"
               "参加即时配送行业职业伤害保障，事故发生之日在保障期间内。据报案登记，事故发生于2026年10月12日11:42，地点为"
               "虹漕路与宜山路交叉口。平台订单记录显示，事故发生时其正在执行订单 MT2026101211350042718（2026年10月12日11:35"
               "接单，2026年10月12日12:20完成）。本案于2026年10月13日报案，2026年10月15日受理。截至2026年10月20日，本机构已"
               "收到受伤人员身份证件、订单记录、诊断证明、交通事故责任认定书。"),
        situation_code="order_route_traffic",
        situation_label="在执行平台订单任务期间，在订单地点之间的合理路线上受到非本人主要责任的交通事故伤害",
        legal_basis="《新就业形态人员职业伤害保障办法（试行）》第十条第一款第（四）项",
        conclusion="王秀英所受伤害属于职业伤害，予以确认。")


def _refusal_decision() -> RefusalDecisionView:
    return RefusalDecisionView(
        **(_decision_kwargs() | {"decision_number": "沪徐职伤不确〔2026〕0045号"}),
        facts=("经查，王秀英系美团上海徐汇田林站即时配送行业从业人员。据报案登记，事故发生于2026年10月12日11:42，地点为"
               "虹漕路与宜山路交叉口。平台订单记录中未见事故发生时正在执行的订单；此前最近一单为订单 MT2026101210200031877"
               "（2026年10月12日10:20接单，2026年10月12日10:58完成）；事故当日平台记录接单 6 单。"),
        situation_code="", situation_label="事故伤害不符合应当确认或者视同职业伤害的情形",
        legal_basis="《新就业形态人员职业伤害保障办法（试行）》第十条第一款第（一）项至第（六）项",
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
        care_level="部分不能自理", rule_set="pilot-2025", rule_set_name="职业伤害保障试点（2025年扩围）",
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


def _more() -> None:
    from .samples_procedure import SAMPLES
    _SAMPLES.update(SAMPLES)


_more()
