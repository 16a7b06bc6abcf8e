"""A station manager's scope is kept by the store at every entry point: a
filter narrows it and never widens it, so a station manager filtering for
another station or platform gets nothing (no error that names anyone), and
look-ups by number or ID do not find what lies outside it — workers,
enrollments, cases, declarations, orders, statistics, exports, reconciliation,
printouts and imports (demo database: 赵站长 of 曹操出行's first station)."""
import csv

import pytest

from claims import reconcile
from claims.errors import NotFound, PermissionDenied
from claims.export import export_workers
from claims.permissions import NOWHERE
from claims.printing import render_document
from claims.stats import StatsFilter
from claims.store import Actor, CaseFilter, WorkerFilter
from claims.tabular import read_rows

ADMIN = Actor("test:admin", role="admin")


@pytest.fixture
def sm(demo_store):
    user = next(u for u in demo_store.users() if u.role.value == "station_manager")
    return demo_store._actor_for(user)


@pytest.fixture
def other(demo_store, sm):
    """Another station of the same platform, and another platform, each with a worker and a case."""
    s = demo_store
    station = next(st for st in s.stations(sm.platform_id) if st.id != sm.station_id and
                   s.count_workers(WorkerFilter(station_id=st.id)) and
                   s.count_cases(CaseFilter(station_id=st.id)))
    platform = next(p for p in s.platforms() if p.id != sm.platform_id and
                    s.count_workers(WorkerFilter(platform_id=p.id)))
    worker = s.search_workers(WorkerFilter(station_id=station.id), limit=1)[0]
    case = s.search_cases(CaseFilter(station_id=station.id), limit=1)[0]
    return {"station": station, "platform": platform, "worker": worker, "case": case}


def test_workers_filtered_for_another_station_or_platform_give_nothing(demo_store, sm, other):
    s = demo_store
    own = s.count_workers(actor=sm)
    assert 0 < own == s.count_workers(WorkerFilter(station_id=sm.station_id)) < s.count_workers()
    for f in (WorkerFilter(station_id=other["station"].id), WorkerFilter(platform_id=other["platform"].id),
              WorkerFilter(text=other["worker"].name, station_id=other["station"].id)):
        assert s.count_workers(f, actor=sm) == 0
        assert s.search_workers(f, actor=sm) == [] and list(s.iter_workers(f, actor=sm)) == []
    assert s.count_workers(WorkerFilter(station_id=sm.station_id), actor=sm) == own
    assert other["worker"].id not in {w.id for w in s.search_workers(WorkerFilter(text=other["worker"].id_number),
                                                                       actor=sm)}


def test_worker_lookups_outside_the_station_find_nobody(demo_store, sm, other):
    s, w = demo_store, other["worker"]
    assert s.worker_by_id_number(w.id_number) is not None
    assert s.worker_by_id_number(w.id_number, actor=sm) is None
    with pytest.raises(PermissionDenied):
        s.worker(w.id, sm)
    mine = s.search_workers(actor=sm, limit=1)[0]
    assert s.worker_by_id_number(mine.id_number, actor=sm).id == mine.id
    assert {e.station_id for e in s.enrollments_of(mine.id, actor=sm)} == {sm.station_id}
    assert set(s.platform_names_for([mine.id], actor=sm)[mine.id].split("、")) <= {s.platform(sm.platform_id).name,
                                                                                  s.platform(sm.platform_id).name
                                                                                  + "（已终止）"}
    dups = s.probable_duplicates({"id_number": "X", "name": w.name, "birth_date": w.birth_date.isoformat(),
                                  "phone": w.phone})
    assert w.id in {d.id for d in dups}
    assert w.id not in {d.id for d in s.probable_duplicates(
        {"id_number": "X", "name": w.name, "birth_date": w.birth_date.isoformat(), "phone": w.phone}, actor=sm)}


def test_platform_and_station_lists_offer_only_their_own(demo_store, sm, other):
    s = demo_store
    assert [p.id for p in s.platforms(actor=sm)] == [sm.platform_id] and len(s.platforms()) > 1
    assert [st.id for st in s.stations(actor=sm)] == [sm.station_id]
    assert [st.id for st in s.stations(sm.platform_id, actor=sm)] == [sm.station_id]
    assert s.stations(other["platform"].id, actor=sm) == []


def test_cases_filtered_for_another_station_give_nothing(demo_store, sm, other):
    s = demo_store
    assert s.count_cases(CaseFilter(station_id=other["station"].id)) > 0
    for f in (CaseFilter(station_id=other["station"].id), CaseFilter(platform_id=other["platform"].id),
              CaseFilter(text=other["case"].number, station_id=other["station"].id)):
        assert s.count_cases(f, actor=sm) == 0 and s.search_cases(f, actor=sm) == []
    assert s.search_cases(CaseFilter(text=other["case"].number), actor=sm) == []
    assert all(c.station_id == sm.station_id for c in s.search_cases(actor=sm, limit=500))
    with pytest.raises(NotFound):
        s.case_by_number(other["case"].number, actor=sm)
    with pytest.raises(PermissionDenied):
        s.case(other["case"].id, sm)


def test_declarations_of_another_platform_give_nothing(demo_store, sm, other):
    s = demo_store
    theirs = s.declarations(platform_id=other["platform"].id)
    assert theirs and s.declarations(platform_id=sm.platform_id, actor=sm)
    assert s.declarations(platform_id=other["platform"].id, actor=sm) == []
    assert s.count_declarations(platform_id=other["platform"].id, actor=sm) == 0
    assert {d.platform_id for d in s.declarations(actor=sm, limit=500)} == {sm.platform_id}
    with pytest.raises(NotFound):
        s.declaration_by_number(theirs[0].number, actor=sm)
    with pytest.raises(PermissionDenied):
        s.declaration(theirs[0].id, actor=sm)


