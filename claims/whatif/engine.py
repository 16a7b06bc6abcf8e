"""Run a scenario on the stored history, beside what happened (in memory).

Fees: every line of every submitted declaration of the period is charged
again at the scenario's per-order amount where the scenario changes it —
the declared orders × the amount, rounded half-up to the fen once per line,
as declared; lines it does not change keep their declared amount exactly.
Assumed coverage (an industry added with workers and orders) adds one line
per month.

Benefits: every approved payment of the period is the actual figure. Where
the scenario changes benefit rules or parameters, each approved assessment
of those cases is computed again by claims/benefits.py from the input it
was computed from (with the parameters it used, then the scenario's), and a
payment becomes the scenario's amount item by item (a one-off payment is
split over the assessment's one-off items pro rata, as 统计 does; a monthly
payment carries its items); one-off items the scenario adds are paid with
the first one-off payment. A later appraisal's "already granted" amounts are
those of the scenario's earlier assessments.

Nothing is written: the store's queries read, their aggregates go to temp
tables."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ClaimsError
from ..i18n import _
from ..industries import fee_industry
from ..money import round_half_up_fen, to_fen
from ..permissions import require
from ..stats.numbers import split_payment
from ..stats.periods import check_month, months_between
from .scenario import PARAMETERS, Scenario

ASSUMED = "*"  # the platform of assumed coverage


@dataclass
class Cell:
    month: str
    platform_id: str
    industry: str
    orders: int = 0  # declared: what the fee is charged on
    orders_recorded: int = 0  # daily counts
    workers: int = 0  # active on the platform in the industry that month
    fees_actual: int = 0
    fees_scenario: int = 0
    benefits_actual: int = 0
    benefits_scenario: int = 0
    payments: int = 0
    lines: int = 0
    lines_changed: int = 0


@dataclass
class CaseDiff:
    number: str
    worker: str
    industry: str
    grade: int | None
    outcome: str
    once_actual: int
    once_scenario: int
    monthly_actual: int
    monthly_scenario: int
    paid_actual: int = 0
    paid_scenario: int = 0
    recomputed: bool = True

    @property
    def changed(self) -> bool:
        return (self.once_actual, self.monthly_actual, self.paid_actual) != (
            self.once_scenario, self.monthly_scenario, self.paid_scenario)


@dataclass
class Result:
    scenario: Scenario
    months: list[str]
    cells: dict[tuple[str, str, str], Cell] = field(default_factory=dict)
    cases: list[CaseDiff] = field(default_factory=list)
    platforms: dict[str, str] = field(default_factory=dict)  # id -> name
    industries: dict[str, str] = field(default_factory=dict)  # code -> name (incl. assumed coverage)
    workers_active: dict[tuple[str, str], int] = field(default_factory=dict)  # (month, industry) -> distinct
    workers_affected: int = 0
    notes: list[str] = field(default_factory=list)

    def cell(self, month: str, platform_id: str, industry: str) -> Cell:
        key = (month, platform_id, industry)
        if key not in self.cells:
            self.cells[key] = Cell(month, platform_id, industry)
        return self.cells[key]

    def industry_order(self) -> list[str]:
        from ..industries import codes
        seen = {k[2] for k in self.cells}
        known = [c for c in codes() if c in seen]
        return known + sorted(seen - set(known))

    def by_month_industry(self) -> list[Cell]:
        """Cells summed over platforms, per month and industry (months in order)."""
        out: dict[tuple[str, str], Cell] = {}
        order = {c: i for i, c in enumerate(self.industry_order())}
        for (m, _p, ind), c in self.cells.items():
            t = out.setdefault((m, ind), Cell(m, "", ind))
            for f in ("orders", "orders_recorded", "fees_actual", "fees_scenario", "benefits_actual",
                      "benefits_scenario", "payments", "lines", "lines_changed"):
                setattr(t, f, getattr(t, f) + getattr(c, f))
            if _p == ASSUMED:
                t.workers += c.workers
        for (m, ind), t in out.items():
            t.workers += self.workers_active.get((m, ind), 0)
        return [out[k] for k in sorted(out, key=lambda k: (k[0], order.get(k[1], 99)))]

    def total(self, attr: str, *, industry: str | None = None, month: str | None = None) -> int:
        return sum(getattr(c, attr) for c in self.cells.values()
                   if (industry is None or c.industry == industry) and (month is None or c.month == month))

    @property
    def cases_affected(self) -> int:
        return sum(1 for c in self.cases if c.changed)


# --------------------------------------------------------------------------- rules

def scenario_rules(sc: Scenario):
    """accident date -> the rule set in force with the scenario's item rules, or None."""
    if not sc.item_rules:
        return None
    from ..parameters import ruleset_for
    cache: dict = {}

    def rules(day):
        rs = ruleset_for(day)
        if rs.code not in cache:
            items = dict(rs.items)
            for code, change in sc.item_rules.items():
                if code not in items:
                    continue
                item, upd = items[code], {}
                for fld, v in change.items():
                    cur = getattr(item, fld)
                    upd[fld] = {**(cur or {}), **v} if isinstance(v, dict) else v
                items[code] = item.model_copy(update=upd)
            cache[rs.code] = rs.model_copy(update={"items": items})
        return cache[rs.code]
    return rules


