"""What the rest of the program calls: build a document's view by code and
record key (``build_view``), render it for a preview, print and record it,
verify a printed code against today's records, list the documents that
apply to a record, and pick a record's main document for Ctrl+P."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ValidationError

from .. import docviews as V
from ..errors import ClaimsError, NotFound
from ..i18n import _
from ..permissions import own_station
from ..timeutil import SHANGHAI, now
from .benefit_docs import _benefit_application, _benefit_notice, _payment_voucher
from .case_docs import (_appraisal_application, _case_index, _confirmation_application, _decision, _document_receipt,
                        _missing_documents_notice, _report_receipt)
from .procedure_docs import (_acceptance_notice, _advance_statement, _pension_schedule, _suspension_notice,
                             _withdrawal_confirmation)
from .common import KEY_KIND, KEY_LABEL, _case_file
from .issue import NUMBER_FIELD, Built, instance_of, printer_name
from .record_docs import _enrollment_certificate, _fee_declaration, _reconciliation_statement


_CASE_BUILDERS = {
    "report_receipt": _report_receipt, "confirmation_application": _confirmation_application,
    "document_receipt": _document_receipt, "missing_documents_notice": _missing_documents_notice,
    "confirmation_decision": lambda s, cf, o, a: _decision(s, cf, o, "confirmation_decision"),
    "refusal_decision": lambda s, cf, o, a: _decision(s, cf, o, "refusal_decision"),
    "appraisal_application": _appraisal_application, "benefit_application": _benefit_application,
    "benefit_notice": _benefit_notice, "case_index": _case_index,
    "acceptance_notice": _acceptance_notice, "suspension_notice": _suspension_notice,
    "withdrawal_confirmation": _withdrawal_confirmation, "advance_statement": _advance_statement,
    "pension_schedule": _pension_schedule,
}
# Who compiled a statement or a case file's index: whoever first printed it.
_COMPILER = {"reconciliation_statement": "prepared_by", "case_index": "compiled_by"}
_OTHER_BUILDERS = {
    "payment_voucher": _payment_voucher, "fee_declaration": _fee_declaration,
    "reconciliation_statement": _reconciliation_statement, "enrollment_certificate": _enrollment_certificate,
}


# --- public API ---------------------------------------------------------------------------

def normalize_key(record_key: str) -> str:
    return re.sub(r"\s+", "", record_key or "").upper()


def _build_raw(store, doc_code: str, key: str, office: dict, as_of: date) -> tuple[BaseModel, str]:
    try:
        if doc_code in _CASE_BUILDERS:
            cf = _case_file(store, key)
            return _CASE_BUILDERS[doc_code](store, cf, office, as_of), cf.case.number
        return _OTHER_BUILDERS[doc_code](store, key, office, as_of), key
    except ValidationError as e:
        title = V.DOCUMENTS[doc_code][0]
        raise ClaimsError(_("{t}（{k}）的数据不完整：{e}").format(t=title, k=key, e=e)) from None


def _kept(snapshot: dict) -> dict:
    """The office details of a first print that a reprint keeps: all but the
    placeholders printed while a detail was not yet filled in (those take the
    office's details as they are now)."""
    from ..office import FIELDS_BY_KEY
    return {k: v for k, v in snapshot.items()
            if not (k in FIELDS_BY_KEY and FIELDS_BY_KEY[k].placeholder and v == FIELDS_BY_KEY[k].default)}


def build(store, doc_code: str, record_key: str, *, as_of: date | None = None, printer: str = "") -> Built:
    """The document as it prints now: built from the records, with its own number
    (kept from its first issue, else the next one) and — once it has been
    printed — the office details of its first print."""
    if doc_code not in V.DOCUMENTS:
        raise ClaimsError(_("未知的文书类型“{c}”（可用：{all}）").format(c=doc_code, all="、".join(V.DOCUMENTS)))
    key = normalize_key(record_key)
    if not key:
        raise ClaimsError(_("请给出{what}").format(what=KEY_LABEL[KEY_KIND[doc_code]]))
    as_of = as_of or now().date()
    office = store.office_settings()
    view, key = _build_raw(store, doc_code, key, office, as_of)
    instance, day = instance_of(doc_code, key, view, as_of)
    issue = store.document_issue(doc_code, instance)
    if issue and issue.get("office"):  # a reprint: the office details as first printed
        office = {**office, **_kept(issue["office"])}
        view, key = _build_raw(store, doc_code, key, office, as_of)
    number = (issue or {}).get("number") or store.next_document_number(doc_code, day)
    update = {}
    field = NUMBER_FIELD.get(doc_code)
    if field and number:
        update[field] = number
    if doc_code in _COMPILER and not getattr(view, _COMPILER[doc_code]):
        first = (issue or {}).get("first_printed_by") if (issue or {}).get("first_printed_at") else None
        update[_COMPILER[doc_code]] = first if first is not None else printer
    if update:
        view = type(view).model_validate({**view.model_dump(), **update})
    return Built(doc_code=doc_code, view=view, key=key, instance=instance, issued_on=day, number=number,
                 issue=issue, office=office)


def build_view(store, doc_code: str, record_key: str, *, as_of: date | None = None) -> tuple[BaseModel, str]:
    """The document's view from the records, and the record key as stored.
    ``as_of`` (default today) is the day "as of" documents speak for."""
    b = build(store, doc_code, record_key, as_of=as_of)
    return b.view, b.key


def check_scope(store, doc_code: str, record_key: str, actor) -> None:
    """A station manager prints only records they may see (their station's cases and
    workers, their platform's declarations); anything else is not found."""
    if actor is None or own_station(actor) is None:
        return
    key, kind = normalize_key(record_key), KEY_KIND.get(doc_code)
    if kind == "case":
        store.case_by_number(key, actor)
    elif kind == "payment":
        store.case(store.payment_by_number(key).case_id, actor)
    elif kind == "declaration":
        store.declaration_by_number(key, actor)
    elif kind == "worker" and store.worker_by_id_number(key, actor) is None:
        raise NotFound(_("找不到身份证号码为 {k} 的人员").format(k=key))


@dataclass(frozen=True)
class Rendered:
    """A rendered document (the renderer's result: ``.pdf``, ``.pages``,
    ``.code``, ``.digest``…) with what it is as an issued document."""
    result: object
    built: Built
    printed_by: str

    def __getattr__(self, name):
        return getattr(self.result, name)


def render_document(store, forms_module, doc_code: str, record_key: str, actor, at: datetime | None = None):
    """Build and render one document without recording it (a preview); a
    document printed before renders as its reprint (补打)."""
    check_scope(store, doc_code, record_key, actor)
    at = at or now()
    who = printer_name(store, actor)
    b = build(store, doc_code, record_key, as_of=at.date(), printer=who)
    meta = forms_module.PrintMeta(printed_at=at, printed_by=who, record_key=b.key,
                                  first_printed_at=b.first_printed_at)
    return Rendered(forms_module.render(doc_code, b.view, meta), b, who)


def print_warnings(store, doc_code: str) -> list[str]:
    """What the clerk must hear before this document goes out: the review
    authority or court of the rights paragraph still a placeholder."""
    from ..office import FIELDS_BY_KEY, RIGHTS_DOCUMENTS, RIGHTS_KEYS
    if doc_code not in RIGHTS_DOCUMENTS:
        return []
    saved = store.office_saved()
    unset = [FIELDS_BY_KEY[k].label for k in RIGHTS_KEYS if not (saved.get(k) or "").strip()]
    if not unset:
        return []
    return [_("{f}尚未填写：文书的权利告知处印的是占位文字“{p}”。请管理员在“设置 › 经办机构”中填写后再打印"
              "（作出决定的机关不同，复议机关和管辖法院也不同）。").format(
        f="、".join(unset), p=FIELDS_BY_KEY[RIGHTS_KEYS[0] if FIELDS_BY_KEY[RIGHTS_KEYS[0]].label in unset
                                            else RIGHTS_KEYS[1]].default)]


def print_document(store, forms_module, doc_code: str, record_key: str, actor):
    """Build, render and record one document (``print`` and batch printing)."""
    at = now()
    result = render_document(store, forms_module, doc_code, record_key, actor, at)
    record(store, result, actor, at)
    return result


def record(store, rendered: Rendered, actor, at: datetime) -> None:
    """Record a printed document: issue it (its number, if new) on its first
    print, with the office details it carried; a reprint with the same code adds
    nothing. Refused when the number shown was taken meanwhile by another print."""
    b = rendered.built
    old = store.printed_document(rendered.code)
    if old is not None and old["digest"] != rendered.digest:  # 50-bit codes: practically never
        raise ClaimsError(_("核验码 {c} 与已打印的另一份文书冲突，请重新打印").format(c=rendered.code))
    with store.atomic():
        issue = b.issue or store.issue_document(actor, doc_code=b.doc_code, instance=b.instance, record_key=b.key,
                                                issued_on=b.issued_on)
        if issue["number"] != (b.number if NUMBER_FIELD.get(b.doc_code) else ""):
            raise ClaimsError(_("编号 {n} 已被同时打印的另一份文书使用，请重新打印（将取得新的编号）").format(n=b.number))
        store.mark_first_print(actor, issue, at, rendered.printed_by, b.office)
        store.record_print(code=rendered.code, doc_code=rendered.doc_code, record_key=rendered.record_key,
                           digest=rendered.digest, printed_by=rendered.printed_by, printed_at=at.isoformat())


# Statistics reports: figures as of their print, not records to rebuild; verify says so.
REPORTS = {"monthly_report": "职业伤害保障运行分析月报", "whatif_report": "政策测算报告"}


def record_report(store, module, report, actor, printed_by: str, doc_code: str = "monthly_report") -> tuple[bytes, int]:
    """Render a statistics report (the monthly report, a what-if report) and record
    its verification code (``verify`` finds it)."""
    report = report.model_copy(update={"generated_by": printed_by})
    pdf, pages, code, digest = module.render_coded(report, printed_by)
    key = report.number + (f"-{report.scope}" if getattr(report, "scope", "") else "")
    old = store.printed_document(code)
    if old is None or old["digest"] == digest:
        store.record_print(code=code, doc_code=doc_code, record_key=key, digest=digest,
                           printed_by=printed_by, printed_at=report.generated_at.isoformat())
    return pdf, pages


def _whom(view) -> str:
    w = getattr(view, "worker", None)
    if w is not None:
        return w.name
    p = getattr(view, "platform", None)
    return p.name if p is not None else "—"


def verify_code(store, code: str, forms_module) -> tuple[bool, list[str]]:
    """Look up a printed code; rebuild the document from today's records (with
    the number and office details it was issued with) and say whether what it
    prints is still what was printed."""
    norm = V.normalize_code(code)
    row = store.printed_document(norm)
    if row is None:
        return False, [_("核验码 {c} 不存在：本数据库没有打印过带有这个核验码的文书。请核对输入，"
                         "或确认文书出自本机构。").format(c=norm or code)]
    title = V.DOCUMENTS.get(row["doc_code"], (row["doc_code"],))[0]
    printed_at = datetime.fromisoformat(row["printed_at"]).astimezone(SHANGHAI)
    if row["doc_code"] in REPORTS:  # a statistics report: the figures as of its print
        return True, [_("核验码：{c}").format(c=row["code"]), _("文书：{t}").format(t=REPORTS[row["doc_code"]]),
                      _("编号：{k}").format(k=row["record_key"]),
                      _("打印：{t}，打印人 {u}（站点 {s}）").format(t=f"{printed_at:%Y-%m-%d %H:%M}",
                                                            u=row["printed_by"] or "—", s=row["site_id"]),
                      _("结论：本报表由本机构出具；报表反映打印时的统计数据，此后的数据变动不影响其真实性")]
    lines = [_("核验码：{c}").format(c=row["code"]), _("文书：{t}").format(t=title),
             _("记录：{k}").format(k=row["record_key"])]
    try:
        b = build(store, row["doc_code"], row["record_key"], as_of=printed_at.date())
        view, key = b.view, b.key
    except ClaimsError as e:
        lines += [_("打印：{t}，打印人 {u}（站点 {s}）").format(t=f"{printed_at:%Y-%m-%d %H:%M}", u=row["printed_by"],
                                                      s=row["site_id"]),
                  _("记录已在打印后变更：现在无法再生成这份文书（{m}）").format(m=e.message)]
        return False, lines
    digest = forms_module.content_digest(row["doc_code"], view, key)
    lines.insert(2, _("对象：{w}").format(w=_whom(view)))
    if b.number:
        lines.insert(2, _("编号：{n}").format(n=b.number))
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
