"""Benefit assessment (待遇核定): exact, itemised, with formula text and sources.

The numbers (months, percentages, which items apply) come from the rule set
(``resources/rulesets``); the figures (bases, incomes) from the parameter table
or from overrides given with the input. Money is integer fen; each item is
rounded half-up once. See shared/domain/rules.md §6 and shared/cli.md.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from claims.enums import CareLevel, DeathCause, Labeled, Outcome, Relation
from claims.errors import ClaimsError, FieldError
from claims.i18n import _
from claims.money import fen_to_str, round_half_up_fen, to_fen
from claims.parameters import PARAMETER_LABELS, ItemRule, ParameterTable, RuleSet, ruleset_for

# Which date picks the figure: death items use the death date, disability and
# care items the appraisal date, the hospital food allowance the accident date.
PARAMETER_DATE = {"benefit_base": "appraisal_date", "care_base": "appraisal_date",
                  "death_base": "death_date", "national_urban_income": "death_date",
                  "hospital_food_daily": "accident_date"}

# --- input --------------------------------------------------------------------


def _money(v: Any) -> Decimal:
    try:
        return Decimal(to_fen(v)) / 100
    except FieldError as e:
        raise ValueError(e.detail) from None


def _date(v: Any) -> Any:
    if isinstance(v, date):
        return v
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise ValueError(_("应为日期，格式 YYYY-MM-DD"))


def _code(enum: type[Labeled], v: Any) -> Any:
    if v is None or isinstance(v, enum):
        return v
    try:
        return enum.from_text(v if isinstance(v, str) else "")
    except ValueError:
        raise ValueError(_("取值应为 {codes} 之一").format(codes="、".join(m.value for m in enum))) from None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dependant(_Model):
    relation: Relation
    lone_elder: bool = Field(default=False, strict=True)
    orphan: bool = Field(default=False, strict=True)

    _relation = field_validator("relation", mode="before")(lambda v: _code(Relation, v))

    @model_validator(mode="after")
    def _one_extra(self):
        if self.lone_elder and self.orphan:
            raise ValueError(_("不能同时是孤寡老人和孤儿"))
        return self


class Medical(_Model):
    medical_expenses: Decimal = Decimal(0)
    hospital_days: int = Field(default=0, ge=0, le=36600, strict=True)
    out_of_area_travel: Decimal = Decimal(0)
    rehabilitation: Decimal = Decimal(0)
    assistive_devices: Decimal = Decimal(0)

    _amounts = field_validator("medical_expenses", "out_of_area_travel", "rehabilitation",
                               "assistive_devices", mode="before")(_money)


class ParameterOverrides(_Model):
    benefit_base: Decimal | None = None
    care_base: Decimal | None = None
    death_base: Decimal | None = None
    national_urban_income: Decimal | None = None
    hospital_food_daily: Decimal | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _amount(cls, v, info):
        if v is None:
            return v
        d = _money(v)
        if d == 0 and info.field_name != "hospital_food_daily":
            raise ValueError(_("必须大于零"))
        return d


class BenefitInput(_Model):
    region: str
    accident_date: date
    outcome: Outcome
    disability_grade: int | None = Field(default=None, ge=1, le=10, strict=True)
    care_level: CareLevel | None = None
    death_date: date | None = None
    death_cause: DeathCause | None = None
    appraisal_date: date | None = None
    dependants: list[Dependant] = []
    medical: Medical = Medical()
    parameters: ParameterOverrides = ParameterOverrides()

    _dates = field_validator("accident_date", "death_date", "appraisal_date", mode="before")(
        lambda v: v if v is None else _date(v))
    _outcome = field_validator("outcome", mode="before")(lambda v: _code(Outcome, v))
    _care = field_validator("care_level", mode="before")(lambda v: _code(CareLevel, v))
    _cause = field_validator("death_cause", mode="before")(lambda v: _code(DeathCause, v))

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, v):
        if not (isinstance(v, str) and re.fullmatch(r"\d{6}", v.strip())):
            raise ValueError(_("应为六位行政区划代码，如 310000"))
        return v.strip()

    @model_validator(mode="after")
    def _consistent(self):
        def forbid(field: str, present: bool, why: str):
            if present:
                raise FieldError(field, why)
        o = self.outcome
        if o == Outcome.disability and self.disability_grade is None:
            raise FieldError("disability_grade", _("伤残时必须填写伤残等级（1–10 级）"))
        forbid("disability_grade", o == Outcome.injury and self.disability_grade is not None,
               _("结果为受伤（无伤残）时不应填写伤残等级；有等级请选择伤残"))
        forbid("care_level", o != Outcome.disability and self.care_level is not None,
               _("生活自理障碍等级仅在伤残时填写"))
        if o == Outcome.death:
            if self.death_date is None:
                raise FieldError("death_date", _("死亡时必须填写死亡日期"))
            if self.death_cause is None:
                raise FieldError("death_cause", _("死亡时必须填写死亡原因（injury 或 other）"))
            forbid("death_date", self.death_date < self.accident_date, _("死亡日期不能早于事故日期"))
            forbid("dependants", sum(d.relation == Relation.spouse for d in self.dependants) > 1,
                   _("供养亲属中最多只能有一名配偶"))
        else:
            forbid("death_date", self.death_date is not None, _("仅在结果为死亡时填写"))
            forbid("death_cause", self.death_cause is not None, _("仅在结果为死亡时填写"))
            forbid("dependants", bool(self.dependants), _("供养亲属仅在结果为死亡时填写"))
        forbid("appraisal_date", self.appraisal_date is not None and self.appraisal_date < self.accident_date,
               _("鉴定日期不能早于事故日期"))
        return self

    @property
    def effective_appraisal_date(self) -> date:
        return self.appraisal_date or self.accident_date


_ERROR_TEXT = {"missing": "必填", "extra_forbidden": "未知字段", "int_type": "应为整数",
               "int_parsing": "应为整数", "bool_type": "应为 true 或 false", "string_type": "应为字符串",
               "list_type": "应为列表", "model_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
               "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}"}


def parse_input(data: Any) -> BenefitInput:
    """Validate a decoded JSON object; errors become FieldError with the field path."""
    if not isinstance(data, dict):
        raise ClaimsError(_("输入应为 JSON 对象"))
    try:
        return BenefitInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
        if err["type"] == "value_error":
            msg = str(err["ctx"]["error"])
        elif err["type"] == "extra_forbidden" and err["loc"][0] == "parameters":
            msg = _("未知参数，可指定：{names}").format(names="、".join(ParameterOverrides.model_fields))
        else:
            msg = _(_ERROR_TEXT.get(err["type"], "取值无效")).format(**err.get("ctx", {}))
        raise FieldError(field or "input", msg) from None


# --- output model ---------------------------------------------------------------


class AssessmentItem(BaseModel):
    code: str
    name: str
    period: Literal["once", "monthly"]
    amount_fen: int
    formula: str
    dependant: int | None = None


class UsedParameter(BaseModel):
    name: str
    label: str
    value: Decimal
    source: str
    status: str  # confirmed | unconfirmed | given


class Assessment(BaseModel):
    rule_set: str
    items: list[AssessmentItem]
    once_total_fen: int
    monthly_total_fen: int
    parameters: list[UsedParameter]
    warnings: list[str]


# --- computation ------------------------------------------------------------------


def _num(d: Decimal | int) -> str:
    """40 -> "40", Decimal("37.50") -> "37.5" (no exponent)."""
    return format(Decimal(d).normalize(), "f")


def _yuan(d: Decimal) -> str:
    return fen_to_str(int(d * 100)) if d * 100 == int(d * 100) else _num(d)


class _Run:
    """One assessment being built: looks figures up once and collects warnings."""

    def __init__(self, inp: BenefitInput, table: ParameterTable, rs: RuleSet):
        self.inp, self.table, self.rs = inp, table, rs
        self.used: dict[str, UsedParameter] = {}
        self.warnings: list[str] = []

    def param(self, name: str) -> Decimal:
        if name not in self.used:
            given = getattr(self.inp.parameters, name, None)
            label = PARAMETER_LABELS.get(name, name)
            if given is not None:
                self.used[name] = UsedParameter(name=name, label=label, value=given, source="given", status="given")
            else:
                on = self.inp.effective_appraisal_date if PARAMETER_DATE[name] == "appraisal_date" \
                    else getattr(self.inp, PARAMETER_DATE[name])
                row = self.table.require(name, self.inp.region, on)
                self.used[name] = UsedParameter(name=name, label=row.label or label, value=row.value,
                                                source=row.source, status=row.status.value)
                if row.status.value != "confirmed":
                    self.warnings.append(_("参数“{label}”{value} 元未经确认（{source}），核定结果须复核").format(
                        label=row.label or label, value=_yuan(row.value), source=row.source))
        return self.used[name].value

    def item(self, code: str, rule: ItemRule) -> list[tuple[int, str, int | None]]:
        """(amount_fen, formula, dependant index) for one item; [] when it does not apply."""
        inp, grade = self.inp, self.inp.disability_grade
        if rule.kind == "approved":
            fen = to_fen(getattr(inp.medical, code))
            return [(fen, _("核定金额 {a}").format(a=fen_to_str(fen)), None)]
        if rule.kind == "per_day":
            days = inp.medical.hospital_days
            if not days:
                return []
            v = self.param(rule.parameter)
            return [(round_half_up_fen(v * 100 * days), _("住院 {n} 天 × {v}").format(n=days, v=_yuan(v)), None)]
        if rule.kind == "months_by_grade":
            if grade not in (rule.months_by_grade or {}):
                return []
            n, v = rule.months_by_grade[grade], self.param(rule.parameter)
            return [(round_half_up_fen(v * 100 * n), f"{n} × {_yuan(v)}", None)]
        if rule.kind in ("pct_by_grade", "pct_by_care_level"):
            table = rule.pct_by_grade if rule.kind == "pct_by_grade" else rule.pct_by_care_level
            key = grade if rule.kind == "pct_by_grade" else (inp.care_level and inp.care_level.value)
            if key not in (table or {}):
                return []
            pct, v = table[key], self.param(rule.parameter)
            return [(round_half_up_fen(v * pct), f"{_num(pct)}% × {_yuan(v)}", None)]
        if rule.kind == "multiple":
            v = self.param(rule.parameter)
            return [(round_half_up_fen(v * 100 * rule.multiple), f"{rule.multiple} × {_yuan(v)}", None)]
        if rule.kind == "dependants":
            return self.dependants(rule) if inp.dependants else []
        raise ClaimsError(_("规则集中未知的计发方式：{k}").format(k=rule.kind))  # pragma: no cover

    def dependants(self, rule: ItemRule) -> list[tuple[int, str, int | None]]:
        v = self.param(rule.parameter)
        base_fen = v * 100
        pcts, texts = [], []
        for d in self.inp.dependants:
            pct = rule.pct_by_relation.get(d.relation.value, rule.pct_by_relation["other"])
            text = f"{d.relation.label} {_num(pct)}%"
            if d.lone_elder or d.orphan:
                extra = rule.extra_pct_lone_elder_or_orphan
                text += _(" + {x}%（{who}）").format(x=_num(extra), who=_("孤寡老人") if d.lone_elder else _("孤儿"))
                pct += extra
            pcts.append(pct)
            texts.append(f"{text} × {_yuan(v)}")
        cap_fen = round_half_up_fen(base_fen * rule.cap_pct / 100)
        amounts = [round_half_up_fen(base_fen * p / 100) for p in pcts]
        total = sum(pcts)
        if total <= rule.cap_pct and sum(amounts) <= cap_fen:
            return [(a, t, i) for i, (a, t) in enumerate(zip(amounts, texts))]
        amounts = [round_half_up_fen(Decimal(cap_fen) * p / total) for p in pcts]
        leftover = cap_fen - sum(amounts)
        amounts[0] += leftover
        out = []
        for i, (a, t, p) in enumerate(zip(amounts, texts, pcts)):
            note = _("（供养亲属合计 {total}% 超过上限 {cap}%，按比例核减至 {cap_amt} × {p}/{total} = {a}{fix}）").format(
                total=_num(total), cap=_num(rule.cap_pct), cap_amt=fen_to_str(cap_fen), p=_num(p), a=fen_to_str(a),
                fix=_("，含尾差 {x}").format(x=fen_to_str(leftover)) if i == 0 and leftover else "")
            out.append((a, t + note, i))
        return out


def _codes(inp: BenefitInput, rs: RuleSet) -> list[str]:
    codes = rs.outcomes[inp.outcome.value]
    if inp.outcome != Outcome.death:
        return codes
    rule = rs.death_rules[inp.death_cause.value]
    if rule.requires_grade is not None and inp.disability_grade not in rule.requires_grade:
        raise FieldError("disability_grade", _("因其他原因死亡时，仅 {grades} 级伤残人员享受死亡待遇，请填写伤残等级").format(
            grades="、".join(str(g) for g in rule.requires_grade)))
    death_only = {c for r in rs.death_rules.values() for c in r.items}
    return [c for c in codes if c not in death_only or c in rule.items]


def compute(inp: BenefitInput, table: ParameterTable) -> Assessment:
    """Itemised assessment for one case; only the figures its items need are looked up."""
    rs = ruleset_for(inp.accident_date)
    run = _Run(inp, table, rs)
    head: list[str] = []
    if rs.status != "confirmed":
        head.append(_("规则集 {code} 的待遇计发办法未经确认（{source}），核定结果须复核").format(
            code=rs.code, source=rs.source))
    if inp.outcome == Outcome.death and rs.death_rules[inp.death_cause.value].status != "confirmed":
        head.append(_("死亡待遇适用规则未经确认（{source}）").format(source=rs.death_rules[inp.death_cause.value].source))
    items: list[AssessmentItem] = []
    for code in _codes(inp, rs):
        rule = rs.items[code]
        rows = [r for r in run.item(code, rule) if r[0] != 0]
        for fen, formula, dep in rows:
            items.append(AssessmentItem(code=code, name=rule.name, period=rule.period, amount_fen=fen,
                                        formula=formula, dependant=dep))
        if rows and rule.status != "confirmed":
            head.append(_("“{name}”的计发规则未经确认（{source}）").format(name=rule.name, source=rule.source))
    return Assessment(
        rule_set=rs.code, items=items,
        once_total_fen=sum(i.amount_fen for i in items if i.period == "once"),
        monthly_total_fen=sum(i.amount_fen for i in items if i.period == "monthly"),
        parameters=list(run.used.values()), warnings=head + run.warnings)


# --- JSON in and out ----------------------------------------------------------------


def assessment_to_json(a: Assessment) -> dict:
    """The exact output shape of ``benefits`` in shared/cli.md."""
    items = []
    for i in a.items:
        d = {"code": i.code, "name": i.name, "period": i.period, "amount": fen_to_str(i.amount_fen),
             "formula": i.formula}
        if i.dependant is not None:
            d["dependant"] = i.dependant
        items.append(d)
    return {"rule_set": a.rule_set, "items": items,
            "once_total": fen_to_str(a.once_total_fen), "monthly_total": fen_to_str(a.monthly_total_fen),
            "parameters": [{"name": p.name, "value": _yuan(p.value), "source": p.source, "status": p.status}
                           for p in a.parameters],
            "warnings": list(a.warnings)}


def _reject_constant(name: str):
    raise ValueError(name)


def run_benefits_command(text: str, table: ParameterTable) -> dict:
    """``benefits --input``: JSON text in, the output dict out (errors are ClaimsError)."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise ClaimsError(_("输入不是有效的 JSON：第 {line} 行第 {col} 列，{msg}").format(
            line=e.lineno, col=e.colno, msg=e.msg)) from None
    except ValueError as e:
        raise ClaimsError(_("输入不是有效的 JSON：不支持 {v}").format(v=e)) from None
    return assessment_to_json(compute(parse_input(data), table))
