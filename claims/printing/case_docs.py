"""The builders of the ten case documents, from the report receipt to the
case index: each takes the store, a ``_CaseFile``, the office details and
the "as of" day, and returns the document's view (claims/docviews), or
raises a ClaimsError a clerk understands when the case is not at a stage
where the document applies. The benefit documents are in benefit_docs.py."""
from __future__ import annotations

from datetime import date, timedelta

from .. import docviews as V
from ..clocks import clock_for, direct_apply_due, due_date
from ..enums import CaseState, Channel
from ..errors import ClaimsError
from ..i18n import _
from ..lifecycle import TERMINAL
from ..resources import load_json
from .common import (CASE_TYPE_CAUSE, _assessed_on, _CaseFile, _day, _office, _received, _required,
                     _split_reasons, _worker_info, checklist, document_label)


# --- case documents -------------------------------------------------------------------

def _report_receipt(store, cf: _CaseFile, office: dict, as_of: date) -> V.ReportReceiptView:
    c, w = cf.case, cf.worker
    reported = _day(c.reported_at)
    rep, accepted = clock_for("reported"), clock_for("accepted")
    direct = load_json("rules/clocks.json").get("direct_apply", {"days": 90})
    cal = store.calendar()
    steps = [
        V.NextStep(text=_("由平台企业（或本人、近亲属）提交职业伤害确认申请，并备齐下列材料"),
                   due=due_date("reported", reported, None, cal) if rep else None),
        V.NextStep(text=_("平台企业未按时申请的，本人或近亲属可在事故发生之日起 {d} 日内直接申请")
                   .format(d=direct["days"]), due=direct_apply_due(_day(c.accident_at), cal)),
        V.NextStep(text=_("材料齐全的予以受理，受理后 {d} 个{u}内作出确认结论").format(
            d=accepted["days"] if accepted else 30,
            u=_("工作日") if not accepted or accepted["working_days"] else _("日"))),
        V.NextStep(text=_("材料不全的，承办机构一次性书面告知需补正的全部材料")),
    ]
    handler = store.person_name(cf.events[0].actor) if cf.events else ""
    return V.ReportReceiptView(
        case_number=c.number, receipt_number=f"{c.number}-HZ", reported_at=c.reported_at, channel=Channel(c.channel),
        reporter_name=c.reporter_name or w.name, reporter_relation=c.reporter_relation or "本人",
        reporter_phone=w.phone if (c.reporter_relation or "本人") == "本人" else "",
        worker=_worker_info(w), platform=cf.platform_info(), industry=c.industry, accident_at=c.accident_at,
        accident_place=c.place, summary=c.description, next_steps=steps,
        documents_to_prepare=[d["name"] for d in _required(cf, reported)], handler=handler, office=_office(office))


def _confirmation_application(store, cf: _CaseFile, office: dict, as_of: date) -> V.ConfirmationApplicationView:
    c, w = cf.case, cf.worker
    order = store.order_by_number(c.platform_id, c.order_no) if c.order_no else None
    name, rel, phone = cf.applicant()
    return V.ConfirmationApplicationView(
        case_number=c.number, applicant_name=name, applicant_relation=rel, applicant_phone=phone,
        worker=_worker_info(w), platform=cf.platform_info(), industry=c.industry,
        platform_account=store.account_on_platform(w.id, c.platform_id, _day(c.accident_at)),
        order_number=c.order_no, order_accepted_at=order.accepted_at if order else None,
        order_finished_at=order.finished_at if order else None, accident_at=c.accident_at,
        accident_place=c.place, accident_cause=CASE_TYPE_CAUSE.get(c.case_type, c.case_type),
        body_parts=c.body_parts, diagnosis_date=c.diagnosed_on, hospital=c.hospital,
        account=c.description, applied_on=cf.event_day("accepted"),
        applicant_address=c.claimant_address if c.claimant_name.strip() else (w.address if rel == "本人" else ""),
        materials=_materials(cf))


def _materials(cf: _CaseFile) -> list[tuple[str, str]]:
    """The documents to send with an application (the case's checklist), with when each is needed."""
    return [(d["name"], WHEN_LABELS.get(d["when"], "")) for d in _required(cf)]


WHEN_LABELS = {"always": "均须提交", "medical": "申请医疗费时", "traffic": "交通事故", "violence": "受到暴力伤害时",
               "death": "因工死亡时", "advance": "有垫付时", "payment": "支付待遇时"}


def _document_receipt(store, cf: _CaseFile, office: dict, as_of: date) -> V.DocumentReceiptView:
    c = cf.case
    if not cf.documents:
        raise ClaimsError(_("案件 {n} 尚未登记接收任何材料，不能打印材料接收凭证").format(n=c.number))
    items = [V.DocumentItem(name=document_label(d.doc_type), received_on=d.received_on, pages=d.pages,
                            original="复印件" not in document_label(d.doc_type),
                            note=_("已扫描存档") if d.content_hash else "") for d in cf.documents]
    who = dict.fromkeys(store.person_name(store.inserted_by("case_documents", d.id)) for d in cf.documents)
    name, rel, _phone = cf.applicant()
    return V.DocumentReceiptView(
        receipt_number=f"{c.number}-SJ", case_number=c.number, worker=_worker_info(cf.worker),
        submitted_by=f"{name}（{rel}）", documents=items, received_by="、".join(x for x in who if x),
        received_on=max(d.received_on for d in cf.documents if d.received_on) if any(
            d.received_on for d in cf.documents) else _day(c.reported_at), office=_office(office))


