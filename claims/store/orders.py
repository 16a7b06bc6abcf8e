"""Order records and daily counts imported from a platform's files: the
row checks (``_OrderChecker``: platform, industry, worker, times, region),
the streamed order import (``import_orders``: batches written with
``executemany``, the daily counts kept in step by ``order_counts._CountWork``)
and the direct import of daily counts (``import_daily_counts``). Each import
is one ``import_transaction``: a dry run, a cancel or an error writes nothing.
"""
from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from datetime import date, datetime
from typing import Callable, Iterable, Iterator

from ..enums import Industry
from ..errors import FieldError
from ..i18n import _
from ..industries import MERGE_DAY, MERGED_NOTE
from ..permissions import SM, require
from ..regions import REGIONS
from ..timeutil import SHANGHAI, now_iso, parse_date, parse_time
from ..validators import PILOT_START, check_date_range, check_region, id_check_char
from .base import Actor, StoreBase, new_id
from .import_report import Cancelled, ImportLogMixin, ImportReport
from .order_counts import _CountWork
from .seal import MOD, SealMixinBase, row_hash

MERGE_DAY_TEXT = MERGE_DAY.isoformat()
BATCH = 5000  # rows per executemany; also how often progress and cancel are checked
IMPORT_CACHE_KIB = -98304  # page cache during an order import (96 MB; the default is 2 MB)
TEMP_CACHE_KIB = -32768  # and for its pending daily counts (temp tables; 32 MB)


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


_BAD_ORDER_NO = re.compile(r"[\x00-\x1f\x7f-\x9f<>\u202a-\u202e\u2066-\u2069]")
ORDER_NO_MAX = 64
EARLIEST = PILOT_START.isoformat()  # cover and orders begin with the pilot


class _OrderChecker:
    """Checks one order row and turns it into the stored tuple; caches what it
    looks up. A station manager (``actor``) imports their own platform's rows only."""

    def __init__(self, store: "OrdersMixin", actor: Actor | None = None):
        self.conn = store.conn
        self.platforms: dict[str, tuple[str, set[str]]] = {}
        own = actor.platform_id or "-" if actor is not None and actor.role == SM else None
        self.foreign: set[str] = set()  # names of platforms a station manager may not import
        self.now = now_iso()[:19]  # nothing later than the import's start (China time)
        self.today = date.fromisoformat(self.now[:10])
        self.regions = REGIONS.codes
        for pid, name, inds in self.conn.execute("SELECT id, name, industries FROM platforms"):
            if own is not None and pid != own:
                self.foreign.add(name)
                continue
            allowed = set(json.loads(inds or "[]"))
            if allowed & {"food_delivery", "instant_delivery"}:
                allowed |= {"food_delivery", "instant_delivery"}  # the 2025 merger: either code is accepted
            self.platforms[name] = (pid, allowed)
        self.industries = _industry_names()
        self.workers: dict[str, str | None] = {}
        self.mapped: list[int] = []  # lines whose 外卖 was recorded as 即时配送
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
        if len(order_no) > ORDER_NO_MAX or _BAD_ORDER_NO.search(order_no):
            raise FieldError(_("订单号"), _("“{o}”不像订单号（最多 {n} 个字符，不含控制字符和尖括号）").format(
                o=order_no[:40], n=ORDER_NO_MAX), line)
        plat = self.platform(pname, line)
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
        if acc < EARLIEST or (fin or acc)[:19] > self.now:
            self.time_range(acc, fin, line)
        if region not in self.regions:
            check_region(region, _("地区代码"), row=line)
        wid = self.worker_id(idn)
        if wid is None:
            raise FieldError(_("身份证号码"), _("未登记的人员 {i}").format(i=idn), line)
        if ind == "food_delivery" and acc[:10] >= MERGE_DAY_TEXT:  # 外卖 from 2025-07-01 is 即时配送
            ind = "instant_delivery"
            if len(self.mapped) < ImportReport.ROW_CAP:
                self.mapped.append(line)
        return (plat[0], order_no, ind, wid, acc, fin, region)

    def platform(self, pname: str, line: int) -> tuple[str, set[str]]:
        plat = self.platforms.get(pname)
        if plat is None:
            if pname in self.foreign:
                raise FieldError(_("平台"), _("站长只能导入本平台的记录，不能导入“{p}”的").format(p=pname), line)
            raise FieldError(_("平台"), _("未登记的平台“{p}”").format(p=pname), line)
        return plat

    def time_range(self, acc: str, fin: str | None, line: int) -> None:
        """Say which time lies outside the pilot's span (the rare path of ``order``)."""
        for text, label in ((acc, _("接单时间")), (fin, _("完成时间"))):
            if text is None:
                continue
            if text < EARLIEST:
                raise FieldError(label, _("{t} 早于试点开始日 {e}").format(t=text[:19], e=EARLIEST), line)
            if text[:19] > self.now:
                raise FieldError(label, _("{t} 晚于现在（{n}，北京时间）").format(t=text[:19], n=self.now), line)


