"""Backups that hold everything, and restores that put everything back.

A backup is one file (``.zbk``, a zip): ``database.db`` (a consistent copy made
with SQLite's backup API while people keep working), every attached file as
``files/xx/<sha256>``, ``anchor.json`` (the audit chain's head of that copy,
signed with the site key: claims/store/anchor.py) and ``manifest.json`` listing
each member with its SHA-256. It is checked after writing — the copy's
integrity check, then every member read back against its hash — and only then
put in place. ``backup`` never overwrites a file unless told to (``force``),
and never one that is not a backup of ours.

A backup of an encrypted database (claims/store/keyring.py) is encrypted too:
``database.db`` is the encrypted page image and ``keys.json`` the users' wraps of
its key, so the same users unlock it with their passwords. Checking or restoring
it needs its key: the open database's, when it is the same key, or else a user
name and password of the backup (``credentials``).

Restore reads such a file, or a plain ``.db`` made by earlier versions. The file
is checked first (damaged, foreign or newer files are refused); the current
database is kept beside it as ``…-before-restore-….db`` (with its anchor),
copied with the backup API so that every commit is in it, even those still in
the -wal file while another program reads; then the backup's database, its
files and its anchor are put in place. An encrypted database stays encrypted
with its own key whatever the backup (the restored users get ``login`` wraps of
it); a plain one restored from an encrypted backup becomes encrypted with the
backup's key and keys."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ClaimsError, LockedDatabase, database_problem
from .private import private_dir, private_output, restrict, track, untrack, write_private
from .store import db as sqlite
from .store import keyring
from .store.base import APP_ID, copy_database
from .store.schema import HEAD
from .timeutil import now, now_iso

FORMAT = "zhibaotong-backup/1"
SUFFIX = ".zbk"
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20


class BackupCancelled(ClaimsError):
    pass


@dataclass
class BackupInfo:
    """What a backup file holds, once checked."""
    path: Path
    schema_version: int
    legacy: bool = False  # a plain SQLite copy made by an earlier version (no attachments, no anchor)
    created_at: str = ""
    files: list[dict] = field(default_factory=list)
    anchor: bytes | None = None
    key: bytes | None = None  # the data key of an encrypted backup
    keys: bytes | None = None  # its keys file


def default_path(store) -> Path:
    from .settings import private_data_dir
    return private_data_dir("backups") / f"{store.path.stem}-{now():%Y%m%d-%H%M%S}{SUFFIX}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _magic(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(16)
    except OSError:
        return b""


def is_our_backup(path: Path) -> bool:
    """A backup made by this program (either format): the only kind ``force`` may overwrite."""
    magic = _magic(path)
    if magic.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                return json.loads(z.read("manifest.json")).get("format") == FORMAT
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            return False
    if magic == SQLITE_MAGIC:
        try:
            conn = open_read_only(path)
            try:
                return conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
            finally:
                conn.close()
        except sqlite.ERRORS:
            return False
    return False


def backup(store, dest: Path | None = None, progress=None, cancelled=None, *, force: bool = False,
           problems: list[str] | None = None, wait: float = 60.0) -> Path:
    """Write a backup of the open database and its attached files to ``dest``.
    progress(done, total): pages while the database is copied, then bytes while
    the file is written. A cancel (cancelled() true) or a failure leaves no file
    behind and the last-backup date unchanged. Attached files that are missing or
    changed cannot be saved: they are named in ``problems`` (the backup holds the rest)."""
    dest = Path(dest) if dest is not None else default_path(store)
    if dest.resolve() == store.path.resolve():
        raise ClaimsError("备份文件不能与数据库是同一个文件")
    if dest.exists():
        if not force:
            raise ClaimsError(f"{dest} 已存在，未覆盖（确要覆盖这份备份，请加 --force）")
        if not is_our_backup(dest):
            raise ClaimsError(f"{dest} 不是职保通的备份文件，不会覆盖它；请换一个文件名")
    if not dest.parent.exists():
        private_dir(dest.parent)
    snapshot = dest.with_name(dest.name + ".db-part")
    track(snapshot)
    try:
        _write(store, dest, snapshot, progress, cancelled, problems if problems is not None else [], wait)
    except BaseException as e:
        problem = database_problem(e, dest) if isinstance(e, OSError) else None
        if problem is not None:
            raise problem from e
        raise
    finally:
        snapshot.unlink(missing_ok=True)
        untrack(snapshot)
    restrict(dest)
    if not store.read_only:
        try:
            store.meta_set("last_backup", now().isoformat())
        except sqlite.ERRORS:
            pass  # the backup is made; the date shows at the next one
    return dest


def open_read_only(path: Path, key: bytes | None = None) -> sqlite.Connection:
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
    return sqlite.connect(uri, read_only=True, uri=True, key=key)


def _write(store, dest: Path, snapshot: Path, progress, cancelled, problems: list[str], wait: float) -> None:
    from .store import anchor
    from .store.import_report import Cancelled
    from .store.integrity import attached, file_sha256, stored_file
    try:
        copy_database(store.conn, snapshot, progress=progress, cancelled=cancelled, timeout=wait)
    except Cancelled:
        raise BackupCancelled("备份已取消，未生成备份文件") from None
    conn = sqlite.connect(snapshot, key=store.data_key)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise ClaimsError(f"数据库完整性检查未通过（{ok}），未生成备份。请先处理数据库的问题（check 命令）")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        head = anchor.chain_head(conn)
        files = list(attached(conn))
        dbid = (conn.execute("SELECT value FROM meta WHERE key = 'database.id'").fetchone() or [""])[0]
    finally:
        conn.close()
    signed = None
    if store._site_key is not None:  # sign the copy's head afresh
        signed = anchor.make(store._site_key, dbid, [head], now_iso())
    else:  # the anchor beside the database, if it vouches for this very head
        current = anchor.read(anchor.anchor_path(store.path))
        try:
            if current is not None and head in anchor.parse(current).heads:
                signed = current
        except ValueError:
            pass
    members, total = [], snapshot.stat().st_size
    for digest, number, name in files:
        path = stored_file(store.path, digest)
        if not path.is_file():
            problems.append(f"案件 {number} 的材料文件“{name}”缺失，未能备份")
        elif file_sha256(path) != digest:
            problems.append(f"案件 {number} 的材料文件“{name}”已被替换或改动，未备份这份改动过的文件")
        else:
            members.append((digest, path))
            total += path.stat().st_size
    manifest = {"format": FORMAT, "created_at": now_iso(), "schema_version": version,
                "site": store.meta_get("site.id") or store.site_id,
                "database": {"name": "database.db", "sha256": _sha256(snapshot), "size": snapshot.stat().st_size},
                "files": [{"sha256": d, "size": p.stat().st_size} for d, p in members],
                "anchor": "anchor.json" if signed else None}
    keys = keyring.keys_path(store.path).read_bytes() if store.data_key else None
    if keys is not None:  # the users unlock the backup as they unlock the database
        manifest["keys"] = "keys.json"
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if cancelled and cancelled():
            raise BackupCancelled("备份已取消，未生成备份文件")
        if progress:
            progress(done, total)

    with private_output(dest) as tmp:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as z:
            _add(z, snapshot, "database.db", zipfile.ZIP_DEFLATED, step)
            for digest, path in members:  # scans and photos are compressed already
                _add(z, path, f"files/{digest[:2]}/{digest}", zipfile.ZIP_STORED, step)
            if signed:
                z.writestr("anchor.json", signed)
            if keys is not None:
                z.writestr("keys.json", keys)
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        _verify_zip(tmp)  # read back: every member against its hash
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())


def _add(z: zipfile.ZipFile, src: Path, name: str, compression: int, step) -> None:
    info = zipfile.ZipInfo(name, now().timetuple()[:6])
    info.compress_type = compression
    if compression == zipfile.ZIP_DEFLATED:  # level 1: four times smaller at disk speed
        if hasattr(info, "compress_level"):  # Python 3.13+
            info.compress_level = 1
        else:
            info._compresslevel = 1  # noqa: SLF001 - the same field before 3.13
    with open(src, "rb") as fin, z.open(info, "w", force_zip64=True) as fout:
        for block in iter(lambda: fin.read(CHUNK), b""):
            fout.write(block)
            step(len(block))


def _manifest(z: zipfile.ZipFile, name: str) -> dict:
    try:
        m = json.loads(z.read("manifest.json"))
    except (KeyError, ValueError):
        raise ClaimsError(f"{name} 不是职保通的备份文件（没有备份清单），未恢复") from None
    if m.get("format") != FORMAT:
        raise ClaimsError(f"{name} 不是本程序认得的备份格式，未恢复")
    return m


def _member_sha256(z: zipfile.ZipFile, name: str) -> str:
    h = hashlib.sha256()
    with z.open(name) as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _verify_zip(path: Path) -> dict:
    """Every member of a backup read back against the hash its manifest gives; the manifest."""
    try:
        with zipfile.ZipFile(path) as z:
            m = _manifest(z, path.name)
            db = m["database"]
            if _member_sha256(z, db["name"]) != db["sha256"]:
                raise ClaimsError(f"{path.name} 中的数据库与备份清单不符（文件已损坏），未恢复")
            for f in m["files"]:
                d = f["sha256"]
                if _member_sha256(z, f"files/{d[:2]}/{d}") != d:
                    raise ClaimsError(f"{path.name} 中的材料文件 {d[:12]}… 与其哈希不符（文件已损坏），未恢复")
            return m
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError) as e:
        raise ClaimsError(f"{path.name} 已损坏（{e}），未恢复") from None


class BackupLocked(LockedDatabase):
    """An encrypted backup whose key is not the open database's: a user name and password of it are needed."""


