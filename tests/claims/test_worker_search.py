"""Search by any part of a number: every worker whose ID number or mobile contains
the digits is found, those whose number ends with them first; the index follows
every write and is built for databases made before it."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claims.pinyin import sort_key

from claims.store import Actor, Store, WorkerFilter
from claims.store import worker_search

ROOT = Path(__file__).resolve().parents[2]
ACTOR = Actor("test:clerk")
ZHANG = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"}
LI = {"name": "李娜", "id_number": "310104198001010017", "phone": "13900000000"}


def found(store, text, **kw):
    return [w.name for w in store.search_workers(WorkerFilter(text=text, **kw), limit=1000)]


def test_four_digits_from_the_middle_of_the_mobile_or_the_id_number_find_the_worker(store):
    store.add_worker(ACTOR, ZHANG)
    store.add_worker(ACTOR, LI)
    for text in ("1234", "2345", "1949", "9123"):  # mobile 138[1234]5678; ID 110105[1949]1231002X
        assert found(store, text) == ["张伟"], text
        assert store.count_workers(WorkerFilter(text=text)) == 1
    store.add_worker(ACTOR, {"name": "王芳", "id_number": "310104198001061949", "phone": "13900001234"})
    assert found(store, "1234") == ["王芳", "张伟"]  # the one ending with them first, and still 张伟
    assert found(store, "1949") == ["王芳", "张伟"]
    assert found(store, "1980 0101") == ["李娜"]  # spaces as typed from a card
    assert found(store, "002x") == ["张伟"]
    assert found(store, "4321") == [] and store.count_workers(WorkerFilter(text="4321")) == 0


def test_those_whose_number_ends_with_the_digits_come_first(store):
    store.add_worker(ACTOR, {"name": "艾一", "id_number": "310104198001015678", "phone": "13900000001"})
    store.add_worker(ACTOR, {"name": "包二", "id_number": "310104198001010033", "phone": "13956781111"})
    store.add_worker(ACTOR, {"name": "陈三", "id_number": "310104198001010041", "phone": "13900005678"})
    # by name 艾 < 包 < 陈, but 包二 has 5678 only in the middle of the mobile
    assert found(store, "5678") == ["艾一", "陈三", "包二"]
    assert [w.name for w in store.iter_workers(WorkerFilter(text="5678"))] == ["艾一", "陈三", "包二"]


def test_one_or_two_digits_match_the_end_of_a_number(store):
    store.add_worker(ACTOR, ZHANG)
    store.add_worker(ACTOR, LI)
    assert found(store, "x") == ["张伟"]
    assert found(store, "17") == ["李娜"]
    assert found(store, "13") == []  # every mobile starts with 1: the start is no search


def test_the_index_follows_changes_and_undo(store):
    w, _ = store.add_worker(ACTOR, ZHANG)
    store.update_worker(ACTOR, w.id, {**ZHANG, "phone": "13887654321"})
    assert found(store, "1234") == [] and found(store, "8765") == ["张伟"]
    _w, change = store.add_worker(ACTOR, LI)
    assert found(store, "1980") == ["李娜"]
    store.undo(ACTOR, change)
    assert found(store, "1980") == [] and store.count_workers(WorkerFilter(text="1980")) == 0


@pytest.mark.parametrize("walk_from", [worker_search.WALK_FROM, 1])  # gathered and sorted / read off the index
def test_search_finds_exactly_what_a_substring_scan_finds(demo_store, monkeypatch, walk_from):
    monkeypatch.setattr(worker_search, "WALK_FROM", walk_from)
    everyone = demo_store.conn.execute("SELECT id, name, id_number, phone FROM workers").fetchall()
    queries = set()
    for _id, _name, idn, phone in everyone[::15]:
        queries |= {idn[7:11], phone[3:7], idn[-4:], phone[-4:], idn[6:9], idn[-6:], phone[2:9], idn, phone,
                    idn[4:12], phone[5:8]}
    queries |= {"000", "1234", "99999", "0000000"}
    names = {name[i:i + n] for _id, name, _i, _p in everyone[::10] for n in (1, 2) for i in range(len(name) - n + 1)}
    for q in sorted(queries) + sorted(names):
        want = {r[0] for r in everyone if q in r[2] or q in r[3]} if q.isascii() else \
            {r[0] for r in everyone if q in r[1]}
        f = WorkerFilter(text=q)
        shown = [w for off in range(0, len(want) + 1, 20) for w in demo_store.search_workers(f, offset=off, limit=20)]
        assert {w.id for w in shown} == want and len(shown) == len(want), q
        assert demo_store.count_workers(f) == len(want), q
        if q.isascii():
            ends = [w.id_number.endswith(q) or w.phone.endswith(q) for w in shown]
            assert ends == sorted(ends, reverse=True), q  # those ending with the digits first
        else:
            keys = [(sort_key(w.name), w.id) for w in shown]  # names in pinyin order (陈 before 程)
            assert keys == sorted(keys), q


def test_pages_follow_on_across_the_two_groups(demo_store, monkeypatch):
    monkeypatch.setattr(worker_search, "WALK_FROM", 1)
    f = WorkerFilter(text="9")  # one digit: the end only, a tenth of everyone
    f3 = WorkerFilter(text="198")
    surname = demo_store.conn.execute("SELECT substr(name, 1, 1) s FROM workers GROUP BY s ORDER BY count(*) DESC"
                                      " LIMIT 1").fetchone()[0]
    for flt in (f, f3, WorkerFilter(text="198", sort="phone", descending=True), WorkerFilter(text=surname),
                WorkerFilter(text=surname, descending=True)):
        whole = [w.id for w in demo_store.search_workers(flt, limit=100_000)]
        pages = [w.id for off in range(0, len(whole) + 3, 3) for w in demo_store.search_workers(flt, offset=off, limit=3)]
        assert pages == whole and len(whole) == demo_store.count_workers(flt) > 3


def test_a_station_managers_search_stays_in_their_station(demo_store):
    enr = demo_store.conn.execute("SELECT worker_id, platform_id, station_id FROM enrollments"
                                  " WHERE station_id IS NOT NULL LIMIT 1").fetchone()
    sm = Actor("zz", role="station_manager", platform_id=enr["platform_id"], station_id=enr["station_id"])
    mine = {r[0] for r in demo_store.conn.execute("SELECT worker_id FROM enrollments WHERE station_id = ?",
                                                  (enr["station_id"],))}
    for q in ("198", "1985", "0000", "13"):
        got = {w.id for w in demo_store.search_workers(WorkerFilter(text=q), limit=100_000, actor=sm)}
        assert got <= mine and demo_store.count_workers(WorkerFilter(text=q), actor=sm) == len(got)


def test_list_workers_finds_four_digits_from_the_middle_of_the_mobile_and_the_id(tmp_path):
    db = tmp_path / "t.db"
    s = Store(db, "TEST", create=True)
    s.add_worker(ACTOR, ZHANG)
    s.add_worker(ACTOR, LI)
    s.close()
    for text in ("1234", "1949"):
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "workers", "--db", str(db), "--search", text,
                            "--format", "json"], capture_output=True, text=True, encoding="utf-8", timeout=300,
                           env={"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"})
        assert r.returncode == 0, r.stderr
        assert [json.loads(x)["name"] for x in r.stdout.splitlines()] == ["张伟"]


def test_a_database_made_before_the_index_gets_it_filled(tmp_path, monkeypatch):
    from claims.store import base, schema
    mine = next(i for i, (_n, desc, _s) in enumerate(schema.MIGRATIONS) if desc == "人员号码任意几位检索")
    before = schema.MIGRATIONS[:mine]
    monkeypatch.setattr(base, "MIGRATIONS", before)
    monkeypatch.setattr(base, "HEAD", before[-1][0])
    p = tmp_path / "old.db"
    old = Store(p, "S1", create=True)
    old.add_worker(ACTOR, ZHANG)
    old.close()
    assert sqlite3.connect(p).execute("SELECT count(*) FROM sqlite_master WHERE name = 'worker_digits'").fetchone() == (0,)
    monkeypatch.undo()
    s = Store(p, "S1")
    assert s.schema_version == schema.HEAD
    assert found(s, "1234") == ["张伟"] and found(s, "1949") == ["张伟"]
    assert s.count_workers() == 1  # the count kept by triggers (migration 人员总数) starts from what is there
    s.add_worker(ACTOR, LI)
    assert found(s, "0101") == ["李娜"] and s.count_workers() == 2


def test_imported_workers_and_changed_mobiles_are_found_by_their_middle_digits(store, tmp_path):
    store.add_platform(ACTOR, name="美团", industries=["food_delivery"])
    path = tmp_path / "w.csv"

    def write(phone):
        path.write_text("name,id_number,phone,platform,industry,enrolled_on\n"
                        f"张伟,11010519491231002X,{phone},美团,外卖,2025-03-01\n", encoding="utf-8")

    from claims.tabular import read_rows
    write("13812345678")
    assert store.import_workers(ACTOR, read_rows(path)).new == 1
    assert found(store, "1234") == ["张伟"] and found(store, "1949") == ["张伟"]
    write("13887654321")
    assert store.import_workers(ACTOR, read_rows(path)).updated == 1
    assert found(store, "1234") == [] and found(store, "8765") == ["张伟"]


def test_the_bulk_paths_index_the_same_words_as_the_triggers(store):
    from claims.store.schema import _digit_words
    from claims.store.worker_search import digit_words
    c = store.conn
    c.execute("CREATE TEMP TABLE t (id_number TEXT, phone TEXT)")
    samples = [("11010519491231002X", "13812345678"), ("110105491231002", "1381234567"), ("123", "12"), ("", "1"),
               ("1" * 30, "9876543210987654321098765")]
    c.executemany("INSERT INTO temp.t VALUES (?, ?)", samples)
    made = [r[0] for r in c.execute(f"SELECT {_digit_words('t')} FROM temp.t ORDER BY rowid")]
    assert [m.split() for m in made] == [digit_words(i, p).split() for i, p in samples]


def test_a_surname_search_lists_its_names_in_pinyin_order_read_off_the_pinyin_index(store):
    """万 read as a surname (wan): its names lie together in the pinyin order, before 王 (wang)
    and among others read wan; a 万 further on in a name is found too, in its place."""
    from claims.validators import id_check_char
    names = ["万军", "王伟", "宛丽", "万安", "李万", "婉婷", "万成龙", "丸子"]
    for i, name in enumerate(names):
        first17 = f"31010419800101{i:03d}"
        store.add_worker(ACTOR, {"name": name, "id_number": first17 + id_check_char(first17),
                                 "phone": f"139000000{i:02d}"})
    assert store._sort_prefix("万") == "wan " and store._sort_prefix("万成") == "wan cheng "
    assert store._sort_prefix("Z") is None and store._sort_prefix("无") is None  # nobody's name begins with 无
    want = sorted((n for n in names if "万" in n), key=sort_key)
    assert found(store, "万") == want == ["李万", "万安", "万成龙", "万军"]  # li before wan
    assert found(store, "万", descending=True) == want[::-1]
    assert [w.name for off in range(0, 4) for w in store.search_workers(WorkerFilter(text="万"), offset=off, limit=1)] \
        == want
