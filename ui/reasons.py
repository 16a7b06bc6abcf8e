"""A disabled action says why (ux.md), and not only in a tooltip that appears after a pause:
pointing at a disabled button, field or menu entry whose tooltip gives the reason (wrong role,
a missing document, waiting for someone else's approval) also shows that reason in the main
window's status bar. Done once for the whole program by an application event filter
(installed by ui/main_window.py); screens only set their tooltips as they already do.

A menu entry's tooltip becomes its status tip as well, so that Qt's own status line for
menus says the same thing.

The same filter tells the idle lock (ui/login.py) that someone is at the keyboard: every
application-wide filter written in Python costs a call into Python for every event of every
widget (making a table took five times as long with one), so there is one, and it is
made and installed only once the main window shows its figures (MainWindow._after_figures)."""
from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QWidget

_TAGS = re.compile(r"<[^>]+>")


def plain(tip: str) -> str:
    """A tooltip as one line of plain text for the status bar."""
    text = _TAGS.sub("", tip or "").replace("&nbsp;", " ")
    return " ".join(text.split())


def action_reason(action) -> str:
    """What a menu entry says about itself beyond its name: its status tip, else a tooltip
    set on purpose (Qt's default tooltip is the entry's own text)."""
    if action.statusTip():
        return action.statusTip()
    tip, text = action.toolTip(), action.text()
    own = text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("...", "").replace("…", "")
    return "" if tip.replace("…", "").replace("...", "") == own.strip() else plain(tip)


class ReasonsInStatusBar(QObject):
    """Application event filter: Enter or ToolTip on a disabled widget with a tooltip puts
    the tooltip in the status bar (and takes it away on Leave); in a menu, the entry under
    the mouse does the same."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.shown = ""
        self.source = None  # the disabled widget whose reason is shown
        # called on a key press, click, wheel or mouse move (the idle lock): the window's list, if it keeps one
        self.on_input: list = getattr(window, "on_input", None)
        if self.on_input is None:
            self.on_input = []
        self.installed = False

    def install(self) -> None:
        if not self.installed:
            T = QEvent.Type  # here, not when the window is made: PySide6 builds this big enum on first use
            self._types = {T.Enter, T.ToolTip, T.Leave, T.MouseMove, T.HoverMove, T.KeyPress, T.MouseButtonPress,
                           T.Wheel}
            self._input = {T.KeyPress, T.MouseButtonPress, T.MouseMove, T.Wheel}
            QApplication.instance().installEventFilter(self)
            self.installed = True

    def eventFilter(self, obj, event) -> bool:  # called for every event: return early
        t = event.type()
        if t not in self._types:
            return False
        if t in self._input:
            for f in self.on_input:
                f()
            if t is not QEvent.Type.MouseMove:
                return False
        if not isinstance(obj, QWidget):
            return False
        if isinstance(obj, QMenu):
            if t in (QEvent.Type.MouseMove, QEvent.Type.HoverMove):
                self._menu(obj, event)
            return False
        if t in (QEvent.Type.MouseMove, QEvent.Type.HoverMove):
            return False
        if self.shown and (t == QEvent.Type.Leave and obj is self.source or
                           t == QEvent.Type.Enter and not self._inside(obj)):
            self._clear()  # the pointer left the disabled control (Enter also arrives top-down)
        if t == QEvent.Type.Leave or obj.isEnabled():
            return False
        w = obj
        while w is not None and not w.toolTip():  # a part of a disabled widget: the widget's reason
            w = w.parentWidget()
            if w is not None and (w.isWindow() or w.isEnabled()):
                return False
        if w is not None:
            self.show(plain(w.toolTip()), w)
        return False

    def _inside(self, w) -> bool:
        try:
            return self.source is not None and (w is self.source or self.source.isAncestorOf(w))
        except RuntimeError:  # the control is gone
            return False

    def _menu(self, menu: QMenu, event) -> None:
        action = menu.actionAt(event.position().toPoint())
        if action is None or action.menu() is not None:
            return
        why = action_reason(action)
        if why and not action.statusTip():
            action.setStatusTip(why)  # Qt's own status line for the entry says it too
        if why and not action.isEnabled() and why != self.shown:
            # after the menu's own handling of the move, which clears the status line
            QTimer.singleShot(0, lambda w=why: self.show(w))

    def _bar(self):
        win = self.window
        return win.statusBar() if win is not None and hasattr(win, "statusBar") else None

    def show(self, text: str, source=None) -> None:
        bar = self._bar()
        if bar is not None and text:
            bar.showMessage(text, 10000)
            self.shown, self.source = text, source

    def _clear(self) -> None:
        bar = self._bar()
        if bar is not None and bar.currentMessage() == self.shown:
            bar.clearMessage()
        self.shown, self.source = "", None


def install(window) -> ReasonsInStatusBar:
    """Reasons of disabled widgets and menu entries shown in ``window``'s status bar, from
    when the filter's ``install()`` is called (the main window: once its figures are in)."""
    return ReasonsInStatusBar(window)
