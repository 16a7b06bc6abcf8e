"""Undo of a slip: a worker registered or edited by mistake, an enrollment entered
twice — put back exactly, logged, and refused with a reason when it would lose
something (another record depends on it, it changed since, it is not a slip)."""
import pytest

from claims.audit import verify_audit
from claims.errors import ClaimsError
from claims.store import Actor, WorkerFilter

CLERK = Actor("clerk", role="insurer_agent", display_name="李经办")
OTHER = Actor("other", role="insurer_agent", display_name="王经办")
ZHANG = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"}


def test_a_worker_registered_by_mistake_is_removed_and_the_log_says_so(store):
    _w, change = store.add_worker(CLERK, ZHANG)
    assert change.audit_range is not None and store.undo_problem(CLERK, change) is None
    undone = store.undo(CLERK, change)
    assert store.count_workers() == 0
    assert store.search_workers(WorkerFilter(text="伟")) == []  # the name index went with it
    assert undone.summary == "已撤销：登记人员 张伟" and "workers" in undone.tables
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log WHERE table_name = 'workers' ORDER BY seq")]
    assert actions == ["insert", "undo"]
    assert verify_audit(store)[0]
    assert store.undo_problem(CLERK, undone) is not None  # an undo is not undone again


def test_an_edit_is_put_back_field_by_field(store):
    w, _ = store.add_worker(CLERK, ZHANG)
    _w2, change = store.update_worker(CLERK, w.id, {**ZHANG, "name": "张薇", "phone": "13900001111"})
    store.undo(CLERK, change)
    back = store.worker(w.id)
    assert (back.name, back.phone) == ("张伟", "13812345678") and back.row_version == 3
    assert [x.name for x in store.search_workers(WorkerFilter(text="伟"))] == ["张伟"]
    assert store.search_workers(WorkerFilter(text="薇")) == []
    assert verify_audit(store)[0]


def test_nothing_is_undone_once_another_record_depends_on_it(store):
    p, _ = store.add_platform(CLERK, name="美团", industries=["food_delivery"])
    w, add = store.add_worker(CLERK, ZHANG)
    store.enroll(CLERK, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2026-11-01")
    with pytest.raises(ClaimsError, match="已被其他记录引用"):
        store.undo(CLERK, add)
    assert store.count_workers() == 1 and verify_audit(store)[0]


def test_a_record_changed_since_is_not_undone(store):
    w, add = store.add_worker(CLERK, ZHANG)
    store.update_worker(CLERK, w.id, {**ZHANG, "phone": "13900001111"})
    assert "又被修改过" in store.undo_problem(CLERK, add)
    with pytest.raises(ClaimsError, match="又被修改过"):
        store.undo(CLERK, add)
    assert store.worker(w.id).phone == "13900001111"


def test_only_ones_own_record_keeping_slips(store, demo_store):
    _w, add = store.add_worker(CLERK, ZHANG)
    assert store.undo_problem(OTHER, add) == "只能撤销自己的操作"
    number = demo_store.conn.execute("SELECT id FROM cases WHERE state = 'investigating' LIMIT 1").fetchone()[0]
    reviewer = Actor("reviewer", role="reviewer")
    _d, decided = demo_store.decide(reviewer, number, confirm=True, situation_code="order_task", legal_basis="第十条")
    assert "不能撤销" in demo_store.undo_problem(reviewer, decided)
    assert store.undo_problem(CLERK, None) == "没有可以撤销的操作"
