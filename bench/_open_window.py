"""Runner for bench/startup.py: start, show one window, quit on the first turn
of the event loop after it is shown, and print how long that took.

    python bench/_open_window.py app DB T0     # the real main window on DB
    python bench/_open_window.py bare - T0     # baseline: a bare QMainWindow with a QTableView

T0 is the parent's time.time() just before it started this process, so the
printed figures run from process start (interpreter start-up included). Prints
"shown <seconds>" once the window has been painted for the first time (what the
user sees) and "ready <seconds>" once the home screen's figures are filled in
(for the bare window, when it is painted), then "pydantic 0|1": whether
pydantic had been loaded by then, and for the app "settled" once what was left
until the figures were on screen is done too (menu shortcuts, the home lists'
sorting, the status-bar reasons' event filter: MainWindow._after_figures).

The app path is main.py's GUI start without the login dialog (which waits for
a person): main.version(), logging, QApplication, the typeface, the crash
handler, the store, MainWindow for the administrator, show — the same calls
ui.app.run_gui makes. ui is loaded by name: this file is an entry point like
main.py, and tests/test_layers.py keeps `import ui` out of bench/.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shown_then_quit(app, window, t0: float, ready_signal=None, settled_signal=None) -> int:
    """Show the window; print "shown" when it is first painted (what the user sees) and
    "ready" when its figures are in (ready_signal, or the first paint when there is none);
    then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        if name not in marks:
            marks[name] = time.time() - t0
            print(f"{name} {marks[name]:.4f}", flush=True)
            if name == "ready":  # what the home screen needed loaded (pydantic: ~110 ms of imports)
                print(f"pydantic {int('pydantic' in sys.modules)}", flush=True)
        if "shown" in marks and "ready" in marks and (settled_signal is None or "settled" in marks):
            QTimer.singleShot(0, app.quit)

    class FirstPaint(QObject):
        # on the window and the widgets it holds when shown, not on the application: an
        # application-wide filter written in Python is called for every event of every widget,
        # and would slow the window it measures (the more widgets, the more: up to five times
        # for a table being built). Whichever of them paints first, the mark is set after the
        # paint of the whole window (the next turn of the event loop).
        def eventFilter(self, obj, event):
            if "shown" not in marks and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, lambda: (mark("shown"), ready_signal is None and mark("ready")))
            return False

    from PySide6.QtWidgets import QWidget
    spy = FirstPaint()
    for w in (window, *window.findChildren(QWidget)):
        w.installEventFilter(spy)
    if ready_signal is not None:
        ready_signal.connect(lambda: mark("ready"))
    if settled_signal is not None:
        settled_signal.connect(lambda: mark("settled"))
    window.show()
    return app.exec()


def fail(etype, value, tb) -> None:
    import os
    import traceback
    traceback.print_exception(etype, value, tb)
    sys.stderr.flush()
    os._exit(3)


def bare(t0: float) -> int:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(50, 5)
    for r in range(50):
        for c in range(5):
            model.setItem(r, c, QStandardItem(f"{r}-{c}"))
    window = QMainWindow()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 760)
    return shown_then_quit(app, window, t0)


def real(db: str, t0: float) -> int:
    import argparse
    from importlib import import_module

    import main as entry

    version = entry.version()
    log = entry.setup_logging()
    import_module("claims.store")  # before PySide6, as ui.app.run_gui does (PySide6's import hook slows later imports)
    from PySide6.QtWidgets import QApplication

    ui_app = import_module("ui.app")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("zhibaotong")
    app.setApplicationDisplayName("职保通")
    import_module("ui.fonts").install_font(app)
    import_module("ui.translations").install_translator(app)
    import_module("ui.errors").install_excepthook(log)
    sys.excepthook = fail  # a crash must end the run, not wait in the crash dialog
    args = argparse.Namespace(db=db, demo=False, command=None)
    store = ui_app.open_store(args)
    print(f"warning {int(bool(store.identity_problem))}", flush=True)  # opened into the signing warning
    from claims.store.base import Actor, _issue  # as a login would hand it
    window = ui_app.open_main_window(args, version, store=store, actor=_issue(Actor("admin", role="admin")))
    return shown_then_quit(app, window, t0, ready_signal=window.sections[0].badge_changed,
                           settled_signal=window.settled)


if __name__ == "__main__":
    kind, db, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    sys.exit(bare(t0) if kind == "bare" else real(db, t0))
