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
(claims/store/printing_queries.py OFFICE_DEFAULTS); a decision's situation,
citation and facts as it was issued (claims/store/decisions.py); the documents checklist and
its reasons from resources/rules/documents.json; deadlines from claims/clocks.py.

Reprints: the code is a digest of the content, so printing unchanged content
again gives the same code; the first print (who, when) is kept and nothing is
added. Views carry raw identifiers: layouts mask them by audience.

The package: common.py (key kinds, rule data, ``_CaseFile``), case_docs.py
(the ten case documents), record_docs.py (payment, declaration and worker
documents), api.py (build, render, print, record, verify); every public
name is importable from ``claims.printing``.
"""
from __future__ import annotations

from .api import (Rendered, applicable_documents, build, build_view, fee_declarations_of_month, main_document,
                  normalize_key, print_document, print_warnings, record, record_report, render_document, verify_code)
from .issue import printer_name
from .common import (CASE_DOCS, CASE_TYPE_CAUSE, GENDER, KEY_KIND, KEY_LABEL, PARAM_UNITS, REGION_NAMES, checklist,
                     document_label, region_name)

__all__ = [
    "CASE_DOCS", "CASE_TYPE_CAUSE", "GENDER", "KEY_KIND", "KEY_LABEL", "PARAM_UNITS", "REGION_NAMES",
    "applicable_documents", "build_view", "checklist", "document_label", "fee_declarations_of_month",
    "main_document", "normalize_key", "print_document", "print_warnings", "record", "region_name", "render_document",
    "verify_code", "Rendered", "build", "printer_name", "record_report",
]
