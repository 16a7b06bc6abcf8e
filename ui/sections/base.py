"""What every page of the main window is (``Section``). The list pages' shared
shape (a search box, filters, a lazy table, the selected record's details) is
``ListSection`` in ui/sections/listing.py: the home screen, built at start-up,
needs none of its widgets (PySide6 makes each widget class's enums on its first
import, ~0.3 ms each)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from claims.change import Change

# Start-up note: the modules the first screen loads (this one, main_window, home) do not touch
# PySide6's `Qt` namespace at import time; its first use builds some ninety enums (~20 ms), which
# then happens after the window is painted.


class Section(QWidget):
    """A page of the main window. ``refresh`` receives the change record of
    each user action and reloads only when it concerns this section."""

    title = ""
    tables: frozenset[str] = frozenset()
    changed = Signal(object)  # emitted with a Change after a mutation made here
    badge_changed = Signal()  # the count beside the section's name in the left bar may have changed

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.retired = False

    def live(self) -> bool:
        """False once the user changed (the section was replaced) or the database was closed:
        a timer that fires late then does nothing."""
        return not self.retired and not getattr(self.ctx.store, "closed", False)

    def retire(self) -> None:
        """The window was handed to another user: this section stops and is replaced."""
        self.retired = True
        for t in self.findChildren(QTimer):
            t.stop()

    def refresh(self, change: Change | None = None) -> None:
        pass

    def badge(self) -> str:
        return ""
