"""The 2025 merger of 外卖 into 即时配送 (rules.md §1, domain README): from
2025-07-01 there is no 外卖 industry any more. Anything recorded for a day on
or after it as 外卖 — an enrollment, an order, a case, a report — is stored as
即时配送, with a note saying so (in the import's row report or the case
history); records before that day keep 外卖."""
from __future__ import annotations

from datetime import date, datetime

from .enums import Industry
from .i18n import _

MERGE_DAY = date(2025, 7, 1)
MERGED_NOTE = _("外卖自 2025-07-01 起并入即时配送，已按即时配送登记")


def as_recorded(industry: str | Industry, day: date | datetime | str) -> tuple[Industry, str]:
    """(the industry to store, a note when it was mapped, else '')."""
    ind = Industry(industry)
    if isinstance(day, datetime):
        day = day.date()
    elif isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if ind == Industry.food_delivery and day >= MERGE_DAY:
        return Industry.instant_delivery, MERGED_NOTE
    return ind, ""
