"""The store's foundation: the connection, migrations, transactions, row
writes with their audit entries. The only place (with its siblings) with SQL."""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from ..change import Change
from ..errors import (LOCKED_MSG, READ_ONLY_MSG, ClaimsError, DamagedDatabase, DatabaseBusy, DatabaseError,
                      ForeignDatabase, LockedDatabase, NotFound, ReadOnlyDatabase, StaleRecord, database_problem)
from ..lazy import lazy_import
from ..private import create_private, private_dir, restrict, write_private
from ..timeutil import now_iso
from . import db as sqlite
from . import keyring
from .anchor import Head, anchor_path, chain_head
from .schema import ADDED_COLUMN_DEFAULTS, DERIVED_COLUMNS, HEAD, MIGRATIONS

APP_ID = 0x5A425447  # "ZBTG": marks the file as ours
hashlib = lazy_import("hashlib")  # OpenSSL's library and uuid's platform probe: not needed to open a file
uuid = lazy_import("uuid")


_ISSUED = object()  # held here only: an Actor carrying it came from a login or the command line's OS user


@dataclass(frozen=True)
class Actor:
    """Who does something. Headless commands act as ``cli:<os user>``.

    The program's own actors come from a successful login (claims/store/users.py)
    or, for headless commands, from the operating-system user (``cli_actor``):
    those are ``issued``. The GUI accepts no other (ui/context.py): a free
    ``Actor(...)`` serves the core's own system entries and tests only."""

    username: str
    role: str = "admin"
    platform_id: str | None = None
    station_id: str | None = None
    display_name: str = ""
    _proof: object = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return self.display_name or self.username

    @property
    def issued(self) -> bool:
        return self._proof is _ISSUED


def _issue(actor: Actor) -> Actor:
    """For the login and the command line only (and tests, which make users without passwords)."""
    return replace(actor, _proof=_ISSUED)


class _TimeOrderedIds:
    """UUIDs in the version 7 layout (milliseconds, a counter, random bits):
    rows written together sit together in the key indexes, which makes bulk
    inserts several times cheaper than random UUIDs. ``block(n)`` gives n of
    them at once for the bulk paths: one (milliseconds, counter) slot, then
    consecutive values from a random start in the 62 random bits (RFC 9562's
    monotonic random), without a system call per row."""

    def __init__(self):
        import threading
        self._lock = threading.Lock()
        self._last = (0, 0)

    @cached_property
    def _rng(self):
        import random  # on the first id, not at start-up
        return random.SystemRandom()

    def _slot(self) -> tuple[int, int]:
        import time
        with self._lock:
            ms = time.time_ns() // 1_000_000
            last_ms, n = self._last
            if ms <= last_ms:
                ms, n = (last_ms, n + 1) if n < 0xFFF else (last_ms + 1, 0)
            else:
                n = 0
            self._last = (ms, n)
        return ms, n

    def __call__(self) -> str:
        ms, n = self._slot()
        value = (ms << 80) | (0x7 << 76) | (n << 64) | (0b10 << 62) | self._rng.getrandbits(62)
        return f"{value:032x}"

    def block(self, count: int) -> list[str]:
        """``count`` new ids, in increasing order."""
        ms, n = self._slot()
        head = f"{(ms << 16) | (0x7 << 12) | n:016x}"
        low = (0b10 << 62) | self._rng.randrange((1 << 62) - count)
        return [head + f"{v:016x}" for v in range(low, low + count)]

    def stream(self, size: int = 5000) -> Iterator[str]:
        """Ids one at a time, made ``size`` at a time."""
        while True:
            yield from self.block(size)


new_id = _TimeOrderedIds()


def canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def row_digest(row: dict | None) -> str:
    """The digest the audit log keeps of a row. A column added by a later migration
    is left out while it holds its default (schema.ADDED_COLUMN_DEFAULTS), so a row
    written before the column existed still matches its last audit entry."""
    if row is None:
        return "deleted"
    row = {k: v for k, v in row.items() if k not in DERIVED_COLUMNS
           and (k not in ADDED_COLUMN_DEFAULTS or v != ADDED_COLUMN_DEFAULTS[k])}
    return hashlib.sha256(canonical(row).encode()).hexdigest()


