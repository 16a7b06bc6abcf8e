"""Sample data for the procedure's own notices and statements (claims/docviews/procedure.py)."""
from __future__ import annotations

from datetime import date

from claims.enums import Relation

from .parts import OfficeInfo, PayeeInfo, PlatformInfo, WorkerInfo
from .procedure import (AcceptanceNoticeView, AdvanceRow, AdvanceStatementView, PensionPayment, PensionRow,
                        PensionScheduleView, SuspensionNoticeView, WithdrawalConfirmationView)

_CASE = "ZS310104-2026-000123"
_OFFICE = dict(name="上海市徐汇区新就业形态职业伤害保障承办服务中心",
               address="上海市徐汇区漕溪北路 88 号 3 楼 12 号窗口", phone="021-64881234")


def _worker() -> WorkerInfo:
    return WorkerInfo(name="王秀英", id_number="11010519491231002X", gender="女", birth_date=date(1949, 12, 31),
                      phone="13817625548", address="上海市徐汇区田林路 200 弄 15 号 402 室")


def _platform() -> PlatformInfo:
    return PlatformInfo(name="美团（北京三快在线科技有限公司）", credit_code="91110108MA01ABCD3L", station="上海徐汇田林站")


def acceptance_notice() -> AcceptanceNoticeView:
    return AcceptanceNoticeView(
        notice_number="沪职伤受〔2026〕第57号", case_number=_CASE, addressee="王秀英", applicant_relation="本人",
        worker=_worker(), platform=_platform(), applied_on=date(2026, 10, 20), accepted_on=date(2026, 10, 22),
        accepted_by="陈静", decision_due=date(2026, 12, 3), clock_text="自受理之日起 30 个工作日内",
        office=OfficeInfo(**_OFFICE))


def suspension_notice() -> SuspensionNoticeView:
    return SuspensionNoticeView(
        notice_number="沪职伤中〔2026〕第8号", case_number=_CASE, addressee="王秀英", worker=_worker(),
        platform=_platform(), accepted_on=date(2026, 10, 22), suspended_on=date(2026, 11, 5),
        reason="本案事故责任须以公安机关交通管理部门的道路交通事故认定为依据，该认定尚未作出",
        resumes_when="自收到道路交通事故认定书之日起恢复计算", days_left=20, days_unit="个工作日",
        office=OfficeInfo(**_OFFICE))


def withdrawal_confirmation() -> WithdrawalConfirmationView:
    return WithdrawalConfirmationView(
        confirmation_number="沪职伤撤〔2026〕第3号", case_number=_CASE, addressee="王秀英", addressee_relation="本人",
        worker=_worker(), platform=_platform(), application="职业伤害确认申请", applied_on=date(2026, 10, 20),
        withdrawn_on=date(2026, 11, 2), reason="申请人书面申请撤回",
        effect="本机构终止办理该申请，已提交的材料可凭本确认书领回；撤回后在法定期限内可以重新提出申请。",
        office=OfficeInfo(**_OFFICE))


def advance_statement() -> AdvanceStatementView:
    return AdvanceStatementView(
        statement_number="沪职保垫〔2027〕第2号", case_number=_CASE, worker=_worker(), platform=_platform(),
        decision_number="沪职伤确〔2026〕第123号", assessment_number="沪职保待〔2027〕第18号",
        once_total_fen=15922040,
        advances=[AdvanceRow(advancer="北京三快在线科技有限公司", advancer_kind="平台企业",
                             advanced_on=date(2026, 10, 13), amount_fen=385640, purpose="垫付住院医疗费",
                             paid_to="上海市第六人民医院", evidence="医疗费用票据、垫付证明（3 页）",
                             payee=PayeeInfo(name="北京三快在线科技有限公司", bank="招商银行北京分行营业部",
                                             account="110902345610801"),
                             repay_fen=385640, repayment_number="沪职保付〔2027〕第40号",
                             repaid_on=date(2027, 5, 28))],
        repay_total_fen=385640, worker_due_fen=15536400, compiled_by="陈静", compiled_on=date(2027, 5, 20),
        office=OfficeInfo(**_OFFICE))


def pension_schedule() -> PensionScheduleView:
    pay = PayeeInfo(name="李建国", bank="中国建设银行上海漕河泾支行", account="6217001210034567899", relation="本人")
    child_pay = PayeeInfo(name="李建国", bank="中国建设银行上海漕河泾支行", account="6217001210034567899",
                          relation="监护人")
    return PensionScheduleView(
        schedule_number="沪职保抚〔2027〕第1号", case_number=_CASE, deceased=_worker(), death_date=date(2026, 10, 14),
        claimant="李建国", assessment_number="沪职保待〔2026〕第31号", notice_date=date(2026, 12, 20),
        dependants=[
            PensionRow(name="李建国", relation=Relation.spouse, id_number="310115194806120038", monthly_fen=221520,
                       from_month="2026-11", payee=pay,
                       payments=[PensionPayment(month="2026-11", amount_fen=221520, status="已支付",
                                                paid_on=date(2026, 12, 28)),
                                 PensionPayment(month="2026-12", amount_fen=221520, status="待审批")]),
            PensionRow(name="李小雨", relation=Relation.child, id_number="310104201203150027",
                       birth_date=date(2012, 3, 15), monthly_fen=147680, from_month="2026-11",
                       until=date(2030, 3, 14), end_reason="年满18周岁", payee=child_pay),
        ],
        monthly_total_fen=369200, prepared_on=date(2027, 1, 5), office=OfficeInfo(**_OFFICE))


SAMPLES = {"acceptance_notice": acceptance_notice, "suspension_notice": suspension_notice,
           "withdrawal_confirmation": withdrawal_confirmation, "advance_statement": advance_statement,
           "pension_schedule": pension_schedule}
