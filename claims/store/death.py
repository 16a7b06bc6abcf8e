"""The facts benefits rest on beyond the appraisal: the end of the treatment
period (医疗终结), a death and its cause, the claimant (申请人) to whom a
death case's notices and payments are addressed, and the dependants
(供养亲属), each a person of their own with a payee and an end of entitlement.
Impossible combinations are refused naming the field (claims/benefit_input.py
holds the rules the engine shares)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..change import Change
from ..enums import DeathCause, Relation
from ..errors import ClaimsError, FieldError
from ..lazy import lazy_import
from ..permissions import require
from ..timeutil import today
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import Case, Dependant

models = lazy_import("claims.models")
SPOUSE_WORDS = ("配偶", "spouse", "妻子", "丈夫", "妻", "夫")
# engine field (dependant_problem) -> the label of the form field
DEPENDANT_FIELDS = {"orphan": "孤儿", "lone_elder": "孤寡老人", "end_date": "领取终止日期", "relation": "关系",
                    "birth_date": "出生日期"}


def _date(v, field: str) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, date):
        return v
    from ..timeutil import parse_date
    return parse_date(str(v), field=field)


def _read(record, expected_version: int | None) -> int:
    """The version a change must find: the one the user's form read, else the one this
    method read before its checks (so nothing written meanwhile is overwritten unseen)."""
    return record.row_version if expected_version is None else expected_version


class DeathMixin(StoreBase):
    # -- treatment end, death, claimant ----------------------------------------------
    def set_treatment_end(self, actor: Actor, case_id: str, on: date | None, *,
                          expected_version: int | None = None) -> tuple[Case, Change]:
        """Record (or clear) the end of the treatment period (医疗终结); ``expected_version``:
        the case's version the form was read at (a case changed meanwhile is refused with StaleRecord)."""
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        if on is not None:
            if on < c.accident_at.date():
                raise FieldError("医疗终结日期", "不能早于事故日期")
            if on > today():
                raise FieldError("医疗终结日期", "不能晚于今天")
            if c.death_date and c.death_cause == DeathCause.other.value and c.death_date <= on:
                raise FieldError("医疗终结日期", f"已登记死者于 {c.death_date.isoformat()} 因其他原因死亡；"
                                                "医疗终结前死亡的属因职业伤害死亡，请先更正死亡原因")
        with self.atomic():
            row = self._update("cases", case_id, {"treatment_end_on": on.isoformat() if on else None}, actor,
                               what="案件", expected_version=_read(c, expected_version))
        return models.Case.from_row(row), self.change("cases", ids=[case_id], summary=f"{c.number}：医疗终结日期")

    def record_death(self, actor: Actor, case_id: str, *, death_date: date, death_cause: str,
                     expected_version: int | None = None) -> tuple[Case, Change]:
        """Record the death. Before the treatment period ended (or while it has not)
        a death is a death of the injury; "other causes" only after it ended. The
        worker's own monthly payments not yet approved stop from the month after."""
        from ..monthly import month_after
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        try:
            cause = DeathCause.from_text(death_cause)
        except ValueError:
            raise FieldError("死亡原因", "应为因职业伤害死亡或因其他原因死亡") from None
        if death_date < c.accident_at.date():
            raise FieldError("死亡日期", f"不能早于事故日期 {c.accident_at.date().isoformat()}")
        if death_date > today():
            raise FieldError("死亡日期", "不能晚于今天")
        if cause == DeathCause.other:
            end = c.treatment_end_on
            if end is None:
                raise FieldError("死亡原因", "尚未登记医疗终结日期：治疗期间死亡的属因职业伤害死亡；"
                                            "确系医疗终结后因其他原因死亡的，请先登记医疗终结日期")
            if death_date <= end:
                raise FieldError("死亡原因", f"死亡日期在医疗终结（{end.isoformat()}）之前，属治疗期间死亡，"
                                            "应为因职业伤害死亡")
        with self.atomic():
            row = self._update("cases", case_id, {"death_date": death_date.isoformat(), "death_cause": cause.value},
                               actor, what="案件", expected_version=_read(c, expected_version))
            for (aid,) in self.conn.execute("SELECT id FROM assessments WHERE case_id = ?", (case_id,)).fetchall():
                self.cancel_prepared_months(actor, aid, month_after(death_date), "人员死亡，次月起停发", series="worker")
        return models.Case.from_row(row), self.change("cases", "benefit_payments", ids=[case_id],
                                                      summary=f"{c.number}：登记死亡 {death_date.isoformat()}")

    def set_claimant(self, actor: Actor, case_id: str, data: dict, *,
                     expected_version: int | None = None) -> tuple[Case, Change]:
        """The claimant (申请人): name, relation to the worker, ID number, phone,
        address, and the bank and account one-off benefits are paid to;
        ``expected_version``: the case's version the form was read at."""
        from ..validators import normalize_bank_card, normalize_mobile, parse_id_number
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        name = (data.get("name") or "").strip()
        if not name:
            raise FieldError("申请人姓名", "不能为空")
        relation = (data.get("relation") or "").strip()
        if not relation:
            raise FieldError("与死者关系" if c.dead else "与受伤人员关系", "不能为空")
        idn = (data.get("id_number") or "").strip()
        if idn:
            idn = parse_id_number(idn, field="申请人身份证号码").number
            if idn == self.worker(c.worker_id).id_number and c.dead:
                raise FieldError("申请人身份证号码", "申请人不能是死者本人")
        phone = (data.get("phone") or "").strip()
        if phone:
            phone = normalize_mobile(phone, field="联系电话")
        account = (data.get("account") or "").strip()
        if account:
            account = normalize_bank_card(account, field="收款账号")[0]
        values = {"claimant_name": name, "claimant_relation": relation, "claimant_id_number": idn,
                  "claimant_phone": phone, "claimant_address": (data.get("address") or "").strip(),
                  "claimant_bank": (data.get("bank") or "").strip(), "claimant_account": account,
                  "claimant_holder": "" if (data.get("holder") or "").strip() in ("", name) or not account
                  else (data.get("holder") or "").strip()}
        if any(w in relation for w in SPOUSE_WORDS):
            orphan = next((d for d in self.dependants_of(case_id) if d.orphan and d.relation == Relation.child), None)
            if orphan:
                raise FieldError("与死者关系", f"申请人是配偶，与子女 {orphan.name} 按孤儿登记相矛盾，请先更正")
        with self.atomic():
            row = self._update("cases", case_id, values, actor, what="案件", expected_version=_read(c, expected_version))
        return models.Case.from_row(row), self.change("cases", ids=[case_id], summary=f"{c.number}：申请人 {name}")

    # -- dependants -----------------------------------------------------------------
    def dependants_of(self, case_id: str) -> list[Dependant]:
        return [models.Dependant.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM dependants WHERE case_id = ? AND active = 1 ORDER BY seq", (case_id,))]

    def dependant(self, dependant_id: str) -> Dependant:
        return models.Dependant.from_row(self._must("dependants", dependant_id, "供养亲属"))

    def normalize_dependant(self, case_id: str, data: dict, dependant_id: str | None = None) -> dict:
        """The values to store for a dependant, or a FieldError naming the field."""
        from ..benefit_input import dependant_problem
        from ..monthly import dependant_end, month_after, month_of
        from ..parameters import ruleset_for
        from ..validators import normalize_bank_card, parse_id_number
        c = self.case(case_id)
        if not c.dead:
            raise ClaimsError("请先登记死亡情况（死亡日期和原因），再登记供养亲属")
        name = (data.get("name") or "").strip()
        if not name:
            raise FieldError("姓名", "不能为空")
        try:
            rel = Relation.from_text(data.get("relation") or "")
        except ValueError:
            raise FieldError("关系", "应为配偶、子女、父母、祖父母、孙子女或兄弟姐妹") from None
        birth = _date(data.get("birth_date"), "出生日期")
        idn = (data.get("id_number") or "").strip()
        if idn:
            parsed = parse_id_number(idn, ages=(0, 120))
            idn = parsed.number
            if birth is not None and birth != parsed.birth_date:
                raise FieldError("出生日期", f"与身份证号码中的出生日期 {parsed.birth_date.isoformat()} 不符")
            birth = parsed.birth_date
            if idn == self.worker(c.worker_id).id_number:
                raise FieldError("身份证号码", "这是死者本人的号码")
        if birth is None:
            raise FieldError("出生日期", "请填写身份证号码或出生日期")
        if birth > today():
            raise FieldError("出生日期", "不能晚于今天")
        end = _date(data.get("end_on"), "领取终止日期")
        others = [d for d in self.dependants_of(case_id) if d.id != dependant_id]
        if idn and any(d.id_number == idn for d in others):
            raise FieldError("身份证号码", "该号码已登记为本案的供养亲属")
        spouse = next((d for d in others if d.relation == Relation.spouse), None)
        if rel == Relation.spouse and spouse is not None:
            raise FieldError("关系", f"本案已登记配偶 {spouse.name}，供养亲属中只能有一名配偶")
        orphan = next((d for d in others if d.relation == Relation.child and d.orphan), None)
        if rel == Relation.spouse and orphan is not None:
            raise FieldError("关系", f"子女 {orphan.name} 按孤儿登记，与配偶健在相矛盾；请先更正该子女的孤儿标记")
        spouse_alive = spouse is not None or any(w in c.claimant_relation for w in SPOUSE_WORDS)
        d = SimpleNamespace(relation=rel, lone_elder=bool(data.get("lone_elder")), orphan=bool(data.get("orphan")),
                            birth_date=birth, end_date=end)
        bad = dependant_problem(d, 0, spouse_alive=spouse_alive)
        if bad is not None:
            raise FieldError(DEPENDANT_FIELDS.get(bad.field.rsplit(".", 1)[-1], bad.field), bad.detail)
        rule = ruleset_for(c.accident_at.date()).items["dependant_pension"]
        stop, why = dependant_end(rel.value, birth, end, data.get("end_reason") or "", rule.until_age)
        if stop is not None and month_of(stop) < month_after(c.death_date):
            raise FieldError("领取终止日期" if end else "出生日期",
                             f"领取条件已于 {stop.isoformat()}（{why}）终止，早于死亡次月，不能列为供养亲属；"
                             "仍在校就读的请填写领取终止日期")
        account = (data.get("payee_account") or "").strip()
        if account:
            account = normalize_bank_card(account, field="收款账号")[0]
        return {"name": name, "relation": rel.value, "id_number": idn, "birth_date": birth.isoformat(),
                "basis": (data.get("basis") or "").strip(), "lone_elder": int(d.lone_elder), "orphan": int(d.orphan),
                "payee_name": (data.get("payee_name") or "").strip() or name,
                "payee_bank": (data.get("payee_bank") or "").strip(), "payee_account": account,
                "end_on": end.isoformat() if end else None, "end_reason": (data.get("end_reason") or "").strip()}

    def add_dependant(self, actor: Actor, case_id: str, data: dict) -> tuple[Dependant, Change]:
        require(actor, "case.transition")
        self.case(case_id, actor)
        values = self.normalize_dependant(case_id, data)
        with self.atomic():
            seq = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM dependants WHERE case_id = ?",
                                    (case_id,)).fetchone()[0]
            row = self._insert("dependants", {"case_id": case_id, "seq": seq, **values}, actor)
        return models.Dependant.from_row(row), self.change("dependants", "cases", ids=[case_id, row["id"]],
                                                           summary=f"供养亲属 {values['name']}")

    def update_dependant(self, actor: Actor, dependant_id: str, data: dict, *,
                         expected_version: int | None = None) -> tuple[Dependant, Change]:
        """Change a dependant; ``expected_version``: the version the form was read at."""
        require(actor, "case.transition")
        d = self.dependant(dependant_id)
        self.case(d.case_id, actor)
        values = self.normalize_dependant(d.case_id, data, dependant_id)
        with self.atomic():
            row = self._update("dependants", dependant_id, values, actor, what="供养亲属",
                               expected_version=_read(d, expected_version))
        return models.Dependant.from_row(row), self.change("dependants", "cases", ids=[d.case_id, dependant_id],
                                                           summary=f"修改供养亲属 {values['name']}")

    def remove_dependant(self, actor: Actor, dependant_id: str, *,
                         expected_version: int | None = None) -> tuple[Dependant, Change]:
        """Take off a dependant entered by mistake (kept, marked inactive); one with
        payments keeps their record: their entitlement ends with an end date instead."""
        require(actor, "case.transition")
        d = self.dependant(dependant_id)
        self.case(d.case_id, actor)
        n = self.conn.execute("SELECT count(*) FROM benefit_payments WHERE dependant_id = ? AND status != 'cancelled'",
                              (dependant_id,)).fetchone()[0]
        if n:
            raise ClaimsError(f"供养亲属 {d.name} 已有 {n} 笔支付，不能删除；领取条件终止的请填写领取终止日期")
        with self.atomic():
            row = self._update("dependants", dependant_id, {"active": 0}, actor, action="remove", what="供养亲属",
                               expected_version=_read(d, expected_version))
        return models.Dependant.from_row(row), self.change("dependants", "cases", ids=[d.case_id, dependant_id],
                                                           summary=f"删除供养亲属 {d.name}")
