"""Per-installation settings: the data folder, the default database, the site id."""
from __future__ import annotations

import json
import os
from pathlib import Path

APP = "zhibaotong"
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def data_dir() -> Path:
    override = os.environ.get("ZHIBAOTONG_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP, appauthor=False))


def default_db() -> Path:
    return data_dir() / "zhibaotong.db"


def log_dir() -> Path:
    d = data_dir() / "logs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _settings_file() -> Path:
    return data_dir() / "settings.json"


def load() -> dict:
    try:
        return json.loads(_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(values: dict) -> None:
    f = _settings_file()
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(f)


def site_id() -> str:
    """Generated once per installation; part of every case number."""
    s = load()
    if not s.get("site_id"):
        import secrets  # only once per installation; its hmac import is slow
        s["site_id"] = "".join(secrets.choice(_ALPHABET) for _ in range(4))
        save(s)
    return s["site_id"]
