"""Cases: report, lifecycle transitions with history and clocks, documents,
decisions, appraisals, assessments and maker-checker payments."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import lifecycle
from ..clocks import clock_for, due_date
from ..enums import CaseState, Industry
from ..industries import as_recorded
from ..errors import ClaimsError, FieldError, NotFound, PermissionDenied
from ..i18n import _
from ..change import Change
from ..lazy import lazy_import
from ..pinyin import is_pinyin_query
from ..permissions import narrow, own_platform, own_station, require
from ..timeutil import SHANGHAI, now
from .base import Actor, StoreBase
from .document_fields import check_diagnosis_date

KEEP = object()  # a keyword left out: the stored value stays

if TYPE_CHECKING:
    from ..models import (Appraisal, BenefitAssessment, BenefitPayment, Case, CaseDocument, CaseEvent,
                          Decision)

models = lazy_import("claims.models")
rules = lazy_import("claims.checklist")  # what a case needs: read when a case is, not at start-up
hashlib = lazy_import("hashlib")  # a scan's digest, when one is added: not at start-up

DUPLICATE_WINDOW = timedelta(hours=6)
APPRAISAL_KINDS = {"initial": "初次鉴定", "re_appraisal": "再次鉴定", "review": "复查鉴定"}
OPEN_STATES = tuple(st.value for st in CaseState if st not in lifecycle.TERMINAL)
WAITING_ORDER = "c.due_on IS NULL, c.due_on, c.reported_at"  # earliest deadline first
CASE_LIST_ORDER = "c.reported_at DESC, c.id"  # the case list: newest report first


def _working(state: str) -> bool:
    """Whether the clock of ``state`` counts working days."""
    c = clock_for(state)
    return bool(c and c["working_days"])


@dataclass
class CaseFilter:
    text: str = ""
    state: str | None = None
    platform_id: str | None = None
    industry: str | None = None
    station_id: str | None = None
    due: str | None = None  # "overdue" | "soon" (within 7 days)
    today: date | None = None
    sort: str | None = None  # a key of CASE_SORTS; None: the latest report first
    descending: bool = False


def _in_order(column: str, codes) -> str:
    """Order by the enum's own order (the lifecycle, the list of industries), not by its codes."""
    return "CASE " + column + " " + " ".join(f"WHEN '{c.value}' THEN {i}" for i, c in enumerate(codes)) + " END"


CASE_SORTS = {
    "number": "c.number",
    "name": "(SELECT w.name_sort FROM workers w WHERE w.id = c.worker_id)",
    "industry": _in_order("c.industry", Industry),
    "accident_at": "c.accident_at",
    "state": _in_order("c.state", CaseState),
    "due": "coalesce(c.due_on, '9999-12-31')",
    "reported_at": "c.reported_at",
}