def _backup_key(kf: keyring.KeyFile, label: str, key: bytes | None, credentials) -> bytes:
    """The data key of an encrypted backup: the one given or a database's unlocked in this
    process, if it is the same key; otherwise unwrapped with ``credentials()``."""
    for k in ([key] if key else []) + sqlite.known_keys():
        if keyring.key_id(k) == kf.key_id:
            return k
    if credentials is None:
        raise BackupLocked(f"备份 {label} 是加密的，且不是用当前数据库的密钥加密的：请输入备份中某个用户的用户名和密码"
                           "（命令行：--user 用户名 与 --password-stdin）")
    user, password = credentials()
    found = kf.unwrap(user.strip(), password)
    if found is None:
        raise BackupLocked(f"用户名或密码不能打开加密的备份 {label}（须是备份时该数据库的用户及其当时的密码）")
    return found


def _check_sqlite(db: Path, label: str, key: bytes | None = None) -> int:
    try:
        conn = open_read_only(db, key)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite.ERRORS as e:
        raise ClaimsError(f"{label} 已损坏或不是数据库文件（{e}），未恢复") from None
    if ok != "ok":
        raise ClaimsError(f"{label} 完整性检查未通过（{ok}），未恢复")
    if app != APP_ID:
        raise ClaimsError(f"{label} 不是职保通的数据库，未恢复")
    if version > HEAD:
        raise ClaimsError(f"{label} 的结构版本 {version} 比本程序（{HEAD}）新，请先升级程序，未恢复")
    return version