class StoreBase:
    capture_paused = False  # applying a package or migrating keys: the writes are not this site's changes
    _captured_rows = 0  # capture_checkpoint(): a bulk import's rows read when its changes last went to the outbox
    _session = None  # the change capture of the write transaction in progress (claims/store/exchange/capture.py)
    read_only = False  # the file or its folder cannot be written (or opened_read_only): reading only
    opened_read_only = False  # another copy of the program has the file open: look, do not change
    damaged: str | None = None  # SQLite found a damaged page: writing stops (the message why)
    identity_problem: str | None = None  # why the audit chain is not being signed (claims/store/anchor.py)
    _site_key = None
    _anchor_cache = None  # (anchor file's bytes, its parsed Anchor): claims/store/identity.py

    def __init__(self, path: str | Path, site_id: str = "LOCAL", *, create: bool = False,
                 migrate: bool = True, read_only: bool = False):
        self.path = Path(path)
        self.site_id = site_id
        self.opened_read_only = read_only  # another copy of the program has it open: look, do not change
        exists = self.path.exists()
        if not create and not exists:
            raise DatabaseError(f"数据库文件不存在：{self.path}（请先用 init 或 demo 命令创建）")
        try:
            if not self.path.parent.exists():
                private_dir(self.path.parent)
            if not exists:
                create_private(self.path)  # SQLite gives -wal and -shm the database file's own mode
        except OSError as e:
            raise database_problem(e, self.path) or DatabaseError(f"无法创建数据库 {self.path}：{e}") from None
        self.read_only = read_only or not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        if sqlite.key_for(self.path) is None and keyring.is_encrypted(self.path):
            raise LockedDatabase(LOCKED_MSG.format(path=self.path))
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.Error as e:
            raise self._unreadable(e) from None
        if app_id != APP_ID and (version or objects):
            conn.close()  # never touched: not even the journal mode
            raise ForeignDatabase(f"{self.path} 不是职保通的数据库（是其他程序的 SQLite 文件），未做任何改动。"
                                  "请选择职保通的数据库，或用 init 新建一个。")
        if version > HEAD:
            conn.close()
            raise DatabaseError(
                f"数据库 {self.path} 的结构版本为 {version}，比本程序支持的 {HEAD} 新。"
                "请升级职保通后再打开，以免损坏数据。")
        self.conn = conn
        if not self.read_only:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error as e:
                conn.close()
                raise database_problem(e, self.path) or self._unreadable(e) from None
            for suffix in ("", "-wal", "-shm", ".anchor", ".keys"):
                restrict(f"{self.path}{suffix}")
        self.schema_version = version
        upgrading = migrate and version < HEAD
        if upgrading:
            if self.opened_read_only:
                conn.close()
                raise DatabaseError(f"数据库 {self.path} 需要升级结构，不能以只读方式打开；请在另一个窗口关闭后再打开")
            if self.read_only:
                conn.close()
                raise ReadOnlyDatabase(f"数据库 {self.path} 需要升级结构（{version} → {HEAD}），但文件或所在文件夹是只读的。"
                                       "请把它复制到可写的位置后再打开。")
            self._migrate(version)
        if self.schema_version == HEAD:
            self.site_id = self.meta_get("site.id") or self.site_id  # the database's site, not the computer's default
        if not self.read_only and self.schema_version == HEAD:
            from .identity import open_identity
            open_identity(self)
        if upgrading:  # seeding and data moves are audited actions: signed like any other
            self.load_all_parts()  # every part seeds its own shipped data
            self.capture_paused = True  # shipped data and data moves are every site's own, never exchanged
            try:
                self._after_migrate(version)
            finally:
                self.capture_paused = False

    def _connect(self) -> sqlite.Connection:
        conn = sqlite.connect(self.path, read_only=self.read_only)  # read-only: SQLite never tries to write
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        _register_functions(conn)
        return conn

    @property
    def data_key(self) -> bytes | None:
        """The key of an encrypted database (None: a plain file)."""
        return self.conn.key

    def _unreadable(self, e: sqlite3.Error) -> ClaimsError:
        try:
            with open(self.path, "rb") as f:
                magic = f.read(4)
        except OSError:
            magic = b""
        if magic == b"PK\x03\x04":
            return DatabaseError(f"{self.path} 是职保通的备份文件，不能直接打开：请用“文件 › 从备份恢复…”或 restore 命令恢复。")
        problem = database_problem(e, self.path)
        if problem is not None and not isinstance(problem, DamagedDatabase):
            return problem  # busy, read-only, disk full, an I/O error: not the file's fault
        if keyring.looks_encrypted(self.path) and not keyring.keys_path(self.path).exists():
            return DatabaseError(f"无法打开数据库 {self.path}：它可能是加密的数据库，而旁边缺少它的密钥文件 "
                                 f"{keyring.keys_path(self.path).name}（没有它任何用户都无法打开）；也可能文件已损坏。"
                                 "请放回密钥文件，或从最近的备份恢复。")
        return DatabaseError(f"无法打开数据库 {self.path}：文件已损坏或不是本程序的数据库（{e}）。"
                             "如是本程序的数据库，请从最近的备份恢复。")

    # -- schema ---------------------------------------------------------
    def pending_migrations(self) -> list[tuple[int, str]]:
        return [(n, d) for n, d, _ in MIGRATIONS if n > self.schema_version]

    def _migrate(self, version: int) -> None:
        if version > 0:  # never migrate the only copy of someone's data
            backup = self.path.with_name(f"{self.path.stem}.v{version}-before-migrate{self.path.suffix}")
            copy_database(self.conn, backup)
            signed = anchor_path(self.path)
            if signed.exists():  # the copy keeps its signature, like every backup
                write_private(anchor_path(backup), signed.read_bytes())
            if self.data_key:  # and an encrypted one its keys: the users unlock it as the database
                write_private(keyring.keys_path(backup), keyring.keys_path(self.path).read_bytes())
            self.migration_backup = backup
        for number, _desc, sql in MIGRATIONS:
            if number <= version:
                continue
            # executescript would commit on its own; run statements inside one transaction
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in _split_sql(sql):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {number}")
                self.conn.execute(f"PRAGMA application_id = {APP_ID}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.schema_version = number

    def load_all_parts(self) -> None:
        """Load the store's parts that are loaded only on first use (claims/store/__init__.py)."""

    def _after_migrate(self, from_version: int) -> None:
        """Seed shipped data; siblings extend this."""
        from .schema import EXCHANGE_VERSION
        if 0 < from_version < EXCHANGE_VERSION and not self.read_only:
            from .exchange.keys import rekey
            rekey(self, Actor("system:migrate"))

    @property
    def exchange_ready(self) -> bool:
        from .schema import EXCHANGE_VERSION
        return self.schema_version >= EXCHANGE_VERSION

    closed = False  # after close(): screens whose timers fire late leave it alone

    def close(self) -> None:
        self.conn.close()
        self.closed = True

    # -- transactions ---------------------------------------------------
    @property
    def db(self):
        """sqlite-utils over the same connection, for schema work and scripts.
        Imported on first use: it pulls in numpy when present, which would
        add a fifth of a second to every program start."""
        if self._db is None:
            import sqlite_utils
            self._db = sqlite_utils.Database(self.conn)
        return self._db

    _db = None

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One user action = one transaction: BEGIN IMMEDIATE … COMMIT, or ROLLBACK
        on any error; nested calls use savepoints (as sqlite-utils' atomic()).
        The write lock is taken at the start, so a second writer waits (the busy
        timeout) rather than failing half-way; if the wait runs out, DatabaseBusy."""
        c = self.conn
        if c.in_transaction:
            name = f"sp_{uuid.uuid4().hex}"
            c.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if c.in_transaction:
                    c.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    c.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                c.execute(f"RELEASE SAVEPOINT {name}")
            return
        self._action_range = None
        before = self._begin()
        try:
            yield
        except BaseException as e:
            self._rollback()
            self._raise_problem(e)
            raise
        after = self._commit(before)
        # the run of audit entries this action wrote: change() puts it on the Change (for undo)
        self._action_range = (before.seq, after.seq) if after.seq > before.seq else None

    _action_range: tuple[int, int] | None = None

    def _audit_seq(self) -> int:
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]

    @contextmanager
    def import_transaction(self, *, dry_run: bool) -> Iterator[None]:
        """The one transaction of a bulk import (orders, daily counts, workers):
        BEGIN IMMEDIATE; the body checks and writes the file row by row into its
        report; then COMMIT, or ROLLBACK for a dry run. Any error — a cancel too:
        the body raises ``Cancelled`` — rolls everything back and is raised again.
        So a dry run, a cancelled import and a failed one all write nothing.
        Unlike ``atomic()`` it does not nest: an import is a whole user action."""
        before = self._begin()
        if dry_run:  # rolled back whatever it writes: nothing to record for the other sites
            self._drop_capture()
        try:
            yield
        except BaseException as e:
            self._rollback()
            self._raise_problem(e)
            raise
        if dry_run:
            self._rollback()
        else:
            self._commit(before)

    CAPTURE_ROWS = 50_000  # rows of a bulk import between two units of its recorded changes (~15 MB of orders)

    def capture_checkpoint(self, actor: Actor | str, rows_read: int, *, inserts_only: bool = False) -> None:
        """Inside a bulk import, between its batches (``rows_read``: the file's rows so
        far): every CAPTURE_ROWS rows, hand the changes recorded for the other sites to
        the outbox as a unit of their own and record afresh, so that the change capture
        (which keeps every changed row's key until its changeset is taken, and then the
        changeset itself) does not grow with the size of the file. The units are written
        in the import's transaction: they commit or roll back with it. ``inserts_only``: the
        import only adds rows (orders), so the units need no field stamps."""
        session = self._session
        if session is None or rows_read - self._captured_rows < self.CAPTURE_ROWS:
            return
        self._captured_rows = rows_read
        if session.is_empty:
            return
        from .exchange import capture
        self._session = None
        capture.finish(self, session, actor if isinstance(actor, str) else actor.username, inserts_only=inserts_only)
        self._session = capture.start(self)

    # The steps of a write transaction, for the few bulk writers that cannot use
    # a context manager (claims/demo.py): begin_write() … commit_write(head).
    def _begin(self) -> Head:
        if self.opened_read_only:
            raise ReadOnlyDatabase("数据库以只读方式打开（另一个职保通窗口正在使用它），不能修改；请在那个窗口中办理")
        if self.read_only:
            raise ReadOnlyDatabase(READ_ONLY_MSG.format(path=self.path))
        if self.damaged:
            raise DamagedDatabase(self.damaged)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            head = chain_head(self.conn)
            from .exchange import capture
            self._session = capture.start(self)
            self._captured_rows = 0
            return head
        except sqlite.ERRORS as e:
            self._rollback()
            self._raise_problem(e)
            raise

    def _commit(self, before: Head) -> Head:
        """Sign the new head of the audit chain (claims/store/identity.py), then commit."""
        put_back = None
        try:
            session, self._session = self._session, None
            if session is not None and self.conn.in_transaction:
                from .exchange import capture
                actor = self.conn.execute("SELECT actor FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1",
                                          (before.seq,)).fetchone()
                capture.finish(self, session, actor[0] if actor else "")
            elif session is not None:
                session.close()
            after = chain_head(self.conn) if self.conn.in_transaction else before
            if after != before and self._site_key is not None:
                from .identity import sign_before_commit
                put_back = sign_before_commit(self, before, after)
            self.conn.execute("COMMIT")
        except BaseException as e:
            self._rollback()
            if put_back is not None:
                put_back()
            self._raise_problem(e)
            raise
        if put_back is not None:
            from .identity import sign_after_commit
            sign_after_commit(self, after)
        return after

    def _drop_capture(self) -> None:
        """Stop recording this transaction's changes for other sites, and forget them."""
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def _rollback(self) -> None:
        self._drop_capture()
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite.ERRORS:
                pass  # SQLite rolled back already (disk full, I/O error)

    def _raise_problem(self, e: BaseException) -> None:
        """A SQLite or file failure a clerk should understand (busy, disk full,
        read-only, damaged) is raised as its typed error; others pass through."""
        if isinstance(e, ClaimsError) or not isinstance(e, (*sqlite.ERRORS, OSError)):
            return
        problem = database_problem(e, self.path)
        if problem is None:
            return
        if isinstance(problem, DamagedDatabase):
            self.damaged = problem.message  # stop writing until the file is restored
        raise problem from e

    begin_write = _begin
    commit_write = _commit

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        r = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return r[0] if r else default

    def meta_set(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (key, value))

    def next_counter(self, name: str) -> int:
        """The next number of a series (case numbers, decisions, payments …); each step is
        audited, so a counter set back or forward behind the program's back shows."""
        self.conn.execute("INSERT INTO counters(name, value) VALUES (?, 1) "
                          "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
        value = self.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
        self._audit_many("system:counter", "count", "counters",
                         [(name, {"value": [value - 1 or None, value]}, {"name": name, "value": value})])
        return value

    # -- rows -----------------------------------------------------------
    def _row(self, table: str, id_: str) -> dict | None:
        r = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (id_,)).fetchone()
        return dict(r) if r else None

    def _must(self, table: str, id_: str, what: str) -> dict:
        r = self._row(table, id_)
        if r is None:
            raise NotFound(f"找不到{what}（{id_}）")
        return r

    def _insert(self, table: str, values: dict, actor: Actor, *, action: str = "insert") -> dict:
        ts = now_iso()
        rid = values.pop("id", None)
        if not rid:  # the natural key where the world has one (claims/store/exchange/keys.py)
            from .exchange.keys import natural_id
            rid = natural_id(table, values, actor if isinstance(actor, str) else actor.username) or uuid.uuid4().hex
        row = {"id": rid, "created_at": ts, "updated_at": ts,
               "site_id": self.site_id, "row_version": 1, **values}
        cols = ", ".join(row)
        self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))
        stored = self._row(table, row["id"])
        self._audit(actor, action, table, row["id"], {k: [None, v] for k, v in row.items()}, stored)
        return stored

    def _update(self, table: str, id_: str, changes: dict, actor: Actor, *, action: str = "update",
                what: str = "记录", expected_version: int | None = None) -> dict:
        """Change a row; with ``expected_version`` (the version the user's form was
        read at) a row someone changed meanwhile is refused with StaleRecord."""
        before = self._must(table, id_, what)
        if expected_version is not None:
            self.check_version(table, before, expected_version, what)
        diff = {k: [before.get(k), v] for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return before
        sets = {**changes, "updated_at": now_iso(), "row_version": before["row_version"] + 1}
        self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                          (*sets.values(), id_))
        after = self._row(table, id_)
        self._audit(actor, action, table, id_, diff, after)
        return after

    def check_version(self, table: str, row: dict, expected_version: int, what: str = "记录") -> None:
        """StaleRecord unless ``row`` is still at ``expected_version``."""
        if row["row_version"] == expected_version:
            return
        last = self.conn.execute("SELECT actor, at FROM audit_log WHERE table_name = ? AND record_id = ?"
                                 " ORDER BY seq DESC LIMIT 1", (table, row["id"])).fetchone()
        raise StaleRecord(table, row["id"], expected_version, row["row_version"], dict(row), what,
                          by=last[0] if last else "", at=last[1] if last else "")

    # -- audit ----------------------------------------------------------
    SECRET_FIELDS = frozenset({"password_hash"})

    def _audit(self, actor: Actor, action: str, table: str, record_id: str, changes: dict,
               row: dict | None) -> None:
        self._audit_many(actor, action, table, [(record_id, changes, row)])

    def _audit_many(self, actor: Actor | str, action: str, table: str, items) -> None:
        """Append entries to the hash chain: each holds the digest of the
        previous entry and of its own content, and the digest of the row as
        it now stands (so `audit verify` can tell if a row changed behind the
        program's back). Secrets are logged as changed, never their value."""
        if not self.conn.in_transaction:  # its write and its entry would commit apart, and the head go unsigned
            raise RuntimeError("audit entries are written inside a write transaction (store.atomic())")
        last = self.conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = last[0] if last else "0" * 64
        at = now_iso()
        rows = []
        for record_id, changes, row in items:
            changes = {k: (["***", "***"] if k in self.SECRET_FIELDS else v) for k, v in changes.items()}
            entry = {"at": at, "actor": actor if isinstance(actor, str) else actor.username, "action": action,
                     "table_name": table,
                     "record_id": record_id, "changes": canonical(changes),
                     "row_digest": row if isinstance(row, str) else row_digest(row)}
            h = hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()
            rows.append((entry["at"], entry["actor"], action, table, record_id, entry["changes"],
                         entry["row_digest"], prev, h))
            prev = h
        self.conn.executemany(
            "INSERT INTO audit_log (at, actor, action, table_name, record_id, changes, row_digest, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _audit_rows(self, actor: Actor, action: str, table: str, ids: list[str]) -> None:
        """Audit rows written in bulk (demo data, imports) in one pass."""
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})"
            rows = {r["id"]: dict(r) for r in self.conn.execute(q, chunk)}
            self._audit_many(actor, action, table, [(rid, {"*": [None, "bulk"]}, rows.get(rid)) for rid in chunk])

    def change(self, *tables: str, ids: Any = (), summary: str = "") -> Change:
        """The Change of the action just committed, with its run of audit entries (claims/store/undo.py)."""
        audit_range, self._action_range = (self._action_range if tables else None), None
        return Change(tables=frozenset(tables), ids=frozenset(ids), summary=summary, audit_range=audit_range)


