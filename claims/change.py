"""What one user action changed (Anki's OpChanges): the tables and row ids it
touched and a one-line summary, handed to the screens so each refreshes only
what it shows. A plain frozen dataclass, so that opening the store and the
main window does not have to load pydantic."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    tables: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)
    summary: str = ""

    def __or__(self, other: "Change") -> "Change":
        return Change(tables=self.tables | other.tables, ids=self.ids | other.ids,
                      summary="；".join(s for s in (self.summary, other.summary) if s))
