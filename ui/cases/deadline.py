"""A case's deadline as the lists show it: the text ("逾期 3 天", "2026-12-04（剩 4 天）")
and its colour (red when overdue, amber in the last week). Small on purpose: the
home screen needs it before the case screens are loaded."""
from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from claims.enums import CaseState
from claims.i18n import _

OVERDUE = "#c0392b"
DUE_SOON = "#b9770e"


def window_text(c, today: date, short: bool = False) -> str:
    """The applicant's window still running after a decision: review first, then lawsuit ('' when none)."""
    if c.state not in (CaseState.confirmed, CaseState.rejected) or not getattr(c, "lawsuit_until", None):
        return ""
    for last, label in ((c.review_until, _("复议期")), (c.lawsuit_until, _("诉讼期"))):
        if last is not None and today <= last:
            shown = last.strftime("%m-%d") if short and (last - today).days <= 180 else last.isoformat()
            return _("{w}至 {d}（剩 {n} 天）").format(w=label, d=shown, n=(last - today).days)
    return ""


def due_text(c, today: date, short: bool = False) -> str:
    """short: without the year when it is within half a year ("01-04（剩 35 天）": the days left say
    which year), for narrow list columns. After a decision, the review and
    lawsuit windows while they run."""
    window = window_text(c, today, short)
    if window and (c.due_on is None or c.state == CaseState.rejected):
        return window
    if c.due_on is None:
        return _("暂停") if c.state in (CaseState.suspended, CaseState.disputed) else ""
    days = (c.due_on - today).days
    if days < 0:
        return _("逾期 {d} 天").format(d=-days)
    shown = c.due_on.strftime("%m-%d") if short and days <= 180 else c.due_on.isoformat()
    return _("{d}（剩 {n} 天）").format(d=shown, n=days)


def due_color(c, today: date) -> QColor | None:
    if c.due_on is None or (c.state == CaseState.rejected and window_text(c, today)):
        return None
    days = (c.due_on - today).days
    return QColor(OVERDUE) if days < 0 else QColor(DUE_SOON) if days <= 7 else None
