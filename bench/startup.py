"""Start-up: process start to the main window shown, offscreen.

    python bench/startup.py [--runs 5] [--large PATH]

Each run is a fresh process (`python bench/_open_window.py …`) that exits on the
first turn of the event loop after the window is shown. Three programs, runs
interleaved so that machine noise hits all alike, median of --runs each:

    bare    a bare PySide6 QMainWindow with a QTableView (the baseline)
    empty   职保通's main window on an empty database
    large   职保通's main window on the 1,000,000-worker database (bench/build_large.py)

Targets (issue 2): empty <= 1.5x bare, large <= 2x bare.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TARGETS = {"empty": 1.5, "large": 2.0}


def one_run(kind: str, db: str, env: dict) -> tuple[float, float]:
    """(seconds to the window shown, seconds until the process ended)."""
    t0 = time.time()
    p = subprocess.run([sys.executable, str(HERE / "_open_window.py"), kind, db, repr(t0)], env=env,
                       capture_output=True, text=True, timeout=120)
    total = time.time() - t0
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("shown ")]
    if p.returncode != 0 or not lines:
        raise SystemExit(f"{kind} run failed ({p.returncode}):\n{p.stdout}\n{p.stderr[-4000:]}")
    return float(lines[-1].split()[1]), total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--large", type=Path, help="the large database (default: bench/out/workers-1000000.db, built if missing)")
    args = ap.parse_args()

    from claims.store import Store

    home = Path(tempfile.mkdtemp(prefix="zbt-startup-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZHIBAOTONG_HOME": str(home)}
    env.pop("PYTHONPATH", None)
    empty = home / "empty.db"
    Store(empty, "BENCH", create=True).close()
    if args.large:
        large = args.large
    else:
        import build_large
        large = build_large.ensure(1_000_000)
    s = Store(large, "BENCH")  # untimed: applies any pending migration, warms the page cache
    workers = s.counts()["workers"]
    s.close()

    programs = {"bare": "-", "empty": str(empty), "large": str(large)}
    for kind, db in programs.items():  # one untimed warm-up each (bytecode caches, page cache)
        one_run("bare" if kind == "bare" else "app", db, env)
    shown: dict[str, list[float]] = {k: [] for k in programs}
    ended: dict[str, list[float]] = {k: [] for k in programs}
    for _ in range(args.runs):
        for kind, db in programs.items():
            a, b = one_run("bare" if kind == "bare" else "app", db, env)
            shown[kind].append(a)
            ended[kind].append(b)

    base = statistics.median(shown["bare"])
    print(f"\nStart-up to the main window shown (offscreen, fresh process each run, median of {args.runs})")
    print(f"{'program':34}{'shown':>10}{'min':>10}{'max':>10}{'process':>10}{'ratio':>8}{'target':>8}")
    print("-" * 90)
    labels = {"bare": "bare QMainWindow + QTableView", "empty": "职保通, empty database",
              "large": f"职保通, {workers:,} workers"}
    misses = []
    for kind in programs:
        med = statistics.median(shown[kind])
        ratio = med / base
        target = TARGETS.get(kind)
        mark = "" if target is None else (f"≤{target:g}x" + (" ok" if ratio <= target else " MISS"))
        if target and ratio > target:
            misses.append(kind)
        label = labels[kind]
        pad = 34 - sum(2 if ord(c) > 0x2E80 else 1 for c in label)
        print(f"{label}{' ' * max(pad, 1)}{med * 1000:8.0f}ms{min(shown[kind]) * 1000:8.0f}ms"
              f"{max(shown[kind]) * 1000:8.0f}ms{statistics.median(ended[kind]) * 1000:8.0f}ms"
              f"{ratio:7.2f}x  {mark}")
    print(f"\n'shown': process start to the first event-loop turn after show(); 'process': the whole run "
          f"including exit. Large database: {large} ({large.stat().st_size / 1e6:,.0f} MB).")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
