"""The store's foundation: the connection, migrations, transactions, row
writes with their audit entries. The only place (with its siblings) with SQL."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import DatabaseError, NotFound
from ..change import Change
from ..timeutil import now_iso
from .schema import HEAD, MIGRATIONS

APP_ID = 0x5A425447  # "ZBTG": marks the file as ours


@dataclass(frozen=True)
class Actor:
    """Who does something. Headless commands act as ``cli:<os user>``."""

    username: str
    role: str = "admin"
    platform_id: str | None = None
    station_id: str | None = None
    display_name: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username


class _TimeOrderedIds:
    """UUIDs in the version 7 layout (milliseconds, a counter, random bits):
    rows written together sit together in the key indexes, which makes bulk
    inserts several times cheaper than random UUIDs. ``block(n)`` gives n of
    them at once for the bulk paths: one (milliseconds, counter) slot, then
    consecutive values from a random start in the 62 random bits (RFC 9562's
    monotonic random), without a system call per row."""

    def __init__(self):
        import random
        import threading
        self._rng = random.SystemRandom()
        self._lock = threading.Lock()
        self._last = (0, 0)

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
    if row is None:
        return "deleted"
    return hashlib.sha256(canonical(row).encode()).hexdigest()


class StoreBase:
    def __init__(self, path: str | Path, site_id: str = "LOCAL", *, create: bool = False,
                 migrate: bool = True):
        self.path = Path(path)
        self.site_id = site_id
        if not create and not self.path.exists():
            raise DatabaseError(f"数据库文件不存在：{self.path}（请先用 init 或 demo 命令创建）")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 5000")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"无法打开数据库 {self.path}：文件已损坏或不是本程序的数据库（{e}）") from None
        self.conn = conn
        if version > HEAD:
            conn.close()
            raise DatabaseError(
                f"数据库 {self.path} 的结构版本为 {version}，比本程序支持的 {HEAD} 新。"
                "请升级职保通后再打开，以免损坏数据。")
        if version and app_id != APP_ID:
            conn.close()
            raise DatabaseError(f"{self.path} 不是职保通的数据库")
        self.schema_version = version
        if migrate and version < HEAD:
            self._migrate(version)

    # -- schema ---------------------------------------------------------
    def pending_migrations(self) -> list[tuple[int, str]]:
        return [(n, d) for n, d, _ in MIGRATIONS if n > self.schema_version]

    def _migrate(self, version: int) -> None:
        if version > 0:  # never migrate the only copy of someone's data
            backup = self.path.with_name(f"{self.path.stem}.v{version}-before-migrate{self.path.suffix}")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy2(self.path, backup)
            self.migration_backup = backup
        for number, _desc, sql in MIGRATIONS:
            if number <= version:
                continue
            # executescript would commit on its own; run statements inside one transaction
            self.conn.execute("BEGIN")
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
        self._after_migrate(version)

    def _after_migrate(self, from_version: int) -> None:
        """Seed shipped data; siblings extend this."""

    def close(self) -> None:
        self.conn.close()

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
        """One user action = one transaction: BEGIN … COMMIT, or ROLLBACK on
        any error; nested calls use savepoints (as sqlite-utils' atomic())."""
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
        c.execute("BEGIN")
        self._action_range = None
        before = self._audit_seq()
        try:
            yield
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        else:
            try:
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise
            after = self._audit_seq()
            # the run of audit entries this action wrote: change() puts it on the Change (for undo)
            self._action_range = (before, after) if after > before else None

    _action_range: tuple[int, int] | None = None

    def _audit_seq(self) -> int:
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]

    @contextmanager
    def import_transaction(self, *, dry_run: bool) -> Iterator[None]:
        """The one transaction of a bulk import (orders, daily counts, workers):
        BEGIN; the body checks and writes the file row by row into its report;
        then COMMIT, or ROLLBACK for a dry run. Any error — a cancel too: the
        body raises ``Cancelled`` — rolls everything back and is raised again.
        So a dry run, a cancelled import and a failed one all write nothing.
        Unlike ``atomic()`` it does not nest: an import is a whole user action."""
        c = self.conn
        c.execute("BEGIN")
        try:
            yield
            c.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        r = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return r[0] if r else default

    def meta_set(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (key, value))

    def next_counter(self, name: str) -> int:
        self.conn.execute("INSERT INTO counters(name, value) VALUES (?, 1) "
                          "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
        return self.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

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
        row = {"id": values.pop("id", None) or uuid.uuid4().hex, "created_at": ts, "updated_at": ts,
               "site_id": self.site_id, "row_version": 1, **values}
        cols = ", ".join(row)
        self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))
        stored = self._row(table, row["id"])
        self._audit(actor, action, table, row["id"], {k: [None, v] for k, v in row.items()}, stored)
        return stored

    def _update(self, table: str, id_: str, changes: dict, actor: Actor, *, action: str = "update",
                what: str = "记录") -> dict:
        before = self._must(table, id_, what)
        diff = {k: [before.get(k), v] for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return before
        sets = {**changes, "updated_at": now_iso(), "row_version": before["row_version"] + 1}
        self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                          (*sets.values(), id_))
        after = self._row(table, id_)
        self._audit(actor, action, table, id_, diff, after)
        return after

    # -- audit ----------------------------------------------------------
    SECRET_FIELDS = frozenset({"password_hash"})

    def _audit(self, actor: Actor, action: str, table: str, record_id: str, changes: dict,
               row: dict | None) -> None:
        self._audit_many(actor, action, table, [(record_id, changes, row)])

    def _audit_many(self, actor: Actor, action: str, table: str, items) -> None:
        """Append entries to the hash chain: each holds the digest of the
        previous entry and of its own content, and the digest of the row as
        it now stands (so `audit verify` can tell if a row changed behind the
        program's back). Secrets are logged as changed, never their value."""
        last = self.conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = last[0] if last else "0" * 64
        at = now_iso()
        rows = []
        for record_id, changes, row in items:
            changes = {k: (["***", "***"] if k in self.SECRET_FIELDS else v) for k, v in changes.items()}
            entry = {"at": at, "actor": actor.username, "action": action, "table_name": table,
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


def _split_sql(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]
