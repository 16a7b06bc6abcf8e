"""An encrypted database (issue 15, personal data at rest): a stolen file shows
nothing, every user logs in with their own password, the wraps of the data key
follow users and passwords, backups and restores stay encrypted, decrypting gives
the same records back, and the command line asks for credentials."""
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import apsw
import pytest

from claims.backup import BackupLocked, backup, check_backup, restore
from claims.demo import DEMO_USERS
from claims.errors import LockedDatabase, PermissionDenied
from claims.store import Actor, Store, keyring
from claims.store import db as sqlite_db
from claims.store.encryption import open_unlocked

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {u: pw for u, _n, _r, pw in DEMO_USERS}
ROLES = {u: r for u, _n, r, _pw in DEMO_USERS}
CLI_ADMIN = Actor("cli:test", role="admin")


@pytest.fixture(autouse=True)
def _forget_keys():
    """Each test starts as a fresh process would: no database unlocked."""
    sqlite_db._keys.clear()
    yield
    sqlite_db._keys.clear()


def people(db: Path) -> list[tuple[str, str]]:
    s = Store(db, "T")
    try:
        return [tuple(r) for r in s.conn.execute("SELECT name, id_number FROM workers ORDER BY id_number")]
    finally:
        s.close()


def encrypt(db: Path) -> None:
    s = Store(db, "T")
    s.encrypt_database(CLI_ADMIN)
    s.close()
    sqlite_db.set_key(db, None)  # as after the program ends


def login(db: Path, user: str, password: str | None = None):
    return open_unlocked(db, "T", user, password or PASSWORDS[user])


def dump(db: Path) -> list[str]:
    """Every schema object and every row of the plain file (a virtual table's rows are
    in its shadow tables), the audit log up to the entries of encrypting and decrypting."""
    con = sqlite3.connect(db)
    try:
        last = con.execute("SELECT min(seq) FROM audit_log WHERE action IN ('encrypt', 'decrypt')").fetchone()[0]
        lines = []
        for typ, name, sql in con.execute("SELECT type, name, sql FROM sqlite_master").fetchall():
            lines.append(f"{typ} {name} {sql}")
            if typ != "table" or (sql or "").startswith("CREATE VIRTUAL"):
                continue
            where = " WHERE seq < ?" if name == "audit_log" and last is not None else ""
            lines += [f"{name} {row!r}" for row in con.execute(f'SELECT * FROM "{name}"{where}',
                                                                 (last,) if where else ())]
        return sorted(lines)  # re-encrypting rewrites the file (as VACUUM does): objects may come in another order
    finally:
        con.close()


# -- a stolen laptop -------------------------------------------------------------------
def test_the_encrypted_file_shows_nothing_without_its_key(demo_db):
    folks = people(demo_db)
    plain = demo_db.read_bytes() + Path(f"{demo_db}-wal").read_bytes() if Path(f"{demo_db}-wal").exists() \
        else demo_db.read_bytes()
    assert folks[0][1].encode() in plain or folks[0][0].encode() in plain  # the test can see a name when it is there
    encrypt(demo_db)
    assert keyring.is_encrypted(demo_db)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(demo_db).execute("SELECT count(*) FROM workers").fetchone()
    with pytest.raises(apsw.NotADBError, match="file is not a database"):
        apsw.Connection(str(demo_db)).execute("SELECT count(*) FROM workers").fetchall()
    with pytest.raises(LockedDatabase, match="已加密"):
        Store(demo_db, "T")
    # what the disk holds beside it, too: the -wal, the keys, the anchor
    files = [p for p in demo_db.parent.iterdir() if p.name.startswith(demo_db.name) and p.is_file()]
    data = b"".join(p.read_bytes() for p in files)
    for name, id_number in folks:
        assert id_number.encode() not in data and name.encode() not in data
    if shutil.which("strings"):
        out = subprocess.run(["strings", "-a", *map(str, files)], capture_output=True, text=True, encoding="utf-8").stdout
        assert not any(id_number in out for _n, id_number in folks)
    # the keys file holds wraps, never the key
    s, _a = login(demo_db, "admin")
    key = s.data_key
    assert key and key.hex() not in keyring.keys_path(demo_db).read_text() and key not in data
    s.close()


