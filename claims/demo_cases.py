"""The demo's cases, made through the same store methods and lifecycle
transitions as a clerk's clicks.

How many: injuries reported at a realistic rate per 1,000 workers per month
and industry (``CASE_RATE``, reasoned in the README: the pilot's 32,000
confirmations among 6.68 million covered in its first 15 months are about
0.3–0.6 confirmations per 1,000 covered per month, depending on how many of
the 6.68 million were covered at a time; couriers on electric bikes are
hurt far more often than car drivers). Their states follow a realistic mix
for cases of up to six months old; then one case is added for every state
that mix left out, so that a small demo still shows every state — the rate
is not inflated for it.

When: each case happens on a day the worker had orders (the day's order
records are written then, one of them in progress at the accident); the
steps that staff take (acceptance, decisions, appraisals, assessments,
payments) fall on working days of the holiday calendar, China time, before
``as_of``. Open cases are placed against their clocks (most within their time
limit, some due within a week, a few overdue)."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from . import checklist
from .clocks import clock_for, due_date
from .demo_orders import OrderRecords
from .enums import CaseState
from .store import Actor, Store
from .timeutil import SHANGHAI

# Reported injuries per 1,000 enrolled workers per month (README, "Demo data").
CASE_RATE = {"food_delivery": 0.8, "instant_delivery": 0.8, "ride_hailing": 0.12, "intra_city_freight": 0.4}
DEFAULT_RATE = 0.5

# The path of lifecycle steps that leads to each state.
PATHS: dict[str, list[str]] = {
    "reported": [], "awaiting_documents": ["awaiting_documents"], "accepted": ["accepted"],
    "investigating": ["accepted", "investigating"], "withdrawn": ["withdrawn"],
    "suspended": ["accepted", "suspended"],
    "confirmed": ["accepted", "investigating", "confirm"], "rejected": ["accepted", "investigating", "reject"],
    "disputed": ["accepted", "investigating", "reject", "disputed"],
    "appraisal": ["accepted", "investigating", "confirm", "appraisal"],
    "appraised": ["accepted", "investigating", "confirm", "appraisal", "appraise"],
    "assessed": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess"],
    "paid": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess", "pay"],
    "closed": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess", "pay", "closed"],
}
# Where the cases of a six-month cohort stand (weights): most decided and paid, some still on their way.
STATE_MIX = {"closed": 30, "paid": 12, "rejected": 9, "withdrawn": 5, "assessed": 3, "appraised": 3, "appraisal": 6,
             "confirmed": 8, "investigating": 7, "accepted": 5, "awaiting_documents": 5, "reported": 4,
             "suspended": 2, "disputed": 1}
# Disability grades of confirmed cases (None: healed without a grade), after 工伤 appraisal statistics:
# most injuries heal, most grades are 7–10, grades 1–4 are rare.
GRADE_MIX = [(None, 62), (10, 14), (9, 9), (8, 5), (7, 4), (6, 2), (5, 1.5), (4, 1), (3, 0.6), (2, 0.5), (1, 0.4)]
ROLE_STEPS = {"accepted", "investigating", "confirm", "reject", "appraisal", "appraise", "assess", "pay", "closed",
              "suspended", "disputed", "awaiting_documents", "withdrawn"}

# How the open cases with a clock stand on as_of, taken in turn: most within
# their time limit, some due within 7 days, a few overdue (home screen: 已逾期,
# 7 天内到期). Days left on as_of (due date minus as_of) for each kind:
DUE_MIX = ("ok", "ok", "soon", "ok", "overdue", "ok", "ok", "soon", "ok", "ok")
DAYS_LEFT = {"overdue": (-20, -1), "soon": (0, 7), "ok": (8, 400)}
REPORT_WITHIN = 7  # days from accident to report, at most (recent cases)
STEP_DAYS = (1, 12)  # days between lifecycle steps when fitting a recent case to its clock

# What happened, by kind of work (accounts that fit the industry): (case type, account, injured parts).
COURIER = [("traffic", "送餐途中在路口被右转车辆刮倒，摔伤后由路人拨打120送医。", ["左腿", "左臂"]),
           ("traffic", "骑电动自行车赶往取餐点时与横穿马路的行人避让不及，连人带车摔倒。", ["右手腕", "膝部"]),
           ("injury", "取餐时在商户门口湿滑台阶上滑倒，手部着地受伤。", ["右手腕"]),
           ("injury", "爬楼送餐时在楼梯间踩空，扭伤脚踝。", ["左脚踝"]),
           ("violence", "送达时因超时与顾客发生争执，被对方推搡打伤。", ["头部", "面部"])]
DRIVER = [("traffic", "载客途中在高架匝道被后车追尾，颈部受伤。", ["颈部"]),
          ("traffic", "接乘客途中在路口与闯红灯的车辆相撞。", ["胸部", "右臂"]),
          ("injury", "协助乘客将行李搬上后备箱时腰部扭伤。", ["腰部"])]
FREIGHT = [("injury", "装卸货物时货箱倾倒，砸伤右脚。", ["右脚"]),
           ("injury", "搬运家具下楼时踩空滑倒，腰背部受伤。", ["腰部", "背部"]),
           ("traffic", "运货途中在路口与电动自行车相撞，车辆侧翻。", ["头部", "左臂"])]
ACCOUNTS = {"food_delivery": COURIER, "instant_delivery": COURIER, "ride_hailing": DRIVER,
            "intra_city_freight": FREIGHT}
SITUATION = {"traffic": "order_route_traffic", "injury": "order_task", "violence": "order_violence"}
PLACES = ["浦东新区张杨路与源深路路口", "徐汇区漕溪北路88号附近", "静安区南京西路1266号门口", "闵行区七宝镇漕宝路",
          "杨浦区国定路与政立路口", "长宁区中山公园地铁站旁", "普陀区曹杨路桥下", "宝山区友谊路商场停车场"]
HOSPITALS = ["上海市第六人民医院", "复旦大学附属中山医院", "上海交通大学医学院附属瑞金医院", "上海市第一人民医院",
             "复旦大学附属华山医院", "上海市东方医院"]
# Why the one demo confirmation that the order records do not support stands.
OVERRIDE_REASON = ("交警出具的道路交通事故认定书载明事故发生时其正在送达订单，平台导出的订单记录漏传该单，"
                   "已函请平台补传；站长证言与骑手端截图一致")


def case_targets(store: Store, rng: random.Random, window_days: int) -> list[tuple[str, str]]:
    """(state, industry) of every case to make: the rate's cases with the
    cohort's state mix, then one for each state still missing."""
    per_ind = dict(store.conn.execute("SELECT industry, count(DISTINCT worker_id) FROM enrollments GROUP BY industry"))
    months = window_days / 30.4
    expected = {ind: CASE_RATE.get(ind, DEFAULT_RATE) * n * months / 1000 for ind, n in per_ind.items()}
    counts = {ind: int(expected[ind]) + (rng.random() < expected[ind] % 1) for ind in sorted(expected)}
    states = quota(STATE_MIX, sum(counts.values()))  # the cohort's mix, by largest remainder (not a lottery)
    rng.shuffle(states)
    targets = [(states.pop(), ind) for ind in sorted(counts) for _ in range(counts[ind])]
    inds, ind_w = list(expected), [expected[i] + 1e-9 for i in expected]
    for state in PATHS:  # every state at least once: added cases, drawn from the industries as cases are
        if all(t[0] != state for t in targets):
            targets.append((state, rng.choices(inds, ind_w)[0]))
    rng.shuffle(targets)
    return targets


