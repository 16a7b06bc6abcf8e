"""Benchmark: import 1,000,000 order records from a generated CSV.

Compared, in the same run, with a plain ``sqlite3`` ``executemany`` of the
same file's rows (read with ``csv.reader``) into a table of the same shape
(same columns, the same UNIQUE (platform_id, order_no), the same index) in
one transaction. Each side runs in a fresh subprocess so that its peak
memory (``ru_maxrss``) is its own. Target: at least half the plain speed,
peak memory under 300 MB.

    python bench/import_orders.py [--rows 1000000] [--workers 5000] [--repeat 1] [--dir DIR]
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
PLAIN_SCHEMA = """
CREATE TABLE orders (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, site_id TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    platform_id TEXT NOT NULL, order_no TEXT NOT NULL, industry TEXT NOT NULL, worker_id TEXT NOT NULL,
    accepted_at TEXT NOT NULL, finished_at TEXT, region TEXT NOT NULL,
    UNIQUE (platform_id, order_no));
CREATE INDEX orders_worker_time ON orders(worker_id, accepted_at, finished_at, platform_id);
"""


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
    t = time.perf_counter()
    rep = s.import_orders(Actor("bench:admin"), read_rows(csv_path), file_name=Path(csv_path).name)
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = s.import_orders(Actor("bench:admin"), read_rows(csv_path), file_name=Path(csv_path).name)
    second = time.perf_counter() - t
    stored = s.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    return {"seconds": first, "again_seconds": second, "new": rep.new, "rejected": len(rep.rejected),
            "again_new": again.new, "stored": stored, "peak_mb": peak_mb()}


def child_plain(db: str, csv_path: str, cache_kib: int) -> dict:
    for old in Path(db).parent.glob(Path(db).name + "*"):
        old.unlink()
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("PRAGMA synchronous = NORMAL")
    if cache_kib:
        c.execute(f"PRAGMA cache_size = {cache_kib}")
    c.executescript(PLAIN_SCHEMA)
    ts = "2025-09-01T00:00:00+08:00"
    sql = ("INSERT INTO orders (id, created_at, updated_at, site_id, platform_id, order_no, industry, worker_id,"
           f" accepted_at, finished_at, region) VALUES (lower(hex(randomblob(16))), '{ts}', '{ts}', 'BENCH',"
           " ?, ?, ?, ?, ?, ?, ?)")

    def rows():
        with open(csv_path, encoding="utf-8", newline="") as fh:
            r = csv.reader(fh)
            next(r)
            for order_no, plat, ind, idn, acc, fin, region in r:
                yield plat, order_no, ind, idn, acc, fin or None, region

    t = time.perf_counter()
    c.execute("BEGIN")
    c.executemany(sql, rows())
    c.execute("COMMIT")
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "stored": c.execute("SELECT count(*) FROM orders").fetchone()[0], "peak_mb": peak_mb()}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each side (the best counts)")
    ap.add_argument("--dir", help="work folder (default: a temporary one, removed afterwards)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        kind, *rest = a.child
        res = child_import(*rest) if kind == "import" else child_plain(rest[0], rest[1], int(rest[2]))
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
        from claims.store.fees import IMPORT_CACHE_KIB
        plain, cached, ours = [], [], []
        for _ in range(a.repeat):  # interleaved, so that a busy machine hurts both sides alike
            plain.append(run_child("--child", "plain", str(work / "plain.db"), str(csv_path), "0"))
            db = work / "import.db"
            for old in work.glob("import.db*"):
                old.unlink()
            shutil.copy2(template, db)
            ours.append(run_child("--child", "import", str(db), str(csv_path)))
            cached.append(run_child("--child", "plain", str(work / "plain.db"), str(csv_path), str(IMPORT_CACHE_KIB)))
        plain = min(plain, key=lambda r: r["seconds"])
        cached = min(cached, key=lambda r: r["seconds"])
        ours = min(ours, key=lambda r: r["seconds"])
        assert ours["new"] == a.rows and ours["stored"] == a.rows and ours["again_new"] == 0, ours
        assert plain["stored"] == a.rows and cached["stored"] == a.rows
        ratio = plain["seconds"] / ours["seconds"]
        n = a.rows
        print(f"plain sqlite3 (csv.reader → executemany, one transaction, default pragmas): {plain['seconds']:.2f} s,"
              f" {n / plain['seconds']:,.0f} rows/s, peak {plain['peak_mb']:.0f} MB")
        print(f"plain sqlite3 with the import's page cache ({-IMPORT_CACHE_KIB // 1024} MB): {cached['seconds']:.2f} s,"
              f" {n / cached['seconds']:,.0f} rows/s, peak {cached['peak_mb']:.0f} MB")
        print(f"import_orders (checks, dedup, daily counts, import log): {ours['seconds']:.2f} s,"
              f" {n / ours['seconds']:,.0f} rows/s, peak {ours['peak_mb']:.0f} MB")
        print(f"same file again (all {n:,} already stored): {ours['again_seconds']:.2f} s; stored {ours['stored']:,}")
        print(f"ratio: {ratio:.2f}× plain speed (target ≥ 0.50);"
              f" {cached['seconds'] / ours['seconds']:.2f}× plain with the same page cache")
        ok = ratio >= 0.5 and ours["peak_mb"] < 300
        print("结果：" + ("达标" if ok else "未达标") + f"（峰值内存 {ours['peak_mb']:.0f} MB，目标 < 300 MB）")
        return 0 if ok else 1
    finally:
        if not a.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
