"""Backups from the GUI's menu and the command line share claims/backup.py:
progress as it copies, a cancel that leaves nothing behind."""
import sqlite3

import pytest

from claims.backup import BackupCancelled, backup


def test_backup_reports_progress_and_makes_a_checked_copy(demo_store, tmp_path):
    seen = []
    dest = backup(demo_store, tmp_path / "b.db", progress=lambda done, total: seen.append((done, total)))
    assert dest.exists() and seen and seen[-1][0] == seen[-1][1]
    with sqlite3.connect(dest) as c:
        assert c.execute("SELECT count(*) FROM workers").fetchone()[0] == demo_store.count_workers()
    assert demo_store.meta_get("last_backup")


def test_a_cancelled_backup_leaves_no_file_and_no_backup_date(demo_store, tmp_path):
    before = demo_store.meta_get("last_backup")
    with pytest.raises(BackupCancelled, match="备份已取消"):
        backup(demo_store, tmp_path / "backups" / "b.db", cancelled=lambda: True)
    assert list((tmp_path / "backups").iterdir()) == []
    assert demo_store.meta_get("last_backup") == before


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
