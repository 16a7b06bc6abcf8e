"""Consistent online backup with the SQLite backup API, checked afterwards;
restore refuses a damaged or newer file and keeps the current one aside."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from .errors import ClaimsError
from .store.base import APP_ID
from .store.schema import HEAD
from .timeutil import now


class BackupCancelled(ClaimsError):
    pass


def backup(store, dest: Path | None = None, progress=None, cancelled=None) -> Path:
    """Copy the open database to `dest` page by page (progress(done, total) after each
    1,024 pages), check the copy, then put it in place. A cancel (cancelled() true)
    or a failure leaves no file behind and the last-backup date unchanged."""
    if dest is None:
        from .settings import data_dir
        dest = data_dir() / "backups" / f"{store.path.stem}-{now():%Y%m%d-%H%M%S}.db"
    dest = Path(dest)
    if dest.resolve() == store.path.resolve():
        raise ClaimsError("备份文件不能与数据库是同一个文件")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    def step(_status, remaining, total):
        if cancelled and cancelled():
            raise BackupCancelled("备份已取消，未生成备份文件")
        if progress:
            progress(total - remaining, total)

    target = sqlite3.connect(str(tmp))
    try:
        store.conn.backup(target, pages=1024, progress=step)
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
    except BaseException:
        target.close()
        tmp.unlink(missing_ok=True)
        raise
    else:
        target.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise ClaimsError(f"备份文件完整性检查未通过：{ok}")
    tmp.replace(dest)
    store.meta_set("last_backup", now().isoformat())
    return dest


def open_read_only(path: Path) -> sqlite3.Connection:
    """A backup file opened for reading, leaving its folder as it was.

    The name goes into a ``file:`` URI, so it is percent-escaped (a ``#`` or ``?`` in
    a folder name would otherwise end the path). A WAL-mode database gets ``-wal`` and
    ``-shm`` files beside it even from a read-only connection, and they stay after it
    closes; a backup written by ``backup()`` has no ``-wal`` of its own, so it is opened
    immutable (nothing created, nothing locked). A file that does come with a ``-wal``
    (copied from a live database) is read together with it."""
    from urllib.parse import quote
    name = Path(path).resolve().as_posix()
    uri = "file:" + ("//" if name.startswith("//") else "") + quote(name, safe="/:") + "?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def check_backup_file(path: Path) -> int:
    """The schema version of a usable backup, or a ClaimsError saying why not."""
    if not path.is_file():
        raise ClaimsError(f"找不到备份文件：{path}")
    try:
        conn = open_read_only(path)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise ClaimsError(f"{path.name} 已损坏或不是数据库文件（{e}），未恢复") from None
    if ok != "ok":
        raise ClaimsError(f"{path.name} 完整性检查未通过（{ok}），未恢复")
    if app != APP_ID:
        raise ClaimsError(f"{path.name} 不是职保通的数据库，未恢复")
    if version > HEAD:
        raise ClaimsError(f"{path.name} 的结构版本 {version} 比本程序（{HEAD}）新，请先升级程序，未恢复")
    return version


def restore(src: Path, target: Path, progress=None) -> Path | None:
    """Replace `target` by the backup `src` (checked first: damaged, foreign or newer files
    are refused). The current file is first saved beside it as …-before-restore-….db, whose
    path is returned. Close every connection to `target` before calling this."""
    check_backup_file(src)
    saved = None
    if target.exists():
        saved = target.with_name(f"{target.stem}-before-restore-{now():%Y%m%d-%H%M%S}{target.suffix}")
        live = sqlite3.connect(str(target))
        try:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            live.close()
        shutil.copy2(target, saved)
    source = open_read_only(src)
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest, pages=1024, progress=(lambda _s, remaining, total: progress(total - remaining, total))
                      if progress else None)
    finally:
        source.close()
        dest.close()
    return saved
