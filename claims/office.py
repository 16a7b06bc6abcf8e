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
# Document numbers in the office's own style, per kind, counted per year: {年份}
# is the year of issue, {序号} the running number of that kind in that year. A
# number is given once, when the document is first issued, and kept.
NUMBER_PATTERNS: dict[str, tuple[str, str]] = {  # doc code -> (label, default)
    "report_receipt": ("报案回执编号格式", "沪职伤报〔{年份}〕第{序号}号"),
    "document_receipt": ("材料接收凭证编号格式", "沪职伤收〔{年份}〕第{序号}号"),
    "acceptance_notice": ("受理通知书文号格式", "沪职伤受〔{年份}〕第{序号}号"),
    "missing_documents_notice": ("补正告知书文号格式", "沪职伤补〔{年份}〕第{序号}号"),
    "suspension_notice": ("中止通知书文号格式", "沪职伤中〔{年份}〕第{序号}号"),
    "withdrawal_confirmation": ("撤回确认书文号格式", "沪职伤撤〔{年份}〕第{序号}号"),
    "confirmation_decision": ("确认结论书文号格式", "沪职伤确〔{年份}〕第{序号}号"),
    "refusal_decision": ("不予确认结论书文号格式", "沪职伤不确〔{年份}〕第{序号}号"),
    "benefit_notice": ("待遇核定通知书文号格式", "沪职保待〔{年份}〕第{序号}号"),
    "pension_schedule": ("抚恤金支付明细编号格式", "沪职保抚〔{年份}〕第{序号}号"),
    "advance_statement": ("垫付情况说明编号格式", "沪职保垫〔{年份}〕第{序号}号"),
    "payment_voucher": ("支付凭证编号格式", "沪职保付〔{年份}〕第{序号}号"),
    "enrollment_certificate": ("参保证明编号格式", "沪职保证〔{年份}〕第{序号}号"),
    "reconciliation_statement": ("缴费对账单编号格式", "沪职保对〔{年份}〕第{序号}号"),
}
OFFICE_FIELDS += tuple(
    OfficeField(f"office.number.{code}", label, default, "文书上的编号；{年份}为出具年份，{序号}为该类文书当年的流水号")
    for code, (label, default) in NUMBER_PATTERNS.items())
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
        if key.startswith("office.number."):
            check_pattern(f.label, value)
        out[key] = value
    return out


_SLOT = re.compile(r"\{([^{}]*)\}")


def check_pattern(label: str, pattern: str) -> None:
    slots = _SLOT.findall(pattern)
    if "序号" not in slots:
        raise FieldError(label, "须含有{序号}，如 沪职伤确〔{年份}〕第{序号}号")
    odd = [x for x in slots if x not in ("年份", "序号")]
    if odd:
        raise FieldError(label, "只能使用{年份}和{序号}，不认识“{" + odd[0] + "}”")


def format_number(pattern: str, year: int, seq: int) -> str:
    """``沪职伤确〔{年份}〕第{序号}号`` → ``沪职伤确〔2026〕第12号``."""
    return pattern.replace("{年份}", str(year)).replace("{序号}", str(seq))
