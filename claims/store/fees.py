"""Order records (bulk import), daily counts, the coverage question, per-order
fee amounts, monthly declarations and payments."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Callable, Iterable

from ..enums import DeclarationStatus, Industry
from ..errors import ClaimsError, FieldError, NotFound
from ..models import Change, DeclarationLine, FeeDeclaration, FeePayment, FeeRate, OrderRecord
from ..money import round_half_up_fen
from ..resources import load_json
from ..timeutil import SHANGHAI, now_iso, parse_time
from .base import Actor, StoreBase

MERGE_DAY = "2025-07-01"  # from this day 外卖 is counted as 即时配送 (rules.md §1)


class Cancelled(ClaimsError):
    def __init__(self):
        super().__init__("已取消，数据库未作任何更改")


@dataclass
class ImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, status, detail); capped
    dry_run: bool = False

    ROW_CAP = 5000

    def note(self, line: int, status: str, detail: str = "") -> None:
        if len(self.rows) < self.ROW_CAP:
            self.rows.append((line, status, detail))

    def summary(self) -> str:
        head = "（试运行，未写入）" if self.dry_run else ""
        return (f"{head}共 {self.total} 行：新增 {self.new}，更新 {self.updated}，未变 {self.unchanged}，"
                f"拒绝 {len(self.rejected)}")


def fee_industry(industry: str, day: str) -> str:
    return Industry.instant_delivery.value if industry == "food_delivery" and day >= MERGE_DAY else industry


class FeesMixin(StoreBase):
    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if from_version == 0:
            system = Actor("system:init")
            with self.atomic():
                for r in load_json("rules/fee_rates.json")["rates"]:
                    self._insert("fee_rates", dict(r), system)

    # -- order import -----------------------------------------------------
    def import_orders(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                      file_name: str = "", progress: Callable[[int], None] | None = None,
                      cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Streamed: rows are checked in Python, staged with executemany, then
        merged in SQL in the same transaction. A dry run rolls it all back."""
        report = ImportReport(dry_run=dry_run)
        platforms = {r[0]: r[1] for r in self.conn.execute("SELECT name, id FROM platforms")}
        c = self.conn
        c.execute("DROP TABLE IF EXISTS temp.stage_orders")
        c.execute("CREATE TEMP TABLE stage_orders (line INTEGER, platform_id TEXT, order_no TEXT, industry TEXT,"
                  " id_number TEXT, accepted_at TEXT, finished_at TEXT, region TEXT)")
        c.execute("BEGIN")
        try:
            batch: list[tuple] = []
            for line, rec in rows:
                report.total += 1
                try:
                    batch.append(self._order_row(line, rec, platforms))
                except FieldError as e:
                    report.rejected.append((line, e.message))
                    report.note(line, "rejected", e.message)
                if len(batch) >= 20000:
                    c.executemany("INSERT INTO stage_orders VALUES (?,?,?,?,?,?,?,?)", batch)
                    batch.clear()
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            c.executemany("INSERT INTO stage_orders VALUES (?,?,?,?,?,?,?,?)", batch)
            self._merge_staged_orders(actor, report, file_name)
            if cancel and cancel():
                raise Cancelled()
            c.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        finally:
            c.execute("DROP TABLE IF EXISTS temp.stage_orders")
        if progress:
            progress(report.total)
        return report

    @staticmethod
    def _order_row(line: int, rec: dict, platforms: dict[str, str]) -> tuple:
        def need(key: str, label: str) -> str:
            v = (rec.get(key) or "").strip()
            if not v:
                raise FieldError(label, "不能为空", line)
            return v
        order_no = need("order_no", "订单号")
        pname = need("platform", "平台")
        if pname not in platforms:
            raise FieldError("平台", f"未登记的平台“{pname}”", line)
        try:
            ind = Industry.from_text(need("industry", "行业")).value
        except ValueError:
            raise FieldError("行业", f"未知行业“{rec.get('industry')}”", line) from None
        idn = need("id_number", "身份证号码").upper()
        acc = parse_time(need("accepted_at", "接单时间"), field="接单时间", row=line)
        fin_text = (rec.get("finished_at") or "").strip()
        fin = parse_time(fin_text, field="完成时间", row=line) if fin_text else None
        if fin and fin < acc:
            raise FieldError("完成时间", "早于接单时间", line)
        region = need("region", "地区代码")
        if not (len(region) == 6 and region.isdigit()):
            raise FieldError("地区代码", f"“{region}”应为六位数字", line)
        return (line, platforms[pname], order_no, ind, idn, acc.isoformat(),
                fin.isoformat() if fin else None, region)

    def _merge_staged_orders(self, actor: Actor, report: ImportReport, file_name: str) -> None:
        c = self.conn
        for line, idn in c.execute("SELECT line, id_number FROM stage_orders s WHERE NOT EXISTS "
                                   "(SELECT 1 FROM workers w WHERE w.id_number = s.id_number) ORDER BY line"):
            msg = f"第 {line} 行：身份证号码：未登记的人员 {idn}"
            report.rejected.append((line, msg))
            report.note(line, "rejected", msg)
        # Same order twice in one file: keep the first, report the rest as unchanged.
        ts = now_iso()
        before = c.execute("SELECT count(*) FROM orders").fetchone()[0]
        c.execute(
            "INSERT INTO orders (id, created_at, updated_at, site_id, row_version, platform_id, order_no, industry,"
            " worker_id, accepted_at, finished_at, region)"
            " SELECT lower(hex(randomblob(16))), ?, ?, ?, 1, s.platform_id, s.order_no, s.industry, w.id,"
            " s.accepted_at, s.finished_at, s.region FROM stage_orders s JOIN workers w ON w.id_number = s.id_number"
            " WHERE true ORDER BY s.line ON CONFLICT (platform_id, order_no) DO NOTHING", (ts, ts, self.site_id))
        report.new = c.execute("SELECT count(*) FROM orders").fetchone()[0] - before
        accepted = report.total - len(report.rejected)
        report.unchanged = accepted - report.new
        # Derive daily counts for every (worker, platform, industry, day) the file touched.
        c.execute(
            "INSERT OR REPLACE INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
            " SELECT o.worker_id, o.platform_id, o.industry, min(o.region), substr(o.accepted_at, 1, 10), count(*),"
            " 'derived' FROM orders o WHERE EXISTS (SELECT 1 FROM stage_orders s JOIN workers w"
            " ON w.id_number = s.id_number WHERE w.id = o.worker_id AND s.platform_id = o.platform_id"
            " AND substr(s.accepted_at, 1, 10) = substr(o.accepted_at, 1, 10))"
            " GROUP BY o.worker_id, o.platform_id, o.industry, substr(o.accepted_at, 1, 10)")
        self._log_import(actor, "orders", file_name, report)

    def _log_import(self, actor: Actor, kind: str, file_name: str, report: ImportReport) -> None:
        self._insert("import_runs", {"kind": kind, "file_name": file_name, "dry_run": int(report.dry_run),
                                     "total": report.total, "new": report.new, "updated": report.updated,
                                     "unchanged": report.unchanged, "rejected": len(report.rejected),
                                     "actor": actor.username}, actor, action="import")

    # -- coverage question ------------------------------------------------
    def orders_at(self, worker_id: str, moment: datetime, platform_id: str | None = None) -> dict:
        """Was the worker taking an order at ``moment``? Returns the orders in
        progress, else the nearest before and after, and the day's count."""
        m = moment.astimezone(SHANGHAI).isoformat()
        plat = " AND platform_id = ?" if platform_id else ""
        pargs = (platform_id,) if platform_id else ()
        q = "SELECT * FROM orders WHERE worker_id = ?" + plat
        in_progress = [OrderRecord.from_row(dict(r)) for r in self.conn.execute(
            q + " AND accepted_at <= ? AND finished_at >= ? ORDER BY accepted_at", (worker_id, *pargs, m, m))]
        before = self.conn.execute(q + " AND accepted_at <= ? ORDER BY accepted_at DESC LIMIT 1",
                                   (worker_id, *pargs, m)).fetchone()
        after = self.conn.execute(q + " AND accepted_at > ? ORDER BY accepted_at LIMIT 1",
                                  (worker_id, *pargs, m)).fetchone()
        day = m[:10]
        n = self.conn.execute("SELECT coalesce(sum(orders), 0) FROM daily_counts WHERE worker_id = ? AND day = ?"
                              + plat, (worker_id, day, *pargs)).fetchone()[0]
        return {"in_progress": in_progress,
                "before": OrderRecord.from_row(dict(before)) if before else None,
                "after": OrderRecord.from_row(dict(after)) if after else None,
                "orders_that_day": n}

    def order_days(self, worker_id: str) -> list[tuple[str, str, int, int]]:
        """(platform name, month, days with orders, orders) for a worker."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT p.name, substr(d.day, 1, 7), count(*), sum(d.orders) FROM daily_counts d"
            " JOIN platforms p ON p.id = d.platform_id WHERE d.worker_id = ? GROUP BY 1, 2 ORDER BY 2 DESC, 1",
            (worker_id,))]

    # -- fee amounts ------------------------------------------------------
    def fee_rates(self) -> list[FeeRate]:
        return [FeeRate.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM fee_rates ORDER BY industry, valid_from")]

    def rate_for(self, industry: str, region: str, day: str, tier: str = "") -> FeeRate | None:
        r = self.conn.execute(
            "SELECT * FROM fee_rates WHERE industry = ? AND region IN (?, ?, '000000') AND tier IN ('', ?)"
            " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
            " ORDER BY region = ? DESC, region = '000000', tier = ? DESC, valid_from DESC LIMIT 1",
            (industry, region, region[:2] + "0000", tier, day, day, region, tier)).fetchone()
        return FeeRate.from_row(dict(r)) if r else None

    def add_fee_rate(self, actor: Actor, *, industry: str, region: str, valid_from: str, amount_units: int,
                     status: str, source: str, valid_to: str | None = None, tier: str = "") -> tuple[FeeRate, Change]:
        if amount_units < 0:
            raise FieldError("每单金额", "不能为负数")
        with self.atomic():
            row = self._insert("fee_rates", {"industry": Industry(industry).value, "region": region, "tier": tier,
                                             "valid_from": valid_from, "valid_to": valid_to,
                                             "amount_units": amount_units, "source": source, "status": status}, actor)
        return FeeRate.from_row(row), self.change("fee_rates", ids=[row["id"]])

    # -- declarations -----------------------------------------------------
    def compute_lines(self, platform_id: str, region: str, month: str) -> list[DeclarationLine]:
        plat = self.platform(platform_id)
        start = date.fromisoformat(month + "-01")
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        counts: dict[str, int] = {}
        for ind, day, n in self.conn.execute(
                "SELECT industry, day, sum(orders) FROM daily_counts WHERE platform_id = ? AND region = ?"
                " AND day >= ? AND day < ? GROUP BY industry, day",
                (platform_id, region, start.isoformat(), end.isoformat())):
            key = fee_industry(ind, day)
            counts[key] = counts.get(key, 0) + n
        lines = []
        for ind in sorted(counts, key=lambda i: list(Industry).index(Industry(i))):
            rate = self.rate_for(ind, region, start.isoformat(), plat.tier)
            n = counts[ind]
            amount = round_half_up_fen(Decimal(n) * rate.amount_units / 100) if rate else 0
            lines.append(DeclarationLine(industry=Industry(ind), orders_recorded=n, orders_declared=n,
                                         rate_units=rate.amount_units if rate else None,
                                         rate_status=rate.status.value if rate else "missing", amount_fen=amount))
        return lines

    def create_declaration(self, actor: Actor, platform_id: str, region: str, month: str,
                           declared_counts: dict[str, int] | None = None) -> tuple[FeeDeclaration, Change]:
        if self.conn.execute("SELECT 1 FROM declarations WHERE platform_id=? AND region=? AND month=?",
                             (platform_id, region, month)).fetchone():
            raise ClaimsError(f"{month} 的缴费申报已存在")
        lines = self.compute_lines(platform_id, region, month)
        if declared_counts:
            lines = [_redeclare(l, declared_counts.get(l.industry.value, l.orders_declared)) for l in lines]
        with self.atomic():
            number = f"SB{month.replace('-', '')}-{self.site_id}-{self.next_counter('declaration:' + month):04d}"
            row = self._insert("declarations", {
                "number": number, "platform_id": platform_id, "region": region, "month": month, "status": "draft",
                "amount_due_fen": sum(l.amount_fen for l in lines),
                "lines": json.dumps([l.model_dump(mode="json") for l in lines], ensure_ascii=False)}, actor)
        return self._declaration(row), self.change("declarations", ids=[row["id"]], summary=f"缴费申报 {number}")

    def _declaration(self, row: dict) -> FeeDeclaration:
        return FeeDeclaration.from_row({**row, "lines": json.loads(row["lines"])})

    def declare(self, actor: Actor, declaration_id: str, declared_on: date) -> tuple[FeeDeclaration, Change]:
        d = self._must("declarations", declaration_id, "缴费申报")
        if d["status"] != "draft":
            raise ClaimsError("只有草稿状态的申报可以提交")
        with self.atomic():
            row = self._update("declarations", declaration_id, {"status": "declared", "declared_on": declared_on.isoformat(),
                                                                "declarant": actor.label}, actor, what="缴费申报")
        return self._declaration(row), self.change("declarations", ids=[declaration_id])

    def record_fee_payment(self, actor: Actor, declaration_id: str, *, paid_on: date, amount_fen: int,
                           reference: str = "") -> tuple[FeePayment, Change]:
        d = self._must("declarations", declaration_id, "缴费申报")
        if d["status"] == "draft":
            raise ClaimsError("申报尚未提交，不能登记缴款")
        if amount_fen <= 0:
            raise FieldError("缴款金额", "应大于零")
        with self.atomic():
            row = self._insert("fee_payments", {"declaration_id": declaration_id, "paid_on": paid_on.isoformat(),
                                                "amount_fen": amount_fen, "reference": reference}, actor)
            paid = d["amount_paid_fen"] + amount_fen
            status = DeclarationStatus.paid if paid >= d["amount_due_fen"] else DeclarationStatus.partly_paid
            self._update("declarations", declaration_id, {"amount_paid_fen": paid, "status": status.value}, actor)
        return FeePayment.from_row(row), self.change("declarations", "fee_payments", ids=[declaration_id])

    def declaration_by_number(self, number: str) -> FeeDeclaration:
        r = self.conn.execute("SELECT * FROM declarations WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到缴费申报 {number}")
        return self._declaration(dict(r))

    def declarations(self, *, offset: int = 0, limit: int = 100, platform_id: str | None = None) -> list[FeeDeclaration]:
        q, args = "SELECT * FROM declarations", []
        if platform_id:
            q += " WHERE platform_id = ?"
            args.append(platform_id)
        return [self._declaration(dict(r)) for r in self.conn.execute(
            q + " ORDER BY month DESC, number LIMIT ? OFFSET ?", (*args, limit, offset))]

    def count_declarations(self) -> int:
        return self.conn.execute("SELECT count(*) FROM declarations").fetchone()[0]


def _redeclare(line: DeclarationLine, declared: int) -> DeclarationLine:
    return line.model_copy(update={"orders_declared": declared})
