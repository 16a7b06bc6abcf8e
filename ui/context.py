"""What every screen needs: the store, who is working, and a way to announce
changes so the other screens refresh what they show."""
from __future__ import annotations

from dataclasses import dataclass, field

from claims.store import Actor, Store


@dataclass
class AppContext:
    store: Store
    actor: Actor
    version: str
    revealed: set[str] = field(default_factory=set)  # ids whose full numbers the user revealed

    @property
    def sees_full_ids(self) -> bool:
        from claims.permissions import SEES_FULL_IDS
        return self.actor.role in SEES_FULL_IDS
