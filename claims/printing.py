"""Printed documents from real records: build each document's view from the
store, print it through the injected renderer (``forms.render``; claims never
imports forms), record what was printed, and verify a printed code later.

Record keys (the natural identifier ``print --id`` takes):
- case number: report_receipt, confirmation_application, document_receipt,
  missing_documents_notice, confirmation_decision, refusal_decision,
  appraisal_application, benefit_application, benefit_notice, case_index;
- payment number: payment_voucher;
- declaration number: fee_declaration, and reconciliation_statement — the
  statement for that declaration's platform and region over every declared
  month up to and including the declaration's month;
- ID number: enrollment_certificate.

A view depends only on the records and, for the three documents that state
something "as of" a day (enrollment_certificate, reconciliation_statement,
case_index), on that day: the print date. ``verify`` rebuilds the view as of
the day the code was printed, so an unchanged record verifies as unchanged.

Office details (name, address, phone, review authority, court, appraisal
committee, insurer) come from ``meta`` entries ``office.*`` with placeholders
(claims/store/printing_queries.py OFFICE_DEFAULTS); the situation labels and
legal basis from resources/rules/situations.json; the documents checklist and
its reasons from resources/rules/documents.json; deadlines from claims/clocks.py.

Reprints: the code is a digest of the content, so printing unchanged content
again gives the same code; the first print (who, when) is kept and nothing is
added. Views carry raw identifiers: layouts mask them by audience.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from . import docviews as V
from .clocks import clock_for, due_date
from .enums import CareLevel, CaseState, Channel, Industry, Outcome, ParamStatus
from .errors import ClaimsError, NotFound
from .i18n import _
from .lifecycle import TERMINAL
from .money import to_fen
from .parameters import PARAMETER_LABELS, load_ruleset, ruleset_for
from .resources import load_json
from .timeutil import SHANGHAI, cn_date, now

CASE_DOCS = ("report_receipt", "confirmation_application", "document_receipt", "missing_documents_notice",
             "confirmation_decision", "refusal_decision", "appraisal_application", "benefit_application",
             "benefit_notice", "case_index")
KEY_KIND = {**{c: "case" for c in CASE_DOCS}, "payment_voucher": "payment", "fee_declaration": "declaration",
            "reconciliation_statement": "declaration", "enrollment_certificate": "worker"}
KEY_LABEL = {"case": "案件号", "payment": "支付编号", "declaration": "申报编号", "worker": "身份证号码"}

CASE_TYPE_CAUSE = {"injury": "执行订单任务中发生意外受伤", "traffic": "执行订单任务途中发生交通事故",
                   "violence": "因履行订单任务受到暴力伤害", "death": "执行订单任务期间死亡"}
GENDER = {"male": "男", "female": "女"}
PARAM_UNITS = {"benefit_base": "元/月", "care_base": "元/月", "death_base": "元/月",
               "national_urban_income": "元/年", "hospital_food_daily": "元/天"}
REGION_NAMES = {"310000": "上海市", "110000": "北京市", "120000": "天津市", "500000": "重庆市",
                "320000": "江苏省", "330000": "浙江省", "440000": "广东省", "510000": "四川省"}


# --- data files -------------------------------------------------------------------

@lru_cache(maxsize=1)
def situations() -> dict[str, dict]:
    """rules.md §3 as data: code -> {label, kind, basis, conclusion, status}."""
    return {s["code"]: s for s in load_json("rules/situations.json")["situations"]}


@lru_cache(maxsize=1)
def checklist() -> dict:
    """rules.md §5 as data (documents.json)."""
    return load_json("rules/documents.json")


def document_label(doc_type: str) -> str:
    for d in checklist()["documents"]:
        if d["code"] == doc_type:
            return d["name"]
    return doc_type


def region_name(code: str) -> str:
    return REGION_NAMES.get(code, _("统筹地区 {code}").format(code=code))


# --- helpers ------------------------------------------------------------------------

def _day(t: datetime) -> date:
    return t.astimezone(SHANGHAI).date()


def _hm(t: datetime | None) -> str:
    if t is None:
        return ""
    t = t.astimezone(SHANGHAI)
    return f"{cn_date(t.date())} {t:%H:%M}"


def _worker_info(w) -> V.WorkerInfo:
    return V.WorkerInfo(name=w.name, id_number=w.id_number, gender=GENDER.get(w.gender, w.gender),
                        birth_date=w.birth_date, phone=w.phone, address=w.address)


def _office(o: dict) -> V.OfficeInfo:
    return V.OfficeInfo(name=o["office.name"], address=o["office.address"], phone=o["office.phone"])


def _split_reasons(text: str) -> list[str]:
    return [p.strip(" 。") for p in re.split(r"[\n；;]+", text or "") if p.strip(" 。")]


@dataclass
class _CaseFile:
    """Everything of one case the documents draw on, read once."""
    case: object
    worker: object
    platform: object
    station: object | None
    events: list
    documents: list
    decisions: list
    appraisals: list
    assessments: list
    payments: list

    def event_day(self, state: str, last: bool = False) -> date | None:
        hits = [e for e in self.events if e.to_state.value == state]
        return _day((hits[-1] if last else hits[0]).at) if hits else None

    @property
    def decision(self):
        return self.decisions[-1] if self.decisions else None

    @property
    def appraisal(self):
        cur = [a for a in self.appraisals if a.current]
        return cur[-1] if cur else None

    def platform_info(self) -> V.PlatformInfo:
        return V.PlatformInfo(name=self.platform.name, credit_code=self.platform.credit_code,
                              station=self.station.name if self.station else "")

    def applicant(self) -> tuple[str, str, str]:
        """(name, relation to the worker, phone): the reporter, or the worker."""
        c, w = self.case, self.worker
        rel = (c.reporter_relation or "本人").strip()
        if rel == "本人" or not c.reporter_name.strip():
            return w.name, "本人", w.phone
        return c.reporter_name, rel, ""


def _assessed_on(cf: _CaseFile, a) -> date:
    """The day of an assessment: its case event (the row's own time is when it
    was written, which differs when records are entered after the fact)."""
    made = a.created_at
    hits = [e for e in cf.events if e.to_state == CaseState.assessed and e.created_at <= made]
    return _day(hits[-1].at) if hits else _day(made)


def _case_file(store, number: str) -> _CaseFile:
    c = store.case_by_number(number)
    return _CaseFile(case=c, worker=store.worker(c.worker_id), platform=store.platform(c.platform_id),
                     station=store.station(c.station_id) if c.station_id else None,
                     events=store.case_events(c.id), documents=store.case_documents(c.id),
                     decisions=store.decisions_of(c.id), appraisals=store.appraisals_of(c.id),
                     assessments=store.assessments_of(c.id), payments=store.payments_of(c.id))


def _conditions(cf: _CaseFile, on: date | None = None) -> set[str]:
    """Which `when` conditions of the checklist hold for a case (as of ``on``)."""
    c = cf.case
    conds = {"always"}
    if c.hospital.strip():
        conds.add("medical")
    if c.case_type in ("traffic", "violence", "death"):
        conds.add(c.case_type)
    refused = any(d.kind == "refuse" and (on is None or d.decided_on <= on) for d in cf.decisions)
    withdrawn = any(e.to_state == CaseState.withdrawn and (on is None or _day(e.at) <= on) for e in cf.events)
    if not refused and not withdrawn:  # as of ``on``: a later event does not change an earlier printout
        conds.add("payment")
    return conds


def _required(cf: _CaseFile, on: date | None = None) -> list[dict]:
    conds = _conditions(cf, on)
    return [d for d in checklist()["documents"] if d["when"] in conds]


def _received(cf: _CaseFile, on: date | None = None) -> set[str]:
    got = set()
    for d in cf.documents:
        if on is None or (d.received_on and d.received_on <= on):
            got.add(d.doc_type)
            got.add(document_label(d.doc_type))
    return got


# --- case documents -------------------------------------------------------------------

def _report_receipt(store, cf: _CaseFile, office: dict, as_of: date) -> V.ReportReceiptView:
    c, w = cf.case, cf.worker
    reported = _day(c.reported_at)
    rep, accepted = clock_for("reported"), clock_for("accepted")
    direct = load_json("rules/clocks.json").get("direct_apply", {"days": 90})
    steps = [
        V.NextStep(text=_("由平台企业（或本人、近亲属）提交职业伤害确认申请，并备齐下列材料"),
                   due=due_date("reported", reported, None) if rep else None),
        V.NextStep(text=_("平台企业未按时申请的，本人或近亲属可在事故发生之日起 {d} 日内直接申请")
                   .format(d=direct["days"]), due=_day(c.accident_at) + timedelta(days=direct["days"])),
        V.NextStep(text=_("材料齐全的予以受理，受理后 {d} 个{u}内作出确认结论").format(
            d=accepted["days"] if accepted else 30,
            u=_("工作日") if not accepted or accepted["working_days"] else _("日"))),
        V.NextStep(text=_("材料不全的，承办机构一次性书面告知需补正的全部材料")),
    ]
    handler = store.display_name(cf.events[0].actor) if cf.events else ""
    return V.ReportReceiptView(
        case_number=c.number, reported_at=c.reported_at, channel=Channel(c.channel),
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
        worker=_worker_info(w), platform=cf.platform_info(), industry=c.industry, platform_account="",
        order_number=c.order_no, order_accepted_at=order.accepted_at if order else None,
        order_finished_at=order.finished_at if order else None, accident_at=c.accident_at,
        accident_place=c.place, accident_cause=CASE_TYPE_CAUSE.get(c.case_type, c.case_type),
        body_parts=c.body_parts, diagnosis_date=None, hospital=c.hospital,  # not recorded: filled in by hand
        account=c.description, applied_on=cf.event_day("accepted"))


def _document_receipt(store, cf: _CaseFile, office: dict, as_of: date) -> V.DocumentReceiptView:
    c = cf.case
    if not cf.documents:
        raise ClaimsError(_("案件 {n} 尚未登记接收任何材料，不能打印材料接收凭证").format(n=c.number))
    items = [V.DocumentItem(name=document_label(d.doc_type), received_on=d.received_on, pages=d.pages,
                            original="复印件" not in document_label(d.doc_type),
                            note=_("已扫描存档") if d.content_hash else "") for d in cf.documents]
    who = dict.fromkeys(store.display_name(store.inserted_by("case_documents", d.id)) for d in cf.documents)
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
            due_date=n.due_on or due_date("awaiting_documents", n.issued_on, None) or n.issued_on + timedelta(days=30),
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
        due_date=due_date("awaiting_documents", on, None) or on + timedelta(days=30),
        consequence=checklist()["missing_consequence"], office=_office(office))


def _facts(store, cf: _CaseFile) -> str:
    c, w = cf.case, cf.worker
    where = cf.platform.name + (f"{cf.station.name}" if cf.station else "")
    text = (f"经查，{w.name}系{where}{c.industry.label}行业从业人员，于{_hm(c.accident_at)}在{c.place or '（地点未登记）'}"
            f"受伤。事故经过：{c.description.strip().rstrip('。')}。")
    proof = store.orders_at(c.worker_id, c.accident_at, c.platform_id)
    if proof["in_progress"]:
        o = proof["in_progress"][0]
        text += (f"平台订单记录显示，事故发生时其正在执行订单 {o.order_no}（{_hm(o.accepted_at)} 接单，"
                 f"{_hm(o.finished_at) if o.finished_at else '未完成'}）。")
    else:
        text += f"平台订单记录中未见事故发生时正在执行的订单（当日接单 {proof['orders_that_day']} 单）。"
    if c.body_parts or c.hospital:
        text += f"受伤部位：{c.body_parts or '未登记'}；就诊医院：{c.hospital or '未登记'}。"
    return text


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
    sit = situations().get(d.situation_code, {})
    basis = list(dict.fromkeys(x for x in (d.legal_basis.strip(), sit.get("basis", "")) if x))
    common = dict(
        decision_number=d.number, decision_date=d.decided_on, case_number=c.number, worker=_worker_info(w),
        platform=cf.platform_info(), industry=c.industry, accident_at=c.accident_at, accident_place=c.place,
        applied_on=_day(c.reported_at), accepted_on=cf.event_day("accepted"), facts=_facts(store, cf),
        situation_code=d.situation_code, legal_basis="；".join(basis),
        review_authority=office["office.review_authority"], court=office["office.court"], office=_office(office))
    if want == "confirm":
        return V.ConfirmationDecisionView(
            **common, situation_label=sit.get("label", d.situation_code),
            conclusion=f"{w.name}所受伤害{sit.get('conclusion', '属于职业伤害，予以确认')}。")
    reasons = _split_reasons(d.reasons) or [_("不符合职业伤害确认情形")]
    return V.RefusalDecisionView(
        **common, situation_label=sit.get("label", _("不符合可确认为职业伤害的情形")),
        conclusion=f"{w.name}所受伤害不属于职业伤害，不予确认。", reasons=reasons)


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
        decision_number=d.number, decision_date=d.decided_on, accident_date=_day(c.accident_at),
        injured_parts=c.body_parts, hospital=c.hospital, treatment_summary=summary, applicant_name=w.name,
        applicant_relation="本人", applicant_phone=w.phone, applied_on=cf.event_day("appraisal"),
        committee=office["office.appraisal_committee"])


def _items_applied(cf: _CaseFile, outcome: Outcome, grade: int | None, care: str | None) -> list[str]:
    if cf.assessments:
        res = json.loads(cf.assessments[-1].result_json or "{}")
        names = [i["name"] for i in res.get("items", [])]
        if names:
            return list(dict.fromkeys(names))
    rs = ruleset_for(_day(cf.case.accident_at))
    out = []
    for code in rs.outcomes[outcome.value]:
        r = rs.items[code]
        if r.months_by_grade is not None and grade not in r.months_by_grade:
            continue
        if r.pct_by_grade is not None and grade not in r.pct_by_grade:
            continue
        if r.kind == "pct_by_care_level" and not care:
            continue
        out.append(r.name)
    return list(dict.fromkeys(out))


def _benefit_application(store, cf: _CaseFile, office: dict, as_of: date) -> V.BenefitApplicationView:
    c, w = cf.case, cf.worker
    d = _confirmed(cf, "benefit_application")
    death = c.case_type == "death"
    a = cf.appraisal
    if not death and a is None:
        raise ClaimsError(_("案件 {n} 尚无劳动能力鉴定结论，不能申请伤残待遇").format(n=c.number))
    grade = a.grade if a else None
    outcome = Outcome.death if death else (Outcome.disability if grade else Outcome.injury)
    if death:
        name, rel, phone = cf.applicant()
        claimant_id = w.id_number if rel == "本人" else ""
        death_day = _day(c.accident_at)
    else:
        name, rel, phone, claimant_id, death_day = w.name, "本人", w.phone, w.id_number, None
    return V.BenefitApplicationView(
        case_number=c.number, kind=Outcome.death if death else Outcome.disability, worker=_worker_info(w),
        decision_number=d.number, disability_grade=grade, death_date=death_day, claimant_name=name,
        claimant_relation=rel, claimant_id_number=claimant_id, claimant_phone=phone, dependants=[],
        items_applied=_items_applied(cf, outcome, grade, a.care_level if a else None),
        payee=V.PayeeInfo(name=w.name if not death else name, account=w.bank_card if not death else "",
                          relation="本人" if not death else rel),
        applied_on=None)


def _benefit_notice(store, cf: _CaseFile, office: dict, as_of: date) -> V.BenefitNoticeView:
    c, w = cf.case, cf.worker
    if not cf.assessments:
        raise ClaimsError(_("案件 {n} 尚未作出待遇核定（案件当前为“{s}”），不能打印待遇核定通知书")
                          .format(n=c.number, s=c.state.label))
    a = cf.assessments[-1]
    if a.status != "approved":
        raise ClaimsError(_("案件 {n} 的待遇核定 {a} 尚未经审核人批准，不能打印待遇核定通知书")
                          .format(n=c.number, a=a.number))
    res = json.loads(a.result_json or "{}")
    items = []
    for it in res.get("items", []):
        name = it["name"] + (f"（供养亲属 {it['dependant'] + 1}）" if it.get("dependant") is not None else "")
        items.append(V.BenefitItemView(code=it["code"], name=name, period=it["period"],
                                       amount_fen=to_fen(it["amount"]), formula=it.get("formula", "")))
    if not items:
        raise ClaimsError(_("待遇核定 {a} 没有核定项目").format(a=a.number))
    params = [V.ParameterUseView(name=p["name"], label=PARAMETER_LABELS.get(p["name"], p["name"]),
                                 value=p["value"], unit=PARAM_UNITS.get(p["name"], "元"),
                                 source=_("核定时录入") if p.get("source") == "given" else p.get("source", ""),
                                 status=ParamStatus(p.get("status", "unconfirmed"))) for p in res.get("parameters", [])]
    ap = cf.appraisal
    grade = ap.grade if ap else None
    care = CareLevel(ap.care_level).label if ap and ap.care_level else ""
    death = c.case_type == "death" or any(i.code == "funeral_grant" for i in items)
    outcome = Outcome.death if death else (Outcome.disability if grade else Outcome.injury)
    monthly = sum(i.amount_fen for i in items if i.period == "monthly")
    start = ap.concluded_on if ap else _day(c.accident_at)
    first = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    try:
        basis = load_ruleset(a.rule_set).source
    except ClaimsError:
        basis = ""
    decision = cf.decision.number if cf.decision and cf.decision.kind == "confirm" else ""
    return V.BenefitNoticeView(
        notice_number=a.number, notice_date=_assessed_on(cf, a), case_number=c.number, worker=_worker_info(w),
        outcome=outcome, decision_number=decision, disability_grade=grade, care_level=care, rule_set=a.rule_set,
        rule_set_basis=basis, items=items, once_total_fen=sum(i.amount_fen for i in items if i.period == "once"),
        monthly_total_fen=monthly, monthly_from=first if monthly else None, parameters=params,
        payee=V.PayeeInfo(name=w.name, account=w.bank_card, relation="本人"),
        review_authority=office["office.review_authority"], court=office["office.court"], office=_office(office))


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
        docs.append((d.decided_on, 3, V.DocumentItem(name=title, received_on=d.decided_on, note=d.number)))
    for a in cf.appraisals:
        docs.append((a.concluded_on, 4, V.DocumentItem(name="劳动能力鉴定结论书", received_on=a.concluded_on,
                                                       note=a.conclusion_no)))
    for a in cf.assessments:
        day = _assessed_on(cf, a)
        docs.append((day, 5, V.DocumentItem(name="职业伤害保障待遇核定通知书", received_on=day, note=a.number)))
    for p in cf.payments:
        if p.paid_on:
            docs.append((p.paid_on, 6, V.DocumentItem(name="待遇支付凭证", received_on=p.paid_on, note=p.number)))
    docs.sort(key=lambda x: (x[0], x[1]))
    closed = cf.event_day(c.state.value, last=True) if c.state in TERMINAL else None
    return V.CaseIndexView(
        case_number=c.number, worker=_worker_info(cf.worker), platform=cf.platform_info(), state_label=c.state.label,
        opened_on=_day(c.reported_at), closed_on=closed, documents=[x[2] for x in docs], compiled_by="",
        compiled_on=as_of, retention=checklist().get("retention", "长期"))


# --- other records ------------------------------------------------------------------------

def _payment_voucher(store, key: str, office: dict, as_of: date) -> V.PaymentVoucherView:
    p = store.payment_by_number(key)
    if p.paid_on is None or p.status.value != "approved":
        raise ClaimsError(_("支付 {n} 尚未审批（{s}），不能打印支付凭证").format(n=p.number, s=p.status.label))
    c = store.case(p.case_id)
    w = store.worker(c.worker_id)
    res = json.loads(next((a.result_json for a in store.assessments_of(c.id) if a.id == p.assessment_id), "{}"))
    period = "once" if p.kind == "once" else "monthly"
    label = "一次性" if period == "once" else (f"{int(p.period_month[:4])}年{int(p.period_month[5:7])}月"
                                              if p.period_month else "按月")
    parts = [V.PaymentItemView(name=i["name"], period=label, amount_fen=to_fen(i["amount"]))
             for i in res.get("items", []) if i["period"] == period]
    if sum(i.amount_fen for i in parts) != p.amount_fen or not parts:
        parts = [V.PaymentItemView(name="一次性待遇" if period == "once" else "按月待遇", period=label,
                                   amount_fen=p.amount_fen)]
    return V.PaymentVoucherView(
        payment_number=p.number, case_number=c.number, worker=_worker_info(w), items=parts, total_fen=p.amount_fen,
        payee=V.PayeeInfo(name=p.payee, account=p.account, relation="本人" if p.payee == w.name else ""),
        paid_on=p.paid_on, reference=p.reference, prepared_by=store.display_name(p.prepared_by),
        approved_by=store.display_name(p.approved_by) if p.approved_by else "", office=_office(office))


def _rule_set_of_month(month: str) -> str:
    return "pilot-2025" if month >= "2025-07" else "pilot-2022"


def _fee_declaration(store, key: str, office: dict, as_of: date) -> V.FeeDeclarationView:
    d = store.declaration_by_number(key)
    if d.declared_on is None:
        raise ClaimsError(_("缴费申报 {n} 仍为草稿（尚未提交），不能打印申报表").format(n=d.number))
    if not d.lines:
        raise ClaimsError(_("缴费申报 {n} 没有申报明细").format(n=d.number))
    p = store.platform(d.platform_id)
    lines = [V.FeeLineView(industry=ln.industry, orders=ln.orders_declared, per_order_units=ln.rate_units or 0,
                           amount_fen=ln.amount_fen, confirmed=ln.rate_status == "confirmed") for ln in d.lines]
    return V.FeeDeclarationView(
        declaration_number=d.number, platform=V.PlatformInfo(name=p.name, credit_code=p.credit_code),
        region_code=d.region, region_name=region_name(d.region), month=d.month, rule_set=_rule_set_of_month(d.month),
        lines=lines, total_fen=sum(ln.amount_fen for ln in lines),
        declarant=p.contact_name or store.display_name(d.declarant),
        declarant_phone=p.contact_phone, declared_on=d.declared_on)


def _reconciliation_statement(store, key: str, office: dict, as_of: date) -> V.ReconciliationStatementView:
    d = store.declaration_by_number(key)
    if d.declared_on is None:
        raise ClaimsError(_("缴费申报 {n} 仍为草稿（尚未提交），还没有可对账的数据").format(n=d.number))
    p = store.platform(d.platform_id)
    rows, last = [], d.declared_on
    for dec in store.declarations_up_to(d.platform_id, d.region, d.month):
        if dec.declared_on is None:
            continue
        recorded = {ln.industry: ln.orders_recorded for ln in store.compute_lines(dec.platform_id, dec.region, dec.month)}
        declared = {ln.industry: ln for ln in dec.lines}
        paid_left = dec.amount_paid_fen
        inds = sorted(set(declared) | set(recorded), key=lambda i: list(Industry).index(i))
        for n, ind in enumerate(inds):
            ln = declared.get(ind)
            due = ln.amount_fen if ln else 0
            paid = paid_left if n == len(inds) - 1 else min(paid_left, due)
            paid_left -= paid
            rows.append(V.ReconciliationRow(month=dec.month, industry=ind, declared_orders=ln.orders_declared if ln else 0,
                                            imported_orders=recorded.get(ind, 0), due_fen=due, paid_fen=max(paid, 0)))
        last = max([last, dec.declared_on] + [fp.paid_on for fp in store.fee_payments_of(dec.id)])
    if not rows:
        raise ClaimsError(_("缴费申报 {n} 没有可对账的明细").format(n=d.number))
    return V.ReconciliationStatementView(
        statement_number="DZ" + d.number.removeprefix("SB"), platform=V.PlatformInfo(name=p.name, credit_code=p.credit_code),
        region_code=d.region, region_name=region_name(d.region), period_from=rows[0].month, period_to=d.month,
        rows=rows, prepared_by="", prepared_on=as_of, insurer=office["office.insurer"] or office["office.name"])


def _enrollment_certificate(store, key: str, office: dict, as_of: date) -> V.EnrollmentCertificateView:
    w = store.worker_by_id_number(key)
    if w is None:
        raise NotFound(_("找不到身份证号码为 {k} 的人员").format(k=key))
    covers = []
    plats = {}
    for e in store.enrollments_of(w.id):
        if e.platform_id not in plats:
            plats[e.platform_id] = store.platform(e.platform_id).name
        end = min(e.end_on or as_of, as_of)
        days = store.order_day_count(w.id, e.platform_id, e.industry.value, e.start_on, end) if end >= e.start_on else 0
        covers.append(V.CoverageView(platform=plats[e.platform_id], industry=e.industry, start=e.start_on,
                                     end=e.end_on, days_covered=days))
    if not covers:
        raise ClaimsError(_("{name}（{k}）没有参保登记，不能出具参保证明").format(name=w.name, k=key))
    return V.EnrollmentCertificateView(
        certificate_number=f"CB{as_of:%Y%m%d}-{w.id[:6].upper()}", worker=_worker_info(w), coverages=covers,
        purpose="", issued_on=as_of, office=_office(office))


_CASE_BUILDERS = {
    "report_receipt": _report_receipt, "confirmation_application": _confirmation_application,
    "document_receipt": _document_receipt, "missing_documents_notice": _missing_documents_notice,
    "confirmation_decision": lambda s, cf, o, a: _decision(s, cf, o, "confirmation_decision"),
    "refusal_decision": lambda s, cf, o, a: _decision(s, cf, o, "refusal_decision"),
    "appraisal_application": _appraisal_application, "benefit_application": _benefit_application,
    "benefit_notice": _benefit_notice, "case_index": _case_index,
}
_OTHER_BUILDERS = {
    "payment_voucher": _payment_voucher, "fee_declaration": _fee_declaration,
    "reconciliation_statement": _reconciliation_statement, "enrollment_certificate": _enrollment_certificate,
}


# --- public API ---------------------------------------------------------------------------

def normalize_key(record_key: str) -> str:
    return re.sub(r"\s+", "", record_key or "").upper()


def build_view(store, doc_code: str, record_key: str, *, as_of: date | None = None) -> tuple[BaseModel, str]:
    """The document's view from the records, and the record key as stored.
    ``as_of`` (default today) is the day "as of" documents speak for."""
    if doc_code not in V.DOCUMENTS:
        raise ClaimsError(_("未知的文书类型“{c}”（可用：{all}）").format(c=doc_code, all="、".join(V.DOCUMENTS)))
    key = normalize_key(record_key)
    if not key:
        raise ClaimsError(_("请给出{what}").format(what=KEY_LABEL[KEY_KIND[doc_code]]))
    as_of = as_of or now().date()
    office = store.office_settings()
    try:
        if doc_code in _CASE_BUILDERS:
            cf = _case_file(store, key)
            return _CASE_BUILDERS[doc_code](store, cf, office, as_of), cf.case.number
        return _OTHER_BUILDERS[doc_code](store, key, office, as_of), key
    except ValidationError as e:
        title = V.DOCUMENTS[doc_code][0]
        raise ClaimsError(_("{t}（{k}）的数据不完整：{e}").format(t=title, k=key, e=e)) from None


def render_document(store, forms_module, doc_code: str, record_key: str, actor, at: datetime | None = None):
    """Build and render one document without recording it (a preview);
    returns the renderer's result (``.pdf``, ``.pages``, ``.code``, ``.digest``)."""
    at = at or now()
    view, key = build_view(store, doc_code, record_key, as_of=at.date())
    return forms_module.render(doc_code, view, forms_module.PrintMeta(printed_at=at, printed_by=actor.label,
                                                                      record_key=key))


