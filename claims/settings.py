"""Per-installation settings: the data folder, the default database, the site id."""
from __future__ import annotations

import json
import os
from pathlib import Path

APP = "zhibaotong"
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def data_dir() -> Path:
    """The per-user data folder (``ZHIBAOTONG_HOME`` overrides it). Created readable by
    its owner only (0700 on POSIX; on Windows the profile's own ACL applies)."""
    override = os.environ.get("ZHIBAOTONG_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP, appauthor=False))


def private_data_dir(*parts: str) -> Path:
    """The data folder (or a folder in it), created and kept private to its owner."""
    from .private import private_dir
    base = private_dir(data_dir())
    return private_dir(base.joinpath(*parts)) if parts else base


def default_db() -> Path:
    return data_dir() / "zhibaotong.db"


def log_dir() -> Path:
    return private_data_dir("logs")


def _settings_file() -> Path:
    return data_dir() / "settings.json"


def load() -> dict:
    try:
        return json.loads(_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(values: dict) -> None:
    from .private import write_private
    private_data_dir()
    write_private(_settings_file(), json.dumps(values, ensure_ascii=False, indent=2))


def site_id() -> str:
    """Generated once per installation; part of every case number."""
    s = load()
    if not s.get("site_id"):
        import secrets  # only once per installation; its hmac import is slow
        s["site_id"] = "".join(secrets.choice(_ALPHABET) for _ in range(4))
        save(s)
    return s["site_id"]
