"""Users, roles, lock-out, and the tamper-evident audit log (issue 8)."""
import sqlite3
from datetime import datetime, timedelta

import pytest

from claims.audit import verify_audit
from claims.errors import FieldError, PermissionDenied
from claims.store import Actor, Store, WorkerFilter
from claims.timeutil import SHANGHAI

ADMIN = Actor("boss", role="admin")


def test_demo_chain_verifies(demo_store):
    ok, msg = verify_audit(demo_store)
    assert ok, msg


def _tamper(db, sql, *args):
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


@pytest.mark.parametrize("table", ["platforms", "stations", "workers", "enrollments", "cases", "case_events",
                                   "decisions", "appraisals", "assessments", "benefit_payments", "declarations",
                                   "fee_payments", "parameters", "users", "fee_rates"])
def test_editing_any_row_behind_the_programs_back_is_named(demo_db, table):
    con = sqlite3.connect(demo_db)
    rid = con.execute(f"SELECT id FROM {table} ORDER BY rowid LIMIT 1").fetchone()[0]
    con.close()
    _tamper(demo_db, f"UPDATE {table} SET updated_at = '2020-01-01T00:00:00+08:00' WHERE id = ?", rid)
    s = Store(demo_db, "T")
    ok, msg = verify_audit(s)
    assert not ok and table in msg and rid in msg


def test_deleting_a_row_is_named(demo_db):
    con = sqlite3.connect(demo_db)
    rid = con.execute("SELECT id FROM other_cover LIMIT 1").fetchone()
    con.close()
    s = Store(demo_db, "T")
    w = s.search_workers(WorkerFilter(), limit=1)[0]
    c, _ = s.add_other_cover(ADMIN, worker_id=w.id, kind="union_mutual_aid", name="职工互助保障")
    s.close()
    _tamper(demo_db, "DELETE FROM other_cover WHERE id = ?", c.id)
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "删除" in msg and c.id in msg
    del rid


def test_inserting_a_row_outside_the_program_is_named(demo_db):
    con = sqlite3.connect(demo_db)
    con.execute("INSERT INTO platforms (id, created_at, updated_at, site_id, name) VALUES ('evil', 'x', 'x', 'X', '假平台')")
    con.commit()
    con.close()
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "evil" in msg


def test_deleting_or_inserting_an_audit_entry_breaks_the_chain(demo_db):
    _tamper(demo_db, "DELETE FROM audit_log WHERE seq = 10")
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "第 11 条" in msg


def test_forged_audit_entry_is_reported(demo_db):
    con = sqlite3.connect(demo_db)
    last = con.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    con.execute("INSERT INTO audit_log (at, actor, action, table_name, record_id, changes, row_digest, prev_hash, hash)"
                " VALUES ('x', 'evil', 'update', 'workers', 'w', '{}', 'd', ?, 'forged')", (last[-1],))
    con.commit()
    con.close()
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "workers w" in msg


