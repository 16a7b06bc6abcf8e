"""Backups hold everything and restores put everything back: the database and
every attached file in one checked file; progress and a cancel that leaves
nothing; never overwriting what is not ours; the safety copy before a restore
keeps every commit even while another program reads; old plain .db backups
still restore."""
import json
import sqlite3
import subprocess
import sys
import os
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from claims.audit import verify_audit
from claims.backup import BackupCancelled, backup, check_backup_file, restore
from claims.errors import ClaimsError, DatabaseBusy
from claims.store import Actor, Store
from claims.store.anchor import anchor_path
from claims.timeutil import SHANGHAI

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("boss", role="admin")


def zbt(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


def with_scan(store, tmp_path, content=b"\xff\xd8 scan of a diagnosis", name="诊断证明.jpg"):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "110101199003074514", "phone": "13800138000"})
    c, _ = store.report_case(ADMIN, worker_id=w.id, platform_id=store.platform_by_name("美团").id,
                             industry="food_delivery", accident_at=datetime(2025, 10, 1, 9, tzinfo=SHANGHAI),
                             place="路口", description="摔倒")
    src = tmp_path / name
    src.write_bytes(content)
    d, _ = store.add_document(ADMIN, c.id, doc_type="medical_record", file_path=src)
    return c, d, store.files_dir / d.content_hash[:2] / d.content_hash


def test_backup_reports_progress_and_makes_a_checked_copy(demo_store, tmp_path):
    seen = []
    dest = backup(demo_store, tmp_path / "b.zbk", progress=lambda done, total: seen.append((done, total)))
    assert dest.exists() and seen and seen[-1][0] == seen[-1][1]
    with zipfile.ZipFile(dest) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert {"database.db", "anchor.json", "manifest.json"} <= set(z.namelist())
        (tmp_path / "x").mkdir()
        z.extract("database.db", tmp_path / "x")
    with sqlite3.connect(tmp_path / "x" / "database.db") as c:
        assert c.execute("SELECT count(*) FROM workers").fetchone()[0] == demo_store.count_workers()
    assert manifest["schema_version"] == demo_store.schema_version
    assert demo_store.meta_get("last_backup")
    assert check_backup_file(dest) == demo_store.schema_version


def test_a_cancelled_backup_leaves_no_file_and_no_backup_date(demo_store, tmp_path):
    before = demo_store.meta_get("last_backup")
    with pytest.raises(BackupCancelled, match="备份已取消"):
        backup(demo_store, tmp_path / "backups" / "b.zbk", cancelled=lambda: True)
    assert list((tmp_path / "backups").iterdir()) == []
    assert demo_store.meta_get("last_backup") == before


def test_a_backup_holds_the_attached_files_and_a_restore_puts_them_back(store, tmp_path):
    c, d, kept = with_scan(store, tmp_path)
    bk = backup(store, tmp_path / "bk.zbk")
    with zipfile.ZipFile(bk) as z:
        assert z.read(f"files/{d.content_hash[:2]}/{d.content_hash}") == b"\xff\xd8 scan of a diagnosis"
    store.close()
    kept.unlink()  # the scans are lost (a new laptop, a wiped folder)
    assert restore(bk, store.path) is not None
    assert kept.read_bytes() == b"\xff\xd8 scan of a diagnosis"
    if os.name == "posix":  # on Windows the profile's ACL protects them (claims/private.py)
        assert kept.stat().st_mode & 0o777 == 0o600 and kept.parent.stat().st_mode & 0o777 == 0o700
    s = Store(store.path, "TEST")
    assert s.identity_problem is None
    ok, msg = verify_audit(s)
    assert ok, msg


def test_the_whole_round_trip_on_the_command_line(store, tmp_path):
    c, d, kept = with_scan(store, tmp_path)
    store.close()
    bk = tmp_path / "bk.zbk"
    r = zbt("backup", "--db", str(store.path), "-o", str(bk))
    assert r.returncode == 0 and "已备份到" in r.stdout, r.stderr
    kept.unlink()
    r = zbt("restore", str(bk), "--db", str(store.path))
    assert r.returncode == 0, r.stderr
    assert zbt("audit", "verify", "--db", str(store.path)).returncode == 0
    assert kept.exists()


def test_backup_never_overwrites_a_file_unless_told_and_never_one_that_is_not_a_backup(store, tmp_path):
    bk = tmp_path / "bk.zbk"
    assert zbt("backup", "--db", str(store.path), "-o", str(bk)).returncode == 0
    first = bk.read_bytes()
    r = zbt("backup", "--db", str(store.path), "-o", str(bk))
    assert r.returncode == 2 and "已存在" in r.stderr and "--force" in r.stderr and bk.read_bytes() == first
    assert zbt("backup", "--db", str(store.path), "-o", str(bk), "--force").returncode == 0
    letter = tmp_path / "给领导的报告.docx"
    letter.write_bytes(b"PK\x03\x04 a document, not a backup")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    for victim in (letter, other):
        before = victim.read_bytes()
        r = zbt("backup", "--db", str(store.path), "-o", str(victim), "--force")
        assert r.returncode == 2 and "不是职保通的备份文件" in r.stderr
        assert victim.read_bytes() == before
    with pytest.raises(ClaimsError, match="同一个文件"):
        backup(store, store.path, force=True)