def _missing_documents_notice(store, cf: _CaseFile, office: dict, as_of: date) -> V.MissingDocumentsNoticeView:
    c = cf.case
    issued = store.missing_notices_of(c.id) if hasattr(store, "missing_notices_of") else []
    if issued:  # the notice as it was issued: its number, date, deadline and list
        n = issued[-1]  # the latest (a later notice supersedes an earlier one)
        name, _rel, _phone = cf.applicant()
        place = office["office.name"] + (f"（{office['office.address']}）" if office["office.address"] else "")
        return V.MissingDocumentsNoticeView(
            notice_number=n.number, case_number=c.number, addressee=name, worker=_worker_info(cf.worker),
            notice_date=n.issued_on, items=[V.MissingItem(name=i.get("name") or document_label(i.get("doc_type", "")),
                                                          reason=i.get("reason", "")) for i in n.items],
            submit_place=place,
            due_date=n.due_on or due_date("awaiting_documents", n.issued_on, None, store.calendar())
            or n.issued_on + timedelta(days=30),
            consequence=checklist()["missing_consequence"], office=_office(office))
    notices = [e for e in cf.events if e.to_state == CaseState.awaiting_documents]
    if not notices:
        raise ClaimsError(_("案件 {n} 未发出补正材料告知（案件当前为“{s}”）；请先在案件中“发出一次性补正告知”")
                          .format(n=c.number, s=c.state.label))
    on = _day(notices[-1].at)
    got = _received(cf, on)
    missing = [V.MissingItem(name=d["name"], reason=d["reason"]) for d in _required(cf, on)
               if d["code"] not in got and d["name"] not in got]
    if not missing:
        raise ClaimsError(_("案件 {n} 的材料已齐全，无需补正").format(n=c.number))
    name, _rel, _phone = cf.applicant()
    place = office["office.name"] + (f"（{office['office.address']}）" if office["office.address"] else "")
    return V.MissingDocumentsNoticeView(
        notice_number=f"{c.number}-BZ{len(notices):02d}", case_number=c.number, addressee=name,
        worker=_worker_info(cf.worker), notice_date=on, items=missing, submit_place=place,
        due_date=due_date("awaiting_documents", on, None, store.calendar()) or on + timedelta(days=30),
        consequence=checklist()["missing_consequence"], office=_office(office))


def _issued_text(store, cf: _CaseFile, d) -> tuple:
    """(situation, facts, basis) of a decision as it was issued. A decision
    issued before decisions kept their text gets the citation of the rule set
    in force on the accident date and facts built from today's records (never
    the worker's account, never 《工伤保险条例》 as its basis)."""
    from ..situations import NOT_A_BASIS, rule_set_on
    from ..store.decisions import not_met_situation
    s = d.situation()
    if s is None:
        listed = store.situations(d.rule_set or rule_set_on(_day(cf.case.accident_at)))
        s = next((x for x in listed if x.code == d.situation_code), None) or not_met_situation(listed)
    facts = d.facts or store.decision_facts(cf.case.id, d.override_reason)
    extra = d.legal_basis.strip()
    basis = s.citation
    if extra and NOT_A_BASIS not in extra and extra not in basis:
        basis += "；" + extra
    return s, facts, basis


def decision_no(store, cf: _CaseFile, d) -> str:
    """A decision's 文号 as issued (its internal number if issued before 文号 existed)."""
    return store.decision_doc_number(cf.case.number, d)


def _decision(store, cf: _CaseFile, office: dict, kind: str):
    c, w = cf.case, cf.worker
    d = cf.decision
    want = "confirm" if kind == "confirmation_decision" else "refuse"
    if d is None:
        raise ClaimsError(_("案件 {n} 尚未作出确认结论（案件当前为“{s}”）").format(n=c.number, s=c.state.label))
    if d.kind != want:
        other = _("予以确认") if d.kind == "confirm" else _("不予确认")
        raise ClaimsError(_("案件 {n} 的结论为{o}（{num}），不能打印{t}").format(
            n=c.number, o=other, num=d.number, t=V.DOCUMENTS[kind][0]))
    s, facts, basis = _issued_text(store, cf, d)
    name, rel, _phone = cf.applicant()
    died = c.death_date is not None and c.death_date <= d.decided_on
    common = dict(
        decision_number=d.number, decision_date=d.decided_on, case_number=c.number, worker=_worker_info(w),
        platform=cf.platform_info(), industry=c.industry, accident_at=c.accident_at, accident_place=c.place,
        applied_on=_day(c.reported_at), accepted_on=cf.event_day("accepted"), facts=facts,
        applicant=name, applicant_relation=rel, death_date=c.death_date if died else None,
        situation_code=s.code, situation_label=s.wording.rstrip("的"), legal_basis=basis,
        review_authority=office["office.review_authority"], court=office["office.court"], office=_office(office))
    harm = _("{w}之死亡").format(w=w.name) if died else _("{w}所受伤害").format(w=w.name)
    if want == "confirm":
        return V.ConfirmationDecisionView(**common, conclusion=_("{h}{c}。").format(h=harm, c=s.conclusion))
    reasons = _split_reasons(d.reasons) or [_("不符合职业伤害确认情形")]
    return V.RefusalDecisionView(**common, conclusion=_("{h}不属于职业伤害，不予确认。").format(h=harm),
                                 reasons=reasons)


