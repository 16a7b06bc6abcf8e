"""Modules loaded on first attribute access.

The pydantic models cost about a tenth of a second to import; the store needs
them only when it validates a write, never to open a file or list rows. Store
modules therefore refer to `models.Worker(...)` through a lazily loaded module,
and the main window appears without waiting for pydantic."""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module `name`, loaded when one of its attributes is first read.
    Already imported modules are returned as they are."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
