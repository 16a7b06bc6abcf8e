"""The one place the program opens SQLite: APSW connections behind the small
part of Python's ``sqlite3`` interface the code uses.

Why APSW: SQLite's session extension (change capture and apply, the exchange
between sites: claims/exchange/) is only reachable through it, and a session
records the writes of its own connection only. So every connection the program
opens — the store, backups and restores, the checks — comes from ``connect``.

What stays as it was for the code above (a thin layer, tested in
tests/claims/test_db.py): ``conn.execute(sql, params)`` returns a cursor with
``fetchone()``, ``fetchall()``, iteration, ``rowcount``, ``lastrowid`` and
``description``; ``executemany``; ``in_transaction``; rows are genuine
``sqlite3.Row`` objects (``row["col"]``, ``row[0]``, ``dict(row)``, ``keys()``),
built in C from a cached cursor that carries the column names; errors raised by
``execute``/``executemany``/``fetch*`` are the ``sqlite3`` exceptions the code
already catches (``sqlite3.IntegrityError``, ``OperationalError`` with
``sqlite_errorcode`` …), each chained to the APSW error it stands for. Dates bind
as ISO text, as ``sqlite3`` did. ``raw`` is the APSW connection itself (sessions,
changesets, backups).

Encrypted databases (claims/store/keyring.py): the APSW here is SQLite3 Multiple
Ciphers' build (``apsw-sqlite3mc``). A connection to an encrypted file is keyed
with the database's data key, as a raw 256-bit key in SQLCipher 4's format (no
key derivation at each open). Once a login has unlocked a file, its key is
remembered for this process (``set_key``), so every connection the program
opens to that file — the store, other threads' stores, backups, checks — is
keyed by ``connect`` itself; copies made with ``copy_database`` carry their
source's key (``Connection.key``)."""
from __future__ import annotations

import datetime
import functools
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator

import apsw

ERRORS = (sqlite3.Error, apsw.Error)  # what a database failure can be raised as

# apsw error class -> (sqlite3 class, primary result code)
_MAP: dict[type, type] = {
    apsw.ConstraintError: sqlite3.IntegrityError,
    apsw.MismatchError: sqlite3.IntegrityError,
    apsw.BindingsError: sqlite3.ProgrammingError,
    apsw.TooBigError: sqlite3.DataError,
    apsw.CorruptError: sqlite3.DatabaseError,
    apsw.NotADBError: sqlite3.DatabaseError,
    apsw.InternalError: sqlite3.InternalError,
    apsw.MisuseError: sqlite3.ProgrammingError,
    apsw.ThreadingViolationError: sqlite3.ProgrammingError,
    apsw.ConnectionClosedError: sqlite3.ProgrammingError,
    apsw.CursorClosedError: sqlite3.ProgrammingError,
}


def translate(e: BaseException) -> BaseException:
    """The ``sqlite3`` exception an APSW error stands for (others unchanged)."""
    if not isinstance(e, apsw.Error):
        return e
    cls = _MAP.get(type(e), sqlite3.OperationalError)
    out = cls(str(e))
    code = getattr(e, "extendedresult", None) or getattr(e, "result", None)
    if isinstance(e, apsw.InterruptError):
        code = 9
    out.sqlite_errorcode = code if isinstance(code, int) else None
    out.sqlite_errorname = type(e).__name__
    out.__cause__ = e
    return out


def _wait(call, *args):
    """APSW refuses (ThreadingViolationError) where sqlite3 waited for SQLite's
    mutex: a connection busy in another thread. Wait the same way, briefly and
    repeatedly (a worker thread's statement ends in milliseconds)."""
    import time
    deadline = time.monotonic() + 30
    while True:
        time.sleep(0.002)
        try:
            return call(*args)
        except apsw.ThreadingViolationError:
            if time.monotonic() > deadline:
                raise
        except apsw.Error as e:
            raise translate(e) from e


# -- rows ---------------------------------------------------------------------
_names_lock = threading.Lock()
_names_db = sqlite3.connect(":memory:", check_same_thread=False)  # holds no data: column names only
_names: dict[tuple, functools.partial] = {}


