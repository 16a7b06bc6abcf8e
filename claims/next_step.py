"""What happens next on a case, who must do it, and by when — derived from the
case's state, its documents, the approvals waiting (maker-checker) and its clock.
The case view says it; the home screen's to-do lists are made of it, so a user's
list holds only what that user can do (a station manager's: documents)."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .enums import CaseState as S
from .enums import Role
from .i18n import _
from .permissions import ADMIN, AGENT, REV, SM

OFFICE = frozenset({AGENT, REV, ADMIN})  # the insurer's own staff
CHECKERS = frozenset({REV, ADMIN})
ANYONE = frozenset({SM, AGENT, REV, ADMIN})


# Named tuples, not dataclasses: the home screen loads this module as it fills its first figures,
# where a dataclass's generated methods would cost more than working out the steps.
class NextStep(NamedTuple):
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


class Waiting(NamedTuple):
    """Something made by one user that waits for another's approval (an assessment or a payment)."""
    number: str
    maker: str  # login of the maker (who may not approve it)
    maker_name: str  # the maker in words
    due_on: date | None = None


class Returned(NamedTuple):
    """The latest assessment or payment a reviewer returned to its maker."""
    number: str
    by: str  # the reviewer in words
    reason: str


class CaseFacts(NamedTuple):
    """What the next step of a case depends on: its state and clocks, the documents it
    lacks, and what waits for approval or came back. ``next_step`` gathers them from the
    models; the home screen from plain rows (claims/store/home_queries.py), so that both
    say the same step."""
    state: S
    due_on: date | None = None
    lawsuit_until: date | None = None
    missing: tuple[str, ...] = ()  # labels of the documents still missing (reported, awaiting documents)
    returned_assessment: Returned | None = None  # the latest assessment, when it was returned
    draft_assessment: Waiting | None = None
    waiting_payments: tuple[Waiting, ...] = ()  # prepared, waiting for approval (earliest first)
    returned_payment: Returned | None = None  # the latest payment returned to its maker
    any_payment_approved: bool = False
    approved_assessment: str = ""  # the number of the latest approved assessment


def next_step(store, case, today: date | None = None) -> NextStep | None:
    """The one step the case waits for now (None: the case is over)."""
    return step_for(case_facts(store, case))


def case_facts(store, case) -> CaseFacts:
    """The facts of ``case`` (a Case model) from the store."""
    st = case.state
    missing: tuple[str, ...] = ()
    if st in (S.reported, S.awaiting_documents):
        missing = tuple(m.label for m in store.missing_documents(case.id))
    assessments = store.assessments_of(case.id) if st in (S.confirmed, S.appraised, S.assessed, S.paid) else []
    last = assessments[-1] if assessments else None
    returned = Returned(last.number, store.display_name(last.returned_by), last.return_reason) \
        if last is not None and last.status == "returned" else None
    draft = next((a for a in assessments if a.status == "draft"), None)
    pays = store.payments_of(case.id) if st in (S.assessed, S.paid) else []
    back = [p for p in pays if p.returned_by]
    approved = [a for a in assessments if a.status == "approved"]
    return CaseFacts(
        st, case.due_on, case.lawsuit_until, missing, returned,
        Waiting(draft.number, draft.prepared_by, store.display_name(draft.prepared_by)) if draft else None,
        tuple(Waiting(p.number, p.prepared_by, store.display_name(p.prepared_by), p.due_on)
              for p in pays if p.status.value == "prepared"),
        Returned(back[-1].number, store.display_name(back[-1].returned_by), back[-1].cancel_reason) if back else None,
        any(p.status.value == "approved" for p in pays), approved[-1].number if approved else "")


