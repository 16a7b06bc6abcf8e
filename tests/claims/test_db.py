"""The store's connection is APSW (claims/store/db.py) and still answers like
sqlite3 for the code above it: rows by name and position, dict(row), the
errors the code catches, rowcount, transactions."""
import datetime
import sqlite3

import pytest

from claims.store.db import connect


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "t.db")
    c.execute("CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT NOT NULL, n INTEGER)")
    yield c
    c.close()


def test_rows_read_like_sqlite3_rows(conn):
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [("a", "张伟", 1), ("b", "李娜", 2)])
    row = conn.execute("SELECT id, name AS 姓名, n FROM t ORDER BY id").fetchone()
    assert isinstance(row, sqlite3.Row)
    assert row["id"] == "a" and row[1] == "张伟" and row["姓名"] == "张伟" and row["N"] == 1
    assert dict(row) == {"id": "a", "姓名": "张伟", "n": 1}
    assert row.keys() == ["id", "姓名", "n"]
    rid, name, n = row
    assert (rid, name, n) == ("a", "张伟", 1)
    assert [r["id"] for r in conn.execute("SELECT * FROM t ORDER BY id")] == ["a", "b"]
    assert [tuple(r) for r in conn.execute("SELECT id, n FROM t ORDER BY id").fetchall()] == [("a", 1), ("b", 2)]
    assert conn.execute("SELECT * FROM t WHERE id = ?", ("zz",)).fetchone() is None
    assert conn.execute("SELECT * FROM t WHERE 0").fetchall() == []
    assert list(conn.execute("SELECT * FROM t WHERE 0")) == []
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 2


def test_errors_are_the_ones_sqlite3_raised(conn):
    conn.execute("INSERT INTO t VALUES ('a', 'x', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO t VALUES ('a', 'y', 2)")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        conn.execute("SELECT * FROM nowhere")
    with pytest.raises(sqlite3.IntegrityError):
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [("b", None, 1)])
    try:
        conn.execute("INSERT INTO t VALUES ('a', 'y', 2)")
    except sqlite3.IntegrityError as e:
        assert e.sqlite_errorcode & 0xFF == 19


def test_rowcount_transactions_and_dates(conn):
    assert conn.executemany("INSERT INTO t VALUES (?, ?, ?)", [(str(i), "x", i) for i in range(5)]).rowcount == 5
    assert conn.execute("UPDATE t SET n = n + 1 WHERE n >= 3").rowcount == 2
    assert not conn.in_transaction
    conn.execute("BEGIN IMMEDIATE")
    assert conn.in_transaction
    conn.execute("INSERT INTO t VALUES (?, ?, ?)", ("d", datetime.date(2026, 3, 1), True))
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM t WHERE id = 'd'").fetchone()[0] == 0
    conn.execute("INSERT INTO t VALUES (?, ?, ?)", ("d", datetime.date(2026, 3, 1), True))
    assert tuple(conn.execute("SELECT name, n FROM t WHERE id = 'd'").fetchone()) == ("2026-03-01", 1)


def test_a_busy_database_says_so_as_sqlite3_did(tmp_path):
    from claims.errors import DatabaseBusy, database_problem
    a, b = connect(tmp_path / "x.db"), connect(tmp_path / "x.db")
    a.execute("CREATE TABLE t (x)")
    b.execute("PRAGMA busy_timeout = 50")
    a.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as e:
        b.execute("BEGIN IMMEDIATE")
    assert isinstance(database_problem(e.value), DatabaseBusy)
    a.execute("ROLLBACK")
