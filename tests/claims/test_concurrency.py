"""Two programs on one database: nothing lost. A second writer waits for the
first (BEGIN IMMEDIATE and the busy timeout) instead of failing half-way; a
change made over a newer version of a record is refused with both versions;
a wrong password is counted even while another program writes."""
import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.errors import DatabaseBusy, PermissionDenied, StaleRecord
from tests.wine import UNDER_WINE, WAL_LOCKS
from claims.store import Actor, Store

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("clerk", role="admin")
WORKER = {"name": "张伟", "id_number": "110101199003074514", "phone": "13800138000"}


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another program that takes the write lock and keeps it for ``seconds``."""
    code = ("import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"INSERT INTO counters(name, value) VALUES ('other-program', 1)"
            " ON CONFLICT(name) DO UPDATE SET value = value + 1\")\n"
            "print('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\n"
            "c.execute('ROLLBACK')\n")
    p = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert p.stdout.readline().strip() == "locked"
    return p


@pytest.mark.skipif(UNDER_WINE, reason=WAL_LOCKS)
def test_a_second_writer_waits_for_the_first_instead_of_failing(store):
    holder = hold_write_lock(store.path, 1.0)
    started = time.monotonic()
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery"])  # waits, then writes
    waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.5, "the write should have waited for the other program's lock"
    assert store.platform_by_name("美团").id == p.id


def test_an_action_holds_the_write_lock_from_its_start(store):
    """An action reads, then writes. Had it not taken the lock at its start, another
    program committing in between would make its write fail at once (SQLite cannot
    upgrade a stale read); with the lock taken first, the other program waits."""
    code = ("import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)\n"
            "c.execute(\"INSERT INTO counters(name, value) VALUES ('other-program', 1)\")\n")
    with store.atomic():
        store.conn.execute("SELECT count(*) FROM platforms").fetchone()
        other = subprocess.Popen([sys.executable, "-c", code, str(store.path)])
        time.sleep(0.5)  # the other program tries to write now
        store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    assert other.wait() == 0
    assert store.platform_by_name("美团") is not None
    assert store.conn.execute("SELECT value FROM counters WHERE name = 'other-program'").fetchone()[0] == 1


def test_a_writer_kept_waiting_too_long_is_told_calmly_and_writes_nothing(store):
    store.conn.execute("PRAGMA busy_timeout = 200")
    holder = hold_write_lock(store.path, 2.0)
    try:
        with pytest.raises(DatabaseBusy) as e:
            store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
        assert e.value.message == "另一任务正在写入数据库，请稍候再试"
        assert e.value.exit_code == 2
    finally:
        holder.wait()
    assert store.platform_by_name("美团") is None
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])  # and works once the other is done
    assert store.platform_by_name("美团") is not None


@pytest.mark.skipif(UNDER_WINE, reason=WAL_LOCKS)
def test_two_connections_write_one_after_the_other_in_threads(tmp_path):
    """Two stores (two connections) write at the same moment: both commits are kept."""
    import threading
    path = tmp_path / "t.db"
    Store(path, "TEST", create=True).close()
    errors = []

    def add(name):
        s = Store(path, "TEST")
        try:
            for i in range(20):
                s.add_platform(ADMIN, name=f"{name}{i}", industries=["food_delivery"])
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)
        finally:
            s.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    s = Store(path, "TEST")
    assert len(s.platforms()) == 40
    from claims.audit import verify_audit
    assert verify_audit(s)[0], verify_audit(s)[1]


def test_a_wrong_password_is_counted_while_another_program_writes(store):
    store.setup_first_admin("admin12345")
    store.conn.execute("PRAGMA busy_timeout = 200")  # shorter than the other program's lock
    holder = hold_write_lock(store.path, 1.0)
    try:
        with pytest.raises(PermissionDenied) as e:
            store.authenticate("admin", "wrong-password1")
        assert "还可尝试 4 次" in e.value.message
    finally:
        holder.wait()
    assert store.conn.execute("SELECT failed_attempts FROM users WHERE username = 'admin'").fetchone()[0] == 1


def test_wrong_passwords_from_two_programs_at_once_are_all_counted(tmp_path):
    path = tmp_path / "t.db"
    s = Store(path, "TEST", create=True)
    s.setup_first_admin("admin12345")
    code = ("import sys\nfrom claims.store import Store\nfrom claims.errors import PermissionDenied\n"
            "s = Store(sys.argv[1], 'TEST')\n"
            "try:\n    s.authenticate('admin', 'wrong-password1')\nexcept PermissionDenied:\n    pass\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT) for _ in range(3)]
    assert all(p.wait() == 0 for p in procs)
    assert s.conn.execute("SELECT failed_attempts FROM users WHERE username = 'admin'").fetchone()[0] == 3


def test_a_change_over_a_newer_version_is_refused_with_both_versions(tmp_path):
    path = tmp_path / "t.db"
    gui = Store(path, "TEST", create=True)
    gui.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = gui.add_worker(ADMIN, WORKER)
    assert w.row_version == 1
    # meanwhile a command-line import changes the same person's mobile
    f = tmp_path / "w.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name", "id_number", "phone", "platform", "industry", "enrolled_on"],
                                  ["张伟", WORKER["id_number"], "13900139000", "美团", "外卖", "2025-03-01"]])
    r = subprocess.run([sys.executable, "main.py", "import-workers", str(f), "--db", str(path)], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    with pytest.raises(StaleRecord) as e:
        gui.update_worker(ADMIN, w.id, {**WORKER, "name": "张伟", "phone": "13700137000"}, expected_version=1)
    err = e.value
    assert (err.expected, err.current_version) == (1, 2)
    assert err.current["phone"] == "13900139000"  # what the database holds now, to show beside the form
    assert err.by.startswith("cli:")
    assert "第 1 版" in err.message and "第 2 版" in err.message
    assert gui.worker(w.id).phone == "13900139000"  # nothing overwritten
    # keeping one's own values is a new save over the version now seen
    w2, _ = gui.update_worker(ADMIN, w.id, {**WORKER, "phone": "13700137000"}, expected_version=2)
    assert (w2.phone, w2.row_version) == ("13700137000", 3)


def test_every_read_then_write_checks_the_version_it_read(store):
    """A store method that reads a record and then writes it refuses a change slipped in between."""
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = store.add_worker(ADMIN, WORKER)
    other = Store(store.path, "TEST")
    other.update_worker(ADMIN, w.id, {**WORKER, "phone": "13900139000"})
    with pytest.raises(StaleRecord):
        store.update_worker(ADMIN, w.id, {**WORKER, "phone": "13700137000"}, expected_version=w.row_version)
    other.close()


def test_logging_in_to_a_read_only_copy_works_and_a_wrong_password_is_still_refused(store):
    store.setup_first_admin("admin12345")
    with pytest.raises(PermissionDenied):
        store.authenticate("admin", "wrong-password1")  # one failure on record
    store.read_only = True  # as on read-only media (tests/claims/test_messages.py drills the real thing)
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        store.authenticate("admin", "wrong-password1")
    assert store.authenticate("admin", "admin12345").issued  # the count cannot be reset there: no matter
