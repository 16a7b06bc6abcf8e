"""Where shipped data lives (also inside a PyInstaller bundle)."""
from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path


def resources_dir() -> Path:
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@lru_cache(maxsize=None)
def load_json(relative: str):
    return json.loads((resources_dir() / relative).read_text(encoding="utf-8"))
