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
