"""政策测算: a scenario recomputes fees and benefits on the stored history
beside the actual figures, and changes nothing stored."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from claims.audit import verify_audit
from claims.enums import CaseState as S
from claims.errors import FieldError
from claims.money import round_half_up_fen
from claims.store import Actor, Store
from claims.timeutil import SHANGHAI
from claims.whatif import parse, run

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("admin", role="admin")
AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
BASE = {"benefit_base": "7384.00"}


def zbt(*args, home):
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, encoding="utf-8", timeout=300)


# --- fees ----------------------------------------------------------------------------------------------

def test_doubling_one_industrys_amount_doubles_exactly_that_industrys_fees(demo_store):
    s = demo_store
    lines = s.whatif_lines("2025-05", "2025-10")
    freight = [ln for ln in lines if ln["industry"] == "intra_city_freight" and ln["month"] >= "2025-07"]
    assert freight and all(ln["units"] == 1800 for ln in freight)
    res = run(s, parse({"fee_per_order": [{"industry": "intra_city_freight", "from": "2025-07", "amount": "0.36"}]}),
              "2025-05", "2025-10")
    for c in res.by_month_industry():
        mine = [ln for ln in freight if ln["month"] == c.month]
        if c.industry == "intra_city_freight" and mine:
            # each declaration line: declared orders × 0.36 元, rounded half-up to the fen once
            assert c.fees_scenario == sum(round_half_up_fen(Decimal(ln["orders"]) * 3600 / 100) for ln in mine)
            assert c.fees_actual == sum(ln["amount_fen"] for ln in mine)
            assert abs(c.fees_scenario - 2 * c.fees_actual) <= len(mine)  # double, to the fen per line
        else:
            assert c.fees_scenario == c.fees_actual, (c.month, c.industry)
        assert c.benefits_scenario == c.benefits_actual
    assert res.total("fees_scenario") > res.total("fees_actual")
    assert res.workers_affected > 0 and res.cases_affected == 0


def test_the_rules_in_force_give_exactly_the_actual_figures(demo_store):
    res = run(demo_store, parse({"name": "现行规则"}), "2025-05", "2025-10")
    assert res.cells and all(c.fees_scenario == c.fees_actual and c.benefits_scenario == c.benefits_actual
                             for c in res.cells.values())
    assert res.total("benefits_actual") > 0 and res.workers_affected == 0 and res.cases_affected == 0


def test_a_platform_tier_changes_only_that_platforms_lines(demo_store):
    s = demo_store
    res = run(s, parse({"platform_tiers": {"美团": "A"},
                        "fee_per_order": [{"industry": "instant_delivery", "tier": "A", "from": "2025-07",
                                           "amount": "0.25"}]}), "2025-07", "2025-09")
    meituan = next(p.id for p in s.platforms() if p.name == "美团")
    changed = {k for k, c in res.cells.items() if c.fees_scenario != c.fees_actual}
    assert changed and all(pid == meituan and ind == "instant_delivery" for _m, pid, ind in changed)


def test_assumed_coverage_adds_its_own_lines(demo_store):
    res = run(demo_store, parse({"coverage": [{"industry": "housekeeping", "name": "家政服务", "from": "2025-09",
                                               "workers": 100, "orders_per_worker_month": 40, "amount": "0.05",
                                               "benefits_per_month": "500"}]}), "2025-05", "2025-10")
    added = [c for c in res.by_month_industry() if c.industry == "housekeeping"]
    assert [c.month for c in added] == ["2025-09", "2025-10"]
    assert all(c.orders == 4000 and c.fees_scenario == 20000 and c.fees_actual == 0 and c.benefits_scenario == 50000
               for c in added)
    assert res.industries["housekeeping"] == "家政服务"


# --- benefits ------------------------------------------------------------------------------------------

@pytest.fixture
def graded(store):
    """Three confirmed cases of grades 7, 9 and 7, each assessed on base 7,384 and paid in 2025-12."""
    p, _ = store.add_platform(AGENT, name="美团", industries=["food_delivery", "instant_delivery"])
    cases = []
    for i, grade in enumerate((7, 9, 7)):
        w, _ = store.add_worker(AGENT, {"name": "张伟王李"[i] + "强", "id_number": ["310104198506150015",
                                        "11010519491231002X", "31010119800101123X"][i], "phone": f"1381234567{i}",
                                        "bank_card": "6222021234567890128", "bank_name": "工商银行"})
        acc = datetime(2025, 9, 3 + i, 10, 0, tzinfo=SHANGHAI)
        c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                                 accident_at=acc, reported_at=acc + timedelta(hours=2), description="摔伤",
                                 allow_duplicate=True)
        for t in (S.accepted, S.investigating):
            store.transition(AGENT, c.id, t)
        store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", legal_basis="办法",
                     override_reason="平台补报的订单记录已核实")
        store.transition(AGENT, c.id, S.appraisal)
        store.record_appraisal(AGENT, c.id, grade=grade, care_level=None, conclusion_no=f"沪劳鉴{i}",
                               concluded_on=date(2025, 11, 20))
        a, _ = store.assess(AGENT, c.id, parameters=BASE, medical={"medical_expenses": "5000.00"})
        a, _ = store.approve_assessment(REVIEWER, a.id)
        pay, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=a.once_total_fen, payee=w.name,
                                       account=w.bank_card, due_on=date(2025, 12, 5))
        store.approve_payment(REVIEWER, pay.id, paid_on=date(2025, 12, 5), reference="流水1")
        cases.append((c, grade, a))
    return store, cases


def test_grade_7_months_change_exactly_the_grade_7_cases_one_off_amounts(graded):
    store, cases = graded
    res = run(store, parse({"one_off_disability_months": {"7": 15}}), "2025-12", "2025-12", actor=ADMIN)
    by_number = {d.number: d for d in res.cases}
    for c, grade, a in cases:
        d = by_number[c.number]
        if grade == 7:  # 15 instead of 13 months × 7,384.00; the medical costs as they were
            assert d.once_scenario - d.once_actual == 2 * 738400 and d.paid_scenario - d.paid_actual == 2 * 738400
        else:
            assert (d.once_scenario, d.paid_scenario) == (d.once_actual, d.paid_actual)
        assert d.recomputed
    assert res.cases_affected == 2
    assert res.total("benefits_scenario") - res.total("benefits_actual") == 4 * 738400


def test_a_parameter_changes_every_amount_that_rests_on_it(graded):
    store, cases = graded
    res = run(store, parse({"parameters": {"benefit_base": "8000.00"}}), "2025-12", "2025-12")
    for c, grade, _a in cases:
        d = next(x for x in res.cases if x.number == c.number)
        months = {7: 13, 9: 9}[grade]
        assert d.once_scenario - d.once_actual == months * (800000 - 738400)


# --- nothing changes; bad input ---------------------------------------------------------------------

def _dump(path) -> list:
    """Every schema object and every row of every stored table (a virtual table's rows
    live in its shadow tables, which are stored tables: they are compared too)."""
    con = sqlite3.connect(path)
    try:
        objects = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        rows = [(name, sorted(map(repr, con.execute(f'SELECT * FROM "{name}"'))))
                for typ, name, sql in objects if typ == "table" and not (sql or "").startswith("CREATE VIRTUAL")]
        return [objects, rows]
    finally:
        con.close()


def test_the_live_database_is_unchanged_by_any_scenario_run(demo_db, tmp_path):
    s = Store(demo_db, "T")
    s.refresh_stats()  # the aggregates as a session that has looked at 统计 leaves them
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    before = _dump(demo_db)
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"name": "甲", "fee_per_order": [{"industry": "ride_hailing", "from": "2025-07",
                                                                     "amount": "0.02"}],
                                    "one_off_disability_months": {"7": 15, "10": 9},
                                    "parameters": {"benefit_base": "8000.00"},
                                    "coverage": [{"industry": "housekeeping", "from": "2025-08", "workers": 10,
                                                  "orders_per_worker_month": 30, "amount": "0.05"}]},
                                   ensure_ascii=False), encoding="utf-8")
    for fmt in ("text", "json"):
        r = zbt("whatif", "--db", str(demo_db), "--scenario", str(scenario), "--format", fmt, home=tmp_path)
        assert r.returncode == 0, r.stderr
    s = Store(demo_db, "T")
    run(s, parse(json.loads(scenario.read_text(encoding="utf-8"))), actor=ADMIN)
    ok, msg = verify_audit(s)
    s.close()
    assert ok, msg
    assert _dump(demo_db) == before  # every table, row by row


@pytest.mark.parametrize("body,key", [
    ({"fee_per_order": [{"industry": "ride_hailing", "from": "2025-07", "amount": "abc"}]}, "fee_per_order[0].amount"),
    ({"fee_per_order": [{"industry": "ride_hailing", "from": "2025-13", "amount": "0.02"}]}, "fee_per_order[0].from"),
    ({"fee_per_order": [{"industry": "taxi", "from": "2025-07", "amount": "0.02"}]}, "fee_per_order[0].industry"),
    ({"fee_per_order": [{"industry": "ride_hailing", "amount": "0.02"}]}, "fee_per_order[0].from"),
    ({"one_off_disability_months": {"11": 5}}, "one_off_disability_months.11"),
    ({"parameters": {"benefit_bsae": "8000"}}, "parameters.benefit_bsae"),
    ({"parameters": {"benefit_base": -1}}, "parameters.benefit_base"),
    ({"item_rules": {"funeral_grant": {"months_by_grade": {"7": 3}}}}, "item_rules.funeral_grant.months_by_grade"),
    ({"coverage": [{"industry": "家政", "from": "2026-01", "workers": 10, "orders_per_worker_month": 3,
                    "amount": "0.05"}]}, "coverage[0].industry"),
    ({"fee_per_orders": []}, "fee_per_orders"),
])
def test_bad_scenario_input_exits_2_naming_the_key(demo_db, tmp_path, body, key):
    with pytest.raises(FieldError) as e:
        parse(body)
    assert e.value.field == key
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    r = zbt("whatif", "--db", str(demo_db), "--scenario", str(f), home=tmp_path)
    assert r.returncode == 2 and key in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.startswith("错误：")


def test_not_json_and_a_bad_period_exit_2(demo_db, tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{\"fee_per_order\": [", encoding="utf-8")
    r = zbt("whatif", "--db", str(demo_db), "--scenario", str(f), home=tmp_path)
    assert r.returncode == 2 and "JSON" in r.stderr
    f.write_text("{}", encoding="utf-8")
    r = zbt("whatif", "--db", str(demo_db), "--scenario", str(f), "--from", "2025-7", home=tmp_path)
    assert r.returncode == 2 and "--from" in r.stderr


def test_json_output_is_one_object_per_month_and_industry(demo_db, tmp_path):
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"name": "出行每单 0.02 元", "fee_per_order": [
        {"industry": "ride_hailing", "from": "2025-07", "amount": "0.02"}]}, ensure_ascii=False), encoding="utf-8")
    r = zbt("whatif", "--db", str(demo_db), "--scenario", str(f), "--from", "2025-07", "--to", "2025-09",
            "--format", "json", home=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {x["month"] for x in rows} == {"2025-07", "2025-08", "2025-09"}
    keys = ["month", "industry", "orders", "fees_actual", "fees_scenario", "benefits_actual", "benefits_scenario"]
    assert all(list(x)[:7] == keys for x in rows)
    ride = [x for x in rows if x["industry"] == "ride_hailing"]
    assert ride and all(Decimal(x["fees_scenario"]) == 2 * Decimal(x["fees_actual"]) for x in ride)
    assert all(x["fees_actual"] == x["fees_scenario"] for x in rows if x["industry"] != "ride_hailing")
    assert all(len(x["fees_actual"].split(".")[1]) == 2 for x in rows)
    text = zbt("whatif", "--db", str(demo_db), "--scenario", str(f), home=tmp_path)
    assert text.returncode == 0 and "出行每单 0.02 元" in text.stdout and "合计" in text.stdout


def test_scenarios_are_saved_by_name_audited_and_replaced(demo_store):
    s = demo_store
    saved, change = s.save_scenario(ADMIN, {"name": "甲", "fee_per_order": [
        {"industry": "ride_hailing", "from": "2025-07", "amount": "0.02"}]})
    assert "甲" in change.summary and [x.name for x in s.scenarios()] == ["甲"]
    s.save_scenario(ADMIN, {"name": "甲", "parameters": {"benefit_base": "8000"}})
    assert s.scenario_by_name("甲").body == {"name": "甲", "parameters": {"benefit_base": "8000"}}
    with pytest.raises(FieldError):
        s.save_scenario(ADMIN, {"name": "乙", "fee_per_order": [{"industry": "x"}]})
    with pytest.raises(Exception, match="无权"):
        s.save_scenario(Actor("sm", role="station_manager"), {"name": "丙"})
    ok, msg = verify_audit(s)
    assert ok, msg