def _row_maker(description: tuple) -> functools.partial:
    """``sqlite3.Row(cursor, values)`` reads only the cursor's description: a
    scratch cursor that selected NULLs under the same names gives real Rows."""
    maker = _names.get(description)
    if maker is None:
        with _names_lock:
            names = [d[0] for d in description]
            cur = _names_db.cursor()
            cols = ", ".join('NULL AS "{}"'.format(n.replace('"', '""')) for n in names) or "NULL"
            cur.execute(f"SELECT {cols}").fetchall()
            maker = _names[description] = functools.partial(sqlite3.Row, cur)
    return maker


class Cursor:
    """The result of ``execute``: sqlite3's cursor interface over an APSW cursor."""

    __slots__ = ("_cur", "_conn", "rowcount", "_maker")

    def __init__(self, cur: apsw.Cursor, conn: apsw.Connection, rowcount: int):
        self._cur, self._conn, self.rowcount, self._maker = cur, conn, rowcount, None

    def _make(self):
        if self._maker is None:
            self._maker = _row_maker(self._cur.get_description())
        return self._maker

    def fetchone(self):
        try:
            row = next(self._cur, None)
        except apsw.ThreadingViolationError:
            row = _wait(next, self._cur, None)
        except apsw.Error as e:
            raise translate(e) from e
        return None if row is None else self._make()(row)

    def fetchall(self) -> list:
        return list(self)

    def fetchmany(self, size: int = 1) -> list:
        out = []
        for _ in range(size):
            r = self.fetchone()
            if r is None:
                break
            out.append(r)
        return out

    def __iter__(self) -> Iterator:
        first = self.fetchone()
        if first is None:
            return
        yield first
        make, cur = self._make(), self._cur
        while True:
            try:
                yield from map(make, cur)
                return
            except apsw.ThreadingViolationError:
                row = _wait(next, cur, None)
                if row is None:
                    return
                yield make(row)
            except apsw.Error as e:
                raise translate(e) from e

    @property
    def description(self):
        try:
            return tuple((d[0], None, None, None, None, None, None) for d in self._cur.get_description())
        except apsw.ExecutionCompleteError:
            return None

    @property
    def lastrowid(self) -> int:
        return self._conn.last_insert_rowid()

    def close(self) -> None:
        self._cur.close(True)


