"""What happens next on a case, who must do it, and by when — derived from the
case's state, its documents, the approvals waiting (maker-checker) and its clock.
The case view says it; the home screen's to-do lists are made of it, so a user's
list holds only what that user can do (a station manager's: documents)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .enums import CaseState as S
from .enums import Role
from .i18n import _
from .permissions import ADMIN, AGENT, REV, SM

OFFICE = frozenset({AGENT, REV, ADMIN})  # the insurer's own staff
CHECKERS = frozenset({REV, ADMIN})
ANYONE = frozenset({SM, AGENT, REV, ADMIN})


@dataclass(frozen=True)
class NextStep:
    what: str  # 受理, 批准待遇核定 HD2025-…, …
    roles: frozenset[str]  # who may do it
    by: date | None = None  # the case's deadline, when the step has one
    not_by: str = ""  # a user who may not (the maker of what waits for approval)
    note: str = ""  # what the step waits for or why, in a sentence
    record: str = ""  # the assessment or payment number the step is about
    kind: str = "case"  # case / documents / assessment / payment

    @property
    def who(self) -> str:
        """The role(s) in words: 审核人, 承办机构经办人 …"""
        if self.roles == OFFICE:
            return _("承办机构经办人")
        if self.roles == ANYONE:
            return _("站长或承办机构经办人")
        if self.roles >= CHECKERS and AGENT not in self.roles:
            return Role(REV).label
        return "、".join(Role(r).label for r in sorted(self.roles, key=list(Role).index) if r != ADMIN) or \
            Role(ADMIN).label

    def can(self, actor) -> tuple[bool, str]:
        """Whether ``actor`` may take this step; if not, why (in a sentence)."""
        if actor.role not in self.roles:
            return False, _("须由{who}办理").format(who=self.who)
        if self.not_by and self.not_by == actor.username:
            return False, _("等待另一位审核人：制单或核定的人不能批准自己的") if self.kind in ("assessment", "payment") \
                else _("须由另一人办理")
        return True, ""


def next_step(store, case, today: date | None = None) -> NextStep | None:
    """The one step the case waits for now (None: the case is over)."""
    st, by = case.state, case.due_on
    if st in (S.closed, S.withdrawn):
        return None
    if st in (S.reported, S.awaiting_documents):
        missing = store.missing_documents(case.id)
        if missing:
            names = "、".join(m.label for m in missing[:3]) + (_("等") if len(missing) > 3 else "")
            if st == S.awaiting_documents:
                return NextStep(_("补正材料（缺 {n} 项）").format(n=len(missing)), ANYONE, by,
                                note=_("缺：{m}。已发出一次性告知，材料齐全后由经办人受理").format(m=names),
                                kind="documents")
            return NextStep(_("收齐材料（缺 {n} 项），受理或一次性告知").format(n=len(missing)), ANYONE, by,
                            note=_("缺：{m}。站长可登记收到的材料；受理或告知由经办人办理").format(m=names),
                            kind="documents")
        return NextStep(_("受理"), OFFICE, by, note=_("材料已齐全"))
    if st == S.accepted:
        return NextStep(_("开始调查"), OFFICE, by)
    if st == S.investigating:
        return NextStep(_("作出确认或不予确认的结论"), CHECKERS, by, note=_("调查核实后由审核人作出结论"))
    if st == S.confirmed:
        returned = _last_returned(store, case.id)
        if returned is not None:
            return NextStep(_("重新核定待遇"), OFFICE, by, note=_("核定 {n} 被{who}退回：{r}").format(
                n=returned.number, who=store.display_name(returned.returned_by), r=returned.return_reason),
                record=returned.number)
        return NextStep(_("申请劳动能力鉴定，或（无伤残时）核定待遇"), OFFICE, by)
    if st == S.rejected:
        return NextStep(_("结案（复议和诉讼期限届满后），或登记争议"), OFFICE, case.lawsuit_until or by)
    if st == S.appraisal:
        return NextStep(_("录入鉴定结论"), OFFICE, by)
    if st == S.appraised:
        returned = _last_returned(store, case.id)
        note = _("核定 {n} 被{who}退回：{r}").format(n=returned.number, who=store.display_name(returned.returned_by),
                                                 r=returned.return_reason) if returned is not None else ""
        return NextStep(_("重新核定待遇") if returned else _("核定待遇"), OFFICE, by, note=note,
                        record=returned.number if returned else "")
    if st in (S.assessed, S.paid):
        return _money_step(store, case, by)
    if st == S.disputed:
        return NextStep(_("复议或诉讼后重新作出结论"), CHECKERS, by)
    if st == S.suspended:
        return NextStep(_("有关认定作出后恢复办理"), OFFICE, None, note=_("中止期间时限停止计算"))
    return None


def _last_returned(store, case_id: str):
    """The latest assessment, when it was returned to its maker (so the case waits for a new one)."""
    last = store.assessments_of(case_id)
    return last[-1] if last and last[-1].status == "returned" else None


def _money_step(store, case, by) -> NextStep:
    draft = next((a for a in store.assessments_of(case.id) if a.status == "draft"), None)
    if draft is not None:
        return NextStep(_("批准待遇核定 {n}").format(n=draft.number), CHECKERS, by, not_by=draft.prepared_by,
                        note=_("由{who}核定，须另一人批准或退回").format(who=store.display_name(draft.prepared_by)),
                        record=draft.number, kind="assessment")
    pays = store.payments_of(case.id)
    waiting = [p for p in pays if p.status.value == "prepared"]
    if waiting:
        p = waiting[0]
        more = _("（另有 {n} 笔）").format(n=len(waiting) - 1) if len(waiting) > 1 else ""
        return NextStep(_("审批支付 {n}{more}").format(n=p.number, more=more), CHECKERS, p.due_on or by,
                        not_by=p.prepared_by, note=_("由{who}制单，须另一人审批或退回").format(
                            who=store.display_name(p.prepared_by)), record=p.number, kind="payment")
    returned = [p for p in pays if p.returned_by]
    approved = [a for a in store.assessments_of(case.id) if a.status == "approved"]
    if case.state == S.assessed:
        if not any(p.status.value == "approved" for p in pays):
            note = ""
            if returned:
                r = returned[-1]
                note = _("支付 {n} 被{who}退回：{r}").format(n=r.number, who=store.display_name(r.returned_by),
                                                         r=r.cancel_reason)
            return NextStep(_("制作支付单"), OFFICE, by, note=note or _("待遇核定已批准"),
                            record=approved[-1].number if approved else "")
        return NextStep(_("登记支付完成，或安排其余支付"), OFFICE, by)
    return NextStep(_("按月支付，或结案"), OFFICE, None)


def step_text(step: NextStep | None) -> str:
    """One line: 下一步：审批支付 ZF…，由审核人办理，2025-11-30 前"""
    if step is None:
        return _("案件已办结，没有待办的步骤。")
    by = _("，{d} 前").format(d=step.by.isoformat()) if step.by else ""
    return _("下一步：{w}，由{who}办理{by}").format(w=step.what, who=step.who, by=by)
