"""Applying change units from another site.

Each unit is applied with ``apsw.Changeset.apply`` (SQLite's own apply, in C):
rows that go in cleanly cost nothing in Python. The conflict callback only
notes what it was shown and answers OMIT (or REPLACE for a delete of a row
changed meanwhile: a delete wins everywhere the same way); the noted rows are
then merged here, field by field:

- a field whose incoming value is already there: present, skipped;
- a field nobody else changed (its value is still the sender's old value): taken;
- a field changed at two sites (a real conflict): the value with the later
  stamp (claims/store/exchange/capture.py: when and where it was set) is kept,
  on every site alike, and the other one is recorded for a person to decide
  (``exchange_conflicts``, one row per lost value, the same id on every site);
- metadata: created_at the earliest (with its site), updated_at the latest,
  row_version one more than either (so a form open over the row is refused
  by StaleRecord).

The same order (platform + order number) stored under two keys keeps the
smaller key on every site. Rows a package changed are audited on this site's
chain as ``exchange`` entries (orders: the table's seal), their names indexed
and their daily counts counted again."""
from __future__ import annotations

import hashlib
import json

import apsw

from ..order_counts import _CountWork
from .capture import columns, stamp
from .tables import DERIVED_COLUMNS, LOCAL_COLUMNS, META_COLUMNS, NATURAL, NOT_AUDITED, SEALED

_NC = apsw.no_change
INS, UPD, DEL = apsw.SQLITE_INSERT, apsw.SQLITE_UPDATE, apsw.SQLITE_DELETE
K = apsw.mapping_session_conflict
OMIT = apsw.SQLITE_CHANGESET_OMIT
REPLACE = apsw.SQLITE_CHANGESET_REPLACE
ABORT = apsw.SQLITE_CHANGESET_ABORT


def conflict_id(table: str, pk: str, col: str, lost_stamp: str) -> str:
    return hashlib.sha256(f"{table}\x1f{pk}\x1f{col}\x1f{lost_stamp}".encode()).hexdigest()[:32]


def _json(v) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