def test_each_demo_user_logs_in_with_their_own_password(demo_db):
    encrypt(demo_db)
    assert set(keyring.KeyFile.load(keyring.keys_path(demo_db)).pending()) == set(PASSWORDS)
    for user in PASSWORDS:
        s, actor = login(demo_db, user)
        assert actor.username == user and actor.role == ROLES[user] and actor.issued
        assert s.counts()["workers"] == 300
        s.close()
        sqlite_db.set_key(demo_db, None)
    # each first login gave the user's wrap a salt of its own: the old hashes no longer unlock anything
    kf = keyring.KeyFile.load(keyring.keys_path(demo_db))
    assert kf.pending() == [] and all(w["kind"] == "password" for w in kf.users.values())
    s, _a = login(demo_db, "agent")  # and again, from the new wrap
    s.close()


def test_a_wrong_password_neither_unlocks_nor_counts_twice(demo_db):
    encrypt(demo_db)
    with pytest.raises(PermissionDenied, match="还可尝试 4 次"):
        login(demo_db, "agent", "wrong-pass1")
    assert sqlite_db.key_for(demo_db) is None  # nothing unlocked
    with pytest.raises(PermissionDenied, match="还可尝试 3 次"):
        login(demo_db, "agent", "wrong-pass2")
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        login(demo_db, "nobody", "whatever1")
    s, _a = login(demo_db, "agent")  # the right one: the count starts again
    assert s.conn.execute("SELECT failed_attempts FROM users WHERE username = 'agent'").fetchone()[0] == 0
    # with the database open (the idle lock), a wrong password is counted once, in the database
    with pytest.raises(PermissionDenied, match="还可尝试 4 次"):
        s.authenticate("agent", "wrong-pass3")
    assert s.conn.execute("SELECT failed_attempts FROM users WHERE username = 'agent'").fetchone()[0] == 1
    assert keyring.KeyFile.load(keyring.keys_path(demo_db)).users["agent"]["failed"] == 0
    s.close()
    sqlite_db.set_key(demo_db, None)
    for i in range(4):
        with pytest.raises(PermissionDenied):
            login(demo_db, "reviewer", f"wrong-pass{i}")
    with pytest.raises(PermissionDenied, match="锁定 15 分钟"):
        login(demo_db, "reviewer", "wrong-pass9")
    with pytest.raises(PermissionDenied, match="已锁定"):
        login(demo_db, "reviewer")  # locked out: even the right password waits
    assert sqlite_db.key_for(demo_db) is None


def test_the_wraps_follow_users_and_passwords(demo_db):
    encrypt(demo_db)
    s, admin = login(demo_db, "admin")
    user, _c = s.add_user(admin, username="xiaowang", display_name="小王", role="insurer_agent",
                          password="newuser123")
    s.close()
    sqlite_db.set_key(demo_db, None)
    s, me = login(demo_db, "xiaowang", "newuser123")  # added by an administrator: can log in at once
    assert me.display_name == "小王"
    s.change_password(me, "newuser123", "changed456")
    s.close()
    sqlite_db.set_key(demo_db, None)
    with pytest.raises(PermissionDenied):
        login(demo_db, "xiaowang", "newuser123")
    s, admin = login(demo_db, "admin")
    s.reset_password(admin, user.id, "reset789x")  # forgotten: the administrator sets a new one
    s.set_user_active(admin, s.users()[[u.username for u in s.users()].index("agent")].id, False)
    s.close()
    sqlite_db.set_key(demo_db, None)
    s, _me = login(demo_db, "xiaowang", "reset789x")
    s.close()
    sqlite_db.set_key(demo_db, None)
    with pytest.raises(PermissionDenied, match="持有密钥的用户"):  # deactivated: no wrap any more
        login(demo_db, "agent")


