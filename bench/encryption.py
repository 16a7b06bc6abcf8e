"""What encrypting the database file costs (issue 15): an encrypted and a plain
copy of the same database, measured in the same run, alternately.

    python bench/encryption.py [--workers 20000] [--orders 200000] [--samples 10] [--repeat 3] [--dir DIR]

The base is a demo database (claims/demo.py, one month of orders) with the demo
users; one copy stays plain, the other is encrypted with ``encrypt_database``
(timed: it re-encrypts every page). Then, for each copy:
- open: ``Store(path)`` and a first read, in a fresh connection (the key of the
  encrypted copy already unlocked, as in every program start after the login),
  and the login itself (plain: the Argon2 check; encrypted: the unwrap of the
  data key and the same check);
- import: ``import_orders`` of a CSV of N orders of the demo's workers (the
  program's import, one transaction), into a fresh copy each time;
- search: the worker list's search box as bench/search.py times it (one page of
  50 plus the count), median over --samples values of each kind of query,
  warm cache; and the same on a fresh connection (cold cache: every page read
  is decrypted again).
Each figure is the median of --repeat runs; the ratio is encrypted / plain.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = date(2025, 11, 1)


def build(base: Path, workers: int) -> None:
    from claims.demo import generate
    t = time.perf_counter()
    s = generate(base, workers=workers, seed=3, as_of=AS_OF, order_months=["2025-09"])
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    print(f"base database: {workers:,} workers in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def make_csv(base: Path, path: Path, n: int) -> None:
    from claims.store import Store
    s = Store(base, "BENCH")
    people = [tuple(r) for r in s.conn.execute(
        "SELECT w.id_number, p.name, e.industry FROM enrollments e JOIN workers w ON w.id = e.worker_id"
        " JOIN platforms p ON p.id = e.platform_id WHERE e.status = 'active'")]
    s.close()
    rng = random.Random(5)
    start = datetime(2025, 10, 1, 7, 0)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_no", "platform", "industry", "id_number", "accepted_at", "finished_at", "region"])
        for i in range(n):
            idn, plat, ind = people[rng.randrange(len(people))]
            acc = start + timedelta(seconds=rng.randrange(25 * 86400))
            w.writerow([f"E{i:010d}", plat, ind, idn, acc.isoformat(), (acc + timedelta(minutes=30)).isoformat(),
                        "310000"])


def copy(src: Path, dest: Path) -> None:
    for suffix in ("", ".anchor", ".keys"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dest}{suffix}")


def median_ms(fn, n: int) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def queries(store, n: int) -> dict[str, list[str]]:
    rng = random.Random(7)
    rows = [tuple(r) for r in store.conn.execute("SELECT id_number, name, phone FROM workers")]
    rows = [rows[rng.randrange(len(rows))] for _ in range(n)]
    return {"ID number, last 4": [r[0][-4:] for r in rows], "ID number, full": [r[0] for r in rows],
            "name, 1 character": [r[1][-1] for r in rows], "name, 2 characters": [r[1][:2] for r in rows],
            "mobile, last 4": [r[2][-4:] for r in rows]}


def search_ms(path: Path, qs: dict[str, list[str]], cold: bool) -> dict[str, float]:
    from claims.store import Store, WorkerFilter
    out = {}
    store = None if cold else Store(path, "BENCH")
    for kind, texts in qs.items():
        times = []
        for q in texts:
            f = WorkerFilter(text=q)
            s = Store(path, "BENCH") if cold else store
            if not cold:
                s.search_workers(f, limit=50)
            t = time.perf_counter()
            s.search_workers(f, limit=50)
            s.count_workers(f)
            times.append((time.perf_counter() - t) * 1000)
            if cold:
                s.close()
        out[kind] = statistics.median(times)
    if store:
        store.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=20_000)
    ap.add_argument("--orders", type=int, default=200_000)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="zbt-crypt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ZHIBAOTONG_HOME", str(work / "home"))

    from claims.cli import cli_actor
    from claims.store import Store, keyring
    from claims.store import db as sqlite_db
    from claims.store.encryption import open_unlocked
    from claims.tabular import read_rows

    base = work / f"base-{args.workers}.db"
    if not base.exists():
        build(base, args.workers)
    orders_csv = work / f"orders-{args.orders}.csv"
    if not orders_csv.exists():
        make_csv(base, orders_csv, args.orders)
    plain, enc = work / "plain.db", work / "enc.db"
    copy(base, plain)
    copy(base, enc)
    s = Store(enc, "BENCH")
    t = time.perf_counter()
    s.encrypt_database(cli_actor())
    encrypt_s = time.perf_counter() - t
    s.close()
    key = sqlite_db.key_for(enc)
    size = base.stat().st_size
    rows: list[tuple[str, float, float, str]] = []

    # -- open ------------------------------------------------------------------------
    def open_read(p):
        st = Store(p, "BENCH")
        st.counts()
        st.close()
    for p in (plain, enc):
        open_read(p)  # the file in the page cache for both
    rows.append(("open + first read", median_ms(lambda: open_read(plain), 9 * args.repeat),
                 median_ms(lambda: open_read(enc), 9 * args.repeat), "ms"))

    def login_plain():
        st = Store(plain, "BENCH")
        st.authenticate("agent", "agent123")
        st.close()

    def login_enc():
        sqlite_db.set_key(enc, None)
        st, _a = open_unlocked(enc, "BENCH", "agent", "agent123")
        st.close()
    login_enc()  # the first login after encrypting renews the wrap: not what every later login costs
    rows.append(("login (open, unlock, check)", median_ms(login_plain, args.repeat * 2),
                 median_ms(login_enc, args.repeat * 2), "ms"))
    sqlite_db.set_key(enc, key)

    # -- import ----------------------------------------------------------------------
    def import_into(src: Path) -> float:
        target = work / ("imp-" + src.name)
        for old in work.glob(target.name + "*"):
            old.unlink()
        copy(src, target)
        if src == enc:
            sqlite_db.set_key(target, key)
        st = Store(target, "BENCH")
        t0 = time.perf_counter()
        rep = st.import_orders(cli_actor(), read_rows(orders_csv), file_name=orders_csv.name)
        took = time.perf_counter() - t0
        assert rep.new == args.orders and not rep.rejected, (rep.new, rep.rejected[:3])
        st.close()
        return took
    p_imp, e_imp = [], []
    for _ in range(args.repeat):
        p_imp.append(import_into(plain))
        e_imp.append(import_into(enc))
    rows.append((f"import {args.orders:,} orders", statistics.median(p_imp), statistics.median(e_imp), "s"))

    # -- search ----------------------------------------------------------------------
    s = Store(plain, "BENCH")
    qs = queries(s, args.samples)
    s.close()
    for cold in (False, True):
        p_runs, e_runs = [], []
        for _ in range(args.repeat):
            p_runs.append(search_ms(plain, qs, cold))
            e_runs.append(search_ms(enc, qs, cold))
        for kind in qs:
            rows.append((f"search {kind}{' (fresh connection)' if cold else ''}",
                         statistics.median(r[kind] for r in p_runs), statistics.median(r[kind] for r in e_runs), "ms"))

    load = os.getloadavg()[0]
    print(f"\nEncryption (SQLite3 Multiple Ciphers, SQLCipher 4 format) vs the plain file, same run, "
          f"{date.today():%Y-%m-%d}, load average {load:.1f}")
    print(f"database: {args.workers:,} workers, {size / 1e6:,.0f} MB; encrypting it (every page rewritten): "
          f"{encrypt_s:.2f} s; median of {args.repeat} runs")
    print(f"{'step':48}{'plain':>12}{'encrypted':>12}{'ratio':>8}")
    print("-" * 80)
    for what, p, e, unit in rows:
        fmt = (lambda v: f"{v:9.2f} s") if unit == "s" else (lambda v: f"{v:8.1f} ms")
        print(f"{what:48}{fmt(p):>12}{fmt(e):>12}{e / p if p else float('nan'):7.2f}×")
    assert keyring.is_encrypted(enc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
