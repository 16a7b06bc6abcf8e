"""Personal data at rest: everything the program writes is readable by its owner
only (0600 files, 0700 folders on POSIX), whatever the user's umask; half-written
files never stay behind; copies of scans opened for viewing go when it closes."""
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from claims.errors import ClaimsError

from claims import private, settings
from claims.store import Actor, Store
from claims.timeutil import SHANGHAI

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Windows: the profile's ACL protects the files")
ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("boss", role="admin")


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def loose_umask():
    """A user whose umask would leave new files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_wal_shm_anchor_key_attachments_backup_and_settings_are_private(tmp_path, loose_umask):
    db = tmp_path / "new" / "z.db"
    s = Store(db, "TEST", create=True)
    s.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = s.add_worker(ADMIN, {"name": "张伟", "id_number": "110101199003074514", "phone": "13800138000"})
    c, _ = s.report_case(ADMIN, worker_id=w.id, platform_id=s.platform_by_name("美团").id, industry="food_delivery",
                         accident_at=datetime(2025, 10, 1, 9, tzinfo=SHANGHAI), place="路口", description="摔倒")
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"scan")
    scan.chmod(0o644)
    d, _ = s.add_document(ADMIN, c.id, doc_type="medical_record", file_path=scan)
    from claims.backup import backup
    bk = backup(s)  # into the data folder's backups/
    settings.save({"x": 1})
    kept = s.files_dir / d.content_hash[:2] / d.content_hash
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.anchor"), kept, bk,
             settings.data_dir() / "settings.json", settings.data_dir() / "keys" / "TEST.key"]
    folders = [db.parent, s.files_dir, kept.parent, bk.parent, settings.data_dir(), settings.data_dir() / "keys"]
    assert {str(f): oct(mode(f)) for f in files} == {str(f): "0o600" for f in files}
    assert {str(f): oct(mode(f)) for f in folders} == {str(f): "0o700" for f in folders}
    assert not list(tmp_path.rglob("*.part")) and not list(tmp_path.rglob("*.tmp"))


def test_an_existing_database_readable_by_others_is_made_private_when_opened(tmp_path, loose_umask):
    db = tmp_path / "z.db"
    Store(db, "TEST", create=True).close()
    for f in (db, Path(f"{db}.anchor")):
        f.chmod(0o644)
    s = Store(db, "TEST")
    s.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    assert mode(db) == 0o600 and mode(Path(f"{db}-wal")) == 0o600 and mode(Path(f"{db}.anchor")) == 0o600


def test_the_log_and_command_outputs_are_private_whatever_the_umask(tmp_path, demo_db):
    home = Path(os.environ["ZHIBAOTONG_HOME"])
    case = subprocess.run([sys.executable, "main.py", "list", "cases", "--db", str(demo_db)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8").stdout.split()[0]
    out = tmp_path / "receipt.pdf"
    r = subprocess.run(["sh", "-c", f"umask 022 && {sys.executable} main.py print report_receipt --id {case}"
                                    f" -o {out} --db {demo_db}"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    assert mode(out) == 0o600
    log = home / "logs" / "zhibaotong.log"
    assert mode(log) == 0o600 and mode(log.parent) == 0o700


def test_an_export_failing_half_way_leaves_nothing(demo_store, tmp_path, loose_umask):
    import errno

    from claims.export import export_workers

    def disk_full(_done):
        raise OSError(errno.ENOSPC, "No space left on device")
    out = tmp_path / "exports"
    out.mkdir()
    for name in ("w.xlsx", "w.csv"):
        with pytest.raises(ClaimsError, match="磁盘空间已满"):
            export_workers(demo_store, None, out / name, progress=disk_full)
    assert list(out.iterdir()) == []
    n = export_workers(demo_store, None, out / "w.csv")
    assert n == demo_store.count_workers() and mode(out / "w.csv") == 0o600


def test_a_file_half_written_when_the_program_stops_is_removed_at_exit(tmp_path):
    code = ("import sys\nfrom claims.private import private_output\n"
            "ctx = private_output(sys.argv[1])\ntmp = ctx.__enter__()\ntmp.write_bytes(b'half')\n"
            "print(tmp, flush=True)\nsys.exit(0)\n")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "export.xlsx")], cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8")
    assert r.returncode == 0 and r.stdout.strip().endswith(".part")
    assert list(tmp_path.iterdir()) == []


def test_a_scan_opened_for_viewing_is_a_private_copy_removed_when_the_program_closes(tmp_path):
    pytest.importorskip("PySide6")
    from ui.cases.documents import view_copy
    kept = tmp_path / "kept"
    kept.write_bytes(b"scan")
    view = view_copy(kept, "诊断证明.jpg")
    assert view.read_bytes() == b"scan" and view.name == "诊断证明.jpg"
    assert mode(view) == 0o600 and mode(view.parent) == 0o700 and mode(private.session_dir()) == 0o700
    private.cleanup()  # what closing the program does (QApplication.aboutToQuit, and at exit)
    assert not view.exists() and not view.parent.exists()
