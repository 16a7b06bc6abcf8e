"""The coverage question asked of the order records and daily counts: was
a worker taking an order at a moment (the orders in progress, else the
nearest before and after), did they take orders on a day, and on how many
days of each month. Case screens and decisions ask it; nothing here writes.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ..lazy import lazy_import
from ..permissions import narrow, own_platform, own_station
from ..timeutil import SHANGHAI, parse_date
from .base import StoreBase

models = lazy_import("claims.models")


class CoverageMixin(StoreBase):
    def _scoped(self, actor, worker_id: str, platform_id: str | None) -> str | None:
        """A station manager (``actor``) asks about their station's workers, on their platform."""
        if actor is not None and own_station(actor) is not None:
            self.check_worker_scope(actor, worker_id)
        return narrow(own_platform(actor), platform_id)

    def orders_at(self, worker_id: str, moment: datetime, platform_id: str | None = None, actor=None) -> dict:
        """Was the worker taking an order at ``moment``? Returns the orders in
        progress, else the nearest before and after, and the day's count."""
        platform_id = self._scoped(actor, worker_id, platform_id)
        m = moment.astimezone(SHANGHAI).isoformat()
        plat = " AND platform_id = ?" if platform_id else ""
        pargs = (platform_id,) if platform_id else ()
        q = "SELECT * FROM orders WHERE worker_id = ?" + plat
        in_progress = [models.OrderRecord.from_row(dict(r)) for r in self.conn.execute(
            q + " AND accepted_at <= ? AND finished_at >= ? ORDER BY accepted_at", (worker_id, *pargs, m, m))]
        before = self.conn.execute(q + " AND accepted_at <= ? ORDER BY accepted_at DESC LIMIT 1",
                                   (worker_id, *pargs, m)).fetchone()
        after = self.conn.execute(q + " AND accepted_at > ? ORDER BY accepted_at LIMIT 1",
                                  (worker_id, *pargs, m)).fetchone()
        day = m[:10]
        n = self.conn.execute("SELECT coalesce(sum(orders), 0) FROM daily_counts WHERE worker_id = ? AND day = ?"
                              + plat, (worker_id, day, *pargs)).fetchone()[0]
        return {"in_progress": in_progress,
                "before": models.OrderRecord.from_row(dict(before)) if before else None,
                "after": models.OrderRecord.from_row(dict(after)) if after else None,
                "orders_that_day": n}

    def worked_on(self, worker_id: str, day: date | str, platform_id: str | None = None, actor=None) -> dict:
        """Was the worker taking orders on ``day``? ``orders`` is the day's count
        (records and imported counts), ``counts`` its rows (platform_id,
        industry, orders, source), ``records`` the order records of the day."""
        platform_id = self._scoped(actor, worker_id, platform_id)
        d = day.isoformat() if isinstance(day, date) else parse_date(day).isoformat()
        plat = " AND platform_id = ?" if platform_id else ""
        pargs = (platform_id,) if platform_id else ()
        counts = [tuple(r) for r in self.conn.execute(
            "SELECT platform_id, industry, orders, source FROM daily_counts WHERE worker_id = ? AND day = ?" + plat
            + " ORDER BY platform_id, industry", (worker_id, d, *pargs))]
        next_day = (date.fromisoformat(d) + timedelta(days=1)).isoformat()
        records = [models.OrderRecord.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM orders WHERE worker_id = ? AND accepted_at >= ? AND accepted_at < ?" + plat
            + " ORDER BY accepted_at LIMIT 500", (worker_id, d, next_day, *pargs))]
        return {"day": d, "orders": sum(r[2] for r in counts), "counts": counts, "records": records}

    def order_days(self, worker_id: str, actor=None) -> list[tuple[str, str, int, int]]:
        """(platform name, month, days with orders, orders) for a worker; a station
        manager (``actor``) sees their own platform's."""
        platform_id = self._scoped(actor, worker_id, None)
        plat = " AND d.platform_id = ?" if platform_id else ""
        return [tuple(r) for r in self.conn.execute(
            "SELECT p.name, substr(d.day, 1, 7), count(*), sum(d.orders) FROM daily_counts d"
            " JOIN platforms p ON p.id = d.platform_id WHERE d.worker_id = ?" + plat
            + " GROUP BY 1, 2 ORDER BY 2 DESC, 1", (worker_id, *([platform_id] if platform_id else [])))]
