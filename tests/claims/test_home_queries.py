"""The home screen's plain rows say what the model-building queries say: the same
cases, tasks and approvals in the same order, a station manager's limited alike,
and the same missing parameters."""
from datetime import date, datetime

import pytest

from claims.errors import MissingParameter
from claims.store import Actor, CaseFilter

TODAY = date(2025, 11, 1)


def actors(store):
    enr = store.conn.execute("SELECT platform_id, station_id FROM cases WHERE station_id IS NOT NULL LIMIT 1").fetchone()
    return [Actor("admin", role="admin"), Actor("reviewer", role="reviewer"), Actor("agent", role="insurer_agent"),
            Actor("zz", role="station_manager", platform_id=enr[0], station_id=enr[1])]


@pytest.mark.parametrize("due", ["overdue", "soon", None])
def test_case_lines_are_the_case_lists_cases(demo_store, due):
    for actor in actors(demo_store):
        f = CaseFilter(due=due, today=TODAY)
        want = [(c.number, c.state, c.due_on) for c in demo_store.search_cases(f, limit=50, actor=actor)]
        assert [(c.number, c.state, c.due_on) for c in demo_store.case_lines(f, actor)] == want
        assert want or due is not None  # the demo has cases for everyone


def test_waiting_and_approval_lines_are_my_tasks(demo_store):
    seen = 0
    for actor in actors(demo_store):
        tasks = demo_store.my_tasks(actor)
        assert [(c.number, c.state, c.due_on) for c in demo_store.waiting_lines(actor)] == \
            [(c.number, c.state, c.due_on) for c in tasks["cases"]]
        assessments, payments = demo_store.approval_lines(actor)
        assert [(a.case_number, a.number, a.amount_fen) for a in assessments] == \
            [(demo_store.case(a.case_id).number, a.number, a.once_total_fen) for a in tasks["assessments"]]
        assert [(p.case_number, p.number, p.kind, p.amount_fen, p.due_on) for p in payments] == \
            [(demo_store.case(p.case_id).number, p.number, p.kind, p.amount_fen, p.due_on) for p in tasks["payments"]]
        seen += len(tasks["cases"]) + len(assessments) + len(payments)
    assert seen


def reference_gaps(store) -> list[str]:
    """parameter_gaps as it was computed from the models."""
    table, gaps = store.parameter_table(), []
    for number, accident_at in store.conn.execute(
            "SELECT number, accident_at FROM cases WHERE state IN ('confirmed','appraisal','appraised')"):
        for name in ("benefit_base", "hospital_food_daily"):
            try:
                table.require(name, "310000", datetime.fromisoformat(accident_at).date())
            except MissingParameter as e:
                gaps.append(f"案件 {number}：{e.message}")
    return gaps


def test_missing_parameters_are_found_as_the_parameter_table_finds_them(demo_store):
    assert sorted(demo_store.parameter_gaps()) == sorted(reference_gaps(demo_store))
    years = [r[0] for r in demo_store.conn.execute(
        "SELECT DISTINCT substr(accident_at, 1, 4) FROM cases WHERE state IN ('confirmed','appraisal','appraised')")]
    assert years
    demo_store.conn.execute("DELETE FROM parameters WHERE name = 'benefit_base' AND valid_from LIKE ?",
                            (f"{min(years)}%",))
    demo_store.conn.execute("DELETE FROM parameters WHERE name = 'hospital_food_daily' AND region != '000000'")
    gaps = demo_store.parameter_gaps()
    assert gaps and sorted(gaps) == sorted(reference_gaps(demo_store))


def test_the_number_of_workers_follows_every_insert_and_undo(demo_store):
    everyone = lambda: demo_store.conn.execute("SELECT count(*) FROM workers").fetchone()[0]  # noqa: E731
    assert demo_store.count_workers() == everyone() == 300
    actor = Actor("clerk", role="admin")
    _w, change = demo_store.add_worker(actor, {"name": "张伟", "id_number": "11010519491231002X",
                                               "phone": "13812345678"})
    assert demo_store.count_workers() == everyone() == 301
    demo_store.undo(actor, change)
    assert demo_store.count_workers() == everyone() == 300
