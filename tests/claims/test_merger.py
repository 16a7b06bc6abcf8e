"""外卖 was merged into 即时配送 on 2025-07-01: anything recorded for a day on or
after it as 外卖 is stored as 即时配送 with a note, never refused; earlier
records keep 外卖."""
from datetime import datetime, timedelta

import pytest

from claims.store import Actor
from claims.tabular import read_rows
from claims.timeutil import SHANGHAI

ADMIN = Actor("admin1", role="admin")


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    return store, p, w


@pytest.mark.parametrize("start,stored,noted", [("2025-06-30", "food_delivery", False),
                                                ("2025-07-01", "instant_delivery", True)])
def test_an_enrollment(world, start, stored, noted):
    store, p, w = world
    e, change = store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on=start)
    assert e.industry.value == stored and ("并入即时配送" in change.summary) == noted


@pytest.mark.parametrize("day,stored,noted", [("2025-06-30", "food_delivery", False),
                                              ("2025-07-01", "instant_delivery", True)])
def test_a_case(world, day, stored, noted):
    store, p, w = world
    at = datetime.fromisoformat(day + "T09:00:00").replace(tzinfo=SHANGHAI)
    c, _ = store.report_case(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", accident_at=at,
                             description="摔倒", reported_at=at + timedelta(hours=1))
    assert c.industry.value == stored and ("并入即时配送" in store.case_events(c.id)[0].note) == noted


def test_a_worker_import_row(world, tmp_path):
    store, p, _w = world
    f = tmp_path / "w.csv"
    f.write_text("name,id_number,phone,platform,industry,enrolled_on\n"
                 "李娜,310104199001011233,13900001111,美团,外卖,2025-08-01\n"
                 "王强,11010519491231010X,13900002222,美团,外卖,2025-05-01\n", encoding="utf-8")
    rep = store.import_workers(ADMIN, read_rows(f))
    assert rep.new == 2 and not rep.rejected
    inds = dict(store.conn.execute("SELECT w.name, e.industry FROM enrollments e JOIN workers w ON w.id = e.worker_id"))
    assert inds == {"李娜": "instant_delivery", "王强": "food_delivery"}
    notes = {line: detail for line, _s, detail in rep.rows}
    assert "并入即时配送" in notes[2] and "并入" not in notes[3]