class CaseMixin(StoreBase):
    @property
    def files_dir(self) -> Path:
        return self.path.with_name(self.path.stem + ".files")

    # -- report -----------------------------------------------------------
    def duplicate_cases(self, worker_id: str, accident_at: datetime, platform_id: str = "",
                        order_no: str = "") -> list[Case]:
        lo = (accident_at - DUPLICATE_WINDOW).isoformat()
        hi = (accident_at + DUPLICATE_WINDOW).isoformat()
        rows = self.conn.execute(
            "SELECT * FROM cases WHERE (worker_id = ? AND accident_at BETWEEN ? AND ?)"
            " OR (? != '' AND platform_id = ? AND order_no = ?) ORDER BY accident_at",
            (worker_id, lo, hi, order_no, platform_id, order_no))
        return [models.Case.from_row(dict(r)) for r in rows]

    def report_case(self, actor: Actor, *, worker_id: str, platform_id: str, industry: str,
                    accident_at: datetime, station_id: str | None = None, order_no: str = "",
                    place: str = "", description: str = "", body_parts: str = "", hospital: str = "",
                    case_type: str = "injury", reporter_name: str = "", reporter_relation: str = "",
                    channel: str = "counter", reported_at: datetime | None = None,
                    allow_duplicate: bool = False, report_no: str = "",
                    diagnosed_on: date | None = None) -> tuple[Case, Change]:
        """A new case in 报案, its clock running from ``reported_at``. 外卖 on or
        after 2025-07-01 is recorded as 即时配送 (said in the history)."""
        require(actor, "case.report")
        self._must("workers", worker_id, "人员")
        self._must("platforms", platform_id, "平台")
        if accident_at.tzinfo is None:
            raise FieldError("事故时间", "须带时区")
        ind, mapped = as_recorded(industry, accident_at.astimezone(SHANGHAI))
        reported_at = reported_at or now()
        if accident_at > reported_at:
            raise FieldError("事故时间", "不能晚于报案时间")
        if not description.strip():
            raise FieldError("事故经过", "不能为空")
        if self._scope_station(actor) and station_id != actor.station_id:
            raise PermissionDenied("站长只能为本站点人员报案")
        if diagnosed_on is not None:
            check_diagnosis_date(diagnosed_on, accident_at.astimezone(SHANGHAI).date(),
                                 reported_at.astimezone(SHANGHAI).date())
        dups = self.duplicate_cases(worker_id, accident_at, platform_id, order_no.strip())
        if dups and not allow_duplicate:
            nums = "、".join(c.number for c in dups)
            raise ClaimsError(f"可能重复报案：已有案件 {nums}（同一人员相近时间或同一订单）。确认不是同一事故后再提交。")
        year = accident_at.astimezone(SHANGHAI).year
        with self.atomic():
            seq = self.next_counter(f"case:{year}")
            number = f"BA{year}-{self.site_id}-{seq:05d}"
            since = reported_at.astimezone(SHANGHAI)
            row = self._insert("cases", {
                "number": number, "worker_id": worker_id, "platform_id": platform_id, "station_id": station_id,
                "industry": ind.value, "order_no": order_no.strip(),
                "accident_at": accident_at.astimezone(SHANGHAI).isoformat(), "place": place,
                "description": description, "body_parts": body_parts, "hospital": hospital,
                "case_type": case_type, "reporter_name": reporter_name, "reporter_relation": reporter_relation,
                "channel": channel, "reported_at": since.isoformat(), "state": CaseState.reported.value,
                "state_since": since.isoformat(), "report_no": report_no.strip(),
                "diagnosed_on": diagnosed_on.isoformat() if diagnosed_on else None,
                "due_on": str(due_date("reported", since.date(), None, self.calendar()) or "") or None}, actor)
            self._event(actor, row["id"], None, CaseState.reported, since,
                        _("报案") + (_("（{m}）").format(m=mapped) if mapped else ""))
        return models.Case.from_row(row), self.change("cases", ids=[row["id"]], summary=f"报案 {number}")

    @staticmethod
    def _scope_station(actor: Actor) -> str | None:
        return actor.station_id if actor.role == "station_manager" else None

    def _event(self, actor: Actor, case_id: str, frm, to: CaseState, at: datetime, note: str) -> None:
        seq = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = ?",
                                (case_id,)).fetchone()[0]
        self._insert("case_events", {"case_id": case_id, "seq": seq, "from_state": frm.value if frm else None,
                                     "to_state": to.value, "actor": actor.username, "at": at.isoformat(),
                                     "note": note}, actor)

    # -- lifecycle --------------------------------------------------------
    def case(self, case_id: str, actor: Actor | None = None) -> Case:
        c = models.Case.from_row(self._must("cases", case_id, "案件"))
        if actor is not None and self._scope_station(actor) and c.station_id != actor.station_id:
            raise PermissionDenied("站长只能查看本站点的案件")
        return c

    def case_by_number(self, number: str, actor: Actor | None = None) -> Case:
        """A case by its number; a station manager (``actor``) finds their own station's only."""
        r = self.conn.execute("SELECT * FROM cases WHERE number = ?", (number.strip(),)).fetchone()
        if not r or (own_station(actor) is not None and r["station_id"] != own_station(actor)):
            raise NotFound(f"找不到案件 {number}")
        return models.Case.from_row(dict(r))

    def case_events(self, case_id: str) -> list[CaseEvent]:
        return [models.CaseEvent.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM case_events WHERE case_id = ? ORDER BY seq", (case_id,))]

    def resume_state(self, case_id: str) -> CaseState | None:
        """The state a suspension or dispute interrupted."""
        r = self.conn.execute("SELECT from_state FROM case_events WHERE case_id = ? AND to_state IN "
                              "('suspended','disputed') ORDER BY seq DESC LIMIT 1", (case_id,)).fetchone()
        return CaseState(r[0]) if r and r[0] else None

    def allowed_transitions(self, case_id: str) -> tuple[CaseState, ...]:
        c = self.case(case_id)
        return lifecycle.allowed(c.state, self.resume_state(case_id))

    def transition(self, actor: Actor, case_id: str, target: str | CaseState, note: str = "",
                   at: datetime | None = None, *, decision: bool = False,
                   expected_version: int | None = None) -> tuple[Case, Change]:
        """Move a case on. A confirmation or refusal is made by ``decide()``
        (which passes ``decision``), never by a bare transition; a side state
        returning to the decision it interrupted is a transition. Clocks stop in
        the side states and resume with what was left, in working days for a
        working-day clock; a refused case is closed inside its review and lawsuit
        windows only on a written waiver (``close_with_waiver``)."""
        target = CaseState(target)
        require(actor, "case.decide" if target in lifecycle.REVIEWER_ONLY else "case.transition")
        c = self.case(case_id, actor)
        resume = self.resume_state(case_id)
        lifecycle.check(c.state, target, resume, actor.role)
        if target in lifecycle.REVIEWER_ONLY and not decision and not (
                c.state in lifecycle.SIDE_STATES and target == resume):
            raise ClaimsError(_("“{a}”须通过“作出结论”办理（须有结论书）").format(a=lifecycle.ACTION_LABELS[target]))
        at = (at or now()).astimezone(SHANGHAI)
        if target == CaseState.closed:
            why = self.close_guard(c, at.date())
            if why:
                raise ClaimsError(why)
        values = {"state": target.value, "state_since": at.isoformat()}
        cal = self.calendar()
        if target in lifecycle.PAUSED_STATES:  # stop the clock, keep what is left
            left = cal.left(c.due_on, at.date(), _working(c.state.value)) if c.due_on else None
            values.update(due_on=None, clock_left=left)
        elif c.state in lifecycle.PAUSED_STATES and c.clock_left is not None and target == resume:
            due = cal.resume(at.date(), c.clock_left, _working(target.value))
            values.update(due_on=due.isoformat(), clock_left=None)
        else:
            accepted = self._accepted_on(case_id)
            if target == CaseState.accepted:
                accepted = at.date()
            due = due_date(target.value, at.date(), accepted, cal)
            values.update(due_on=due.isoformat() if due else None, clock_left=None)
        with self.atomic():
            row = self._update("cases", case_id, values, actor, what="案件",
                               expected_version=c.row_version if expected_version is None else expected_version)
            self._event(actor, case_id, c.state, target, at, note)
            if c.state == CaseState.awaiting_documents and target not in lifecycle.PAUSED_STATES:
                self._close_notices(actor, case_id, "closed", at.date())
        return models.Case.from_row(row), self.change("cases", ids=[case_id],
                                               summary=f"{c.number}：{c.state.label} → {target.label}")

    def _accepted_on(self, case_id: str) -> date | None:
        r = self.conn.execute("SELECT at FROM case_events WHERE case_id = ? AND to_state = 'accepted' "
                              "ORDER BY seq DESC LIMIT 1", (case_id,)).fetchone()
        return datetime.fromisoformat(r[0]).date() if r else None

    # -- documents --------------------------------------------------------
    def add_document(self, actor: Actor, case_id: str, *, doc_type: str, pages: int = 1,
                     received_on: date | None = None, file_path: str | Path | None = None,
                     note: str = "") -> tuple[CaseDocument, Change]:
        require(actor, "case.document")
        self.case(case_id, actor)
        if pages < 0:
            raise FieldError("页数", "不能为负数")
        digest, name = "", ""
        if file_path:
            src = Path(file_path)
            if not src.is_file():
                raise FieldError("文件", f"找不到文件 {src}")
            digest = hashlib.sha256(src.read_bytes()).hexdigest()
            from .integrity import keep_file
            keep_file(self.path, src, digest)  # private (0600) and whole, or not at all
            name = src.name
        with self.atomic():
            row = self._insert("case_documents", {"case_id": case_id, "doc_type": doc_type, "file_name": name,
                                                  "content_hash": digest, "pages": pages,
                                                  "received_on": (received_on or now().date()).isoformat(),
                                                  "note": note.strip()}, actor)
        return models.CaseDocument.from_row(row), self.change(
            "case_documents", "cases", ids=[case_id], summary=f"已登记材料：{rules.document_label(doc_type)}")

    def add_documents(self, actor: Actor, case_id: str, items: list[dict], *,
                      diagnosed_on: date | None | object = KEEP) -> tuple[list[CaseDocument], Change]:
        """Several documents received at the counter at once (the intake screen): one action,
        one transaction. Each item holds add_document's keywords (doc_type, pages, received_on,
        file_path, note). ``diagnosed_on``: the first-diagnosis date read off the diagnosis
        certificate at the same time (None clears it; left out, it is kept)."""
        change_diagnosis = diagnosed_on is not KEEP and diagnosed_on != self.case(case_id).diagnosed_on
        if not items and not change_diagnosis:
            raise ClaimsError("没有勾选收到的材料")
        with self.atomic():
            docs = [self.add_document(actor, case_id, **it)[0] for it in items]
            if change_diagnosis:
                self.set_diagnosis_date(actor, case_id, diagnosed_on)
        what = [f"已登记材料 {len(docs)} 项：" + "、".join(rules.document_label(d.doc_type) for d in docs[:3])
                + ("等" if len(docs) > 3 else "")] if docs else []
        if change_diagnosis:
            what.append(f"首次诊断日期 {diagnosed_on.isoformat() if diagnosed_on else '（未填）'}")
        return docs, self.change("case_documents", "cases", ids=[case_id], summary="；".join(what))

    def attached_hashes(self, digests: list[str]) -> set[str]:
        """Which of these file digests are already attached to some case (a scanner folder's old files)."""
        if not digests:
            return set()
        return {r[0] for r in self.conn.execute(
            f"SELECT content_hash FROM case_documents WHERE content_hash IN ({','.join('?' * len(digests))})", digests)}

    def case_documents(self, case_id: str) -> list[CaseDocument]:
        return [models.CaseDocument.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM case_documents WHERE case_id = ? ORDER BY received_on, created_at", (case_id,))]

    def checklist(self, case_id: str) -> list[rules.ChecklistRow]:
        """The documents this case needs (rules.md §5, from data) and whether each arrived:
        rows of (doc_type, label, reason, received, pages, received_on)."""
        extra = frozenset({"advance"}) if self.conn.execute(
            "SELECT 1 FROM advances WHERE case_id = ? AND active = 1", (case_id,)).fetchone() else frozenset()
        return rules.checklist_rows(self.case(case_id), self.case_documents(case_id), extra)

    def missing_documents(self, case_id: str) -> list[rules.ChecklistRow]:
        return [r for r in self.checklist(case_id) if not r.received]

    def missing_notices_of(self, case_id: str) -> list[models.MissingNotice]:
        return [models.MissingNotice.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM missing_notices WHERE case_id = ? ORDER BY issued_on, created_at", (case_id,))]

    def open_missing_notice(self, case_id: str) -> models.MissingNotice | None:
        r = self.conn.execute("SELECT * FROM missing_notices WHERE case_id = ? AND status = 'open' "
                              "ORDER BY created_at DESC LIMIT 1", (case_id,)).fetchone()
        return models.MissingNotice.from_row(dict(r)) if r else None

    def missing_notice_by_number(self, number: str) -> models.MissingNotice:
        r = self.conn.execute("SELECT * FROM missing_notices WHERE number = ?", (number.strip(),)).fetchone()
        if not r:
            raise NotFound(f"找不到补正告知 {number}")
        return models.MissingNotice.from_row(dict(r))

    def issue_missing_notice(self, actor: Actor, case_id: str, at: datetime | None = None
                             ) -> tuple[models.MissingNotice, Change]:
        """Record ONE notice listing every missing document and move the case to
        材料待补 (its clock starts). Asking piecemeal is not allowed: while a notice
        is open a second one is refused, unless a requirement appeared that the
        open notice does not list; the new notice then lists everything missing
        and replaces the open one (which is kept, marked superseded)."""
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        at = (at or now()).astimezone(SHANGHAI)
        missing = self.missing_documents(case_id)
        if not missing:
            raise ClaimsError(f"案件 {c.number} 的材料已齐全，无需发出补正告知")
        current = self.open_missing_notice(case_id)
        if current is not None:
            listed = {i["doc_type"] for i in current.items}
            if not [m for m in missing if m.doc_type not in listed]:
                raise ClaimsError(
                    f"已于 {current.issued_on.isoformat()} 发出一次性告知 {current.number}（限 "
                    f"{current.due_on.isoformat() if current.due_on else '—'} 前补正），尚未结束；"
                    "一次性告知须列明全部缺少的材料，不能再次发出（除非出现了新的材料要求）")
        items = [{"doc_type": m.doc_type, "name": m.label, "reason": m.reason} for m in missing]
        with self.atomic():
            seq = self.conn.execute("SELECT count(*) FROM missing_notices WHERE case_id = ?", (case_id,)).fetchone()[0]
            number = f"{c.number}-BZ{seq + 1:02d}"  # as printed on the notice (claims/printing.py)
            names = "、".join(m.label for m in missing)
            if c.state != CaseState.awaiting_documents:
                c, _ = self.transition(actor, case_id, CaseState.awaiting_documents,
                                       f"一次性告知 {number}：缺 {len(missing)} 项（{names}）", at=at)
                due = c.due_on
            else:  # a supplementary notice: the applicant gets the full period again
                due = due_date(CaseState.awaiting_documents.value, at.date(), None, self.calendar())
                self._update("cases", case_id, {"due_on": due.isoformat() if due else None}, actor, what="案件")
            if current is not None:
                self._close_notices(actor, case_id, "superseded", at.date())
            row = self._insert("missing_notices", {
                "case_id": case_id, "number": number, "issued_on": at.date().isoformat(),
                "due_on": due.isoformat() if due else None, "issued_by": actor.username,
                "items": json.dumps(items, ensure_ascii=False), "status": "open"}, actor)
        return models.MissingNotice.from_row(row), self.change(
            "cases", "missing_notices", ids=[case_id, row["id"]], summary=f"{c.number}：一次性告知 {number}")

    def _close_notices(self, actor: Actor, case_id: str, status: str, on: date) -> None:
        for (nid,) in self.conn.execute("SELECT id FROM missing_notices WHERE case_id = ? AND status = 'open'",
                                        (case_id,)).fetchall():
            self._update("missing_notices", nid, {"status": status, "closed_on": on.isoformat()}, actor,
                         what="补正告知")

    # -- appraisal ----------------------------------------------------------
    def record_appraisal(self, actor: Actor, case_id: str, *, grade: int | None, care_level: str | None,
                         conclusion_no: str, concluded_on: date, kind: str = "initial",
                         at: datetime | None = None) -> tuple[Appraisal, Change]:
        if grade is not None and not 1 <= grade <= 10:
            raise FieldError("伤残等级", "应为 1–10 级或无等级")
        if not conclusion_no.strip():
            raise FieldError("鉴定结论书编号", "不能为空")
        if care_level not in (None, "full", "most", "partial"):
            raise FieldError("生活自理障碍", "应为完全、大部分、部分不能自理或无")
        if kind not in APPRAISAL_KINDS:
            raise FieldError("鉴定类别", "应为初次鉴定、再次鉴定或复查鉴定")
        with self.atomic():
            self.transition(actor, case_id, CaseState.appraised, f"鉴定结论 {conclusion_no}", at=at)
            for (old,) in self.conn.execute("SELECT id FROM appraisals WHERE case_id = ? AND current = 1",
                                            (case_id,)).fetchall():
                self._update("appraisals", old, {"current": 0}, actor, what="鉴定")  # kept as history
            row = self._insert("appraisals", {"case_id": case_id, "grade": grade, "care_level": care_level,
                                              "conclusion_no": conclusion_no, "concluded_on": concluded_on.isoformat(),
                                              "kind": kind, "current": 1}, actor)
        return models.Appraisal.from_row(row), self.change("cases", "appraisals", ids=[case_id])

    def appraisals_of(self, case_id: str) -> list[Appraisal]:
        return [models.Appraisal.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM appraisals WHERE case_id = ? ORDER BY concluded_on, created_at", (case_id,))]

    # -- list -------------------------------------------------------------
    def _case_list_where(self, f: CaseFilter, actor: Actor | None) -> tuple[str, list]:
        where, args = [], []
        if f.text.strip():
            t = f.text.strip()
            people, args_p = "SELECT id FROM workers WHERE name = ? OR id_number = ?", [t, t.upper()]
            if is_pinyin_query(t):  # zhangwei, zw: through their indexes (only then: a pattern that
                py = t.lower().replace(" ", "") + "*"  # is not pinyin would scan every worker twice)
                people += (" UNION SELECT id FROM workers WHERE name_pinyin GLOB ?"
                           " UNION SELECT id FROM workers WHERE name_initials GLOB ?")
                args_p += [py, py]
            where.append(f"(c.number LIKE ? OR c.worker_id IN ({people}))")
            args += [f"%{t}%", *args_p]
        for col, val in (("state", f.state), ("platform_id", narrow(own_platform(actor), f.platform_id)),
                         ("industry", f.industry), ("station_id", narrow(own_station(actor), f.station_id))):
            if val:
                where.append(f"c.{col} = ?")
                args.append(val)
        today = f.today or now().date()
        if f.due == "overdue":
            where.append("c.due_on < ?")
            args.append(today.isoformat())
        elif f.due == "soon":
            where.append("c.due_on BETWEEN ? AND ?")
            args += [today.isoformat(), (today + timedelta(days=7)).isoformat()]
        return (" WHERE " + " AND ".join(where)) if where else "", args

    def count_cases(self, f: CaseFilter | None = None, actor: Actor | None = None) -> int:
        where, args = self._case_list_where(f or CaseFilter(), actor)
        return self.conn.execute(f"SELECT count(*) FROM cases c{where}", args).fetchone()[0]

    def search_cases(self, f: CaseFilter | None = None, *, offset: int = 0, limit: int = 100,
                     actor: Actor | None = None) -> list[Case]:
        where, args = self._case_list_where(f or CaseFilter(), actor)
        f = f or CaseFilter()
        order = (CASE_SORTS[f.sort] + (" DESC" if f.descending else "") + ", c.id") if f.sort in CASE_SORTS \
            else CASE_LIST_ORDER
        rows = self.conn.execute(f"SELECT c.* FROM cases c{where} ORDER BY {order} LIMIT ? OFFSET ?",
                                 (*args, limit, offset))
        return [models.Case.from_row(dict(r)) for r in rows]

    def case_counts_by_state(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT state, count(*) FROM cases GROUP BY state").fetchall())

    # -- home screen: what waits for whom ------------------------------------
    def cases_waiting_for(self, actor: Actor, *, limit: int = 100) -> list[Case]:
        """Cases whose next step is the actor's: a reviewer's are those under
        investigation (a decision is due) and disputes; everyone else's are the
        open cases in their reach. Earliest deadline first."""
        where, args = self._waiting_where(actor)
        rows = self.conn.execute(f"SELECT c.* FROM cases c WHERE {where} ORDER BY {WAITING_ORDER} LIMIT ?",
                                 (*args, limit))
        return [models.Case.from_row(dict(r)) for r in rows]

    def _waiting_where(self, actor: Actor) -> tuple[str, list]:
        """The condition on ``cases c`` of ``cases_waiting_for`` (the home screen's light lists use it too)."""
        if actor.role in ("reviewer", "admin"):
            return "c.state IN ('investigating', 'disputed')", []
        where, args = f"c.state IN ({','.join('?' * len(OPEN_STATES))})", list(OPEN_STATES)
        if self._scope_station(actor):
            where += " AND c.station_id = ?"
            args.append(actor.station_id)
        return where, args

    def assessments_awaiting_approval(self, actor: Actor | None = None, *, limit: int = 100) -> list[BenefitAssessment]:
        """Draft assessments; for an actor, those they may approve (not their own)."""
        q, args = "SELECT * FROM assessments WHERE status = 'draft'", []
        if actor is not None:
            q += " AND prepared_by != ?"
            args.append(actor.username)
        return [models.BenefitAssessment.from_row(dict(r)) for r in self.conn.execute(
            q + " ORDER BY created_at LIMIT ?", (*args, limit))]

    def payments_awaiting_approval(self, actor: Actor | None = None, *, limit: int = 100) -> list[BenefitPayment]:
        """Prepared payments; for an actor, those they may approve (not their own)."""
        q, args = "SELECT * FROM benefit_payments WHERE status = 'prepared'", []
        if actor is not None:
            q += " AND prepared_by != ?"
            args.append(actor.username)
        return [models.BenefitPayment.from_row(dict(r)) for r in self.conn.execute(
            q + " ORDER BY due_on IS NULL, due_on, number LIMIT ?", (*args, limit))]

    def my_tasks(self, actor: Actor, *, limit: int = 100) -> dict[str, list]:
        """What the home screen lists for ``actor``: ``cases`` waiting for them and,
        for those who may approve, ``assessments`` and ``payments`` awaiting approval."""
        from ..permissions import allowed
        return {"cases": self.cases_waiting_for(actor, limit=limit),
                "assessments": self.assessments_awaiting_approval(actor, limit=limit)
                if allowed(actor.role, "assessment.approve") else [],
                "payments": self.payments_awaiting_approval(actor, limit=limit)
                if allowed(actor.role, "payment.approve") else []}
