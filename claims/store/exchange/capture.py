"""Change capture: a session (SQLite's session extension, through APSW) is
attached to the travelling tables at the start of every write transaction;
before COMMIT its changeset goes into the outbox as this site's next change
unit, in the same transaction — so an action and the record of what it changed
are stored together or not at all. A rolled-back savepoint leaves nothing in
the changeset; a dry run or a failed action writes no unit.

Fields changed by an UPDATE are stamped (``exchange_stamps``: when and at which
site their value was set): concurrent edits of the same field are then merged
the same way on every site (the later stamp wins; claims/store/exchange/apply.py)."""
from __future__ import annotations

import apsw

from .tables import LOCAL_COLUMNS, META_COLUMNS, TRAVELLING


def start(store):
    if not store.exchange_ready or store.capture_paused:
        return None
    return _Capture(store.conn.raw)


class _Capture:
    """Two sessions: the users table apart, so that only its (small) changes are
    looked through for updates of a site's own columns."""

    def __init__(self, raw):
        self.main, self.users = apsw.Session(raw, "main"), apsw.Session(raw, "main")
        for s in (self.main, self.users):
            s.config(apsw.SQLITE_SESSION_OBJCONFIG_SIZE, 0)  # no size book-keeping: it is never asked for
        for table in TRAVELLING:
            (self.users if table in LOCAL_COLUMNS else self.main).attach(table)

    @property
    def is_empty(self) -> bool:
        return self.main.is_empty and self.users.is_empty

    def changeset(self) -> bytes:
        main = self.main.changeset() if not self.main.is_empty else b""
        if self.users.is_empty:
            return main
        users = _without_local_updates(self.users.changeset())
        if not main or not users:
            return main or users
        b = apsw.ChangesetBuilder()
        b.add(users)
        b.add(main)
        return b.output()

    def close(self) -> None:
        self.main.close()
        self.users.close()


def _without_local_updates(cs: bytes) -> bytes:
    """Drop updates that set only a site's own columns (a login's failed attempts, its lock)."""
    b = apsw.ChangesetBuilder()
    for ch in apsw.Changeset.iter(cs):
        local = LOCAL_COLUMNS.get(ch.name)
        if local and ch.opcode == apsw.SQLITE_UPDATE:
            cols = _LOCAL_INDEX.get(ch.name)
            changed = {i for i, v in enumerate(ch.new) if v is not apsw.no_change}
            if cols is not None and changed <= cols:
                continue
        b.add_change(ch)
    return b.output()


_LOCAL_INDEX: dict[str, set[int]] = {}


def finish(store, session, actor: str = "", *, inserts_only: bool = False) -> int | None:
    """Store the session's changeset as this site's next unit; its sequence number (or None: nothing changed).
    ``inserts_only``: the writer knows it only added rows (an order import), so there is no
    update to stamp and the changeset need not be read through for one."""
    if session is None:
        return None
    try:
        if session.is_empty:
            return None
        cs = session.changeset()
    finally:
        session.close()
    if "users" not in _LOCAL_INDEX:
        cols = columns(store, "users")
        _LOCAL_INDEX["users"] = {i for i, c in enumerate(cols) if c in LOCAL_COLUMNS["users"] | META_COLUMNS}
    if not cs:
        return None
    return add_unit(store, store.site_id, None, clock(store), actor, store.schema_version, cs, own=True,
                    stamps=not inserts_only)


def clock(store, seen: str | None = None) -> str:
    """The time of this site's next unit: now, but never before a unit it already
    holds (a causally later edit always carries the later stamp, whatever the
    clocks of the two computers say). ``seen``: a received unit's time."""
    from datetime import datetime, timedelta
    hwm = store.__dict__.get("_exchange_clock")
    if hwm is None:
        hwm = store.conn.execute("SELECT coalesce(max(at), '') FROM exchange_outbox").fetchone()[0]
    if seen is not None:
        store._exchange_clock = max(hwm, seen)
        return store._exchange_clock
    at = now_iso_us()
    if at <= hwm:
        at = (datetime.fromisoformat(hwm) + timedelta(microseconds=1)).isoformat(timespec="microseconds")
    store._exchange_clock = at
    return at


def now_iso_us() -> str:
    from ...timeutil import now
    return now().isoformat(timespec="microseconds")


def add_unit(store, origin: str, seq: int | None, at: str, actor: str, schema_version: int, changeset: bytes,
             *, own: bool, stamps: bool = True) -> int:
    c = store.conn
    if seq is None:
        seq = c.execute("SELECT coalesce(max(seq), 0) + 1 FROM exchange_outbox WHERE origin = ?", (origin,)).fetchone()[0]
    local = c.execute("SELECT coalesce(max(local_seq), 0) + 1 FROM exchange_outbox").fetchone()[0]
    c.execute("INSERT INTO exchange_outbox (origin, seq, local_seq, at, actor, schema_version, changeset)"
              " VALUES (?, ?, ?, ?, ?, ?, ?)", (origin, seq, local, at, actor, schema_version, changeset))
    if own and stamps:
        stamp_updates(store, changeset, stamp(at, origin))
    return seq


def stamp(at: str, origin: str) -> str:
    return f"{at}|{origin}"


def columns(store, table: str) -> tuple[str, ...]:
    cache = store.__dict__.setdefault("_exchange_columns", {})
    cols = cache.get(table)
    if cols is None:
        cols = cache[table] = tuple(r[1] for r in store.conn.execute(f"PRAGMA table_info({table})"))
    return cols


def stamp_updates(store, changeset: bytes, st: str) -> None:
    """Stamp every field an UPDATE in ``changeset`` set."""
    rows = []
    nc = apsw.no_change
    for ch in apsw.Changeset.iter(changeset):
        if ch.opcode != apsw.SQLITE_UPDATE:
            continue
        cols = columns(store, ch.name)
        pk = ch.old[0]
        rows.extend((ch.name, pk, cols[i], st) for i, v in enumerate(ch.new) if v is not nc and i < len(cols))
    if rows:
        store.conn.executemany("INSERT INTO exchange_stamps (tbl, pk, col, stamp) VALUES (?, ?, ?, ?)"
                               " ON CONFLICT (tbl, pk, col) DO UPDATE SET stamp = max(stamp, excluded.stamp)", rows)