def print_document(store, forms_module, doc_code: str, record_key: str, actor):
    """Build, render and record one document (``print`` and batch printing)."""
    at = now()
    result = render_document(store, forms_module, doc_code, record_key, actor, at)
    record(store, result, actor.label, at)
    return result


def record(store, result, printed_by: str, at: datetime) -> None:
    """Record a rendered document (a reprint with the same code adds nothing)."""
    old = store.printed_document(result.code)
    if old is not None and old["digest"] != result.digest:  # 50-bit codes: practically never
        raise ClaimsError(_("核验码 {c} 与已打印的另一份文书冲突，请重新打印").format(c=result.code))
    store.record_print(code=result.code, doc_code=result.doc_code, record_key=result.record_key,
                       digest=result.digest, printed_by=printed_by, printed_at=at.isoformat())


def _whom(view) -> str:
    w = getattr(view, "worker", None)
    if w is not None:
        return w.name
    p = getattr(view, "platform", None)
    return p.name if p is not None else "—"


def verify_code(store, code: str) -> tuple[bool, list[str]]:
    """Look up a printed code; rebuild the document from today's records and
    say whether its content is still what was printed."""
    norm = V.normalize_code(code)
    row = store.printed_document(norm)
    if row is None:
        return False, [_("核验码 {c} 不存在：本数据库没有打印过带有这个核验码的文书。请核对输入，"
                         "或确认文书出自本机构。").format(c=norm or code)]
    title = V.DOCUMENTS.get(row["doc_code"], (row["doc_code"],))[0]
    printed_at = datetime.fromisoformat(row["printed_at"]).astimezone(SHANGHAI)
    lines = [_("核验码：{c}").format(c=row["code"]), _("文书：{t}（{d}）").format(t=title, d=row["doc_code"]),
             _("记录：{k}").format(k=row["record_key"])]
    try:
        view, key = build_view(store, row["doc_code"], row["record_key"], as_of=printed_at.date())
    except ClaimsError as e:
        lines += [_("打印：{t}，打印人 {u}（站点 {s}）").format(t=f"{printed_at:%Y-%m-%d %H:%M}", u=row["printed_by"],
                                                      s=row["site_id"]),
                  _("记录已在打印后变更：现在无法再生成这份文书（{m}）").format(m=e.message)]
        return False, lines
    cls = type(view)
    digest = V.content_digest(row["doc_code"], key, cls.model_validate(view.model_dump()))
    lines.insert(2, _("对象：{w}").format(w=_whom(view)))
    lines.append(_("打印：{t}，打印人 {u}（站点 {s}）").format(t=f"{printed_at:%Y-%m-%d %H:%M}", u=row["printed_by"],
                                                     s=row["site_id"]))
    if digest == row["digest"]:
        lines.append(_("结论：记录自打印以来未变更，文书内容与数据库一致"))
        return True, lines
    lines.append(_("结论：记录已在打印后变更，文书内容与数据库现有记录不一致；请以数据库记录为准并重新打印"))
    return False, lines


