"""Per-order fee amounts and the monthly fee declarations with their
payments: the shipped amounts seeded into a new database, amount
maintenance (administrators, audited), the amount that applies to an order
on a day, declarations computed from the daily counts (one line per fee
industry and amount) and the platform's declared counts, submission, and
payments received. Also the date helpers the fee screens and reconciliation
share (``fee_industry``, ``month_bounds``, ``due_date``).

Overdue is computed on read, never stored: a declaration that is declared
or partly paid, with less paid than due, is shown as ``overdue`` once the
15th of the following month has passed (``due_date``). Nothing has to run
each day, and the audit log records only what people did.

Order records and daily counts live in orders.py, order_counts.py and
coverage.py, the queries behind reconciliation in reconcile_queries.py; the
names other modules have always imported from here (``with_constants``,
``IMPORT_CACHE_KIB``, ``Cancelled``, ``ImportReport``) are re-exported.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ..change import Change
from ..enums import DeclarationStatus, Industry, ParamStatus
from ..errors import ClaimsError, FieldError, NotFound, PermissionDenied
from ..i18n import _
from ..lazy import lazy_import
from ..money import round_half_up_fen
from ..permissions import narrow, own_platform, require
from ..resources import load_json
from ..timeutil import now, parse_date
from .base import Actor, StoreBase
from .import_report import Cancelled, ImportReport
from .orders import IMPORT_CACHE_KIB, with_constants

if TYPE_CHECKING:
    from ..models import DeclarationLine, FeeDeclaration, FeePayment, FeeRate

models = lazy_import("claims.models")

__all__ = ["Cancelled", "FeesMixin", "IMPORT_CACHE_KIB", "ImportReport", "MERGE_DAY", "due_date", "fee_industry",
           "month_bounds", "parse_per_order", "with_constants"]

MERGE_DAY = "2025-07-01"  # from this day 外卖 is counted as 即时配送 (rules.md §1)
_OPEN = ("declared", "partly_paid")
_OVERDUE_SQL = ("status IN ('declared', 'partly_paid') AND amount_paid_fen < amount_due_fen"
                " AND date(month || '-15', '+1 month') < ?")


def fee_industry(industry: str, day: str) -> str:
    """The industry a fee is looked up under: 外卖 is 即时配送 from 2025-07-01 (industries are data)."""
    from ..industries import fee_industry as by_data
    return by_data(industry, day)


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


class FeesMixin(StoreBase):
    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if from_version == 0:
            system = Actor("system:init")
            with self.atomic():
                for r in load_json("rules/fee_rates.json")["rates"]:
                    self._insert("fee_rates", dict(r), system)

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

    def update_fee_rate(self, actor: Actor, rate_id: str, *, expected_version: int | None = None,
                        **changes) -> tuple[FeeRate, Change]:
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
            row = self._update("fee_rates", rate_id, values, actor, what=_("每单缴费金额"),
                               expected_version=current.row_version if expected_version is None else expected_version)
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

    def _require_rates(self, lines: list[DeclarationLine], month: str) -> None:
        """A month is declared only with a per-order amount in force for every
        industry that has orders: refused, naming the industry and the month and
        where an administrator enters the amount, until someone does."""
        missing = [l for l in lines if l.rate_status == "missing" and l.orders_declared > 0]
        if missing:
            names = "、".join(dict.fromkeys(l.industry.label for l in missing))
            raise FieldError(_("每单金额"), _("{m} 的{i}没有适用的每单缴费金额，不能申报该月：请管理员先在“缴费 › 每单金额”"
                                          "中录入{i}自 {m} 起适用的每单金额（注明来源和状态），再申报").format(m=month, i=names))

    def _refresh_missing(self, platform_id: str, region: str, month: str,
                         lines: list[DeclarationLine]) -> list[DeclarationLine]:
        """Lines that had no amount take the amount an administrator has since
        entered, when one amount covers the whole month."""
        start, end = month_bounds(month)
        last = (date.fromisoformat(end) - timedelta(days=1)).isoformat()
        tier = self.platform(platform_id).tier
        out = []
        for l in lines:
            if l.rate_status == "missing":
                first_rate, last_rate = self.rate_for(l.industry.value, region, start, tier), \
                    self.rate_for(l.industry.value, region, last, tier)
                if first_rate is not None and last_rate is not None and first_rate.id == last_rate.id:
                    l = self._rate_line(l.industry.value, l.orders_recorded, l.orders_declared, first_rate)
            out.append(l)
        return out

    def create_declaration(self, actor: Actor, platform_id: str, region: str, month: str,
                           declared_counts: dict[str, int] | None = None) -> tuple[FeeDeclaration, Change]:
        require(actor, "fee.write")
        self._require_own_platform(actor, platform_id)
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
        self._require_rates(lines, month)
        with self.atomic():
            number = f"SB{month.replace('-', '')}-{self.site_id}-{self.next_counter('declaration:' + month):04d}"
            row = self._insert("declarations", {
                "number": number, "platform_id": platform_id, "region": region, "month": month, "status": "draft",
                "amount_due_fen": sum(l.amount_fen for l in lines), "lines": _lines_json(lines)}, actor)
        return self._declaration(row), self.change("declarations", ids=[row["id"]],
                                                   summary=_("已新建缴费申报 {n}").format(n=number))

    def set_declared_count(self, actor: Actor, declaration_id: str, industry: str, count: int, *,
                           expected_version: int | None = None) -> tuple[FeeDeclaration, Change]:
        """The platform's declared order count for one industry (drafts only);
        the amount due follows the declared count."""
        return self.set_declared_counts(actor, declaration_id, {industry: count}, expected_version=expected_version)

    def set_declared_counts(self, actor: Actor, declaration_id: str, counts: dict[str, int], *,
                            expected_version: int | None = None) -> tuple[FeeDeclaration, Change]:
        """Several industries' declared counts in one transaction."""
        require(actor, "fee.write")
        row = self._must("declarations", declaration_id, _("缴费申报"))
        self._require_own_platform(actor, row["platform_id"])
        if row["status"] != "draft":
            raise ClaimsError(_("申报 {n} 已提交，不能再修改申报单量").format(n=row["number"]))
        lines = [models.DeclarationLine.model_validate(l, strict=False) for l in json.loads(row["lines"])]
        for industry, count in counts.items():
            lines = self._with_count(lines, row["platform_id"], row["region"], row["month"], industry, count)
        lines = self._refresh_missing(row["platform_id"], row["region"], row["month"], lines)
        self._require_rates(lines, row["month"])
        with self.atomic():
            row = self._update("declarations", declaration_id, {"lines": _lines_json(lines),
                                                                "amount_due_fen": sum(l.amount_fen for l in lines)},
                               actor, what=_("缴费申报"),
                               expected_version=row["row_version"] if expected_version is None else expected_version)
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

    def declaration(self, declaration_id: str, today: date | None = None,
                    actor: Actor | None = None) -> FeeDeclaration:
        row = self._must("declarations", declaration_id, _("缴费申报"))
        if actor is not None:
            self._require_own_platform(actor, row["platform_id"])
        return self._declaration(row, today)

    def declare(self, actor: Actor, declaration_id: str, declared_on: date, *,
                expected_version: int | None = None) -> tuple[FeeDeclaration, Change]:
        """Submit a draft; ``expected_version``: the version whose lines the user saw
        (lines changed since: StaleRecord, nothing submitted)."""
        require(actor, "fee.write")
        d = self._must("declarations", declaration_id, _("缴费申报"))
        self._require_own_platform(actor, d["platform_id"])
        if d["status"] != "draft":
            raise ClaimsError(_("只有草稿状态的申报可以提交"))
        old = [models.DeclarationLine.model_validate(l, strict=False) for l in json.loads(d["lines"])]
        lines = self._refresh_missing(d["platform_id"], d["region"], d["month"], old)
        self._require_rates(lines, d["month"])
        values = {"status": "declared", "declared_on": declared_on.isoformat(), "declarant": actor.label}
        if lines != old:  # an amount entered since the draft was made
            values.update(lines=_lines_json(lines), amount_due_fen=sum(l.amount_fen for l in lines))
        with self.atomic():
            row = self._update("declarations", declaration_id, values, actor, what=_("缴费申报"),
                               expected_version=d["row_version"] if expected_version is None else expected_version)
        return self._declaration(row), self.change("declarations", ids=[declaration_id],
                                                   summary=_("已提交缴费申报 {n}").format(n=d["number"]))

    def record_fee_payment(self, actor: Actor, declaration_id: str, *, paid_on: date, amount_fen: int,
                           reference: str = "", expected_version: int | None = None) -> tuple[FeePayment, Change]:
        """A payment received: the declaration becomes partly paid or paid. The sum paid is
        read inside the write (two payments at once both count); ``expected_version``: the
        version whose amounts the user saw (another payment recorded since: StaleRecord)."""
        require(actor, "fee.write")
        d = self._must("declarations", declaration_id, _("缴费申报"))
        self._require_own_platform(actor, d["platform_id"])
        if d["status"] == "draft":
            raise ClaimsError(_("申报尚未提交，不能登记缴款"))
        if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
            raise FieldError(_("缴款金额"), _("应大于零"))
        if not isinstance(paid_on, date):
            raise FieldError(_("缴款日期"), _("不是有效的日期"))
        with self.atomic():
            d = self._must("declarations", declaration_id, _("缴费申报"))
            if expected_version is not None:
                self.check_version("declarations", d, expected_version, _("缴费申报"))
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

    def declaration_by_number(self, number: str, actor: Actor | None = None) -> FeeDeclaration:
        """A declaration by its number; a station manager (``actor``) finds their own platform's only."""
        r = self.conn.execute("SELECT * FROM declarations WHERE number = ?", (number.strip().upper(),)).fetchone()
        if not r or narrow(own_platform(actor), r["platform_id"]) != r["platform_id"]:
            raise NotFound(_("找不到缴费申报 {n}").format(n=number))
        return self._declaration(dict(r))

    @staticmethod
    def _require_own_platform(actor: Actor, platform_id: str) -> None:
        if actor.role == "station_manager" and platform_id != actor.platform_id:
            raise PermissionDenied(_("站长只能处理本平台的缴费申报"))

    @staticmethod
    def _own_platform(actor: Actor | None, platform_id: str | None) -> str | None:
        """The platform a list is limited to: a station manager's own, narrowed by what was asked
        (another platform: nothing)."""
        return narrow(own_platform(actor), platform_id)

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
                     region: str | None = None, today: date | None = None,
                     actor: Actor | None = None, sort: str | None = None,
                     descending: bool = False) -> list[FeeDeclaration]:
        """Newest month first (or by ``sort``, a key of DECLARATION_SORTS); ``status`` may be
        'overdue' (computed, see the module text). A station manager (``actor``) sees only
        their own platform's declarations."""
        platform_id = self._own_platform(actor, platform_id)
        w, args = self._declaration_where(platform_id, month, status, search, region, today)
        order = (DECLARATION_SORTS[sort] + (" DESC" if descending else "")) if sort in DECLARATION_SORTS \
            else "month DESC"
        return [self._declaration(dict(r), today) for r in self.conn.execute(
            "SELECT * FROM declarations" + w + f" ORDER BY {order}, number LIMIT ? OFFSET ?", (*args, limit, offset))]

    def count_declarations(self, *, platform_id: str | None = None, month: str | None = None,
                           status: str | None = None, search: str = "", region: str | None = None,
                           today: date | None = None, actor: Actor | None = None) -> int:
        platform_id = self._own_platform(actor, platform_id)
        w, args = self._declaration_where(platform_id, month, status, search, region, today)
        return self.conn.execute("SELECT count(*) FROM declarations" + w, args).fetchone()[0]

    def declaration_months(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT month FROM declarations ORDER BY month DESC")]


DECLARATION_SORTS = {
    "number": "number", "month": "month", "status": "status",
    "platform": "(SELECT name FROM platforms WHERE platforms.id = declarations.platform_id)",
    "declared": "(SELECT coalesce(sum(json_extract(l.value, '$.orders_declared')), 0) FROM json_each(lines) l)",
    "gap": "(SELECT coalesce(sum(json_extract(l.value, '$.orders_declared') - json_extract(l.value, '$.orders_recorded')),"
           " 0) FROM json_each(lines) l)",
    "due": "amount_due_fen", "paid": "amount_paid_fen",
}


def _lines_json(lines: list[DeclarationLine]) -> str:
    return json.dumps([l.model_dump(mode="json") for l in lines], ensure_ascii=False)
