"""How long each 统计 view takes on the 1,000,000-worker benchmark database.

    python bench/stats_views.py              # uses bench/out/workers-1000000.db (built if missing)
    python bench/stats_views.py --db PATH    # another database
    python bench/stats_views.py --rebuild-aggregates   # also time a full rebuild of the aggregate tables

Prints, per view, the time of its queries (cold: a fresh connection; warm:
the same query again; and with a platform or station filter), against a
baseline measured in the same run: the plain query the aggregates replace
(distinct active workers per month, counted over daily_counts). Then the
section's first paint offscreen (tables, then charts) in a child process — the
GUI is measured the way a user meets it, and this module stays free of ui
imports (tests/test_layers.py). Target: every view under 1 s.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET = 1.0


def bench_db(n: int) -> Path:
    try:
        from build_large import ensure  # bench/build_large.py: the shared, cached benchmark databases
    except ImportError:
        path = ROOT / "bench" / "out" / f"workers-{n}.db"
        if not path.exists():
            from claims.demo import generate
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, workers=n, order_months=["2025-09"], as_of=date(2025, 11, 1), progress=lambda m: print("  " + m, flush=True)).close()
        return path
    return ensure(n)


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


GUI_CHILD = r"""
import argparse, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.fonts import install_font
install_font(app)
from ui.app import open_main_window
from claims.store.base import Actor, _issue
w = open_main_window(argparse.Namespace(db={db!r}, demo=False), "bench", actor=_issue(Actor("admin", role="admin")))
w.resize(1366, 768)
w.show()
app.processEvents()
t = time.perf_counter()
w.nav.setCurrentRow(4)  # builds the section and queries the first view
sec = w.stack.currentWidget()
w.repaint()  # the tables painted; the charts come on the next turn of the event loop
tables = time.perf_counter() - t
tab = sec.view_tabs[0]
while not tab.charts_drawn:
    app.processEvents()
print(f"first paint (tables)\t{{tables:.3f}}")
print(f"first paint (charts, incl. importing matplotlib)\t{{time.perf_counter() - t:.3f}}")
for i, tab in enumerate(sec.view_tabs[1:], 1):
    t = time.perf_counter()
    sec.tabs.setCurrentIndex(i)
    while not tab.charts_drawn:
        app.processEvents()
    app.processEvents()
    print(f"tab {{tab.title}} (tables and charts)\t{{time.perf_counter() - t:.3f}}")
"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", help="database file (default: the 1,000,000-worker benchmark database)")
    p.add_argument("--workers", type=int, default=1_000_000)
    p.add_argument("--rebuild-aggregates", action="store_true", help="time a full rebuild of the aggregate tables")
    p.add_argument("--no-gui", action="store_true")
    args = p.parse_args()
    from claims import stats as S
    from claims.store import Actor, Store

    path = Path(args.db) if args.db else bench_db(args.workers)
    print(f"database: {path} ({path.stat().st_size / 1e9:.2f} GB)")
    dt, store = timed(Store, path, "BENCH")
    print(f"open (and migrate if needed): {dt:.2f} s")
    counts = store.counts()
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    if args.rebuild_aggregates:
        with store.atomic():
            store.conn.execute("INSERT OR IGNORE INTO stats_dirty VALUES ('activity', '*'), ('enrollments', '*')")
    if store.stats_pending():
        t0 = time.perf_counter()
        dt, _ = timed(store.refresh_stats, progress=lambda m: print(
            f"  {time.perf_counter() - t0:6.1f} s  refreshing {m}", flush=True))
        print(f"aggregate refresh (once after an import, not per view): {dt:.2f} s")
    span = store.stats_months()
    last = span[1] if span else S.today_month()
    first = S.month_of_index(S.month_index(last) - 5)
    f = S.StatsFilter(first, last)
    print(f"period: {f.month_from} – {f.month_to}")

    c = store.conn
    base, _ = timed(lambda: c.execute(
        "SELECT substr(day, 1, 7), count(DISTINCT worker_id) FROM daily_counts WHERE day >= ? AND day < ?"
        " GROUP BY 1", (f.day_from, f.day_to)).fetchall())
    print(f"baseline: plain count of distinct active workers per month over daily_counts: {base:.3f} s\n")

    platform = c.execute("SELECT platform_id FROM stats_cells GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()
    station = c.execute("SELECT id FROM stations LIMIT 1").fetchone()
    variants = [("all", f), ("platform", f.with_(platform_id=platform[0] if platform else None)),
                ("station", f.with_(station_id=station[0] if station else None))]
    head = f"{'view':12}{'cold':>9}{'warm':>9}{'platform':>10}{'station':>9}{'÷ baseline':>12}  "
    print(head + "\n" + "-" * len(head))
    fresh = Store(path, "BENCH")  # a new connection: nothing cached
    worst = 0.0
    for key, title in S.VIEW_TITLES.items():
        cold, _v = timed(fresh.stats_view, key, f)
        warm, _v = timed(fresh.stats_view, key, f)
        other = [timed(fresh.stats_view, key, g)[0] for _n, g in variants[1:]]
        worst = max(worst, cold, warm, *other)
        flag = "" if max(cold, warm, *other) < TARGET else "  SLOWER THAN 1 s"
        print(f"{title:10}{cold:9.3f}{warm:9.3f}{other[0]:10.3f}{other[1]:9.3f}{cold / base if base else 0:12.2f}{flag}")
    dt, _ = timed(fresh.home_summary, Actor("bench"))
    print(f"{'工作台摘要':8}{dt:9.3f}")
    dt, _ = timed(fresh.monthly_report, last, Actor("bench"))
    print(f"{'月报数据':9}{dt:9.3f}")
    print(f"\nslowest view query: {worst:.3f} s (target < {TARGET:.0f} s)")
    fresh.close()
    store.close()

    if not args.no_gui:
        print("\nthe 统计 section offscreen at 1366×768 (child process):")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        r = subprocess.run([sys.executable, "-c", GUI_CHILD.format(root=str(ROOT), db=str(path))], env=env,
                           capture_output=True, text=True, timeout=600)
        for line in r.stdout.splitlines():
            label, _, secs = line.partition("\t")
            print(f"  {label:50}{float(secs):8.3f} s")
        if r.returncode:
            print(r.stderr[-2000:])
            return 1
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