def _bind(_cursor, _num, value):
    """What sqlite3 bound by itself (its default adapters) and APSW does not."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot bind {type(value).__name__}")


class Connection:
    """An APSW connection that answers like ``sqlite3.Connection`` (autocommit
    unless the code says BEGIN, as ``isolation_level=None`` did)."""

    __slots__ = ("raw", "path", "opened_read_only", "key", "__weakref__")

    def __init__(self, raw: apsw.Connection, path: str, read_only: bool = False, key: bytes | None = None):
        # how it was opened, kept here: asking the connection itself from a worker
        # thread while the GUI thread uses it is refused by APSW
        self.raw, self.path, self.opened_read_only, self.key = raw, path, read_only, key
        raw.convert_binding = _bind

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        c = self.raw
        before = c.total_changes()
        try:
            cur = c.cursor().execute(sql, params)
        except apsw.ThreadingViolationError:
            cur = _wait(lambda: c.cursor().execute(sql, params))
        except apsw.Error as e:
            raise translate(e) from e
        return Cursor(cur, c, c.total_changes() - before)

    def executemany(self, sql: str, seq: Iterable) -> Cursor:
        c = self.raw
        before = c.total_changes()
        try:
            cur = c.cursor().executemany(sql, seq)
        except apsw.ThreadingViolationError:
            cur = _wait(lambda: c.cursor().executemany(sql, seq))
        except apsw.Error as e:
            raise translate(e) from e
        return Cursor(cur, c, c.total_changes() - before)

    def executescript(self, script: str) -> None:
        try:
            for _ in self.raw.execute(script):
                pass
        except apsw.Error as e:
            raise translate(e) from e

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @property
    def total_changes(self) -> int:
        return self.raw.total_changes()

    def create_function(self, name: str, nargs: int, func, *, deterministic: bool = False) -> None:
        """An SQL function written in Python (sqlite3's ``create_function``)."""
        self.raw.create_scalar_function(name, func, nargs, deterministic=deterministic)

    def set_progress_handler(self, handler, n: int) -> None:
        self.raw.set_progress_handler(handler, n)

    def interrupt(self) -> None:
        self.raw.interrupt()

    def close(self) -> None:
        self.raw.close()

    def backup_to(self, dest: "Connection", pages: int = 1024, step=None) -> None:
        """Copy this database into ``dest`` with SQLite's backup API; ``step(busy,
        remaining, total)`` after each step (busy: the source was locked). A file
        database is read through a connection of its own, so that the thread that
        owns this one (the GUI) keeps using it meanwhile, as with sqlite3."""
        own = None
        if self.path not in ("", ":memory:") and not self.path.startswith("file:"):
            own = source = connect(self.path, read_only=self.opened_read_only, create=False, key=self.key)
            source.execute("PRAGMA busy_timeout = 1000")
        else:
            source = self
        try:
            self._backup(source, dest, pages, step)
        finally:
            if own is not None:
                own.close()

    @staticmethod
    def _backup(source: "Connection", dest: "Connection", pages: int, step) -> None:
        with dest.raw.backup("main", source.raw, "main") as b:
            while not b.done:
                try:
                    b.step(pages)
                    busy = False
                except (apsw.BusyError, apsw.LockedError):
                    busy = True
                    import time
                    time.sleep(0.05)
                if step is not None:
                    step(busy, b.remaining, b.page_count)


# -- encryption ------------------------------------------------------------------
CIPHER = (("cipher", "sqlcipher"), ("legacy", "4"))  # SQLCipher 4's format: AES-256-CBC, HMAC-SHA512 per page
_AUTO = object()
_keys: dict[str, bytes] = {}  # resolved path -> data key, for the files a login has unlocked in this process
_keys_lock = threading.Lock()


def _norm(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(str(path)))


def set_key(path: str | Path, key: bytes | None) -> None:
    """Remember (or, with None, forget) the data key of the database at ``path``."""
    with _keys_lock:
        if key is None:
            _keys.pop(_norm(path), None)
        else:
            _keys[_norm(path)] = bytes(key)


def key_for(path: str | Path) -> bytes | None:
    """The data key remembered for ``path``, if a login unlocked it in this process."""
    if str(path) in ("", ":memory:") or str(path).startswith("file:"):
        return None
    with _keys_lock:
        return _keys.get(_norm(path))


def known_keys() -> list[bytes]:
    with _keys_lock:
        return list(_keys.values())


def apply_key(raw: apsw.Connection, key: bytes | None, *, rekey: bool = False) -> None:
    """Key a connection (or, with ``rekey``, re-encrypt its database: ``None``
    makes it plain). The cipher is configured first; the key last."""
    for name, value in CIPHER:
        raw.pragma(name, value)
    pragma = "rekey" if rekey else "key"
    raw.execute(f"PRAGMA {pragma} = \"x'{key.hex()}'\"" if key else f"PRAGMA {pragma} = ''").fetchall()


def connect(path: str | Path, *, read_only: bool = False, create: bool = True, uri: bool = False,
            key: Any = _AUTO) -> Connection:
    """Open ``path`` (``":memory:"`` for a scratch database). Read-only opens never
    write, not even a journal mode; otherwise the file is created when missing
    unless ``create`` is false. With ``uri``, ``path`` is a ``file:`` URI (its
    parameters, e.g. ``immutable=1``, apply). ``key``: the data key of an encrypted
    file (by default the one remembered for ``path``; None: a plain file). APSW
    errors are raised as sqlite3 ones."""
    name = str(path)
    if key is _AUTO:
        key = key_for(name)
    if read_only:
        flags = apsw.SQLITE_OPEN_READONLY
    else:
        flags = apsw.SQLITE_OPEN_READWRITE | (apsw.SQLITE_OPEN_CREATE if create else 0)
    if uri:
        flags |= apsw.SQLITE_OPEN_URI
    try:
        raw = apsw.Connection(name, flags=flags)
        if key:
            apply_key(raw, key)
    except apsw.Error as e:
        raise translate(e) from e
    return Connection(raw, name, read_only, key or None)


def complete_statement(sql: str) -> bool:
    return apsw.complete(sql)
