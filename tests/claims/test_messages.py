"""Messages that say what happened, each one clear Chinese message with exit 2:
a full disk, a read-only file or folder, a damaged page (writing stops, restore
is named), and a SQLite file of another program (never changed in any way).
Read-only media are made with chmod, or (as root, whom chmod does not stop)
with a read-only bind mount; a full disk with a tiny tmpfs, or SQLite's page limit."""
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from claims.errors import DamagedDatabase, DiskFull, ForeignDatabase, ReadOnlyDatabase
from claims.store import Actor, Store

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("boss", role="admin")
WORKER = {"name": "张伟", "id_number": "110101199003074514", "phone": "13800138000"}


def zbt(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _mount(*args) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def read_only(folder: Path):
    """``folder`` and its files cannot be written while inside."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, m in modes.items():
                p.chmod(m)
        return
    mnt = folder.with_name(folder.name + "-ro")
    mnt.mkdir()
    if not (_mount("--bind", str(folder), str(mnt)) and _mount("-o", "remount,bind,ro", str(mnt))):
        subprocess.run(["umount", str(mnt)], capture_output=True)
        pytest.skip("running as root without the right to mount: cannot make a read-only folder")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


@contextmanager
def tiny_disk(folder: Path, kib: int):
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", f"size={kib}k,mode=0700", "tmpfs", str(folder)):
        pytest.skip("no tiny tmpfs here (needs root); the page limit drills below cover the database itself")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Take every free byte."""
    with open(folder / "filler", "wb", buffering=0) as f:
        for size in (65536, 4096, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                pass


# -- a full disk -------------------------------------------------------------------------
def test_a_full_database_is_said_plainly_and_nothing_is_half_written(store):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no page more: SQLite answers "disk is full"
    import random

    from claims.demo import id_number
    rng = random.Random(1)
    with pytest.raises(DiskFull) as e:
        for i in range(500):
            store.add_worker(ADMIN, {**WORKER, "id_number": id_number(rng), "name": "张伟" + str(i)})
    assert "磁盘空间已满" in e.value.message and "没有保存" in e.value.message and e.value.exit_code == 2
    store.conn.execute(f"PRAGMA max_page_count = {2 ** 30}")
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    from claims.audit import verify_audit
    assert verify_audit(store)[0]  # what was saved before is whole and signed


@pytest.mark.skipif(os.name != "posix", reason="a read-only folder or a full disk is made with chmod and mount (POSIX)")
def test_a_full_disk_under_the_command_line_and_a_backup(store, tmp_path):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    store.close()
    disk = tmp_path / "disk"
    disk.mkdir()
    with tiny_disk(disk, 8192):
        db = disk / "t.db"
        for f in store.path.parent.glob("t.db*"):
            shutil.copy2(f, disk / f.name)
        f = tmp_path / "w.csv"
        with f.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "id_number", "phone", "platform", "industry", "enrolled_on", "address"])
            w.writerow(["张伟", WORKER["id_number"], WORKER["phone"], "美团", "外卖", "2025-03-01", "上海市" * 200])
        fill(disk)
        r = zbt("import-workers", str(f), "--db", str(db))
        assert r.returncode == 2 and "磁盘空间已满" in r.stderr, r.stderr
        r = zbt("backup", "--db", str(db), "-o", str(disk / "bk.zbk"))
        assert r.returncode == 2 and "磁盘空间已满" in r.stderr, r.stderr
        assert not list(disk.glob("bk.zbk*"))
        (disk / "filler").unlink()
        assert zbt("audit", "verify", "--db", str(db)).returncode == 0


# -- read-only -------------------------------------------------------------------------------
def live_copy(demo_db: Path, dest: Path) -> None:
    """A copy taken while the program has the database open: its -wal and -shm come along."""
    s = Store(demo_db, "T")
    s.add_platform(ADMIN, name="新平台", industries=["food_delivery"])  # something in the -wal
    for suffix in ("", "-wal", "-shm", ".anchor"):
        src = Path(f"{demo_db}{suffix}")
        if src.exists():
            shutil.copy2(src, dest / (demo_db.name + suffix))
    s.close()