def test_a_user_whose_wrap_is_lost_cannot_open_it_until_an_admin_resets_the_password(demo_db):
    encrypt(demo_db)
    kf = keyring.KeyFile.load(keyring.keys_path(demo_db))
    kf.remove("reviewer")
    kf.save()
    with pytest.raises(PermissionDenied, match="重设密码"):
        login(demo_db, "reviewer")
    s, admin = login(demo_db, "admin")
    rid = next(u.id for u in s.users() if u.username == "reviewer")
    s.reset_password(admin, rid, "again1234")
    s.close()
    sqlite_db.set_key(demo_db, None)
    login(demo_db, "reviewer", "again1234")[0].close()


# -- backups ----------------------------------------------------------------------------
def test_backup_and_restore_stay_encrypted_and_openable(demo_db, tmp_path):
    encrypt(demo_db)
    s, admin = login(demo_db, "admin")
    folks = [tuple(r) for r in s.conn.execute("SELECT name, id_number FROM workers")]
    zbk = backup(s, tmp_path / "b.zbk")
    with zipfile.ZipFile(zbk) as z:
        image = z.read("database.db")
        assert "keys.json" in z.namelist()
    assert not image.startswith(keyring.SQLITE_MAGIC)
    assert not any(i.encode() in image for _n, i in folks)
    s.add_platform(admin, name="备份之后的平台", industries=["food_delivery"])
    s.close()
    saved = restore(zbk, demo_db)
    assert keyring.is_encrypted(demo_db) and keyring.is_encrypted(saved)
    sqlite_db._keys.clear()
    s, _a = login(demo_db, "agent")
    assert s.platform_by_name("备份之后的平台") is None  # the backup's content
    assert s.counts()["workers"] == 300
    s.close()
    # the safety copy is encrypted too, and opens with the same passwords
    sqlite_db._keys.clear()
    with pytest.raises(BackupLocked):
        check_backup(saved)
    info = check_backup(saved, credentials=lambda: ("admin", "admin123"))
    assert info.key and info.legacy


def test_an_encrypted_backup_restores_on_another_computer_with_a_password(demo_db, tmp_path):
    encrypt(demo_db)
    s, _a = login(demo_db, "admin")
    zbk = backup(s, tmp_path / "b.zbk")
    s.close()
    sqlite_db._keys.clear()  # a new computer: nothing unlocked
    with pytest.raises(BackupLocked, match="用户名和密码"):
        check_backup(zbk)
    with pytest.raises(BackupLocked, match="不能打开"):
        check_backup(zbk, credentials=lambda: ("admin", "wrong-one1"))
    new = tmp_path / "new" / "zhibaotong.db"
    new.parent.mkdir()
    restore(zbk, new, credentials=lambda: ("reviewer", "review123"))
    sqlite_db._keys.clear()
    assert keyring.is_encrypted(new)
    s, actor = login(new, "zhanzhang")
    assert actor.role == "station_manager"
    s.close()


def test_a_plain_backup_restored_into_an_encrypted_database_stays_encrypted(demo_db, tmp_path):
    s = Store(demo_db, "T")
    zbk = backup(s, tmp_path / "plain.zbk")  # made before encrypting
    s.close()
    encrypt(demo_db)
    s, _a = login(demo_db, "admin")
    s.close()
    restore(zbk, demo_db)
    sqlite_db._keys.clear()
    assert keyring.is_encrypted(demo_db)
    for user in PASSWORDS:  # the restored users log in with their passwords of the backup
        s, _a = login(demo_db, user)
        s.close()
        sqlite_db.set_key(demo_db, None)


