"""Exporting the filtered worker list: XLSX and CSV, streamed, masked unless
the user may export personal data, nothing left behind when cancelled."""
import csv
import random

import pytest

from claims.demo import bank_card, id_number
from claims.errors import PermissionDenied
from claims.export import export_workers, worker_columns
from claims.store import Actor, Cancelled, WorkerFilter
from claims.validators import mask_account, mask_id, mask_mobile

ADMIN = Actor("admin", role="admin")


@pytest.fixture
def people(store):
    """1,200 workers on 美团, every tenth also on 滴滴出行 (imported: quick)."""
    rng = random.Random(11)
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    store.add_platform(ADMIN, name="滴滴出行", industries=["ride_hailing"])
    rows, line = [], 1
    for i in range(1200):
        rec = {"name": f"骑手{i:04d}", "id_number": id_number(rng), "phone": f"139{i:08d}",
               "bank_card": bank_card(rng), "platform": "美团", "industry": "food_delivery",
               "enrolled_on": "2025-01-01"}
        line += 1
        rows.append((line, rec))
        if i % 10 == 0:
            line += 1
            rows.append((line, {**rec, "platform": "滴滴出行", "industry": "ride_hailing"}))
    rep = store.import_workers(ADMIN, rows)
    assert rep.new == 1200 and not rep.rejected
    return [store.worker_by_id_number(r["id_number"]) for _l, r in rows if r["platform"] == "美团"]


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def test_csv_for_admin_has_whole_numbers_and_every_platform(store, people, tmp_path):
    steps = []
    n = export_workers(store, WorkerFilter(), tmp_path / "a.csv", "csv", mask=False, progress=steps.append,
                       actor=ADMIN)
    rows = read_csv(tmp_path / "a.csv")
    assert n == 1200 and len(rows) == 1201 and rows[0] == worker_columns()
    by_name = {r[0]: r for r in rows[1:]}
    w = people[10]
    assert by_name[w.name][1] == w.id_number and by_name[w.name][4] == w.phone
    assert by_name[w.name][5] == "滴滴出行、美团" and by_name[people[11].name][5] == "美团"
    assert steps == sorted(steps) and steps[-1] == 1200 and len(steps) > 2  # streamed in chunks
    entry = store.conn.execute("SELECT actor, changes FROM audit_log WHERE action = 'export'").fetchone()
    assert entry[0] == "admin" and '"personal":[null,true]' in entry[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_masked_export_for_users_who_may_not_export_personal_data(store, people, tmp_path, fmt):
    agent = Actor("agent", role="insurer_agent")
    with pytest.raises(PermissionDenied):
        export_workers(store, None, tmp_path / f"x.{fmt}", fmt, mask=False, actor=agent)
    assert not (tmp_path / f"x.{fmt}").exists()
    path = tmp_path / f"m.{fmt}"
    export_workers(store, None, path, fmt, mask=True, actor=agent)
    if fmt == "csv":
        rows = read_csv(path)
    else:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True)
        rows = [["" if v is None else str(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    assert rows[0] == worker_columns() and len(rows) == 1201
    content = "\n".join(",".join(r) for r in rows)
    for w in people[:50]:
        assert w.id_number not in content and w.phone not in content and w.bank_card not in content
    first = {r[0]: r for r in rows[1:]}[people[0].name]
    assert first[1] == mask_id(people[0].id_number) and first[4] == mask_mobile(people[0].phone)
    assert first[6] == mask_account(people[0].bank_card)


def test_export_follows_the_filter(store, people, tmp_path):
    dd = store.platform_by_name("滴滴出行")
    n = export_workers(store, WorkerFilter(platform_id=dd.id), tmp_path / "d.xlsx", mask=True)
    assert n == 120
    n = export_workers(store, WorkerFilter(text="骑手000"), tmp_path / "t.csv", mask=True)
    assert n == 10 and len(read_csv(tmp_path / "t.csv")) == 11


def test_station_manager_exports_only_their_station(store, people, tmp_path):
    mt = store.platform_by_name("美团")
    st, _ = store.add_station(ADMIN, platform_id=mt.id, name="张江站")
    w, _ = store.add_worker(ADMIN, {"name": "站内骑手", "id_number": id_number(random.Random(99)),
                                    "phone": "13700000001"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=mt.id, station_id=st.id, industry="food_delivery",
                 start_on="2025-06-01")
    sm = Actor("zz", role="station_manager", platform_id=mt.id, station_id=st.id)
    n = export_workers(store, None, tmp_path / "s.csv", mask=True, actor=sm)
    assert n == 1 and read_csv(tmp_path / "s.csv")[1][0] == w.name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cancelled_export_leaves_no_file(store, people, tmp_path, fmt):
    path = tmp_path / f"c.{fmt}"
    path.write_text("older export")  # an existing file is not destroyed either
    calls = []
    with pytest.raises(Cancelled):
        export_workers(store, None, path, fmt, mask=True, cancel=lambda: calls.append(1) or len(calls) >= 2)
    assert path.read_text() == "older export"
    assert not list(tmp_path.glob("*.part"))
