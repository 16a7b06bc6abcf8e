"""The builders of the procedure's own notices and statements: the acceptance
notice (受理), the suspension notice (the clock stops), the confirmation of a
withdrawn application, the statement of advances (垫付情况说明) and the
dependants' pension schedule (供养亲属抚恤金支付明细). Each raises a
ClaimsError a clerk understands when the case has no such step."""
from __future__ import annotations

import json
from datetime import date

from .. import docviews as V
from ..clocks import clock_for, due_date
from ..enums import CaseState
from ..errors import ClaimsError
from ..i18n import _
from ..money import to_fen
from .common import _CaseFile, _day, _office, _worker_info

SUSPEND_REASON = _("须以公安机关、人民法院或者其他有关机关的结论为依据，而该结论尚未作出")
SUSPEND_RESUMES = _("自本机构收到上述结论之日起恢复办理")
WITHDRAW_EFFECT = _("本机构终止办理该申请，已提交的材料可凭本确认书领回。撤回后，在规定的申请期限内仍可以重新提出申请；"
                    "逾期未重新申请的，视为放弃。")


def _events(cf: _CaseFile, state: CaseState) -> list:
    return [e for e in cf.events if e.to_state == state]


def _not_at(cf: _CaseFile, doc: str, what: str) -> ClaimsError:
    return ClaimsError(_("案件 {n} 没有{w}（案件当前为“{s}”），不能打印{t}").format(
        n=cf.case.number, w=what, s=cf.case.state.label, t=V.DOCUMENTS[doc][0]))


def _acceptance_notice(store, cf: _CaseFile, office: dict, as_of: date) -> V.AcceptanceNoticeView:
    hits = _events(cf, CaseState.accepted)
    if not hits:
        raise _not_at(cf, "acceptance_notice", _("受理记录"))
    e = hits[0]
    on = _day(e.at)
    clock = clock_for("accepted") or {"days": 30, "working_days": True}
    unit = _("个工作日") if clock["working_days"] else _("日")
    name, rel, _phone = cf.applicant()
    return V.AcceptanceNoticeView(
        notice_number=f"{cf.case.number}-SL", case_number=cf.case.number, addressee=name, applicant_relation=rel,
        worker=_worker_info(cf.worker), platform=cf.platform_info(), applied_on=_day(cf.case.reported_at),
        accepted_on=on, accepted_by=store.person_name(e.actor),
        decision_due=due_date("accepted", on, on, store.calendar()),
        clock_text=_("自受理之日起 {d} {u}内").format(d=clock["days"], u=unit), office=_office(office))


def _suspension_notice(store, cf: _CaseFile, office: dict, as_of: date) -> V.SuspensionNoticeView:
    hits = _events(cf, CaseState.suspended)
    if not hits:
        raise _not_at(cf, "suspension_notice", _("中止记录"))
    e = hits[-1]
    paused = e.from_state.value if e.from_state else "accepted"
    clock = clock_for(paused)
    name, _rel, _phone = cf.applicant()
    current = cf.case.state == CaseState.suspended and e is cf.events[-1] or cf.case.state == CaseState.suspended
    return V.SuspensionNoticeView(
        notice_number=f"{cf.case.number}-ZZ", case_number=cf.case.number, addressee=name,
        worker=_worker_info(cf.worker), platform=cf.platform_info(), accepted_on=cf.event_day("accepted"),
        suspended_on=_day(e.at), reason=(e.note or "").strip().rstrip("。") or SUSPEND_REASON,
        resumes_when=SUSPEND_RESUMES, days_left=cf.case.clock_left if current and clock else None,
        days_unit=_("个工作日") if clock and clock["working_days"] else _("日"), office=_office(office))


def _withdrawal_confirmation(store, cf: _CaseFile, office: dict, as_of: date) -> V.WithdrawalConfirmationView:
    hits = _events(cf, CaseState.withdrawn)
    if not hits:
        raise _not_at(cf, "withdrawal_confirmation", _("撤回记录"))
    e = hits[-1]
    name, rel, _phone = cf.applicant()
    before = e.from_state.value if e.from_state else "reported"
    what = _("职业伤害确认申请") if before in ("reported", "awaiting_documents", "accepted", "investigating",
                                         "suspended") else _("职业伤害保障待遇申请")
    return V.WithdrawalConfirmationView(
        confirmation_number=f"{cf.case.number}-CH", case_number=cf.case.number, addressee=name,
        addressee_relation=rel, worker=_worker_info(cf.worker), platform=cf.platform_info(), application=what,
        applied_on=_day(cf.case.reported_at), withdrawn_on=_day(e.at),
        reason=(e.note or "").strip().rstrip("。") or _("申请人申请撤回"), effect=WITHDRAW_EFFECT,
        office=_office(office))