def step_for(f: CaseFacts) -> NextStep | None:
    """The next step from the facts of a case."""
    st, by = f.state, f.due_on
    if st in (S.closed, S.withdrawn):
        return None
    if st in (S.reported, S.awaiting_documents):
        if f.missing:
            names = "、".join(f.missing[:3]) + (_("等") if len(f.missing) > 3 else "")
            if st == S.awaiting_documents:
                return NextStep(_("补正材料（缺 {n} 项）").format(n=len(f.missing)), ANYONE, by,
                                note=_("缺：{m}。已发出一次性告知，材料齐全后由经办人受理").format(m=names),
                                kind="documents")
            return NextStep(_("收齐材料（缺 {n} 项），受理或一次性告知").format(n=len(f.missing)), ANYONE, by,
                            note=_("缺：{m}。站长可登记收到的材料；受理或告知由经办人办理").format(m=names),
                            kind="documents")
        return NextStep(_("受理"), OFFICE, by, note=_("材料已齐全"))
    if st == S.accepted:
        return NextStep(_("开始调查"), OFFICE, by)
    if st == S.investigating:
        return NextStep(_("作出确认或不予确认的结论"), CHECKERS, by, note=_("调查核实后由审核人作出结论"))
    if st in (S.confirmed, S.appraised):
        r = f.returned_assessment
        if r is not None:
            return NextStep(_("重新核定待遇"), OFFICE, by, note=_("核定 {n} 被{who}退回：{r}").format(
                n=r.number, who=r.by, r=r.reason), record=r.number)
        if st == S.confirmed:
            return NextStep(_("申请劳动能力鉴定，或（无伤残时）核定待遇"), OFFICE, by)
        return NextStep(_("核定待遇"), OFFICE, by)
    if st == S.rejected:
        return NextStep(_("结案（复议和诉讼期限届满后），或登记争议"), OFFICE, f.lawsuit_until or by)
    if st == S.appraisal:
        return NextStep(_("录入鉴定结论"), OFFICE, by)
    if st in (S.assessed, S.paid):
        return _money_step(f, by)
    if st == S.disputed:
        return NextStep(_("复议或诉讼后重新作出结论"), CHECKERS, by)
    if st == S.suspended:
        return NextStep(_("有关认定作出后恢复办理"), OFFICE, None, note=_("中止期间时限停止计算"))
    return None


def _money_step(f: CaseFacts, by) -> NextStep:
    d = f.draft_assessment
    if d is not None:
        return NextStep(_("批准待遇核定 {n}").format(n=d.number), CHECKERS, by, not_by=d.maker,
                        note=_("由{who}核定，须另一人批准或退回").format(who=d.maker_name),
                        record=d.number, kind="assessment")
    if f.waiting_payments:
        p = f.waiting_payments[0]
        more = _("（另有 {n} 笔）").format(n=len(f.waiting_payments) - 1) if len(f.waiting_payments) > 1 else ""
        return NextStep(_("审批支付 {n}{more}").format(n=p.number, more=more), CHECKERS, p.due_on or by,
                        not_by=p.maker, note=_("由{who}制单，须另一人审批或退回").format(who=p.maker_name),
                        record=p.number, kind="payment")
    if f.state == S.assessed:
        if not f.any_payment_approved:
            r = f.returned_payment
            note = _("支付 {n} 被{who}退回：{r}").format(n=r.number, who=r.by, r=r.reason) if r else ""
            return NextStep(_("制作支付单"), OFFICE, by, note=note or _("待遇核定已批准"), record=f.approved_assessment)
        return NextStep(_("登记支付完成，或安排其余支付"), OFFICE, by)
    return NextStep(_("按月支付，或结案"), OFFICE, None)


def step_text(step: NextStep | None) -> str:
    """One line: 下一步：审批支付 ZF…，由审核人办理，2025-11-30 前"""
    if step is None:
        return _("案件已办结，没有待办的步骤。")
    by = _("，{d} 前").format(d=step.by.isoformat()) if step.by else ""
    return _("下一步：{w}，由{who}办理{by}").format(w=step.what, who=step.who, by=by)
