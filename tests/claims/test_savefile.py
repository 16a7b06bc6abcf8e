"""Saving over a file another program holds open (Excel, a PDF reader): on Windows
os.replace raises PermissionError. Every save path — exports, statistics workbooks,
reconciliations, printed documents, the monthly report — goes through
claims/savefile.py, which says so in Chinese, keeps the new file under a free name
and leaves nothing half-written. On Linux a read-only target stands in for the
held file (Windows refuses to replace one too); on Windows the test also holds the
file open for real."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from claims.errors import ClaimsError
from claims.export import export_workers
from claims.savefile import FileInUse, save_bytes

ROOT = Path(__file__).resolve().parents[2]


def read_only(path: Path) -> None:
    os.chmod(path, stat.S_IREAD)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_save_replaces_the_old_file_whole(tmp_path):
    target = tmp_path / "月报.pdf"
    target.write_bytes(b"old")
    assert save_bytes(target, b"new") == target
    assert target.read_bytes() == b"new" and leftovers(tmp_path) == []


def test_export_over_a_file_held_open_says_so_and_keeps_the_new_one_beside_it(demo_store, tmp_path):
    target = tmp_path / "人员名单.csv"
    target.write_bytes(b"what Excel shows")
    read_only(target)
    with pytest.raises(FileInUse) as e:
        export_workers(demo_store, None, target)
    msg = e.value.message
    assert "“人员名单.csv”正被其他程序打开" in msg and "请关闭该文件后重试，或换一个文件名" in msg
    assert "另存为“人员名单 (2).csv”" in msg
    assert target.read_bytes() == b"what Excel shows"
    kept = (tmp_path / "人员名单 (2).csv").read_bytes()
    assert kept.startswith("\ufeff姓名,".encode("utf-8"))  # the BOM: Excel reads the Chinese
    assert kept.count(b"\n") == demo_store.count_workers() + 1
    assert leftovers(tmp_path) == []


def test_the_free_name_skips_names_already_taken(tmp_path):
    target = tmp_path / "a.pdf"
    for p in (target, tmp_path / "a (2).pdf"):
        p.write_bytes(b"x")
    read_only(target)
    with pytest.raises(FileInUse) as e:
        save_bytes(target, b"%PDF-new")
    assert e.value.kept == tmp_path / "a (3).pdf" and e.value.kept.read_bytes() == b"%PDF-new"
    assert (tmp_path / "a (2).pdf").read_bytes() == b"x"


def test_a_folder_that_cannot_be_written_is_named_and_nothing_is_left(tmp_path):
    not_a_folder = tmp_path / "报表"
    not_a_folder.write_text("a file where a folder is expected", encoding="utf-8")
    with pytest.raises(ClaimsError, match="无法"):
        save_bytes(not_a_folder / "x.pdf", b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报表"]


def test_a_failure_while_writing_leaves_the_old_file_and_no_part(tmp_path):
    from claims.savefile import saving
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with saving(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk gone")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform != "win32", reason="only Windows refuses to replace a file another program has open")
def test_windows_a_pdf_open_in_a_reader_is_not_replaced(tmp_path):
    target = tmp_path / "告知书.pdf"
    target.write_bytes(b"%PDF-old")
    with open(target, "rb"):  # opened without FILE_SHARE_DELETE, as a PDF reader or Excel holds it
        with pytest.raises(FileInUse) as e:
            save_bytes(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert e.value.kept.read_bytes() == b"%PDF-new" and leftovers(tmp_path) == []


def test_cli_print_over_a_file_held_open_exits_2_in_chinese(demo_store, demo_db, tmp_path):
    case = demo_store.conn.execute("SELECT number FROM cases ORDER BY number LIMIT 1").fetchone()[0]
    target = tmp_path / "回执.pdf"
    target.write_bytes(b"open in a reader")
    read_only(target)
    env = dict(os.environ, ZHIBAOTONG_HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "print", "report_receipt", "--id", case,
                        "-o", str(target), "--db", str(demo_db)], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "正被其他程序打开" in r.stderr and "意外错误" not in r.stderr
    assert target.read_bytes() == b"open in a reader"
    assert (tmp_path / "回执 (2).pdf").read_bytes().startswith(b"%PDF")
