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


@pytest.fixture(autouse=True)
def _no_dialog_waits_forever(qapp):
    """A modal dialog (a message box the test did not expect) would wait for a click that
    never comes. One still open after a minute is closed, and the test fails with its text."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    import time
    seen: dict = {"w": None, "since": 0.0, "stuck": []}

    def look():
        w = QApplication.activeModalWidget()
        if w is None or w is not seen["w"]:
            seen["w"], seen["since"] = w, time.monotonic()
            return
        if time.monotonic() - seen["since"] > 60:
            text = w.text() if isinstance(w, QMessageBox) else w.windowTitle()
            seen["stuck"].append(f"{type(w).__name__}: {text}")
            w.reject()
            seen["w"] = None
    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(1000)
    yield
    timer.stop()
    assert not seen["stuck"], f"a modal dialog waited for a click: {seen['stuck']}"
