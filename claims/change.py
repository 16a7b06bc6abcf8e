"""What one user action changed (Anki's OpChanges): the tables and row ids it
touched and a one-line summary, handed to the screens so each refreshes only
what it shows. A plain frozen dataclass, so that opening the store and the
main window does not have to load pydantic.

``audit_range`` is the run of audit-log entries (after seq, up to seq) the
action wrote, set by the store; claims/store/undo.py reverses an action from it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    tables: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)
    summary: str = ""
    audit_range: tuple[int, int] | None = None

    def __or__(self, other: "Change") -> "Change":
        ranges = [r for r in (self.audit_range, other.audit_range) if r]
        return Change(tables=self.tables | other.tables, ids=self.ids | other.ids,
                      summary="；".join(s for s in (self.summary, other.summary) if s),
                      audit_range=(min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None)
