"""Importing workers from a platform's export: the row-by-row report, exactly
the bad rows rejected with their reasons, idempotence, dry runs and cancels
that change nothing, CSV and XLSX alike, mappings remembered per platform."""
import csv
import random
import sqlite3
import time

import pytest

from claims.audit import verify_audit
from claims.demo import bank_card, id_number, person_name, phone
from claims.errors import ClaimsError
from claims.store import Actor, Cancelled, Store
from claims.tabular import read_rows
from tests.wine import AT_SCALE, UNDER_WINE

ADMIN = Actor("clerk", role="admin")
HEADER = ["name", "id_number", "phone", "platform", "station", "industry", "enrolled_on", "bank_card", "address"]
TABLES = ("workers", "enrollments", "stations", "worker_name_grams", "audit_log", "import_runs")


@pytest.fixture
def shop(store):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    store.add_platform(ADMIN, name="滴滴出行", industries=["ride_hailing"])
    return store


def good_rows(n, seed=1):
    rng = random.Random(seed)
    seen = set()
    for i in range(n):
        idn = id_number(rng)
        while idn in seen:
            idn = id_number(rng)
        seen.add(idn)
        yield [person_name(rng), idn, phone(rng), "美团", f"站点{i % 7}", "外卖", "2025-03-01", bank_card(rng), "上海市"]