# --------------------------------------------------------------------------- run

def run(store, sc: Scenario, first: str | None = None, last: str | None = None, *, actor=None,
        progress=None) -> Result:
    """The scenario over the months first … last (default: every month with a
    declaration or a benefit payment), beside the actual figures."""
    if actor is not None:
        require(actor, "whatif")
    say = progress or (lambda _m: None)
    span = store.whatif_span()
    first = check_month(first) if first else (span[0] if span else None)
    last = check_month(last) if last else (span[1] if span else None)
    if first is None or last is None:
        raise ClaimsError(_("数据库中没有缴费申报或待遇支付，无从测算"))
    if first > last:
        raise ClaimsError(_("--from {a} 晚于 --to {b}").format(a=first, b=last))
    months = months_between(first, last)
    if len(months) > 120:
        raise ClaimsError(_("测算期间最长 120 个月"))
    res = Result(scenario=sc, months=months)
    plats = store.whatif_platforms()
    res.platforms = {pid: name for pid, (name, _t) in plats.items()}
    from ..industries import registry
    res.industries = {code: d.name for code, d in registry().items()}
    say(_("缴费申报"))
    affected = _fees(store, sc, res, plats)
    say(_("日单量汇总"))
    act, res.workers_affected = store.whatif_activity(months, affected)
    for (m, pid, ind), (orders, workers) in act.cells.items():
        c = res.cell(m, pid, ind)
        c.orders_recorded, c.workers = orders, workers
    res.workers_active = dict(act.workers)
    _coverage(sc, res)
    say(_("待遇支付"))
    _benefits(store, sc, res)
    return res


def _fees(store, sc: Scenario, res: Result, plats) -> dict[tuple[str, str], set[int]]:
    """Declaration lines at the scenario's amounts; returns the affected cells as
    (platform_id, recorded industry) -> month indexes, for counting workers."""
    idx = {m: i for i, m in enumerate(res.months)}
    by_name = {name: pid for pid, (name, _t) in plats.items()}
    tiers = {pid: t for pid, (_n, t) in plats.items()}
    for name, tier in sc.platform_tiers.items():
        if name not in by_name:
            res.notes.append(_("方案中的平台“{p}”未登记，其档次设定未采用").format(p=name))
        else:
            tiers[by_name[name]] = tier
    rates: dict[tuple, int | None] = {}
    affected: dict[tuple[str, str], set[int]] = {}
    for ln in store.whatif_lines(res.months[0], res.months[-1]):
        m, pid, ind = ln["month"], ln["platform_id"], ln["industry"]
        c = res.cell(m, pid, ind)
        c.orders += ln["orders"]
        c.fees_actual += ln["amount_fen"]
        c.lines += 1
        tier = tiers.get(pid, "")
        units = sc.fee_units(ind, m, tier)
        if units is None and tier != plats.get(pid, ("", ""))[1]:  # moved to another tier: its amount in force
            key = (ind, ln["region"], m, tier)
            if key not in rates:
                r = store.rate_for(ind, ln["region"], m + "-01", tier)
                rates[key] = r.amount_units if r and r.tier == tier else None
            units = rates[key]
        if units is None or units == ln["units"]:
            c.fees_scenario += ln["amount_fen"]
            continue
        c.fees_scenario += round_half_up_fen(Decimal(ln["orders"]) * units / 100)
        c.lines_changed += 1
        for recorded in _recorded_industries(ind, m):
            affected.setdefault((pid, recorded), set()).add(idx[m])
    return affected


