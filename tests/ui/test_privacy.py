"""Privacy that holds on every screen: the case view masks an agent's view of the
worker's ID number as the worker list does (until revealed, which is logged); a
station manager sees only their own platform's enrollments and order counts, on
screen and in the export; the search box is cleared after a worker is saved."""
import pytest
from PySide6.QtCore import QUrl

from claims.store import Actor, CaseFilter, Store, WorkerFilter
from claims.validators import mask_id
from ui.context import AppContext
from ui.sections.cases import CasesSection
from ui.sections.workers import WorkersSection

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def store(demo_db):
    s = Store(demo_db, "T")
    yield s
    s.close()


def section(qtbot, cls, store, actor):
    sec = cls(AppContext(store=store, actor=actor, version="t"))
    qtbot.addWidget(sec)
    sec.resize(1280, 680)
    sec.show()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    return sec


def test_the_case_view_masks_the_id_number_for_an_agent_as_the_worker_list_does(qtbot, store):
    agent = store.authenticate("agent", "agent123")
    cases = section(qtbot, CasesSection, store, agent)
    c = cases.current()
    w = store.worker(c.worker_id)
    text = cases.detail.toPlainText()
    assert mask_id(w.id_number) in text and w.id_number not in text
    workers = section(qtbot, WorkersSection, store, agent)
    workers.search.setText(w.name)
    qtbot.waitUntil(lambda: any(workers.model.record(r).id == w.id for r in range(workers.model.rowCount())))
    row = next(r for r in range(workers.model.rowCount()) if workers.model.record(r).id == w.id)
    assert workers.model.data(workers.model.index(row, 1)) == mask_id(w.id_number)  # the same rule, the same text
    cases.detail.anchorClicked.emit(QUrl("reveal:case"))
    assert w.id_number in cases.detail.toPlainText()
    logged = store.conn.execute("SELECT actor FROM audit_log WHERE action = 'reveal' AND record_id = ?",
                                (c.id,)).fetchall()
    assert [r[0] for r in logged] == ["agent"]


def test_a_station_manager_sees_only_their_own_platforms_enrollments(qtbot, store, tmp_path):
    from claims.export import export_workers
    sm = store.authenticate("zhanzhang", "station123")
    admin = Actor("admin", role="admin")
    mine = store.search_workers(WorkerFilter(), limit=1, actor=sm)[0]
    other = next(p for p in store.platforms() if p.id != sm.platform_id)
    store.enroll(admin, worker_id=mine.id, platform_id=other.id, industry=other.industries[0].value,
                 start_on="2025-03-01")
    assert len({e.platform_id for e in store.enrollments_of(mine.id)}) >= 2
    sec = section(qtbot, WorkersSection, store, sm)
    sec.search.setText(mine.name)
    qtbot.waitUntil(lambda: sec.current() is not None and sec.current().id == mine.id or
                    any(sec.model.record(r).id == mine.id for r in range(sec.model.rowCount())))
    row = next(r for r in range(sec.model.rowCount()) if sec.model.record(r).id == mine.id)
    sec.view.selectRow(row)
    text = sec.detail.toPlainText()
    own = store.platform(sm.platform_id).name
    assert own in text and other.name not in text
    assert sec.model.data(sec.model.index(row, 5)) == own
    out = tmp_path / "mine.csv"
    export_workers(store, WorkerFilter(text=mine.name), out, actor=sm)
    body = out.read_text(encoding="utf-8-sig")
    assert own in body and other.name not in body


def test_the_search_box_is_cleared_after_a_worker_is_saved(qtbot, store):
    admin = store.authenticate("admin", "admin123")
    sec = section(qtbot, WorkersSection, store, admin)
    w = sec.model.record(3)
    sec.search.setText(w.id_number)
    qtbot.waitUntil(lambda: sec.model.rowCount() == 1)
    _w, change = store.update_worker(admin, w.id, {**w.model_dump(), "address": "上海市宝山区"})
    sec.after_save(change, w.id)
    assert w.id_number not in sec.search.text() and sec.current().id == w.id
