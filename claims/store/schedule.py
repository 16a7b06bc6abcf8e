"""Monthly payments as series: the worker's own monthly items (伤残津贴,
生活护理费) are one series paid to the worker; each dependant's pension is a
series of its own, paid to that dependant's payee. A series starts in the
month the assessment says (``from``: the month after the appraisal conclusion
or the death), never earlier, and stops on its own end (``until``). A month
is paid once per series across all the assessments of a case; the series
says how many months are paid, prepared and left."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..change import Change
from ..errors import ClaimsError, FieldError
from ..lazy import lazy_import
from ..money import to_fen
from ..monthly import add_months, month_label, month_start, months_between, parse_month
from ..permissions import require
from .base import Actor, StoreBase

models = lazy_import("claims.models")
WORKER = "worker"


@dataclass
class SeriesItem:
    code: str
    name: str
    amount_fen: int
    first: str | None  # "YYYY-MM"; None: not known (an assessment saved without months)
    last: str | None  # None: no end known
    end_reason: str = ""

    def pays(self, month: str) -> bool:
        return (self.first is None or month >= self.first) and (self.last is None or month <= self.last)


@dataclass
class Series:
    key: str  # "worker" or "dependant:<id>"
    label: str
    payee: str
    payee_bank: str
    account: str
    dependant_id: str | None
    items: list[SeriesItem]
    paid: list[str] = field(default_factory=list)  # months approved (any assessment of the case)
    prepared: list[str] = field(default_factory=list)  # months prepared, not yet approved

    @property
    def first(self) -> str | None:
        firsts = [i.first for i in self.items if i.first]
        return min(firsts) if firsts else None

    @property
    def last(self) -> str | None:
        """The last month any item of the series is paid; None while one has no end."""
        if not self.items or any(i.last is None for i in self.items):
            return None
        return max(i.last for i in self.items)

    @property
    def end_reason(self) -> str:
        ends = [i for i in self.items if i.last and i.last == self.last]
        return ends[0].end_reason if ends else ""

    def amount(self, month: str) -> tuple[int, list[dict]]:
        parts = [{"code": i.code, "name": i.name, "amount_fen": i.amount_fen} for i in self.items if i.pays(month)]
        return sum(p["amount_fen"] for p in parts), parts

    @property
    def monthly_fen(self) -> int:
        return sum(i.amount_fen for i in self.items)

    @property
    def months_total(self) -> int | None:
        return months_between(self.first, self.last) if self.first and self.last else None

    @property
    def months_left(self) -> int | None:
        """Months still to arrange (neither paid nor prepared); None: open-ended."""
        if self.months_total is None:
            return None
        done = {m for m in self.paid + self.prepared if m >= self.first and m <= self.last}
        return self.months_total - len(done)

    @property
    def next_month(self) -> str | None:
        """The first month from the start not yet paid or prepared (None: all done)."""
        m = self.first
        if m is None:
            taken = sorted(self.paid + self.prepared)
            return add_months(taken[-1], 1) if taken else None
        taken = set(self.paid + self.prepared)
        while m in taken:
            m = add_months(m, 1)
        return None if self.last and m > self.last else m


class ScheduleMixin(StoreBase):
    def monthly_series(self, assessment_id: str) -> list[Series]:
        """The series of an assessment's monthly items, with what is paid and prepared."""
        a = self.assessment(assessment_id)
        res = self.assessment_result(assessment_id)
        case = self.case(a.case_id)
        w = self.worker(case.worker_id)
        monthly = [i for i in res.get("items", []) if i.get("period") == "monthly"]
        ids = res.get("dependant_ids") or []
        out: dict[str, Series] = {}
        if not monthly and a.monthly_total_fen > 0:  # saved without items: one series of the total
            monthly = [{"code": "monthly", "name": "按月待遇", "amount": f"{a.monthly_total_fen / 100:.2f}"}]
        for it in monthly:
            dep = it.get("dependant")
            if dep is not None and dep < len(ids):
                d = self.dependant(ids[dep])
                key = f"dependant:{d.id}"
                s = out.get(key) or Series(key, f"{d.name}（{d.relation.label}）", d.payee_name or d.name,
                                           d.payee_bank, d.payee_account, d.id, [])
            else:
                key = WORKER if dep is None else f"dependant:#{dep}"
                who = (case.claimant_name, case.claimant_bank, case.claimant_account) if case.dead and dep is not None \
                    else (w.name, w.bank_name, w.bank_card)
                s = out.get(key) or Series(key, f"{w.name}（本人）" if dep is None else f"供养亲属第 {dep + 1} 名",
                                           *who, None, [])
            s.items.append(SeriesItem(it["code"], it["name"], to_fen(it["amount"]), it.get("from"), it.get("until"),
                                      it.get("until_reason", "")))
            out[key] = s
        for s in out.values():
            q = ("SELECT period_month, status FROM benefit_payments WHERE case_id = ? AND kind = 'monthly'"
                 " AND status != 'cancelled' AND series IN ({})").format("?, ''" if s.key == WORKER else "?")
            for month, status in self.conn.execute(q, (a.case_id, s.key)):
                (s.paid if status == "approved" else s.prepared).append(month)
        return list(out.values())

    def schedule_monthly_payments(self, actor: Actor, assessment_id: str, first_month: str, months: int, *,
                                  series: str | None = None, payee: str | None = None, account: str | None = None,
                                  payee_bank: str | None = None) -> tuple[list, Change]:
        """Prepare one payment per month and series, ``months`` months from
        ``first_month`` (YYYY-MM): every series of the assessment, or the one
        named. Months before a series starts are refused; months after it ends
        are not prepared; a month already paid or prepared in a series is refused.
        The worker's series is paid to the worker (``payee``/``account`` may name
        another account), a dependant's to their payee. Each payment is then
        approved on its own by another user."""
        require(actor, "payment.prepare")
        a = self.assessment(assessment_id)
        first = parse_month(first_month)
        if not 1 <= months <= 120:
            raise FieldError("月数", "应为 1–120 个月")
        if a.monthly_total_fen <= 0:
            raise ClaimsError(f"待遇核定 {a.number} 没有按月发放的项目")
        all_series = self.monthly_series(assessment_id)
        chosen = [s for s in all_series if series is None or s.key == series]
        if not chosen:
            raise FieldError("发放对象", "本次核定没有这一按月发放项目")
        plans = []
        for s in chosen:
            if s.first and first < s.first:
                raise FieldError("起始月份", f"{s.label}自 {month_label(s.first)}起发放，不能安排更早的月份")
            wanted = [add_months(first, i) for i in range(months)]
            within = [m for m in wanted if s.last is None or m <= s.last]
            if not within:
                raise FieldError("起始月份", f"{s.label}已于 {month_label(s.last)}终止（{s.end_reason}），"
                                            "此后不再发放")
            taken = set(s.paid + s.prepared)
            clash = [m for m in within if m in taken]
            if clash:
                raise FieldError("起始月份", f"{s.label}以下月份已安排支付：" + "、".join(clash))
            own = (payee is not None or account is not None) and (s.key == WORKER or len(chosen) == 1)
            name = (payee if payee is not None else s.payee) if own else s.payee
            acct = (account if account is not None else s.account) if own else s.account
            bank = (payee_bank if payee_bank is not None else s.payee_bank) if own else s.payee_bank
            if s.dependant_id and not acct:
                raise FieldError("收款账号", f"{s.label}的收款人未登记银行账号，请先在供养亲属中补录")
            plans.append((s, within, name, acct, bank))
        out, ids = [], set()
        with self.atomic():
            for s, within, name, acct, bank in plans:
                for m in within:
                    fen, parts = s.amount(m)
                    if fen <= 0:
                        continue
                    pay, ch = self.prepare_payment(actor, assessment_id, kind="monthly", amount_fen=fen, payee=name,
                                                   account=acct, due_on=month_start(m), period_month=m,
                                                   payee_bank=bank, series=s.key, dependant_id=s.dependant_id,
                                                   pay_items=parts)
                    out.append(pay)
                    ids |= ch.ids
        if not out:
            raise ClaimsError("所选月份没有应发放的金额")
        n = len({p.period_month for p in out})
        return out, self.change("benefit_payments", ids=ids, summary=f"按月支付 {n} 期（{first} 起，共 {len(out)} 笔）")
