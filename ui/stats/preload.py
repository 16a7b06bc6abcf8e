"""Import matplotlib in a background thread while the first figures are
queried (SQLite releases the GIL), so the charts follow the tables quickly.

Only imports run in the thread, no widget is touched. The GUI thread calls
``wait()`` before its own first matplotlib import: two threads importing the
same package at once can see a half-initialised module."""
from __future__ import annotations

import sys
import threading

_thread: threading.Thread | None = None
MODULES = ("matplotlib", "matplotlib.figure", "matplotlib.font_manager", "matplotlib.backends.backend_agg",
           "matplotlib.backends.backend_qtagg")


def _work() -> None:
    import importlib
    for name in MODULES:
        importlib.import_module(name)


def start() -> None:
    global _thread
    if _thread is None and "matplotlib.backends.backend_qtagg" not in sys.modules:
        _thread = threading.Thread(target=_work, name="preload-matplotlib", daemon=True)
        _thread.start()


def wait() -> None:
    if _thread is not None:
        _thread.join()