def applicable_documents(store, record_key: str, kind: str = "case") -> list[tuple[str, str]]:
    """(doc_code, title) of the documents that can be printed for a record now
    (for menus: a document that does not apply is left out)."""
    out = []
    for code, (title, _cls, _aud) in V.DOCUMENTS.items():
        if KEY_KIND[code] != kind:
            continue
        try:
            build_view(store, code, record_key)
        except ClaimsError:
            continue
        out.append((code, title))
    return out


# The main document of a record at its stage (Ctrl+P in the case and worker screens).
_MAIN_BY_STATE = {
    "reported": "report_receipt", "awaiting_documents": "missing_documents_notice",
    "accepted": "confirmation_application", "investigating": "confirmation_application",
    "confirmed": "confirmation_decision", "rejected": "refusal_decision", "appraisal": "appraisal_application",
    "appraised": "benefit_application", "assessed": "benefit_notice", "paid": "benefit_notice",
    "closed": "case_index", "withdrawn": "case_index", "suspended": "confirmation_application",
}


def main_document(store, case) -> str:
    """The document a clerk most likely wants for a case in its current state."""
    state = case.state.value
    if state == "disputed":
        ds = store.decisions_of(case.id)
        return "refusal_decision" if ds and ds[-1].kind == "refuse" else "confirmation_decision"
    return _MAIN_BY_STATE.get(state, "report_receipt")


def fee_declarations_of_month(store, month: str) -> list[tuple[str, str]]:
    """Batch items: every submitted fee declaration of a month (YYYY-MM)."""
    return [("fee_declaration", d.number) for d in store.declarations_of_month(month) if d.declared_on]
