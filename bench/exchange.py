"""The exchange between sites (issue 18): a package with N changed rows, exported
and imported, against a plain ``apsw.Changeset.apply`` of the same changeset
in the same run (target: import ≥ 0.5× the plain apply's speed); what change
capture costs an order import; and what random (uuid5) order keys would cost
against the time-ordered ones the import uses.

    python bench/exchange.py [--rows 100000]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="zbt-bench-exchange-"))
    os.environ["ZHIBAOTONG_HOME"] = str(d / "home")
    import apsw

    from claims.store import Actor, Store
    from claims.store.base import _issue, new_id
    from claims.store.exchange.keys import key
    admin = _issue(Actor("admin", role="admin"))
    a = Store(d / "a.db", "OFFA", create=True)
    b = Store(d / "b.db", "FLDB", create=True)
    a.trust_site(admin, b.site_card())
    b.trust_site(admin, a.site_card())
    p, _c = a.add_platform(admin, name="美团", industries=["food_delivery"])
    w, _c = a.add_worker(admin, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    data, _s = a.export_package(admin, "FLDB")
    b.import_package(admin, data)
    data, _s = b.export_package(admin, "OFFA")
    a.import_package(admin, data)
    n = args.rows
    ts = "2026-01-01T08:00:00+08:00"

    def rows(ids):
        return [(i, ts, ts, "OFFA", 1, p.id, f"D{k:010d}", "food_delivery", w.id,
                 f"2026-01-{1 + k % 28:02d}T09:00:00+08:00", None, "310000") for k, i in enumerate(ids)]
    insert = ("INSERT INTO orders (id, created_at, updated_at, site_id, row_version, platform_id, order_no, industry,"
              " worker_id, accepted_at, finished_at, region) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
    # 1. an action writing N orders, with and without change capture (the outbox)
    t0 = time.perf_counter()
    with a.atomic():
        a.conn.executemany(insert, rows([new_id() for _ in range(n)]))
    captured = time.perf_counter() - t0
    a.capture_paused = True
    t0 = time.perf_counter()
    with a.atomic():
        a.conn.executemany(insert.replace("'", "'"), [(new_id(), *r[1:6], "E" + r[6][1:], *r[7:]) for r in rows(range(n))])
    plain_write = time.perf_counter() - t0
    a.capture_paused = False
    # 2. export and import of the captured package, against a plain apply of the same changeset
    t0 = time.perf_counter()
    data, summary = a.export_package(admin, "FLDB")
    export_s = time.perf_counter() - t0
    cs = a.conn.execute("SELECT changeset FROM exchange_outbox WHERE origin = 'OFFA' ORDER BY seq DESC LIMIT 1"
                        ).fetchone()[0]
    # the baseline: the same changeset applied plainly to a copy of the receiving database,
    # with the store's settings (WAL, synchronous NORMAL, foreign keys checked): same tables,
    # same keys, same indexes and constraints, none of the import's bookkeeping
    from claims.store.base import copy_database
    copy_database(b.conn, d / "plain.db")
    plain = apsw.Connection(str(d / "plain.db"))
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        plain.execute(f"PRAGMA {pragma}")
    t0 = time.perf_counter()
    with plain:
        apsw.Changeset.apply(cs, plain)
    plain_apply = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = b.import_package(admin, data)
    import_s = time.perf_counter() - t0
    assert r["tables"]["orders"]["added"] == n, r
    # 3. order keys: time-ordered (what the import uses) against uuid5 over platform + order number
    keyed = {}
    for label, make in (("time-ordered", lambda k: new_id()), ("uuid5", lambda k: key("order", p.id, f"F{k:010d}"))):
        c = apsw.Connection(str(d / f"keys-{label}.db"))
        c.execute("CREATE TABLE orders (id TEXT PRIMARY KEY, platform_id TEXT, order_no TEXT, accepted_at TEXT,"
                  " UNIQUE (platform_id, order_no))")
        t0 = time.perf_counter()
        for chunk in range(0, 3 * n, n):  # three imports, the table growing
            ids = [make(k) for k in range(chunk, chunk + n)]
            with c:
                c.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)",
                              [(i, p.id, f"F{k:010d}", ts) for k, i in zip(range(chunk, chunk + n), ids)])
        keyed[label] = time.perf_counter() - t0
        c.close()
    mb = len(data) / 1e6
    print(f"load average {os.getloadavg()[0]:.1f}; {n:,} orders; package {mb:.1f} MB ({summary['units']} unit)")
    print(f"| step | seconds | rows/s | ratio |\n|---|---|---|---|")
    print(f"| write {n:,} orders in one action, no capture | {plain_write:.2f} | {n / plain_write:,.0f} | 1.00× |")
    print(f"| the same with change capture (session + outbox) | {captured:.2f} | {n / captured:,.0f} |"
          f" {captured / plain_write:.2f}× the time |")
    print(f"| export (changeset, audit, sign, encrypt) | {export_s:.2f} | {n / export_s:,.0f} | |")
    print(f"| plain `apsw.Changeset.apply` | {plain_apply:.2f} | {n / plain_apply:,.0f} | 1.00× |")
    print(f"| import-package (check, apply, audit, seal, counts) | {import_s:.2f} | {n / import_s:,.0f} |"
          f" {plain_apply / import_s:.2f}× the speed (target ≥ 0.5×) |")
    for label, s in keyed.items():
        print(f"| 3 × {n:,} orders, {label} keys | {s:.2f} | {3 * n / s:,.0f} |"
              f" {s / keyed['time-ordered']:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
