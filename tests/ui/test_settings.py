"""设置: the audit viewer shows one case's history to reviewers, and is absent for station managers."""
import argparse

from claims.store import Actor
from ui.app import open_main_window


def _window(qtbot, demo_db, actor):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=actor)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(5)
    return w, w.stack.currentWidget()


def test_reviewer_sees_the_history_of_one_case(qtbot, demo_db):
    w, sec = _window(qtbot, demo_db, Actor("reviewer", role="reviewer"))
    number = w.ctx.store.conn.execute("SELECT number FROM cases WHERE state = 'confirmed' LIMIT 1").fetchone()[0]
    sec.audit_tab.record.setText(number)
    sec.audit_tab.reload()
    t = sec.audit_tab.table
    actions = {t.item(r, 3).text() for r in range(t.rowCount())}
    tables = {t.item(r, 4).text().split()[0] for r in range(t.rowCount())}
    assert {"新增", "修改"} <= actions and {"cases", "case_events", "decisions"} <= tables


def test_station_manager_has_no_audit_tab(qtbot, demo_db):
    _w, sec = _window(qtbot, demo_db, Actor("zhanzhang", role="station_manager", station_id="x"))
    assert sec.audit_tab is None
    assert not sec.users_tab.add_btn.isEnabled()
