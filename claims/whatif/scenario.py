"""A policy what-if scenario (政策测算, shared/cli.md ``whatif``): changed
per-order amounts (per industry, period and platform tier), platforms moved
to another tier, benefit rules (one-off months per grade, percentages,
multiples) and parameters (bases), and coverage (an industry added with
assumed workers and orders). Parsed strictly: anything unknown or impossible
is a FieldError that names the key (``fee_per_order[1].amount``), so bad
input exits 2 and never reaches a figure.

Every key is optional; an empty scenario is "the rules in force" and gives
exactly the actual figures."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ClaimsError, FieldError
from ..i18n import _

MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
PARAMETERS = ("benefit_base", "care_base", "death_base", "national_urban_income", "hospital_food_daily")
# What an item rule may change, and the shape of its value.
RULE_FIELDS = {"months_by_grade": "grade_int", "pct_by_grade": "grade_dec", "pct_by_care_level": "care_dec",
               "multiple": "int", "pct_by_relation": "relation_dec", "extra_pct_lone_elder_or_orphan": "dec",
               "cap_pct": "dec"}
CARE_LEVELS = ("full", "most", "partial")
RELATIONS = ("spouse", "other")
TOP_KEYS = ("name", "note", "fee_per_order", "platform_tiers", "one_off_disability_months", "item_rules",
            "parameters", "coverage")


@dataclass(frozen=True)
class FeeChange:
    industry: str
    month_from: str
    month_to: str | None
    units: int  # 0.0001 元 per order
    tier: str | None = None  # None: every platform of the industry

    def covers(self, industry: str, month: str, tier: str) -> bool:
        return (industry == self.industry and month >= self.month_from
                and (self.month_to is None or month <= self.month_to) and (self.tier is None or tier == self.tier))


@dataclass(frozen=True)
class Coverage:
    """An industry the pilot does not cover (yet), with assumed figures."""
    industry: str
    name: str
    month_from: str
    month_to: str | None
    workers: int
    orders_per_worker_month: int
    units: int
    benefits_per_month_fen: int = 0

    def covers(self, month: str) -> bool:
        return month >= self.month_from and (self.month_to is None or month <= self.month_to)


@dataclass
class Scenario:
    name: str = ""
    note: str = ""
    fees: list[FeeChange] = field(default_factory=list)
    platform_tiers: dict[str, str] = field(default_factory=dict)  # platform name -> tier
    item_rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # item code -> {field: value}
    parameters: dict[str, Decimal] = field(default_factory=dict)
    coverage: list[Coverage] = field(default_factory=list)
    raw: dict = field(default_factory=dict)  # the scenario as given (saved and exported as is)

    @property
    def changes_benefits(self) -> bool:
        return bool(self.item_rules or self.parameters)

    def fee_units(self, industry: str, month: str, tier: str) -> int | None:
        """The scenario's per-order amount, or None where it changes nothing.
        A change for the platform's tier wins over one for every platform."""
        hits = [f for f in self.fees if f.covers(industry, month, tier)]
        if not hits:
            return None
        hits.sort(key=lambda f: (f.tier is not None, f.month_from))
        return hits[-1].units


def _err(key: str, message: str) -> FieldError:
    return FieldError(key, message)


def _text(v: Any, key: str, *, max_len: int = 60, required: bool = True) -> str:
    if not isinstance(v, str):
        raise _err(key, _("应为文字"))
    t = " ".join(v.split())
    if required and not t:
        raise _err(key, _("不能为空"))
    if len(t) > max_len or re.search(r"[\x00-\x1f\x7f<>]", t):
        raise _err(key, _("过长（最多 {n} 个字）或含有不允许的字符").format(n=max_len))
    return t


def _month(v: Any, key: str) -> str:
    if not isinstance(v, str) or not MONTH_RE.fullmatch(v.strip()):
        raise _err(key, _("应为月份，格式 YYYY-MM"))
    return v.strip()


def _decimal(v: Any, key: str, *, places: int = 2, maximum: Decimal | None = None) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (str, int, Decimal)):
        raise _err(key, _("应为数字（写成文字，如 \"0.02\"）"))
    t = unicodedata.normalize("NFKC", str(v)).strip().removeprefix("¥").removesuffix("元").strip()
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise _err(key, _("“{t}”不是有效的数字").format(t=t)) from None
    if not d.is_finite() or d < 0:
        raise _err(key, _("应为不小于零的数字"))
    if d != d.quantize(Decimal(1).scaleb(-places)):
        raise _err(key, _("最多 {n} 位小数").format(n=places))
    if maximum is not None and d > maximum:
        raise _err(key, _("不应大于 {m}").format(m=maximum))
    return d


def _int(v: Any, key: str, *, lo: int = 0, hi: int = 10**9) -> int:
    if isinstance(v, bool) or not isinstance(v, int) and not (isinstance(v, str) and v.strip().isdigit()):
        raise _err(key, _("应为整数"))
    n = int(v)
    if not lo <= n <= hi:
        raise _err(key, _("应在 {a}–{b} 之间").format(a=lo, b=hi))
    return n