def test_every_change_is_logged_with_before_and_after(store):
    import json
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    store.update_worker(ADMIN, w.id, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13900001111"})
    last = store.conn.execute("SELECT actor, action, table_name, record_id, changes FROM audit_log "
                              "ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(last[:4]) == ("boss", "update", "workers", w.id)
    assert json.loads(last[4])["phone"] == ["13812345678", "13900001111"]


def _users(store):
    a = store.setup_first_admin("Admin2026")
    p, _ = store.add_platform(a, name="美团", industries=["food_delivery"])
    st1, _ = store.add_station(a, platform_id=p.id, name="徐汇站", district="310104")
    st2, _ = store.add_station(a, platform_id=p.id, name="浦东站", district="310115")
    for name, role, st in (("sm1", "station_manager", st1.id), ("sm2", "station_manager", st2.id),
                           ("ag", "insurer_agent", None), ("rv", "reviewer", None)):
        store.add_user(a, username=name, display_name=name, role=role, password="Passw0rd!", station_id=st)
    return a, p, st1, st2


def test_first_admin_then_login_and_lockout(store):
    _users(store)
    with pytest.raises(PermissionDenied):
        store.setup_first_admin("Another123")
    assert store.authenticate("admin", "Admin2026").role == "admin"
    t = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    for i in range(4):
        with pytest.raises(PermissionDenied, match="还可尝试"):
            store.authenticate("ag", "wrong", at=t)
    with pytest.raises(PermissionDenied, match="已锁定"):
        store.authenticate("ag", "wrong", at=t)
    with pytest.raises(PermissionDenied, match="锁定"):
        store.authenticate("ag", "Passw0rd!", at=t + timedelta(minutes=5))
    assert store.authenticate("ag", "Passw0rd!", at=t + timedelta(minutes=16)).role == "insurer_agent"
    assert verify_audit(store)[0]


def test_password_rules_and_change(store):
    _users(store)
    ag = store.authenticate("ag", "Passw0rd!")
    with pytest.raises(FieldError, match="原密码"):
        store.change_password(ag, "nope", "NewPass123")
    with pytest.raises(FieldError, match="至少"):
        store.change_password(ag, "Passw0rd!", "a1")
    store.change_password(ag, "Passw0rd!", "NewPass123")
    assert store.authenticate("ag", "NewPass123")
    hashes = store.conn.execute("SELECT changes FROM audit_log WHERE table_name = 'users'").fetchall()
    assert all("argon2" not in h[0] for h in hashes)


def test_roles_are_enforced_in_the_core(store):
    a, p, st1, st2 = _users(store)
    sm1 = store.authenticate("sm1", "Passw0rd!")
    sm2 = store.authenticate("sm2", "Passw0rd!")
    ag = store.authenticate("ag", "Passw0rd!")
    w, _ = store.add_worker(sm1, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    store.enroll(sm1, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2025-01-01",
                 station_id=st1.id)
    with pytest.raises(PermissionDenied):
        store.enroll(sm1, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2025-02-01",
                     station_id=st2.id)
    # a station manager never sees another station's workers
    assert [x.name for x in store.search_workers(actor=sm1)] == ["张伟"]
    assert store.search_workers(actor=sm2) == []
    with pytest.raises(PermissionDenied):
        store.worker(w.id, actor=sm2)
    with pytest.raises(PermissionDenied):
        store.add_platform(sm1, name="饿了么")
    with pytest.raises(PermissionDenied):
        store.add_parameter(ag, name="benefit_base", region="310000", valid_from="2026-01-01", value="7000",
                            status="unconfirmed", source="x")
    with pytest.raises(PermissionDenied):
        store.add_user(ag, username="x", display_name="x", role="admin", password="Passw0rd!")
    with pytest.raises(PermissionDenied):
        store.log_export(ag, "workers.xlsx", 10, personal=True)
    store.log_export(a, "workers.xlsx", 10, personal=True)


@pytest.mark.parametrize("sql", [
    "UPDATE orders SET worker_id = (SELECT id FROM workers ORDER BY rowid DESC LIMIT 1) WHERE rowid = 3",
    "DELETE FROM orders WHERE rowid = 7",
    "INSERT INTO orders SELECT 'x' || id, created_at, updated_at, site_id, row_version, platform_id,"
    " order_no || 'X', industry, worker_id, accepted_at, finished_at, region FROM orders WHERE rowid = 9",
    "UPDATE daily_counts SET orders = orders + 5 WHERE rowid IN (SELECT rowid FROM daily_counts LIMIT 1)",
])
def test_bulk_order_records_are_sealed(demo_db, sql):
    _tamper(demo_db, sql) if "daily_counts" not in sql else _tamper_counts(demo_db)
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and ("orders" in msg or "daily_counts" in msg)


def _tamper_counts(db):
    con = sqlite3.connect(db)
    wid, pid, ind, day = con.execute("SELECT worker_id, platform_id, industry, day FROM daily_counts"
                                     " WHERE source = 'derived' LIMIT 1").fetchone()  # counted from sealed records
    con.execute("UPDATE daily_counts SET orders = orders + 5 WHERE worker_id=? AND platform_id=? AND industry=? AND day=?",
                (wid, pid, ind, day))
    con.commit()
    con.close()


def test_order_import_keeps_the_seal_intact(demo_store, tmp_path):
    rows = demo_store.conn.execute(
        "SELECT w.id_number, p.name, o.industry FROM orders o JOIN workers w ON w.id = o.worker_id"
        " JOIN platforms p ON p.id = o.platform_id LIMIT 3").fetchall()
    recs = [(i + 2, {"order_no": f"NEW{i}", "platform": p, "industry": ind, "id_number": idn,
                     "accepted_at": "2025-10-20T10:00:00", "finished_at": "2025-10-20T10:30:00", "region": "310000"})
            for i, (idn, p, ind) in enumerate(rows)]
    rep = demo_store.import_orders(ADMIN, recs)
    assert rep.new == 3
    rep = demo_store.import_orders(ADMIN, recs + [(9, {**recs[0][1], "order_no": "NEW9"})])
    assert rep.new == 1 and rep.unchanged == 3
    ok, msg = verify_audit(demo_store)
    assert ok, msg
