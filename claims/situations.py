"""What a confirmation decision rests on (rules.md §3), as dated data per rule
set: the six items of article 10(1) that are confirmed, the items deemed to be
an occupational injury (10(2)), the exclusions (art. 11), each with its code,
wording, kind and article, and the title of the measure of the rule set.
Shipped in ``resources/rules/situations.json``; an administrator corrects the
wording in the database (``Store.situations``), and a decision keeps the text
it was issued with. 《工伤保险条例》 is never the basis of a decision."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from .errors import FieldError
from .i18n import _
from .resources import load_json

KINDS = {"confirm": _("予以确认"), "deemed": _("视同职业伤害"), "exclude": _("不得认定"),
         "not_met": _("不符合确认情形")}
CONCLUSIONS = {"confirm": _("属于职业伤害，予以确认"), "deemed": _("视同职业伤害，予以确认"),
               "exclude": _("不属于职业伤害，不予确认"), "not_met": _("不属于职业伤害，不予确认")}
# Not a legal basis of a confirmation: refused in a decision's basis (rules.md §3).
NOT_A_BASIS = "工伤保险条例"
# A refusal that cites no exclusion: the rule that was not met is the first item.
NOT_MET = "order_task"


@dataclass(frozen=True)
class Situation:
    code: str
    kind: str  # confirm / deemed / exclude (not_met: a refusal that cites no exclusion)
    wording: str
    article: str  # 第十条第一款第（一）项
    status: str  # confirmed / unconfirmed (the wording)
    rule_set: str
    measure: str  # 《…办法（试行）》
    source: str = ""  # who corrected the wording, or empty for the shipped text
    label: str = ""  # a short name for lists and statistics

    @property
    def citation(self) -> str:
        return f"{self.measure}{self.article}"

    @property
    def conclusion(self) -> str:
        return CONCLUSIONS[self.kind]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def snapshot(self) -> dict:
        """What a decision keeps of the situation it cites."""
        return asdict(self)

    @classmethod
    def from_snapshot(cls, data: dict) -> "Situation":
        return cls(**{k: data.get(k, "") for k in cls.__dataclass_fields__})


def labels() -> dict[str, str]:
    """code -> short name (the newest rule set's), for statistics."""
    out = {}
    for data in shipped().values():
        out.update({s["code"]: s.get("label") or s["wording"] for s in data["situations"]})
    return out


def shipped() -> dict:
    return load_json("rules/situations.json")["rule_sets"]


def rule_set_codes() -> list[str]:
    return list(shipped())


def measure_of(rule_set: str) -> str:
    return shipped()[rule_set]["measure"]


def rule_set_on(accident_day: date) -> str:
    """The rule set in force on the accident date (rules.md §1)."""
    from .parameters import ruleset_for
    try:
        return ruleset_for(accident_day).code
    except FieldError as e:
        raise FieldError(_("事故时间"), e.detail) from None


def situations_of(rule_set: str, overrides: dict[str, dict] | None = None) -> list[Situation]:
    """The rule set's situations in the data's order, with the administrator's corrections over them."""
    data = shipped().get(rule_set)
    if data is None:
        raise FieldError(_("规则集"), _("没有“{r}”的确认情形").format(r=rule_set))
    out = []
    for s in data["situations"]:
        o = (overrides or {}).get(s["code"], {})
        out.append(Situation(code=s["code"], kind=s["kind"], wording=o.get("wording") or s["wording"],
                             article=o.get("article") or s["article"], status=o.get("status") or s["status"],
                             rule_set=rule_set, measure=data["measure"], source=o.get("source", ""),
                             label=s.get("label", "")))
    return out


def check_basis(text: str) -> str:
    """A decision's further basis as typed: never 《工伤保险条例》."""
    text = " ".join((text or "").split())
    if NOT_A_BASIS in text:
        raise FieldError(_("法律依据"), _("《工伤保险条例》不是职业伤害确认的依据，不能写入决定书的依据"))
    return text
