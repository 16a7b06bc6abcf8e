"""运行分析 figures against hand counts on a small fixed data set.

Platforms 美团 (P1: 外卖, 即时配送) and 滴滴出行 (P2: 出行); stations S1 (P1,
浦东 310115), S2 (P1, 徐汇 310104), S3 (P2, 浦东 310115).

Enrollments                                   Daily counts (region 310000)
  W1 P1 外卖   S1 2025-01-10 –                   W1 P1 外卖 02-03: 3, 02-10: 2, 03-05: 4
  W2 P1 即时   S2 2025-02-01 – 2025-03-31        W2 P1 即时 02-04: 5
  W3 P2 出行   S3 2025-01-01 –                   W3 P2 出行 02-05: 1, 03-06: 2
  W3 P1 外卖   S1 2025-03-15 –                   W3 P1 外卖 03-20: 6
  W4 P2 出行   S3 2025-03-01 –                   W4 P2 出行 03-07: 3
  W5 registered, never enrolled

Enrolled: Jan W1 W3 = 2; Feb W1 W2 W3 = 3; Mar W1 W2 W3 W4 = 4; Apr W1 W3 W4 = 3.
Active:   Feb W1 W2 W3 = 3 (11 orders, 4 worker-days); Mar W1 W3 W4 = 3 (15 orders, 4 days).
"""
from datetime import date, datetime, timedelta

import pytest

from claims import stats as S
from claims.store import Actor
from claims.timeutil import SHANGHAI

ADMIN = Actor("admin", role="admin", display_name="管理员")
AGENT = Actor("agent", role="insurer_agent", display_name="李经办")
REVIEWER = Actor("reviewer", role="reviewer", display_name="王审核")
IDS = ["110101199003071234", "310101198501012345", "320102199212120017", "440305198807083310",
       "510104199506060024"]


def _id(i: int) -> str:
    from claims.validators import id_check_char
    first = IDS[i][:17]
    return first + id_check_char(first)


