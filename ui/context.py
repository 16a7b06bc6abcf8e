"""What every screen needs: the store, who is working, and a way to announce
changes so the other screens refresh what they show. Also the one privacy rule of
the screens: ID numbers, phones and accounts are masked for every role, the same
way on every screen, until the user reveals one person's (or one case's) numbers,
which is logged (claims/validators.py has the one masking function per kind)."""
from __future__ import annotations

from dataclasses import dataclass, field

from claims.lazy import lazy_import
from claims.store import Actor, Store

validators = lazy_import("claims.validators")  # the masks: loaded on the first number shown, not at start-up


@dataclass
class AppContext:
    store: Store
    actor: Actor
    version: str
    revealed: set[str] = field(default_factory=set)  # ids whose full numbers the user revealed (and logged)

    def __post_init__(self) -> None:
        """Every screen acts as someone who logged in: an actor made any other way is refused."""
        if not getattr(self.actor, "issued", False):
            from claims.errors import PermissionDenied
            raise PermissionDenied("未登录：请先登录")

    @property
    def sees_full_ids(self) -> bool:
        """Kept for older callers: nobody sees whole numbers without revealing them."""
        return False

    def shown(self, *owners: str | None) -> bool:
        """Whether the numbers of a record are shown whole: the user revealed one of its owners
        (the worker, or the case they appear on)."""
        return any(o and o in self.revealed for o in owners)

    def id_text(self, number: str | None, *owners: str | None) -> str:
        return (number or "") if self.shown(*owners) else validators.mask_id(number)

    def phone_text(self, number: str | None, *owners: str | None) -> str:
        return (number or "") if self.shown(*owners) else validators.mask_mobile(number)

    def account_text(self, number: str | None, *owners: str | None) -> str:
        return (number or "") if self.shown(*owners) else validators.mask_account(number)
