"""运行分析 queries (definitions in ``claims/stats.py``).

Figures over orders and enrollments come from aggregate tables (migration 
"统计汇总表"), because counting distinct workers over millions of daily
counts takes seconds:

- ``stats_cells``: one row per (platform, industry, station, pooling area,
  district) seen in daily counts or enrollments — a small dimension table.
- ``stats_activity``: per month and cell, workers active, orders, worker-days.
- ``stats_active_sets``: per month, the *set* of cells a worker was active in,
  and how many workers share that set. Summing those counts over the sets
  that touch the filter counts each person once, however many platforms or
  industries they work for — exact distinct counts without per-worker rows.
- ``stats_enrolled_sets``: per enrollment pattern (cells with first and last
  month), how many workers have it; enrolled-per-month follows from it.

Triggers on ``daily_counts`` and ``enrollments`` mark what changed in
``stats_dirty`` (a month, or '*'); every read first refreshes what is dirty,
so the figures are never stale. An import that has just written a month calls
``refresh_stats()`` at its end, so the first screen does not pay for it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Callable, Iterable

from ..i18n import _
from ..lazy import lazy_import
from ..permissions import narrow, own_platform, own_station, require
from ..timeutil import now
from .base import Actor, StoreBase

S = lazy_import("claims.stats")  # its figures are pydantic models: loaded on the first statistics read

_MONTH_IDX = ("(CAST(substr({c}, 1, 4) AS INTEGER) * 12 + CAST(substr({c}, 6, 2) AS INTEGER) - 1)")
_OPEN_STATES = ("closed", "withdrawn", "rejected")
_FUNNEL = ("reported", "accepted", "confirmed", "assessed", "paid", "closed")


class StatsMixin(StoreBase):
    _stats_gen = 0

    # ==================================================================== aggregates
    def stats_pending(self) -> list[tuple[str, str]]:
        """What the next read will refresh: (kind, month or '*')."""
        return [tuple(r) for r in self.conn.execute("SELECT kind, month FROM stats_dirty ORDER BY kind, month")]

    def refresh_stats(self, months: Iterable[str] | None = None,
                      progress: Callable[[str], None] | None = None) -> None:
        """Recompute the activity aggregates of ``months`` (default: the months
        marked dirty), and the enrollment patterns if enrollments changed.
        One transaction; safe to call at any time."""
        say = progress or (lambda _m: None)
        c = self.conn
        with self.atomic():
            dirty = self.stats_pending()
            if months is None:
                done = [d for d in dirty if d[0] == "activity"]
                todo = {m for _k, m in done}
            else:
                todo = {S.check_month(m) for m in months}
                done = [("activity", m) for m in todo]
            if "*" in todo:
                todo = self._activity_months() | {r[0] for r in c.execute("SELECT DISTINCT month FROM stats_activity")}
            done += [d for d in dirty if d[0] == "enrollments"]
            if todo:
                say(_("订单活跃汇总：{n} 个月").format(n=len(todo)))
                self._refresh_activity(sorted(todo))
            if any(k == "enrollments" for k, _m in done):
                say(_("参保汇总"))
                self._refresh_enrollments()
            # only what was read: marks another connection added meanwhile stay
            c.executemany("DELETE FROM stats_dirty WHERE kind = ? AND month = ?", done)
        self._stats_gen += 1

    def _activity_months(self) -> set[str]:
        r = self.conn.execute("SELECT min(day), max(day) FROM daily_counts").fetchone()
        if not r or not r[0]:
            return set()
        return set(S.months_between(r[0][:7], r[1][:7]))

    @staticmethod
    def _station_of(alias: str) -> str:
        """The station a worker's daily count belongs to: the enrollment with
        that platform and industry, else with that platform (latest start).
        Index-only searches in ``stats_enrollment_station`` (migration 4)."""
        base = (f"SELECT e.station_id FROM enrollments e INDEXED BY stats_enrollment_station"
                f" WHERE e.worker_id = {alias}.worker_id"
                f" AND e.platform_id = {alias}.platform_id AND e.station_id IS NOT NULL")
        return (f"coalesce(({base} AND e.industry = {alias}.industry ORDER BY e.start_on DESC LIMIT 1),"
                f" ({base} ORDER BY e.start_on DESC LIMIT 1))")

    def _refresh_activity(self, months: list[str]) -> None:
        c = self.conn
        for t in ("st_wm", "st_map", "st_wc"):
            c.execute(f"DROP TABLE IF EXISTS temp.{t}")
        c.execute("CREATE TEMP TABLE st_wm (month TEXT, worker_id TEXT, platform_id TEXT, industry TEXT, pool TEXT,"
                  " orders INTEGER, days INTEGER, station_id TEXT)")
        for first, last in _ranges(months):  # one pass over daily counts per run of months
            c.execute(
                "INSERT INTO temp.st_wm (month, worker_id, platform_id, industry, pool, orders, days, station_id)"
                f" SELECT g.*, coalesce({self._station_of('g')}, '') FROM ("
                " SELECT substr(day, 1, 7), worker_id, platform_id, industry, min(region), sum(orders), count(*)"
                " FROM daily_counts WHERE day >= ? AND day < ? AND orders > 0"
                " GROUP BY worker_id, platform_id, industry, substr(day, 1, 7)) AS g",
                (first + "-01", S.next_month(last) + "-01"))
        # the few distinct cells, and a small map from their keys to ids
        c.execute("CREATE TEMP TABLE st_map (platform_id TEXT, industry TEXT, station_id TEXT, pool TEXT, district TEXT,"
                  " cell_id INTEGER, PRIMARY KEY (platform_id, industry, station_id, pool)) WITHOUT ROWID")
        c.execute("INSERT INTO temp.st_map (platform_id, industry, station_id, pool, district)"
                  " SELECT k.*, coalesce(s.district, '') FROM (SELECT DISTINCT platform_id, industry, station_id, pool"
                  " FROM temp.st_wm) AS k LEFT JOIN stations s ON s.id = k.station_id")
        c.execute("INSERT OR IGNORE INTO stats_cells (platform_id, industry, station_id, pool, district)"
                  " SELECT platform_id, industry, station_id, pool, district FROM temp.st_map")
        c.execute("UPDATE temp.st_map SET cell_id = (SELECT k.id FROM stats_cells k WHERE k.platform_id = st_map.platform_id"
                  " AND k.industry = st_map.industry AND k.station_id = st_map.station_id AND k.pool = st_map.pool"
                  " AND k.district = st_map.district)")
        c.execute("CREATE TEMP TABLE st_wc AS SELECT w.month, w.worker_id, m.cell_id, w.orders, w.days FROM temp.st_wm w"
                  " JOIN temp.st_map m ON m.platform_id = w.platform_id AND m.industry = w.industry"
                  " AND m.station_id = w.station_id AND m.pool = w.pool ORDER BY w.month, w.worker_id, m.cell_id")
        ph = ",".join("?" * len(months))
        c.execute(f"DELETE FROM stats_activity WHERE month IN ({ph})", months)
        c.execute(f"DELETE FROM stats_active_sets WHERE month IN ({ph})", months)
        c.execute("INSERT INTO stats_activity (month, cell_id, workers, orders, days)"
                  " SELECT month, cell_id, count(DISTINCT worker_id), sum(orders), sum(days) FROM temp.st_wc"
                  " GROUP BY month, cell_id")
        c.execute("INSERT INTO stats_active_sets (month, cells, workers)"
                  " SELECT month, cells, count(*) FROM (SELECT month, worker_id, group_concat(DISTINCT cell_id) AS cells"
                  " FROM temp.st_wc GROUP BY month, worker_id) GROUP BY month, cells")
        for t in ("st_wm", "st_map", "st_wc"):
            c.execute(f"DROP TABLE temp.{t}")

    def _refresh_enrollments(self) -> None:
        c = self.conn
        c.execute("INSERT OR IGNORE INTO stats_cells (platform_id, industry, station_id, pool, district)"
                  " SELECT DISTINCT e.platform_id, e.industry, coalesce(e.station_id, ''), '', coalesce(s.district, '')"
                  " FROM enrollments e LEFT JOIN stations s ON s.id = e.station_id")
        c.execute("DELETE FROM stats_enrolled_sets")
        start, end = _MONTH_IDX.format(c="e.start_on"), _MONTH_IDX.format(c="coalesce(e.end_on, '9999-12-31')")
        c.execute(
            "INSERT INTO stats_enrolled_sets (pattern, workers) SELECT pattern, count(*) FROM ("
            " SELECT worker_id, group_concat(entry, ';') AS pattern FROM ("
            f"  SELECT e.worker_id, k.id || '@' || {start} || '~' || {end} AS entry"
            "   FROM enrollments e LEFT JOIN stations s ON s.id = e.station_id"
            "   JOIN stats_cells k ON k.platform_id = e.platform_id AND k.industry = e.industry"
            "    AND k.station_id = coalesce(e.station_id, '') AND k.pool = '' AND k.district = coalesce(s.district, '')"
            "   ORDER BY e.worker_id, entry)"
            " GROUP BY worker_id) GROUP BY pattern")

    def _fresh(self) -> None:
        if self.conn.execute("SELECT 1 FROM stats_dirty LIMIT 1").fetchone():
            self.refresh_stats()

    # ---- cells and sets, parsed once per refresh --------------------------------
    def _stats_version(self) -> tuple[int, int]:
        """Changes when this connection refreshed, or another one committed."""
        return self._stats_gen, self.conn.execute("PRAGMA data_version").fetchone()[0]

    def _stats_cells(self) -> dict[int, tuple]:
        cache = getattr(self, "_cells_cache", None)
        if cache is None or cache[0] != self._stats_version():
            cells = {r[0]: tuple(r[1:]) for r in self.conn.execute(
                "SELECT id, platform_id, industry, station_id, pool, district FROM stats_cells")}
            cache = (self._stats_version(), cells)
            self._cells_cache = cache
        return cache[1]

    def _matching_cells(self, f: S.StatsFilter, *, fees: bool = False) -> set[int]:
        out = set()
        for cid, (pid, ind, sid, pool, district) in self._stats_cells().items():
            if f.platform_id and pid != f.platform_id:
                continue
            if f.industry and ind != f.industry:
                continue
            if f.station_id and sid != f.station_id:
                continue
            if f.region and not (S.region_within(pool, f.region) or S.region_within(district, f.region)):
                continue
            out.add(cid)
        return out

    def _enrolled_patterns(self) -> list[tuple[int, list[tuple[int, int, int]]]]:
        cache = getattr(self, "_patterns_cache", None)
        if cache is None or cache[0] != self._stats_version():
            pats = []
            for pattern, n in self.conn.execute("SELECT pattern, workers FROM stats_enrolled_sets"):
                entries = []
                for e in pattern.split(";"):
                    cell, span = e.split("@")
                    a, b = span.split("~")
                    entries.append((int(cell), int(a), int(b)))
                pats.append((n, entries))
            cache = (self._stats_version(), pats)
            self._patterns_cache = cache
        return cache[1]

    # ==================================================================== figures
    def stats_activity(self, f: S.StatsFilter) -> S.ActivityFigures:
        """Enrolled and active workers, orders and worker-days per month (and per industry)."""
        self._fresh()
        return self._activity_as_is(f)

    def _activity_as_is(self, f: S.StatsFilter) -> S.ActivityFigures:
        cells = self._stats_cells()
        match = self._matching_cells(f)
        months = f.months()
        fig = S.ActivityFigures(months=months)
        # enrolled: each pattern counts once per month it covers (and once per
        # industry): merged month spans added to difference arrays, then summed up
        lo, hi = S.month_index(months[0]), S.month_index(months[-1])
        total = [0] * (hi - lo + 2)
        per_ind: dict[str, list[int]] = {}
        for n, entries in self._enrolled_patterns():
            spans: dict[str, list[tuple[int, int]]] = {}
            for c, a, b in entries:
                if c in match and a <= hi and b >= lo:
                    spans.setdefault(cells[c][1], []).append((max(a, lo) - lo, min(b, hi) - lo))
            if not spans:
                continue
            for span_list, diff in [(sum(spans.values(), []), total)] + [
                    (v, per_ind.setdefault(k, [0] * (hi - lo + 2))) for k, v in spans.items()]:
                for a, b in _merge(span_list):
                    diff[a] += n
                    diff[b + 1] -= n
        run = 0
        for i, m in enumerate(months):
            run += total[i]
            fig.enrolled[m] = run
        for ind, diff in per_ind.items():
            run = 0
            for i, m in enumerate(months):
                run += diff[i]
                if run:
                    fig.enrolled_by_industry[m][ind] = run
        ph = ",".join("?" * len(months))
        for m, cell_set, n in self.conn.execute(
                f"SELECT month, cells, workers FROM stats_active_sets WHERE month IN ({ph})", months):
            inds = {cells[c][1] for c in map(int, cell_set.split(",")) if c in match}
            if inds:
                fig.active[m] += n
                for ind in inds:
                    fig.active_by_industry[m][ind] += n
        for m, cid, orders, days in self.conn.execute(
                f"SELECT month, cell_id, orders, days FROM stats_activity WHERE month IN ({ph})", months):
            if cid in match:
                ind = cells[cid][1]
                fig.orders[m] += orders
                fig.orders_by_industry[m][ind] += orders
                fig.worker_days[m] += days
        return fig

    def stats_recorded_orders(self, f: S.StatsFilter) -> dict[tuple[str, str, str, str], int]:
        """(platform_id, pooling area, month, fee industry) -> orders recorded (daily counts)."""
        self._fresh()
        cells = self._stats_cells()
        match = self._matching_cells(f.with_(station_id=None))
        months = f.months()
        out: dict[tuple, int] = defaultdict(int)
        for m, cid, orders in self.conn.execute(
                f"SELECT month, cell_id, orders FROM stats_activity WHERE month IN ({','.join('?' * len(months))})",
                months):
            if cid in match:
                pid, ind, _sid, pool, _d = cells[cid]
                out[(pid, pool, m, S.fee_industry(ind, m))] += orders
        return dict(out)

    # ---- fees --------------------------------------------------------------------
    def _declaration_rows(self, f: S.StatsFilter):
        where, args = ["month >= ?", "month <= ?"], [f.month_from, f.month_to]
        if f.platform_id:
            where.append("platform_id = ?")
            args.append(f.platform_id)
        if f.region:
            where.append("region LIKE ?")
            args.append(S.region_prefix(f.region) + "%")
        return self.conn.execute(
            "SELECT id, number, platform_id, region, month, status, declared_on, amount_due_fen, amount_paid_fen, lines"
            " FROM declarations WHERE " + " AND ".join(where) + " ORDER BY month, platform_id, region", args).fetchall()

    def stats_fees(self, f: S.StatsFilter, today: date | None = None) -> list[S.FeeMonth]:
        """Per fee month: declarations, orders declared, amounts due / paid /
        outstanding, overdue declarations; per industry when filtered by it."""
        today = today or now().date()
        out = {m: S.FeeMonth(month=m) for m in f.months()}
        for r in self._declaration_rows(f):
            fm = out[r["month"]]
            lines = json.loads(r["lines"] or "[]")
            due, paid, declared = _industry_share(lines, r["amount_due_fen"], r["amount_paid_fen"], f.industry)
            if f.industry and not any(l.get("industry") == f.industry for l in lines):
                continue
            fm.declarations += 1
            fm.orders_declared += declared
            if r["status"] == "draft":
                fm.drafts += 1
                continue
            fm.due_fen += due
            fm.paid_fen += paid
            for l in lines:
                if not f.industry or l.get("industry") == f.industry:
                    fm.due_by_industry[l.get("industry", "")] += int(l.get("amount_fen") or 0)
            if paid < due and today > _due_date(r["month"]):
                fm.overdue += 1
        return list(out.values())

    # ---- cases -------------------------------------------------------------------
    def _case_where(self, f: S.StatsFilter, alias: str = "c") -> tuple[str, list]:
        where, args = [], []
        for col, val in (("platform_id", f.platform_id), ("industry", f.industry), ("station_id", f.station_id)):
            if val:
                where.append(f"{alias}.{col} = ?")
                args.append(val)
        if f.region:
            where.append(f"{alias}.station_id IN (SELECT id FROM stations WHERE district LIKE ?)")
            args.append(S.region_prefix(f.region) + "%")
        return "".join(" AND " + w for w in where), args

    def stats_cases(self, f: S.StatsFilter) -> S.CaseFigures:
        q = self.conn.execute
        cw, ca = self._case_where(f)
        period = (f.day_from, f.day_to)
        fig = S.CaseFigures(months=f.months())
        for m, ind, n in q("SELECT substr(c.reported_at, 1, 7), c.industry, count(*) FROM cases c"
                           " WHERE c.reported_at >= ? AND c.reported_at < ?" + cw + " GROUP BY 1, 2", (*period, *ca)):
            fig.reported[m] += n
            fig.reported_by_industry[m][ind] += n
        first_decision = ("SELECT d.case_id, min(d.decided_on) AS on_, d.kind, d.situation_code FROM decisions d"
                          " GROUP BY d.case_id")
        for m, kind, code, n in q(
                f"SELECT substr(d.on_, 1, 7), d.kind, d.situation_code, count(*) FROM ({first_decision}) d"
                " JOIN cases c ON c.id = d.case_id WHERE d.on_ >= ? AND d.on_ < ?" + cw + " GROUP BY 1, 2, 3",
                (*period, *ca)):
            if kind == "confirm":
                fig.confirmed[m] += n
                fig.by_situation[code or ""] += n
            else:
                fig.refused[m] += n
        for m, n in q("SELECT substr(e.at, 1, 7), count(DISTINCT e.case_id) FROM case_events e JOIN cases c"
                      " ON c.id = e.case_id WHERE e.to_state = 'withdrawn' AND e.at >= ? AND e.at < ?" + cw
                      + " GROUP BY 1", (*period, *ca)):
            fig.withdrawn[m] += n
        for parts, n in q("SELECT c.body_parts, count(*) FROM cases c WHERE c.reported_at >= ? AND c.reported_at < ?"
                          + cw + " GROUP BY 1", (*period, *ca)):
            for p in _body_parts(parts):
                fig.by_body_part[p] += n
        for state, n in q("SELECT c.state, count(*) FROM cases c WHERE c.reported_at >= ? AND c.reported_at < ?"
                          + cw + " GROUP BY 1", (*period, *ca)):
            fig.by_state[state] = n
        reached = dict(q("SELECT e.to_state, count(DISTINCT e.case_id) FROM cases c JOIN case_events e"
                         " ON e.case_id = c.id WHERE c.reported_at >= ? AND c.reported_at < ?" + cw
                         + f" AND e.to_state IN ({','.join('?' * len(_FUNNEL))}) GROUP BY 1",
                         (*period, *ca, *_FUNNEL)).fetchall())
        fig.funnel = [(s, reached.get(s, 0)) for s in _FUNNEL]
        return fig

    def stats_durations(self, f: S.StatsFilter) -> S.DurationFigures:
        """Days from report to first decision / to first approved payment, for
        cases decided / first paid in the period."""
        q = self.conn.execute
        cw, ca = self._case_where(f)
        fig = S.DurationFigures()
        days = "CAST(julianday({d}) - julianday(substr(c.reported_at, 1, 10)) AS INTEGER)"
        for m, pid, ind, n in q(
                f"SELECT substr(d.on_, 1, 7), c.platform_id, c.industry, {days.format(d='d.on_')} FROM"
                " (SELECT case_id, min(decided_on) AS on_ FROM decisions GROUP BY case_id) d"
                " JOIN cases c ON c.id = d.case_id WHERE d.on_ >= ? AND d.on_ < ?" + cw, (f.day_from, f.day_to, *ca)):
            fig.decision.append((m, pid, ind, n))
        for m, pid, ind, n in q(
                f"SELECT substr(p.on_, 1, 7), c.platform_id, c.industry, {days.format(d='p.on_')} FROM"
                " (SELECT case_id, min(paid_on) AS on_ FROM benefit_payments WHERE status = 'approved'"
                "  AND paid_on IS NOT NULL GROUP BY case_id) p"
                " JOIN cases c ON c.id = p.case_id WHERE p.on_ >= ? AND p.on_ < ?" + cw, (f.day_from, f.day_to, *ca)):
            fig.payment.append((m, pid, ind, n))
        return fig

    # ---- benefits and the ratio -------------------------------------------------------
    def _paid_benefits(self, f: S.StatsFilter):
        cw, ca = self._case_where(f)
        return self.conn.execute(
            "SELECT p.amount_fen, p.kind, p.paid_on, c.platform_id, c.industry, c.accident_at, p.assessment_id"
            " FROM benefit_payments p JOIN cases c ON c.id = p.case_id WHERE p.status = 'approved'"
            " AND p.paid_on >= ? AND p.paid_on < ?" + cw, (f.day_from, f.day_to, *ca)).fetchall()

    def stats_benefits(self, f: S.StatsFilter) -> S.BenefitFigures:
        fig = S.BenefitFigures()
        items_of: dict[str, list] = {}
        for amount, kind, paid_on, _pid, ind, _acc, aid in self._paid_benefits(f):
            if aid not in items_of:
                r = self.conn.execute("SELECT result_json FROM assessments WHERE id = ?", (aid,)).fetchone()
                items_of[aid] = (json.loads(r[0] or "{}") if r else {}).get("items", [])
            fig.payments += 1
            fig.total_fen += amount
            fig.by_month_industry[paid_on[:7]][ind] += amount
            for code, name, period, fen in S.split_payment(amount, kind, items_of[aid]):
                key = (code, name, period)
                fig.by_item[key][0] += fen
                fig.by_item[key][1] += 1
        return fig

    def stats_ratio(self, f: S.StatsFilter) -> list[S.RatioRow]:
        """Fees paid and benefits paid in the period per platform and fee industry."""
        rows: dict[tuple[str, str], S.RatioRow] = {}

        def row(pid, ind):
            return rows.setdefault((pid, ind), S.RatioRow(platform_id=pid, industry=ind))

        where, args = ["p.paid_on >= ?", "p.paid_on < ?"], [f.day_from, f.day_to]
        if f.platform_id:
            where.append("d.platform_id = ?")
            args.append(f.platform_id)
        if f.region:
            where.append("d.region LIKE ?")
            args.append(S.region_prefix(f.region) + "%")
        for amount, pid, due, lines in self.conn.execute(
                "SELECT p.amount_fen, d.platform_id, d.amount_due_fen, d.lines FROM fee_payments p"
                " JOIN declarations d ON d.id = p.declaration_id WHERE " + " AND ".join(where), args):
            lines = [l for l in json.loads(lines or "[]") if int(l.get("amount_fen") or 0) > 0] or \
                json.loads(lines or "[]")
            if not lines:
                continue
            for l, part in zip(lines, S.allocate(amount, [int(l.get("amount_fen") or 0) for l in lines])):
                if f.industry and l.get("industry") != f.industry:
                    continue
                row(pid, l.get("industry", "")).fees_paid_fen += part
        benefit_filter = f.with_(industry=None, station_id=None)
        for amount, _kind, _paid, pid, ind, acc, _aid in self._paid_benefits(benefit_filter):
            fi = S.fee_industry(ind, acc[:10])
            if f.industry and fi != f.industry:
                continue
            r = row(pid, fi)
            r.benefits_paid_fen += amount
            r.payments += 1
        return sorted(rows.values(), key=lambda r: (r.platform_id, r.industry))

    # ---- declaration gaps -------------------------------------------------------------
    def stats_gaps(self, f: S.StatsFilter, today: date | None = None) -> list[S.GapRow]:
        """Per declaration line: orders declared vs recorded now, due, paid,
        unpaid; and (platform, area, month) with recorded orders but no
        declaration (months before the current one only)."""
        today = today or now().date()
        recorded = self.stats_recorded_orders(f)
        out: list[S.GapRow] = []
        seen = set()
        for r in self._declaration_rows(f):
            lines = json.loads(r["lines"] or "[]")
            dues = [int(l.get("amount_fen") or 0) for l in lines]
            paid_parts = S.allocate(r["amount_paid_fen"], dues) if lines else []
            for l, paid in zip(lines, paid_parts):
                ind = l.get("industry", "")
                if f.industry and ind != f.industry:
                    continue
                key = (r["platform_id"], r["region"], r["month"], ind)
                seen.add(key)
                status = r["status"]
                if status in ("declared", "partly_paid") and paid < int(l.get("amount_fen") or 0) \
                        and today > _due_date(r["month"]):
                    status = "overdue"
                out.append(S.GapRow(
                    platform_id=r["platform_id"], region=r["region"], month=r["month"], industry=ind,
                    number=r["number"], status=status, recorded=recorded.get(key, 0),
                    recorded_at_declaration=int(l.get("orders_recorded") or 0),
                    declared=int(l.get("orders_declared") or 0),
                    due_fen=int(l.get("amount_fen") or 0) if r["status"] != "draft" else 0,
                    paid_fen=paid))
        current = S.today_month(today)
        for key, n in sorted(recorded.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][3])):
            if key in seen or n <= 0 or key[2] >= current:
                continue
            if f.region and not S.region_within(key[1], f.region):
                continue
            has = self.conn.execute("SELECT status FROM declarations WHERE platform_id = ? AND region = ? AND month = ?",
                                    key[:3]).fetchone()
            out.append(S.GapRow(platform_id=key[0], region=key[1], month=key[2], industry=key[3], number="",
                                status="missing" if not has else "line_missing", recorded=n, declared=0))
        return out

    # ==================================================================== views
    def stats_names(self) -> S.Names:
        return S.Names(
            platforms={r[0]: r[1] for r in self.conn.execute("SELECT id, name FROM platforms")},
            stations={r[0]: r[1] for r in self.conn.execute("SELECT id, name FROM stations")},
            situations=_situation_labels())

    def stats_view(self, key: str, f: S.StatsFilter, today: date | None = None,
                   actor: Actor | None = None) -> S.View:
        """One of ``claims.stats.VIEW_TITLES`` as tables and charts. A station manager
        (``actor``) sees their own platform and station only: a filter for another finds nothing."""
        if own_station(actor) is not None:  # a filter narrows their scope, never widens it
            f = f.with_(platform_id=narrow(own_platform(actor), f.platform_id),
                        station_id=narrow(own_station(actor), f.station_id))
        names = self.stats_names()
        if key == "enrollment":
            return S.enrollment_view(self.stats_activity(f), names)
        if key == "fees":
            return S.fees_view(self.stats_fees(f, today), self.stats_activity(f.with_(station_id=None)), f, names)
        if key == "cases":
            return S.cases_view(self.stats_cases(f), names)
        if key == "durations":
            return S.durations_view(self.stats_durations(f), f, names)
        if key == "benefits":
            return S.benefits_view(self.stats_benefits(f), f, names)
        if key == "ratio":
            return S.ratio_view(self.stats_ratio(f), f, names)
        if key == "gaps":
            return S.gaps_view(self.stats_gaps(f, today), f, names)
        raise KeyError(key)

    def stats_filter_choices(self, actor: Actor | None = None) -> dict[str, list[tuple[str, str]]]:
        """What the filter bar offers: platforms, stations (with platform id), regions, months with data;
        a station manager (``actor``) is offered their own platform and station only."""
        own_p, own_s = own_platform(actor), own_station(actor)
        stations = [(r[0], r[1], r[2], r[3]) for r in self.conn.execute(
            "SELECT s.id, s.name, s.platform_id, p.name FROM stations s JOIN platforms p ON p.id = s.platform_id"
            + (" WHERE s.id = ?" if own_s else "") + " ORDER BY p.name, s.name", [own_s] if own_s else [])]
        regions = sorted({r[0] for r in self.conn.execute("SELECT DISTINCT region FROM declarations")}
                         | {r[0] for r in self.conn.execute("SELECT DISTINCT district FROM stations WHERE district != ''")}
                         | {r[0] for r in self.conn.execute("SELECT DISTINCT pool FROM stats_cells WHERE pool != ''")})
        return {"platforms": [(r[0], r[1]) for r in self.conn.execute(
                    "SELECT id, name FROM platforms" + (" WHERE id = ?" if own_p else "") + " ORDER BY name",
                    [own_p] if own_p else [])],
                "stations": stations, "regions": [(r, r) for r in regions]}

    def stats_months(self) -> tuple[str, str] | None:
        """The first and last month with orders, declarations or cases (for the default period)."""
        self._fresh()
        found = [r[0] for r in self.conn.execute(
            "SELECT min(month) FROM stats_activity UNION ALL SELECT max(month) FROM stats_activity"
            " UNION ALL SELECT min(month) FROM declarations UNION ALL SELECT max(month) FROM declarations"
            " UNION ALL SELECT substr(min(reported_at), 1, 7) FROM cases"
            " UNION ALL SELECT substr(max(reported_at), 1, 7) FROM cases") if r[0]]
        return (min(found), max(found)) if found else None

    # ==================================================================== home and report
    def home_summary(self, actor: Actor, today: date | None = None, *, refresh: bool = True) -> S.HomeSummary:
        """Workers enrolled and active this month, open and overdue cases,
        fees outstanding (a station manager sees their own station).

        ``refresh=False`` never waits for the aggregate tables (after a large
        import their refresh can take a while): the worker figures are then
        those of the last refresh and ``stale`` says so."""
        today = today or now().date()
        month = S.today_month(today)
        station = actor.station_id if actor.role == "station_manager" else None
        f = S.StatsFilter.for_month(month, station_id=station,
                                    platform_id=actor.platform_id if actor.role == "station_manager" else None)
        stale = bool(self.stats_pending())
        if stale and not refresh:
            act = self._activity_as_is(f)
        else:
            act, stale = self.stats_activity(f), False
        cw, ca = self._case_where(S.StatsFilter.for_month(month, station_id=station))
        q = self.conn.execute
        open_cases = q("SELECT count(*) FROM cases c WHERE c.state NOT IN (?, ?, ?)" + cw,
                       (*_OPEN_STATES, *ca)).fetchone()[0]
        overdue = q("SELECT count(*) FROM cases c WHERE c.due_on < ?" + cw, (today.isoformat(), *ca)).fetchone()[0]
        fees_outstanding, overdue_decl = 0, 0
        if station is None:
            for m, due, paid in q("SELECT month, amount_due_fen, amount_paid_fen FROM declarations"
                                  " WHERE status IN ('declared', 'partly_paid') AND amount_paid_fen < amount_due_fen"):
                fees_outstanding += due - paid
                overdue_decl += today > _due_date(m)
        return S.HomeSummary(month=month, workers_enrolled=act.enrolled[month], workers_active=act.active[month],
                             open_cases=open_cases, overdue_cases=overdue, fees_outstanding_fen=fees_outstanding,
                             overdue_declarations=overdue_decl, stale=stale)

    def monthly_report(self, month: str, actor: Actor, *, region: str | None = None,
                       today: date | None = None) -> S.MonthlyReport:
        """The figures of the A4 monthly report for the handling office (all platforms: not for
        station managers)."""
        require(actor, "report.office")
        S.check_month(month)
        f = S.StatsFilter.for_month(month, region=region)
        ytd = S.StatsFilter(month[:4] + "-01", month, region=region)
        names = self.stats_names()
        return S.build_monthly_report(
            month=month, office=self.office_settings()["office.name"], actor_label=actor.label,
            region=region, activity=self.stats_activity(ytd), fees=self.stats_fees(f, today),
            cases=self.stats_cases(f), durations=self.stats_durations(f), benefits=self.stats_benefits(f),
            ratio_rows=self.stats_ratio(ytd), gaps=self.stats_gaps(f, today), names=names, at=now())


# --- helpers ----------------------------------------------------------------------------

def _ranges(months: list[str]) -> list[tuple[str, str]]:
    """Consecutive runs of months: ['2025-01','2025-02','2025-05'] -> [(01, 02), (05, 05)]."""
    out: list[list[str]] = []
    for m in sorted(months):
        if out and S.month_index(m) == S.month_index(out[-1][1]) + 1:
            out[-1][1] = m
        else:
            out.append([m, m])
    return [tuple(r) for r in out]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching month spans merged: [(0, 2), (1, 4), (6, 6)] -> [(0, 4), (6, 6)]."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _due_date(month: str) -> date:
    """Fees for a month are due by the 15th of the following month."""
    return date.fromisoformat(S.next_month(month) + "-15")


def _industry_share(lines: list[dict], due: int, paid: int, industry: str | None) -> tuple[int, int, int]:
    """(due, paid, orders declared) of one industry's lines, or of all; paid split pro rata."""
    declared = sum(int(l.get("orders_declared") or 0) for l in lines if not industry or l.get("industry") == industry)
    if not industry:
        return due, paid, declared
    amounts = [int(l.get("amount_fen") or 0) for l in lines]
    parts = S.allocate(paid, amounts) if lines else []
    d = sum(a for l, a in zip(lines, amounts) if l.get("industry") == industry)
    p = sum(x for l, x in zip(lines, parts) if l.get("industry") == industry)
    return d, p, declared


def _body_parts(text: str) -> list[str]:
    import re
    return [p for p in (x.strip() for x in re.split(r"[、，,；;/\s]+", text or "")) if p] or [_("未填写")]


def _situation_labels() -> dict[str, str]:
    from ..situations import labels
    return labels()

