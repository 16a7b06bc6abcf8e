"""Who may do what (domain README §2). Enforced in the store: hiding buttons
in the GUI is only a courtesy on top."""
from __future__ import annotations

from .errors import PermissionDenied

SM, AGENT, REV, ADMIN = "station_manager", "insurer_agent", "reviewer", "admin"
ALL = frozenset({SM, AGENT, REV, ADMIN})

RULES: dict[str, tuple[frozenset[str], str]] = {
    "platform.write": (frozenset({AGENT, REV, ADMIN}), "登记或修改平台、站点"),
    "worker.write": (ALL, "登记或修改人员与参保"),
    "worker.reveal": (ALL, "查看完整证件号码"),
    "case.report": (ALL, "报案"),
    "case.document": (ALL, "登记案件材料"),
    "case.transition": (frozenset({AGENT, REV, ADMIN}), "办理案件"),
    "case.decide": (frozenset({REV, ADMIN}), "作出确认或不予确认结论"),
    "assessment.prepare": (frozenset({AGENT, REV, ADMIN}), "待遇核定"),
    "assessment.approve": (frozenset({REV, ADMIN}), "批准待遇核定"),
    "payment.prepare": (frozenset({AGENT, REV, ADMIN}), "制作支付单"),
    "payment.approve": (frozenset({REV, ADMIN}), "审批支付"),
    "fee.write": (frozenset({SM, AGENT, ADMIN}), "缴费申报与订单导入"),
    "fee_rate.write": (frozenset({ADMIN}), "维护每单缴费金额"),
    "parameter.write": (frozenset({ADMIN}), "维护参数表"),
    "office.write": (frozenset({ADMIN}), "修改经办机构信息"),
    "user.admin": (frozenset({ADMIN}), "管理用户"),
    "backup": (frozenset({ADMIN}), "备份与恢复"),
    "database.encrypt": (frozenset({ADMIN}), "加密数据库或取消加密"),
    "exchange": (frozenset({AGENT, REV, ADMIN}), "收发站点间交换包"),
    "export.personal": (frozenset({ADMIN}), "导出含个人信息的数据"),
    "audit.view": (frozenset({REV, ADMIN}), "查看审计日志"),
    "report.office": (frozenset({AGENT, REV, ADMIN}), "生成经办机构的运行分析月报（含所有平台）"),
    "industry.write": (frozenset({ADMIN}), "新增或修改试点行业"),
    "whatif": (frozenset({AGENT, REV, ADMIN}), "进行政策测算（含所有平台的数据）"),
}

# Roles that work with whole identifiers on screen; others see them masked
# and may reveal one at a time (logged).
SEES_FULL_IDS = frozenset({AGENT, REV, ADMIN})


def allowed(role: str, action: str) -> bool:
    return role in RULES[action][0]


def require(actor, action: str) -> None:
    roles, what = RULES[action]
    if actor.role not in roles:
        from .enums import Role
        try:
            label = Role(actor.role).label
        except ValueError:
            label = actor.role
        raise PermissionDenied(f"{label}无权{what}")


def require_station(actor, station_id: str | None, what: str = "该记录") -> None:
    """A station manager never reaches beyond their own station."""
    if actor.role == SM and station_id != actor.station_id:
        raise PermissionDenied(f"站长只能处理本站点的{what}")


# -- a station manager's scope ------------------------------------------------
# The store applies it to every query and lookup: a filter narrows the scope,
# never widens it. A filter for another platform or station finds nothing
# (NOWHERE is an id no record has), rather than an error that names anyone.
NOWHERE = "\x00nowhere"


def own_platform(actor) -> str | None:
    """The platform a station manager is limited to (None: everyone else, unlimited)."""
    if actor is not None and actor.role == SM:
        return actor.platform_id or NOWHERE
    return None


def own_station(actor) -> str | None:
    """The station a station manager is limited to (None: everyone else, unlimited)."""
    if actor is not None and actor.role == SM:
        return actor.station_id or NOWHERE
    return None


def narrow(own: str | None, asked: str | None) -> str | None:
    """What a query is limited to: the scope ``own`` (None: unlimited) narrowed by
    the filter ``asked`` (None: any). Asking outside the scope gives NOWHERE."""
    if own is None:
        return asked
    if not asked or asked == own:
        return own
    return NOWHERE
