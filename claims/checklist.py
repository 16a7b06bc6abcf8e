"""Rules data a case is handled by: the document checklist (rules.md §5, from
``resources/rules/documents.json``), data so that an administrator can correct
it; this module only says which rows apply to a case. (The situations a
decision cites are in claims/situations.py.)"""
from __future__ import annotations

from datetime import date
from typing import Callable, NamedTuple

from .enums import CaseState
from .i18n import _
from .resources import load_json, resources_dir

# Which `when` conditions of the checklist hold for a case (documents.json `_note`).
CONDITIONS: dict[str, Callable] = {
    "always": lambda c: True,
    "medical": lambda c: bool((c.hospital or "").strip()),  # treated in a hospital: costs are claimed
    "traffic": lambda c: c.case_type == "traffic",
    "violence": lambda c: c.case_type == "violence",
    "death": lambda c: c.case_type == "death" or getattr(c, "death_date", None) is not None,
    "advance": lambda c: False,  # said by the store: the case has an advance on record (``extra``)
    "payment": lambda c: c.state not in (CaseState.withdrawn, CaseState.rejected),
}

# Case documents that are not on the checklist: a written waiver of review
# and lawsuit (closing a refused case inside its windows), anything else.
EXTRA_DOCUMENTS = {"rights_waiver": _("书面放弃行政复议和行政诉讼的声明"), "other": _("其他材料")}

# Case types (cases.case_type) with their labels; the report form offers these.
CASE_TYPES: dict[str, str] = {"injury": "一般事故伤害", "traffic": "交通事故", "violence": "暴力伤害",
                              "death": "死亡（含突发疾病死亡）"}


def _data(name: str, fallback: str) -> dict:
    """The shared rules file, or this module's own copy when it is absent."""
    rel = f"rules/{name}" if (resources_dir() / "rules" / name).exists() else f"rules/{fallback}"
    return load_json(rel)


def document_types() -> list[dict]:
    """Every checklist row: code, name, when, reason, status; then the documents
    an industry's cases need beyond them (industries are data: ``when`` is
    ``industry:<code>``)."""
    from .industries import registry
    rows = list(_data("documents.json", "case_documents.json")["documents"])
    for code, d in registry().items():
        rows += [{**doc, "when": f"industry:{code}"} for doc in d.documents]
    return rows


def document_label(code: str) -> str:
    for d in document_types():
        if d["code"] == code:
            return d["name"]
    return EXTRA_DOCUMENTS.get(code, code)


def missing_consequence() -> str:
    return _data("documents.json", "case_documents.json").get(
        "missing_consequence", _("逾期未补正且无正当理由的，视为撤回申请。"))


def required_documents(case, extra: frozenset[str] = frozenset()) -> list[dict]:
    """The checklist rows that apply to ``case`` (in the data's order); ``extra``:
    conditions the case's own row cannot tell (``advance``: an advance is recorded)."""
    out = []
    for d in document_types():
        when = d.get("when", "always")
        if when.startswith("industry:"):
            if when[9:] == str(getattr(case, "industry", "")):
                out.append(d)
            continue
        cond = CONDITIONS.get(when)
        if cond is None or when in extra or cond(case):  # an unknown condition asks for the document rather than hiding it
            out.append(d)
    return out


class ChecklistRow(NamedTuple):
    doc_type: str
    label: str
    reason: str
    received: bool
    pages: int
    received_on: date | None


def checklist_rows(case, documents, extra: frozenset[str] = frozenset()) -> list[ChecklistRow]:
    """Required documents of ``case`` against the ``documents`` received (CaseDocument)."""
    rows = []
    for d in required_documents(case, extra):
        got = [x for x in documents if x.doc_type == d["code"]]
        dates = [x.received_on for x in got if x.received_on]
        rows.append(ChecklistRow(d["code"], d["name"], d.get("reason", ""), bool(got),
                                 sum(x.pages for x in got), max(dates) if dates else None))
    return rows
