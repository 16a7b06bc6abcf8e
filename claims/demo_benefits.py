"""Demo parameters and cases for the money paths. The parameters: assumed
bases and wages (marked unconfirmed) from the pilot's start, switching on 1
July. The cases, made through the same store transitions as a clerk's clicks,
both of couriers (the largest and most exposed group):

- a paid death case: a death three months after an accident about thirteen
  months before ``as_of``, the claimant, three dependants each with their own
  payee, the one-off benefits paid to the claimant, and every month of every
  pension since the month after the death paid (up to the month before as_of);
- a re-appraised case: grade 7 paid about ten months before as_of, a
  re-appraisal to grade 4, the difference assessed and paid about seven months
  before as_of, and the disability allowance paid month by month since.

Their one-off payments fall before the demo's six months of orders, as they
would for cases of that age: within the six months only their monthly
payments (and the re-appraisal's difference) are paid, so the six months'
payout-to-fee figures are not one death's. Dates are placed before
``as_of``, staff's steps on working days; the same seed gives the same cases."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from . import checklist
from .demo_cases import pay_assessment, pay_months
from .enums import CaseState
from .store import Actor, Store
from .timeutil import SHANGHAI
from .validators import id_check_char

BANKS = ["中国工商银行上海徐汇支行", "中国建设银行上海漕河泾支行", "中国农业银行上海闵行支行", "交通银行上海静安支行"]


def _at(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), SHANGHAI)


def _id(rng: random.Random, area: str, born: date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first = f"{area}{born:%Y%m%d}{seq:03d}"
    return first + id_check_char(first)


def _card(rng: random.Random) -> str:
    from .demo import bank_card
    return bank_card(rng)


def _pick(store: Store, rng: random.Random, gender: str, on: date) -> tuple:
    """A courier of that gender, aged for the story, covered on the accident day ``on``."""
    rows = store.conn.execute(
        "SELECT w.id, w.id_number, w.birth_date, e.platform_id, e.station_id, e.industry FROM workers w"
        " JOIN enrollments e ON e.worker_id = w.id WHERE w.gender = ? AND w.birth_date BETWEEN '1978-01-01'"
        " AND '1992-12-31' AND e.start_on <= ? AND (e.end_on IS NULL OR e.end_on >= ?)"
        " AND e.industry IN ('food_delivery', 'instant_delivery')"
        " AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.worker_id = w.id)"
        " ORDER BY w.rowid LIMIT 40", (gender, on.isoformat(), on.isoformat())).fetchall()
    if not rows:  # a very small demo: anyone covered that day
        rows = store.conn.execute(
            "SELECT w.id, w.id_number, w.birth_date, e.platform_id, e.station_id, e.industry FROM workers w"
            " JOIN enrollments e ON e.worker_id = w.id WHERE e.start_on <= ? AND (e.end_on IS NULL OR e.end_on >= ?)"
            " AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.worker_id = w.id) ORDER BY w.rowid LIMIT 40",
            (on.isoformat(), on.isoformat())).fetchall()
    return tuple(rng.choice(rows))


def _workday(store: Store, d: date, hour: int = 10) -> datetime:
    """``d`` or the next working day (holiday calendar), at ``hour``."""
    return _at(store.calendar().on_working_day(d), hour)


def _confirmed(store: Store, agent: Actor, reviewer: Actor, pick: tuple, accident: datetime, records, *,
               description: str, case_type: str = "traffic", reporter=("", "本人")):
    wid, idn, _born, pid, sid, ind = pick
    # the day's orders as the platform records them, one in progress at the accident: the decision rests on it
    day = records.day(wid, pid, ind, accident.date().isoformat(), must_cover=accident)
    order_no = next(o[0] for o in day if o[1] <= accident.isoformat() <= o[2])
    c, _ = store.report_case(agent, worker_id=wid, platform_id=pid, station_id=sid, industry=ind,
                             accident_at=accident, reported_at=accident + timedelta(hours=5), order_no=order_no,
                             place="徐汇区漕溪北路与南丹路路口", description=description, case_type=case_type,
                             body_parts="头部、胸部", hospital="上海市第六人民医院", reporter_name=reporter[0],
                             diagnosed_on=accident.date(),
                             reporter_relation=reporter[1], channel="counter", allow_duplicate=True)
    for d in checklist.required_documents(c):
        store.add_document(agent, c.id, doc_type=d["code"], pages=2, received_on=(accident + timedelta(days=1)).date())
    accepted = _workday(store, (accident + timedelta(days=2)).date())
    store.transition(agent, c.id, CaseState.accepted, at=accepted)
    store.transition(agent, c.id, CaseState.investigating, at=accepted + timedelta(hours=2))
    decided = _workday(store, (accident + timedelta(days=15)).date(), 15)
    store.decide(reviewer, c.id, confirm=True, situation_code="order_route_traffic" if case_type == "traffic"
                 else "order_task", at=decided, served_on=decided.date())  # handed over at the counter
    return c


def add_parameters(store: Store, actor: Actor, as_of: date) -> None:
    """benefit_base and the private-sector wage are not published: the demo enters
    assumed figures, clearly marked, so that its assessments can be shown. Each
    statistic year's figures apply from 1 July of the next year for a year (the
    switch day is data); death_base is derived from the wage as an administrator
    would (60%). Every day from the pilot's start through as_of's year is covered;
    later years repeat the last figure, also for the national income (death grant)."""
    from .parameters import stat_year_window
    bases = {2021: "7309.80", 2022: "7384.20", 2023: "7460.40"}
    wages = {2021: "10500.00", 2022: "11200.00", 2023: "11800.00", 2024: "12300.00"}
    for year in range(2021, max(as_of.year, 2026) + 1):
        vf, vt = stat_year_window("310000", year)
        store.add_parameter(actor, name="benefit_base", region="310000", valid_from=vf.isoformat(),
                            valid_to=vt.isoformat(), stat_year=year, value=bases.get(year, bases[max(bases)]),
                            status="unconfirmed", unit="元/月", source="演示数据（假定为上年全口径平均工资的60%）")
        store.add_wage_and_derived_base(actor, region="310000", stat_year=year, wage=wages.get(year, wages[max(wages)]),
                                        status="unconfirmed", source="演示数据（假定值，正式数据未公布）")
    shipped = max(r.valid_to for r in store.parameter_table().rows
                  if r.name == "national_urban_income" and r.valid_to)
    last = store.parameter_table().require("national_urban_income", "000000", shipped)
    for year in range(shipped.year + 1, max(as_of.year, 2026) + 1):
        store.add_parameter(actor, name="national_urban_income", region="000000", valid_from=f"{year}-01-01",
                            valid_to=f"{year}-12-31", stat_year=year - 1, value=str(last.value), unit="元/年",
                            status="unconfirmed", source="演示数据（沿用上一年度数值）")


def add_benefit_cases(store: Store, rng: random.Random, as_of: date, records) -> None:
    agent = Actor("agent", role="insurer_agent", display_name="李经办")
    reviewer = Actor("reviewer", role="reviewer", display_name="王审核")
    _death_case(store, rng, as_of, agent, reviewer, records)
    _reappraised_case(store, rng, as_of, agent, reviewer, records)


def _death_case(store: Store, rng: random.Random, as_of: date, agent: Actor, reviewer: Actor, records) -> None:
    accident = _at(max(as_of - timedelta(days=395), date(2022, 8, 1)), 18)
    pick = _pick(store, rng, "male", accident.date())
    born = date.fromisoformat(pick[2])
    death = (accident + timedelta(days=91)).date()  # three months after the accident, still in treatment
    surname = store.worker(pick[0]).name[0]
    spouse_name, child_name, father_name = "周丽萍", surname + "子涵", surname + "建国"
    area = pick[1][:6]
    spouse_id = _id(rng, area, born + timedelta(days=700), male=False)
    child_born = date(as_of.year - 9, 3, 17)
    child_id = _id(rng, area, child_born, male=False)
    father_id = _id(rng, area, born - timedelta(days=27 * 365), male=True)
    c = _confirmed(store, agent, reviewer, pick, accident, records, reporter=(spouse_name, "配偶"),
                   description="晚高峰送餐途中在路口被右转货车撞倒，颅脑重伤，送医抢救后住院治疗。")
    store.record_death(agent, c.id, death_date=death, death_cause="injury")
    bank = rng.choice(BANKS)
    spouse_card = _card(rng)
    store.set_claimant(agent, c.id, {"name": spouse_name, "relation": "配偶", "id_number": spouse_id,
                                     "phone": "139" + f"{rng.randrange(10**8):08d}",
                                     "address": "上海市徐汇区田林路200弄5号", "bank": bank, "account": spouse_card})
    for doc in ("death_records", "kinship_proof"):
        store.add_document(agent, c.id, doc_type=doc, pages=3, received_on=death + timedelta(days=6))
    store.add_dependant(agent, c.id, {"name": spouse_name, "relation": "spouse", "id_number": spouse_id,
                                      "basis": "配偶，无工作、无收入，依靠死者生前收入生活", "payee_bank": bank,
                                      "payee_account": spouse_card})
    store.add_dependant(agent, c.id, {"name": child_name, "relation": "child", "id_number": child_id,
                                      "basis": "未成年子女，由死者生前抚养", "payee_name": spouse_name,
                                      "payee_bank": bank, "payee_account": spouse_card})
    store.add_dependant(agent, c.id, {"name": father_name, "relation": "parent", "id_number": father_id,
                                      "basis": "父亲，年满60周岁、无收入，无其他子女赡养", "lone_elder": True,
                                      "payee_bank": rng.choice(BANKS), "payee_account": _card(rng)})
    t = _workday(store, death + timedelta(days=14))
    a, _ = store.assess(agent, c.id, at=t)
    a, _ = store.approve_assessment(reviewer, a.id)
    paid_on = store.calendar().on_working_day(t.date() + timedelta(days=3))
    pay, _ = store.prepare_payment(agent, a.id, kind="once", amount_fen=a.once_total_fen, payee=spouse_name,
                                   account=spouse_card, payee_bank=bank, due_on=paid_on)
    store.approve_payment(reviewer, pay.id, paid_on=paid_on, reference=f"银行流水{rng.randrange(10**8):08d}")
    store.transition(agent, c.id, CaseState.paid, "一次性待遇已支付，抚恤金按月发放", at=_at(paid_on, 16))
    pay_months(store, rng, a.id, agent, reviewer, as_of)  # every pension month since the month after the death


def _reappraised_case(store: Store, rng: random.Random, as_of: date, agent: Actor, reviewer: Actor,
                      records) -> None:
    accident = _at(max(as_of - timedelta(days=380), date(2022, 8, 1)), 11)
    pick = _pick(store, rng, "female", accident.date())
    c = _confirmed(store, agent, reviewer, pick, accident, records, case_type="injury",
                   description="取货时被货架倒塌砸伤右腿，胫腓骨骨折，住院手术治疗。")
    store.set_treatment_end(agent, c.id, (accident + timedelta(days=50)).date())
    store.transition(agent, c.id, CaseState.appraisal, at=_workday(store, (accident + timedelta(days=52)).date()))
    first = _workday(store, (accident + timedelta(days=80)).date()).date()
    store.record_appraisal(agent, c.id, grade=7, care_level=None, conclusion_no=f"沪劳鉴{first.year}第{rng.randrange(1000, 9999)}号",
                           concluded_on=first, at=_at(first))
    a, _ = store.assess(agent, c.id, at=_workday(store, first + timedelta(days=7)),
                        medical={"medical_expenses": "46800.00", "hospital_days": 21})
    a, _ = store.approve_assessment(reviewer, a.id)
    w = store.worker(pick[0])
    account, bank = w.bank_card or _card(rng), w.bank_name or rng.choice(BANKS)
    paid = _workday(store, first + timedelta(days=10)).date()
    pay, _ = store.prepare_payment(agent, a.id, kind="once", amount_fen=a.once_total_fen, payee=w.name,
                                   account=account, payee_bank=bank, due_on=paid)
    store.approve_payment(reviewer, pay.id, paid_on=paid, reference=f"银行流水{rng.randrange(10**8):08d}")
    store.transition(agent, c.id, CaseState.paid, "一次性伤残补助金已支付", at=_at(paid, 15))
    # within the 15 days for a re-appraisal (rules.md §4), the worker asks the higher committee again
    store.transition(agent, c.id, CaseState.appraisal, "对鉴定结论不服，申请再次鉴定", at=_at(paid, 16))
    later = _workday(store, first + timedelta(days=60)).date()
    store.record_appraisal(agent, c.id, grade=4, care_level=None, kind="re_appraisal", concluded_on=later,
                           at=_at(later), conclusion_no=f"沪劳鉴{later.year}第{rng.randrange(1000, 9999)}号（再次鉴定）")
    b, _ = store.assess(agent, c.id, at=_workday(store, later + timedelta(days=6)))
    b, _ = store.approve_assessment(reviewer, b.id)
    # the difference of the one-off benefit, then the disability allowance month by month
    t = _workday(store, later + timedelta(days=14), 14)
    pay_assessment(store, rng, store.case(c.id), t, agent, reviewer, as_of)
    store.transition(agent, c.id, CaseState.paid, "再次鉴定后补发差额，伤残津贴按月发放", at=t + timedelta(hours=1))