def _obj(v: Any, key: str) -> dict:
    if not isinstance(v, dict):
        raise _err(key, _("应为对象（{…}）"))
    return v


def _list(v: Any, key: str) -> list:
    if not isinstance(v, list):
        raise _err(key, _("应为列表（[…]）"))
    return v


def _only(d: dict, allowed: tuple[str, ...], at: str) -> None:
    for k in d:
        if k not in allowed:
            raise _err(f"{at}.{k}" if at else str(k), _("未知的键（可用：{a}）").format(a="、".join(allowed)))


def _industry(v: Any, key: str, *, known: bool = True) -> str:
    from ..enums import Industry
    if not isinstance(v, str):
        raise _err(key, _("应为行业代码或名称"))
    try:
        return Industry.from_text(v).value
    except ValueError:
        if known:
            raise _err(key, _("未知行业“{i}”（可用：{a}）").format(
                i=v, a="、".join(f"{i.value}（{i.label}）" for i in Industry))) from None
        return v.strip()


def _units(v: Any, key: str) -> int:
    return int(_decimal(v, key, places=4, maximum=Decimal(100)) * 10000)


def _grade_map(v: Any, key: str, kind: str) -> dict:
    out = {}
    for g, val in _obj(v, key).items():
        k = f"{key}.{g}"
        if kind in ("grade_int", "grade_dec"):
            if not (isinstance(g, str) and g.isdigit() and 1 <= int(g) <= 10):
                raise _err(k, _("伤残等级应为 1–10"))
            out[int(g)] = _int(val, k, hi=240) if kind == "grade_int" else _decimal(val, k, maximum=Decimal(200))
        elif kind == "care_dec":
            if g not in CARE_LEVELS:
                raise _err(k, _("生活自理障碍等级应为 full、most 或 partial"))
            out[g] = _decimal(val, k, maximum=Decimal(200))
        else:
            if g not in RELATIONS:
                raise _err(k, _("应为 spouse 或 other"))
            out[g] = _decimal(val, k, maximum=Decimal(200))
    return out


def parse(data: Any) -> Scenario:
    """A Scenario from the JSON object, or a FieldError naming the key."""
    from ..parameters import RULESET_CODES, load_ruleset
    d = _obj(data, _("方案"))
    _only(d, TOP_KEYS, "")
    sc = Scenario(raw=json.loads(json.dumps(d, ensure_ascii=False, default=str)))
    if "name" in d:
        sc.name = _text(d["name"], "name")
    if "note" in d:
        sc.note = _text(d["note"], "note", max_len=400, required=False)
    for i, f in enumerate(_list(d.get("fee_per_order", []), "fee_per_order")):
        at = f"fee_per_order[{i}]"
        f = _obj(f, at)
        _only(f, ("industry", "from", "to", "amount", "tier"), at)
        for req in ("industry", "from", "amount"):
            if req not in f:
                raise _err(f"{at}.{req}", _("必填"))
        start = _month(f["from"], f"{at}.from")
        end = _month(f["to"], f"{at}.to") if f.get("to") is not None else None
        if end and end < start:
            raise _err(f"{at}.to", _("早于起始月份"))
        tier = _text(f["tier"], f"{at}.tier", max_len=20) if f.get("tier") is not None else None
        sc.fees.append(FeeChange(_industry(f["industry"], f"{at}.industry"), start, end, _units(f["amount"], f"{at}.amount"),
                                 tier))
    for name, tier in _obj(d.get("platform_tiers", {}), "platform_tiers").items():
        sc.platform_tiers[_text(name, "platform_tiers")] = _text(tier, f"platform_tiers.{name}", max_len=20,
                                                                 required=False)
    items = {}
    for rs_code in RULESET_CODES:
        items.update(load_ruleset(rs_code).items)
    rules = _obj(d.get("item_rules", {}), "item_rules")
    if "one_off_disability_months" in d:
        months = _grade_map(d["one_off_disability_months"], "one_off_disability_months", "grade_int")
        sc.item_rules.setdefault("one_off_disability", {})["months_by_grade"] = months
    for code, change in rules.items():
        at = f"item_rules.{code}"
        if code not in items:
            raise _err(at, _("未知的待遇项目（可用：{a}）").format(a="、".join(items)))
        change = _obj(change, at)
        _only(change, tuple(RULE_FIELDS), at)
        for fld, val in change.items():
            kind = RULE_FIELDS[fld]
            k = f"{at}.{fld}"
            if getattr(items[code], fld) is None:
                raise _err(k, _("“{n}”没有这一计发参数").format(n=items[code].name))
            if kind in ("grade_int", "grade_dec", "care_dec", "relation_dec"):
                v = _grade_map(val, k, kind)
            elif kind == "int":
                v = _int(val, k, hi=1000)
            else:
                v = _decimal(val, k, maximum=Decimal(1000))
            sc.item_rules.setdefault(code, {})[fld] = v
    for name, val in _obj(d.get("parameters", {}), "parameters").items():
        if name not in PARAMETERS:
            raise _err(f"parameters.{name}", _("未知的参数（可用：{a}）").format(a="、".join(PARAMETERS)))
        sc.parameters[name] = _decimal(val, f"parameters.{name}", maximum=Decimal(10**7))
    for i, c in enumerate(_list(d.get("coverage", []), "coverage")):
        at = f"coverage[{i}]"
        c = _obj(c, at)
        _only(c, ("industry", "name", "from", "to", "workers", "orders_per_worker_month", "amount",
                  "benefits_per_month"), at)
        for req in ("industry", "from", "workers", "orders_per_worker_month", "amount"):
            if req not in c:
                raise _err(f"{at}.{req}", _("必填"))
        code = _industry(c["industry"], f"{at}.industry", known=False)
        if not re.fullmatch(r"[a-z][a-z0-9_]{2,31}", code) and code not in _known_codes():
            raise _err(f"{at}.industry", _("新行业的代码应为小写英文字母、数字或下划线（如 housekeeping）"))
        start = _month(c["from"], f"{at}.from")
        end = _month(c["to"], f"{at}.to") if c.get("to") is not None else None
        if end and end < start:
            raise _err(f"{at}.to", _("早于起始月份"))
        sc.coverage.append(Coverage(
            industry=code, name=_text(c.get("name") or code, f"{at}.name", max_len=20), month_from=start,
            month_to=end, workers=_int(c["workers"], f"{at}.workers", hi=10**8),
            orders_per_worker_month=_int(c["orders_per_worker_month"], f"{at}.orders_per_worker_month", hi=10**5),
            units=_units(c["amount"], f"{at}.amount"),
            benefits_per_month_fen=int(_decimal(c.get("benefits_per_month", "0"), f"{at}.benefits_per_month")
                                       * 100)))
    return sc


