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


@pytest.fixture(autouse=True)
def _crash_dialog_fails_the_test(monkeypatch):
    """The crash dialog is modal: under a test it would wait for a click that never
    comes and hang the run. An unexpected error fails the test that caused it instead."""
    import ui.errors

    def crash(etype, value, tb):
        raise AssertionError(f"the program would show its crash dialog: {etype.__name__}: {value}").with_traceback(tb)
    monkeypatch.setattr(ui.errors, "show_crash", crash)
