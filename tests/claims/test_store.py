"""The store: migrations, refusal of newer files, transactions, row columns."""
import sqlite3

import pytest

from claims.errors import ClaimsError, DatabaseError, FieldError
from claims.store import Actor, Store, WorkerFilter
from claims.store.schema import HEAD

ACTOR = Actor("test:clerk")


def test_new_database_is_at_head_with_shipped_tables(tmp_path):
    s = Store(tmp_path / "a.db", "S1", create=True)
    assert s.schema_version == HEAD
    assert s.pending_migrations() == []
    assert {r.industry.value for r in s.fee_rates()} == {"ride_hailing", "instant_delivery", "intra_city_freight"}
    assert any(p.name == "national_urban_income" for p in s.parameters())


def test_missing_database_is_not_created_silently(tmp_path):
    with pytest.raises(DatabaseError, match="不存在"):
        Store(tmp_path / "nope.db", "S1")
    assert not (tmp_path / "nope.db").exists()


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    p = tmp_path / "future.db"
    Store(p, "S1", create=True).close()
    c = sqlite3.connect(p)
    c.execute(f"PRAGMA user_version = {HEAD + 1}")
    c.close()
    before = p.read_bytes()
    with pytest.raises(DatabaseError, match="比本程序支持的"):
        Store(p, "S1")
    assert p.read_bytes() == before


def test_older_database_is_backed_up_then_migrated(tmp_path, monkeypatch):
    from claims.store import schema
    p = tmp_path / "old.db"
    Store(p, "S1", create=True).close()
    extra = (HEAD + 1, "测试迁移", "CREATE TABLE test_extra (x INTEGER);")
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + [extra])
    from claims.store import base
    monkeypatch.setattr(base, "HEAD", HEAD + 1)
    monkeypatch.setattr(base, "MIGRATIONS", schema.MIGRATIONS)
    s = Store(p, "S1")
    assert s.schema_version == HEAD + 1
    assert "test_extra" in s.db.table_names()
    assert s.migration_backup.exists()
    old = sqlite3.connect(s.migration_backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == HEAD


def test_every_row_carries_uuid_times_site_and_version(store):
    p, change = store.add_platform(ACTOR, name="美团", industries=["food_delivery"])
    assert len(p.id) == 32 and p.site_id == "TEST" and p.row_version == 1
    assert p.created_at.utcoffset().total_seconds() == 8 * 3600
    assert "platforms" in change.tables and p.id in change.ids


def test_update_bumps_row_version(store):
    w, _ = store.add_worker(ACTOR, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    w2, _ = store.update_worker(ACTOR, w.id, {"name": "张伟", "id_number": "11010519491231002X",
                                              "phone": "13900001111"})
    assert w2.row_version == 2 and w2.phone == "13900001111"


def test_failed_action_leaves_nothing_half_written(store):
    p, _ = store.add_platform(ACTOR, name="美团", industries=["food_delivery"])
    before = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(RuntimeError):
        with store.atomic():
            store._insert("stations", {"platform_id": p.id, "name": "徐汇站"}, ACTOR)
            raise RuntimeError("断电")
    assert store.stations() == []
    assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_bad_worker_input_names_the_field_and_stores_nothing(store):
    with pytest.raises(FieldError, match="身份证号码"):
        store.add_worker(ACTOR, {"name": "张伟", "id_number": "110105194912310021", "phone": "13812345678"})
    with pytest.raises(FieldError, match="手机号码"):
        store.add_worker(ACTOR, {"name": "张伟", "id_number": "11010519491231002X", "phone": "1234"})
    assert store.count_workers() == 0


def test_same_id_number_is_refused(store):
    store.add_worker(ACTOR, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    with pytest.raises(FieldError, match="已登记"):
        store.add_worker(ACTOR, {"name": "张薇", "id_number": "11010519491231002x", "phone": "13812345679"})


@pytest.mark.parametrize("query", ["伟", "张伟", "002X", "110105", "5678", "138123"])
def test_search_finds_by_name_part_id_tail_or_phone(store, query):
    store.add_worker(ACTOR, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    store.add_worker(ACTOR, {"name": "李娜", "id_number": "310104198001010017", "phone": "13900000000"})
    found = store.search_workers(WorkerFilter(text=query))
    assert [w.name for w in found] == ["张伟"]


def test_credit_code_failure_needs_a_reason(store):
    with pytest.raises(FieldError, match="理由"):
        store.add_platform(ACTOR, name="某平台", credit_code="91350100M000100Y44")
    p, _ = store.add_platform(ACTOR, name="某平台", credit_code="91350100M000100Y44", credit_override="营业执照原件如此")
    assert p.credit_override


def test_demo_has_cases_in_every_state_through_transitions(demo_store):
    from claims.enums import CaseState
    counts = demo_store.case_counts_by_state()
    assert set(counts) == {s.value for s in CaseState}
    # produced through the lifecycle: every case's history ends in its current state
    for number, state in demo_store.conn.execute("SELECT id, state FROM cases"):
        events = demo_store.case_events(number)
        assert events[0].to_state == CaseState.reported
        assert events[-1].to_state.value == state


def test_demo_is_repeatable(tmp_path):
    from claims.demo import generate
    a = generate(tmp_path / "a.db", workers=50, seed=3)
    b = generate(tmp_path / "b.db", workers=50, seed=3)
    q = "SELECT id_number, name, phone FROM workers ORDER BY id_number"
    assert a.conn.execute(q).fetchall() == b.conn.execute(q).fetchall()
    q = "SELECT number, state FROM cases ORDER BY number"
    assert a.conn.execute(q).fetchall() == b.conn.execute(q).fetchall()


def test_demo_refuses_to_overwrite(tmp_path):
    from claims.cli import build_parser, run
    (tmp_path / "x.db").write_bytes(b"")
    args = build_parser("t").parse_args(["demo", "--db", str(tmp_path / "x.db")])
    assert run(args, renderer=lambda: None) == 2


def test_store_rejects_a_non_database_file(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ClaimsError):
        Store(p, "S1")


def test_digits_in_the_middle_are_found_when_no_number_starts_or_ends_with_them(store):
    store.add_worker(ACTOR, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    assert [w.name for w in store.search_workers(WorkerFilter(text="1949123"))] == ["张伟"]
    assert store.count_workers(WorkerFilter(text="1234")) == 1
    assert store.count_workers(WorkerFilter(text="999999")) == 0