def spoil(row, kind):
    """Make one row bad in one of several ways; returns the row and the reason expected."""
    row = list(row)
    if kind == 0:
        row[1] = row[1][:17] + ("0" if row[1][17] != "0" else "1")
        return row, "身份证号码：校验位错误"
    if kind == 1:
        row[2] = "12345"
        return row, "手机号码"
    if kind == 2:
        row[3] = "不存在的平台"
        return row, "未登记的平台“不存在的平台”"
    if kind == 3:
        row[5] = "快递"
        return row, "未知行业“快递”"
    if kind == 4:
        row[6] = "2025-02-30"
        return row, "参保日期"
    if kind == 5:
        row[5] = "出行"
        return row, "未登记出行行业"
    row[0] = ""
    return row, "姓名：不能为空"


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def with_bad(n, every=100, seed=1):
    """n rows, one in ``every`` spoiled; returns rows and {line: expected reason}."""
    rows, bad = [], {}
    for i, r in enumerate(good_rows(n, seed)):
        if i % every == every // 2:
            r, why = spoil(r, i // every)
            bad[i + 2] = why  # line 1 is the header
        rows.append(r)
    return rows, bad


def counts(store):
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_report_rejects_exactly_the_bad_rows_and_reimport_is_unchanged(shop, tmp_path):
    rows, bad = with_bad(700)
    path = write_csv(tmp_path / "m.csv", rows)
    rep = shop.import_workers(ADMIN, read_rows(path), file_name="m.csv")
    assert rep.total == 700 and len(rep.rejected) == 7
    assert {line for line, _ in rep.rejected} == set(bad)
    for line, msg in rep.rejected:
        assert msg.startswith(f"第 {line} 行：") and bad[line] in msg, msg
    assert rep.new == 693 and rep.updated == rep.unchanged == 0
    assert {s for _l, s, _d in rep.rows} == {"new", "rejected"}
    assert shop.count_workers() == 693
    assert len(shop.stations()) == 7

    again = shop.import_workers(ADMIN, read_rows(path), file_name="m.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 693)
    assert again.rejected == rep.rejected
    assert verify_audit(shop)[0]


def test_dry_run_reports_but_changes_nothing(shop, tmp_path):
    rows, bad = with_bad(300)
    path = write_csv(tmp_path / "m.csv", rows)
    before = counts(shop)
    rep = shop.import_workers(ADMIN, read_rows(path), dry_run=True)
    assert rep.dry_run and rep.new == 297 and len(rep.rejected) == 3
    assert counts(shop) == before
    real = shop.import_workers(ADMIN, read_rows(path))
    assert (real.new, [r[0] for r in real.rejected]) == (rep.new, [r[0] for r in rep.rejected])


def test_cancel_midway_leaves_the_database_as_it_was(shop, tmp_path):
    path = write_csv(tmp_path / "m.csv", list(good_rows(5000)))
    before = counts(shop)
    asked = []

    def cancel():
        asked.append(1)
        return len(asked) >= 2  # after 4,000 rows, two batches already written

    with pytest.raises(Cancelled):
        shop.import_workers(ADMIN, read_rows(path), cancel=cancel)
    assert len(asked) == 2
    assert counts(shop) == before
    # and a fresh connection sees the same
    other = Store(shop.path, "X")
    assert other.count_workers() == 0
    other.close()


def test_failure_midway_rolls_everything_back(shop):
    def rows():
        for i, r in enumerate(good_rows(3000)):
            if i == 2500:
                raise sqlite3.OperationalError("disk I/O error")
            yield i + 2, dict(zip(HEADER, r))

    before = counts(shop)
    with pytest.raises(sqlite3.OperationalError):
        shop.import_workers(ADMIN, rows())
    assert counts(shop) == before


def test_csv_and_xlsx_give_the_same_report(tmp_path):
    rows, bad = with_bad(250)
    reports = []
    for kind, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
        s = Store(tmp_path / f"{kind}.db", "T", create=True)
        s.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
        path = writer(tmp_path / f"m.{kind}", rows)
        reports.append(s.import_workers(ADMIN, read_rows(path)))
        assert s.import_workers(ADMIN, read_rows(path)).unchanged == 250 - len(bad)
        s.close()
    a, b = reports
    assert (a.new, a.rejected, a.rows) == (b.new, b.rejected, b.rows)


def test_person_listed_twice_is_stored_once_with_both_enrollments(shop, tmp_path):
    r = next(good_rows(1))
    second = list(r)
    second[3], second[4], second[5] = "滴滴出行", "", "ride_hailing"
    path = write_csv(tmp_path / "m.csv", [r, second])
    rep = shop.import_workers(ADMIN, read_rows(path))
    assert [s for _l, s, _d in rep.rows] == ["new", "updated"]
    w = shop.worker_by_id_number(r[1])
    assert len(shop.enrollments_of(w.id)) == 2
    assert shop.platform_names_for([w.id]) == {w.id: "滴滴出行、美团"}
    assert shop.import_workers(ADMIN, read_rows(path)).unchanged == 2


def test_changed_rows_update_and_empty_cells_keep_what_was_typed(shop, tmp_path):
    rows = list(good_rows(3))
    shop.import_workers(ADMIN, read_rows(write_csv(tmp_path / "a.csv", rows)))
    rows[0][2] = "13900001111"   # new phone
    rows[1][7] = ""              # bank card left out this time
    rows[2][4] = "站点新"         # moved to another station
    rep = shop.import_workers(ADMIN, read_rows(write_csv(tmp_path / "b.csv", rows)))
    assert [s for _l, s, _d in rep.rows] == ["updated", "unchanged", "updated"]
    assert shop.worker_by_id_number(rows[0][1]).phone == "13900001111"
    assert shop.worker_by_id_number(rows[1][1]).bank_card != ""
    w3 = shop.worker_by_id_number(rows[2][1])
    assert shop.station(shop.enrollments_of(w3.id)[0].station_id).name == "站点新"
    assert verify_audit(shop)[0]


def test_new_workers_are_found_by_name_search(shop, tmp_path):
    rows = list(good_rows(50))
    shop.import_workers(ADMIN, read_rows(write_csv(tmp_path / "a.csv", rows)))
    from claims.store import WorkerFilter
    name = rows[17][0]
    assert any(w.id_number == rows[17][1] for w in shop.search_workers(WorkerFilter(text=name), limit=100))


def test_mapping_is_remembered_per_platform(shop, tmp_path):
    assert shop.import_mapping("美团", "workers") is None
    shop.save_import_mapping("美团", "workers", {"骑手姓名": "name", "证件号": "id_number"})
    shop.save_import_mapping("滴滴出行", "workers", {"司机": "name"})
    assert shop.import_mapping("美团", "workers") == {"骑手姓名": "name", "证件号": "id_number"}
    assert shop.import_mapping("美团", "orders") is None
    shop.save_import_mapping("美团", "workers", {"姓名": "name"})
    assert shop.import_mapping("美团", "workers") == {"姓名": "name"}
    assert shop.import_mapping("滴滴出行", "workers") == {"司机": "name"}
    # and the mapping renames the file's columns on reading
    path = write_csv(tmp_path / "m.csv", list(good_rows(2)), header=["骑手姓名", "证件号"] + HEADER[2:])
    rep = shop.import_workers(ADMIN, read_rows(path, {"骑手姓名": "name", "证件号": "id_number"}))
    assert rep.new == 2


def test_platform_names_for_marks_ended_platforms(shop):
    w, _ = shop.add_worker(ADMIN, {"name": "王芳", "id_number": next(good_rows(1))[1], "phone": "13800001111"})
    mt, dd = shop.platform_by_name("美团"), shop.platform_by_name("滴滴出行")
    shop.enroll(ADMIN, worker_id=w.id, platform_id=mt.id, industry="food_delivery", start_on="2025-01-01")
    shop.enroll(ADMIN, worker_id=w.id, platform_id=dd.id, industry="ride_hailing", start_on="2025-01-01",
                end_on="2025-02-01")
    assert shop.platform_names_for([w.id, "nobody"]) == {w.id: "美团、滴滴出行（已终止）"}
    assert shop.platform_names_for([]) == {}


@pytest.mark.slow
@pytest.mark.skipif(UNDER_WINE, reason=AT_SCALE)
def test_100000_rows_with_one_percent_bad(shop, tmp_path):
    rows, bad = with_bad(100_000)
    path = write_csv(tmp_path / "big.csv", rows)
    t0 = time.monotonic()
    rep = shop.import_workers(ADMIN, read_rows(path), file_name="big.csv")
    first = time.monotonic() - t0
    assert len(rep.rejected) == 1000 and rep.new == 99_000
    assert {line for line, _ in rep.rejected} == set(bad)
    assert all(bad[line] in msg for line, msg in rep.rejected)
    assert shop.count_workers() == 99_000
    t0 = time.monotonic()
    again = shop.import_workers(ADMIN, read_rows(path), file_name="big.csv")
    second = time.monotonic() - t0
    assert (again.new, again.updated, again.unchanged, len(again.rejected)) == (0, 0, 99_000, 1000)
    print(f"\n100,000 rows: first import {first:.1f} s, second {second:.1f} s")


def test_import_refuses_unknown_file_types(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(ClaimsError):
        list(read_rows(p))
