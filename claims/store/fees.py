"""Order records (bulk import), daily counts (derived or imported), the
coverage question, per-order fee amounts, monthly declarations and payments,
and the queries behind reconciliation (``claims/reconcile.py``).

Overdue is computed on read, never stored: a declaration that is declared
or partly paid, with less paid than due, is shown as ``overdue`` once the
15th of the following month has passed (``due_date``). Nothing has to run
each day, and the audit log records only what people did.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..enums import DeclarationStatus, Industry, ParamStatus
from ..errors import ClaimsError, FieldError, NotFound
from ..i18n import _
from ..change import Change
from ..lazy import lazy_import
from ..money import round_half_up_fen
from ..permissions import require
from ..resources import load_json
from ..timeutil import SHANGHAI, now, now_iso, parse_date, parse_time
from ..validators import id_check_char
from .base import Actor, StoreBase, new_id
from .seal import MOD, SealMixinBase, row_hash

if TYPE_CHECKING:
    from ..models import DeclarationLine, FeeDeclaration, FeePayment, FeeRate

models = lazy_import("claims.models")

MERGE_DAY = "2025-07-01"  # from this day 外卖 is counted as 即时配送 (rules.md §1)
BATCH = 5000  # rows per executemany; also how often progress and cancel are checked
IMPORT_CACHE_KIB = -98304  # page cache during an order import (96 MB; the default is 2 MB)
_OPEN = ("declared", "partly_paid")
_OVERDUE_SQL = ("status IN ('declared', 'partly_paid') AND amount_paid_fen < amount_due_fen"
                " AND date(month || '-15', '+1 month') < ?")


class Cancelled(ClaimsError):
    def __init__(self):
        super().__init__(_("已取消，数据库未作任何更改"))


@dataclass
class ImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, "第 N 行：字段：原因")
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, status, detail); capped
    conflicts: list[str] = field(default_factory=list)  # imported vs derived daily counts, which one won
    dry_run: bool = False

    ROW_CAP = 5000

    def note(self, line: int, status: str, detail: str = "") -> None:
        if len(self.rows) < self.ROW_CAP:
            self.rows.append((line, status, detail))

    def reject(self, line: int, message: str) -> None:
        self.rejected.append((line, message))
        self.note(line, "rejected", message)

    def summary(self) -> str:
        head = _("（试运行，未写入）") if self.dry_run else ""
        text = _("{h}共 {t} 行：新增 {n}，更新 {u}，未变 {c}，拒绝 {r}").format(
            h=head, t=self.total, n=self.new, u=self.updated, c=self.unchanged, r=len(self.rejected))
        if self.conflicts:
            text += _("，日单量冲突 {k}").format(k=len(self.conflicts))
        return text


def fee_industry(industry: str, day: str) -> str:
    """The industry a fee is looked up under: 外卖 is 即时配送 from 2025-07-01."""
    return Industry.instant_delivery.value if industry == "food_delivery" and day >= MERGE_DAY else industry


def month_bounds(month: str) -> tuple[str, str]:
    """'2025-07' -> ('2025-07-01', '2025-08-01'); a bad month is a FieldError."""
    try:
        start = date.fromisoformat(month + "-01")
    except (TypeError, ValueError):
        raise FieldError(_("月份"), _("“{m}”应为 YYYY-MM").format(m=month)) from None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.isoformat(), end.isoformat()


def due_date(month: str) -> date:
    """Fees for a month are due by the 15th of the following month."""
    return date.fromisoformat(month_bounds(month)[1]).replace(day=15)


def parse_per_order(text: str, *, field_name: str = "每单金额") -> int:
    """Per-order amount in 元 ("0.07", "0.0450", "¥0.25") to 0.0001 元 units."""
    import unicodedata
    from decimal import InvalidOperation
    t = unicodedata.normalize("NFKC", text or "").strip().removeprefix("¥").removesuffix("元").strip()
    if not t:
        raise FieldError(_(field_name), _("不能为空"))
    try:
        amount = Decimal(t)
    except InvalidOperation:
        raise FieldError(_(field_name), _("“{t}”不是有效的金额").format(t=t)) from None
    if not amount.is_finite() or amount < 0:
        raise FieldError(_(field_name), _("应为不小于零的金额"))
    units = amount * 10000
    if units != units.to_integral_value():
        raise FieldError(_(field_name), _("最多四位小数（0.0001 元）"))
    return int(units)


def with_constants(rows: Iterable[tuple[int, dict]], constants: dict[str, str]) -> Iterator[tuple[int, dict]]:
    """Fill columns a file lacks (e.g. the platform of a one-platform export)."""
    for line, rec in rows:
        for k, v in constants.items():
            if not rec.get(k):
                rec[k] = v
        yield line, rec


def _industry_names() -> dict[str, str]:
    return {**{i.value: i.value for i in Industry}, **{i.label: i.value for i in Industry}}


def _id18(idn: str) -> str:
    if len(idn) == 15 and idn.isdigit():
        first17 = idn[:6] + "19" + idn[6:]
        return first17 + id_check_char(first17)
    return idn


def _time(text: str, label: str, line: int) -> str:
    """ISO 8601 to the stored form (Shanghai offset). Fast path for the usual shapes."""
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return parse_time(text, field=label, row=line).isoformat()  # '/' dates, or a FieldError
    if dt.tzinfo is None:
        if dt.year > 1991:  # Shanghai has kept +08:00 without summer time since 1991
            # "2025-07-03T08:15:00" is already the stored form; other shapes are rewritten
            return (text if len(text) == 19 and text[10] == "T" and text[13] == text[16] == ":"
                    else dt.isoformat()) + "+08:00"
        return dt.replace(tzinfo=SHANGHAI).isoformat()
    if len(text) == 25 and text.endswith("+08:00") and text[10] == "T" and text[13] == text[16] == ":":
        return text
    return dt.astimezone(SHANGHAI).isoformat()


class _OrderChecker:
    """Checks one order row and turns it into the stored tuple; caches what it looks up."""

    def __init__(self, store: "FeesMixin"):
        self.conn = store.conn
        self.platforms: dict[str, tuple[str, set[str]]] = {}
        for pid, name, inds in self.conn.execute("SELECT id, name, industries FROM platforms"):
            allowed = set(json.loads(inds or "[]"))
            if allowed & {"food_delivery", "instant_delivery"}:
                allowed |= {"food_delivery", "instant_delivery"}  # the 2025 merger: either code is accepted
            self.platforms[name] = (pid, allowed)
        self.industries = _industry_names()
        self.workers: dict[str, str | None] = {}
        self.platform_names = {pid: name for name, (pid, _a) in self.platforms.items()}

    def worker_id(self, idn: str) -> str | None:
        try:
            return self.workers[idn]
        except KeyError:
            pass
        r = self.conn.execute("SELECT id FROM workers WHERE id_number = ?", (_id18(idn),)).fetchone()
        if len(self.workers) > 200_000:
            self.workers.clear()  # keep memory flat on files with very many workers
        self.workers[idn] = wid = r[0] if r else None
        return wid

    def order(self, line: int, rec: dict) -> tuple:
        """(platform_id, order_no, industry, worker_id, accepted_at, finished_at, region)."""
        get = rec.get
        order_no = (get("order_no") or "").strip()
        pname = (get("platform") or "").strip()
        itext = (get("industry") or "").strip()
        idn = (get("id_number") or "").strip().upper()
        acc_text = (get("accepted_at") or "").strip()
        region = (get("region") or "").strip()
        if not (order_no and pname and itext and idn and acc_text and region):
            for key, label in (("order_no", "订单号"), ("platform", "平台"), ("industry", "行业"),
                               ("id_number", "身份证号码"), ("accepted_at", "接单时间"), ("region", "地区代码")):
                if not (get(key) or "").strip():
                    raise FieldError(_(label), _("不能为空（必填）"), line)
        plat = self.platforms.get(pname)
        if plat is None:
            raise FieldError(_("平台"), _("未登记的平台“{p}”").format(p=pname), line)
        ind = self.industries.get(itext)
        if ind is None:
            raise FieldError(_("行业"), _("未知行业“{i}”").format(i=itext), line)
        if plat[1] and ind not in plat[1]:
            raise FieldError(_("行业"), _("平台“{p}”未登记{i}行业").format(p=pname, i=Industry(ind).label), line)
        acc = _time(acc_text, _("接单时间"), line)
        fin_text = (get("finished_at") or "").strip()
        fin = _time(fin_text, _("完成时间"), line) if fin_text else None
        if fin is not None and fin < acc:  # same +08:00 form: text order is time order
            raise FieldError(_("完成时间"), _("{f} 早于接单时间 {a}").format(f=fin_text, a=acc_text), line)
        if len(region) != 6 or not region.isdigit():
            raise FieldError(_("地区代码"), _("“{r}”应为六位数字").format(r=region), line)
        wid = self.worker_id(idn)
        if wid is None:
            raise FieldError(_("身份证号码"), _("未登记的人员 {i}").format(i=idn), line)
        return (plat[0], order_no, ind, wid, acc, fin, region)


class _CountWork:
    """The daily counts an order import changes. Whole-new batches add their
    counts (``inc``); worker-days of partly-stored batches, and those holding
    an imported count, are counted again from the records (``touched``).
    No UPSERT on daily_counts: triggers of other modules (stats_dirty) use
    INSERT OR IGNORE, which an outer ON CONFLICT clause would override."""

    def __init__(self, conn, ts: str = ""):
        self.c = conn
        self.ts = ts
        self.inc: dict[tuple[str, str, str, str], list] = {}
        self.touched: set[tuple[str, str, str]] = set()
        self.sealed_rows = 0  # what this import adds to the orders table's seal (claims/store/seal.py)
        self.seal_sum = 0

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
            inc = self.inc
            for _s, pid, _o, ind, wid, acc, _f, region, _id in batch:
                key = (wid, pid, ind, acc[:10])
                hit = inc.get(key)
                if hit is None:
                    inc[key] = [1, region]
                else:
                    hit[0] += 1
        elif new:
            self.touched.update((b[4], b[1], b[5][:10]) for b in batch)
        batch.clear()
        if len(self.inc) >= 100_000 or len(self.touched) >= 100_000:
            self.flush()
        return new

    def _seal(self, batch: list[tuple], new: int) -> None:
        if not new:
            return
        stored = batch
        if new != len(batch):  # some were already stored: seal only those this batch added
            ids = {r[0] for r in self.c.execute(
                f"SELECT id FROM orders WHERE id IN ({','.join('?' * len(batch))})", [b[8] for b in batch])}
            stored = [b for b in batch if b[8] in ids]
        ts, total = self.ts, self.seal_sum
        for site, pid, order_no, ind, wid, acc, fin, region, oid in stored:
            total += row_hash((oid, ts, ts, site, 1, pid, order_no, ind, wid, acc, fin, region))
        self.seal_sum = total % MOD
        self.sealed_rows += len(stored)

    def flush(self) -> None:
        c = self.c
        c.executemany("INSERT INTO temp.inc_days VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
                      " SET orders = orders + excluded.orders",
                      ((*k, v[1], v[0]) for k, v in self.inc.items()))
        c.executemany("INSERT OR IGNORE INTO temp.touched_days VALUES (?, ?, ?)", self.touched)
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
            "SELECT d.worker_id, d.platform_id, d.industry, d.day, d.orders, w.id_number FROM temp.touched_days t"
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
        c.execute(f"UPDATE daily_counts AS d SET orders = d.orders + n.orders FROM temp.inc_days n WHERE {key}")
        for table in ("derived_days", "inc_days"):
            c.execute("INSERT INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
                      f" SELECT n.worker_id, n.platform_id, n.industry, n.region, n.day, n.orders, 'derived'"
                      f" FROM temp.{table} n WHERE NOT EXISTS (SELECT 1 FROM daily_counts d WHERE {key})")
        for wid, pid, ind, day, old, idn in imported:
            r = c.execute("SELECT orders, source FROM daily_counts WHERE worker_id=? AND platform_id=? AND industry=?"
                          " AND day=?", (wid, pid, ind, day)).fetchone()
            if r and r[1] == "derived":
                report.conflicts.append(_("{i} {p} {d} {ind}：原导入日单量 {o}，已由订单记录得出的 {n} 取代").format(
                    i=idn, p=platform_names.get(pid, pid), d=day, ind=Industry(ind).label, o=old, n=r[0]))
        for t in ("inc_days", "touched_days", "derived_days"):
            c.execute(f"DELETE FROM temp.{t}")


class FeesMixin(SealMixinBase, StoreBase):
    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if from_version == 0:
            system = Actor("system:init")
            with self.atomic():
                for r in load_json("rules/fee_rates.json")["rates"]:
                    self._insert("fee_rates", dict(r), system)

    # -- column mappings (import_mappings: platform, kind, JSON {their column: ours}) ----------
    # -- order import -----------------------------------------------------
    def import_orders(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                      file_name: str = "", progress: Callable[[int], None] | None = None,
                      cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Streamed, one transaction: rows are checked in Python and written in
        batches with ``executemany``; an order already stored (platform + order
        number) is skipped by the UNIQUE key. The daily counts follow: a batch
        stored whole adds its counts; a batch with orders already stored has
        its worker-days counted again from the records. A dry run or a cancel
        rolls everything back. Memory stays flat: pending counts go to temp
        tables once they grow."""
        require(actor, "fee.write")
        report = ImportReport(dry_run=dry_run)
        check = _OrderChecker(self)
        c = self.conn
        ts = now_iso()
        insert = ("INSERT INTO orders (site_id, platform_id, order_no, industry, worker_id, accepted_at, finished_at,"
                  " region, id, created_at, updated_at, row_version)"
                  f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{ts}', '{ts}', 1)"
                  " ON CONFLICT (platform_id, order_no) DO NOTHING")
        work = _CountWork(c, ts)
        site = self.site_id
        batch: list[tuple] = []
        cache = c.execute("PRAGMA cache_size").fetchone()[0]
        c.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")  # random UUID keys: keep the indexes in memory
        c.execute("BEGIN")
        try:
            work.start()
            for line, rec in rows:
                report.total += 1
                try:
                    batch.append((site, *check.order(line, rec), new_id()))
                except FieldError as e:
                    report.reject(line, e.message)
                    continue
                if len(batch) >= BATCH:
                    report.new += work.write(insert, batch)
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            report.new += work.write(insert, batch)
            report.unchanged = report.total - len(report.rejected) - report.new
            work.finish(report, check.platform_names)
            if cancel and cancel():
                raise Cancelled()
            self.seal_add_sum(actor, "orders", work.sealed_rows, work.seal_sum, file_name)
            self._log_import(actor, "orders", file_name, report)
            c.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        finally:
            c.execute(f"PRAGMA cache_size = {cache}")
        if progress:
            progress(report.total)
        return report

    def _log_import(self, actor: Actor, kind: str, file_name: str, report: ImportReport) -> None:
        self._insert("import_runs", {"kind": kind, "file_name": file_name, "dry_run": int(report.dry_run),
                                     "total": report.total, "new": report.new, "updated": report.updated,
                                     "unchanged": report.unchanged, "rejected": len(report.rejected),
                                     "actor": actor.username}, actor, action="import")

    # -- daily counts imported directly ---------------------------------------
    def import_daily_counts(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                            file_name: str = "", progress: Callable[[int], None] | None = None,
                            cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Columns platform, industry, id_number, day, orders, region; stored
        with source 'imported'. An imported count never silently replaces one
        derived from order records: the records are kept and the row is
        reported as a conflict. An earlier imported count is updated."""
        require(actor, "fee.write")
        report = ImportReport(dry_run=dry_run)
        check = _OrderChecker(self)
        c = self.conn
        c.execute("BEGIN")
        try:
            for line, rec in rows:
                report.total += 1
                try:
                    key, n, region = self._count_row(check, line, rec)
                except FieldError as e:
                    report.reject(line, e.message)
                    continue
                old = c.execute("SELECT orders, source FROM daily_counts WHERE worker_id=? AND platform_id=?"
                                " AND industry=? AND day=?", key).fetchone()
                if old is not None and old[1] == "derived":
                    report.unchanged += 1
                    if old[0] != n:
                        msg = _("第 {l} 行：已有订单记录得出的 {o} 单，保留订单记录，导入的 {n} 单未采用").format(
                            l=line, o=old[0], n=n)
                        report.conflicts.append(msg)
                        report.note(line, "conflict", msg)
                    continue
                if old is not None and old[0] == n:
                    report.unchanged += 1
                    continue
                if old is None:
                    c.execute("INSERT INTO daily_counts (worker_id, platform_id, industry, day, region, orders, source)"
                              " VALUES (?, ?, ?, ?, ?, ?, 'imported')", (*key, region, n))
                    report.new += 1
                else:
                    c.execute("UPDATE daily_counts SET orders = ?, region = ? WHERE worker_id = ? AND platform_id = ?"
                              " AND industry = ? AND day = ?", (n, region, *key))
                    report.updated += 1
                    report.note(line, "updated", _("日单量 {o} → {n}").format(o=old[0], n=n))
                if report.total % BATCH == 0:
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            self._log_import(actor, "daily_counts", file_name, report)
            c.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        if progress:
            progress(report.total)
        return report

    @staticmethod
    def _count_row(check: _OrderChecker, line: int, rec: dict) -> tuple[tuple, int, str]:
        vals = {k: (rec.get(k) or "").strip() for k in ("platform", "industry", "id_number", "day", "orders", "region")}
        for key, label in (("platform", "平台"), ("industry", "行业"), ("id_number", "身份证号码"), ("day", "日期"),
                           ("orders", "单量"), ("region", "地区代码")):
            if not vals[key]:
                raise FieldError(_(label), _("不能为空（必填）"), line)
        plat = check.platforms.get(vals["platform"])
        if plat is None:
            raise FieldError(_("平台"), _("未登记的平台“{p}”").format(p=vals["platform"]), line)
        ind = check.industries.get(vals["industry"])
        if ind is None:
            raise FieldError(_("行业"), _("未知行业“{i}”").format(i=vals["industry"]), line)
        day = parse_date(vals["day"], field=_("日期"), row=line).isoformat()
        if not vals["orders"].isdigit():
            raise FieldError(_("单量"), _("“{n}”应为不小于零的整数").format(n=vals["orders"]), line)
        if len(vals["region"]) != 6 or not vals["region"].isdigit():
            raise FieldError(_("地区代码"), _("“{r}”应为六位数字").format(r=vals["region"]), line)
        wid = check.worker_id(vals["id_number"].upper())
        if wid is None:
            raise FieldError(_("身份证号码"), _("未登记的人员 {i}").format(i=vals["id_number"]), line)
        return (wid, plat[0], ind, day), int(vals["orders"]), vals["region"]

    # -- coverage question ------------------------------------------------
    def orders_at(self, worker_id: str, moment: datetime, platform_id: str | None = None) -> dict:
        """Was the worker taking an order at ``moment``? Returns the orders in
        progress, else the nearest before and after, and the day's count."""
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

    def worked_on(self, worker_id: str, day: date | str, platform_id: str | None = None) -> dict:
        """Was the worker taking orders on ``day``? ``orders`` is the day's count
        (records and imported counts), ``counts`` its rows (platform_id,
        industry, orders, source), ``records`` the order records of the day."""
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

    def order_days(self, worker_id: str) -> list[tuple[str, str, int, int]]:
        """(platform name, month, days with orders, orders) for a worker."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT p.name, substr(d.day, 1, 7), count(*), sum(d.orders) FROM daily_counts d"
            " JOIN platforms p ON p.id = d.platform_id WHERE d.worker_id = ? GROUP BY 1, 2 ORDER BY 2 DESC, 1",
            (worker_id,))]

    # -- fee amounts ------------------------------------------------------
    def fee_rates(self) -> list[FeeRate]:
        return [models.FeeRate.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM fee_rates ORDER BY industry, region, tier, valid_from")]

    def fee_rate(self, rate_id: str) -> FeeRate:
        return models.FeeRate.from_row(self._must("fee_rates", rate_id, _("每单缴费金额")))

    def rate_for(self, industry: str, region: str, day: str, tier: str = "") -> FeeRate | None:
        r = self.conn.execute(
            "SELECT * FROM fee_rates WHERE industry = ? AND region IN (?, ?, '000000') AND tier IN ('', ?)"
            " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
            " ORDER BY region = ? DESC, region = '000000', tier = ? DESC, valid_from DESC LIMIT 1",
            (industry, region, region[:2] + "0000", tier, day, day, region, tier)).fetchone()
        return models.FeeRate.from_row(dict(r)) if r else None

    def _rate_values(self, values: dict, rate_id: str | None = None) -> dict:
        try:
            ind = Industry.from_text(str(values["industry"])).value
        except ValueError:
            raise FieldError(_("行业"), _("未知行业“{i}”").format(i=values["industry"])) from None
        region = str(values["region"]).strip()
        if len(region) != 6 or not region.isdigit():
            raise FieldError(_("地区代码"), _("“{r}”应为六位数字").format(r=region))
        start = parse_date(str(values["valid_from"]), field=_("起始日期")).isoformat()
        end = parse_date(str(values["valid_to"]), field=_("截止日期")).isoformat() if values.get("valid_to") else None
        if end and end < start:
            raise FieldError(_("截止日期"), _("早于起始日期"))
        units = values["amount_units"]
        if not isinstance(units, int) or isinstance(units, bool) or units < 0:
            raise FieldError(_("每单金额"), _("应为不小于零的金额（最多四位小数）"))
        status = str(values["status"])
        if status not in (ParamStatus.confirmed.value, ParamStatus.unconfirmed.value):
            raise FieldError(_("状态"), _("应为“已确认”或“未确认”"))
        if not str(values.get("source") or "").strip():
            raise FieldError(_("来源"), _("请注明来源（文件号或“管理员录入，待核实”）"))
        tier = str(values.get("tier") or "").strip()
        clash = self.conn.execute(
            "SELECT valid_from, valid_to FROM fee_rates WHERE industry = ? AND region = ? AND tier = ? AND id != ?"
            " AND valid_from <= coalesce(?, '9999-12-31') AND coalesce(valid_to, '9999-12-31') >= ?",
            (ind, region, tier, rate_id or "", end, start)).fetchone()
        if clash:
            raise FieldError(_("适用期间"), _("与已有金额（{a} — {b}）重叠，请先修改那一条的截止日期").format(
                a=clash[0], b=clash[1] or _("至今")))
        return {"industry": ind, "region": region, "tier": tier, "valid_from": start, "valid_to": end,
                "amount_units": units, "status": status, "source": str(values["source"]).strip()}

    def add_fee_rate(self, actor: Actor, *, industry: str, region: str, valid_from: str, amount_units: int,
                     status: str, source: str, valid_to: str | None = None, tier: str = "") -> tuple[FeeRate, Change]:
        """Administrators only; audited like every row write."""
        require(actor, "fee_rate.write")
        values = self._rate_values(dict(industry=industry, region=region, valid_from=valid_from, valid_to=valid_to,
                                        amount_units=amount_units, status=status, source=source, tier=tier))
        with self.atomic():
            row = self._insert("fee_rates", values, actor)
        return models.FeeRate.from_row(row), self.change("fee_rates", ids=[row["id"]], summary=_("已添加每单缴费金额"))

    def update_fee_rate(self, actor: Actor, rate_id: str, **changes) -> tuple[FeeRate, Change]:
        """Change any of industry, region, tier, valid_from, valid_to,
        amount_units, status, source. Administrators only; audited."""
        require(actor, "fee_rate.write")
        current = self.fee_rate(rate_id)
        unknown = set(changes) - {"industry", "region", "tier", "valid_from", "valid_to", "amount_units", "status",
                                  "source"}
        if unknown:
            raise ClaimsError(_("不能修改的字段：{f}").format(f="、".join(sorted(unknown))))
        base = {"industry": current.industry.value, "region": current.region, "tier": current.tier,
                "valid_from": current.valid_from.isoformat(),
                "valid_to": current.valid_to.isoformat() if current.valid_to else None,
                "amount_units": current.amount_units, "status": current.status.value, "source": current.source}
        values = self._rate_values({**base, **changes}, rate_id)
        with self.atomic():
            row = self._update("fee_rates", rate_id, values, actor, what=_("每单缴费金额"))
        return models.FeeRate.from_row(row), self.change("fee_rates", ids=[rate_id], summary=_("已修改每单缴费金额"))

    # -- declarations -----------------------------------------------------
    @staticmethod
    def _line(industry: str, recorded: int, declared: int, units: int | None, status: str) -> DeclarationLine:
        """Amount due = declared orders × per-order amount, rounded half-up to the fen once."""
        amount = round_half_up_fen(Decimal(declared) * units / 100) if units is not None else 0
        return models.DeclarationLine(industry=Industry(industry), orders_recorded=recorded, orders_declared=declared,
                               rate_units=units, rate_status=status if units is not None else "missing",
                               amount_fen=amount)

    def _rate_line(self, industry: str, recorded: int, declared: int, rate: FeeRate | None) -> DeclarationLine:
        return self._line(industry, recorded, declared, rate.amount_units if rate else None,
                          rate.status.value if rate else "missing")

    def compute_lines(self, platform_id: str, region: str, month: str) -> list[DeclarationLine]:
        """One line per fee industry (and per amount, should it change within
        the month): the amount is chosen by each order's date."""
        tier = self.platform(platform_id).tier
        start, end = month_bounds(month)
        groups: dict[tuple[str, str | None], list] = {}
        rates: dict[tuple[str, str], FeeRate | None] = {}
        for ind, day, n in self.conn.execute(
                "SELECT industry, day, sum(orders) FROM daily_counts WHERE platform_id = ? AND region = ?"
                " AND day >= ? AND day < ? GROUP BY industry, day", (platform_id, region, start, end)):
            key = fee_industry(ind, day)
            if (key, day) not in rates:
                rates[(key, day)] = self.rate_for(key, region, day, tier)
            rate = rates[(key, day)]
            g = groups.setdefault((key, rate.id if rate else None), [rate, 0])
            g[1] += n
        order = [i.value for i in Industry]
        keys = sorted(groups, key=lambda k: (order.index(k[0]), str(groups[k][0] and groups[k][0].valid_from)))
        return [self._rate_line(k[0], groups[k][1], groups[k][1], groups[k][0]) for k in keys]

    def create_declaration(self, actor: Actor, platform_id: str, region: str, month: str,
                           declared_counts: dict[str, int] | None = None) -> tuple[FeeDeclaration, Change]:
        require(actor, "fee.write")
        month_bounds(month)
        if len(region) != 6 or not region.isdigit():
            raise FieldError(_("地区代码"), _("“{r}”应为六位数字").format(r=region))
        if self.conn.execute("SELECT 1 FROM declarations WHERE platform_id=? AND region=? AND month=?",
                             (platform_id, region, month)).fetchone():
            raise ClaimsError(_("{p} {m} 地区 {r} 的缴费申报已存在").format(
                p=self.platform(platform_id).name, m=month, r=region))
        lines = self.compute_lines(platform_id, region, month)
        for ind, n in (declared_counts or {}).items():
            lines = self._with_count(lines, platform_id, region, month, ind, n)
        with self.atomic():
            number = f"SB{month.replace('-', '')}-{self.site_id}-{self.next_counter('declaration:' + month):04d}"
            row = self._insert("declarations", {
                "number": number, "platform_id": platform_id, "region": region, "month": month, "status": "draft",
                "amount_due_fen": sum(l.amount_fen for l in lines), "lines": _lines_json(lines)}, actor)
        return self._declaration(row), self.change("declarations", ids=[row["id"]],
                                                   summary=_("已新建缴费申报 {n}").format(n=number))

    def set_declared_count(self, actor: Actor, declaration_id: str, industry: str,
                           count: int) -> tuple[FeeDeclaration, Change]:
        """The platform's declared order count for one industry (drafts only);
        the amount due follows the declared count."""
        return self.set_declared_counts(actor, declaration_id, {industry: count})

    def set_declared_counts(self, actor: Actor, declaration_id: str,
                            counts: dict[str, int]) -> tuple[FeeDeclaration, Change]:
        """Several industries' declared counts in one transaction."""
        require(actor, "fee.write")
        row = self._must("declarations", declaration_id, _("缴费申报"))
        if row["status"] != "draft":
            raise ClaimsError(_("申报 {n} 已提交，不能再修改申报单量").format(n=row["number"]))
        lines = [models.DeclarationLine.model_validate(l, strict=False) for l in json.loads(row["lines"])]
        for industry, count in counts.items():
            lines = self._with_count(lines, row["platform_id"], row["region"], row["month"], industry, count)
        with self.atomic():
            row = self._update("declarations", declaration_id, {"lines": _lines_json(lines),
                                                                "amount_due_fen": sum(l.amount_fen for l in lines)},
                               actor, what=_("缴费申报"))
        return self._declaration(row), self.change("declarations", ids=[declaration_id],
                                                   summary=_("已修改申报单量 {n}").format(n=row["number"]))

    def _with_count(self, lines: list[DeclarationLine], platform_id: str, region: str, month: str, industry: str,
                    count: int) -> list[DeclarationLine]:
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise FieldError(_("申报单量"), _("应为不小于零的整数"))
        try:
            ind = fee_industry(Industry.from_text(industry).value, month + "-01")
        except ValueError:
            raise FieldError(_("行业"), _("未知行业“{i}”").format(i=industry)) from None
        hits = [i for i, l in enumerate(lines) if l.industry.value == ind]
        if len(hits) > 1:
            raise ClaimsError(_("{i} 本月适用两个每单金额，不能只修改一个合计单量").format(i=Industry(ind).label))
        lines = list(lines)
        if hits:
            old = lines[hits[0]]
            lines[hits[0]] = self._line(ind, old.orders_recorded, count, old.rate_units, old.rate_status)
        else:
            rate = self.rate_for(ind, region, month + "-01", self.platform(platform_id).tier)
            lines.append(self._rate_line(ind, 0, count, rate))
        return lines

    def _declaration(self, row: dict, today: date | None = None) -> FeeDeclaration:
        d = models.FeeDeclaration.from_row({**row, "lines": json.loads(row["lines"])})
        today = today or now().date()
        if (d.status.value in _OPEN and d.amount_paid_fen < d.amount_due_fen and today > due_date(d.month)):
            d = d.model_copy(update={"status": DeclarationStatus.overdue})
        return d

    def declaration(self, declaration_id: str, today: date | None = None) -> FeeDeclaration:
        return self._declaration(self._must("declarations", declaration_id, _("缴费申报")), today)

    def declare(self, actor: Actor, declaration_id: str, declared_on: date) -> tuple[FeeDeclaration, Change]:
        require(actor, "fee.write")
        d = self._must("declarations", declaration_id, _("缴费申报"))
        if d["status"] != "draft":
            raise ClaimsError(_("只有草稿状态的申报可以提交"))
        with self.atomic():
            row = self._update("declarations", declaration_id, {"status": "declared", "declared_on": declared_on.isoformat(),
                                                                "declarant": actor.label}, actor, what=_("缴费申报"))
        return self._declaration(row), self.change("declarations", ids=[declaration_id],
                                                   summary=_("已提交缴费申报 {n}").format(n=d["number"]))

    def record_fee_payment(self, actor: Actor, declaration_id: str, *, paid_on: date, amount_fen: int,
                           reference: str = "") -> tuple[FeePayment, Change]:
        """A payment received: the declaration becomes partly paid or paid."""
        require(actor, "fee.write")
        d = self._must("declarations", declaration_id, _("缴费申报"))
        if d["status"] == "draft":
            raise ClaimsError(_("申报尚未提交，不能登记缴款"))
        if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
            raise FieldError(_("缴款金额"), _("应大于零"))
        if not isinstance(paid_on, date):
            raise FieldError(_("缴款日期"), _("不是有效的日期"))
        with self.atomic():
            row = self._insert("fee_payments", {"declaration_id": declaration_id, "paid_on": paid_on.isoformat(),
                                                "amount_fen": amount_fen, "reference": reference.strip()}, actor)
            paid = d["amount_paid_fen"] + amount_fen
            status = DeclarationStatus.paid if paid >= d["amount_due_fen"] else DeclarationStatus.partly_paid
            self._update("declarations", declaration_id, {"amount_paid_fen": paid, "status": status.value}, actor)
        return models.FeePayment.from_row(row), self.change("declarations", "fee_payments", ids=[declaration_id],
                                                     summary=_("已登记缴款 {n}").format(n=d["number"]))

    def fee_payments(self, declaration_id: str) -> list[FeePayment]:
        return [models.FeePayment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM fee_payments WHERE declaration_id = ? ORDER BY paid_on, created_at", (declaration_id,))]

    def declaration_by_number(self, number: str) -> FeeDeclaration:
        r = self.conn.execute("SELECT * FROM declarations WHERE number = ?", (number.strip().upper(),)).fetchone()
        if not r:
            raise NotFound(_("找不到缴费申报 {n}").format(n=number))
        return self._declaration(dict(r))

    def _declaration_where(self, platform_id, month, status, search, region, today) -> tuple[str, list]:
        where, args = [], []
        for col, val in (("platform_id", platform_id), ("month", month), ("region", region)):
            if val:
                where.append(f"{col} = ?")
                args.append(val)
        if search:
            where.append("number LIKE ?")
            args.append("%" + search.strip().upper() + "%")
        if status:
            iso = (today or now().date()).isoformat()
            if status == "overdue":
                where.append(_OVERDUE_SQL)
                args.append(iso)
            elif status in _OPEN:
                where.append(f"status = ? AND NOT ({_OVERDUE_SQL})")
                args += [status, iso]
            else:
                where.append("status = ?")
                args.append(status)
        return (" WHERE " + " AND ".join(where)) if where else "", args

    def declarations(self, *, offset: int = 0, limit: int = 100, platform_id: str | None = None,
                     month: str | None = None, status: str | None = None, search: str = "",
                     region: str | None = None, today: date | None = None) -> list[FeeDeclaration]:
        """Newest month first; ``status`` may be 'overdue' (computed, see the module text)."""
        w, args = self._declaration_where(platform_id, month, status, search, region, today)
        return [self._declaration(dict(r), today) for r in self.conn.execute(
            "SELECT * FROM declarations" + w + " ORDER BY month DESC, number LIMIT ? OFFSET ?", (*args, limit, offset))]

    def count_declarations(self, *, platform_id: str | None = None, month: str | None = None,
                           status: str | None = None, search: str = "", region: str | None = None,
                           today: date | None = None) -> int:
        w, args = self._declaration_where(platform_id, month, status, search, region, today)
        return self.conn.execute("SELECT count(*) FROM declarations" + w, args).fetchone()[0]

    def declaration_months(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT month FROM declarations ORDER BY month DESC")]

    # -- queries behind reconciliation ------------------------------------
    def recorded_months(self, month_from: str, month_to: str, platform_id: str | None = None,
                        region: str | None = None) -> list[tuple[str, str, str]]:
        """(platform_id, region, month) that have daily counts in the range."""
        start, end = month_bounds(month_from)[0], month_bounds(month_to)[1]
        q = ("SELECT DISTINCT platform_id, region, substr(day, 1, 7) FROM daily_counts WHERE day >= ? AND day < ?"
             + (" AND platform_id = ?" if platform_id else "") + (" AND region = ?" if region else ""))
        return [tuple(r) for r in self.conn.execute(q, [start, end] + [x for x in (platform_id, region) if x])]

    def declarations_between(self, month_from: str, month_to: str, platform_id: str | None = None,
                             region: str | None = None, today: date | None = None) -> list[FeeDeclaration]:
        q = ("SELECT * FROM declarations WHERE month >= ? AND month <= ?" + (" AND platform_id = ?" if platform_id else "")
             + (" AND region = ?" if region else "") + " ORDER BY month, number")
        return [self._declaration(dict(r), today) for r in self.conn.execute(
            q, [month_from, month_to] + [x for x in (platform_id, region) if x])]

    # A worker's station at the platform: the latest enrollment in the same industry, else any.
    _STATION = ("coalesce((SELECT e.station_id FROM enrollments e WHERE e.worker_id = d.worker_id"
                " AND e.platform_id = d.platform_id AND e.industry = d.industry ORDER BY e.start_on DESC LIMIT 1),"
                " (SELECT e.station_id FROM enrollments e WHERE e.worker_id = d.worker_id"
                " AND e.platform_id = d.platform_id ORDER BY e.start_on DESC LIMIT 1), '')")

    def month_counts(self, platform_id: str, region: str, month: str, by: str, station_id: str | None = None
                     ) -> list[tuple]:
        """Drill-down rows (key, fee industry, workers, days, recorded orders,
        orders only in imported counts), keyed by station ('station') or
        worker ('worker'); workers and days count the whole key, not the line."""
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

    def worker_month_days(self, worker_id: str, platform_id: str, region: str, month: str) -> list[tuple]:
        """(day, industry, daily count, source, order records that day) for one worker."""
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


def _lines_json(lines: list[DeclarationLine]) -> str:
    return json.dumps([l.model_dump(mode="json") for l in lines], ensure_ascii=False)
