"""The headless commands as other people's scripts use them: output, exit codes, Chinese errors."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claims.validators import is_valid_id_number

ROOT = Path(__file__).resolve().parents[2]


def zbt(*args, input=None, env_home=None):
    # without env_home: this test's own home, where the demo database's site key is (as on the computer that made it)
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(env_home or os.environ["ZHIBAOTONG_HOME"]),
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          input=input, env=env, encoding="utf-8", timeout=300)


def test_demo_then_list_workers_prints_each_valid_id_once(tmp_path):
    db = tmp_path / "d.db"
    r = zbt("demo", "--db", str(db), "--workers", "2000", env_home=tmp_path)
    assert r.returncode == 0, r.stderr
    r = zbt("list", "workers", "--db", str(db), env_home=tmp_path)
    ids = r.stdout.splitlines()
    assert len(ids) == 2000 == len(set(ids))
    assert all(is_valid_id_number(i) for i in ids)
    r = zbt("list", "cases", "--db", str(db), "--state", "confirmed", env_home=tmp_path)
    assert r.returncode == 0 and r.stdout.strip()
    assert all(line.startswith("BA") for line in r.stdout.splitlines())


def test_list_json_has_the_main_fields(demo_db, tmp_path):
    r = zbt("list", "workers", "--db", str(demo_db), "--format", "json", env_home=tmp_path)
    first = json.loads(r.stdout.splitlines()[0])
    assert {"id_number", "name", "phone"} <= set(first)


def test_list_search_matches_the_gui_search(demo_store, demo_db, tmp_path):
    name = demo_store.conn.execute("SELECT name FROM workers LIMIT 1").fetchone()[0]
    r = zbt("list", "workers", "--db", str(demo_db), "--search", name[1:], "--format", "json", env_home=tmp_path)
    names = [json.loads(x)["name"] for x in r.stdout.splitlines()]
    assert name in names and all(name[1:] in n for n in names)


def test_unknown_state_is_exit_2_in_chinese(demo_db, tmp_path):
    r = zbt("list", "cases", "--db", str(demo_db), "--state", "lost", env_home=tmp_path)
    assert r.returncode == 2 and "未知的案件状态" in r.stderr


def test_missing_database_is_exit_2_and_not_created(tmp_path):
    r = zbt("list", "workers", "--db", str(tmp_path / "none.db"), env_home=tmp_path)
    assert r.returncode == 2 and "不存在" in r.stderr
    assert not (tmp_path / "none.db").exists()


def test_init_creates_empty_database_once(tmp_path):
    db = tmp_path / "new.db"
    assert zbt("init", "--db", str(db), env_home=tmp_path).returncode == 0
    r = zbt("init", "--db", str(db), env_home=tmp_path)
    assert r.returncode == 2 and "已存在" in r.stderr


def test_check_reports_integrity_and_version(demo_db, tmp_path):
    r = zbt("check", "--db", str(demo_db))
    assert r.returncode == 0
    assert "完整性检查：通过" in r.stdout and "待执行迁移：0" in r.stdout


def test_backup_and_restore_round_trip(demo_db, tmp_path):
    bk = tmp_path / "bk.zbk"
    n = sqlite3.connect(demo_db).execute("SELECT count(*) FROM workers").fetchone()[0]
    assert zbt("backup", "--db", str(demo_db), "-o", str(bk), env_home=tmp_path).returncode == 0
    con = sqlite3.connect(demo_db)
    con.execute("DELETE FROM worker_name_grams")
    con.commit()
    con.close()
    r = zbt("restore", str(bk), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT count(*) FROM worker_name_grams").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM workers").fetchone()[0] == n
    assert list(tmp_path.glob("demo-before-restore-*.db"))


def test_restore_refuses_damaged_and_newer_files(demo_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"garbage" * 1000)
    r = zbt("restore", str(junk), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 2 and "未恢复" in r.stderr
    newer = tmp_path / "newer.db"  # a copy as earlier versions made them, from a newer program
    con = sqlite3.connect(demo_db)
    con.backup(out := sqlite3.connect(newer))
    out.execute("PRAGMA user_version = 999")
    out.commit()
    out.close()
    con.close()
    r = zbt("restore", str(newer), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 2 and "比本程序" in r.stderr
    assert sqlite3.connect(demo_db).execute("SELECT count(*) FROM workers").fetchone()[0] == 300


@pytest.mark.parametrize("cmd", [[], ["demo"], ["list"], ["check"], ["backup"], ["restore"], ["import-workers"],
                                 ["import-orders"], ["benefits"], ["print"], ["verify"], ["audit"], ["init"]])
def test_every_command_has_help(cmd, tmp_path):
    r = zbt(*cmd, "--help", env_home=tmp_path)
    assert r.returncode == 0 and "--db" in r.stdout


def test_version(tmp_path):
    r = zbt("--version", env_home=tmp_path)
    assert r.returncode == 0 and "职保通" in r.stdout


def test_office_details_shown_set_by_chinese_name_and_checked(tmp_path):
    db = str(tmp_path / "o.db")
    assert zbt("init", "--db", db, env_home=tmp_path).returncode == 0
    r = zbt("check", "--db", db, env_home=tmp_path)
    assert "经办机构信息：经办机构名称、地址、行政复议机关、诉讼管辖法院尚未填写" in r.stdout
    r = zbt("office", "set", "经办机构名称=浦东新区职业伤害保障服务站", "address=上海市浦东新区世纪大道100号",
            "行政复议机关=上海市浦东新区人民政府", "court=上海市浦东新区人民法院", "--db", db, env_home=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "已更新经办机构信息：经办机构名称、地址、行政复议机关、诉讼管辖法院"
    shown = [json.loads(line) for line in zbt("office", "--format", "json", "--db", db, env_home=tmp_path).stdout.splitlines()]
    by_key = {x["key"]: x for x in shown}
    assert by_key["office.name"]["value"] == "浦东新区职业伤害保障服务站" and by_key["office.name"]["state"] == "已填写"
    assert by_key["office.phone"] == {"key": "office.phone", "label": "联系电话", "value": "12333", "state": "默认"}
    assert "经办机构信息：已填写\n" in zbt("check", "--db", db, env_home=tmp_path).stdout
    bad = zbt("office", "set", "联系电话=找王老师", "--db", db, env_home=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("错误：联系电话：")
    unknown = zbt("office", "set", "fax=021-1", "--db", db, env_home=tmp_path)
    assert unknown.returncode == 2 and "没有“fax”这一项" in unknown.stderr
    assert zbt("audit", "verify", "--db", db, env_home=tmp_path).returncode == 0


def test_end_enrollment_by_id_number_platform_and_industry(demo_db, tmp_path):
    import sqlite3 as sq
    with sq.connect(demo_db) as c:
        idn, plat, ind = c.execute(
            "SELECT w.id_number, p.name, e.industry FROM enrollments e JOIN workers w ON w.id = e.worker_id "
            "JOIN platforms p ON p.id = e.platform_id WHERE e.status = 'active' AND NOT EXISTS (SELECT 1 FROM orders o "
            "WHERE o.worker_id = e.worker_id AND o.platform_id = e.platform_id AND o.industry = e.industry "
            "AND o.accepted_at > '2025-11-30') LIMIT 1").fetchone()
    labels = {"ride_hailing": "出行", "food_delivery": "外卖", "instant_delivery": "即时配送", "intra_city_freight": "同城货运"}
    r = zbt("end-enrollment", "--id-number", idn, "--platform", plat, "--industry", labels[ind], "--end-on", "2025-11-30",
            "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"终止参保 {plat} {labels[ind]}（2025-11-30）" in r.stdout
    again = zbt("end-enrollment", "--id-number", idn, "--platform", plat, "--industry", labels[ind], "--end-on",
                "2025-11-30", "--db", str(demo_db), env_home=tmp_path)
    assert again.returncode == 2 and "没有在保的参保登记" in again.stderr
    bad = zbt("end-enrollment", "--id-number", "110105194912310021", "--platform", plat, "--industry", "外卖",
              "--end-on", "2025-11-30", "--db", str(demo_db), env_home=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("错误：身份证号码：")


@pytest.mark.parametrize("before", [True, False], ids=["db-before-command", "db-after-command"])
def test_db_is_used_before_or_after_the_command(demo_db, tmp_path, before):
    """The usage line shows `zhibaotong [--db PATH] COMMAND`: both places select the database."""
    args = ["--db", str(demo_db), "list", "workers"] if before else ["list", "workers", "--db", str(demo_db)]
    r = zbt(*args, env_home=tmp_path / "empty-home")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 300
    assert not (tmp_path / "empty-home" / "zhibaotong.db").exists()


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error(demo_db, tmp_path):
    """`list workers | head -1`: the reader closes the pipe after one line. Linux raises
    BrokenPipeError, Windows OSError(EINVAL); either way exit 0 and nothing on stderr."""
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "list", "workers", "--db", str(demo_db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0, err
    assert first.strip() and "意外错误" not in err and "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="bash and head: the POSIX shell's pipe (Windows: the test above)")
def test_head_of_a_pipe_exits_0_through_the_shell(demo_db, tmp_path):
    r = subprocess.run(f'"{sys.executable}" "{ROOT / "main.py"}" list workers --db "{demo_db}" | head -1; '
                       'echo "exit=${PIPESTATUS[0]}"', shell=True, executable="/bin/bash", capture_output=True,
                       text=True, encoding="utf-8", env={"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(tmp_path)})
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and lines[1] == "exit=0", r.stdout + r.stderr
    assert "意外错误" not in r.stderr
