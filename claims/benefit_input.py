"""The input of a benefit assessment (shared/cli.md ``benefits``): validated
with pydantic; anything impossible is refused with a FieldError naming the
field (``dependants[1].orphan``), so bad input never reaches a formula."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from claims.enums import CareLevel, DeathCause, Labeled, Outcome, Relation
from claims.errors import ClaimsError, FieldError
from claims.i18n import _
from claims.money import to_fen


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


def _opt_date(v: Any) -> Any:
    return v if v is None else _date(v)


def _code(enum: type[Labeled], v: Any) -> Any:
    if v is None or isinstance(v, enum):
        return v
    try:
        return enum.from_text(v if isinstance(v, str) else "")
    except ValueError:
        raise ValueError(_("取值应为 {codes} 之一").format(codes="、".join(m.value for m in enum))) from None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Which relations can be a lone elder (孤寡老人) or an orphan (孤儿) at all.
LONE_ELDER_RELATIONS = frozenset({Relation.parent, Relation.grandparent, Relation.sibling})
ORPHAN_RELATIONS = frozenset({Relation.child, Relation.grandchild, Relation.sibling})


class Dependant(_Model):
    relation: Relation
    lone_elder: bool = Field(default=False, strict=True)
    orphan: bool = Field(default=False, strict=True)
    name: str = ""
    birth_date: date | None = None
    end_date: date | None = None  # when the entitlement ends, when known (leaving school, …)
    end_reason: str = ""

    _relation = field_validator("relation", mode="before")(lambda v: _code(Relation, v))
    _dates = field_validator("birth_date", "end_date", mode="before")(_opt_date)


def dependant_problem(d, i: int, spouse_alive: bool = False) -> FieldError | None:
    """What makes dependant ``d`` (at index ``i``) impossible, as a FieldError naming
    the field; ``spouse_alive``: the deceased's spouse is a dependant or recorded alive.
    Shared by the engine and the store (claims/store/dependants.py)."""
    rel = Relation(d.relation)
    at = f"dependants[{i}]"
    if d.lone_elder and d.orphan:
        return FieldError(f"{at}.orphan", _("不能同时是孤寡老人和孤儿"))
    if d.lone_elder and rel not in LONE_ELDER_RELATIONS:
        return FieldError(f"{at}.lone_elder", _("{r}不能按孤寡老人计发（孤寡老人只能是父母、祖父母或兄弟姐妹）")
                          .format(r=rel.label))
    if d.orphan and rel not in ORPHAN_RELATIONS:
        return FieldError(f"{at}.orphan", _("{r}不能按孤儿计发（孤儿只能是子女、孙子女或兄弟姐妹）").format(r=rel.label))
    if d.orphan and rel == Relation.child and spouse_alive:
        return FieldError(f"{at}.orphan", _("死者的配偶（子女的父亲或母亲）健在，子女不能按孤儿计发"))
    if d.birth_date and d.end_date and d.end_date < d.birth_date:
        return FieldError(f"{at}.end_date", _("领取终止日期不能早于出生日期"))
    return None


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


class Previous(_Model):
    """What earlier assessments of the same case granted (a re-appraisal or review
    appraisal): the grade they were based on and the one-off amounts per item."""
    disability_grade: int | None = Field(default=None, ge=1, le=10, strict=True)
    once: dict[str, Decimal] = {}

    @field_validator("once", mode="before")
    @classmethod
    def _amounts(cls, v):
        if not isinstance(v, dict):
            raise ValueError(_("应为 JSON 对象（项目代码 → 金额）"))
        return {k: _money(x) for k, x in v.items()}


class BenefitInput(_Model):
    region: str
    accident_date: date
    outcome: Outcome
    disability_grade: int | None = Field(default=None, ge=1, le=10, strict=True)
    care_level: CareLevel | None = None
    death_date: date | None = None
    death_cause: DeathCause | None = None
    appraisal_date: date | None = None
    treatment_end_date: date | None = None  # 医疗终结: a death before it is a death of the injury
    worker_birth_date: date | None = None  # for the retirement age that ends 伤残津贴
    worker_gender: Literal["male", "female"] | None = None
    dependants: list[Dependant] = []
    medical: Medical = Medical()
    parameters: ParameterOverrides = ParameterOverrides()
    previous: Previous | None = None

    _dates = field_validator("accident_date", "death_date", "appraisal_date", "treatment_end_date",
                             "worker_birth_date", mode="before")(_opt_date)
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
        forbid("treatment_end_date", self.treatment_end_date is not None
               and self.treatment_end_date < self.accident_date, _("医疗终结日期不能早于事故日期"))
        if o == Outcome.death:
            self._death_checks(forbid)
        else:
            forbid("death_date", self.death_date is not None, _("仅在结果为死亡时填写"))
            forbid("death_cause", self.death_cause is not None, _("仅在结果为死亡时填写"))
            forbid("dependants", bool(self.dependants), _("供养亲属仅在结果为死亡时填写"))
        forbid("appraisal_date", self.appraisal_date is not None and self.appraisal_date < self.accident_date,
               _("鉴定日期不能早于事故日期"))
        return self

    def _death_checks(self, forbid) -> None:
        if self.death_date is None:
            raise FieldError("death_date", _("死亡时必须填写死亡日期"))
        if self.death_cause is None:
            raise FieldError("death_cause", _("死亡时必须填写死亡原因（injury 或 other）"))
        forbid("death_date", self.death_date < self.accident_date, _("死亡日期不能早于事故日期"))
        in_treatment = self.treatment_end_date is not None and self.death_date <= self.treatment_end_date
        forbid("death_cause", in_treatment and self.death_cause == DeathCause.other,
               _("死亡发生在医疗终结（{d}）之前，属治疗期间死亡，应按因职业伤害死亡核定").format(
                   d=self.treatment_end_date.isoformat() if self.treatment_end_date else ""))
        spouses = [i for i, d in enumerate(self.dependants) if d.relation == Relation.spouse]
        if len(spouses) > 1:
            raise FieldError(f"dependants[{spouses[1]}].relation", _("供养亲属中最多只能有一名配偶"))
        for i, d in enumerate(self.dependants):
            bad = dependant_problem(d, i, spouse_alive=bool(spouses))
            if bad is not None:
                raise bad

    @property
    def effective_appraisal_date(self) -> date:
        return self.appraisal_date or self.accident_date


_ERROR_TEXT = {"missing": "必填", "extra_forbidden": "未知字段", "int_type": "应为整数",
               "int_parsing": "应为整数", "bool_type": "应为 true 或 false", "string_type": "应为字符串",
               "list_type": "应为列表", "model_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
               "literal_error": "取值无效", "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}"}


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