def t(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def fx_template(tmp_path_factory):
    """The fixed data set, built once; each test gets its own copy."""
    from claims.store import Store
    path = tmp_path_factory.mktemp("stats") / "fixed.db"
    s = Store(path, "TEST", create=True)
    made = _build(s)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path, {k: (v.id if hasattr(v, "id") else [x.id for x in v]) for k, v in made.items()}


@pytest.fixture
def fx(fx_template, tmp_path):
    import shutil

    from claims.store import Store
    path, ids = fx_template
    shutil.copy2(path, tmp_path / "fixed.db")
    s = Store(tmp_path / "fixed.db", "TEST")
    out = {"s": s, "w": [s.worker(i) for i in ids["w"]]}
    out.update({k: s.platform(ids[k]) for k in ("p1", "p2")})
    out.update({k: s.station(ids[k]) for k in ("s1", "s2", "s3")})
    yield out
    s.close()


def _build(s):
    p1, _ = s.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    p2, _ = s.add_platform(ADMIN, name="滴滴出行", industries=["ride_hailing"])
    s1, _ = s.add_station(ADMIN, platform_id=p1.id, name="浦东站", district="310115")
    s2, _ = s.add_station(ADMIN, platform_id=p1.id, name="徐汇站", district="310104")
    s3, _ = s.add_station(ADMIN, platform_id=p2.id, name="浦东站", district="310115")
    w = []
    for i in range(5):
        wk, _ = s.add_worker(ADMIN, {"name": f"测试{i + 1}", "id_number": _id(i), "phone": f"1380000000{i}"})
        w.append(wk)
    for wi, p, ind, st, start, end in [
            (0, p1, "food_delivery", s1, "2025-01-10", None), (1, p1, "instant_delivery", s2, "2025-02-01", "2025-03-31"),
            (2, p2, "ride_hailing", s3, "2025-01-01", None), (2, p1, "food_delivery", s1, "2025-03-15", None),
            (3, p2, "ride_hailing", s3, "2025-03-01", None)]:
        s.enroll(ADMIN, worker_id=w[wi].id, platform_id=p.id, industry=ind, station_id=st.id, start_on=start,
                 end_on=end)
    counts = [(0, p1, "food_delivery", "2025-02-03", 3), (0, p1, "food_delivery", "2025-02-10", 2),
              (0, p1, "food_delivery", "2025-03-05", 4), (1, p1, "instant_delivery", "2025-02-04", 5),
              (2, p2, "ride_hailing", "2025-02-05", 1), (2, p2, "ride_hailing", "2025-03-06", 2),
              (2, p1, "food_delivery", "2025-03-20", 6), (3, p2, "ride_hailing", "2025-03-07", 3)]
    with s.atomic():  # the bulk path: plain executemany
        s.conn.executemany("INSERT INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
                           " VALUES (?, ?, ?, '310000', ?, ?, 'imported')",
                           [(w[i].id, p.id, ind, day, n) for i, p, ind, day, n in counts])
    # fees: 外卖 2.00, 即时配送 1.00, 出行 0.50 per order
    for ind, units in (("food_delivery", 20000), ("instant_delivery", 10000), ("ride_hailing", 5000)):
        s.add_fee_rate(ADMIN, industry=ind, region="310000", valid_from="2022-07-01", valid_to="2025-06-30",
                       amount_units=units, status="unconfirmed", source="测试")
    d1, _ = s.create_declaration(ADMIN, p1.id, "310000", "2025-02", {"food_delivery": 4})  # 800 + 500
    s.declare(ADMIN, d1.id, date(2025, 3, 10))
    s.record_fee_payment(ADMIN, d1.id, paid_on=date(2025, 3, 14), amount_fen=1000)
    d2, _ = s.create_declaration(ADMIN, p2.id, "310000", "2025-02")  # 50
    s.declare(ADMIN, d2.id, date(2025, 3, 10))
    s.record_fee_payment(ADMIN, d2.id, paid_on=date(2025, 3, 15), amount_fen=50)
    d3, _ = s.create_declaration(ADMIN, p1.id, "310000", "2025-03")  # 10 外卖 = 2000, unpaid
    s.declare(ADMIN, d3.id, date(2025, 4, 10))
    # cases
    def report(wi, p, ind, st, day, body):
        c, _ = s.report_case(AGENT, worker_id=w[wi].id, platform_id=p.id, industry=ind, station_id=st.id,
                             accident_at=t(day, 8) - timedelta(days=1), reported_at=t(day), body_parts=body,
                             description="送单途中摔倒")
        return c

    def to_investigation(c, day):
        s.transition(AGENT, c.id, "accepted", at=t(day))
        s.transition(AGENT, c.id, "investigating", at=t(day, 11))

    def assess_and_pay(c, day, items, pay_fen, kind="once"):
        once = sum(int(i["amount"].replace(".", "")) for i in items if i["period"] == "once")
        monthly = sum(int(i["amount"].replace(".", "")) for i in items if i["period"] == "monthly")
        a, _ = s.save_assessment(AGENT, c.id, {"rule_set": "pilot-2022", "items": items,
                                               "once_total": f"{once / 100:.2f}", "monthly_total": f"{monthly / 100:.2f}"},
                                 at=t(day))
        s.approve_assessment(REVIEWER, a.id)
        return a

    def pay(a, kind, fen, day):
        p, _ = s.prepare_payment(AGENT, a.id, kind=kind, amount_fen=fen, payee="测试", due_on=date.fromisoformat(day))
        s.approve_payment(REVIEWER, p.id, paid_on=date.fromisoformat(day))

    c1 = report(0, p1, "food_delivery", s1, "2025-02-10", "左腿、右臂")
    to_investigation(c1, "2025-02-11")
    s.decide(REVIEWER, c1.id, confirm=True, situation_code="order_task", override_reason="调查核实：事故时正在执行订单",
             decided_on=date(2025, 2, 20), at=t("2025-02-20"))
    a1 = assess_and_pay(c1, "2025-03-01", [
        {"code": "medical_expenses", "name": "医疗费", "period": "once", "amount": "1000.00"},
        {"code": "one_off_disability", "name": "一次性伤残补助金", "period": "once", "amount": "3000.00"},
        {"code": "disability_allowance", "name": "伤残津贴", "period": "monthly", "amount": "500.00"}], 0)
    pay(a1, "once", 400000, "2025-03-12")
    s.transition(AGENT, c1.id, "paid", at=t("2025-03-12"))
    pay(a1, "monthly", 50000, "2025-04-05")
    c2 = report(2, p2, "ride_hailing", s3, "2025-02-15", "头部")
    to_investigation(c2, "2025-02-16")
    s.decide(REVIEWER, c2.id, confirm=False, reasons="未处于接单状态",
             decided_on=date(2025, 3, 1), at=t("2025-03-01"))
    c3 = report(3, p2, "ride_hailing", s3, "2025-03-02", "左腿")
    to_investigation(c3, "2025-03-03")
    s.decide(REVIEWER, c3.id, confirm=True, situation_code="order_route_traffic", override_reason="调查核实：事故时正在执行订单",
             decided_on=date(2025, 3, 6), at=t("2025-03-06"))
    a3 = assess_and_pay(c3, "2025-03-10", [
        {"code": "medical_expenses", "name": "医疗费", "period": "once", "amount": "100.00"},
        {"code": "hospital_food_allowance", "name": "住院伙食补助费", "period": "once", "amount": "200.00"}], 0)
    pay(a3, "once", 10000, "2025-03-22")
    s.transition(AGENT, c3.id, "paid", at=t("2025-03-22"))
    c4 = report(1, p1, "instant_delivery", s2, "2025-03-10", "右臂")
    s.transition(AGENT, c4.id, "withdrawn", at=t("2025-03-12"))
    report(0, p1, "food_delivery", s1, "2025-03-20", "腰部")
    return {"p1": p1, "p2": p2, "s1": s1, "s2": s2, "s3": s3, "w": w}


TODAY = date(2026, 11, 30)


def F(a="2025-01", b="2025-04", **kw):
    return S.StatsFilter(a, b, **kw)


# --- pure functions ---------------------------------------------------------------------

def test_median_percentile_ratio_allocate():
    assert S.median([]) is None and S.median([7]) == 7
    assert S.median([10, 14, 4]) == 10 and S.median([30, 20]) == 25
    assert S.percentile([10, 14, 4], 90) == 14 and S.percentile(list(range(1, 11)), 90) == 9
    assert S.percentile([5], 90) == 5 and S.percentile([], 90) is None
    assert S.ratio(1, 0) is None and S.ratio(1, 4) == 0.25
    assert S.allocate(1000, [800, 500]) == [615, 385]
    assert S.allocate(10000, [10000, 20000]) == [3333, 6667]
    assert sum(S.allocate(7, [1, 1, 1])) == 7 and S.allocate(5, [0, 0]) == [3, 2]


def test_region_within_and_months():
    assert S.region_within("310115", "310000") and S.region_within("310000", "310000")
    assert not S.region_within("310000", "310115") and not S.region_within("320102", "310000")
    assert S.months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    with pytest.raises(ValueError):
        S.StatsFilter("2025-03", "2025-01")


def test_split_payment_by_item_and_period():
    items = [{"code": "a", "name": "A", "period": "once", "amount": "100.00"},
             {"code": "b", "name": "B", "period": "once", "amount": "200.00"},
             {"code": "m", "name": "M", "period": "monthly", "amount": "50.00"}]
    assert S.split_payment(10000, "once", items) == [("a", "A", "once", 3333), ("b", "B", "once", 6667)]
    assert S.split_payment(5000, "monthly", items) == [("m", "M", "monthly", 5000)]
    assert S.split_payment(100, "monthly", items[:2])[0][0] == "unitemized"


# --- enrollment and activity ---------------------------------------------------------------

def test_enrolled_and_active_per_month(fx):
    a = fx["s"].stats_activity(F())
    assert dict(a.enrolled) == {"2025-01": 2, "2025-02": 3, "2025-03": 4, "2025-04": 3}
    assert {m: a.active[m] for m in a.months} == {"2025-01": 0, "2025-02": 3, "2025-03": 3, "2025-04": 0}
    assert a.orders["2025-02"] == 11 and a.orders["2025-03"] == 15
    assert a.worker_days["2025-02"] == 4 and a.worker_days["2025-03"] == 4
    assert dict(a.enrolled_by_industry["2025-03"]) == {"food_delivery": 2, "instant_delivery": 1, "ride_hailing": 2}
    assert dict(a.active_by_industry["2025-03"]) == {"food_delivery": 2, "ride_hailing": 2}


def test_activity_filters(fx):
    s, p1, p2 = fx["s"], fx["p1"], fx["p2"]
    a = s.stats_activity(F(platform_id=p1.id))
    assert a.enrolled["2025-03"] == 3 and a.active["2025-03"] == 2 and a.orders["2025-03"] == 10
    a = s.stats_activity(F(platform_id=p2.id))
    assert a.enrolled["2025-01"] == 1 and a.active["2025-03"] == 2 and a.orders["2025-03"] == 5
    a = s.stats_activity(F(station_id=fx["s3"].id))
    assert a.enrolled["2025-03"] == 2 and a.active["2025-02"] == 1
    a = s.stats_activity(F(industry="food_delivery"))
    assert a.enrolled["2025-02"] == 1 and a.active["2025-03"] == 2 and a.orders["2025-03"] == 10
    a = s.stats_activity(F(region="310115"))  # S1 and S3: W3 in both counts once
    assert a.enrolled["2025-03"] == 3 and a.active["2025-03"] == 3 and a.orders["2025-02"] == 6
    a = s.stats_activity(F(region="310104"))
    assert a.enrolled["2025-03"] == 1 and a.enrolled["2025-04"] == 0 and a.orders["2025-02"] == 5
    a = s.stats_activity(F(region="310000"))
    assert a.enrolled["2025-03"] == 4 and a.orders["2025-03"] == 15
    assert s.stats_activity(F(region="320000")).active["2025-03"] == 0


def test_imported_orders_mark_their_month_and_the_figures_follow(fx):
    s, w = fx["s"], fx["w"]
    s.refresh_stats()
    assert s.stats_pending() == []
    rows = [(i, {"platform": "滴滴出行", "industry": "出行", "id_number": w[3].id_number, "region": "310000",
                 "order_no": f"X{i}", "accepted_at": f"2025-04-0{i}T09:00:00"}) for i in (1, 2)]
    s.import_orders(ADMIN, rows)
    assert ("activity", "2025-04") in s.stats_pending()
    s.refresh_stats()
    assert s.stats_pending() == []
    a = s.stats_activity(F())
    assert a.active["2025-04"] == 1 and a.orders["2025-04"] == 2 and a.active["2025-03"] == 3
    s.enroll(ADMIN, worker_id=w[4].id, platform_id=fx["p2"].id, industry="ride_hailing", station_id=fx["s3"].id,
             start_on="2025-04-02")
    assert s.stats_activity(F()).enrolled["2025-04"] == 4  # read refreshes what is dirty


# --- fees and declarations -------------------------------------------------------------------

def test_fees_due_and_paid_per_month(fx):
    fees = {m.month: m for m in fx["s"].stats_fees(F(), TODAY)}
    feb, mar = fees["2025-02"], fees["2025-03"]
    assert (feb.declarations, feb.due_fen, feb.paid_fen, feb.outstanding_fen, feb.overdue) == (2, 1350, 1050, 300, 1)
    assert feb.orders_declared == 10
    assert (mar.declarations, mar.due_fen, mar.paid_fen, mar.overdue) == (1, 2000, 0, 1)
    assert fees["2025-01"].declarations == 0
    inst = {m.month: m for m in fx["s"].stats_fees(F(industry="instant_delivery"), TODAY)}["2025-02"]
    assert (inst.due_fen, inst.paid_fen) == (500, 385)  # 1000 × 500/1300, rounded to the fen
    p2 = {m.month: m for m in fx["s"].stats_fees(F(platform_id=fx["p2"].id), TODAY)}
    assert p2["2025-02"].due_fen == 50 and p2["2025-03"].declarations == 0
    assert sum(m.due_fen for m in fx["s"].stats_fees(F(region="310115"), TODAY)) == 0


def test_declaration_gaps(fx):
    rows = fx["s"].stats_gaps(F(), TODAY)
    by = {(r.platform_id, r.month, r.industry): r for r in rows}
    p1, p2 = fx["p1"].id, fx["p2"].id
    food = by[(p1, "2025-02", "food_delivery")]
    assert (food.recorded, food.declared, food.difference, food.due_fen, food.paid_fen, food.unpaid_fen) == \
        (5, 4, -1, 800, 615, 185)
    inst = by[(p1, "2025-02", "instant_delivery")]
    assert (inst.difference, inst.due_fen, inst.paid_fen, inst.unpaid_fen) == (0, 500, 385, 115)
    assert by[(p2, "2025-02", "ride_hailing")].unpaid_fen == 0
    mar = by[(p1, "2025-03", "food_delivery")]
    assert (mar.recorded, mar.declared, mar.unpaid_fen, mar.status) == (10, 10, 2000, "overdue")
    missing = by[(p2, "2025-03", "ride_hailing")]
    assert (missing.status, missing.recorded, missing.declared) == ("missing", 5, 0)
    assert len(rows) == 5
    only_p2 = fx["s"].stats_gaps(F(platform_id=p2), TODAY)
    assert {(r.month, r.status) for r in only_p2} == {("2025-02", "paid"), ("2025-03", "missing")}


# --- cases ---------------------------------------------------------------------------------------

def test_cases_by_month_situation_body_part_and_funnel(fx):
    c = fx["s"].stats_cases(F())
    assert (c.reported["2025-02"], c.reported["2025-03"]) == (2, 3)
    assert (c.confirmed["2025-02"], c.confirmed["2025-03"], c.refused["2025-03"], c.withdrawn["2025-03"]) == (1, 1, 1, 1)
    assert dict(c.by_situation) == {"order_task": 1, "order_route_traffic": 1}
    assert dict(c.by_body_part) == {"左腿": 2, "右臂": 2, "头部": 1, "腰部": 1}
    assert c.funnel == [("reported", 5), ("accepted", 3), ("confirmed", 2), ("assessed", 2), ("paid", 2),
                        ("closed", 0)]
    assert c.by_state == {"paid": 2, "rejected": 1, "withdrawn": 1, "reported": 1}


def test_case_filters(fx):
    s = fx["s"]
    c = s.stats_cases(F(platform_id=fx["p2"].id))
    assert sum(c.reported.values()) == 2 and sum(c.refused.values()) == 1
    c = s.stats_cases(F(station_id=fx["s1"].id))
    assert sum(c.reported.values()) == 2 and dict(c.by_body_part) == {"左腿": 1, "右臂": 1, "腰部": 1}
    c = s.stats_cases(F(region="310104"))
    assert sum(c.reported.values()) == 1 and sum(c.withdrawn.values()) == 1
    c = s.stats_cases(F("2025-03", "2025-03"))
    assert sum(c.reported.values()) == 3 and c.confirmed["2025-03"] == 1 and c.refused["2025-03"] == 1
    assert s.stats_cases(F(industry="instant_delivery")).funnel[0] == ("reported", 1)


def test_durations_median_and_p90(fx):
    d = fx["s"].stats_durations(F())
    assert sorted(x[3] for x in d.decision) == [4, 10, 14]
    assert sorted(x[3] for x in d.payment) == [20, 30]
    v = S.durations_view(d, F(), S.Names())
    total = v.tables[0].total
    assert total[1:] == [3, 10, 14, 2, 25, 30]
    p2 = fx["s"].stats_durations(F(platform_id=fx["p2"].id))
    assert S.median([x[3] for x in p2.decision]) == 9 and S.percentile([x[3] for x in p2.decision], 90) == 14
    assert [x[3] for x in fx["s"].stats_durations(F("2025-02", "2025-02")).decision] == [10]


# --- benefits and the ratio -------------------------------------------------------------------------

def test_benefits_paid_by_item(fx):
    b = fx["s"].stats_benefits(F("2025-02", "2025-03"))
    items = {k[0]: v for k, v in b.by_item.items()}
    assert items == {"medical_expenses": [103333, 2], "one_off_disability": [300000, 1],
                     "hospital_food_allowance": [6667, 1]}
    assert (b.total_fen, b.payments) == (410000, 2)
    apr = fx["s"].stats_benefits(F("2025-04", "2025-04"))
    assert {k[0]: v for k, v in apr.by_item.items()} == {"disability_allowance": [50000, 1]}
    assert fx["s"].stats_benefits(F("2025-02", "2025-03", platform_id=fx["p2"].id)).total_fen == 10000


def test_payout_to_fee_ratio_per_platform_and_industry(fx):
    rows = {(r.platform_id, r.industry): r for r in fx["s"].stats_ratio(F("2025-02", "2025-03"))}
    p1, p2 = fx["p1"].id, fx["p2"].id
    food, inst, ride = rows[(p1, "food_delivery")], rows[(p1, "instant_delivery")], rows[(p2, "ride_hailing")]
    assert (food.fees_paid_fen, food.benefits_paid_fen) == (615, 400000)
    assert food.ratio == pytest.approx(400000 / 615)
    assert (inst.fees_paid_fen, inst.benefits_paid_fen, inst.ratio) == (385, 0, 0)
    assert (ride.fees_paid_fen, ride.benefits_paid_fen, ride.ratio) == (50, 10000, 200.0)
    v = S.ratio_view(list(rows.values()), F(), S.Names())
    assert v.tables[0].total[2:4] == [1050, 410000]
    only = fx["s"].stats_ratio(F("2025-02", "2025-03", industry="ride_hailing"))
    assert [(r.platform_id, r.ratio) for r in only] == [(p2, 200.0)]
    assert fx["s"].stats_ratio(F("2025-01", "2025-02")) == []  # no money moved before March


# --- views, home, report ------------------------------------------------------------------------------

def test_every_view_has_tables_and_charts(fx):
    for key in S.VIEW_TITLES:
        v = fx["s"].stats_view(key, F(), TODAY)
        assert v.tables and v.charts and all(t.columns for t in v.tables), key
        for t in v.tables:
            assert all(len(r) == len(t.columns) for r in t.rows), (key, t.key)


def test_home_summary(fx):
    s = fx["s"]
    quick = s.home_summary(ADMIN, today=date(2025, 3, 25), refresh=False)
    assert quick.stale and quick.workers_enrolled == 0 and quick.open_cases == 3  # nothing refreshed yet
    h = s.home_summary(ADMIN, today=date(2025, 3, 25))
    assert not h.stale
    assert (h.month, h.workers_enrolled, h.workers_active) == ("2025-03", 4, 3)
    assert h.open_cases == 3  # paid, paid, reported (rejected and withdrawn are done)
    assert h.fees_outstanding_fen == 300 + 2000 and h.overdue_declarations == 1
    manager = Actor("zz", role="station_manager", platform_id=fx["p1"].id, station_id=fx["s1"].id)
    h = s.home_summary(manager, today=date(2025, 3, 25))
    assert (h.workers_enrolled, h.workers_active, h.open_cases) == (2, 2, 2)


def test_monthly_report_model(fx):
    r = fx["s"].monthly_report("2025-03", ADMIN, today=TODAY)
    assert r.month == "2025-03" and r.number == "YB202503" and len(r.sections) == 7
    facts = dict(r.sections[0].facts)
    assert facts["参保人数"] == "4" and facts["活跃人数"] == "3" and facts["订单数"] == "15"
    cases = dict(r.sections[2].facts)
    assert cases["报案"] == "3" and cases["予以确认"] == "1" and cases["不予确认"] == "1"


def test_xlsx_export_writes_numbers(fx, tmp_path):
    from openpyxl import load_workbook
    v = fx["s"].stats_view("fees", F(), TODAY)
    path = S.write_xlsx(tmp_path / "fees.xlsx", v.tables + [c.table() for c in v.charts], title="订单与缴费")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0][:3] == ["费款所属期", "记录订单数", "申报单量"]
    feb = next(r for r in values if r[0] == "2025-02")
    assert feb[1] == 11 and float(feb[5]) == 13.5 and float(feb[6]) == 10.5
    assert len(wb.worksheets) == 1 + len(v.charts)