# -- back to plain ---------------------------------------------------------------------
def test_decrypt_gives_back_a_plain_file_with_the_same_records(demo_db):
    before = dump(demo_db)
    encrypt(demo_db)
    other, agent = login(demo_db, "agent")
    other.close()
    s, admin = login(demo_db, "admin")
    with pytest.raises(PermissionDenied):
        s.decrypt_database(agent)
    s.decrypt_database(admin)
    s.close()
    sqlite_db._keys.clear()
    assert demo_db.read_bytes()[:16] == keyring.SQLITE_MAGIC and not keyring.keys_path(demo_db).exists()
    assert dump(demo_db) == before
    s = Store(demo_db, "T")  # opens as any plain database, and its audit log holds both steps
    assert [r[0] for r in s.conn.execute("SELECT action FROM audit_log WHERE table_name = 'database'")] == \
        ["encrypt", "decrypt"]
    from claims.audit import verify_audit
    assert verify_audit(s)[0]
    s.close()


def test_encrypting_needs_an_administrator_who_can_log_in(tmp_path):
    s = Store(tmp_path / "new.db", "T", create=True)
    from claims.errors import ClaimsError
    with pytest.raises(ClaimsError, match="管理员"):
        s.encrypt_database(CLI_ADMIN)
    with pytest.raises(PermissionDenied):
        s.encrypt_database(Actor("a", role="insurer_agent"))
    s.close()
    assert not keyring.keys_path(tmp_path / "new.db").exists()


# -- the command line ------------------------------------------------------------------
def zbt(*args, input=None, **env):
    e = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": os.environ["ZHIBAOTONG_HOME"], "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          input=input, env=e, encoding="utf-8", timeout=300)


def test_commands_on_an_encrypted_database_need_credentials(demo_db, tmp_path):
    db = str(demo_db)
    plain = zbt("list", "workers", "--db", db)
    assert plain.returncode == 0 and plain.stdout
    r = zbt("encrypt", "--db", db)
    assert r.returncode == 0 and "已加密" in r.stdout, r.stderr
    for cmd in (["list", "workers"], ["check"], ["audit", "verify"], ["backup", "-o", str(tmp_path / "x.zbk")]):
        r = zbt(*cmd, "--db", db)
        assert r.returncode == 2 and "已加密" in r.stderr and "--user" in r.stderr and "--password-stdin" in r.stderr, r
        assert not r.stdout
    r = zbt("list", "workers", "--db", db, "--user", "agent", "--password-stdin", input="agent123\n")
    assert r.returncode == 0 and r.stdout == plain.stdout, r.stderr
    r = zbt("check", "--db", db, ZHIBAOTONG_USER="reviewer", ZHIBAOTONG_PASSWORD="review123")
    assert r.returncode in (0, 2) and "完整性检查：通过" in r.stdout, r.stderr  # 2: the demo's unconfirmed calendar
    r = zbt("audit", "verify", "--db", db, "--user", "admin", "--password-stdin", input="admin123\n")
    assert r.returncode == 0 and "审计日志完整" in r.stdout, r.stderr
    r = zbt("list", "workers", "--db", db, "--user", "admin", "--password-stdin", input="nope-nope1\n")
    assert r.returncode == 2 and "用户名或密码错误" in r.stderr and not r.stdout
    r = zbt("decrypt", "--db", db, "--user", "agent", "--password-stdin", input="agent123\n")
    assert r.returncode == 2 and "无权" in r.stderr
    r = zbt("decrypt", "--db", db, "--user", "admin", "--password-stdin", input="admin123\n")
    assert r.returncode == 0, r.stderr
    assert zbt("list", "workers", "--db", db).stdout == plain.stdout


def test_encrypting_waits_for_other_programs_then_says_so(demo_db):
    other = sqlite_db.connect(demo_db)
    other.execute("SELECT count(*) FROM workers").fetchone()
    s = Store(demo_db, "T")
    s.conn.execute("PRAGMA busy_timeout = 100")
    from claims.errors import DatabaseBusy
    with pytest.raises(DatabaseBusy, match="关闭"):
        s.encrypt_database(CLI_ADMIN)
    other.close()
    assert not keyring.is_encrypted(demo_db) and not keyring.keys_path(demo_db).exists()
    assert s.counts()["workers"] == 300  # still the plain database, in use
    s.encrypt_database(CLI_ADMIN)
    assert keyring.is_encrypted(demo_db)
    s.close()
