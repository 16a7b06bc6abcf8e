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


class Industry(Labeled):
    ride_hailing = "ride_hailing"
    food_delivery = "food_delivery"
    instant_delivery = "instant_delivery"
    intra_city_freight = "intra_city_freight"


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
    "Industry": {
        "ride_hailing": "出行",
        "food_delivery": "外卖",
        "instant_delivery": "即时配送",
        "intra_city_freight": "同城货运",
    },
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
