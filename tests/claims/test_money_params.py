"""Parameters in force when they apply: wage-based bases switch on 1 July
(data), the death base derived from the private-sector wage an administrator
enters, old databases moved to the July periods; and the demo's money cases."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from claims.audit import verify_audit
from claims.errors import FieldError
from claims.monthly import month_after
from claims.parameters import ParameterTable, stat_year_window, wage_switch
from claims.store import Actor

ADMIN = Actor("admin", role="admin")


@pytest.mark.parametrize("on,value", [("2025-06-30", "12307.00"), ("2025-07-01", "12434.00"),
                                      ("2026-06-30", "12434.00"), ("2024-07-01", "12307.00")])
def test_care_base_switches_on_1_july(on, value):
    row = ParameterTable.shipped().require("care_base", "310104", date.fromisoformat(on))
    assert row.value == Decimal(value)


def test_the_switch_day_is_data():
    assert wage_switch("310104")["month_day"] == "07-01" and wage_switch("310104")["source"]
    assert stat_year_window("310000", 2024) == (date(2025, 7, 1), date(2026, 6, 30))


def test_death_base_is_derived_from_the_wage(store):
    d = store.derived_base("death_base", "310000", 2024, "12345.67")
    # 12345.67 × 60% = 7407.402 → 7407.40, for events from 2025-07-01 to 2026-06-30
    assert (d["value"], d["valid_from"], d["valid_to"], d["pct"]) == ("7407.40", "2025-07-01", "2026-06-30", "60")
    assert "12345.67 元 × 60% = 7407.40 元/月" in d["text"]
    rows, change = store.add_wage_and_derived_base(ADMIN, region="310000", stat_year=2024, wage="12345.67",
                                                   status="confirmed", source="上海市统计局 2025-06 发布")
    wage, base = rows
    assert (wage.name, wage.value, wage.unit, wage.status.value) == ("private_sector_wage", "12345.67", "元/月",
                                                                    "confirmed")
    assert (base.name, base.value, base.status.value) == ("death_base", "7407.40", "confirmed")
    assert "上海市统计局 2025-06 发布" in base.source and "60%" in base.source
    t = store.parameter_table()
    assert t.lookup("death_base", "310104", date(2025, 6, 30)) is None
    assert t.require("death_base", "310104", date(2025, 7, 1)).value == Decimal("7407.40")
    with pytest.raises(FieldError, match="已有 2025-07-01 起"):
        store.add_wage_and_derived_base(ADMIN, region="310000", stat_year=2024, wage="1.00", status="confirmed",
                                        source="x")
    for bad in ("abc", "0", "-5", "1.234"):
        with pytest.raises(FieldError, match="月平均工资"):
            store.derived_base("death_base", "310000", 2025, bad)
    with pytest.raises(FieldError, match="不是由工资推算"):
        store.derived_base("care_base", "310000", 2025, "1.00")


def test_an_unconfirmed_wage_gives_an_unconfirmed_base(store):
    rows, _ = store.add_wage_and_derived_base(ADMIN, region="310000", stat_year=2025, wage="12000.00",
                                              status="unconfirmed", source="二手资料")
    assert [r.status.value for r in rows] == ["unconfirmed", "unconfirmed"]
    assert rows[1].value == "7200.00"
    with pytest.raises(Exception, match="无权"):
        store.add_wage_and_derived_base(Actor("a", role="insurer_agent"), region="310000", stat_year=2026,
                                        wage="1.00", status="confirmed", source="x")


def test_an_older_database_moves_to_the_july_periods(tmp_path, monkeypatch):
    from claims.store import Store, base, schema
    cut = next(n for n, d, _sql in schema.MIGRATIONS if d == "死亡、申请人与医疗终结")
    old = [m for m in schema.MIGRATIONS if m[0] < cut]  # a database of before; every later migration runs
    monkeypatch.setattr(base, "MIGRATIONS", old)
    monkeypatch.setattr(base, "HEAD", old[-1][0])
    s = Store(tmp_path / "old.db", "TEST", create=True)
    system = Actor("system:init")
    with s.atomic():
        for r in s.parameters("care_base"):  # as shipped before: calendar years
            s._update("parameters", r.id, {"valid_from": f"{r.stat_year + 1}-01-01",
                                           "valid_to": f"{r.stat_year + 1}-12-31"}, system)
    s.close()
    monkeypatch.setattr(base, "MIGRATIONS", schema.MIGRATIONS)  # the program as it is now (keeping the test's home)
    monkeypatch.setattr(base, "HEAD", schema.HEAD)
    s = Store(tmp_path / "old.db", "TEST")
    rows = {r.stat_year: (r.valid_from.isoformat(), r.valid_to.isoformat()) for r in s.parameters("care_base")}
    assert rows[2024] == ("2025-07-01", "2026-06-30") and rows[2021] == ("2022-07-01", "2023-06-30")
    assert [r.value for r in s.parameters("medical_ceiling")] == ["300000.00"]
    ok, msg = verify_audit(s)  # the moves are audited; rows of the older tables still match their digests
    assert ok, msg
    s.close()


def test_demo_has_a_paid_death_case_and_a_reappraised_case(demo_store):
    s = demo_store
    ok, msg = verify_audit(s)
    assert ok, msg
    death = [c for c in s.search_cases(limit=5000) if c.death_date]
    assert len(death) == 1 and death[0].state.value == "paid"
    c = death[0]
    deps = s.dependants_of(c.id)
    assert [d.relation.value for d in deps] == ["spouse", "child", "parent"] and deps[2].lone_elder
    assert c.claimant_name == deps[0].name and (c.death_date - c.accident_at.date()).days == 91
    pays = [p for p in s.payments_of(c.id) if p.kind == "monthly"]
    assert {p.dependant_id for p in pays} == {d.id for d in deps}
    # every month of every pension since the month after the death, up to the month before the demo's day, paid
    assert all(p.status.value == "approved" for p in pays)
    months = sorted({p.period_month for p in pays})
    assert months[0] == month_after(c.death_date) and months[-1] == "2025-10" and len(months) == len(
        {p.period_month for p in pays if p.dependant_id == deps[0].id})
    assert {p.payee for p in pays} == {deps[0].name, deps[2].name}  # the child's pension goes to the mother
    later = s.conn.execute("SELECT case_id FROM appraisals WHERE kind = 're_appraisal'").fetchall()
    assert len(later) == 1
    a = s.assessments_of(later[0][0])
    assert [x.status for x in a] == ["approved", "approved"]
    res = json.loads(a[-1].result_json)
    assert res["input"]["previous"]["disability_grade"] == 7
    assert res["items"][0]["code"] == "one_off_disability" and res["items"][0]["paid_before"]
