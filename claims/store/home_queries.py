"""What the home screen (工作台) shows, as plain rows: it is filled just after the
window's first paint, and building pydantic models there would load pydantic
(~110 ms) and its models before the clerk sees any figure. The conditions are
the case list's and ``cases_waiting_for``'s own (a station manager sees their
platform's and station's cases only); the rows carry only what the lists show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..enums import CaseState
from ..permissions import allowed
from .base import Actor, StoreBase
from .cases import CASE_LIST_ORDER, WAITING_ORDER, CaseFilter


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case in a home list (what ``ui.cases.deadline`` needs to say its deadline)."""
    number: str
    state: CaseState
    due_on: date | None


@dataclass(frozen=True, slots=True)
class ApprovalLine:
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
