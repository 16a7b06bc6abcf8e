"""The queries behind reconciliation (``claims/reconcile.py``): which
platform, region and month have daily counts, the declarations of a range
of months, the drill-down of a month's counts by station or by worker, one
worker's days in a month, and display names for ids. Read only."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Iterable

from ..permissions import narrow, own_platform, own_station
from .base import Actor, StoreBase
from .fees import MERGE_DAY, month_bounds

if TYPE_CHECKING:
    from ..models import FeeDeclaration


class ReconcileQueriesMixin(StoreBase):
    """Uses ``FeesMixin._declaration`` (composed into the same ``Store``)."""

    def recorded_months(self, month_from: str, month_to: str, platform_id: str | None = None,
                        region: str | None = None, actor: Actor | None = None) -> list[tuple[str, str, str]]:
        """(platform_id, region, month) that have daily counts in the range (a station
        manager's: their platform's)."""
        platform_id = narrow(own_platform(actor), platform_id)
        start, end = month_bounds(month_from)[0], month_bounds(month_to)[1]
        q = ("SELECT DISTINCT platform_id, region, substr(day, 1, 7) FROM daily_counts WHERE day >= ? AND day < ?"
             + (" AND platform_id = ?" if platform_id else "") + (" AND region = ?" if region else ""))
        return [tuple(r) for r in self.conn.execute(q, [start, end] + [x for x in (platform_id, region) if x])]

    def declarations_between(self, month_from: str, month_to: str, platform_id: str | None = None,
                             region: str | None = None, today: date | None = None,
                             actor: Actor | None = None) -> list[FeeDeclaration]:
        platform_id = narrow(own_platform(actor), platform_id)
        q = ("SELECT * FROM declarations WHERE month >= ? AND month <= ?" + (" AND platform_id = ?" if platform_id else "")
             + (" AND region = ?" if region else "") + " ORDER BY month, number")
        return [self._declaration(dict(r), today) for r in self.conn.execute(
            q, [month_from, month_to] + [x for x in (platform_id, region) if x])]

    # A worker's station at the platform: the latest enrollment in the same industry, else any.
    _STATION = ("coalesce((SELECT e.station_id FROM enrollments e WHERE e.worker_id = d.worker_id"
                " AND e.platform_id = d.platform_id AND e.industry = d.industry ORDER BY e.start_on DESC LIMIT 1),"
                " (SELECT e.station_id FROM enrollments e WHERE e.worker_id = d.worker_id"
                " AND e.platform_id = d.platform_id ORDER BY e.start_on DESC LIMIT 1), '')")

    def month_counts(self, platform_id: str, region: str, month: str, by: str, station_id: str | None = None,
                     actor: Actor | None = None) -> list[tuple]:
        """Drill-down rows (key, fee industry, workers, days, recorded orders,
        orders only in imported counts), keyed by station ('station') or
        worker ('worker'); workers and days count the whole key, not the line.
        A station manager (``actor``) sees their own platform and station."""
        platform_id = narrow(own_platform(actor), platform_id)
        station_id = narrow(own_station(actor), station_id)
        start, end = month_bounds(month)
        key = self._STATION if by == "station" else "d.worker_id"
        where = " AND " + self._STATION + " = ?" if station_id is not None else ""
        base = (f" FROM (SELECT {key} AS k, CASE WHEN d.industry = 'food_delivery' AND d.day >= ?"
                " THEN 'instant_delivery' ELSE d.industry END AS fi, d.worker_id, d.day, d.orders, d.source"
                " FROM daily_counts d WHERE d.platform_id = ? AND d.region = ? AND d.day >= ? AND d.day < ?"
                + where + ")")
        args = [MERGE_DAY, platform_id, region, start, end] + ([station_id] if station_id is not None else [])
        totals = {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT k, count(DISTINCT worker_id), count(DISTINCT day)" + base + " GROUP BY k", args)}
        return [(k, fi, *totals[k], rec, imp) for k, fi, rec, imp in self.conn.execute(
            "SELECT k, fi, sum(CASE WHEN source = 'derived' THEN orders ELSE 0 END),"
            " sum(CASE WHEN source = 'imported' THEN orders ELSE 0 END)" + base + " GROUP BY k, fi ORDER BY k, fi",
            args)]

    def worker_month_days(self, worker_id: str, platform_id: str, region: str, month: str,
                          actor: Actor | None = None) -> list[tuple]:
        """(day, industry, daily count, source, order records that day) for one worker."""
        if own_station(actor) is not None:
            self.check_worker_scope(actor, worker_id)
        platform_id = narrow(own_platform(actor), platform_id)
        start, end = month_bounds(month)
        return [tuple(r) for r in self.conn.execute(
            "SELECT d.day, d.industry, d.orders, d.source, (SELECT count(*) FROM orders o WHERE o.worker_id = d.worker_id"
            " AND o.accepted_at >= d.day AND o.accepted_at < date(d.day, '+1 day') AND o.platform_id = d.platform_id"
            " AND o.industry = d.industry) FROM daily_counts d WHERE d.worker_id = ? AND d.platform_id = ?"
            " AND d.region = ? AND d.day >= ? AND d.day < ? ORDER BY d.day, d.industry",
            (worker_id, platform_id, region, start, end))]

    def names_of(self, table: str, ids: Iterable[str]) -> dict[str, tuple]:
        """id -> (name, …) for stations (name,) or workers (name, id_number)."""
        ids = [i for i in set(ids) if i]
        cols = {"stations": "name", "workers": "name, id_number", "platforms": "name"}[table]
        out: dict[str, tuple] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            out.update({r[0]: tuple(r[1:]) for r in self.conn.execute(
                f"SELECT id, {cols} FROM {table} WHERE id IN ({', '.join('?' * len(part))})", part)})
        return out