def test_orders_of_another_platform_or_station_are_not_found(demo_store, sm, other):
    s = demo_store
    theirs = s.conn.execute("SELECT platform_id, order_no, worker_id, accepted_at FROM orders WHERE platform_id != ?"
                            " ORDER BY order_no LIMIT 1", (sm.platform_id,)).fetchone()
    assert s.order_by_number(theirs[0], theirs[1]) is not None
    assert s.order_by_number(theirs[0], theirs[1], actor=sm) is None
    with pytest.raises(PermissionDenied):
        s.order_days(other["worker"].id, actor=sm)
    from datetime import datetime
    with pytest.raises(PermissionDenied):
        s.orders_at(other["worker"].id, datetime.fromisoformat(theirs[3]), actor=sm)
    mine = s.search_workers(actor=sm, limit=50)
    assert all(row[0] == s.platform(sm.platform_id).name for w in mine for row in s.order_days(w.id, actor=sm))


def test_statistics_filtered_for_another_station_are_empty(demo_store, sm, other):
    s = demo_store
    months = s.stats_months()
    f = StatsFilter(months[0], months[1])
    for key in ("enrollment", "cases"):
        nothing = s.stats_view(key, f.with_(station_id=NOWHERE))
        assert s.stats_view(key, f.with_(station_id=other["station"].id), actor=sm) == nothing
        assert s.stats_view(key, f.with_(platform_id=other["platform"].id), actor=sm) == nothing
        assert s.stats_view(key, f, actor=sm) == s.stats_view(
            key, f.with_(platform_id=sm.platform_id, station_id=sm.station_id))
        assert s.stats_view(key, f, actor=sm) != nothing


def test_exports_and_reconciliation_for_another_station_are_empty(demo_store, sm, other, tmp_path):
    s = demo_store
    n = export_workers(s, WorkerFilter(station_id=other["station"].id), tmp_path / "w.csv", "csv", actor=sm)
    assert n == 0 and len(list(csv.reader((tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines()))) == 1
    months = s.stats_months()
    assert reconcile.reconcile(s, months[0], months[1], other["platform"].id)
    assert reconcile.reconcile(s, months[0], months[1], other["platform"].id, actor=sm) == []
    rows = reconcile.reconcile(s, months[0], months[1], actor=sm)
    assert rows and {r.platform_id for r in rows} == {sm.platform_id}
    m = rows[-1]
    stations = reconcile.by_station(s, m.platform_id, m.region, m.month, actor=sm)
    assert {r.key for r in stations} <= {sm.station_id}
    assert len(reconcile.by_station(s, m.platform_id, m.region, m.month)) > len(stations)
    assert reconcile.by_worker(s, m.platform_id, m.region, m.month, other["station"].id, actor=sm) == []
    with pytest.raises(PermissionDenied):
        reconcile.by_day(s, other["worker"].id, m.platform_id, m.region, m.month, actor=sm)


def test_printouts_of_records_outside_the_scope_are_refused(demo_store, sm, other):
    s = demo_store
    with pytest.raises(NotFound):
        render_document(s, None, "report_receipt", other["case"].number, sm)
    with pytest.raises(NotFound):
        render_document(s, None, "enrollment_certificate", other["worker"].id_number, sm)
    theirs = s.declarations(platform_id=other["platform"].id)[0]
    with pytest.raises(NotFound):
        render_document(s, None, "fee_declaration", theirs.number, sm)


def test_a_station_manager_imports_only_their_platform_and_station(demo_store, sm, other, tmp_path):
    s = demo_store
    plat = s.platform(sm.platform_id)
    station = s.station(sm.station_id)
    from claims.validators import id_check_char
    ids = [f"31010419900101{i:03d}" for i in range(501, 504)]
    ids = [i + id_check_char(i) for i in ids]
    ind = plat.industries[0].value
    rows = [(2, {"name": "甲", "id_number": ids[0], "phone": "13700000001", "platform": plat.name,
                 "industry": ind, "enrolled_on": "2025-03-01"}),
            (3, {"name": "乙", "id_number": ids[1], "phone": "13700000002", "platform": plat.name,
                 "station": other["station"].name, "industry": ind, "enrolled_on": "2025-03-01"}),
            (4, {"name": "丙", "id_number": ids[2], "phone": "13700000003", "platform": other["platform"].name,
                 "industry": other["platform"].industries[0].value, "enrolled_on": "2025-03-01"})]
    rep = s.import_workers(sm, rows)
    assert rep.new == 1 and [line for line, _m in rep.rejected] == [3, 4]
    assert "站点：站长只能导入本站点的人员" in rep.rejected[0][1] and "平台：站长只能导入本平台的人员" in rep.rejected[1][1]
    w = s.worker_by_id_number(ids[0], actor=sm)
    assert [e.station_id for e in s.enrollments_of(w.id)] == [station.id]
    path = tmp_path / "o.csv"
    path.write_text("order_no,platform,industry,id_number,accepted_at,region\n"
                    f"Z1,{other['platform'].name},{other['platform'].industries[0].value},{other['worker'].id_number},"
                    "2025-07-03T08:00:00,310000\n", encoding="utf-8")
    rep = s.import_orders(sm, read_rows(path))
    assert rep.new == 0 and "站长只能导入本平台的记录" in rep.rejected[0][1]
