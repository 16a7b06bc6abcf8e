"""One program per database: a lock file beside the database (``<name>.db.lock``)
held with an exclusive operating-system lock while the program has the database
open. A second copy finds it taken and is told who holds it (computer, user,
since when), so it can open the database read-only or not at all. The lock goes
with the process that held it, so a crash never leaves a stale lock."""
from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from .timeutil import now_iso


@dataclass
class Holder:
    host: str = ""
    user: str = ""
    pid: int = 0
    since: str = ""


class DatabaseLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock")
        self._fh = None

    def acquire(self) -> bool:
        """True: this process now holds the lock (until release() or exit)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            _lock(fh)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        info = {"host": socket.gethostname(), "user": _user(), "pid": os.getpid(), "since": now_iso()}
        fh.write(json.dumps(info, ensure_ascii=False).encode("utf-8").ljust(256))
        fh.flush()
        self._fh = fh
        return True

    def holder(self) -> Holder:
        """Who holds the lock (as far as its file says)."""
        try:
            data = json.loads(self.path.read_bytes().decode("utf-8", "replace").strip() or "{}")
        except (OSError, ValueError):
            return Holder()
        return Holder(str(data.get("host", "")), str(data.get("user", "")), int(data.get("pid", 0) or 0),
                      str(data.get("since", "")))

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is no reason to refuse the lock
        return ""


if os.name == "nt":
    import msvcrt

    # a byte past the holder's details, so a second copy can still read who holds it
    def _lock(fh) -> None:
        fh.seek(1024)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh) -> None:
        fh.seek(1024)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
