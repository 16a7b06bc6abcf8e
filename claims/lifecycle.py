"""The case lifecycle of domain/README.md §3: which transitions exist, and who
may make them. Side states (suspended, disputed) remember where they came from
and return there; while in them the deadline clocks stop."""
from __future__ import annotations

from .enums import CaseState as S
from .errors import InvalidTransition, PermissionDenied

# from-state -> allowed to-states
TRANSITIONS: dict[S, tuple[S, ...]] = {
    S.reported: (S.awaiting_documents, S.accepted, S.withdrawn, S.suspended),
    S.awaiting_documents: (S.accepted, S.withdrawn, S.suspended, S.closed),
    S.accepted: (S.investigating, S.awaiting_documents, S.withdrawn, S.suspended),
    S.investigating: (S.confirmed, S.rejected, S.awaiting_documents, S.withdrawn, S.suspended),
    S.confirmed: (S.appraisal, S.assessed, S.disputed),
    S.rejected: (S.disputed, S.closed),
    S.appraisal: (S.appraised, S.suspended),
    S.appraised: (S.assessed, S.appraisal, S.disputed),
    S.assessed: (S.paid, S.disputed, S.appraisal),
    S.paid: (S.closed, S.appraisal),
    S.closed: (),
    S.withdrawn: (),
    # side states: resume to the state they interrupted, or a decision after review
    S.suspended: (),
    S.disputed: (S.confirmed, S.rejected),
}

SIDE_STATES = (S.suspended, S.disputed)
PAUSED_STATES = SIDE_STATES
TERMINAL = (S.closed, S.withdrawn)

# Transitions that are decisions and need a reviewer (or administrator).
REVIEWER_ONLY = {S.confirmed, S.rejected}

# Short Chinese names of the actions, for buttons and the history.
ACTION_LABELS: dict[S, str] = {
    S.awaiting_documents: "发出一次性补正告知", S.accepted: "受理", S.investigating: "开始调查",
    S.confirmed: "予以确认", S.rejected: "不予确认", S.appraisal: "申请劳动能力鉴定",
    S.appraised: "录入鉴定结论", S.assessed: "待遇核定", S.paid: "支付完成", S.closed: "结案",
    S.withdrawn: "撤回", S.disputed: "登记争议", S.suspended: "中止",
}


def allowed(current: S, resume_to: S | None = None) -> tuple[S, ...]:
    """Targets reachable from ``current``; ``resume_to`` is the state a side
    state interrupted (from the case history)."""
    targets = TRANSITIONS[current]
    if current in SIDE_STATES and resume_to is not None and resume_to not in targets:
        targets = (resume_to, *targets)
    return targets


def check(current: S, target: S, resume_to: S | None = None, role: str = "admin") -> None:
    if current in TERMINAL:
        raise InvalidTransition(f"案件已{current.label}，不能再变更状态")
    if target not in allowed(current, resume_to):
        ok = "、".join(t.label for t in allowed(current, resume_to)) or "无"
        raise InvalidTransition(f"案件当前为“{current.label}”，不能转为“{target.label}”（可转为：{ok}）")
    if target in REVIEWER_ONLY and role not in ("reviewer", "admin"):
        raise PermissionDenied(f"“{ACTION_LABELS[target]}”须由审核人作出")