class Applier:
    """Applies units in order within the caller's transaction (capture paused)."""

    def __init__(self, store):
        self.store, self.c = store, store.conn
        self.summary: dict[str, dict[str, int]] = {}
        self.touched: dict[str, set] = {}
        self.new_conflicts: list[tuple] = []
        self.order_days: set[tuple] = set()
        self.fk_problem: str | None = None
        self.orders_out = (0, 0)  # orders replaced under a smaller key: out of the table's seal
        self.orders_in = [0, 0]  # orders a package inserted: (count, sum of their seal hashes)
        self.counts = _CountWork(store.conn)  # their daily counts, added as the order import adds them

    def _count(self, table: str, what: str, n: int = 1) -> None:
        t = self.summary.setdefault(table, {"added": 0, "changed": 0, "deleted": 0, "present": 0, "conflicts": 0})
        t[what] += n

    # -- one unit --------------------------------------------------------------
    def apply_unit(self, origin: str, at: str, changeset: bytes) -> None:
        st = stamp(at, origin)
        stamps, seen, orders = [], [], {}
        for ch in apsw.Changeset.iter(changeset):
            op, t = ch.opcode, ch.name
            pk = ch.new[0] if op == INS else ch.old[0]
            seen.append((t, op, pk))
            if t == "orders" and op == INS:
                orders[pk] = ch.new
            if op == UPD:
                cols = columns(self.store, t)
                stamps.extend((t, pk, cols[i], st) for i, v in enumerate(ch.new) if v is not _NC and i < len(cols))
        noted: list[tuple] = []

        def on_conflict(reason, ch):
            if reason == K["SQLITE_CHANGESET_FOREIGN_KEY"]:
                self.fk_problem = f"{ch.fk_conflicts} 处引用找不到对应记录"
                return ABORT
            if ch.opcode == DEL:
                return REPLACE if reason == K["SQLITE_CHANGESET_DATA"] else OMIT
            if reason == K["SQLITE_CHANGESET_NOTFOUND"]:
                return OMIT
            noted.append((reason, ch.name, ch.opcode, ch.old, ch.new, ch.conflict))
            return OMIT

        apsw.Changeset.apply(changeset, self.store.conn.raw, conflict=on_conflict)
        skip = set()
        for reason, t, op, old, new, cur in noted:
            pk = new[0] if op == INS else old[0]
            skip.add((t, pk))
            if reason == K["SQLITE_CHANGESET_CONSTRAINT"]:
                self._same_record_two_keys(t, new)
            elif op == INS:
                self._merge_insert(t, new, cur)
            else:
                self._merge_update(t, old, new, cur, st)
        tally: dict[tuple[str, int], int] = {}
        for t, op, pk in seen:
            if skip and (t, pk) in skip:
                continue
            tally[t, op] = tally.get((t, op), 0) + 1
            if t != "orders" or op != INS:
                self.touched.setdefault(t, set()).add(pk)
        if orders:  # sealed and counted straight from the changeset's values
            self._orders_added([row for pk, row in orders.items() if not skip or ("orders", pk) not in skip])
        for (t, op), n in tally.items():
            self._count(t, "added" if op == INS else "changed" if op == UPD else "deleted", n)
        if stamps:
            self.c.executemany("INSERT INTO exchange_stamps (tbl, pk, col, stamp) VALUES (?, ?, ?, ?)"
                               " ON CONFLICT (tbl, pk, col) DO UPDATE SET stamp = max(stamp, excluded.stamp)", stamps)

    def _orders_added(self, rows: list[tuple]) -> None:
        """Orders a package inserted: into the table's seal and the daily counts."""
        from ..seal import order_row_hash
        add = self.counts.add_order
        n, total = 0, 0
        for row in rows:
            if len(row) != 12:  # a package from another schema: read back
                self.touched.setdefault("orders", set()).add(row[0])
                continue
            total += order_row_hash(row)
            n += 1
            _i, _c, _u, _s, _v, pid, _no, ind, wid, acc, _f, region = row
            add((wid, pid, ind, acc[:10]), region)  # as an order import counts it
        self.orders_in[0] += n
        self.orders_in[1] += total

    # -- merges ----------------------------------------------------------------
    def _stamp_of(self, t: str, pk: str, col: str, row: dict) -> str:
        r = self.c.execute("SELECT stamp FROM exchange_stamps WHERE tbl = ? AND pk = ? AND col = ?",
                           (t, pk, col)).fetchone()
        return r[0] if r else stamp(row.get("created_at", ""), row.get("site_id", ""))

    def _lost(self, t: str, pk: str, col: str, value, st: str) -> None:
        if col in DERIVED_COLUMNS.get(t, ()):
            return
        site = st.rsplit("|", 1)[-1]
        self.new_conflicts.append((conflict_id(t, pk, col, st), t, pk, col, _json(value), site))
        self._count(t, "conflicts")

    def _write(self, t: str, pk: str, cur: dict, writes: dict, incoming_version) -> None:
        if not writes:
            self._count(t, "present")
            return
        writes["row_version"] = max(cur.get("row_version") or 0, incoming_version or 0) + 1
        self.c.execute(f"UPDATE {t} SET {', '.join(f'{k} = ?' for k in writes)} WHERE id = ?", (*writes.values(), pk))
        self._count(t, "changed")
        self.touched.setdefault(t, set()).add(pk)

    def _merge_update(self, t: str, old, new, cur_t, st: str) -> None:
        cols = columns(self.store, t)
        cur = dict(zip(cols, cur_t))
        pk = old[0]
        local = LOCAL_COLUMNS.get(t, ())
        writes, stamps = {}, []
        for i, v in enumerate(new):
            if v is _NC or i >= len(cols):
                continue
            col, c = cols[i], cur_t[i]
            if c == v or col in local or col in ("row_version", "created_at", "site_id"):
                continue
            if col == "updated_at":
                if v > (c or ""):
                    writes[col] = v
                continue
            if c == old[i]:
                writes[col] = v
                continue
            have = self._stamp_of(t, pk, col, cur)
            if st > have:
                writes[col] = v
                self._lost(t, pk, col, c, have)
            else:
                self._lost(t, pk, col, v, st)
                stamps.append((t, pk, col, have))
        if stamps:
            self.c.executemany("INSERT OR REPLACE INTO exchange_stamps (tbl, pk, col, stamp) VALUES (?, ?, ?, ?)", stamps)
        rv = new[cols.index("row_version")] if "row_version" in cols and new[cols.index("row_version")] is not _NC else 0
        self._write(t, pk, cur, writes, rv)

    def _merge_insert(self, t: str, new, cur_t) -> None:
        """The same row (natural key) created at two sites."""
        cols = columns(self.store, t)
        cur, inc = dict(zip(cols, cur_t)), dict(zip(cols, new))
        pk = inc["id"]
        local = LOCAL_COLUMNS.get(t, ())
        theirs = stamp(inc.get("created_at", ""), inc.get("site_id", ""))
        writes, stamps = {}, []
        for col in cols:
            if col in META_COLUMNS or col in local or col == "id" or col not in inc:
                continue
            have = self._stamp_of(t, pk, col, cur)
            if cur[col] == inc[col]:
                stamps.append((t, pk, col, max(have, theirs)))
                continue
            if theirs > have:
                writes[col] = inc[col]
                self._lost(t, pk, col, cur[col], have)
            else:
                self._lost(t, pk, col, inc[col], theirs)
            stamps.append((t, pk, col, max(have, theirs)))
        if "created_at" in cols and (inc["created_at"], inc["site_id"]) < (cur["created_at"], cur["site_id"]):
            writes["created_at"], writes["site_id"] = inc["created_at"], inc["site_id"]
        if "updated_at" in cols and inc["updated_at"] > cur["updated_at"]:
            writes["updated_at"] = inc["updated_at"]
        if stamps:
            self.c.executemany("INSERT OR REPLACE INTO exchange_stamps (tbl, pk, col, stamp) VALUES (?, ?, ?, ?)", stamps)
        if set(writes) <= {"created_at", "site_id", "updated_at"} and writes:
            self.c.execute(f"UPDATE {t} SET {', '.join(f'{k} = ?' for k in writes)} WHERE id = ?",
                           (*writes.values(), pk))
            self._count(t, "present")
            return
        self._write(t, pk, cur, writes, inc.get("row_version"))

    def _same_record_two_keys(self, t: str, new) -> None:
        cols = columns(self.store, t)
        inc = dict(zip(cols, new))
        if t == "orders":  # the same order under two keys: the smaller key stays, on every site
            mine = self.c.execute("SELECT * FROM orders WHERE platform_id = ? AND order_no = ?",
                                  (inc["platform_id"], inc["order_no"])).fetchone()
            if mine is not None and inc["id"] < mine["id"]:
                from ..seal import COLUMNS, row_hash
                n, total = self.orders_out
                self.orders_out = (n + 1, total + row_hash(tuple(mine[k] for k in COLUMNS["orders"])))
                self.c.execute("DELETE FROM orders WHERE id = ?", (mine["id"],))
                self.c.execute(f"INSERT INTO orders ({', '.join(inc)}) VALUES ({', '.join('?' * len(inc))})",
                               tuple(inc.values()))
                self.touched.setdefault("orders", set()).add(inc["id"])
                self.order_days.add((mine["worker_id"], mine["platform_id"], mine["accepted_at"][:10]))
            self._count(t, "present")
            return
        # another record with the same natural identifier under another key: for a person
        what = inc.get(NATURAL.get(t, "id"), inc["id"])
        self.new_conflicts.append((conflict_id(t, inc["id"], "*", stamp(inc.get("created_at", ""), inc.get("site_id", ""))),
                                   t, inc["id"], "*", _json(what), inc.get("site_id", "")))
        self._count(t, "conflicts")

    # -- after the units -----------------------------------------------------------
    def finish(self, actor_name: str) -> None:
        """Audit, index and count what the package changed; record the conflicts (as this site's own unit)."""
        store, c = self.store, self.c
        if self.orders_in[0] or self.orders_out[0] or "orders" in self.touched:
            self._reseal_orders(actor_name, sorted(self.touched.get("orders", ())))
        for t, pks in self.touched.items():
            pks = sorted(pks)
            if t in NOT_AUDITED or t in SEALED:
                continue
            present = [r[0] for r in _chunks(c, f"SELECT id FROM {t} WHERE id IN", pks)]
            gone = sorted(set(pks) - set(present))
            if present:
                store._audit_rows(actor_name, "exchange", t, present)
            if gone:
                store._audit_many(actor_name, "exchange", t, [(g, {"*": [None, "deleted"]}, None) for g in gone])
            if t == "workers":  # the name search's index (claims/store/enrollment.py)
                for row in _chunks(c, "SELECT id, name FROM workers WHERE id IN", pks):
                    store._index_name(dict(row), old=row["name"])
        if self.order_days or self.counts.inc:  # daily counts are never shipped: counted here as an import does
            from ..import_report import ImportReport
            work = self.counts
            work.start()
            work.touched.update(self.order_days)
            work.finish(ImportReport(dry_run=False), {})

    def _reseal_orders(self, actor_name: str, pks: list[str]) -> None:
        from ..seal import COLUMNS, MOD, row_hash
        rows = list(_chunks(self.c, f"SELECT {', '.join(COLUMNS['orders'])} FROM orders WHERE id IN", pks))
        for r in rows:
            self.order_days.add((r["worker_id"], r["platform_id"], r["accepted_at"][:10]))
        out_n, out_sum = self.orders_out
        in_n, in_sum = self.orders_in
        self.store.seal_add_sum(actor_name, "orders", len(rows) + in_n - out_n,
                                (sum(row_hash(tuple(r)) for r in rows) + in_sum - out_sum) % MOD, "站点间交换")


def _chunks(c, head: str, ids: list, size: int = 500):
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        yield from c.execute(f"{head} ({','.join('?' * len(chunk))})", chunk)
