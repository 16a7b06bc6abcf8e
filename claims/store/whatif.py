"""政策测算 (policy what-if) queries and saved scenarios. Everything here
reads: a scenario run never writes to the file (aggregates go to temp tables,
which live outside it). Order rows are never loaded: the orders and active
workers per month, platform and industry come from one pass over the daily
counts in primary-key order (worker, platform, industry, day), which SQLite
streams without sorting, with one sum and one count per month of the period.

Saved scenarios are rows of their own (named; audited like every row)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..change import Change
from ..errors import FieldError, NotFound
from ..i18n import _
from ..permissions import require
from .base import Actor, StoreBase


@dataclass(frozen=True)
class SavedScenario:
    id: str
    name: str
    body: dict
    note: str
    updated_at: str
    updated_by: str = ""


@dataclass
class Activity:
    """Daily counts of the period: per (month, platform_id, fee industry) the
    orders recorded and the workers active; per (month, fee industry) the
    workers active across platforms."""
    cells: dict[tuple[str, str, str], list[int]]  # -> [orders, workers]
    workers: dict[tuple[str, str], int]
    months: list[str]


def _month_days(months: list[str]) -> list[tuple[str, str]]:
    from ..stats.periods import next_month
    return [(m + "-01", next_month(m) + "-01") for m in months]


class WhatifMixin(StoreBase):
    # ---- history ---------------------------------------------------------------------
    def whatif_span(self) -> tuple[str, str] | None:
        """The months a scenario runs over by default: from the first to the last
        month with a declaration (fees to set benefits against); without any
        declaration, those with an approved benefit payment."""
        r = self.conn.execute("SELECT min(month), max(month) FROM declarations").fetchone()
        if r and r[0]:
            return r[0], r[1]
        r = self.conn.execute(
            "SELECT substr(min(paid_on), 1, 7), substr(max(paid_on), 1, 7) FROM benefit_payments"
            " WHERE status = 'approved'").fetchone()
        return (r[0], r[1]) if r and r[0] else None

    def whatif_platforms(self) -> dict[str, tuple[str, str]]:
        """platform_id -> (name, tier)."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute("SELECT id, name, tier FROM platforms")}

    def whatif_lines(self, first: str, last: str) -> list[dict]:
        """Every line of the declarations for the months first … last that were
        submitted (drafts owe nothing yet): month, platform, region, number, and
        the line as declared (industry, orders declared, per-order units, amount)."""
        out = []
        for month, pid, region, number, lines in self.conn.execute(
                "SELECT month, platform_id, region, number, lines FROM declarations WHERE status != 'draft'"
                " AND month >= ? AND month <= ? ORDER BY month, platform_id, region", (first, last)):
            for i, l in enumerate(json.loads(lines or "[]")):
                out.append({"month": month, "platform_id": pid, "region": region, "number": number, "line": i,
                            "industry": l.get("industry", ""), "orders": int(l.get("orders_declared") or 0),
                            "units": l.get("rate_units"), "rate_status": l.get("rate_status", ""),
                            "amount_fen": int(l.get("amount_fen") or 0)})
        return out

    def whatif_activity(self, months: list[str], affected: dict[tuple[str, str], set[int]] | None = None,
                        ) -> tuple[Activity, int]:
        """Orders and active workers of ``months`` from the daily counts, and how
        many distinct workers had orders in an ``affected`` cell: (platform_id,
        recorded industry) -> indexes into ``months``. One streamed pass."""
        from ..industries import fee_industry
        c = self.conn
        days = _month_days(months)
        cols = ", ".join(f"sum(CASE WHEN day >= '{a}' AND day < '{b}' THEN orders END) AS m{i}"
                         for i, (a, b) in enumerate(days))
        c.execute("DROP TABLE IF EXISTS temp.wi_wm")
        c.execute(f"CREATE TEMP TABLE wi_wm AS SELECT worker_id, platform_id, industry, {cols}"
                  " FROM daily_counts NOT INDEXED WHERE day >= ? AND day < ? AND orders > 0"
                  " GROUP BY worker_id, platform_id, industry", (days[0][0], days[-1][1]))
        try:
            per = ", ".join(f"count(m{i}), coalesce(sum(m{i}), 0)" for i in range(len(months)))
            cells: dict[tuple[str, str, str], list[int]] = {}
            for row in c.execute(f"SELECT platform_id, industry, {per} FROM temp.wi_wm GROUP BY platform_id, industry"):
                pid, ind = row[0], row[1]
                for i, m in enumerate(months):
                    n_workers, n_orders = row[2 + 2 * i], row[3 + 2 * i]
                    if n_workers:
                        cell = cells.setdefault((m, pid, fee_industry(ind, m)), [0, 0])
                        cell[0] += n_orders
                        cell[1] += n_workers
            distinct = ", ".join(f"count(DISTINCT CASE WHEN m{i} IS NOT NULL THEN worker_id END)"
                                 for i in range(len(months)))
            workers: dict[tuple[str, str], int] = {}
            for row in c.execute(f"SELECT industry, {distinct} FROM temp.wi_wm GROUP BY industry"):
                for i, m in enumerate(months):
                    if row[1 + i]:
                        key = (m, fee_industry(row[0], m))
                        workers[key] = workers.get(key, 0) + row[1 + i]
            hit = 0
            if affected:
                terms, args = [], []
                for (pid, ind), idx in sorted(affected.items()):
                    terms.append("(platform_id = ? AND industry = ? AND coalesce("
                                 + ", ".join(f"m{i}" for i in sorted(idx)) + ", NULL) IS NOT NULL)")
                    args += [pid, ind]
                hit = c.execute("SELECT count(DISTINCT worker_id) FROM temp.wi_wm WHERE " + " OR ".join(terms),
                                args).fetchone()[0]
            return Activity(cells=cells, workers=workers, months=months), hit
        finally:
            c.execute("DROP TABLE IF EXISTS temp.wi_wm")

    def whatif_payments(self, first: str, last: str) -> list[dict]:
        """Approved benefit payments paid in the months first … last, with their case."""
        from ..stats.periods import next_month
        return [dict(r) for r in self.conn.execute(
            "SELECT p.id, p.number, p.case_id, p.assessment_id, p.kind, p.amount_fen, p.paid_on, p.period_month,"
            " p.dependant_id, p.pay_items, p.advance_id, c.number AS case_number, c.platform_id, c.industry,"
            " c.accident_at, c.worker_id, w.name AS worker_name FROM benefit_payments p"
            " JOIN cases c ON c.id = p.case_id JOIN workers w ON w.id = c.worker_id"
            " WHERE p.status = 'approved' AND p.paid_on >= ? AND p.paid_on < ? ORDER BY p.paid_on, p.number",
            (first + "-01", next_month(last) + "-01"))]

    def whatif_assessments(self, case_ids: list[str]) -> dict[str, list[dict]]:
        """The approved assessments of the cases, oldest first, with what they were computed from."""
        out: dict[str, list[dict]] = {}
        for i in range(0, len(case_ids), 500):
            chunk = case_ids[i:i + 500]
            for r in self.conn.execute(
                    "SELECT id, case_id, number, once_total_fen, monthly_total_fen, result_json, created_at"
                    f" FROM assessments WHERE status = 'approved' AND case_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY created_at, number", chunk):
                out.setdefault(r["case_id"], []).append({**dict(r), "result": json.loads(r["result_json"] or "{}")})
        return out

    # ---- saved scenarios ---------------------------------------------------------------
    def scenarios(self) -> list[SavedScenario]:
        return [self._scenario(dict(r)) for r in self.conn.execute(
            "SELECT * FROM whatif_scenarios ORDER BY updated_at DESC, name")]

    def scenario_by_name(self, name: str) -> SavedScenario:
        r = self.conn.execute("SELECT * FROM whatif_scenarios WHERE name = ?", (name,)).fetchone()
        if r is None:
            raise NotFound(_("没有名为“{n}”的测算方案").format(n=name))
        return self._scenario(dict(r))

    def _scenario(self, row: dict) -> SavedScenario:
        last = self.conn.execute("SELECT actor FROM audit_log WHERE table_name = 'whatif_scenarios' AND record_id = ?"
                                 " ORDER BY seq DESC LIMIT 1", (row["id"],)).fetchone()
        return SavedScenario(id=row["id"], name=row["name"], body=json.loads(row["body"]), note=row["note"],
                             updated_at=row["updated_at"], updated_by=last[0] if last else "")

    def save_scenario(self, actor: Actor, body: dict) -> tuple[SavedScenario, Change]:
        """Save a scenario under its name (a new one, or the same name again
        replaces it). Checked first: a scenario that cannot run is not saved."""
        from ..whatif.scenario import parse
        require(actor, "whatif")
        sc = parse(body)
        if not sc.name:
            raise FieldError("name", _("请给方案起一个名称"))
        text = json.dumps(sc.raw, ensure_ascii=False, sort_keys=True)
        row = self.conn.execute("SELECT id FROM whatif_scenarios WHERE name = ?", (sc.name,)).fetchone()
        with self.atomic():
            if row:
                saved = self._update("whatif_scenarios", row[0], {"body": text, "note": sc.note}, actor,
                                     what=_("测算方案"))
            else:
                saved = self._insert("whatif_scenarios", {"name": sc.name, "body": text, "note": sc.note}, actor)
        return self._scenario(saved), self.change("whatif_scenarios", ids=[saved["id"]],
                                                  summary=_("已保存测算方案“{n}”").format(n=sc.name))
