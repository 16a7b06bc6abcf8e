"""Stable lowercase codes with their Chinese labels, in one place."""
from __future__ import annotations

from enum import StrEnum


class Labeled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def from_text(cls, text: str):
        """Accept the code or the Chinese label."""
        t = (text or "").strip()
        for m in cls:
            if t == m.value or t == m.label:
                return m
        raise ValueError(t)


class _IndustryType(type):
    """Iterating ``Industry`` gives the industries of the open database (data,
    claims/industries.py), in display order, like iterating an enum."""

    def __iter__(cls):
        return iter([cls(code) for code in _industries().codes()])

    def __len__(cls) -> int:
        return len(_industries().codes())

    def __contains__(cls, item) -> bool:
        return str(item) in _industries().registry()


class Industry(str, metaclass=_IndustryType):
    """An industry code with its Chinese name. Industries are data (an
    administrator adds them from 2027), so this is not an enum; it keeps the
    enum's call shape: ``Industry(code)`` (ValueError for an unknown code),
    ``.value``, ``.label``, ``Industry.from_text``, iteration, and the four
    pilot codes as attributes (``Industry.instant_delivery``)."""

    __slots__ = ()
    ride_hailing: "Industry"
    food_delivery: "Industry"
    instant_delivery: "Industry"
    intra_city_freight: "Industry"

    def __new__(cls, value):
        if isinstance(value, Industry):
            return value
        code = str(value)
        if code not in _industries().registry():
            raise ValueError(f"{code!r} is not a valid Industry")
        return str.__new__(cls, code)

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def name(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _industries().label(self.value)

    def __repr__(self) -> str:
        return f"Industry({self.value!r})"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __reduce__(self):
        return (Industry, (self.value,))

    @classmethod
    def from_text(cls, text: str) -> "Industry":
        """Accept the code or the Chinese name."""
        t = (text or "").strip()
        for code in _industries().codes():
            if t == code or t == _industries().label(code):
                return cls(code)
        raise ValueError(t)

    @classmethod
    def __get_pydantic_core_schema__(cls, _source, _handler):
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str))

    @classmethod
    def _validate(cls, v):
        if not isinstance(v, str):
            raise ValueError("industry code must be text")
        return cls(v)


def _industries():
    from . import industries
    return industries


for _code in ("ride_hailing", "food_delivery", "instant_delivery", "intra_city_freight"):
    setattr(Industry, _code, str.__new__(Industry, _code))  # the four pilot codes: stable
del _code


class CaseState(Labeled):
    reported = "reported"
    awaiting_documents = "awaiting_documents"
    accepted = "accepted"
    investigating = "investigating"
    confirmed = "confirmed"
    rejected = "rejected"
    appraisal = "appraisal"
    appraised = "appraised"
    assessed = "assessed"
    paid = "paid"
    closed = "closed"
    withdrawn = "withdrawn"
    disputed = "disputed"
    suspended = "suspended"


class Role(Labeled):
    station_manager = "station_manager"
    insurer_agent = "insurer_agent"
    reviewer = "reviewer"
    admin = "admin"


class Outcome(Labeled):
    injury = "injury"
    disability = "disability"
    death = "death"


class CareLevel(Labeled):
    full = "full"
    most = "most"
    partial = "partial"


class DeathCause(Labeled):
    injury = "injury"
    other = "other"


class Relation(Labeled):
    spouse = "spouse"
    child = "child"
    parent = "parent"
    grandparent = "grandparent"
    grandchild = "grandchild"
    sibling = "sibling"


class DeclarationStatus(Labeled):
    draft = "draft"
    declared = "declared"
    paid = "paid"
    partly_paid = "partly_paid"
    overdue = "overdue"


class EnrollmentStatus(Labeled):
    active = "active"
    ended = "ended"
    suspended = "suspended"


class PaymentStatus(Labeled):
    prepared = "prepared"
    approved = "approved"
    cancelled = "cancelled"


class ParamStatus(Labeled):
    confirmed = "confirmed"
    unconfirmed = "unconfirmed"
    given = "given"


class AdvancerKind(Labeled):
    platform = "platform"
    employer = "employer"
    other = "other"


class Channel(Labeled):
    phone = "phone"
    counter = "counter"
    platform = "platform"
    online = "online"


_LABELS: dict[str, dict[str, str]] = {
    "CaseState": {
        "reported": "报案",
        "awaiting_documents": "材料待补",
        "accepted": "受理",
        "investigating": "调查",
        "confirmed": "确认",
        "rejected": "不予确认",
        "appraisal": "劳动能力鉴定",
        "appraised": "鉴定完成",
        "assessed": "待遇核定",
        "paid": "支付",
        "closed": "结案",
        "withdrawn": "撤回",
        "disputed": "争议",
        "suspended": "中止",
    },
    "Role": {
        "station_manager": "站长",
        "insurer_agent": "承办机构经办人",
        "reviewer": "审核人",
        "admin": "管理员",
    },
    "Outcome": {"injury": "受伤", "disability": "伤残", "death": "死亡"},
    "CareLevel": {"full": "完全不能自理", "most": "大部分不能自理", "partial": "部分不能自理"},
    "DeathCause": {"injury": "因职业伤害死亡", "other": "因其他原因死亡"},
    "Relation": {
        "spouse": "配偶",
        "child": "子女",
        "parent": "父母",
        "grandparent": "祖父母/外祖父母",
        "grandchild": "孙子女/外孙子女",
        "sibling": "兄弟姐妹",
    },
    "DeclarationStatus": {
        "draft": "草稿",
        "declared": "已申报",
        "paid": "已缴清",
        "partly_paid": "部分缴纳",
        "overdue": "逾期",
    },
    "EnrollmentStatus": {"active": "在保", "ended": "已终止", "suspended": "暂停"},
    "PaymentStatus": {"prepared": "待审批", "approved": "已审批", "cancelled": "已作废"},
    "ParamStatus": {"confirmed": "已确认", "unconfirmed": "未确认", "given": "手工指定"},
    "AdvancerKind": {"platform": "平台企业", "employer": "用工单位", "other": "其他"},
    "Channel": {"phone": "电话", "counter": "窗口", "platform": "平台转报", "online": "线上"},
}
