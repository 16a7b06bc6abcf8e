"""The handling office's details printed on documents: its name, address and
telephone on every receipt and notice, the review authority and court named in
decisions (the applicant's rights), the appraisal committee, and the insurer
named on fee statements. An administrator keeps them in 设置 › 经办机构 (or with
`python main.py office set`); until then the printouts carry the defaults below,
four of which are obvious placeholders (printing a decision warns about the
review authority and the court while they are unset)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FieldError

# The documents whose rights paragraph names the review authority and the court.
RIGHTS_DOCUMENTS = ("confirmation_decision", "refusal_decision", "benefit_notice")
RIGHTS_KEYS = ("office.review_authority", "office.court")


@dataclass(frozen=True)
class OfficeField:
    key: str
    label: str
    default: str
    hint: str
    required: bool = True
    placeholder: bool = False  # the default is not fit to print: it must be filled in


OFFICE_FIELDS: tuple[OfficeField, ...] = (
    OfficeField("office.name", "经办机构名称", "上海市职业伤害保障承办机构（演示）",
                "印在每份回执、告知书、决定书的落款", placeholder=True),
    OfficeField("office.address", "地址", "上海市（地址请在设置中填写）",
                "补正材料告知书上“提交地点”即此地址", placeholder=True),
    OfficeField("office.phone", "联系电话", "12333", "回执与告知书上的咨询电话，如 021-12345678"),
    # Who hears a review, and which court, depend on who issues the decision (since the
    # 2023 行政复议法 often the people's government at the same level): no authority is
    # asserted by default (rules.md §3).
    OfficeField("office.review_authority", "行政复议机关", "【待填写：行政复议机关】",
                "确认结论书、待遇核定通知书告知的复议机关，视作出决定的机关而定（如某区人民政府）",
                placeholder=True),
    OfficeField("office.court", "诉讼管辖法院", "【待填写：诉讼管辖法院】",
                "决定书告知的起诉法院（如某区人民法院）", placeholder=True),
    OfficeField("office.appraisal_committee", "劳动能力鉴定委员会", "上海市劳动能力鉴定委员会",
                "劳动能力鉴定申请表的受理机构"),
    OfficeField("office.insurer", "承办保险公司", "", "缴费对账单上的署名；不填则用经办机构名称", required=False),
)
OFFICE_DEFAULTS: dict[str, str] = {f.key: f.default for f in OFFICE_FIELDS}
FIELDS_BY_KEY = {f.key: f for f in OFFICE_FIELDS}
KEYS_BY_LABEL = {f.label: f.key for f in OFFICE_FIELDS}

_PHONE = re.compile(r"^[0-9（）()\-－ ]{3,30}(转 ?[0-9]{1,6})?$")
MAX_LEN = 100


def resolve_key(name: str) -> str:
    """'office.name', 'name' or '经办机构名称' → 'office.name'."""
    name = name.strip()
    for candidate in (name, f"office.{name}", KEYS_BY_LABEL.get(name, "")):
        if candidate in FIELDS_BY_KEY:
            return candidate
    raise FieldError("项目", f"没有“{name}”这一项；可填：" + "、".join(f.label for f in OFFICE_FIELDS))


def check_office_values(values: dict[str, str]) -> dict[str, str]:
    """The values cleaned (whitespace trimmed); a FieldError names the first bad field."""
    out = {}
    for key, value in values.items():
        f = FIELDS_BY_KEY.get(key)
        if f is None:
            raise FieldError("项目", f"没有“{key}”这一项")
        value = " ".join((value or "").split())
        if f.required and not value:
            raise FieldError(f.label, "不能为空（打印件上要用）")
        if len(value) > MAX_LEN:
            raise FieldError(f.label, f"太长（{len(value)} 字），最多 {MAX_LEN} 字")
        if key == "office.phone" and not _PHONE.match(value):
            raise FieldError(f.label, "只能包含数字、括号、连字符和空格，分机写作“转 123”，如 021-12345678")
        if f.placeholder and value == f.default:
            raise FieldError(f.label, "仍是占位文字，请填写实际的内容")
        out[key] = value
    return out
