"""Confirmation decisions that cannot contradict their facts: the evidence a
decision stands on (orders in progress, cover, documents), the decision
itself (a conclusion the records do not support needs an override reason,
recorded in the history and printed in the facts), the text it is issued
with (the situation as then worded, the measure of the rule set in force on
the accident date, the facts), the review and lawsuit windows that run from
its service, closing a refused case inside them only on a written waiver,
and a relapse (复发) reopened as a new case linked to the closed one."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from .. import situations as sit
from ..change import Change
from ..clocks import rights_windows
from ..decision_facts import Evidence, build_facts
from ..enums import CaseState, Industry
from ..errors import ClaimsError, FieldError
from ..industries import MERGE_DAY
from ..i18n import _
from ..lazy import lazy_import
from ..permissions import require
from ..timeutil import SHANGHAI, cn_date, now
from .base import Actor, StoreBase
from .issues import decision_instance

if TYPE_CHECKING:
    from ..models import Case, Decision

models = lazy_import("claims.models")

WAIVER_DOC = "rights_waiver"  # 书面放弃行政复议和行政诉讼的声明 (a case document)
_DELIVERY = {Industry.food_delivery.value, Industry.instant_delivery.value}


def not_met_situation(situations: list) -> sit.Situation:
    """What a refusal cites when no exclusion applies: the confirm items of
    article 10(1), none of which was met ("第十条第一款第（一）项至第（六）项")."""
    items = [s for s in situations if s.kind == "confirm"]
    first, last = items[0], items[-1]
    cut = first.article.rfind("第")
    same = cut > 0 and last.article[:cut] == first.article[:cut]
    article = first.article + "至" + (last.article[cut:] if same else last.article)
    return sit.Situation(code="", kind="not_met", wording=_("事故伤害不符合应当确认或者视同职业伤害的情形"),
                         article=article, status=first.status, rule_set=first.rule_set, measure=first.measure,
                         label=_("不符合确认情形"))


class DecisionMixin(StoreBase):
    # -- evidence ------------------------------------------------------------
    def decision_evidence(self, case_id: str) -> Evidence:
        c = self.case(case_id)
        at = c.accident_at.astimezone(SHANGHAI)
        proof = self.orders_at(c.worker_id, at, c.platform_id)
        day = at.date()
        inds = [c.industry.value]
        if c.industry.value in _DELIVERY and day >= MERGE_DAY:
            inds = sorted(_DELIVERY)  # an earlier 外卖 enrollment covers 即时配送 after the merger
        rows = [models.Enrollment.from_row(dict(r)) for r in self.conn.execute(
            f"SELECT * FROM enrollments WHERE worker_id = ? AND platform_id = ? AND industry IN "
            f"({','.join('?' * len(inds))}) ORDER BY start_on", (c.worker_id, c.platform_id, *inds))]
        cover = [e for e in rows if e.start_on <= day and (e.end_on is None or day <= e.end_on)]
        checklist = self.checklist(case_id)
        docs = self.case_documents(case_id)
        listed = {r.doc_type for r in checklist}
        from ..checklist import document_label
        received = [(r.label, r.received_on) for r in checklist if r.received]
        received += [(document_label(d.doc_type), d.received_on) for d in docs if d.doc_type not in listed]
        missing = [r.label for r in checklist if not r.received and r.doc_type != "bank_account"]
        return Evidence(accident_at=at, platform=self.platform(c.platform_id).name, industry=c.industry.label,
                        in_progress=proof["in_progress"], before=proof["before"], after=proof["after"],
                        orders_that_day=proof["orders_that_day"], cover=cover, enrollments=rows, received=received,
                        missing=missing, reported_on=c.reported_at.astimezone(SHANGHAI).date(),
                        accepted_on=self._accepted_on(case_id))

    def decision_facts(self, case_id: str, override_reason: str = "", evidence: Evidence | None = None) -> str:
        """The 事实认定 for a decision on the case now (the dialog's preview; the decision keeps its own)."""
        c = self.case(case_id)
        return build_facts(evidence or self.decision_evidence(case_id), worker=self.worker(c.worker_id).name,
                           station=self.station(c.station_id).name if c.station_id else "", place=c.place,
                           body_parts=c.body_parts, hospital=c.hospital, override_reason=override_reason,
                           death_date=c.death_date)

    # -- the decision -----------------------------------------------------------
    def decide(self, actor: Actor, case_id: str, *, confirm: bool, situation_code: str = "", reasons: str = "",
               legal_basis: str = "", override_reason: str = "", decided_on: date | None = None,
               served_on: date | None = None, at: datetime | None = None) -> tuple[Decision, Change]:
        """Confirm with a situation, or refuse with reasons (and an exclusion, if
        one applies). The citation is the situation's article in the measure of
        the rule set in force on the accident date; ``legal_basis`` is any further
        basis the reviewer adds (never 《工伤保险条例》)."""
        require(actor, "case.decide")
        c = self.case(case_id, actor)
        rule_set = sit.rule_set_on(c.accident_at.astimezone(SHANGHAI).date())
        all_sits = self.situations(rule_set)
        chosen = None
        if confirm and not situation_code:
            raise FieldError(_("情形"), _("确认时须选择适用的情形"))
        if situation_code:
            chosen = next((s for s in all_sits if s.code == situation_code), None)
            if chosen is None:
                raise FieldError(_("情形"), _("未知的情形“{c}”").format(c=situation_code))
            if confirm and chosen.kind == "exclude":
                raise FieldError(_("情形"), _("“{w}”属于不得认定的情形，不能据此予以确认").format(w=chosen.wording))
            if not confirm and chosen.kind != "exclude":
                raise FieldError(_("情形"), _("“{w}”是予以确认的情形，不能作为不予确认的依据").format(w=chosen.wording))
        if not confirm and not reasons.strip():
            raise FieldError(_("不予确认理由"), _("不能为空"))
        extra = sit.check_basis(legal_basis)
        ours = sit.measure_of(rule_set)
        for other in {sit.measure_of(r) for r in sit.rule_set_codes()} - {ours}:
            if other in extra:
                raise FieldError(_("法律依据"), _("事故发生之日适用{o}，不能引用{x}").format(o=ours, x=other))
        evidence = self.decision_evidence(case_id)
        problems = evidence.problems(confirm)
        override = " ".join((override_reason or "").split())
        if problems and not override:
            raise FieldError(_("与记录不一致的理由"), _("{p}。{what}须写明理由（记入案件历史，并印在结论书的事实认定中）").format(
                p="；".join(problems), what=_("予以确认") if confirm else _("不予确认")))
        if not problems:
            override = ""  # nothing to explain: the facts say what the records say
        cited = chosen or not_met_situation(all_sits)
        facts = self.decision_facts(case_id, override, evidence)
        at = (at or now()).astimezone(SHANGHAI)
        decided_on = decided_on or at.date()
        if served_on is not None:
            self._check_served(served_on, decided_on, at.date())  # "today" is the moment of the decision
        # until the service is recorded, the windows run provisionally from the decision date
        review, lawsuit = rights_windows(served_on or decided_on, self.calendar())
        note = _("予以确认") if confirm else _("不予确认")
        if override:
            note += _("（与记录不一致：{p}；理由：{r}）").format(p="；".join(problems), r=override)
        with self.atomic():
            self.transition(actor, case_id, CaseState.confirmed if confirm else CaseState.rejected, note, at=at,
                            decision=True)
            seq = self.next_counter(f"decision:{decided_on.year}")
            number = f"{'QR' if confirm else 'BQ'}{decided_on.year}-{self.site_id}-{seq:04d}"
            row = self._insert("decisions", {
                "case_id": case_id, "kind": "confirm" if confirm else "refuse", "number": number,
                "decided_on": decided_on.isoformat(), "situation_code": situation_code, "reasons": reasons.strip(),
                "legal_basis": extra, "decided_by": actor.username, "rule_set": rule_set,
                "situation_text": json.dumps(cited.snapshot(), ensure_ascii=False), "facts": facts,
                "override_reason": override, "served_on": served_on.isoformat() if served_on else None}, actor)
            # the decision's 文号 in the office's style, given now and kept (printed on the decision)
            self.issue_document(actor, doc_code="confirmation_decision" if confirm else "refusal_decision",
                                instance=decision_instance(c.number, number), record_key=c.number,
                                issued_on=decided_on)
            self._set_windows(actor, case_id, review, lawsuit, refused=not confirm)
        return models.Decision.from_row(row), self.change("cases", "decisions", ids=[case_id],
                                                          summary=_("结论书 {n}").format(n=number))

    def _set_windows(self, actor: Actor, case_id: str, review: date, lawsuit: date, refused: bool) -> None:
        values = {"review_until": review.isoformat(), "lawsuit_until": lawsuit.isoformat()}
        if refused and self.case(case_id).state == CaseState.rejected:
            values["due_on"] = max(review, lawsuit).isoformat()  # closing is due once both have run out
        self._update("cases", case_id, values, actor, what=_("案件"))

    def decision_doc_number(self, case_number: str, d: Decision) -> str:
        """The decision's 文号 as issued (its internal number for one issued before 文号 existed)."""
        doc = "confirmation_decision" if d.kind == "confirm" else "refusal_decision"
        issue = self.document_issue(doc, decision_instance(case_number, d.number))
        return issue["number"] if issue and issue["number"] else d.number

    def windows_provisional(self, case_id: str) -> Decision | None:
        """The latest decision when its service is not recorded yet (the review and
        lawsuit windows then run provisionally from its date), else None."""
        ds = self.decisions_of(case_id)
        return ds[-1] if ds and ds[-1].served_on is None else None

    def decisions_of(self, case_id: str) -> list[Decision]:
        return [models.Decision.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM decisions WHERE case_id = ? ORDER BY decided_on, created_at", (case_id,))]

    @staticmethod
    def _check_served(served_on: date, decided_on: date, today: date | None = None) -> None:
        if served_on < decided_on:
            raise FieldError(_("送达日期"), _("不能早于结论日期 {d}").format(d=decided_on.isoformat()))
        if served_on > (today or now().astimezone(SHANGHAI).date()):
            raise FieldError(_("送达日期"), _("不能晚于今天"))

    def record_service(self, actor: Actor, decision_id: str, served_on: date, *,
                       expected_version: int | None = None) -> Change:
        """The day the applicant received the decision (登记送达日期): the review and
        lawsuit windows run from it. ``expected_version``: the decision's row
        version the user's form was read at (a newer one is refused: StaleRecord)."""
        require(actor, "case.transition")
        d = models.Decision.from_row(self._must("decisions", decision_id, _("结论书")))
        self.case(d.case_id, actor)
        self._check_served(served_on, d.decided_on)
        review, lawsuit = rights_windows(served_on, self.calendar())
        with self.atomic():
            self._update("decisions", decision_id, {"served_on": served_on.isoformat()}, actor, what=_("结论书"),
                         expected_version=expected_version)
            if self.decisions_of(d.case_id)[-1].id == decision_id:
                self._set_windows(actor, d.case_id, review, lawsuit, refused=d.kind == "refuse")
        return self.change("cases", "decisions", ids=[d.case_id],
                           summary=_("结论书 {n} 送达日期 {s}").format(n=d.number, s=served_on.isoformat()))

    # -- closing a refused case ---------------------------------------------------
    def close_guard(self, c: Case, at: date) -> str:
        """Before a refused case is closed: '' when it may be closed (both windows
        over, or a written waiver on file), else the reason it may not."""
        if c.state != CaseState.rejected or not c.lawsuit_until:
            return ""
        last = max(d for d in (c.review_until, c.lawsuit_until) if d)
        if at > last:
            return ""
        waiver = self._waiver(c.id)
        if waiver is not None:
            return ""
        return _("申请行政复议的期限（至 {r}）和提起行政诉讼的期限（至 {l}）尚未届满，不能结案；申请人书面放弃复议和诉讼的，"
                 "请登记其书面声明后再结案").format(r=c.review_until.isoformat() if c.review_until else "—",
                                                  l=c.lawsuit_until.isoformat())

    def _waiver(self, case_id: str):
        last = self.conn.execute("SELECT max(decided_on) FROM decisions WHERE case_id = ?", (case_id,)).fetchone()[0]
        r = self.conn.execute("SELECT * FROM case_documents WHERE case_id = ? AND doc_type = ? AND received_on >= ?"
                              " ORDER BY received_on DESC LIMIT 1", (case_id, WAIVER_DOC, last or "")).fetchone()
        return models.CaseDocument.from_row(dict(r)) if r else None

    def close_with_waiver(self, actor: Actor, case_id: str, *, signed_by: str, signed_on: date, pages: int = 1,
                          file_path=None, note: str = "", at: datetime | None = None) -> tuple[Case, Change]:
        """Close a refused case inside its windows: the applicant's written
        waiver of review and lawsuit is filed as a case document (who signed,
        on which day, the scan) and the closing names it."""
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        if c.state != CaseState.rejected:
            raise ClaimsError(_("只有不予确认的案件需要书面放弃声明才能结案（案件当前为“{s}”）").format(s=c.state.label))
        signed_by = " ".join((signed_by or "").split())
        if not signed_by:
            raise FieldError(_("声明人"), _("请填写签署书面放弃声明的人"))
        last = self.decisions_of(case_id)[-1].decided_on
        at = (at or now()).astimezone(SHANGHAI)
        if signed_on < last or signed_on > at.date():
            raise FieldError(_("签署日期"), _("应在结论日期 {d} 与今天之间").format(d=last.isoformat()))
        why = _("{who}于{d}书面放弃申请行政复议和提起行政诉讼").format(who=signed_by, d=cn_date(signed_on))
        with self.atomic():
            self.add_document(actor, case_id, doc_type=WAIVER_DOC, pages=pages, received_on=signed_on,
                              file_path=file_path, note=_("{who}签署").format(who=signed_by))
            case, _c = self.transition(actor, case_id, CaseState.closed, why + (("；" + note.strip()) if note.strip() else ""),
                                       at=at)
        return case, self.change("cases", "case_documents", ids=[case_id],
                                 summary=_("{n}：{w}，已结案").format(n=c.number, w=why))

    # -- relapse ---------------------------------------------------------------------
    def report_relapse(self, actor: Actor, case_id: str, *, description: str, hospital: str = "",
                       body_parts: str = "", reported_at: datetime | None = None) -> tuple[Case, Change]:
        """复发: a closed, confirmed case is reopened for medical benefits as a new
        case ``<original>-F<n>`` linked to it, with its own history; the original
        decision stands (the new case starts as confirmed, citing it)."""
        require(actor, "case.report")
        orig = self.case(case_id, actor)
        decisions = self.decisions_of(case_id)
        if orig.state != CaseState.closed or not decisions or decisions[-1].kind != "confirm":
            raise ClaimsError(_("只有已结案、且已确认为职业伤害的案件可以登记复发（案件 {n} 当前为“{s}”）").format(
                n=orig.number, s=orig.state.label))
        if not description.strip():
            raise FieldError(_("复发情况"), _("不能为空"))
        at = (reported_at or now()).astimezone(SHANGHAI)
        if at > now():
            raise FieldError(_("登记时间"), _("不能晚于现在"))
        root = orig.relapse_of or orig.id
        root_case = self.case(root)
        n = self.conn.execute("SELECT count(*) FROM cases WHERE relapse_of = ?", (root,)).fetchone()[0] + 1
        number = f"{root_case.number}-F{n}"
        d = decisions[-1]
        with self.atomic():
            row = self._insert("cases", {
                "number": number, "worker_id": orig.worker_id, "platform_id": orig.platform_id,
                "station_id": orig.station_id, "industry": orig.industry.value, "order_no": orig.order_no,
                "accident_at": orig.accident_at.isoformat(), "place": orig.place, "description": description.strip(),
                "body_parts": body_parts or orig.body_parts, "hospital": hospital, "case_type": orig.case_type,
                "reporter_name": orig.reporter_name, "reporter_relation": orig.reporter_relation,
                "channel": "counter", "reported_at": at.isoformat(), "state": CaseState.confirmed.value,
                "state_since": at.isoformat(), "due_on": None, "relapse_of": root}, actor)
            self._event(actor, row["id"], None, CaseState.confirmed, at, _(
                "复发：原案件 {o} 已结案，原确认结论 {d}（{on}）继续有效；本案办理复发后的医疗待遇").format(
                o=root_case.number, d=d.number, on=d.decided_on.isoformat()))
        return models.Case.from_row(row), self.change("cases", ids=[row["id"], case_id],
                                                      summary=_("复发 {n}（原案件 {o}）").format(n=number, o=root_case.number))

    def relapses_of(self, case_id: str) -> list[Case]:
        root = self.case(case_id).relapse_of or case_id
        return [models.Case.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM cases WHERE relapse_of = ? ORDER BY reported_at", (root,))]

    def original_decision(self, case: Case) -> Decision | None:
        """The decision a case stands on: its own, or for a relapse the original case's."""
        own = self.decisions_of(case.id)
        if own or not case.relapse_of:
            return own[-1] if own else None
        orig = self.decisions_of(case.relapse_of)
        return orig[-1] if orig else None
