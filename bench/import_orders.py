"""Benchmark: import 1,000,000 order records from a generated CSV.

Compared, in the same run, with the best plain way of doing the same work
(``child_plain``): a copy of the same database (so the same ``orders`` table:
columns, UNIQUE (platform_id, order_no), the secondary index; the same
``daily_counts`` with its index and trigger), the file read with
``csv.reader``, platform and worker ids resolved through dicts, keys in time
order (the UUIDv7 layout, as the program's), the daily counts summed in a
dict and added to what is stored, one transaction, one ``executemany``; once
with SQLite's default page cache and once with the import's, and the faster
of the two is the baseline. Each side runs in a fresh subprocess so that its
peak memory (``ru_maxrss``) is its own; the sides are interleaved and the
best of --repeat runs counts, so that a busy machine hurts both alike. CPU
seconds are printed beside the wall-clock ones: on a shared machine they move
less. Target: at least half the baseline's speed (aim: 0.8), peak memory
under 300 MB.

    python bench/import_orders.py [--rows 1000000] [--workers 5000] [--repeat 3] [--dir DIR]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLATFORMS = [("美团", "food_delivery"), ("饿了么", "food_delivery"), ("闪送", "instant_delivery"),
             ("货拉拉", "intra_city_freight")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# -- setup (parent process) ---------------------------------------------------------------
def make_db(path: Path, n_workers: int) -> list[tuple[str, str]]:
    from claims.store import Actor, Store
    from claims.validators import id_check_char

    for old in path.parent.glob("*.db*"):
        old.unlink()
    s = Store(path, "BENCH", create=True)
    actor = Actor("bench:admin")
    for name, ind in PLATFORMS:
        s.add_platform(actor, name=name, industries=[ind])
    people, rows = [], []
    for i in range(n_workers):
        first17 = f"310104{1970 + i % 30}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        idn = first17 + id_check_char(first17)
        plat = PLATFORMS[i % len(PLATFORMS)]
        people.append((idn, plat[0]))
        rows.append((f"{i:032x}", "2025-01-01T00:00:00+08:00", "2025-01-01T00:00:00+08:00", "BENCH", idn,
                     idn[::-1], f"骑手{i}", "male", idn[6:10] + "-" + idn[10:12] + "-" + idn[12:14],
                     f"138{i:08d}", f"{i:08d}831"))
    with s.atomic():
        s.conn.executemany("INSERT OR IGNORE INTO workers (id, created_at, updated_at, site_id, id_number, id_rev,"
                           " name, gender, birth_date, phone, phone_rev) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return people


def make_csv(path: Path, n_rows: int, people: list[tuple[str, str]]) -> None:
    rng = random.Random(2)
    ind = dict(PLATFORMS)
    start = datetime(2025, 9, 1, 7, 0)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_no", "platform", "industry", "id_number", "accepted_at", "finished_at", "region"])
        for i in range(n_rows):
            idn, plat = people[rng.randrange(len(people))]
            acc = start + timedelta(seconds=rng.randrange(30 * 86400))
            fin = "" if rng.random() < 0.03 else (acc + timedelta(minutes=rng.randint(10, 70))).isoformat()
            w.writerow([f"D{i:010d}", plat, ind[plat], idn, acc.isoformat(), fin, "310000"])


# -- the two sides (each in a fresh subprocess) ----------------------------------------------
def child_import(db: str, csv_path: str) -> dict:
    from claims.store import Actor, Store
    from claims.tabular import read_rows

    s = Store(db, "BENCH")
    t, cpu = time.perf_counter(), time.process_time()
    rep = s.import_orders(Actor("bench:admin"), read_rows(csv_path), file_name=Path(csv_path).name)
    first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    again = s.import_orders(Actor("bench:admin"), read_rows(csv_path), file_name=Path(csv_path).name)
    second = time.perf_counter() - t
    stored = s.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    days = s.conn.execute("SELECT count(*), sum(orders) FROM daily_counts").fetchone()
    return {"seconds": first, "cpu": first_cpu, "again_seconds": second, "new": rep.new, "rejected": len(rep.rejected),
            "again_new": again.new, "stored": stored, "days": tuple(days), "peak_mb": peak_mb()}


def child_plain(template: str, db: str, csv_path: str, cache_kib: int) -> dict:
    """The best plain way of doing the same work: the program's own tables (a copy of the
    same template, so the same columns, UNIQUE (platform_id, order_no), secondary
    indexes and triggers), ``csv.reader``, platform and worker ids resolved through
    dicts, keys in time order (the UUIDv7 layout: milliseconds, version, variant, then a
    counter), the same stored times (+08:00), the daily counts kept in step the same way
    (summed in a dict, added to whatever is stored), one transaction, one ``executemany``.
    No checks, no de-duplication report, no import log, no seal: those are the program's
    own work, and what it must win back."""
    for old in Path(db).parent.glob(Path(db).name + "*"):
        old.unlink()
    shutil.copy2(template, db)
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA synchronous = NORMAL")  # as the program (one commit: it hardly matters)
    if cache_kib:
        c.execute(f"PRAGMA cache_size = {cache_kib}")
    ts = "2025-11-01T00:00:00+08:00"
    t, cpu = time.perf_counter(), time.process_time()
    platforms = dict(c.execute("SELECT name, id FROM platforms"))
    workers = dict(c.execute("SELECT id_number, id FROM workers"))
    base = (time.time_ns() // 1_000_000 << 80) | (0x7 << 76) | (0b10 << 62) | random.getrandbits(40) << 20
    counts: dict[tuple, list] = {}

    def rows():
        with open(csv_path, encoding="utf-8", newline="") as fh:
            r = csv.reader(fh)
            next(r)
            for i, (order_no, plat, ind, idn, acc, fin, region) in enumerate(r):
                pid, wid = platforms[plat], workers[idn]
                acc += "+08:00"
                key = (wid, pid, ind, acc[:10])
                hit = counts.get(key)
                if hit is None:
                    counts[key] = [1, region]
                else:
                    hit[0] += 1
                yield (f"{base + i:032x}", ts, ts, "BENCH", pid, order_no, ind, wid, acc,
                       fin + "+08:00" if fin else None, region)

    c.execute("BEGIN")
    c.executemany("INSERT INTO orders (id, created_at, updated_at, site_id, platform_id, order_no, industry,"
                  " worker_id, accepted_at, finished_at, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    c.executemany("INSERT INTO daily_counts (worker_id, platform_id, industry, day, region, orders)"
                  " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET orders = orders + excluded.orders",
                  ((*k, v[1], v[0]) for k, v in counts.items()))
    c.execute("COMMIT")
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "stored": c.execute("SELECT count(*) FROM orders").fetchone()[0],
            "days": c.execute("SELECT count(*), sum(orders) FROM daily_counts").fetchone(), "peak_mb": peak_mb()}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side (the best counts)")
    ap.add_argument("--dir", help="work folder (default: a temporary one, removed afterwards)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *rest = a.child
        res = child_import(*rest) if kind == "import" else child_plain(rest[0], rest[1], rest[2], int(rest[3]))
        print(json.dumps(res))
        return 0

    work = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="bench-orders-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        template = work / "template.db"
        people = make_db(template, a.workers)
        csv_path = work / "orders.csv"
        make_csv(csv_path, a.rows, people)
        print(f"准备：{len(people):,} 名人员，{a.rows:,} 行订单 CSV（{csv_path.stat().st_size / 2**20:.0f} MB），"
              f"{time.perf_counter() - t:.1f} s")
        from claims.store.orders import IMPORT_CACHE_KIB
        plain, cached, ours = [], [], []
        for _ in range(a.repeat):  # interleaved, so that a busy machine hurts all sides alike
            plain.append(run_child("--child", "plain", str(template), str(work / "plain.db"), str(csv_path), "0"))
            db = work / "import.db"
            for old in work.glob("import.db*"):
                old.unlink()
            shutil.copy2(template, db)
            ours.append(run_child("--child", "import", str(db), str(csv_path)))
            cached.append(run_child("--child", "plain", str(template), str(work / "plain.db"), str(csv_path),
                                    str(IMPORT_CACHE_KIB)))
        plain = min(plain, key=lambda r: r["seconds"])
        cached = min(cached, key=lambda r: r["seconds"])
        ours = min(ours, key=lambda r: r["seconds"])
        n = a.rows
        assert ours["new"] == n and ours["stored"] == n and ours["again_new"] == 0, ours
        assert plain["stored"] == n and cached["stored"] == n
        assert ours["days"] == plain["days"] == cached["days"], (ours["days"], plain["days"])  # the same counts
        base = min(plain, cached, key=lambda r: r["seconds"])
        ratio = base["seconds"] / ours["seconds"]
        print(f"\n{'':62}{'seconds':>9}{'cpu s':>8}{'rows/s':>10}{'peak':>9}")
        for label, r in ((f"plain executemany, default page cache", plain),
                         (f"plain executemany, the import's page cache ({-IMPORT_CACHE_KIB // 1024} MB)", cached),
                         ("import_orders (checks, dedup, daily counts, seal, import log)", ours)):
            print(f"{label:62}{r['seconds']:9.2f}{r['cpu']:8.2f}{n / r['seconds']:10,.0f}{r['peak_mb']:6.0f} MB")
        print(f"{'import_orders, same file again (all already stored)':62}{ours['again_seconds']:9.2f}")
        print(f"\nratio: {ratio:.2f}× the baseline's speed (the faster plain side; target ≥ 0.50, aim 0.8);"
              f" by CPU time {base['cpu'] / ours['cpu']:.2f}×; {ours['days'][0]:,} daily counts on both sides")
        ok = ratio >= 0.5 and ours["peak_mb"] < 300
        print("结果：" + ("达标" if ok else "未达标") + f"（峰值内存 {ours['peak_mb']:.0f} MB，目标 < 300 MB）")
        return 0 if ok else 1
    finally:
        if not a.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