def issued_no(store, doc_code: str, instance: str, fallback: str) -> str:
    """A document's number as issued, else ``fallback`` (its record's own number)."""
    issue = store.document_issue(doc_code, instance)
    return issue["number"] if issue and issue["number"] else fallback


def _confirmed(cf: _CaseFile, doc: str):
    d = cf.decision
    if d is None or d.kind != "confirm":
        state = cf.case.state.label
        raise ClaimsError(_("案件 {n} 未予确认为职业伤害（案件当前为“{s}”），不能打印{t}").format(
            n=cf.case.number, s=state, t=V.DOCUMENTS[doc][0]))
    return d


def _appraisal_application(store, cf: _CaseFile, office: dict, as_of: date) -> V.AppraisalApplicationView:
    c, w = cf.case, cf.worker
    d = _confirmed(cf, "appraisal_application")
    if c.case_type == "death":
        raise ClaimsError(_("案件 {n} 为死亡案件，无需劳动能力鉴定").format(n=c.number))
    summary = c.description.strip()
    if c.hospital:
        summary += f"\n于{c.hospital}就诊治疗；受伤部位：{c.body_parts or '未登记'}。"
    return V.AppraisalApplicationView(
        case_number=c.number, worker=_worker_info(w), platform=cf.platform_info(), industry=c.industry,
        decision_number=decision_no(store, cf, d), decision_date=d.decided_on, accident_date=_day(c.accident_at),
        injured_parts=c.body_parts, hospital=c.hospital, treatment_summary=summary, applicant_name=w.name,
        applicant_relation="本人", applicant_phone=w.phone, applied_on=cf.event_day("appraisal"),
        committee=office["office.appraisal_committee"])


def _case_index(store, cf: _CaseFile, office: dict, as_of: date) -> V.CaseIndexView:
    c = cf.case
    own = _("本机构出具")
    docs: list[tuple[date, int, V.DocumentItem]] = [
        (_day(c.reported_at), 0, V.DocumentItem(name="职业伤害报案回执", received_on=_day(c.reported_at), note=own))]
    for d in cf.documents:
        day = d.received_on or _day(d.created_at)
        docs.append((day, 1, V.DocumentItem(name=document_label(d.doc_type), received_on=day, pages=d.pages,
                                            note=d.file_name[:24] if d.file_name else "")))
    for e in cf.events:
        if e.to_state == CaseState.awaiting_documents:
            docs.append((_day(e.at), 2, V.DocumentItem(name="补正材料一次性告知书", received_on=_day(e.at), note=own)))
    for d in cf.decisions:
        title = V.DOCUMENTS["confirmation_decision" if d.kind == "confirm" else "refusal_decision"][0]
        docs.append((d.decided_on, 3, V.DocumentItem(name=title, received_on=d.decided_on,
                                                     note=decision_no(store, cf, d))))
    for a in cf.appraisals:
        docs.append((a.concluded_on, 4, V.DocumentItem(name="劳动能力鉴定结论书", received_on=a.concluded_on,
                                                       note=a.conclusion_no)))
    for a in cf.assessments:
        day = _assessed_on(cf, a)
        docs.append((day, 5, V.DocumentItem(name="职业伤害保障待遇核定通知书", received_on=day,
                                            note=issued_no(store, "benefit_notice", f"{c.number}:{a.number}", a.number))))
    for p in cf.payments:
        if p.paid_on:
            docs.append((p.paid_on, 6, V.DocumentItem(name="待遇支付凭证", received_on=p.paid_on,
                                                      note=issued_no(store, "payment_voucher", p.number, p.number))))
    docs.sort(key=lambda x: (x[0], x[1]))
    closed = cf.event_day(c.state.value, last=True) if c.state in TERMINAL else None
    return V.CaseIndexView(
        case_number=c.number, worker=_worker_info(cf.worker), platform=cf.platform_info(), state_label=c.state.label,
        opened_on=_day(c.reported_at), closed_on=closed, documents=[x[2] for x in docs], compiled_by="",
        compiled_on=as_of, retention=checklist().get("retention", "长期"))