def _recorded_industries(fee_ind: str, month: str) -> list[str]:
    """The recorded industries whose orders are charged under ``fee_ind`` in ``month``."""
    from ..industries import codes
    return [c for c in codes() if fee_industry(c, month) == fee_ind]


def _coverage(sc: Scenario, res: Result) -> None:
    for cov in sc.coverage:
        res.industries.setdefault(cov.industry, cov.name)
        for m in res.months:
            if not cov.covers(m):
                continue
            c = res.cell(m, ASSUMED, cov.industry)
            orders = cov.workers * cov.orders_per_worker_month
            c.orders += orders
            c.orders_recorded += orders
            c.workers += cov.workers
            c.fees_scenario += round_half_up_fen(Decimal(orders) * cov.units / 100)
            c.benefits_scenario += cov.benefits_per_month_fen
            c.lines += 1
            c.lines_changed += 1
    if sc.coverage:
        res.notes.append(_("新增覆盖的行业按方案假定的人数、单量和待遇支出测算，不是实际记录。"))


def _benefits(store, sc: Scenario, res: Result) -> None:
    pays = store.whatif_payments(res.months[0], res.months[-1])
    cases: dict[str, list[dict]] = {}
    for p in pays:
        cases.setdefault(p["case_id"], []).append(p)
    assessments = store.whatif_assessments(list(cases))
    table = store.parameter_table() if sc.changes_benefits else None
    rules = scenario_rules(sc)
    not_recomputed = 0
    for case_id, cps in cases.items():
        per = {a["id"]: a for a in assessments.get(case_id, [])}
        scen = _recompute(assessments.get(case_id, []), sc, table, rules) if sc.changes_benefits else {}
        if sc.changes_benefits and any(a["id"] not in scen for a in assessments.get(case_id, [])):
            not_recomputed += 1
        paid_a = paid_s = 0
        first_once: set[str] = set()
        for p in cps:
            a = per.get(p["assessment_id"])
            amount_s = _scenario_payment(p, a, scen.get(p["assessment_id"]), first_once)
            ind = fee_industry(p["industry"], p["accident_at"][:10])
            c = res.cell(p["paid_on"][:7], p["platform_id"], ind)
            c.benefits_actual += p["amount_fen"]
            c.benefits_scenario += amount_s
            c.payments += 1
            paid_a += p["amount_fen"]
            paid_s += amount_s
        res.cases.append(_case_diff(cps[0], assessments.get(case_id, []), scen, paid_a, paid_s))
    if not_recomputed:
        res.notes.append(_("{n} 件案件的待遇核定未保存计算依据（或按方案无法重算），按实际金额计。").format(n=not_recomputed))


def _items(result_items) -> dict[tuple[str, int | None], int]:
    out: dict[tuple[str, int | None], int] = {}
    for i in result_items:
        key = (i["code"], i.get("dependant"))
        out[key] = out.get(key, 0) + (to_fen(i["amount"]) if "amount" in i else int(i["amount_fen"]))
    return out


