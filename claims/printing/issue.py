"""Documents as issued: which record a printed document is about (its
instance — a decision, a notice, a payment, a case as of a day), its number in
the office's style (claims/office.py NUMBER_PATTERNS; the field of the view
that carries it), the office details it is printed with (those of its first
print, for a reprint), and who printed it, by name."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

# The view field that carries the document's own number, for the kinds that have one.
NUMBER_FIELD = {
    "report_receipt": "receipt_number", "document_receipt": "receipt_number",
    "acceptance_notice": "notice_number", "missing_documents_notice": "notice_number",
    "suspension_notice": "notice_number", "withdrawal_confirmation": "confirmation_number",
    "confirmation_decision": "decision_number", "refusal_decision": "decision_number",
    "benefit_notice": "notice_number", "pension_schedule": "schedule_number",
    "advance_statement": "statement_number", "payment_voucher": "voucher_number",
    "enrollment_certificate": "certificate_number", "reconciliation_statement": "statement_number",
}
# Documents that state something as of the day they are printed: each day's is another document.
AS_OF = frozenset({"enrollment_certificate", "reconciliation_statement", "case_index", "pension_schedule",
                   "advance_statement"})
# The day a document is issued, from its view (else the print day).
_ISSUE_DAY = {
    "report_receipt": lambda v: v.reported_at.date(), "document_receipt": lambda v: v.received_on,
    "acceptance_notice": lambda v: v.accepted_on, "missing_documents_notice": lambda v: v.notice_date,
    "suspension_notice": lambda v: v.suspended_on, "withdrawal_confirmation": lambda v: v.withdrawn_on,
    "confirmation_decision": lambda v: v.decision_date, "refusal_decision": lambda v: v.decision_date,
    "benefit_notice": lambda v: v.notice_date, "payment_voucher": lambda v: v.paid_on,
    "fee_declaration": lambda v: v.declared_on,
}
# Instances told apart by the record's own number (one case has several decisions, notices).
_BY_OWN_NUMBER = frozenset({"confirmation_decision", "refusal_decision", "missing_documents_notice",
                            "benefit_notice"})
_BY_DAY = frozenset({"document_receipt", "suspension_notice"})


def instance_of(doc_code: str, key: str, view: BaseModel, as_of: date) -> tuple[str, date]:
    """(instance, issue day) of a document built for ``key``."""
    if doc_code in AS_OF:
        return f"{key}@{as_of.isoformat()}", as_of
    day = _ISSUE_DAY.get(doc_code, lambda v: None)(view) or as_of
    if doc_code in _BY_OWN_NUMBER:
        return f"{key}:{getattr(view, NUMBER_FIELD[doc_code])}", day
    if doc_code in _BY_DAY:
        return f"{key}@{day.isoformat()}", day
    return key, day


@dataclass
class Built:
    """A document's view as it prints now, and what it is as an issued document."""
    doc_code: str
    view: BaseModel
    key: str  # the record key as stored
    instance: str
    issued_on: date
    number: str  # the document's own number ('' for kinds without one)
    issue: dict | None  # the issue record, once issued
    office: dict  # the office details printed

    @property
    def first_printed_at(self):
        from datetime import datetime
        at = (self.issue or {}).get("first_printed_at")
        return datetime.fromisoformat(at) if at else None


def printer_name(store, actor) -> str:
    """Who printed, as printed in the footer: a real name, never a login."""
    name = store.person_name(actor.username)
    if name:
        return name
    label = (actor.display_name or "").strip()
    if label and ":" not in label and label != actor.username:
        return label
    return "命令行打印" if actor.username.startswith("cli:") else ""