def quota(weights: dict, n: int) -> list:
    """``n`` keys in proportion to ``weights``: whole shares first, the rest by largest remainder."""
    total = sum(weights.values())
    exact = {k: w * n / total for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: -(exact[k] - out[k]))[:n - sum(out.values())]:
        out[k] += 1
    return [k for k, c in out.items() for _ in range(c)]


def grades_for(rng: random.Random, n: int) -> list:
    """Disability grades of ``n`` appraised cases: the mix's quantiles (most heal
    without a grade, a few grades 7–10; grades 1–6 only in larger demos), shuffled."""
    cum, acc = [], 0.0
    total = sum(w for _g, w in GRADE_MIX)
    for g, w in GRADE_MIX:
        acc += w / total
        cum.append((acc, g))
    out = [next(g for c, g in cum if (k + 0.5) / n <= c) for k in range(n)]
    rng.shuffle(out)
    return out


def make_cases(store: Store, rng: random.Random, as_of: date, window_start: date, orders: OrderRecords,
               person_name, manager_stations: list[str] = (), window_days: int | None = None) -> None:
    """The cases of ``case_targets``; then, for the demo's station manager (whose
    station is ``manager_stations[0]``), a case just reported at their station and
    one under investigation at another station of their platform, so that what
    their scope shows and hides can be seen."""
    agent = Actor("agent", role="insurer_agent", display_name="李经办")
    reviewer = Actor("reviewer", role="reviewer", display_name="王审核")
    cal = store.calendar()
    targets = case_targets(store, rng, window_days or (as_of - window_start).days)
    targets += [(state, f"station:{sid}") for state, sid in zip(("reported", "investigating"), manager_stations)]
    pool: dict[str, list] = {}
    wanted = {t[1] for t in targets}  # industries, and the manager's stations
    for wid, pid, sid, ind in store.conn.execute(
            "SELECT e.worker_id, e.platform_id, e.station_id, e.industry FROM enrollments e ORDER BY e.rowid"):
        for key in (ind, f"station:{sid}"):
            if key not in wanted and key != ind:
                continue
            lst = pool.setdefault(key, [])
            if len(lst) < 20 * len(targets) + 50:
                lst.append((wid, pid, sid, ind))
    used: set[str] = set()
    grades = grades_for(rng, sum(1 for t, _i in targets if t in ("appraised", "assessed", "paid", "closed")))
    n_clock = 0
    overridden = False
    for target, ind in targets:
        cands = ([p for p in pool.get(ind) or () if p[0] not in used]  # a worker of the industry with no case yet,
                 or [p for lst in pool.values() for p in lst if p[0] not in used]  # else of another (a small demo),
                 or list(pool.get(ind) or next(iter(pool.values()))))  # else a second case of someone
        rng.shuffle(cands)
        if clock_for(target):  # open with a deadline: a recent accident, placed against the clock
            want = DUE_MIX[n_clock % len(DUE_MIX)]
            n_clock += 1
            pick, acc, order_no, reported_at, times = _recent_case(store, rng, cands[:6], target, want, as_of, orders,
                                                                   cal, window_start)
        else:
            pick, acc, order_no, reported_at, times = _older_case(store, rng, cands[:6], target, as_of, orders, cal,
                                                                  window_start)
        wid, pid, sid, ind = pick
        used.add(wid)
        if "reject" in PATHS[target]:  # a refusal: the accident happened outside any order
            acc, order_no = _outside_orders(store, wid, pid, acc), ""
        elif target == "confirmed" and not overridden:  # one confirmation the order records do not support
            acc, order_no, overridden = _outside_orders(store, wid, pid, acc), "", True
        case_type, account, parts = rng.choice(ACCOUNTS.get(str(ind), COURIER))
        case, _ = store.report_case(
            agent, worker_id=wid, platform_id=pid, industry=ind, station_id=sid, accident_at=acc,
            order_no=order_no, place=rng.choice(PLACES), hospital=rng.choice(HOSPITALS), diagnosed_on=acc.date(),
            body_parts="、".join(parts), description=account, case_type=case_type,
            reporter_name=person_name(rng), reporter_relation=rng.choice(["本人", "配偶", "站长"]),
            channel=rng.choice(["phone", "counter", "platform"]), reported_at=reported_at, allow_duplicate=True)
        _documents(store, agent, case, target)
        grade = grades.pop() if target in ("appraised", "assessed", "paid", "closed") else None
        for step, t in zip(PATHS[target], times):
            _step(store, rng, case, step, t, agent, reviewer, grade, as_of)