def _register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions for derived keys (a migration and the bulk inserts fill them)."""
    def pinyin_of(name):
        from ..pinyin import full
        return full(name or "")

    def initials_of(name):
        from ..pinyin import initials
        return initials(name or "")
    conn.create_function("zbt_pinyin", 1, pinyin_of, deterministic=True)
    conn.create_function("zbt_initials", 1, initials_of, deterministic=True)

    def sort_key_of(name):
        from ..pinyin import sort_key
        return sort_key(name or "")
    conn.create_function("zbt_pinyin_sort", 1, sort_key_of, deterministic=True)


def _split_sql(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def copy_database(conn: sqlite.Connection, dest: Path, progress=None, cancelled=None, timeout: float = 60.0) -> None:
    """Copy the database behind ``conn`` to ``dest`` with SQLite's backup API: every
    committed transaction, whatever sits in the -wal file, while others keep reading
    and writing. ``dest`` is created readable by its owner only. A source that stays
    locked longer than ``timeout`` seconds ends the copy with DatabaseBusy;
    ``cancelled()`` true ends it with Cancelled."""
    import time
    from .import_report import Cancelled
    dest = Path(dest)
    if not create_private(dest):
        restrict(dest)
    waiting_since = None

    def step(busy, remaining, total):
        nonlocal waiting_since
        if cancelled and cancelled():
            raise Cancelled()
        if busy:
            waiting_since = waiting_since or time.monotonic()
            if time.monotonic() - waiting_since > timeout:
                raise DatabaseBusy("数据库一直被另一程序锁定，无法复制；请关闭其他使用该数据库的程序后再试")
        else:
            waiting_since = None
        if progress:
            progress(total - remaining, total)

    try:
        target = sqlite.connect(dest, key=conn.key)  # a copy of an encrypted database is encrypted alike
    except sqlite3.Error:
        dest.unlink(missing_ok=True)
        raise
    try:
        conn.backup_to(target, pages=1024, step=step)
    except BaseException as e:
        target.close()
        dest.unlink(missing_ok=True)
        if isinstance(e, sqlite.apsw.Error):
            raise sqlite.translate(e) from e
        raise
    target.close()
