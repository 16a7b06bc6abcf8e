"""The 参保登记 search box finds a person by four digits from the middle of the
mobile or of the ID number, as the store's search does (typed as a clerk types)."""
import argparse

import pytest

from claims.store import Actor
from claims.store.base import _issue
from ui.app import open_main_window

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def workers_section(qtbot, demo_db):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                         actor=_issue(Actor("admin", role="admin")))  # as the login issues it
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(1)
    sec = w.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    return sec


def shown(sec):
    return [sec.model.record(r) for r in range(sec.model.rowCount())]


@pytest.mark.parametrize("part", ["mobile", "id"])
def test_four_digits_from_the_middle_find_the_person(workers_section, qtbot, type_into, part):
    sec = workers_section
    store = sec.ctx.store
    # someone whose four middle digits end somebody else's number: the search must not stop at that one
    for target in store.search_workers(limit=1000):
        digits = target.phone[3:7] if part == "mobile" else target.id_number[7:11]
        if store.conn.execute("SELECT 1 FROM workers WHERE id != ? AND (id_number LIKE ? OR phone LIKE ?)",
                              (target.id, "%" + digits, "%" + digits)).fetchone():
            break
    else:
        pytest.fail("no such person in the demo")
    sec.search.clear()
    sec.search.setFocus()
    type_into(sec.search, digits)
    assert sec.search.text() == digits
    qtbot.waitUntil(lambda: all(digits in w.phone or digits in w.id_number for w in shown(sec)))
    assert any(w.id == target.id for w in shown(sec))
    assert sec.model.rowCount() == store.count_workers(sec.filter(), actor=sec.ctx.actor)
