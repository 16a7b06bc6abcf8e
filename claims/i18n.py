"""The one translation function. Chinese is the source language; an English
catalogue can be added later by filling ``_CATALOGUE``."""
from __future__ import annotations

_CATALOGUE: dict[str, str] = {}


def _(text: str) -> str:
    """Translate a user-visible string. Never pass an f-string: format after."""
    return _CATALOGUE.get(text, text)