def test_a_missing_or_replaced_scan_is_named_and_the_rest_is_backed_up(store, tmp_path):
    c, d, kept = with_scan(store, tmp_path)
    kept.write_bytes(b"replaced")
    problems = []
    bk = backup(store, tmp_path / "bk.zbk", problems=problems)
    assert problems == [f"案件 {c.number} 的材料文件“诊断证明.jpg”已被替换或改动，未备份这份改动过的文件"]
    with zipfile.ZipFile(bk) as z:
        assert not [n for n in z.namelist() if n.startswith("files/")]
    r = zbt("backup", "--db", str(store.path), "-o", str(tmp_path / "bk2.zbk"))
    assert r.returncode == 2 and "诊断证明.jpg" in r.stderr and (tmp_path / "bk2.zbk").exists()


def test_a_damaged_backup_is_refused_and_nothing_changes(store, tmp_path):
    with_scan(store, tmp_path)
    bk = backup(store, tmp_path / "bk.zbk")
    data = bytearray(bk.read_bytes())
    i = data.index(b"\xff\xd8 scan")  # the scan is stored uncompressed: spoil one byte of it
    data[i + 3] ^= 0xFF
    bad = tmp_path / "bad.zbk"
    bad.write_bytes(bytes(data))
    store.close()
    before = store.path.read_bytes()
    with pytest.raises(ClaimsError, match="未恢复"):
        restore(bad, store.path)
    assert store.path.read_bytes() == before
    assert not list(tmp_path.glob("*-before-restore-*"))


def test_a_restore_while_another_program_reads_keeps_every_commit_in_the_safety_copy(demo_db, tmp_path):
    s = Store(demo_db, "T")
    bk = backup(s, tmp_path / "bk.zbk")
    reader = sqlite3.connect(demo_db, isolation_level=None)  # another program, reading since before the commit
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM workers").fetchone()
    s.add_worker(ADMIN, {"name": "恢复前登记", "id_number": "11010519491231002X", "phone": "13812345678"})
    s.close()  # the commit sits in the -wal file: the reader keeps it from being checkpointed
    saved = restore(bk, demo_db)
    reader.execute("COMMIT")
    reader.close()
    with sqlite3.connect(saved) as c:
        assert c.execute("SELECT count(*) FROM workers WHERE name = '恢复前登记'").fetchone()[0] == 1
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert anchor_path(saved).exists()  # the safety copy keeps its signature too
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT count(*) FROM workers WHERE name = '恢复前登记'").fetchone()[0] == 0


def test_an_old_plain_backup_still_restores_and_is_signed_when_first_opened(demo_db, tmp_path):
    old = tmp_path / "old-backup.db"  # what earlier versions wrote: a plain SQLite copy
    with sqlite3.connect(demo_db) as live, sqlite3.connect(old) as out:
        live.backup(out)
        for k in ("site.id", "site.public_key", "site.fingerprint", "database.id"):
            out.execute("DELETE FROM meta WHERE key = ?", (k,))
        out.execute("DELETE FROM audit_log WHERE action IN ('site_key', 'baseline', 'count', 'print')"
                    " OR (action = 'seal')")
    assert zbt("restore", str(old), "--db", str(demo_db)).returncode == 0
    s = Store(demo_db, "T")
    assert s.identity_problem is None and s.meta_get("site.public_key")
    del s


def test_copying_a_database_another_program_keeps_locked_ends_with_a_message(tmp_path):
    """Python's own backup loop retries for ever while the source answers "busy" (a
    read-only copy whose -shm cannot be used, a writer holding its lock); the copy
    under every backup and restore gives up after its wait and says why."""
    from claims.store.base import copy_database
    src = tmp_path / "src.db"
    with sqlite3.connect(src) as c:  # a rollback-journal file: a writer's EXCLUSIVE lock keeps readers out
        c.execute("CREATE TABLE t (x)")
        c.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
    # one SQLite library per process sees its own locks: the program's connections all come from claims.store.db
    from claims.store.db import connect
    holder = connect(src)
    holder.execute("BEGIN EXCLUSIVE")
    reader = connect(src)
    reader.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(DatabaseBusy, match="锁定"):
            copy_database(reader, tmp_path / "copy.db", timeout=1.0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (tmp_path / "copy.db").exists()
    copy_database(reader, tmp_path / "copy.db")  # and works once the lock is gone
    assert sqlite3.connect(tmp_path / "copy.db").execute("SELECT count(*) FROM t").fetchone()[0] == 5000


def test_restore_from_a_folder_with_hash_and_percent_in_its_name(demo_store, tmp_path):
    """The backup's path goes into a file: URI: a # must not cut it short, a %20 must stay as typed."""
    from claims.backup import restore
    folder = tmp_path / "备份 #3 %20 旧"
    bk = backup(demo_store, folder / "b#1.db")
    target = tmp_path / "live.db"
    assert restore(bk, target) is None
    with sqlite3.connect(target) as c:
        assert c.execute("SELECT count(*) FROM workers").fetchone()[0] == demo_store.count_workers()


def test_checking_and_restoring_a_backup_leaves_its_folder_as_it_was(demo_store, tmp_path):
    """No -wal/-shm files beside the backup afterwards (it may be on a USB stick or a share)."""
    from claims.backup import check_backup_file, restore
    folder = tmp_path / "usb"
    bk = backup(demo_store, folder / "b.db")
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    check_backup_file(bk)
    restore(bk, tmp_path / "live.db")
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert sorted(before) == ["b.db"]