def check_backup(path: Path, workdir: Path | None = None, *, key: bytes | None = None,
                 credentials=None) -> BackupInfo:
    """Check a backup file whole; with ``workdir``, its database is left there as database.db.
    An encrypted backup is opened with ``key`` or a key unlocked in this process when it
    is the same, else with ``credentials()`` → (user name, password) of the backup."""
    path = Path(path)
    if not path.is_file():
        raise ClaimsError(f"找不到备份文件：{path}")
    magic = _magic(path)
    if magic == SQLITE_MAGIC or not magic.startswith(ZIP_MAGIC):
        keys = None  # a copy of an encrypted database (before-restore, before-migrate) has its keys beside it
        if magic != SQLITE_MAGIC and keyring.keys_path(path).is_file():
            keys = keyring.keys_path(path).read_bytes()
            key = _backup_key(keyring.KeyFile.parse(keys, keyring.keys_path(path)), path.name, key, credentials)
        else:
            key = None
        version = _check_sqlite(path, path.name, key)
        if workdir is not None:
            old = open_read_only(path, key)
            try:
                copy_database(old, workdir / "database.db")
            finally:
                old.close()
        return BackupInfo(path, version, legacy=True, key=key, keys=keys)
    m = _verify_zip(path)
    if int(m.get("schema_version", 0)) > HEAD:
        raise ClaimsError(f"{path.name} 的结构版本 {m['schema_version']} 比本程序（{HEAD}）新，请先升级程序，未恢复")
    keys = None
    if m.get("keys"):
        with zipfile.ZipFile(path) as z:
            keys = z.read(m["keys"])
        key = _backup_key(keyring.KeyFile.parse(keys, Path(m["keys"])), path.name, key, credentials)
    else:
        key = None
    import tempfile
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        target = (workdir or Path(scratch)) / "database.db"
        with zipfile.ZipFile(path) as z:
            with z.open(m["database"]["name"]) as fin, open(target, "wb") as fout:
                shutil.copyfileobj(fin, fout, CHUNK)
            anchor_bytes = z.read(m["anchor"]) if m.get("anchor") else None
        restrict(target)
        version = _check_sqlite(target, path.name, key)
    return BackupInfo(path, version, created_at=m.get("created_at", ""), files=m["files"], anchor=anchor_bytes,
                      key=key, keys=keys)


def check_backup_file(path: Path, credentials=None) -> int:
    """The schema version of a usable backup, or a ClaimsError saying why not
    (BackupLocked: an encrypted backup that needs ``credentials``)."""
    return check_backup(path, credentials=credentials).schema_version


