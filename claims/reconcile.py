"""Reconciliation (对账): per platform, region and month, the declared order
count vs the order count in the records vs the amount due vs what was paid,
every difference with its size; drill-down to station, worker and day; and
an XLSX export. Pure functions over the store's queries (claims/store/fees.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .enums import DeclarationStatus, Industry
from .i18n import _
from .money import round_half_up_fen
from .store.fees import fee_industry, month_bounds


@dataclass(frozen=True)
class IndustryRecon:
    industry: Industry
    declared: int
    recorded: int
    due_fen: int  # as declared
    recorded_due_fen: int  # what the records would give
    rate_status: str  # confirmed / unconfirmed / missing


@dataclass(frozen=True)
class ReconRow:
    platform_id: str
    platform: str
    region: str
    month: str
    declaration_id: str | None
    declaration_number: str
    status: str  # a DeclarationStatus code, or 'undeclared'
    declared: int
    recorded: int
    due_fen: int
    recorded_due_fen: int
    paid_fen: int
    industries: tuple[IndustryRecon, ...] = ()

    @property
    def order_diff(self) -> int:
        """Declared minus recorded orders: below zero the platform declared too few."""
        return self.declared - self.recorded

    @property
    def due_diff(self) -> int:
        return self.due_fen - self.recorded_due_fen

    @property
    def outstanding_fen(self) -> int:
        """Still to pay (below zero: paid too much)."""
        return self.due_fen - self.paid_fen

    @property
    def rate_flag(self) -> str:
        flags = {i.rate_status for i in self.industries}
        return "missing" if "missing" in flags else "unconfirmed" if "unconfirmed" in flags else ""

    @property
    def has_difference(self) -> bool:
        """Orders or amounts differ, money is owed on a submitted declaration, or nothing was declared."""
        owed = self.outstanding_fen != 0 and self.status != "draft"
        return bool(self.order_diff or self.due_diff or owed or self.status == "undeclared")


STATUS_LABELS = {**{s.value: s.label for s in DeclarationStatus}, "undeclared": "未申报"}
RATE_LABELS = {"confirmed": "", "unconfirmed": "金额未确认", "missing": "缺少金额"}


def reconcile(store, month_from: str, month_to: str, platform_id: str | None = None, region: str | None = None,
              today: date | None = None, actor=None) -> list[ReconRow]:
    """One row per (platform, region, month) with a declaration or with records (a station
    manager's, ``actor``: their platform's)."""
    month_bounds(month_from), month_bounds(month_to)
    decls = {(d.platform_id, d.region, d.month): d
             for d in store.declarations_between(month_from, month_to, platform_id, region, today, actor=actor)}
    keys = set(decls) | set(store.recorded_months(month_from, month_to, platform_id, region, actor=actor))
    names = store.names_of("platforms", {k[0] for k in keys})
    rows = []
    for pid, reg, month in sorted(keys, key=lambda k: (names.get(k[0], ("",))[0], k[1], k[2])):
        computed = {l.industry: l for l in store.compute_lines(pid, reg, month)}
        d = decls.get((pid, reg, month))
        declared = {l.industry: l for l in d.lines} if d else {}
        inds = []
        for ind in [i for i in Industry if i in computed or i in declared]:
            c, dl = computed.get(ind), declared.get(ind)
            inds.append(IndustryRecon(
                industry=ind, declared=dl.orders_declared if dl else 0, recorded=c.orders_recorded if c else 0,
                due_fen=dl.amount_fen if dl else 0, recorded_due_fen=c.amount_fen if c else 0,
                rate_status=(c or dl).rate_status))
        rows.append(ReconRow(
            platform_id=pid, platform=names.get(pid, ("?",))[0], region=reg, month=month,
            declaration_id=d.id if d else None, declaration_number=d.number if d else "",
            status=d.status.value if d else "undeclared",
            declared=sum(i.declared for i in inds), recorded=sum(i.recorded for i in inds),
            due_fen=d.amount_due_fen if d else 0, recorded_due_fen=sum(i.recorded_due_fen for i in inds),
            paid_fen=d.amount_paid_fen if d else 0, industries=tuple(inds)))
    return rows


@dataclass(frozen=True)
class DrillRow:
    """A station's or a worker's month: orders in the records, orders known
    only from imported daily counts, and the amount the records give."""

    key: str  # station id ('' = no station) or worker id
    name: str
    id_number: str
    workers: int
    days: int
    recorded: int
    imported_only: int
    recorded_due_fen: int
    rate_status: str = ""
    by_industry: dict = field(default_factory=dict)

    @property
    def has_difference(self) -> bool:
        return self.imported_only != 0


def _drill(store, rows: list[tuple], platform_id: str, region: str, month: str, names: dict) -> list[DrillRow]:
    tier = store.platform(platform_id).tier
    start = month_bounds(month)[0]
    rates = {}
    acc: dict[str, dict] = {}
    for key, ind, workers, days, recorded, imported in rows:
        if ind not in rates:
            rates[ind] = store.rate_for(fee_industry(ind, start), region, start, tier)
        a = acc.setdefault(key, {"workers": 0, "days": 0, "recorded": 0, "imported": 0, "units": Decimal(0),
                                 "flags": set(), "by": {}})
        a["workers"], a["days"] = workers, days
        a["recorded"] += recorded
        a["imported"] += imported
        a["by"][ind] = a["by"].get(ind, 0) + recorded + imported
        rate = rates[ind]
        if rate is None:
            a["flags"].add("missing")
        else:
            a["units"] += Decimal(recorded + imported) * rate.amount_units
            if rate.status.value == "unconfirmed":
                a["flags"].add("unconfirmed")
    out = []
    for key, a in acc.items():
        nm = names.get(key, ())
        flag = "missing" if "missing" in a["flags"] else "unconfirmed" if a["flags"] else ""
        out.append(DrillRow(key=key, name=nm[0] if nm else _("（未分配站点）"), id_number=nm[1] if len(nm) > 1 else "",
                            workers=a["workers"], days=a["days"], recorded=a["recorded"],
                            imported_only=a["imported"], recorded_due_fen=round_half_up_fen(a["units"] / 100),
                            rate_status=flag, by_industry=a["by"]))
    return sorted(out, key=lambda r: (-(r.recorded + r.imported_only), r.name))


def by_station(store, platform_id: str, region: str, month: str, actor=None) -> list[DrillRow]:
    rows = store.month_counts(platform_id, region, month, "station", actor=actor)
    return _drill(store, rows, platform_id, region, month, store.names_of("stations", {r[0] for r in rows}))


def by_worker(store, platform_id: str, region: str, month: str, station_id: str, actor=None) -> list[DrillRow]:
    """Workers of one station ('' = workers without a station at the platform)."""
    rows = store.month_counts(platform_id, region, month, "worker", station_id, actor=actor)
    return _drill(store, rows, platform_id, region, month, store.names_of("workers", {r[0] for r in rows}))


@dataclass(frozen=True)
class DayRow:
    day: str
    industry: Industry
    fee_industry: Industry
    count: int  # in the daily counts
    source: str  # derived / imported
    records: int  # order records that day

    @property
    def difference(self) -> int:
        return self.count - self.records


def by_day(store, worker_id: str, platform_id: str, region: str, month: str, actor=None) -> list[DayRow]:
    return [DayRow(day=d, industry=Industry(i), fee_industry=Industry(fee_industry(i, d)), count=n, source=src,
                   records=rec)
            for d, i, n, src, rec in store.worker_month_days(worker_id, platform_id, region, month, actor=actor)]


# -- export ----------------------------------------------------------------
SUMMARY_HEADERS = ["平台", "地区", "月份", "申报编号", "状态", "申报单量", "记录单量", "单量差异", "应缴（申报）",
                   "应缴（按记录）", "金额差异", "已缴", "未缴", "金额状态"]
INDUSTRY_HEADERS = ["平台", "地区", "月份", "行业", "申报单量", "记录单量", "单量差异", "应缴（申报）", "应缴（按记录）",
                    "金额状态"]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def export_xlsx(rows: list[ReconRow], path: str | Path, *, title: str = "") -> Path:
    """Write the reconciliation to an XLSX file (streamed, write-only):
    a summary sheet with differences in red, and a sheet per industry line."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .sheets import text_cell, xlsx_row

    path = Path(path)
    wb = Workbook(write_only=True)
    bold, red = Font(bold=True), Font(color="C0392B", bold=True)

    def cell(ws, value, *, font=None, money=False):
        return text_cell(ws, value, font=font, number_format="#,##0.00" if money else None)

    ws = wb.create_sheet(_("对账汇总"))
    if title:
        ws.append([cell(ws, title, font=bold)])
    ws.append([cell(ws, _(h), font=bold) for h in SUMMARY_HEADERS])
    for r in rows:
        ws.append(xlsx_row(ws, [
            r.platform, r.region, r.month, r.declaration_number, _(STATUS_LABELS[r.status]), r.declared,
            r.recorded, cell(ws, r.order_diff, font=red if r.order_diff else None),
            cell(ws, _yuan(r.due_fen), money=True), cell(ws, _yuan(r.recorded_due_fen), money=True),
            cell(ws, _yuan(r.due_diff), font=red if r.due_diff else None, money=True),
            cell(ws, _yuan(r.paid_fen), money=True),
            cell(ws, _yuan(r.outstanding_fen), font=red if r.outstanding_fen else None, money=True),
            _(RATE_LABELS[r.rate_flag]) if r.rate_flag else ""]))
    ws2 = wb.create_sheet(_("行业明细"))
    ws2.append([cell(ws2, _(h), font=bold) for h in INDUSTRY_HEADERS])
    for r in rows:
        for i in r.industries:
            diff = i.declared - i.recorded
            ws2.append(xlsx_row(ws2, [
                r.platform, r.region, r.month, i.industry.label, i.declared, i.recorded,
                cell(ws2, diff, font=red if diff else None), cell(ws2, _yuan(i.due_fen), money=True),
                cell(ws2, _yuan(i.recorded_due_fen), money=True),
                _(RATE_LABELS.get(i.rate_status, "")) if i.rate_status != "confirmed" else ""]))
    from .savefile import saving
    with saving(path) as tmp:  # whole or not at all, the owner's only; a file held open is kept beside it
        wb.save(tmp)
    return path