def _advance_statement(store, cf: _CaseFile, office: dict, as_of: date) -> V.AdvanceStatementView:
    from ..enums import AdvancerKind
    from .case_docs import decision_no
    advances = [a for a in cf.advances or [] if a.advanced_on <= as_of]
    if not advances:
        raise ClaimsError(_("案件 {n} 没有登记垫付，不能打印{t}").format(n=cf.case.number,
                                                              t=V.DOCUMENTS["advance_statement"][0]))
    rows, once, due, assessment = [], 0, 0, ""
    for a in advances:
        st = store.advance_statement(a.id)
        ev = "、".join(dict.fromkeys(_doc_label(d) + (_("（{p} 页）").format(p=d.pages) if d.pages else "")
                                     for d in st.evidence)) or ""
        pay = st.repayment
        rows.append(V.AdvanceRow(
            advancer=a.advancer_name, advancer_kind=AdvancerKind(a.advancer_kind).label, advanced_on=a.advanced_on,
            amount_fen=a.amount_fen, purpose=a.purpose, paid_to=a.note, evidence=ev,
            payee=V.PayeeInfo(name=a.payee_name or a.advancer_name, bank=a.payee_bank, account=a.payee_account),
            repay_fen=pay.amount_fen if pay else a.amount_fen, repayment_number=pay.number if pay else "",
            repaid_on=pay.paid_on if pay and pay.status.value == "approved" else None))
        once, due, assessment = st.once_total_fen or once, st.worker_due_fen or due, st.assessment_number or assessment
    d = cf.decision
    return V.AdvanceStatementView(
        statement_number=f"{cf.case.number}-DF", case_number=cf.case.number, worker=_worker_info(cf.worker),
        platform=cf.platform_info(), death_date=cf.case.death_date,
        decision_number=decision_no(store, cf, d) if d and d.kind == "confirm" else "", assessment_number=assessment,
        once_total_fen=once, advances=rows, repay_total_fen=sum(r.repay_fen for r in rows), worker_due_fen=due,
        compiled_by=store.person_name(store.inserted_by("advances", advances[-1].id)), compiled_on=as_of,
        office=_office(office))


def _doc_label(d) -> str:
    from .common import document_label
    return document_label(d.doc_type)


def _pension_schedule(store, cf: _CaseFile, office: dict, as_of: date) -> V.PensionScheduleView:
    from .benefit_docs import _dependant_views, _is_death
    from .case_docs import issued_no
    from .common import _assessed_on
    c = cf.case
    approved = [a for a in cf.assessments if a.status == "approved"]
    if not _is_death(cf) or not approved:
        raise ClaimsError(_("案件 {n} 不是已核定待遇的死亡案件，没有供养亲属抚恤金可列（案件当前为“{s}”）").format(
            n=c.number, s=c.state.label))
    a = approved[-1]
    res = json.loads(a.result_json or "{}")
    deps = [d for d in _dependant_views(store, cf, res) if d.monthly_fen]
    if not deps:
        raise ClaimsError(_("案件 {n} 的待遇核定中没有供养亲属抚恤金").format(n=c.number))
    series = {s.dependant_id: s for s in store.monthly_series(a.id) if s.dependant_id}
    ids = res.get("dependant_ids") or []
    rows = []
    for n, d in enumerate(deps):
        did = ids[n] if n < len(ids) else None
        pays = []
        for p in cf.payments:
            if p.kind != "monthly" or p.dependant_id != did or p.status.value == "cancelled" or not did:
                continue
            if p.paid_on and p.paid_on > as_of:
                continue
            status = _("已支付") if p.status.value == "approved" else _("待审批")
            pays.append(V.PensionPayment(month=p.period_month, amount_fen=p.amount_fen, status=status,
                                         paid_on=p.paid_on if p.status.value == "approved" else None))
        pays.sort(key=lambda x: x.month)
        s = series.get(did)
        payee = d.payee or V.PayeeInfo(name=d.name)
        if s is not None:
            payee = V.PayeeInfo(name=s.payee, bank=s.payee_bank, account=s.account, relation=payee.relation)
        rows.append(V.PensionRow(name=d.name, relation=d.relation, id_number=d.id_number, birth_date=d.birth_date,
                                 monthly_fen=d.monthly_fen or 0, from_month=d.from_month, until=d.until,
                                 end_reason=d.end_reason, payee=payee, payments=pays))
    return V.PensionScheduleView(
        schedule_number=f"{c.number}-FX", case_number=c.number, deceased=_worker_info(cf.worker),
        death_date=c.death_date or _death(res), claimant=cf.applicant()[0], assessment_number=a.number,
        notice_date=_assessed_on(cf, a), dependants=rows, monthly_total_fen=sum(r.monthly_fen for r in rows),
        prepared_on=as_of, office=_office(office))


def _death(res: dict) -> date:
    return date.fromisoformat((res.get("input") or {})["death_date"])


def _amount(it) -> int:
    return to_fen(it["amount"])
