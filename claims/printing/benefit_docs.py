"""The builders of the benefit documents: the benefit application and notice
(case number) and the payment voucher (payment number). A death case's
documents are addressed to the claimant (申请人) and name the worker as the
deceased, with the death date (never the accident date); the dependants are
listed with their pension, months and payee; whatever the assessment rests on
that is unconfirmed is said in words for the worker."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

from .. import docviews as V
from ..enums import CareLevel, DeathCause, Outcome, ParamStatus
from ..errors import ClaimsError
from ..i18n import _
from ..monthly import dependant_end, month_start
from ..money import to_fen
from ..parameters import PARAMETER_LABELS, load_ruleset, ruleset_for
from .case_docs import _confirmed, _materials, decision_no, issued_no
from .common import PARAM_UNITS, _assessed_on, _CaseFile, _day, _office, _worker_info

# Where each parameter comes from, as a short public reference ({y}: the statistics year).
PUBLIC_SOURCES = {
    "national_urban_income": _("国家统计局 {y}年国民经济和社会发展统计公报"),
    "care_base": _("上海市统计局 {y}年数据（职工月平均工资）"),
    "death_base": _("上海市统计局 {y}年数据（城镇私营单位就业人员月平均工资的60%）"),
    "benefit_base": _("本市公布的职业伤害保障待遇计发基数"),
    "hospital_food_daily": _("本市住院伙食补助费标准"),
}
UNPUBLISHED = _("尚未见正式发布，暂按此数核定")


def public_source(name: str, source: str, status: str) -> str:
    """A parameter's source as printed: a short public reference, and a plain
    sentence where it is not confirmed (never the program's own notes)."""
    if source == "given":
        return _("核定时按有关证明录入")
    m = re.search(r"(20\d\d)\s*年", source or "")
    text = PUBLIC_SOURCES.get(name, _("本市公布的标准"))
    text = text.format(y=m.group(1)) if m else text.replace("{y}年", "").replace(" ", "")
    return text if status == "confirmed" else f"{text}（{UNPUBLISHED}）"


def measure_of(rule_set: str) -> tuple[str, str]:
    """(the measure a rule set rests on, its document numbers) as printed."""
    from ..situations import shipped
    data = shipped().get(rule_set) or {}
    measure = data.get("measure", "")
    try:
        first = load_ruleset(rule_set).source.split("。")[0]
    except ClaimsError:
        first = data.get("measure_source", "")
    docs = "、".join(dict.fromkeys(re.findall(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", first)))
    return measure, docs


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
        if outcome == Outcome.death and cf.case.death_cause:
            rule = rs.death_rules.get(cf.case.death_cause)
            if rule and code in {c for r2 in rs.death_rules.values() for c in r2.items} and code not in rule.items:
                continue
        out.append(r.name)
    return list(dict.fromkeys(out))


def _is_death(cf: _CaseFile) -> bool:
    return cf.case.dead or cf.case.case_type == "death"


def _death_date(cf: _CaseFile, doc: str, res: dict | None = None) -> date:
    c = cf.case
    if c.death_date is not None:
        return c.death_date
    recorded = ((res or {}).get("input") or {}).get("death_date")
    if recorded:
        return date.fromisoformat(recorded)
    raise ClaimsError(_("案件 {n} 尚未登记死亡日期，不能打印{t}；请在“待遇与支付 › 伤亡与亲属”中登记死亡情况").format(
        n=c.number, t=V.DOCUMENTS[doc][0]))


def _claimant(cf: _CaseFile) -> V.ClaimantInfo:
    c = cf.case
    name, rel, phone = cf.applicant()
    return V.ClaimantInfo(name=name, relation=rel, id_number=c.claimant_id_number, phone=phone,
                          address=c.claimant_address)


def _payee(cf: _CaseFile) -> V.PayeeInfo:
    """Who one-off benefits go to: the claimant of a death case, else the worker."""
    c, w = cf.case, cf.worker
    if _is_death(cf):
        cl = _claimant(cf)
        holder = getattr(c, "claimant_holder", "")
        return V.PayeeInfo(name=holder or cl.name, bank=c.claimant_bank, account=c.claimant_account,
                           relation=cl.relation if not holder else _("代领人"))
    holder = getattr(w, "bank_holder", "")
    return V.PayeeInfo(name=holder or w.name, bank=w.bank_name, account=w.bank_card,
                       relation="本人" if not holder else _("代领人"))


def _dependant_views(store, cf: _CaseFile, res: dict | None) -> list[V.DependantView]:
    """The dependants: as assessed (with pension and months) when an assessment lists them, else as recorded."""
    rs = ruleset_for(_day(cf.case.accident_at))
    rule = rs.items["dependant_pension"]
    ids = (res or {}).get("dependant_ids") or []
    people = [store.dependant(i) for i in ids] if ids else list(cf.dependants or [])
    items = {i.get("dependant"): i for i in (res or {}).get("items", []) if i.get("code") == "dependant_pension"}
    out = []
    for n, d in enumerate(people):
        it = items.get(n) if ids else None
        end, why = dependant_end(d.relation.value, d.birth_date, d.end_on, d.end_reason, rule.until_age)
        payee = V.PayeeInfo(name=d.payee_name or d.name, bank=d.payee_bank, account=d.payee_account,
                            relation=_("本人") if (d.payee_name or d.name) == d.name else _("代领人"))
        out.append(V.DependantView(
            name=d.name, relation=d.relation, id_number=d.id_number, basis=d.basis, birth_date=d.birth_date,
            lone_elder=d.lone_elder, orphan=d.orphan, monthly_fen=to_fen(it["amount"]) if it else None,
            from_month=it.get("from", "") if it else "", until=end, end_reason=why, payee=payee))
    return out


def _benefit_application(store, cf: _CaseFile, office: dict, as_of: date) -> V.BenefitApplicationView:
    c, w = cf.case, cf.worker
    d = _confirmed(cf, "benefit_application")
    death = _is_death(cf)
    a = cf.appraisal
    if not death and a is None:
        raise ClaimsError(_("案件 {n} 尚无劳动能力鉴定结论，不能申请伤残待遇").format(n=c.number))
    grade = a.grade if a else None
    outcome = Outcome.death if death else (Outcome.disability if grade else Outcome.injury)
    if death:
        res = json.loads(cf.assessments[-1].result_json or "{}") if cf.assessments else None
        cl = _claimant(cf)
        name, rel, phone, claimant_id, address = cl.name, cl.relation, cl.phone, cl.id_number, cl.address
        death_day = _death_date(cf, "benefit_application", res)
        cause = DeathCause(c.death_cause).label if c.death_cause else ""
        deps = _dependant_views(store, cf, res)
    else:
        name, rel, phone, claimant_id, address = w.name, "本人", w.phone, w.id_number, w.address
        death_day, cause, deps = None, "", []
    return V.BenefitApplicationView(
        case_number=c.number, kind=Outcome.death if death else Outcome.disability, worker=_worker_info(w),
        decision_number=decision_no(store, cf, d), disability_grade=grade, death_date=death_day, claimant_name=name,
        claimant_relation=rel, claimant_id_number=claimant_id, claimant_phone=phone, claimant_address=address,
        death_cause=cause, dependants=deps,
        items_applied=_items_applied(cf, outcome, grade, a.care_level if a else None), payee=_payee(cf),
        applied_on=None, materials=_materials(cf))


def _unconfirmed_notes(res: dict, rule_set, measure: str) -> list[str]:
    """What the assessment rests on that is unconfirmed, in words (older assessments:
    from the rule set's status and the parameters' statuses); the rule set is
    named by the measure it rests on."""
    if "unconfirmed" in res:
        names = {f"“{n}”" for n in (res.get("rule_set_name"), rule_set.name if rule_set else None) if n}
        out = []
        for u in res["unconfirmed"]:
            what = u["what"]
            for n in names:
                what = what.replace(n, measure)
            out.append(what)
        return out
    notes = [_("{m}的待遇计发办法").format(m=measure)] if rule_set and rule_set.status != "confirmed" else []
    return notes + [_("{l}（{v} {u}）").format(l=PARAMETER_LABELS.get(p["name"], p["name"]), v=p["value"],
                                              u=PARAM_UNITS.get(p["name"], "元"))
                    for p in res.get("parameters", []) if p.get("status") == "unconfirmed"]


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
    ids = res.get("dependant_ids") or []
    items = []
    for it in res.get("items", []):
        name = it["name"]
        if it.get("dependant") is not None:
            n = it["dependant"]
            name += _("（{who}）").format(who=store.dependant(ids[n]).name) if n < len(ids) else \
                _("（供养亲属 {n}）").format(n=n + 1)
        items.append(V.BenefitItemView(
            code=it["code"], name=name, period=it["period"], amount_fen=to_fen(it["amount"]),
            formula=it.get("formula", ""), from_month=it.get("from", ""), until_month=it.get("until", ""),
            paid_before_fen=to_fen(it["paid_before"]) if it.get("paid_before") else None))
    if not items:
        raise ClaimsError(_("待遇核定 {a} 没有核定项目").format(a=a.number))
    params = [V.ParameterUseView(name=p["name"], label=PARAMETER_LABELS.get(p["name"], p["name"]),
                                 value=p["value"], unit=PARAM_UNITS.get(p["name"], "元"),
                                 source=public_source(p["name"], p.get("source", ""), p.get("status", "unconfirmed")),
                                 status=ParamStatus(p.get("status", "unconfirmed"))) for p in res.get("parameters", [])]
    ap = cf.appraisal
    grade = ap.grade if ap else None
    care = CareLevel(ap.care_level).label if ap and ap.care_level else ""
    death = _is_death(cf) or any(i.code == "funeral_grant" for i in items)
    outcome = Outcome.death if death else (Outcome.disability if grade else Outcome.injury)
    monthly = sum(i.amount_fen for i in items if i.period == "monthly")
    firsts = sorted(i.from_month for i in items if i.period == "monthly" and i.from_month)
    if firsts:
        first = month_start(firsts[0])
    else:  # saved without months: the month after the conclusion
        start = ap.concluded_on if ap else _day(c.accident_at)
        first = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    try:
        rs = load_ruleset(a.rule_set)
    except ClaimsError:
        rs = None
    decision = decision_no(store, cf, cf.decision) if cf.decision and cf.decision.kind == "confirm" else ""
    measure, docs = measure_of(a.rule_set)
    claimant = _claimant(cf) if death else None
    cause = res.get("input", {}).get("death_cause") or c.death_cause
    return V.BenefitNoticeView(
        notice_number=a.number, notice_date=_assessed_on(cf, a), case_number=c.number, worker=_worker_info(w),
        outcome=outcome, decision_number=decision, disability_grade=grade if not death else None, care_level=care
        if not death else "", rule_set=a.rule_set, rule_set_basis=docs, items=items,
        once_total_fen=sum(i.amount_fen for i in items if i.period == "once"), monthly_total_fen=monthly,
        monthly_from=first if monthly else None, parameters=params, payee=_payee(cf),
        review_authority=office["office.review_authority"], court=office["office.court"], office=_office(office),
        rule_set_name=measure or res.get("rule_set_name") or (rs.name if rs else ""),
        addressee=claimant.name if claimant else w.name, claimant=claimant,
        death_date=_death_date(cf, "benefit_notice", res) if death else None,
        death_cause=DeathCause(cause).label if death and cause else "",
        dependants=_dependant_views(store, cf, res) if death else [],
        unconfirmed_notes=_unconfirmed_notes(res, rs, measure or _("试点办法")))


def _payment_voucher(store, key: str, office: dict, as_of: date) -> V.PaymentVoucherView:
    p = store.payment_by_number(key)
    if p.paid_on is None or p.status.value != "approved":
        raise ClaimsError(_("支付 {n} 尚未审批（{s}），不能打印支付凭证").format(n=p.number, s=p.status.label))
    c = store.case(p.case_id)
    w = store.worker(c.worker_id)
    period = "once" if p.kind == "once" else "monthly"
    label = "一次性" if period == "once" else (f"{int(p.period_month[:4])}年{int(p.period_month[5:7])}月"
                                              if p.period_month else "按月")
    dep = store.dependant(p.dependant_id) if p.dependant_id else None
    if p.pay_items:
        parts = [V.PaymentItemView(name=i["name"] + (_("（{n}）").format(n=dep.name) if dep else ""), period=label,
                                   amount_fen=i["amount_fen"]) for i in p.pay_items]
    else:
        res = json.loads(next((a.result_json for a in store.assessments_of(c.id) if a.id == p.assessment_id), "{}"))
        parts = [V.PaymentItemView(name=i["name"], period=label, amount_fen=to_fen(i["amount"]))
                 for i in res.get("items", []) if i["period"] == period]
    if sum(i.amount_fen for i in parts) != p.amount_fen or not parts:
        parts = [V.PaymentItemView(name="一次性待遇" if period == "once" else "按月待遇", period=label,
                                   amount_fen=p.amount_fen)]
    if p.advance_id:
        relation = _("垫付方")
    elif dep is not None:
        relation = dep.relation.label if p.payee == dep.name else _("{n}（{r}）的代领人").format(
            n=dep.name, r=dep.relation.label)
    elif c.dead:
        relation = c.claimant_relation if p.payee == c.claimant_name else ""
    else:
        relation = "本人" if p.payee == w.name else ""
    return V.PaymentVoucherView(
        payment_number=p.number, case_number=c.number, worker=_worker_info(w), items=parts, total_fen=p.amount_fen,
        payee=V.PayeeInfo(name=p.payee, bank=p.payee_bank, account=p.account, relation=relation),
        paid_on=p.paid_on, reference=p.reference, prepared_by=store.person_name(p.prepared_by),
        approved_by=store.person_name(p.approved_by) if p.approved_by else "", office=_office(office),
        voucher_number=p.number,
        death_date=c.death_date, claimant_name=c.claimant_name if c.dead else "")