def _rekey_file(path: Path, old: bytes | None, new: bytes | None) -> None:
    """Re-encrypt a database file that no one else has open (``None``: plain)."""
    conn = sqlite.connect(path, key=old)
    try:
        if conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() != "delete":
            raise ClaimsError(f"另一程序正在使用数据库 {path}：请先关闭它，再恢复")
        try:
            sqlite.apply_key(conn.raw, new, rekey=True)
        except sqlite.apsw.Error as e:
            raise sqlite.translate(e) from e
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _login_wraps(db: Path, key: bytes) -> bytes:
    """A keys file for ``key`` with a ``login`` wrap for each active user of the database at ``db``."""
    kf = keyring.new_keys(key, keyring.keys_path(db))
    conn = sqlite.connect(db, read_only=True, key=key)
    try:
        for name, pw_hash in conn.execute("SELECT username, password_hash FROM users WHERE active = 1"
                                          " AND password_hash != ''"):
            kf.wrap_login(name, pw_hash, key)
    finally:
        conn.close()
    return kf.dumps()


def restore(src: Path, target: Path, progress=None, *, credentials=None) -> Path | None:
    """Replace ``target`` by the backup ``src`` (checked first: damaged, foreign or
    newer files are refused). The current database is saved beside it first as
    …-before-restore-….db, whose path is returned. Attached files are added to the
    files folder (none is removed: the safety copy may need them). Close every
    connection of this program to ``target`` before calling this."""
    from .store import anchor
    from .store.integrity import files_dir, stored_file
    src, target = Path(src), Path(target)
    work = target.with_name(target.name + ".restore-part")
    shutil.rmtree(work, ignore_errors=True)
    private_dir(work)
    try:
        encrypted = keyring.is_encrypted(target)
        target_key = sqlite.key_for(target) if encrypted else None
        if encrypted and target_key is None:
            from .errors import LOCKED_MSG
            raise LockedDatabase(LOCKED_MSG.format(path=target))
        info = check_backup(src, work, key=target_key, credentials=credentials)
        staged = work / "database.db"
        saved = None
        if target.exists():
            saved = target.with_name(f"{target.stem}-before-restore-{now():%Y%m%d-%H%M%S}{target.suffix}")
            live = sqlite.connect(target, key=target_key)
            try:  # every commit, including those still in the -wal file while another program reads
                copy_database(live, saved)
            finally:
                live.close()
            old_anchor = anchor.read(anchor.anchor_path(target))
            if old_anchor is not None:
                anchor.write(anchor.anchor_path(saved), old_anchor)
            if target_key is not None:  # the safety copy opens with the same passwords
                write_private(keyring.keys_path(saved), keyring.keys_path(target).read_bytes())
        key, keys = info.key, info.keys
        if target_key is not None and info.key != target_key:
            # an encrypted database stays encrypted with its own key: the backup is re-encrypted with it
            _rekey_file(staged, info.key, target_key)
            key, keys = target_key, _login_wraps(staged, target_key)
        elif target_key is None and info.key is not None and target.exists() and target.stat().st_size:
            # a plain database restored from an encrypted backup takes the backup's key (and keys)
            write_private(keyring.keys_path(target), keys)
            _rekey_file(target, None, info.key)
        source = sqlite.connect(staged, key=key)
        dest = sqlite.connect(target, key=key)
        try:
            source.backup_to(dest, pages=1024, step=(lambda _b, remaining, total: progress(total - remaining, total))
                             if progress else None)
        finally:
            source.close()
            dest.close()
        if not info.legacy:
            with zipfile.ZipFile(src) as z:
                for f in info.files:
                    d = f["sha256"]
                    out = stored_file(target, d)
                    if out.is_file() and _sha256(out) == d:
                        continue
                    private_dir(files_dir(target))
                    private_dir(out.parent)
                    with private_output(out) as tmp:
                        with z.open(f"files/{d[:2]}/{d}") as fin, open(tmp, "wb") as fout:
                            shutil.copyfileobj(fin, fout, CHUNK)
                        if _sha256(tmp) != d:
                            raise ClaimsError(f"恢复材料文件 {d[:12]}… 时内容不符，未完成")
        if info.anchor is not None:
            anchor.write(anchor.anchor_path(target), info.anchor)
        else:  # an old backup: the program signs it when it first opens it (and says so in the log)
            anchor.anchor_path(target).unlink(missing_ok=True)
        if keys is not None:
            write_private(keyring.keys_path(target), keys)
        else:
            keyring.keys_path(target).unlink(missing_ok=True)
        sqlite.set_key(target, key)
        return saved
    finally:
        shutil.rmtree(work, ignore_errors=True)
