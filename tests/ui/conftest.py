import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture
def type_into(qtbot):
    """Type text into a widget as a user does; Chinese arrives as an input method
    commits it (qtbot.keyClicks aborts on characters outside ASCII)."""
    def type_(widget, text: str) -> None:
        if text.isascii():
            qtbot.keyClicks(widget, text)
        else:
            ev = QInputMethodEvent("", [])
            ev.setCommitString(text)
            QApplication.sendEvent(widget, ev)
    return type_
