"""Which tables travel between sites, and who owns their rows.

A table travels when it is listed here: its rows are recorded by the session
of every write transaction (claims/store/exchange/capture.py) and applied on
the other sites. Every other table is local to a site: derived data rebuilt
where it is used (daily_counts from the orders, stats_*, worker_name_grams,
stats_dirty), or a site's own book-keeping (meta, counters, audit_log,
import_runs, import_mappings, exchange_*). A new table joins the exchange by
being added to one of the groups below (it needs an ``id TEXT PRIMARY KEY`` as
its first column, created/updated times and ``site_id``); columns are only ever
appended, so a package from an older schema still applies.

Ownership (checked at export, claims/store/exchange/outbox.py):
- OFFICE: the office site's alone (parameters, rule texts, users, fees);
- CASE: the site handling the case (``cases.handled_by``, else the creating site);
- SHARED: anyone's (workers, enrollments, orders, platforms, stations);
- OWN: the creating site's (``site_id``), e.g. a printed document's record."""
from __future__ import annotations

OFFICE = ("industries", "parameters", "fee_rates", "users", "holiday_calendar", "situation_texts", "declarations",
          "fee_payments")
CASE = ("cases", "case_events", "case_documents", "decisions", "appraisals", "assessments", "benefit_payments",
        "missing_notices", "dependants", "advances")
SHARED = ("platforms", "stations", "workers", "enrollments", "other_cover", "orders",
          "exchange_conflicts", "exchange_duplicates")
OWN = ("issued_documents",)  # a document's number and first print, as the issuing site gave them

# parents first: the order tables are attached in, and so the order of a changeset
TRAVELLING = ("industries", "platforms", "stations", "workers", "enrollments", "other_cover", "orders", "parameters", "fee_rates",
              "users", "holiday_calendar", "situation_texts", "declarations", "fee_payments", "cases", "case_events",
              "case_documents", "decisions", "appraisals", "assessments", "benefit_payments", "missing_notices",
              "dependants", "advances", "issued_documents", "exchange_conflicts", "exchange_duplicates")
assert set(TRAVELLING) == set(OFFICE) | set(CASE) | set(SHARED) | set(OWN)

# columns that stay local even on a travelling table (a login's failed attempts)
LOCAL_COLUMNS = {"users": frozenset({"failed_attempts", "locked_until"})}
# columns every site sets by the same rule when rows merge (not conflicts for a person)
META_COLUMNS = frozenset({"created_at", "updated_at", "site_id", "row_version"})
# columns computed from another column of the row (search helpers): merged with it, never a conflict of their own
DERIVED_COLUMNS = {"workers": frozenset({"id_rev", "phone_rev", "name_pinyin", "name_initials", "name_sort"})}
# the records' natural identifiers, for people (conflict lists, messages)
NATURAL = {"workers": "id_number", "cases": "number", "platforms": "name", "stations": "name",
           "declarations": "number", "decisions": "number", "assessments": "number", "benefit_payments": "number",
           "missing_notices": "number", "orders": "order_no", "users": "username", "parameters": "name",
           "industries": "code"}
# tables with their own audit treatment: orders are sealed as a whole (claims/store/seal.py)
SEALED = ("orders",)
NOT_AUDITED = ("exchange_conflicts", "exchange_duplicates")


def case_column(table: str) -> str | None:
    """The column that names the case a row belongs to."""
    return "id" if table == "cases" else "case_id" if table in CASE else None