def _outside_orders(store: Store, worker_id: str, platform_id: str, acc: datetime) -> datetime:
    """``acc``, or an earlier time when no order of the worker was in progress."""
    t = acc - timedelta(hours=3)
    while store.orders_at(worker_id, t, platform_id)["in_progress"]:
        t -= timedelta(minutes=97)
    return t


def _documents(store: Store, agent: Actor, case, target: str) -> None:
    """The documents handed in with the report: every one the checklist asks of a case that
    has reached a decision; before the decision all but the last (the payee's bank card,
    wanted only for payment); for a case waiting for documents, all but the first two (the
    ID and the order record: the notice lists what is still missing); none for a case just
    reported or withdrawn at once."""
    required = checklist.required_documents(case)
    steps = PATHS[target]
    if "confirm" in steps or "reject" in steps:
        handed = required
    elif "accepted" in steps:
        handed = required[:-1]
    elif target == "awaiting_documents":
        handed = required[2:]
    else:
        return
    day = case.reported_at.astimezone(SHANGHAI).date()
    for i, d in enumerate(handed):
        store.add_document(agent, case.id, doc_type=d["code"], pages=(1, 2, 1, 3)[i % 4], received_on=day)


def _midpoint(order) -> datetime:
    acc, fin = datetime.fromisoformat(order[1]), datetime.fromisoformat(order[2])
    return acc + (fin - acc) / 2


