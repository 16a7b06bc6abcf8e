"""Long work (imports, batch printing, backups) off the GUI thread, with a
progress dialog that shows a count and an estimate and can be cancelled.
The work function gets its own SQLite connection (connections are per thread)
and must not touch widgets; it reports through ``progress(done, total)``."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from claims.i18n import _


class _Runner(QObject):
    progressed = Signal(int, int)
    finished = Signal(object, object)  # result, exception

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            result = self.fn(lambda done, total=0: self.progressed.emit(int(done), int(total or 0)),
                             self.cancel_event.is_set)
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, shown there
            self.finished.emit(None, e)
        else:
            self.finished.emit(result, None)


class _Relay(QObject):
    """Lives in the GUI thread: queued signals from the worker land here, so
    the progress dialog is only ever touched from the GUI thread."""

    def __init__(self, on_progress, on_finished):
        super().__init__()
        self._progress, self._finished = on_progress, on_finished

    @Slot(int, int)
    def progress(self, done: int, total: int) -> None:
        self._progress(done, total)

    @Slot(object, object)
    def finished(self, result, exc) -> None:
        self._finished(result, exc)


def run_task(parent: QWidget | None, title: str, fn: Callable[[Callable, Callable[[], bool]], Any],
             total: int = 0, *, cancellable: bool = True) -> Any:
    """Run ``fn(progress, cancelled)`` in a worker thread; return its result or
    raise its exception in the caller. The window stays responsive meanwhile.
    Work that cannot stop half-way (``cancellable`` false) shows no Cancel button."""
    dialog = QProgressDialog(title, _("取消"), 0, total or 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    runner = _Runner(fn)
    thread = QThread()
    runner.moveToThread(thread)
    outcome: dict = {}
    started = time.monotonic()

    def on_progress(done: int, tot: int) -> None:
        if tot:
            dialog.setMaximum(tot)
            dialog.setValue(min(done, tot))
            elapsed = time.monotonic() - started
            left = elapsed / done * (tot - done) if done else 0
            dialog.setLabelText(_("{t}：{d:,} / {n:,}，约剩 {s} 秒").format(t=title, d=done, n=tot, s=int(left)))
        else:
            dialog.setLabelText(_("{t}：已处理 {d:,}").format(t=title, d=done))

    def on_finished(result, exc) -> None:
        outcome["result"], outcome["exc"] = result, exc
        thread.quit()

    relay = _Relay(on_progress, on_finished)
    runner.progressed.connect(relay.progress)
    runner.finished.connect(relay.finished)
    dialog.canceled.connect(runner.cancel_event.set)
    thread.started.connect(runner.run)
    thread.start()
    while "exc" not in outcome:
        QApplication.processEvents()
        thread.wait(20)
    thread.wait()
    dialog.close()
    if outcome["exc"] is not None:
        raise outcome["exc"]
    return outcome["result"]
