"""How an order import keeps the daily counts in step (``_CountWork``):
batches stored whole add their counts, worker-days of partly stored batches
are counted again from the records, imported counts that the records now
cover give way to them (each reported as a conflict), and the rows the
import adds are summed into the orders table's seal. Pending counts go to
temp tables once they grow, so memory stays flat."""
from __future__ import annotations

from ..enums import Industry
from ..i18n import _
from .import_report import ImportReport
from .seal import MOD, order_rows_hash, row_hash


ONE = 1 << 16  # one order, in a pending count (below it: the number of the count's region)
MASK = ONE - 1
PENDING = 400_000  # worker-days (or touched ones) held in memory before they go to the temp tables (~80 MB)


class _CountWork:
    """The daily counts an order import changes. Whole-new batches add their
    counts (``inc``); worker-days of partly-stored batches, and those holding
    an imported count, are counted again from the records (``touched``).
    No UPSERT on daily_counts: triggers of other modules (stats_dirty) use
    INSERT OR IGNORE, which an outer ON CONFLICT clause would override."""

    def __init__(self, conn, ts: str = ""):
        self.c = conn
        self.ts = ts
        # (worker, platform, industry, day) -> orders << 16 | the number of its region in self.regions:
        # one int, not a list, per pending worker-day (about 200 bytes each, with the key)
        self.inc: dict[tuple[str, str, str, str], int] = {}
        self.regions: dict[str, int] = {}
        self.region_names: list[str] = []
        self.touched: set[tuple[str, str, str]] = set()
        self.sealed_rows = 0  # what this import adds to the orders table's seal (claims/store/seal.py)
        self.seal_sum = 0
        self.replaced_imported = (0, 0)  # imported daily counts the records replace: out of their seal

    def start(self) -> None:
        for sql in ("CREATE TEMP TABLE IF NOT EXISTS inc_days (worker_id TEXT, platform_id TEXT, industry TEXT,"
                    " day TEXT, region TEXT, orders INTEGER, PRIMARY KEY (worker_id, platform_id, industry, day))"
                    " WITHOUT ROWID",
                    "CREATE TEMP TABLE IF NOT EXISTS touched_days (worker_id TEXT, platform_id TEXT, day TEXT,"
                    " PRIMARY KEY (worker_id, platform_id, day)) WITHOUT ROWID",
                    "CREATE TEMP TABLE IF NOT EXISTS derived_days (worker_id TEXT, platform_id TEXT, industry TEXT,"
                    " day TEXT, region TEXT, orders INTEGER, PRIMARY KEY (worker_id, platform_id, industry, day))"
                    " WITHOUT ROWID"):
            self.c.execute(sql)
        for t in ("inc_days", "touched_days", "derived_days"):
            self.c.execute(f"DELETE FROM temp.{t}")

    def write(self, insert: str, batch: list[tuple]) -> int:
        """Store a batch; return how many orders were new."""
        new = self.c.executemany(insert, batch).rowcount if batch else 0
        self._seal(batch, new)
        if new == len(batch):
            inc, get, regions, names = self.inc, self.inc.get, self.regions, self.region_names
            for _s, pid, _o, ind, wid, acc, _f, region, _id in batch:
                key = (wid, pid, ind, acc[:10])
                hit = get(key)
                if hit is None:
                    number = regions.get(region)
                    if number is None:
                        number = regions[region] = len(names)
                        names.append(region)
                    inc[key] = ONE | number
                elif region < names[hit & MASK]:  # a worker-day's count is in its smallest region, as a recount
                    self.add_order(key, region)
                else:
                    inc[key] = hit + ONE
        elif new:
            self.touched.update((b[4], b[1], b[5][:10]) for b in batch)
        batch.clear()
        if len(self.inc) >= PENDING or len(self.touched) >= PENDING:
            self.flush()
        return new

    def add_order(self, key: tuple[str, str, str, str], region: str) -> None:
        """One more order on a pending worker-day (worker, platform, industry, day). Its
        count is in the smallest region of its orders, whatever order they come in, as a
        recount from the records has it: sites that receive the same orders agree."""
        number = self.regions.get(region)
        if number is None:
            number = self.regions[region] = len(self.region_names)
            self.region_names.append(region)
        hit = self.inc.get(key)
        if hit is None:
            self.inc[key] = ONE | number
        elif region < self.region_names[hit & MASK]:
            self.inc[key] = (hit & ~MASK) + ONE | number
        else:
            self.inc[key] = hit + ONE

    def _seal(self, batch: list[tuple], new: int) -> None:
        if not new:
            return
        stored = batch
        if new != len(batch):  # some were already stored: seal only those this batch added
            ids = {r[0] for r in self.c.execute(
                f"SELECT id FROM orders WHERE id IN ({','.join('?' * len(batch))})", [b[8] for b in batch])}
            stored = [b for b in batch if b[8] in ids]
        self.seal_sum = (self.seal_sum + order_rows_hash(stored, self.ts)) % MOD
        self.sealed_rows += len(stored)

    def flush(self) -> None:
        c, names = self.c, self.region_names
        # in key order: the temp tables' B-trees are then appended to, not split all over
        c.executemany("INSERT INTO temp.inc_days VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
                      " SET orders = orders + excluded.orders, region = min(region, excluded.region)",
                      [(*k, names[v & MASK], v >> 16) for k, v in sorted(self.inc.items())])
        c.executemany("INSERT OR IGNORE INTO temp.touched_days VALUES (?, ?, ?)", sorted(self.touched))
        self.inc.clear()
        self.touched.clear()

    def finish(self, report: ImportReport, platform_names: dict[str, str]) -> None:
        """Imported counts of the same worker, platform, industry and day give
        way to the records; each such replacement is reported."""
        self.flush()
        c = self.c
        c.execute("INSERT OR IGNORE INTO temp.touched_days SELECT i.worker_id, i.platform_id, i.day FROM temp.inc_days i"
                  " JOIN daily_counts d ON d.worker_id = i.worker_id AND d.platform_id = i.platform_id"
                  " AND d.industry = i.industry AND d.day = i.day WHERE d.source != 'derived'")
        imported = c.execute(
            "SELECT d.worker_id, d.platform_id, d.industry, d.day, d.orders, w.id_number, d.region"
            " FROM temp.touched_days t"
            " JOIN daily_counts d ON d.worker_id = t.worker_id AND d.platform_id = t.platform_id AND d.day = t.day"
            " JOIN workers w ON w.id = d.worker_id WHERE d.source = 'imported'").fetchall()
        c.execute("DELETE FROM temp.inc_days WHERE EXISTS (SELECT 1 FROM temp.touched_days t WHERE"
                  " t.worker_id = inc_days.worker_id AND t.platform_id = inc_days.platform_id AND t.day = inc_days.day)")
        c.execute(
            "INSERT INTO temp.derived_days SELECT o.worker_id, o.platform_id, o.industry, t.day, min(o.region), count(*)"
            " FROM temp.touched_days t JOIN orders o ON o.worker_id = t.worker_id AND o.accepted_at >= t.day"
            " AND o.accepted_at < date(t.day, '+1 day') AND o.platform_id = t.platform_id"
            " GROUP BY o.worker_id, o.platform_id, o.industry, t.day")
        key = ("d.worker_id = n.worker_id AND d.platform_id = n.platform_id AND d.industry = n.industry"
               " AND d.day = n.day")
        c.execute("UPDATE daily_counts AS d SET orders = n.orders, region = n.region, source = 'derived'"
                  f" FROM temp.derived_days n WHERE {key}"
                  " AND (d.orders != n.orders OR d.region != n.region OR d.source != 'derived')")
        c.execute("UPDATE daily_counts AS d SET orders = d.orders + n.orders, region = min(d.region, n.region)"
                  f" FROM temp.inc_days n WHERE {key}")
        for table in ("derived_days", "inc_days"):
            c.execute("INSERT INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
                      f" SELECT n.worker_id, n.platform_id, n.industry, n.region, n.day, n.orders, 'derived'"
                      f" FROM temp.{table} n WHERE NOT EXISTS (SELECT 1 FROM daily_counts d WHERE {key})")
        gone, gone_sum = 0, 0
        for wid, pid, ind, day, old, idn, region in imported:
            r = c.execute("SELECT orders, source FROM daily_counts WHERE worker_id=? AND platform_id=? AND industry=?"
                          " AND day=?", (wid, pid, ind, day)).fetchone()
            if r is None or r[1] == "derived":
                gone, gone_sum = gone + 1, gone_sum + row_hash((wid, pid, ind, day, region, old))
            if r and r[1] == "derived":
                report.conflicts.append(_("{i} {p} {d} {ind}：原导入日单量 {o}，已由订单记录得出的 {n} 取代").format(
                    i=idn, p=platform_names.get(pid, pid), d=day, ind=Industry(ind).label, o=old, n=r[0]))
        self.replaced_imported = (gone, gone_sum % MOD)
        for t in ("inc_days", "touched_days", "derived_days"):
            c.execute(f"DELETE FROM temp.{t}")