def _recompute(assessments: list[dict], sc: Scenario, table, rules) -> dict[str, dict]:
    """assessment id -> {"items": {(code, dependant): fen}, "periods": {code: period}} under the scenario."""
    from ..benefit_input import parse_input
    from ..benefits import compute
    out: dict[str, dict] = {}
    granted: dict[str, int] = {}  # one-off amounts the scenario's earlier assessments granted
    for a in assessments:
        res = a["result"]
        inp = copy.deepcopy(res.get("input"))
        if not inp:
            continue
        used = {p["name"]: p["value"] for p in res.get("parameters", []) if p.get("name") in PARAMETERS}
        inp["parameters"] = {**used, **(inp.get("parameters") or {}), **{k: str(v) for k, v in sc.parameters.items()}}
        if inp.get("previous") is not None and granted:
            inp["previous"] = {**inp["previous"], "once": {k: f"{v / 100:.2f}" for k, v in granted.items()}}
        try:
            new = compute(parse_input(inp), table, rules)
        except (ClaimsError, ValueError):
            continue
        items = {}
        for i in new.items:
            key = (i.code, i.dependant)
            items[key] = items.get(key, 0) + i.amount_fen
            if i.period == "once":  # as Store.previous_input adds up what approved assessments granted
                granted[i.code] = granted.get(i.code, 0) + i.amount_fen
        out[a["id"]] = {"items": items, "periods": {i.code: i.period for i in new.items},
                        "once": new.once_total_fen, "monthly": new.monthly_total_fen}
    return out


def _scenario_payment(p: dict, a: dict | None, scen: dict | None, first_once: set[str]) -> int:
    """One approved payment under the scenario (see the module text)."""
    if a is None or scen is None:
        return p["amount_fen"]
    actual = _items(a["result"].get("items", []))
    new = scen["items"]
    dep_ids = a["result"].get("dependant_ids") or []
    parts: list[tuple[tuple[str, int | None], int]] = []
    if p["kind"] == "monthly":
        import json
        dep = dep_ids.index(p["dependant_id"]) if p.get("dependant_id") in dep_ids else None
        for it in json.loads(p.get("pay_items") or "[]"):
            parts.append(((it["code"], dep if it["code"] == "dependant_pension" else None), int(it["amount_fen"])))
    if not parts:
        items = [i for i in a["result"].get("items", []) if i.get("period") == p["kind"]]
        shares = split_payment(p["amount_fen"], p["kind"], items)
        if shares and shares[0][0] == "unitemized":
            return p["amount_fen"]
        parts = [((i["code"], i.get("dependant")), s[3]) for i, s in zip(items, shares)]
    total = 0
    for key, fen in parts:
        act = actual.get(key, 0)
        total += round_half_up_fen(Decimal(fen) * new.get(key, 0) / act) if act else fen
    if p["kind"] == "once" and a["id"] not in first_once:
        first_once.add(a["id"])
        total += sum(v for k, v in new.items() if k not in actual and scen["periods"].get(k[0]) == "once")
    return total


def _case_diff(p: dict, approved: list[dict], scen: dict, paid_a: int, paid_s: int) -> CaseDiff:
    """One case: one-off benefits granted by all its approved assessments (a later
    appraisal's assessment grants the difference), the monthly amount of the latest."""
    latest = approved[-1] if approved else None
    inp = (latest["result"].get("input") or {}) if latest else {}
    once_a = sum(a["once_total_fen"] for a in approved)
    once_s = sum(scen[a["id"]]["once"] if a["id"] in scen else a["once_total_fen"] for a in approved)
    monthly_a = latest["monthly_total_fen"] if latest else 0
    monthly_s = scen[latest["id"]]["monthly"] if latest and latest["id"] in scen else monthly_a
    return CaseDiff(number=p["case_number"], worker=p["worker_name"],
                    industry=fee_industry(p["industry"], p["accident_at"][:10]), grade=inp.get("disability_grade"),
                    outcome=inp.get("outcome", ""), once_actual=once_a, once_scenario=once_s,
                    monthly_actual=monthly_a, monthly_scenario=monthly_s, paid_actual=paid_a, paid_scenario=paid_s,
                    recomputed=bool(approved) and all(a["id"] in scen for a in approved) if scen else False)
