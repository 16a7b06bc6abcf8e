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

    def __post_init__(self) -> None:
        """Every screen acts as someone who logged in: an actor made any other way is refused."""
        if not getattr(self.actor, "issued", False):
            from claims.errors import PermissionDenied
            raise PermissionDenied("未登录：请先登录")

    @property
    def sees_full_ids(self) -> bool:
        from claims.permissions import SEES_FULL_IDS
        return self.actor.role in SEES_FULL_IDS
