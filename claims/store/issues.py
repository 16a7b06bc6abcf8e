"""Documents as issued: each printed document of a kind for one record (a
decision, a notice, a payment, a case "as of" a day) is issued once — it gets
its number in the office's style then (counted per kind and year, claims/office.py
NUMBER_PATTERNS), and on its first print the time, who printed it and the office
details it carried are kept. A reprint shows that number and those details and
says it is a reprint (claims/printing/issue.py)."""
from __future__ import annotations

import json
from datetime import date, datetime

from ..office import NUMBER_PATTERNS, format_number
from .base import Actor, StoreBase


def decision_instance(case_number: str, decision_number: str) -> str:
    """The issued document a decision is (its 文号 is given when it is decided)."""
    return f"{case_number}:{decision_number}"


class IssuesMixin(StoreBase):
    def document_issue(self, doc_code: str, instance: str) -> dict | None:
        r = self.conn.execute("SELECT * FROM issued_documents WHERE doc_code = ? AND instance = ?",
                              (doc_code, instance)).fetchone()
        if r is None:
            return None
        row = dict(r)
        row["office"] = json.loads(row["office"] or "{}")
        return row

    def issues_of(self, record_key: str) -> list[dict]:
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM issued_documents WHERE record_key = ? ORDER BY issued_on, created_at", (record_key,))]

    def number_pattern(self, doc_code: str) -> str:
        if doc_code not in NUMBER_PATTERNS:
            return ""
        return self.office_settings().get(f"office.number.{doc_code}") or NUMBER_PATTERNS[doc_code][1]

    def _next_seq(self, doc_code: str, year: int) -> int:
        r = self.conn.execute("SELECT value FROM counters WHERE name = ?", (f"docno:{doc_code}:{year}",)).fetchone()
        return (r[0] if r else 0) + 1

    def next_document_number(self, doc_code: str, issued_on: date) -> str:
        """The number the next document of this kind issued in that year will get ('' if the kind has none)."""
        pattern = self.number_pattern(doc_code)
        return format_number(pattern, issued_on.year, self._next_seq(doc_code, issued_on.year)) if pattern else ""

    def issue_document(self, actor: Actor, *, doc_code: str, instance: str, record_key: str,
                       issued_on: date) -> dict:
        """The document's issue record, created (with its number) if it has none yet."""
        old = self.document_issue(doc_code, instance)
        if old is not None:
            return old
        pattern = self.number_pattern(doc_code)
        with self.atomic():
            seq = self.next_counter(f"docno:{doc_code}:{issued_on.year}") if pattern else None
            self._insert("issued_documents", {
                "doc_code": doc_code, "instance": instance, "record_key": record_key,
                "number": format_number(pattern, issued_on.year, seq) if pattern else "",
                "year": issued_on.year if pattern else None, "seq": seq, "issued_on": issued_on.isoformat()}, actor)
        return self.document_issue(doc_code, instance)

    def mark_first_print(self, actor: Actor, issue: dict, at: datetime, printed_by: str, office: dict) -> dict:
        """Keep the first print's time, printer and office details (later prints change nothing)."""
        if issue.get("first_printed_at"):
            return issue
        with self.atomic():
            self._update("issued_documents", issue["id"], {
                "first_printed_at": at.isoformat(), "first_printed_by": printed_by,
                "office": json.dumps(office, ensure_ascii=False, sort_keys=True)}, actor, what="文书出具记录")
        return self.document_issue(issue["doc_code"], issue["instance"])