def at_work(d: date, rng: random.Random, first_hour: int = 9, last_hour: int = 16) -> datetime:
    return datetime.combine(d, time(rng.randint(first_hour, last_hour), rng.randrange(60)), SHANGHAI)


def working_days(cal, days: list[date], lo: date, hi: date) -> list[date]:
    """``days`` moved onto working days (the next one; the one before when that
    would pass ``hi``), kept in order and within lo … hi."""
    out, prev = [], lo
    for d in days:
        d = max(d, prev)
        w = cal.on_working_day(d)
        if w > hi:
            w = min(d, hi)
            while not cal.is_working_day(w) and w > prev:
                w -= timedelta(days=1)
        out.append(w)
        prev = w
    return out


def _times(cal, rng: random.Random, days: list[date], steps: list[str], lo: date, hi: date) -> list[datetime]:
    """A time for each step: staff's steps on working days, strictly increasing."""
    staff = working_days(cal, days, lo, hi)
    out: list[datetime] = []
    for d, w, step in zip(days, staff, steps):
        t = at_work(w if step in ROLE_STEPS else d, rng)
        if out and t <= out[-1]:
            t = out[-1] + timedelta(minutes=rng.randint(20, 90))
        out.append(t)
    return out


def _count_days(store: Store, wid: str, pid: str, lo: date, hi: date) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT day FROM daily_counts WHERE worker_id = ? AND platform_id = ? AND day >= ? AND day <= ?"
        " ORDER BY day", (wid, pid, lo.isoformat(), hi.isoformat()))]


def _older_case(store, rng, candidates, target, as_of, orders: OrderRecords, cal, window_start: date):
    """An accident on one of a worker's orders on a day with orders, reported
    2–30 hours later, each step 1–6 days after the one before: all before as_of."""
    steps = PATHS[target]
    span = timedelta(hours=30) + timedelta(days=6 * len(steps) + 4)
    cutoff = as_of - span - timedelta(days=1)
    pick, acc, order_no = candidates[0], None, ""
    for cand in candidates:
        days = _count_days(store, cand[0], cand[1], window_start, cutoff)
        if days:
            day = rng.choice(days)
            recs = orders.day(cand[0], cand[1], cand[3], day)
            if recs:
                o = rng.choice(recs)
                pick, acc, order_no = cand, _midpoint(o), o[0]
                break
    if acc is None:  # nobody tried worked early enough: a plain time in the window
        acc = datetime.combine(window_start + timedelta(days=rng.randint(0, max(0, (cutoff - window_start).days))),
                               time(12), SHANGHAI)
    t = acc + timedelta(hours=rng.randint(2, 30))
    reported_at, days = t, []
    d = t.date()
    for _ in steps:
        d += timedelta(days=rng.randint(1, 6))
        days.append(d)
    return pick, acc, order_no, reported_at, _times(cal, rng, days, steps, t.date(), as_of - timedelta(days=1))


