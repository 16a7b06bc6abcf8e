"""政策测算 on the 1,000,000-worker database: ``whatif --scenario … --format json``
as a user runs it (a fresh process each time), its wall time and peak memory,
against a baseline measured in the same run — one plain pass over the daily
counts (``SELECT sum(orders) FROM daily_counts``), the least any answer from
the counts must read. Target: under a minute.

    python bench/whatif.py               # builds bench/out/workers-1000000.db first if missing (~12 min)
    python bench/whatif.py --db PATH --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0
SCENARIOS = {
    "fees: ride-hailing 0.02 from 2025-07": {
        "name": "出行每单 0.02 元", "fee_per_order": [{"industry": "ride_hailing", "from": "2025-07", "amount": "0.02"}]},
    "benefits: grade 7 = 15 months, base 8,000": {
        "name": "七级 15 个月", "one_off_disability_months": {"7": 15}, "parameters": {"benefit_base": "8000.00"}},
    "everything: amounts, tiers, rules, coverage": {
        "name": "综合", "fee_per_order": [{"industry": "instant_delivery", "from": "2025-01", "amount": "0.10"},
                                        {"industry": "intra_city_freight", "from": "2025-09", "amount": "0.20"}],
        "platform_tiers": {"美团": "A"}, "one_off_disability_months": {"7": 15, "10": 8},
        "item_rules": {"disability_allowance": {"pct_by_grade": {"4": 80}}},
        "coverage": [{"industry": "housekeeping", "name": "家政服务", "from": "2025-06", "workers": 50000,
                      "orders_per_worker_month": 60, "amount": "0.05", "benefits_per_month": "300000"}]},
}


def baseline(db: Path) -> float:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    t = time.perf_counter()
    con.execute("SELECT count(*), sum(orders) FROM daily_counts").fetchone()
    con.close()
    return time.perf_counter() - t


def run_once(db: Path, scenario: dict, home: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS MB of that process, lines printed)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False)
    env = {**os.environ, "ZHIBAOTONG_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "whatif", "--db", str(db), "--scenario", f.name,
                          "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = p.stdout.read(), p.stderr.read()
    _pid, status, usage = os.wait4(p.pid, 0)  # this child's own resource usage
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t
    Path(f.name).unlink()
    if p.returncode != 0:
        raise SystemExit(f"whatif failed ({p.returncode}): {err.decode('utf-8', 'replace')}")
    return seconds, usage.ru_maxrss / 1024, len(out.splitlines())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="database (default: bench/out/workers-1000000.db, built if missing)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if args.db is None:
        sys.path.insert(0, str(ROOT / "bench"))
        from build_large import ensure
        args.db = ensure(1_000_000)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute("SELECT count(*) FROM daily_counts").fetchone()[0]
    workers = con.execute("SELECT count(*) FROM workers").fetchone()[0]
    lines = con.execute("SELECT count(*) FROM declarations WHERE status != 'draft'").fetchone()[0]
    paid = con.execute("SELECT count(*) FROM benefit_payments WHERE status = 'approved'").fetchone()[0]
    con.close()
    print(f"{args.db.name}: {workers:,} workers, {rows:,} daily counts, {lines:,} submitted declarations, "
          f"{paid:,} approved benefit payments, {args.db.stat().st_size / 1e9:.1f} GB")
    base = statistics.median(baseline(args.db) for _ in range(args.runs))
    print(f"baseline: one pass over the daily counts  {base:6.1f} s")
    print(f"{'scenario':46} {'median':>8} {'worst':>8} {'x base':>7} {'peak RSS':>9} {'lines':>6}  target < {TARGET_S:.0f} s")
    with tempfile.TemporaryDirectory() as home:
        for name, sc in SCENARIOS.items():
            runs = [run_once(args.db, sc, Path(home)) for _ in range(args.runs)]
            secs = [r[0] for r in runs]
            med = statistics.median(secs)
            print(f"{name:46} {med:7.1f}s {max(secs):7.1f}s {med / base:6.1f}x {max(r[1] for r in runs):7.0f} MB"
                  f" {runs[0][2]:6}  {'ok' if max(secs) < TARGET_S else 'SLOW'}")
    print("(peak RSS: the whatif process's own maximum resident set, from wait4)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
