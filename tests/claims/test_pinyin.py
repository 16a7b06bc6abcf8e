"""Names sort by pinyin and are found by full pinyin or initials, through indexed keys
that a migration fills for workers registered before."""
from claims.pinyin import full, initials
from claims.store import Actor, WorkerFilter
from claims.store.base import _split_sql
from claims.store.schema import M_NAME_PINYIN
from claims.validators import id_check_char

ADMIN = Actor("admin", role="admin")


def _id(n: int) -> str:
    first = f"11010519800101{n:03d}"
    return first + id_check_char(first)


def _add(store, name, n):
    return store.add_worker(ADMIN, {"name": name, "id_number": _id(n), "phone": f"1381234{n:04d}"})[0]


def test_surnames_read_as_surnames():
    assert (full("张伟"), initials("张伟")) == ("zhangwei", "zw")
    assert full("曾小贤").startswith("zeng") and full("单雄信").startswith("shan") and full("吕布") == "lvbu"


def test_search_by_pinyin_and_initials_and_sort_by_pinyin(store):
    for i, name in enumerate(["张伟", "曾小贤", "王芳", "张薇"]):
        _add(store, name, i + 1)
    names = lambda text: sorted(w.name for w in store.search_workers(WorkerFilter(text=text)))  # noqa: E731
    assert names("zhangwei") == ["张伟", "张薇"]
    assert names("zw") == ["张伟", "张薇"]
    assert names("ZXX") == ["曾小贤"]
    assert names("wang") == ["王芳"]
    assert names("张") == ["张伟", "张薇"]
    ordered = [w.name for w in store.search_workers(WorkerFilter(sort="name"))]
    assert ordered[0] == "王芳" and ordered[1] == "曾小贤"  # wang < zeng < zhang, not by code point
    _add(store, "陈坚维", 7)
    _add(store, "程义宝", 8)
    ordered = [w.name for w in store.search_workers(WorkerFilter(sort="name"))]
    assert ordered.index("陈坚维") < ordered.index("程义宝")  # chen before cheng, syllable by syllable
    plan = " ".join(str(r[3]) for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT rowid FROM workers WHERE name_initials GLOB 'zw*'"))
    assert "workers_initials" in plan


def test_renaming_and_the_migration_fill_the_keys(store):
    w = _add(store, "王芳", 1)
    store.update_worker(ADMIN, w.id, {**w.model_dump(), "name": "李娜"})
    assert [x.name for x in store.search_workers(WorkerFilter(text="ln"))] == ["李娜"]
    store.conn.execute("UPDATE workers SET name_pinyin = '', name_initials = '', name_sort = ''")
    update = next(s for s in _split_sql(M_NAME_PINYIN) if s.startswith("UPDATE"))
    store.conn.execute(update)
    assert store.conn.execute("SELECT name_pinyin, name_initials, name_sort FROM workers").fetchone()[:] == \
        ("lina", "ln", "li na 李娜")


def test_pinyin_keys_are_not_part_of_the_audited_record(store):
    from claims.store.base import row_digest
    w = _add(store, "王芳", 1)
    row = store._row("workers", w.id)
    assert row_digest(row) == row_digest({**row, "name_pinyin": "", "name_initials": ""})