def test_report_command_writes_the_monthly_report(fx, tmp_path, capsys):
    import argparse
    from importlib import import_module

    from pypdf import PdfReader

    from claims.report_cmd import cmd_report
    out = tmp_path / "m.pdf"
    args = argparse.Namespace(db=str(fx["s"].path), month="2025-03", output=str(out), kind="monthly", region=None)
    assert cmd_report(args, lambda: import_module("forms.render")) == 0  # today's renderer: forms.render
    assert "已输出" in capsys.readouterr().out
    text = PdfReader(out).pages[0].extract_text()
    assert "职业伤害保障运行分析月报" in text and "2025年3月" in text
    assert cmd_report(args, lambda name="render": import_module(f"forms.{name}")) == 0  # a renderer taking a name
    from claims.errors import ClaimsError
    with pytest.raises(ClaimsError):
        cmd_report(argparse.Namespace(**{**vars(args), "month": "2025-3"}), lambda: import_module("forms.render"))


def test_a_station_manager_sees_only_their_own_platform_and_cannot_make_the_office_report(demo_store):
    from claims.errors import PermissionDenied
    from claims.store import Actor
    from claims.stats import StatsFilter
    s = demo_store
    pid, sid = s.conn.execute("SELECT platform_id, station_id FROM users WHERE role = 'station_manager'").fetchone()
    manager = Actor("zz", role="station_manager", platform_id=pid, station_id=sid)
    months = s.stats_months()
    everything = StatsFilter(months[0], months[-1])
    own = s.stats_view("enrollment", everything, actor=manager)
    mine_only = s.stats_view("enrollment", everything.with_(platform_id=pid, station_id=sid))
    assert own.model_dump() == mine_only.model_dump()  # asking for all platforms still gives their own
    assert own.model_dump() != s.stats_view("enrollment", everything).model_dump()
    with pytest.raises(PermissionDenied, match="运行分析月报"):
        s.monthly_report(months[-1], manager)
