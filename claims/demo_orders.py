"""The demo's orders as the platforms report them: a daily count per worker,
platform, industry and day for every month of the demo (written in bulk, as
a platform's reported counts: source 'imported'), and order records only
where they matter — all of a worker's orders on the day of every case, and
the last few working days of a recent sample of workers — whose daily counts
are then the records' own ('derived'), with the same number of orders.
Fees are computed from the counts (the declarations read them).

How much a worker does, by industry (per active day; a full-timer, a
part-timer), as platforms report it: a food-delivery or instant-delivery
courier a few dozen orders a day (Meituan's 2022 figures — about 17.7
billion deliveries a year by riders of whom roughly 1.5–2 million are on the
road on a given day — give 25–35 a day on average; full-time riders 30–50),
a ride-hailing driver around a dozen trips (full-time 12–20), an intra-city
freight driver a few loads (3–7). Full-timers work 22–28 days a month,
part-timers 5–14; about one worker in eight has no orders in a month."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

from .store import Actor, Store
from .store.seal import MOD, row_hash
from .timeutil import SHANGHAI, now_iso

# industry -> (orders a day full-time (lo, hi), part-time (lo, hi), share of full-timers, minutes an order takes)
PROFILES = {
    "food_delivery": ((30, 50), (8, 20), 0.45, (15, 40)),
    "instant_delivery": ((25, 45), (6, 18), 0.45, (15, 45)),
    "ride_hailing": ((12, 20), (4, 9), 0.5, (12, 45)),
    "intra_city_freight": ((3, 7), (1, 3), 0.6, (40, 120)),
}
DEFAULT_PROFILE = ((5, 15), (2, 6), 0.5, (20, 60))  # an industry an administrator added
FULL_DAYS, PART_DAYS = (22, 28), (5, 14)
IDLE_MONTH = 0.12  # share of enrolled workers with no orders in a month
SAMPLE_SHARE, SAMPLE_MIN, SAMPLE_MAX, SAMPLE_DAYS = 0.01, 20, 5000, 3  # workers with records of their last days
REGION = "310000"
BULK_CACHE_KIB = -98304  # page cache while the counts are written (96 MB; the default is 2 MB)


def profile(industry: str):
    return PROFILES.get(industry, DEFAULT_PROFILE)


@dataclass
class Worker:
    """One enrollment's way of working: orders a day and days a month."""
    mean: float
    days: tuple[int, int]
    minutes: tuple[int, int]


def worker_of(rng: random.Random, industry: str) -> Worker:
    full, part, share, minutes = profile(industry)
    if rng.random() < share:
        return Worker(rng.uniform(*full), FULL_DAYS, minutes)
    return Worker(rng.uniform(*part), PART_DAYS, minutes)


def write_daily_counts(store: Store, rng: random.Random, months: list[str], as_of: date) -> int:
    """The platforms' reported daily counts of every enrollment for ``months``
    (days before ``as_of``, within the enrollment), in one transaction; the
    industry a day is recorded under follows the 2025 merger (data)."""
    from .industries import fee_industry
    c = store.conn
    days_of = {}
    for m in months:
        y, mo = map(int, m.split("-"))
        first = date(y, mo, 1)
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        days_of[m] = [first + timedelta(days=i) for i in range((nxt - first).days) if first + timedelta(days=i) < as_of]
    insert = ("INSERT OR IGNORE INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
              " VALUES (?, ?, ?, ?, ?, ?, 'imported')")
    cache = c.execute("PRAGMA cache_size").fetchone()[0]
    c.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    head = store.begin_write()
    batch, total, sealed = [], 0, 0
    seen, last = set(), None  # a worker's keys written so far (外卖 and 即时配送 on one platform share a key)
    try:
        # in the counts' key order (worker, platform, industry, day): the rows are appended, not scattered
        for wid, pid, ind, start, end in _enrollments_by_worker(c):
            if wid != last:
                seen, last = set(), wid
            w = worker_of(rng, ind)
            for m in months:
                days = [d for d in days_of[m] if start <= d.isoformat() and (end is None or d.isoformat() <= end)]
                if not days or rng.random() < IDLE_MONTH:
                    continue
                k = min(len(days), round(rng.randint(*w.days) * len(days) / len(days_of[m] or days)) or 1)
                for d in sorted(rng.sample(days, k)):
                    day = d.isoformat()
                    row = (wid, pid, fee_industry(ind, day), REGION, day, max(1, round(w.mean * rng.uniform(0.7, 1.3))))
                    if (pid, row[2], day) in seen:
                        continue  # the row already written for that key stays (INSERT OR IGNORE)
                    seen.add((pid, row[2], day))
                    batch.append(row)
                    sealed += row_hash((*row[:3], day, REGION, row[5]))  # the counts' seal (claims/store/seal.py)
            if len(batch) >= 50000:
                total += len(batch)
                c.executemany(insert, batch)
                batch.clear()
        total += len(batch)
        c.executemany(insert, batch)
        store.seal_add_sum(Actor("demo:admin"), "daily_counts", total, sealed % MOD, "演示：平台报送的日单量")
        store.commit_write(head)  # signs the audit chain's new head
    finally:
        if c.in_transaction:
            c.execute("ROLLBACK")
        c.execute(f"PRAGMA cache_size = {cache}")
    return total


