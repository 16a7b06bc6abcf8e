"""Seals for tables written in bulk (order records): instead of one audit
entry per row, the audit chain records a running multiset digest of the whole
table — the sum, modulo 2**128, of a hash of every row. An import adds the
hashes of the rows it stored; `audit verify` recomputes the sum over the table,
so a row edited, inserted or deleted outside the program no longer matches.

Daily counts imported directly (source 'imported') are sealed the same way: an
import adds the hashes of new counts and swaps those of changed ones; an order
import that replaces imported counts by counts from the records takes theirs
out. (Counts derived from order records are checked against the records.)"""
from __future__ import annotations

import hashlib
from typing import Iterable

MOD = 1 << 128
SEALED_TABLES = ("orders", "daily_counts")
COLUMNS = {"orders": ("id", "created_at", "updated_at", "site_id", "row_version", "platform_id", "order_no",
                      "industry", "worker_id", "accepted_at", "finished_at", "region"),
           "daily_counts": ("worker_id", "platform_id", "industry", "day", "region", "orders")}
WHERE = {"daily_counts": "source != 'derived'"}  # which rows a table's seal covers (default: all)


def row_hash(values: Iterable) -> int:
    text = "\x1f".join("\x00" if v is None else str(v) for v in values)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "big")


def order_row_hash(row: tuple) -> int:
    """``row_hash`` of one whole orders row (the table's 12 columns in order), built
    without the generic per-value work where its values are text, as they are."""
    i, c, u, site, v, pid, no, ind, wid, acc, fin, region = row
    try:
        text = "\x1f".join((i, c, u, site, str(v), pid, no, ind, wid, acc, "\x00" if fin is None else fin, region))
    except TypeError:  # a value that is not text: the generic way
        return row_hash(row)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=16).digest(), "big")


def order_rows_hash(rows: Iterable[tuple], ts: str) -> int:
    """The sum of ``row_hash`` over order rows as an import writes them:
    (site_id, platform_id, order_no, industry, worker_id, accepted_at,
    finished_at, region, id), created and updated at ``ts``, row version 1.
    The same text as ``row_hash`` builds, without its generic per-value work
    (a fifth of an order import's time)."""
    blake, from_bytes = hashlib.blake2b, int.from_bytes
    mid = f"\x1f{ts}\x1f{ts}\x1f"
    total = 0
    for site, pid, order_no, ind, wid, acc, fin, region, oid in rows:
        text = "\x1f".join((oid + mid + site, "1", pid, order_no, ind, wid, acc,
                             "\x00" if fin is None else fin, region))
        total += from_bytes(blake(text.encode(), digest_size=16).digest(), "big")
    return total


def encode(count: int, total: int) -> str:
    return f"multiset:{count}:{total:032x}"


def decode(text: str | None) -> tuple[int, int]:
    if not text or not text.startswith("multiset:"):
        return 0, 0
    _tag, count, total = text.split(":")
    return int(count), int(total, 16)


class SealMixinBase:
    """Mixed into the store (needs ``conn`` and ``_audit``)."""

    def seal_state(self, table: str) -> tuple[int, int]:
        r = self.conn.execute("SELECT row_digest FROM audit_log WHERE table_name = ? AND record_id = '*'"
                              " ORDER BY seq DESC LIMIT 1", (table,)).fetchone()
        return decode(r[0] if r else None)

    def seal_add(self, actor, table: str, rows: list[tuple], note: str = "") -> None:
        """Record that ``rows`` (full column tuples in COLUMNS order) were added."""
        self.seal_add_sum(actor, table, len(rows), sum(row_hash(r) for r in rows) % MOD, note)

    def seal_add_sum(self, actor, table: str, n: int, hashes: int, note: str = "") -> None:
        """Record that ``n`` rows whose hashes sum to ``hashes`` were added (``n`` < 0:
        taken out; ``n`` == 0 with ``hashes``: rows changed in place)."""
        if not n and not hashes % MOD:
            return
        count, total = self.seal_state(table)
        # the entry's row digest is the seal of the whole table after this import
        self._audit_many(actor, "import", table, [("*", {"rows": [None, n], "note": [None, note]},
                                                   encode(count + n, (total + hashes) % MOD))])

    def seal_reset(self, actor, table: str, note: str) -> None:
        """Record the table's seal as it stands (the first signing of a database made before it was sealed)."""
        actual = table_seal(self.conn, table)
        if actual != self.seal_state(table):
            self._audit_many(actor, "seal", table, [("*", {"rows": [None, actual[0]], "note": [None, note]},
                                                     encode(*actual))])


def table_seal(conn, table: str) -> tuple[int, int]:
    cols = ", ".join(COLUMNS[table])
    where = f" WHERE {WHERE[table]}" if table in WHERE else ""
    total = count = 0
    for row in conn.execute(f"SELECT {cols} FROM {table}{where}"):
        total = (total + row_hash(row)) % MOD
        count += 1
    return count, total