def _recent_case(store, rng, candidates, target, want, as_of, orders: OrderRecords, cal, window_start: date):
    """A case that ends in ``target`` (a state with a clock) whose time limit
    stands as ``want`` on as_of. The clock starts on a working day chosen for
    that (the report, the notice, the acceptance, the appraisal request or
    conclusion); the accident is on one of the worker's orders a few days
    earlier, trying a few workers until one has a day that fits; a plain time
    only when none of them has. Everything happens before as_of."""
    path = PATHS[target]
    n_pre = path.index("accepted") + 1 if clock_for(target)["from"] == "accepted" else len(path)
    post = len(path) - n_pre  # steps after the one that starts the clock (investigating)
    lo, hi = DAYS_LEFT[want]
    options = [a for a in (as_of - timedelta(days=k) for k in range(1 + post, 400))
               if (n_pre == 0 or cal.is_working_day(a)) and lo <= (due_date(target, a, a, cal) - as_of).days <= hi]
    start = rng.choice(options) if options else as_of - timedelta(days=1 + post)
    gaps = [rng.randint(1, 6) for _ in range(n_pre)]
    r_min, r_max = start - timedelta(days=STEP_DAYS[1] * n_pre), start - timedelta(days=STEP_DAYS[0] * n_pre)

    def report_days(acc: datetime) -> tuple[date, date]:
        """The days the report can fall on after an accident at ``acc``."""
        return (max((acc + timedelta(hours=2)).date(), r_min),
                min(acc.date() + timedelta(days=REPORT_WITHIN), r_max))

    def fits(order) -> bool:
        first, last = report_days(_midpoint(order))
        return first <= last

    nominal = start - timedelta(days=sum(gaps) + rng.randint(0, 1))
    chosen = None
    for cand in candidates:
        days = _count_days(store, cand[0], cand[1], max(window_start, r_min - timedelta(days=REPORT_WITHIN)), r_max)
        for day in sorted(days, key=lambda d: (abs((date.fromisoformat(d) - nominal).days), d)):
            have = orders.of_day(cand[0], cand[1], day)
            plan = [] if have else orders.plan(cand[0], cand[1], cand[3], day)
            recs = have or [("", p[4].isoformat(), p[5].isoformat()) for p in plan]
            usable = [o for o in recs if fits(o)]
            if usable:
                if plan:
                    recs = orders.write(plan)
                    usable = [o for o in recs if fits(o)]
                o = min(usable, key=lambda o: (abs((_midpoint(o).date() - nominal).days), o[1]))
                chosen = cand, _midpoint(o), o[0]
                break
        if chosen:
            break
    if chosen is None:  # no worker tried has a day that fits: a plain time
        acc_day = min(max(nominal, r_min - timedelta(days=REPORT_WITHIN)), r_max)
        chosen = candidates[0], datetime.combine(acc_day, time(12), SHANGHAI), ""
    pick, acc, order_no = chosen
    first, last = report_days(acc)
    report_day = min(max(start - timedelta(days=sum(gaps)), first), last)
    if report_day == acc.date():
        room = int((datetime.combine(report_day, time(23, 59), SHANGHAI) - acc).total_seconds() // 60) - 120
        reported_at = acc + timedelta(minutes=120 + rng.randrange(max(1, min(room, 8 * 60))))
    else:
        reported_at = at_work(report_day, rng, 8, 20)
    total = (start - report_day).days  # spread over the steps up to the clock's start, 1-12 days each
    while sum(gaps) != total:
        i = rng.randrange(n_pre)
        if sum(gaps) < total and gaps[i] < STEP_DAYS[1]:
            gaps[i] += 1
        elif sum(gaps) > total and gaps[i] > STEP_DAYS[0]:
            gaps[i] -= 1
    d, days = report_day, []
    for g in gaps:
        d += timedelta(days=g)
        days.append(d)
    for k in range(post):  # steps after the clock started: still before as_of
        room = (as_of - d).days - (post - k)
        d += timedelta(days=min(rng.randint(1, 6), room))
        days.append(d)
    # staff's steps on working days: the clock's start already is one, and no earlier step passes it
    return pick, acc, order_no, reported_at, _times(cal, rng, days, path, report_day, as_of - timedelta(days=1))


def medical(rng: random.Random) -> dict:
    """Approved medical costs: most a few thousand yuan, a few tens of thousands."""
    fee = min(150_000, max(600, round(math.exp(rng.gauss(math.log(7000), 0.9)))))
    return {"medical_expenses": f"{fee}.00", "hospital_days": 0 if fee < 4000 else rng.randint(2, 25)}


def _step(store, rng, case, step, t, agent, reviewer, grade, as_of: date):
    if step == "confirm":
        evidence = store.decision_evidence(case.id)
        store.decide(reviewer, case.id, confirm=True, at=t, served_on=t.date(),
                     situation_code=SITUATION.get(case.case_type, "order_task"),
                     override_reason=OVERRIDE_REASON if evidence.problems(True) else "")
    elif step == "reject":
        store.decide(reviewer, case.id, confirm=False, at=t, served_on=t.date(), reasons="事故发生时未处于接单状态，且非往返订单地点的合理路线")
    elif step == "appraise":
        store.record_appraisal(agent, case.id, grade=grade, care_level=None, at=t,
                               conclusion_no=f"沪劳鉴{t.year}第{rng.randrange(1000, 9999)}号", concluded_on=t.date())
    elif step == "assess":
        a, _ = store.assess(agent, case.id, at=t, outcome="disability" if grade else "injury", medical=medical(rng))
        store.approve_assessment(reviewer, a.id)
    elif step == "pay":
        pay_assessment(store, rng, case, t, agent, reviewer, as_of)
        store.transition(agent, case.id, CaseState.paid, "一次性待遇已支付", at=t)
    elif step == "awaiting_documents":  # one notice listing every missing document
        store.issue_missing_notice(agent, case.id, at=t)
    elif step == "disputed":
        store.transition(agent, case.id, CaseState.disputed, "申请人申请行政复议", at=t)
    else:
        store.transition(agent, case.id, CaseState(step), "", at=t)


def pay_assessment(store, rng, case, t: datetime, agent, reviewer, as_of: date) -> None:
    """Pay the latest assessment's one-off items on ``t``, and its monthly items
    month by month from their first month up to the month before as_of (each
    on a working day early in its month)."""
    a = store.assessments_of(case.id)[-1]
    w = store.worker(case.worker_id)
    if a.once_total_fen:
        p, _ = store.prepare_payment(agent, a.id, kind="once", amount_fen=a.once_total_fen, payee=w.name,
                                     account=w.bank_card, payee_bank=w.bank_name, due_on=t.date())
        store.approve_payment(reviewer, p.id, paid_on=t.date(), reference=f"银行流水{rng.randrange(10**8):08d}")
    if a.monthly_total_fen:
        pay_months(store, rng, a.id, agent, reviewer, as_of)


def pay_months(store, rng, assessment_id: str, agent, reviewer, as_of: date) -> None:
    """Every month of every series of the assessment from its start to the month before as_of, paid."""
    from .monthly import add_months
    cal = store.calendar()
    last = f"{(as_of.replace(day=1) - timedelta(days=1)):%Y-%m}"
    for s in store.monthly_series(assessment_id):
        first = s.next_month
        if first is None or first > last:
            continue
        n = 0
        while add_months(first, n) <= last and (s.last is None or add_months(first, n) <= s.last):
            n += 1
        pays, _ = store.schedule_monthly_payments(agent, assessment_id, first, n, series=s.key)
        for p in pays:
            y, m = map(int, p.period_month.split("-"))
            day = cal.on_working_day(date(y, m, 5))
            if day >= as_of:
                continue
            store.approve_payment(reviewer, p.id, paid_on=day, reference=f"银行流水{rng.randrange(10**8):08d}")
