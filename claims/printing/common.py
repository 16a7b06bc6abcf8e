"""What every document builder draws on: the record-key kinds of the
documents (``KEY_KIND``) and fixed labels, the rule data files (situations,
the documents checklist), small formatting helpers, and ``_CaseFile`` — one
case with everything the case documents need, read once — with the
checklist questions asked of it (which documents a case requires, which
were received, as of a day)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from .. import docviews as V
from ..enums import CaseState
from ..i18n import _
from ..resources import load_json
from ..timeutil import SHANGHAI, cn_date


CASE_DOCS = ("report_receipt", "confirmation_application", "document_receipt", "missing_documents_notice",
             "acceptance_notice", "suspension_notice", "withdrawal_confirmation",
             "confirmation_decision", "refusal_decision", "appraisal_application", "benefit_application",
             "benefit_notice", "pension_schedule", "advance_statement", "case_index")
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
def checklist() -> dict:
    """rules.md §5 as data (documents.json)."""
    return load_json("rules/documents.json")


def document_label(doc_type: str) -> str:
    from ..checklist import EXTRA_DOCUMENTS, document_types
    for d in document_types():
        if d["code"] == doc_type:
            return d["name"]
    return EXTRA_DOCUMENTS.get(doc_type, doc_type)


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


def platform_label(p) -> str:
    """A platform as printed: its brand, and the company behind it when recorded."""
    legal = (getattr(p, "legal_name", "") or "").strip()
    return f"{p.name}（{legal}）" if legal and legal != p.name else p.name


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
    dependants: list = None  # active dependants (death cases)
    advances: list = None

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
        return V.PlatformInfo(name=platform_label(self.platform), credit_code=self.platform.credit_code,
                              station=self.station.name if self.station else "")

    def applicant(self) -> tuple[str, str, str]:
        """(name, relation to the worker, phone): the claimant when one is recorded,
        else the reporter, else the worker — but never a worker who had died
        before the case was reported (then the platform applied)."""
        c, w = self.case, self.worker
        if c.claimant_name.strip():
            return c.claimant_name, c.claimant_relation or "本人", c.claimant_phone
        rel = (c.reporter_relation or "本人").strip()
        if rel == "本人" or not c.reporter_name.strip():
            if c.death_date is not None and c.death_date <= _day(c.reported_at):
                return platform_label(self.platform), "平台企业", self.platform.contact_phone
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
                     assessments=store.assessments_of(c.id), payments=store.payments_of(c.id),
                     dependants=store.dependants_of(c.id), advances=store.advances_of(c.id))


def _conditions(cf: _CaseFile, on: date | None = None) -> set[str]:
    """Which `when` conditions of the checklist hold for a case (as of ``on``)."""
    c = cf.case
    conds = {"always", f"industry:{c.industry.value}"}  # an industry's own documents (industries are data)
    if c.hospital.strip():
        conds.add("medical")
    if c.case_type in ("traffic", "violence", "death"):
        conds.add(c.case_type)
    if c.death_date is not None and (on is None or c.death_date <= on):
        conds.add("death")
    if any(on is None or _day(a.created_at) <= on for a in cf.advances or ()):
        conds.add("advance")
    refused = any(d.kind == "refuse" and (on is None or d.decided_on <= on) for d in cf.decisions)
    withdrawn = any(e.to_state == CaseState.withdrawn and (on is None or _day(e.at) <= on) for e in cf.events)
    if not refused and not withdrawn:  # as of ``on``: a later event does not change an earlier printout
        conds.add("payment")
    return conds


def _required(cf: _CaseFile, on: date | None = None) -> list[dict]:
    conds = _conditions(cf, on)
    from ..checklist import document_types
    return [d for d in document_types() if d["when"] in conds]


def _received(cf: _CaseFile, on: date | None = None) -> set[str]:
    got = set()
    for d in cf.documents:
        if on is None or (d.received_on and d.received_on <= on):
            got.add(d.doc_type)
            got.add(document_label(d.doc_type))
    return got
