"""Build (once, cached) the benchmark databases with the demo generator, and
print how long each phase took and the peak memory (RSS) reached by its end.

    python bench/build_large.py                   # 100,000 and 1,000,000 workers
    python bench/build_large.py --workers 100000  # one size
    python bench/build_large.py --rebuild         # ignore the cache

Each size is generated in a fresh subprocess, so its peak RSS is its own
(resource.getrusage). Memory must not grow with N: the table prints both
sizes side by side and the ratio of their peaks. Databases land in bench/out/
(git-ignored) as workers-<N>.db, with the measurements in workers-<N>.json;
later runs print the cached measurements.

Orders are generated for one month (ORDER_MONTHS): the platforms' daily counts
(about 17 million rows for 1,000,000 workers), with order records around cases
and for a sample. The demo's dates are placed relative to a fixed day
(AS_OF), not today, so the same seed always builds the same databases.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
SIZES = [100_000, 1_000_000]
ORDER_MONTHS = ["2025-09"]
SEED = 1
AS_OF = date(2025, 11, 1)  # the demo's dates are relative to this day (default today): fixed, so reproducible


PHASES = {"平台与站点": "platforms, stations", "人员": "workers + enrollments", "订单": "orders + daily counts",
          "缴费申报": "fee declarations", "案件": "cases, users, ANALYZE"}


def label(message: str) -> str:
    """The English name of a generator phase (its progress messages are Chinese)."""
    return next((v for k, v in PHASES.items() if message.startswith(k)), message)


def db_path(n: int) -> Path:
    return OUT / f"workers-{n}.db"


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def child(n: int) -> int:
    """Generate one database; print the measurements as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from claims.demo import generate

    path = db_path(n)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    phases: list[dict] = []
    t0 = last = time.perf_counter()
    name = "start"

    def progress(message: str) -> None:
        nonlocal last, name
        now = time.perf_counter()
        phases.append({"phase": name, "seconds": round(now - last, 2), "peak_rss_mb": round(peak_rss_mb(), 1)})
        print(f"  [{n:,}] {now - t0:7.1f} s  peak RSS {peak_rss_mb():5.0f} MB  then: {message}", file=sys.stderr,
              flush=True)
        last, name = now, message

    store = generate(path, workers=n, seed=SEED, order_months=ORDER_MONTHS, as_of=AS_OF, progress=progress,
                     site_id="BENCH")
    progress("done")
    counts = store.counts()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    result = {"workers": n, "seconds": round(time.perf_counter() - t0, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
              "phases": phases[1:], "counts": counts, "db_mb": round(path.stat().st_size / 1e6, 1),
              "order_months": ORDER_MONTHS, "seed": SEED, "as_of": AS_OF.isoformat()}
    path.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


def measure(n: int, rebuild: bool) -> dict:
    cached = db_path(n).with_suffix(".json")
    if not rebuild and db_path(n).exists() and cached.exists():
        return {**json.loads(cached.read_text(encoding="utf-8")), "cached": True}
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"generating {n:,} workers into {db_path(n)} …", file=sys.stderr, flush=True)
    proc = subprocess.run([sys.executable, __file__, "--child", str(n)], stdout=subprocess.PIPE, text=True,
                          check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure(n: int = 1_000_000) -> Path:
    """For the other benchmarks: the database with n workers, built if missing,
    and migrated to the program's schema (untimed). The store keeps a copy of a
    file it migrates; for this regenerable file the copy is deleted."""
    if not db_path(n).exists() or not db_path(n).with_suffix(".json").exists():
        measure(n, rebuild=True)
    sys.path.insert(0, str(ROOT))
    from claims.store import Store
    store = Store(db_path(n), "BENCH")
    backup = getattr(store, "migration_backup", None)
    store.close()
    if backup:
        Path(backup).unlink(missing_ok=True)
        print(f"({db_path(n).name} migrated to the current schema; its pre-migration copy deleted)", file=sys.stderr)
    return db_path(n)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workers", type=int, action="append", help="size(s) to build (default: 100,000 and 1,000,000)")
    p.add_argument("--rebuild", action="store_true", help="generate again even if cached")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        return child(args.child)
    results = [measure(n, args.rebuild) for n in (args.workers or SIZES)]

    phase_names = list(dict.fromkeys(label(ph["phase"]) for r in results for ph in r["phases"]))
    head = f"{'':24}" + "".join(f"{r['workers']:>22,}" for r in results)
    print(f"\nDemo generator (claims.demo.generate, seed {SEED}, orders for {', '.join(ORDER_MONTHS)})"
          + ("  [cached]" if all(r.get("cached") for r in results) else ""))
    print(head + "\n" + "-" * len(head))
    for ph in phase_names:
        cells = []
        for r in results:
            m = next((x for x in r["phases"] if label(x["phase"]) == ph), None)
            cells.append(f"{m['seconds']:9.1f} s {m['peak_rss_mb']:7.0f} MB" if m else f"{'—':>22}")
        print(f"{ph[:22]:24}" + "".join(f"{c:>22}" for c in cells))
    print("-" * len(head))
    print(f"{'total time':24}" + "".join(f"{r['seconds']:>20.1f} s" for r in results))
    print(f"{'peak RSS':24}" + "".join(f"{r['peak_rss_mb']:>19.0f} MB" for r in results))
    print(f"{'workers/s':24}" + "".join(f"{r['workers'] / r['seconds']:>22,.0f}" for r in results))
    print(f"{'orders':24}" + "".join(f"{r['counts']['orders']:>22,}" for r in results))
    print(f"{'database':24}" + "".join(f"{r['db_mb']:>19.0f} MB" for r in results))
    if len(results) >= 2:
        a, b = results[0], results[-1]
        print(f"\npeak RSS {b['workers']:,} / {a['workers']:,} workers = {b['peak_rss_mb'] / a['peak_rss_mb']:.2f}x "
              f"(flat in N would be ~1.0x); time ratio {b['seconds'] / a['seconds']:.1f}x for "
              f"{b['workers'] / a['workers']:.0f}x the workers")
    print("(peak RSS is the process's maximum so far at the end of each phase)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
