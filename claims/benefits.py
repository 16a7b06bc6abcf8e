"""Benefit assessment (待遇核定): exact, itemised, with formula text and sources.

The numbers (months, percentages, which items apply, when monthly items start
and stop, what a later appraisal pays again) come from the rule set
(``resources/rulesets``); the figures (bases, incomes) from the parameter table
or from overrides given with the input. Money is integer fen; each item is
rounded half-up once. Everything unconfirmed that an assessment rests on is
listed (``unconfirmed``) and warned about. See shared/domain/rules.md §6 and
shared/cli.md; the input model is claims/benefit_input.py.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from claims.benefit_input import (BenefitInput, Dependant, Medical, ParameterOverrides, Previous,  # noqa: F401
                                  parse_input)
from claims.enums import Outcome
from claims.errors import ClaimsError, FieldError
from claims.i18n import _
from claims.money import fen_to_str, round_half_up_fen, to_fen
from claims.monthly import dependant_end, month_after, month_of, retirement
from claims.parameters import PARAMETER_LABELS, ItemRule, ParameterTable, RuleSet, ruleset_for

# Which date picks the figure: death items use the death date, disability and
# care items the appraisal date, the hospital food allowance the accident date.
PARAMETER_DATE = {"benefit_base": "appraisal_date", "care_base": "appraisal_date",
                  "death_base": "death_date", "national_urban_income": "death_date",
                  "hospital_food_daily": "accident_date"}
MEDICAL_AMOUNTS = ("medical_expenses", "out_of_area_travel", "rehabilitation", "assistive_devices")

# --- output model ---------------------------------------------------------------


class AssessmentItem(BaseModel):
    code: str
    name: str
    period: Literal["once", "monthly"]
    amount_fen: int
    formula: str
    dependant: int | None = None
    first_month: str | None = None  # monthly items: the first month paid ("YYYY-MM")
    last_month: str | None = None  # monthly items: the last month paid, when an end is known
    end_reason: str = ""
    paid_before_fen: int | None = None  # a later appraisal: what earlier assessments granted


class UsedParameter(BaseModel):
    name: str
    label: str
    value: Decimal
    source: str
    status: str  # confirmed | unconfirmed | given
    unit: str = "元"


class Unconfirmed(BaseModel):
    """Something unconfirmed an assessment rests on, in words for the worker."""
    what: str
    source: str


class PriorItem(BaseModel):
    """A one-off item a later appraisal meets again: the full amount at the new
    grade, what was granted before, what is paid now and why."""
    code: str
    name: str
    full_fen: int
    before_fen: int
    pay_fen: int
    note: str


class Assessment(BaseModel):
    rule_set: str
    rule_set_name: str = ""
    items: list[AssessmentItem]
    once_total_fen: int
    monthly_total_fen: int
    parameters: list[UsedParameter]
    warnings: list[str]
    unconfirmed: list[Unconfirmed] = []
    previous: list[PriorItem] = []


# --- computation ------------------------------------------------------------------


def _num(d: Decimal | int) -> str:
    """40 -> "40", Decimal("37.50") -> "37.5" (no exponent)."""
    return format(Decimal(d).normalize(), "f")


def _yuan(d: Decimal) -> str:
    return fen_to_str(int(d * 100)) if d * 100 == int(d * 100) else _num(d)


Row = tuple[int, str, "int | None"]  # amount fen, formula, dependant index


class _Run:
    """One assessment being built: looks figures up once and collects what is unconfirmed."""

    def __init__(self, inp: BenefitInput, table: ParameterTable, rs: RuleSet):
        self.inp, self.table, self.rs = inp, table, rs
        self.used: dict[str, UsedParameter] = {}
        self.rule_warnings: list[str] = []
        self.param_warnings: list[str] = []
        self.notes: list[str] = []  # other warnings (dates, ceilings)
        self.unconfirmed: list[Unconfirmed] = []

    def flag(self, what: str, source: str, warning: str | None = None) -> None:
        """``what`` (words for the worker) is unconfirmed: listed once, and warned about."""
        if all(u.what != what for u in self.unconfirmed):
            self.unconfirmed.append(Unconfirmed(what=what, source=source))
            self.rule_warnings.append(warning or _("{what}未经确认（{source}），核定结果须复核").format(
                what=what, source=source))

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
                label = row.label or label
                self.used[name] = UsedParameter(name=name, label=label, value=row.value, source=row.source,
                                                status=row.status.value, unit=row.unit or "元")
                if row.status.value != "confirmed":
                    self.unconfirmed.append(Unconfirmed(what=_("{label}（{value} {unit}）").format(
                        label=label, value=_yuan(row.value), unit=row.unit or "元"), source=row.source))
                    self.param_warnings.append(_("参数“{label}”{value} 元未经确认（{source}），核定结果须复核").format(
                        label=label, value=_yuan(row.value), source=row.source))
        return self.used[name].value

    def item(self, code: str, rule: ItemRule) -> list[Row]:
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

    def dependants(self, rule: ItemRule) -> list[Row]:
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
        self.capped = True
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

    capped = False

    # -- when monthly items are paid ---------------------------------------------------
    def months(self, rule: ItemRule, dep: int | None) -> tuple[str | None, str | None, str]:
        """(first month, last month or None, why it ends) of a monthly item."""
        inp = self.inp
        if rule.starts == "month_after_death":
            first = month_after(inp.death_date)
        elif rule.starts == "month_after_appraisal":
            if inp.appraisal_date is None:
                self.note_once(_("未给出劳动能力鉴定结论日期，按月待遇的起始月份按事故日期推算，请复核"))
            first = month_after(inp.effective_appraisal_date)
        else:
            return None, None, ""
        if self.rs.timing.status != "confirmed":
            self.flag(_("按月待遇的起止月份"), self.rs.timing.source)
        if rule.ends == "dependant" and dep is not None:
            d = inp.dependants[dep]
            end, why = dependant_end(d.relation.value, d.birth_date, d.end_date, d.end_reason, rule.until_age)
            last = month_of(end) if end else None
            if last is not None and last < first:
                field = "end_date" if d.end_date else "birth_date"
                raise FieldError(f"dependants[{dep}].{field}", _(
                    "领取条件已于 {d}（{why}）终止，早于首次发放月份 {m}，不能列为供养亲属；仍在校就读的请填写领取终止日期")
                    .format(d=end.isoformat(), why=why, m=first))
            return first, last, why
        if rule.ends == "retirement" and inp.worker_birth_date and inp.worker_gender:
            r = retirement(inp.worker_birth_date, inp.worker_gender)
            if r.status != "confirmed":
                self.flag(_("伤残津贴发放至法定退休年龄（按{t}计算）").format(t=r.label), r.source)
            last = month_of(r.on)
            if last < first:
                self.note_once(_("已于 {d} 达到法定退休年龄，{n}不再按月发放，请复核").format(
                    d=r.on.isoformat(), n=rule.name))
            return first, last, _("达到法定退休年龄（{d}）").format(d=r.on.isoformat())
        return first, None, ""

    def note_once(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- a later appraisal: one-off items granted before ---------------------------------
    def later(self, code: str, name: str, rows: list[Row], prior: list[PriorItem]) -> list[Row]:
        prev, la = self.inp.previous, self.rs.later_appraisal
        if prev is None or code not in la.items:
            return rows
        before = to_fen(prev.once.get(code, Decimal(0)))
        full = sum(r[0] for r in rows)
        if not before:
            return rows
        grade, old = self.inp.disability_grade, prev.disability_grade
        rises = grade is not None and (old is None or grade < old)
        if la.policy == "full":
            pay, note = full, _("按新等级标准全额支付")
        elif not full:
            pay, note = 0, _("新的伤残等级不享受此项，已核定的不予追回")
        elif la.policy == "difference_if_higher" and rises:
            pay, note = max(0, full - before), _("伤残等级提高，补发差额")
        else:
            pay, note = 0, _("伤残等级未提高，不再支付") if la.policy == "difference_if_higher" else _("已支付过，不再支付")
        if la.status != "confirmed":
            self.flag(_("再次鉴定或复查鉴定后一次性待遇的补发办法"), la.source,
                      _("再次鉴定或复查鉴定后一次性待遇的补发办法未经确认（{s}），核定结果须复核").format(s=la.source))
        prior.append(PriorItem(code=code, name=name, full_fen=full, before_fen=before, pay_fen=pay, note=note))
        formula = _("{f} = {full}；此前已核定 {b}，{note}").format(
            f=rows[0][1] if len(rows) == 1 else "", full=fen_to_str(full), b=fen_to_str(before), note=note)
        return [(pay, formula, None)]

    def check_ceiling(self) -> None:
        row = self.table.lookup("medical_ceiling", self.inp.region, self.inp.accident_date)
        if row is None:
            return
        cap = to_fen(row.value)
        rs = self.rs
        for code in MEDICAL_AMOUNTS:
            fen = to_fen(getattr(self.inp.medical, code))
            if fen > cap:
                self.notes.append(_("“{name}”核定金额 {a} 元超过{label} {c} 元，请核对票据和核定依据").format(
                    name=rs.items[code].name if code in rs.items else code, a=fen_to_str(fen),
                    label=row.label or PARAMETER_LABELS["medical_ceiling"], c=fen_to_str(cap)))


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


def compute(inp: BenefitInput, table: ParameterTable, rules=None) -> Assessment:
    """Itemised assessment for one case; only the figures its items need are looked up.
    ``rules`` (accident date -> RuleSet) replaces the rule sets in force (a what-if scenario)."""
    rs = (rules or ruleset_for)(inp.accident_date)
    run = _Run(inp, table, rs)
    if rs.status != "confirmed":
        run.flag(_("“{name}”的待遇计发办法").format(name=rs.name), rs.source,
                 _("规则集“{name}”的待遇计发办法未经确认（{source}），核定结果须复核").format(name=rs.name, source=rs.source))
    if inp.outcome == Outcome.death and rs.death_rules[inp.death_cause.value].status != "confirmed":
        src = rs.death_rules[inp.death_cause.value].source
        run.flag(_("{cause}时的待遇范围").format(cause=inp.death_cause.label), src,
                 _("死亡待遇适用规则未经确认（{source}）").format(source=src))
    unknown = sorted(set(inp.previous.once) - set(rs.items)) if inp.previous else []
    if unknown:
        raise FieldError(f"previous.once.{unknown[0]}", _("未知的待遇项目代码"))
    items: list[AssessmentItem] = []
    prior: list[PriorItem] = []
    for code in _codes(inp, rs):
        rule = rs.items[code]
        rows = run.item(code, rule)
        if rule.period == "once":
            rows = run.later(code, rule.name, rows, prior)
        rows = [r for r in rows if r[0] != 0]
        for fen, formula, dep in rows:
            first, last, why = run.months(rule, dep) if rule.period == "monthly" else (None, None, "")
            if last is not None and last < first:  # ended before it would start: nothing to pay
                continue
            before = next((p.before_fen for p in prior if p.code == code), None)
            items.append(AssessmentItem(code=code, name=rule.name, period=rule.period, amount_fen=fen,
                                        formula=formula, dependant=dep, first_month=first, last_month=last,
                                        end_reason=why, paid_before_fen=before))
        if rows and rule.status != "confirmed" and any(i.code == code for i in items):
            run.flag(_("{name}的计发标准").format(name=rule.name), rule.source,
                     _("“{name}”的计发规则未经确认（{source}）").format(name=rule.name, source=rule.source))
    if run.capped and any(i.last_month for i in items if i.code == "dependant_pension"):
        run.notes.append(_("供养亲属抚恤金已按上限比例核减；其中有人领取终止后，其余供养亲属的抚恤金须重新核定"))
    run.check_ceiling()
    return Assessment(
        rule_set=rs.code, rule_set_name=rs.name, items=items,
        once_total_fen=sum(i.amount_fen for i in items if i.period == "once"),
        monthly_total_fen=sum(i.amount_fen for i in items if i.period == "monthly"),
        parameters=list(run.used.values()), warnings=run.rule_warnings + run.param_warnings + run.notes,
        unconfirmed=run.unconfirmed, previous=prior)


# --- JSON in and out ----------------------------------------------------------------


def assessment_to_json(a: Assessment, *, record: bool = False) -> dict:
    """The exact output shape of ``benefits`` in shared/cli.md; ``record``: with what the
    program keeps besides (the rule set's name, the unconfirmed list) for screens and notices."""
    items = []
    for i in a.items:
        d = {"code": i.code, "name": i.name, "period": i.period, "amount": fen_to_str(i.amount_fen),
             "formula": i.formula}
        if i.dependant is not None:
            d["dependant"] = i.dependant
        if i.period == "monthly" and i.first_month:
            d["from"] = i.first_month
            if i.last_month:
                d["until"] = i.last_month
                d["until_reason"] = i.end_reason
        if i.paid_before_fen is not None:
            d["paid_before"] = fen_to_str(i.paid_before_fen)
        items.append(d)
    out = {"rule_set": a.rule_set, "items": items,
           "once_total": fen_to_str(a.once_total_fen), "monthly_total": fen_to_str(a.monthly_total_fen),
           "parameters": [{"name": p.name, "value": _yuan(p.value), "source": p.source, "status": p.status}
                          for p in a.parameters],
           "warnings": list(a.warnings)}
    if a.previous:
        out["previous"] = [{"code": p.code, "name": p.name, "full": fen_to_str(p.full_fen),
                            "paid_before": fen_to_str(p.before_fen), "pays": fen_to_str(p.pay_fen), "note": p.note}
                           for p in a.previous]
    if record:
        out["rule_set_name"] = a.rule_set_name
        out["unconfirmed"] = [u.model_dump() for u in a.unconfirmed]
    return out


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
