"""What the home screen (工作台) shows, as plain rows: it is filled just after the
window's first paint, and building pydantic models there would load pydantic
(~110 ms) and its models before the clerk sees any figure. The conditions are
the case list's and ``cases_waiting_for``'s own (a station manager sees their
platform's and station's cases only); the rows carry only what the lists show."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from ..enums import CaseState
from ..permissions import allowed
from .base import Actor, StoreBase
from .cases import CASE_LIST_ORDER, WAITING_ORDER, CaseFilter


# The home lists' rows are named tuples: made at start-up, where a dataclass's generated methods cost more
# than the rows' query (bench/startup.py)
class CaseLine(NamedTuple):
    """A case in a home list (what ``ui.cases.deadline`` needs to say its deadline)."""
    number: str
    state: CaseState
    due_on: date | None


class ApprovalLine(NamedTuple):
    """An assessment (kind "assessment") or a payment ("once", "monthly") waiting for approval."""
    case_number: str
    number: str
    kind: str
    amount_fen: int
    period_month: str = ""
    due_on: date | None = None


def _case_line(number: str, state: str, due_on: str | None) -> CaseLine:
    return CaseLine(number, CaseState(state), date.fromisoformat(due_on) if due_on else None)


class HomeQueriesMixin(StoreBase):
    def case_lines(self, f: CaseFilter, actor: Actor | None = None, *, limit: int = 50) -> list[CaseLine]:
        """``search_cases`` (same cases, same order) as plain lines."""
        where, args = self._case_list_where(f, actor)
        return [_case_line(*r) for r in self.conn.execute(
            f"SELECT c.number, c.state, c.due_on FROM cases c{where} ORDER BY {CASE_LIST_ORDER} LIMIT ?",
            (*args, limit))]

    def waiting_lines(self, actor: Actor, *, limit: int = 100) -> list[CaseLine]:
        """``cases_waiting_for`` as plain lines."""
        where, args = self._waiting_where(actor)
        return [_case_line(*r) for r in self.conn.execute(
            f"SELECT c.number, c.state, c.due_on FROM cases c WHERE {where} ORDER BY {WAITING_ORDER} LIMIT ?",
            (*args, limit))]

    def approval_lines(self, actor: Actor, *, limit: int = 100) -> tuple[list[ApprovalLine], list[ApprovalLine]]:
        """(assessments, payments) the actor may approve — those of ``my_tasks`` — with their
        case's number."""
        assessments, payments = [], []
        if allowed(actor.role, "assessment.approve"):
            assessments = [ApprovalLine(c, n, "assessment", fen) for c, n, fen in self.conn.execute(
                "SELECT c.number, a.number, a.once_total_fen FROM assessments a JOIN cases c ON c.id = a.case_id"
                " WHERE a.status = 'draft' AND a.prepared_by != ? ORDER BY a.created_at LIMIT ?",
                (actor.username, limit))]
        if allowed(actor.role, "payment.approve"):
            payments = [ApprovalLine(c, n, kind, fen, month, date.fromisoformat(due) if due else None)
                        for c, n, kind, fen, month, due in self.conn.execute(
                            "SELECT c.number, p.number, p.kind, p.amount_fen, p.period_month, p.due_on"
                            " FROM benefit_payments p JOIN cases c ON c.id = p.case_id"
                            " WHERE p.status = 'prepared' AND p.prepared_by != ?"
                            " ORDER BY p.due_on IS NULL, p.due_on, p.number LIMIT ?", (actor.username, limit))]
        return assessments, payments

    def draft_declarations(self, actor: Actor | None = None) -> int:
        """Fee declarations not yet submitted (a station manager's: their platform's)."""
        if actor is not None and actor.role == "station_manager":
            return self.conn.execute("SELECT count(*) FROM declarations WHERE status = 'draft' AND platform_id = ?",
                                     (actor.platform_id,)).fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM declarations WHERE status = 'draft'").fetchone()[0]

    def waiting_steps(self, actor: Actor, *, limit: int = 100) -> list[tuple[CaseLine, object]]:
        """``waiting_lines`` with each case's next step (claims/next_step.py), from plain rows:
        the same step the case view says, so the to-do list holds only what the actor can do."""
        where, args = self._waiting_where(actor)
        cases = self.conn.execute(
            "SELECT c.id, c.number, c.state, c.due_on, c.lawsuit_until, c.hospital, c.case_type, c.death_date"
            f" FROM cases c WHERE {where} ORDER BY {WAITING_ORDER} LIMIT ?", (*args, limit)).fetchall()
        if not cases:
            return []
        from types import SimpleNamespace

        from .. import checklist
        from ..next_step import CaseFacts, Returned, Waiting, step_for
        ids = [r[0] for r in cases]
        marks = ",".join("?" * len(ids))
        docs: dict[str, set[str]] = {}
        for cid, doc_type in self.conn.execute(
                f"SELECT case_id, doc_type FROM case_documents WHERE case_id IN ({marks})", ids):
            docs.setdefault(cid, set()).add(doc_type)
        advanced = {r[0] for r in self.conn.execute(
            f"SELECT DISTINCT case_id FROM advances WHERE active = 1 AND case_id IN ({marks})", ids)}
        assessments: dict[str, list] = {}
        for row in self.conn.execute(
                "SELECT case_id, number, status, prepared_by, returned_by, return_reason FROM assessments"
                f" WHERE case_id IN ({marks}) ORDER BY created_at", ids):
            assessments.setdefault(row[0], []).append(row)
        payments: dict[str, list] = {}
        for row in self.conn.execute(
                "SELECT case_id, number, status, prepared_by, due_on, returned_by, cancel_reason FROM benefit_payments"
                f" WHERE case_id IN ({marks}) ORDER BY due_on, number", ids):
            payments.setdefault(row[0], []).append(row)
        name = self.display_name
        out = []
        for cid, number, state, due, lawsuit, hospital, case_type, death in cases:
            line = _case_line(number, state, due)
            st = line.state
            missing: tuple[str, ...] = ()
            if st in (CaseState.reported, CaseState.awaiting_documents):
                light = SimpleNamespace(state=st, hospital=hospital, case_type=case_type, death_date=death)
                extra = frozenset({"advance"}) if cid in advanced else frozenset()
                have = docs.get(cid, set())
                missing = tuple(d["name"] for d in checklist.required_documents(light, extra) if d["code"] not in have)
            mine = assessments.get(cid, [])
            last = mine[-1] if mine else None
            draft = next((a for a in mine if a[2] == "draft"), None)
            pays = payments.get(cid, [])
            back = [p for p in pays if p[5]]
            approved = [a for a in mine if a[2] == "approved"]
            facts = CaseFacts(
                st, line.due_on, date.fromisoformat(lawsuit) if lawsuit else None, missing,
                Returned(last[1], name(last[4]), last[5]) if last is not None and last[2] == "returned" else None,
                Waiting(draft[1], draft[3], name(draft[3])) if draft else None,
                tuple(Waiting(p[1], p[3], name(p[3]), date.fromisoformat(p[4]) if p[4] else None)
                      for p in pays if p[2] == "prepared"),
                Returned(back[-1][1], name(back[-1][5]), back[-1][6]) if back else None,
                any(p[2] == "approved" for p in pays), approved[-1][1] if approved else "")
            out.append((line, step_for(facts)))
        return out