def _enrollments_by_worker(conn, page: int = 20000) -> Iterator[tuple]:
    """Every enrollment in its worker's order (the counts' key order), a page at a
    time (memory flat in N); a worker's own enrollments in the order they were made,
    so that the same seed draws the same figures (platform ids are random)."""
    last = ("", "", "", "")
    group: list[tuple] = []
    while rows := conn.execute(
            "SELECT worker_id, platform_id, industry, start_on, end_on, rowid FROM enrollments"
            " WHERE (worker_id, platform_id, industry, start_on) > (?, ?, ?, ?)"
            " ORDER BY worker_id, platform_id, industry, start_on LIMIT ?", (*last, page)).fetchall():
        last = tuple(rows[-1][:4])
        for row in rows:
            if group and group[0][0] != row[0]:
                yield from (r[:5] for r in sorted(group, key=lambda r: r[5]))
                group = []
            group.append(tuple(row))
    yield from (r[:5] for r in sorted(group, key=lambda r: r[5]))


class OrderRecords:
    """Order records for a worker's day, consistent with its daily count; the
    orders table's seal (claims/store/seal.py) is kept with every write."""

    def __init__(self, store: Store, rng: random.Random):
        self.store, self.rng = store, rng
        self.seq = store.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        self.ts = now_iso()

    def of_day(self, worker_id: str, platform_id: str, day: str) -> list[tuple[str, str, str]]:
        """(order_no, accepted_at, finished_at) of the worker's records on ``day`` (finished ones)."""
        return [tuple(r) for r in self.store.conn.execute(
            "SELECT order_no, accepted_at, finished_at FROM orders WHERE worker_id = ? AND platform_id = ?"
            " AND accepted_at >= ? AND accepted_at < ? AND finished_at IS NOT NULL ORDER BY accepted_at",
            (worker_id, platform_id, day, (date.fromisoformat(day) + timedelta(days=1)).isoformat()))]

    def plan(self, worker_id: str, platform_id: str, industry: str, day: str,
             must_cover: datetime | None = None) -> list[tuple]:
        """The records a worker's day would get (not written): its daily count's
        number of orders over a working day, from 7:00; one of them spans
        ``must_cover`` when given. Already recorded days give their records."""
        have = self.of_day(worker_id, platform_id, day)
        if have:
            return []
        from .industries import fee_industry
        counts = self.store.conn.execute("SELECT industry, orders FROM daily_counts WHERE worker_id = ? AND"
                                         " platform_id = ? AND day = ? ORDER BY orders DESC",
                                         (worker_id, platform_id, day)).fetchall()
        if not counts:
            ind = fee_industry(industry, day)
            counts = [(ind, max(1, round(worker_of(self.rng, ind).mean)))]
        d = date.fromisoformat(day)
        start = datetime(d.year, d.month, d.day, self.rng.randint(7, 9), self.rng.randrange(60), tzinfo=SHANGHAI)
        rows = []
        for ind, n in counts:
            lo, hi = profile(ind)[3]
            span = min(14 * 60, max(60, n * (lo + hi) // 4))  # couriers carry several orders at once
            for i in range(n):
                acc = start + timedelta(minutes=int(span * i / n) + self.rng.randrange(0, max(1, span // n)))
                rows.append([ind, acc, acc + timedelta(minutes=self.rng.randint(lo, hi))])
        if must_cover is not None:
            lo = profile(rows[0][0])[3][0]
            rows[self.rng.randrange(len(rows))][1:] = [must_cover - timedelta(minutes=self.rng.randint(5, lo)),
                                                       must_cover + timedelta(minutes=self.rng.randint(5, lo))]
        return [(worker_id, platform_id, ind, day, acc, fin) for ind, acc, fin in sorted(rows, key=lambda x: x[1])]

    def write(self, planned: list[tuple]) -> list[tuple[str, str, str]]:
        """Store planned records (of one day or several); each day's count
        becomes the records' own. One transaction, one entry in the seal."""
        if not planned:
            return []
        c = self.store.conn
        rows, total = [], 0
        for wid, pid, ind, day, acc, fin in planned:
            self.seq += 1
            row = (uuid.UUID(int=self.rng.getrandbits(128)).hex, self.ts, self.ts, self.store.site_id, pid,
                   f"D{self.seq:010d}", ind, wid, acc.isoformat(), fin.isoformat(), REGION)
            rows.append(row)
            total += row_hash((*row[:4], 1, *row[4:]))
        days = sorted({(p[0], p[1], p[3]) for p in planned})
        with self.store.atomic():
            gone = [r for d in days for r in c.execute(  # platform-reported counts the records replace: out of their seal
                "SELECT worker_id, platform_id, industry, day, region, orders FROM daily_counts WHERE worker_id = ?"
                " AND platform_id = ? AND day = ? AND source != 'derived'", d).fetchall()]
            if gone:
                self.store.seal_add_sum(Actor("demo:admin"), "daily_counts", -len(gone),
                                        -sum(row_hash(tuple(r)) for r in gone) % MOD, "演示：由订单记录取代的日单量")
            c.executemany("DELETE FROM daily_counts WHERE worker_id = ? AND platform_id = ? AND day = ?", days)
            c.executemany("INSERT INTO orders (id, created_at, updated_at, site_id, platform_id, order_no, industry,"
                          " worker_id, accepted_at, finished_at, region) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            c.executemany(
                "INSERT INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
                " SELECT worker_id, platform_id, industry, region, substr(accepted_at, 1, 10), count(*), 'derived'"
                " FROM orders WHERE worker_id = ?1 AND platform_id = ?2 AND accepted_at >= ?3"
                " AND accepted_at < date(?3, '+1 day') GROUP BY industry",
                days)
            self.store.seal_add_sum(Actor("demo:admin"), "orders", len(rows), total % MOD, "演示订单")
        return [(r[5], r[8], r[9]) for r in rows]

    def day(self, worker_id: str, platform_id: str, industry: str, day: str,
            must_cover: datetime | None = None) -> list[tuple[str, str, str]]:
        """The worker's records of ``day``, written first if the day has none."""
        self.write(self.plan(worker_id, platform_id, industry, day, must_cover))
        return self.of_day(worker_id, platform_id, day)

    def recent_sample(self, months: list[str], as_of: date) -> int:
        """Records for the last active days (within ``months``) of a sample of workers."""
        c = self.store.conn
        n = c.execute("SELECT count(*) FROM enrollments").fetchone()[0]
        want = max(SAMPLE_MIN, min(SAMPLE_MAX, int(n * SAMPLE_SHARE)))
        lo, hi = months[0] + "-01", min(as_of.isoformat(), _after(months[-1]))
        picks = c.execute("SELECT e.worker_id, e.platform_id, e.industry FROM enrollments e ORDER BY e.rowid"
                          " LIMIT ?", (want * 8,)).fetchall()
        written, pending = 0, []
        for wid, pid, ind in self.rng.sample(picks, min(want, len(picks))):
            days = [r[0] for r in c.execute("SELECT DISTINCT day FROM daily_counts WHERE worker_id = ? AND"
                                            " platform_id = ? AND day >= ? AND day < ? ORDER BY day DESC LIMIT ?",
                                            (wid, pid, lo, hi, SAMPLE_DAYS))]
            for d in days:
                pending += self.plan(wid, pid, ind, d)
            if len(pending) >= 20000:
                written += len(self.write(pending))
                pending = []
        return written + len(self.write(pending))


def _after(month: str) -> str:
    y, m = map(int, month.split("-"))
    return date(y + (m == 12), m % 12 + 1, 1).isoformat()
