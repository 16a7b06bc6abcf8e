"""Personal data at rest: what the program writes is its owner's only.

On POSIX, files are created 0600 and folders 0700 (the database and its
-wal/-shm, which SQLite creates with the database file's own mode; backups,
logs, settings, keys, attachments, exports). On Windows nothing is changed:
files under the user's profile (%LOCALAPPDATA%) already carry an ACL that
admits only that user, the administrators and SYSTEM.

Half-written files go to a temporary name beside the target and replace it
only when complete; they are removed on failure and, should the program stop
on the way, at exit. Copies of attachments opened for viewing live in one
private temporary folder that is removed when the program closes."""
from __future__ import annotations

import atexit
import os
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

POSIX = os.name == "posix"
FILE_MODE = 0o600
DIR_MODE = 0o700

_lock = threading.Lock()
_pending: set[Path] = set()  # temporary files still being written
_session_dir: Path | None = None


def _owned(path: Path) -> bool:
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False


def restrict(path: str | Path, mode: int = FILE_MODE) -> None:
    """Make an existing file (or folder, with DIR_MODE) private to its owner;
    only files the current user owns are touched, and nothing on Windows."""
    p = Path(path)
    if not POSIX or not _owned(p):
        return
    try:
        if stat.S_IMODE(p.stat().st_mode) & ~mode:
            p.chmod(mode)
    except OSError:
        pass  # a read-only medium: nothing we can (or need to) change


def private_dir(path: str | Path) -> Path:
    """The folder, created if missing, readable by its owner only."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    restrict(p, DIR_MODE)
    return p


def create_private(path: str | Path) -> bool:
    """Create an empty file readable by its owner only; False when it exists already."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def open_private(path: str | Path, mode: str = "wb"):
    """Open a new (or truncated) file for writing, readable by its owner only."""
    flags = os.O_CREAT | os.O_WRONLY | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    restrict(path)
    return os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"}))


def track(path: Path) -> None:
    with _lock:
        _pending.add(Path(path))


def untrack(path: Path) -> None:
    with _lock:
        _pending.discard(Path(path))


@contextmanager
def private_output(target: str | Path, suffix: str = ".part") -> Iterator[Path]:
    """Write ``target`` through a temporary file beside it: yields the temporary
    path; on success it replaces the target, on any failure it is removed."""
    target = Path(target)
    tmp = target.with_name(target.name + suffix)
    track(tmp)
    try:
        if not create_private(tmp):  # left over from an earlier failure
            restrict(tmp)
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)
        untrack(tmp)
    restrict(target)


def write_private(target: str | Path, data: bytes | str) -> None:
    """Write a small file whole (settings, keys, anchors): never half-written."""
    with private_output(target, suffix=f".{os.getpid()}-{threading.get_ident()}.tmp") as tmp:
        with open_private(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)


def session_dir() -> Path:
    """A private temporary folder for this run (copies of attachments opened for
    viewing); removed when the program exits."""
    import tempfile
    global _session_dir
    with _lock:
        if _session_dir is None or not _session_dir.exists():
            _session_dir = Path(tempfile.mkdtemp(prefix="zhibaotong-"))  # 0700 already
    return _session_dir


def cleanup() -> None:
    """Remove unfinished temporary files and this run's private temporary folder."""
    global _session_dir
    with _lock:
        pending = list(_pending)
        _pending.clear()
        folder, _session_dir = _session_dir, None
    for p in pending:
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
    if folder is not None:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(cleanup)


def save_file(target: str | Path, data: bytes) -> Path:
    """Write an export or a printout whole, the owner's only (claims/savefile.py)."""
    from .savefile import save_bytes
    return save_bytes(target, data)