def _known_codes() -> set[str]:
    from ..industries import codes
    return set(codes())


def parse_text(text: str) -> Scenario:
    """From the JSON text of a scenario file."""
    def no_float(s):  # money as text: 0.1 + 0.2 must not be a scenario
        return Decimal(s)

    try:
        data = json.loads(text, parse_float=no_float)
    except json.JSONDecodeError as e:
        raise ClaimsError(_("方案文件不是有效的 JSON：第 {l} 行第 {c} 列，{m}").format(l=e.lineno, c=e.colno, m=e.msg)) \
            from None
    return parse(data)


def describe(sc: Scenario) -> list[str]:
    """The scenario's changes in words (screens and the printed report)."""
    from ..industries import label
    from ..parameters import PARAMETER_LABELS, RULESET_CODES, load_ruleset
    names = {c: i.name for code in RULESET_CODES for c, i in load_ruleset(code).items.items()}
    out = []
    for f in sc.fees:
        period = _("{a} 起").format(a=f.month_from) if f.month_to is None else _("{a} 至 {b}").format(
            a=f.month_from, b=f.month_to)
        tier = _("（{t}档平台）").format(t=f.tier) if f.tier else ""
        out.append(_("{i}{t}每单 {x} 元，{p}").format(i=label(f.industry), t=tier, x=_units_text(f.units), p=period))
    for p, t in sc.platform_tiers.items():
        out.append(_("{p} 按 {t} 档计费").format(p=p, t=t or _("基准")))
    for code, change in sc.item_rules.items():
        for fld, v in change.items():
            if isinstance(v, dict):
                v = "，".join(f"{k}{_('级') if isinstance(k, int) else ''} {x}" for k, x in sorted(v.items(), key=str))
            out.append(_("{n}：{f} 改为 {v}").format(n=names.get(code, code), f=_RULE_WORDS.get(fld, fld), v=v))
    for name, v in sc.parameters.items():
        out.append(_("{n} 改为 {v} 元").format(n=PARAMETER_LABELS.get(name, name), v=v))
    for c in sc.coverage:
        out.append(_("新增覆盖“{n}”，{a} 起：假定 {w:,} 人、每人每月 {o:,} 单、每单 {x} 元{b}").format(
            n=c.name, a=c.month_from, w=c.workers, o=c.orders_per_worker_month, x=_units_text(c.units),
            b=_("、每月待遇支出 {y} 元").format(y=f"{c.benefits_per_month_fen / 100:,.2f}")
            if c.benefits_per_month_fen else ""))
    return out or [_("与现行规则相同（未作改动）")]


_RULE_WORDS = {"months_by_grade": "各等级月数", "pct_by_grade": "各等级比例（%）", "pct_by_care_level": "各护理等级比例（%）",
               "multiple": "倍数", "pct_by_relation": "亲属比例（%）", "extra_pct_lone_elder_or_orphan": "孤寡老人或孤儿加发（%）",
               "cap_pct": "合计上限（%）"}


def _units_text(units: int) -> str:
    return f"{units / 10000:.4f}".rstrip("0").rstrip(".")