@pytest.mark.skipif(os.name != "posix", reason="a read-only folder or a full disk is made with chmod and mount (POSIX)")
def test_a_read_only_database_reads_refuses_writes_plainly_and_backs_up(demo_db, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    live_copy(demo_db, media)
    assert (media / "demo.db-shm").exists()
    f = tmp_path / "w.csv"
    f.write_text("name,id_number,phone,platform,industry,enrolled_on\n张伟,110101199003074514,13800138000,美团,外卖,"
                 "2025-03-01\n", encoding="utf-8")
    with read_only(media) as ro:
        db = ro / "demo.db"
        r = zbt("list", "workers", "--db", str(db))
        assert r.returncode == 0 and len(r.stdout.split()) == 300
        r = zbt("import-workers", str(f), "--db", str(db))
        assert r.returncode == 2 and "只读" in r.stderr, r.stderr
        # the backup of a read-only copy with its -shm present ends, and holds everything
        r = zbt("backup", "--db", str(db), "-o", str(tmp_path / "bk.zbk"))
        assert r.returncode == 0, r.stderr
        s = Store(db, "T")
        assert s.read_only
        with pytest.raises(ReadOnlyDatabase, match="只读"):
            s.add_platform(ADMIN, name="又一个", industries=["food_delivery"])
        s.close()
    from claims.backup import check_backup
    assert check_backup(tmp_path / "bk.zbk").schema_version


# -- a damaged page ----------------------------------------------------------------------------
def damage(db: Path, table: str = "workers") -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * size + 8)
        f.write(os.urandom(size - 16))


def test_a_damaged_page_stops_writing_and_points_to_restore(demo_db):
    damage(demo_db)
    r = zbt("list", "workers", "--db", str(demo_db))
    assert r.returncode == 2 and "已损坏" in r.stderr and "从最近的备份恢复" in r.stderr, r.stderr
    r = zbt("check", "--db", str(demo_db))
    assert r.returncode == 2 and "restore" in r.stderr
    s = Store(demo_db, "T")
    with pytest.raises(DamagedDatabase) as e:
        s.add_worker(ADMIN, WORKER)  # looks the ID number up in the damaged table
    assert "停止写入" in e.value.message
    with pytest.raises(DamagedDatabase):  # and nothing is written any more, even where the file is sound
        s.add_platform(ADMIN, name="新平台", industries=["food_delivery"])


# -- a SQLite file of another program --------------------------------------------------------------
def test_a_foreign_sqlite_file_is_refused_and_never_changed(tmp_path):
    other = tmp_path / "wechat.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE messages (body TEXT)")
    con.execute("INSERT INTO messages VALUES ('你好')")
    con.commit()
    con.close()
    before = other.read_bytes()
    f = tmp_path / "w.csv"
    f.write_text("name,id_number\n", encoding="utf-8")
    for cmd in (["list", "workers"], ["check"], ["audit", "verify"], ["import-workers", str(f)],
                ["backup", "-o", str(tmp_path / "bk.zbk")], ["init"]):
        r = zbt(*cmd, "--db", str(other))
        assert r.returncode == 2, cmd
        assert "不是职保通的数据库" in r.stderr or "数据库已存在" in r.stderr, (cmd, r.stderr)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.csv", "wechat.db"]
    with pytest.raises(ForeignDatabase, match="未做任何改动"):
        Store(other, "T", create=True)
    assert other.read_bytes() == before


def test_a_backup_file_opened_as_a_database_says_to_restore_it(store, tmp_path):
    from claims.backup import backup
    bk = backup(store, tmp_path / "bk.zbk")
    r = zbt("list", "workers", "--db", str(bk))
    assert r.returncode == 2 and "备份文件" in r.stderr and "恢复" in r.stderr