@contextmanager
def _bulk_settings(c) -> Iterator[None]:
    """For the length of an order import: page caches that hold the indexes it grows (the
    orders' worker index grows everywhere at once) and its pending daily counts; no foreign
    key lookups, since every platform and worker id it writes was just read from its table
    in the same transaction (set outside it: SQLite ignores the pragma inside one); no
    garbage collection, since the batches and pending counts are many small tuples without
    cycles. All put back afterwards."""
    cache, temp_cache, keys = (c.execute(f"PRAGMA {p}").fetchone()[0]
                               for p in ("cache_size", "temp.cache_size", "foreign_keys"))
    c.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    c.execute(f"PRAGMA temp.cache_size = {TEMP_CACHE_KIB}")
    c.execute("PRAGMA foreign_keys = OFF")
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        c.execute(f"PRAGMA cache_size = {cache}")
        c.execute(f"PRAGMA temp.cache_size = {temp_cache}")
        c.execute(f"PRAGMA foreign_keys = {keys}")
        if collecting:
            gc.enable()


class OrdersMixin(SealMixinBase, ImportLogMixin, StoreBase):
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
        c = self.conn
        ts = now_iso()
        insert = ("INSERT INTO orders (site_id, platform_id, order_no, industry, worker_id, accepted_at, finished_at,"
                  " region, id, created_at, updated_at, row_version)"
                  f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{ts}', '{ts}', 1)"
                  " ON CONFLICT (platform_id, order_no) DO NOTHING")
        work = _CountWork(c, ts)
        site = self.site_id
        batch: list[tuple] = []
        next_id = new_id.stream(BATCH).__next__
        with _bulk_settings(c), self.import_transaction(dry_run=dry_run):
            check = _OrderChecker(self, actor)  # in the transaction: the ids it reads are the ones written
            work.start()
            for line, rec in rows:
                report.total += 1
                try:
                    batch.append((site, *check.order(line, rec), next_id()))
                except FieldError as e:
                    report.reject(line, e.message)
                    continue
                if len(batch) >= BATCH:
                    report.new += work.write(insert, batch)
                    self.capture_checkpoint(actor, report.total, inserts_only=True)
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            report.new += work.write(insert, batch)
            report.unchanged = report.total - len(report.rejected) - report.new
            for line in check.mapped:
                report.note(line, "mapped", MERGED_NOTE)
            work.finish(report, check.platform_names)
            if cancel and cancel():
                raise Cancelled()
            self.seal_add_sum(actor, "orders", work.sealed_rows, work.seal_sum, file_name)
            self.seal_add_sum(actor, "daily_counts", -work.replaced_imported[0], -work.replaced_imported[1] % MOD,
                              file_name)
            self._log_import(actor, "orders", file_name, report)
        if progress:
            progress(report.total)
        return report

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
        check = _OrderChecker(self, actor)
        c = self.conn
        sealed = [0, 0]  # the imported counts' seal (claims/store/seal.py): rows added, hashes added
        with self.import_transaction(dry_run=dry_run):
            for line, rec in rows:
                report.total += 1
                try:
                    key, n, region = self._count_row(check, line, rec)
                except FieldError as e:
                    report.reject(line, e.message)
                    continue
                if key[2] == "instant_delivery" and check.industries.get(
                        (rec.get("industry") or "").strip()) == "food_delivery":
                    report.note(line, "mapped", MERGED_NOTE)
                old = c.execute("SELECT orders, source, region FROM daily_counts WHERE worker_id=? AND platform_id=?"
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
                sealed[1] += row_hash((*key, region, n))
                if old is None:
                    c.execute("INSERT INTO daily_counts (worker_id, platform_id, industry, day, region, orders, source)"
                              " VALUES (?, ?, ?, ?, ?, ?, 'imported')", (*key, region, n))
                    sealed[0] += 1
                    report.new += 1
                else:
                    sealed[1] -= row_hash((*key, old[2], old[0]))
                    c.execute("UPDATE daily_counts SET orders = ?, region = ? WHERE worker_id = ? AND platform_id = ?"
                              " AND industry = ? AND day = ?", (n, region, *key))
                    report.updated += 1
                    report.note(line, "updated", _("日单量 {o} → {n}").format(o=old[0], n=n))
                if report.total % BATCH == 0:
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            if cancel and cancel():  # a cancel pressed during a small file still writes nothing
                raise Cancelled()
            self.seal_add_sum(actor, "daily_counts", sealed[0], sealed[1] % MOD, file_name)
            self._log_import(actor, "daily_counts", file_name, report)
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
        plat = check.platform(vals["platform"], line)
        ind = check.industries.get(vals["industry"])
        if ind is None:
            raise FieldError(_("行业"), _("未知行业“{i}”").format(i=vals["industry"]), line)
        day = check_date_range(parse_date(vals["day"], field=_("日期"), row=line), _("日期"), row=line,
                               today=check.today).isoformat()
        if ind == "food_delivery" and day >= MERGE_DAY_TEXT:  # 外卖 from 2025-07-01 is 即时配送
            ind = "instant_delivery"
        if not (vals["orders"].isascii() and vals["orders"].isdigit()):
            raise FieldError(_("单量"), _("“{n}”应为不小于零的整数").format(n=vals["orders"]), line)
        check_region(vals["region"], _("地区代码"), row=line)
        wid = check.worker_id(vals["id_number"].upper())
        if wid is None:
            raise FieldError(_("身份证号码"), _("未登记的人员 {i}").format(i=vals["id_number"]), line)
        return (wid, plat[0], ind, day), int(vals["orders"]), vals["region"]
