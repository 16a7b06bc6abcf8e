"""Lists that behave: every column header of the case list sorts (again: the other
way), the order is kept for the user, and names sort by pinyin."""
import pytest
from PySide6.QtCore import QPoint, Qt

from claims.enums import CaseState, Industry
from claims.pinyin import sort_key
from claims.store import Store
from ui.context import AppContext
from ui.sections.cases import CasesSection

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def store(demo_db):
    s = Store(demo_db, "T")
    yield s
    s.close()


def click_header(qtbot, view, col):
    h = view.horizontalHeader()
    x = h.sectionViewportPosition(col) + h.sectionSize(col) // 2
    qtbot.mouseClick(h.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, h.height() // 2))


def open_cases(qtbot, store, actor):
    sec = CasesSection(AppContext(store=store, actor=actor, version="t"))
    qtbot.addWidget(sec)
    sec.resize(1280, 680)
    sec.show()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    return sec


def keys(sec, store, col):
    recs = [sec.model.record(r) for r in range(sec.model.rowCount())]
    order_state, order_ind = list(CaseState), list(Industry)
    return [[c.number for c in recs], [sort_key(store.worker(c.worker_id).name) for c in recs],
            [order_ind.index(c.industry) for c in recs], [c.accident_at for c in recs],
            [order_state.index(c.state) for c in recs], [c.due_on.isoformat() if c.due_on else "9999" for c in recs]][col]


def test_the_case_list_sorts_by_every_column_and_keeps_the_order(qtbot, store):
    agent = store.authenticate("agent", "agent123")
    sec = open_cases(qtbot, store, agent)
    assert sec.model.rowCount() > 12  # enough cases for every order to show
    for col in range(sec.model.columnCount()):
        click_header(qtbot, sec.view, col)
        qtbot.waitUntil(lambda: sec.model.sort_code is not None)
        got = keys(sec, store, col)
        assert got == sorted(got), sec.model.columns[col].title
        click_header(qtbot, sec.view, col)  # again: the other way
        got = keys(sec, store, col)
        assert got == sorted(got, reverse=True), sec.model.columns[col].title
        assert got[0] != got[-1] or col in (2,), sec.model.columns[col].title
    # the same user finds the list as they left it; another user has their own order
    last = sec.model.columnCount() - 1
    again = open_cases(qtbot, store, agent)
    assert again.model.sort_code == "due" and again.model.descending
    assert again.view.horizontalHeader().sortIndicatorSection() == last
    other = open_cases(qtbot, store, store.authenticate("reviewer", "review123"))
    assert other.model.sort_code is None and other.view.horizontalHeader().sortIndicatorSection() == -1


def test_the_worker_list_sorts_names_by_pinyin(qtbot, store):
    from ui.sections.workers import WorkersSection
    sec = WorkersSection(AppContext(store=store, actor=store.authenticate("admin", "admin123"), version="t"))
    qtbot.addWidget(sec)
    sec.show()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    for col in range(sec.model.columnCount()):
        click_header(qtbot, sec.view, col)
        assert sec.model.sort_code == sec.model.columns[col].sort_key, sec.model.columns[col].title
    click_header(qtbot, sec.view, 0)
    if sec.model.descending:
        click_header(qtbot, sec.view, 0)
    names = [sec.model.record(r).name for r in range(sec.model.rowCount())]
    assert [sort_key(n) for n in names] == sorted(sort_key(n) for n in names)
