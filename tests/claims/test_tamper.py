"""Drills of someone who holds the database file and edits it directly: a
payment rewritten with the whole hash chain recomputed (hashlib only), the
tail of the log cut off, a trigger planted, a scan replaced, printed-document
records, counters and imported daily counts edited, the anchor forged or
deleted. Each is named by `audit verify` or `check`, which exit 2."""
import base64
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from claims.audit import verify_audit
from claims.store import Actor, Store
from claims.store.anchor import anchor_path

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("boss", role="admin")


def zbt(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


def edit(db, *statements):
    con = sqlite3.connect(db)
    for sql, params in statements:
        con.execute(sql, params)
    con.commit()
    con.close()


def _canonical(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def forge_chain(db: Path) -> str:
    """What an attacker's script does: double a payment, give its last audit entry the
    new row's digest, and recompute every hash from there on (hashlib and json only)."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    pay = dict(con.execute("SELECT * FROM benefit_payments ORDER BY rowid LIMIT 1").fetchone())
    pay["amount_fen"] *= 2
    con.execute("UPDATE benefit_payments SET amount_fen = ? WHERE id = ?", (pay["amount_fen"], pay["id"]))
    digest = hashlib.sha256(_canonical(pay).encode()).hexdigest()
    seq = con.execute("SELECT max(seq) FROM audit_log WHERE table_name = 'benefit_payments' AND record_id = ?",
                      (pay["id"],)).fetchone()[0]
    con.execute("UPDATE audit_log SET row_digest = ? WHERE seq = ?", (digest, seq))
    prev = con.execute("SELECT hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1", (seq,)).fetchone()[0]
    for r in con.execute("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq", (seq,)).fetchall():
        entry = {k: r[k] for k in ("at", "actor", "action", "table_name", "record_id", "changes", "row_digest")}
        h = hashlib.sha256((prev + _canonical(entry)).encode()).hexdigest()
        con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, r["seq"]))
        prev = h
    con.commit()
    con.close()
    return pay["number"]


def test_an_intact_demo_database_verifies_with_its_signature(demo_db):
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    assert "签名核对一致" in r.stdout and "密钥指纹" in r.stdout
    r = zbt("check", "--db", str(demo_db))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "审计签名：正常" in r.stdout and "数据库结构：与程序建立的一致" in r.stdout


def test_a_payment_rewritten_with_the_chain_recomputed_is_reported(demo_db):
    forge_chain(demo_db)
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 2
    assert "审计日志与签名不符" in r.stderr and "被改写" in r.stderr
    # the program does not launder it by signing over it when it next writes
    s = Store(demo_db, "T")
    assert s.identity_problem and "被改写" in s.identity_problem
    s.add_platform(ADMIN, name="新平台", industries=["food_delivery"])
    assert not verify_audit(s)[0]
    assert zbt("check", "--db", str(demo_db)).returncode == 2


def test_a_truncated_tail_is_reported(demo_db):
    s = Store(demo_db, "T")
    p, _ = s.add_platform(ADMIN, name="新平台", industries=["food_delivery"])
    first = s.conn.execute("SELECT min(seq) FROM audit_log WHERE record_id = ?", (p.id,)).fetchone()[0]
    s.close()
    # the attacker removes the platform and every log entry from it on: chain and records agree again
    edit(demo_db, ("DELETE FROM platforms WHERE id = ?", (p.id,)), ("DELETE FROM audit_log WHERE seq >= ?", (first,)))
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 2
    assert "审计日志被截断" in r.stderr and f"只到第 {first - 1} 条" in r.stderr


def test_entries_added_behind_the_programs_back_are_reported(demo_db):
    """A forged entry appended with a correct hash (so that the chain itself is whole)."""
    con = sqlite3.connect(demo_db)
    con.row_factory = sqlite3.Row
    last = con.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    entry = {"at": last["at"], "actor": "boss", "action": "update", "table_name": "workers", "record_id": "x",
             "changes": "{}", "row_digest": "deleted"}
    h = hashlib.sha256((last["hash"] + _canonical(entry)).encode()).hexdigest()
    con.execute("INSERT INTO audit_log (at, actor, action, table_name, record_id, changes, row_digest, prev_hash,"
                " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*entry.values(), last["hash"], h))
    con.commit()
    con.close()
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "没有站点签名" in msg


def test_a_planted_trigger_is_named_by_check_and_audit_verify(demo_db):
    edit(demo_db, ("CREATE TRIGGER pay_more AFTER UPDATE ON benefit_payments BEGIN"
                   " UPDATE benefit_payments SET amount_fen = amount_fen + 100 WHERE id = NEW.id; END", ()))
    for cmd in (("check",), ("audit", "verify")):
        r = zbt(*cmd, "--db", str(demo_db))
        assert r.returncode == 2, cmd
        assert "触发器“pay_more”" in r.stderr and "程序没有建立" in r.stderr


@pytest.mark.parametrize("sql, named", [
    ("CREATE VIEW everything AS SELECT * FROM workers", "视图“everything”"),
    ("CREATE TABLE notes (x)", "表“notes”"),
    ("CREATE INDEX sneaky ON workers(address)", "索引“sneaky”"),
    ("DROP INDEX workers_phone", "缺少程序建立的索引“workers_phone”"),
])
def test_other_objects_the_program_did_not_create_are_named(demo_db, sql, named):
    edit(demo_db, (sql, ()))
    r = zbt("check", "--db", str(demo_db))
    assert r.returncode == 2 and named in r.stderr


def test_a_replaced_scan_is_named(store, tmp_path):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "110101199003074514", "phone": "13800138000"})
    from datetime import datetime

    from claims.timeutil import SHANGHAI
    c, _ = store.report_case(ADMIN, worker_id=w.id, platform_id=store.platform_by_name("美团").id,
                             industry="food_delivery", accident_at=datetime(2025, 10, 1, 9, tzinfo=SHANGHAI),
                             place="路口", description="摔倒")
    scan = tmp_path / "诊断证明.jpg"
    scan.write_bytes(b"\xff\xd8 the real scan")
    d, _ = store.add_document(ADMIN, c.id, doc_type="medical_record", file_path=scan)
    assert verify_audit(store)[0]
    kept = store.files_dir / d.content_hash[:2] / d.content_hash
    kept.write_bytes(b"\xff\xd8 a forged scan")
    for cmd in (("check",), ("audit", "verify")):
        r = zbt(*cmd, "--db", str(store.path))
        assert r.returncode == 2
        assert f"案件 {c.number} 的材料文件“诊断证明.jpg”已被替换或改动" in r.stderr
    kept.unlink()
    ok, msg = verify_audit(store)
    assert not ok and "“诊断证明.jpg”缺失" in msg


@pytest.mark.parametrize("sql, named", [
    ("UPDATE printed_documents SET digest = 'other' WHERE code = 'ABCD-EFGH'", "打印文书记录已在程序之外被修改"),
    ("DELETE FROM printed_documents WHERE code = 'ABCD-EFGH'", "打印文书记录已在程序之外被删除"),
    ("INSERT INTO printed_documents SELECT 'FAKE-CODE', doc_code, record_key, digest, printed_by, printed_at, site_id"
     " FROM printed_documents WHERE code = 'ABCD-EFGH'", "打印文书记录未经程序写入"),
    ("UPDATE counters SET value = value - 1 WHERE name = (SELECT name FROM counters LIMIT 1)",
     "编号计数器已在程序之外被修改"),
    ("UPDATE daily_counts SET orders = 70 WHERE day = '2025-06-30' AND source = 'imported'", "daily_counts 表"),
    ("UPDATE daily_counts SET source = 'imported', orders = orders + 3 WHERE (worker_id, day) IN"
     " (SELECT worker_id, day FROM daily_counts WHERE source = 'derived' LIMIT 1)", "daily_counts 表"),
])
def test_printed_document_records_counters_and_imported_counts_are_covered(demo_db, sql, named):
    s = Store(demo_db, "T")
    assert s.record_print(code="ABCD-EFGH", doc_code="receipt", record_key="x", digest="d", printed_by="boss",
                          printed_at="2025-10-01T10:00:00+08:00")
    w = s.conn.execute("SELECT w.id_number, p.name, e.industry FROM enrollments e JOIN workers w ON w.id = e.worker_id"
                       " JOIN platforms p ON p.id = e.platform_id WHERE NOT EXISTS (SELECT 1 FROM daily_counts d"
                       " WHERE d.worker_id = e.worker_id AND d.day = '2025-06-30') LIMIT 1").fetchone()
    rep = s.import_daily_counts(ADMIN, [(2, {"platform": w[1], "industry": w[2], "id_number": w[0],
                                             "day": "2025-06-30", "orders": "7", "region": "310000"})])
    assert rep.new == 1
    assert verify_audit(s)[0], verify_audit(s)[1]
    s.close()
    edit(demo_db, (sql, ()))
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 2 and named in r.stderr, r.stderr


def test_the_anchor_cannot_be_edited_deleted_or_signed_by_another_key(demo_db, tmp_path):
    path = anchor_path(demo_db)
    original = path.read_bytes()
    doc = json.loads(original)
    doc["heads"][0]["seq"] += 5
    path.write_text(json.dumps(doc))
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "签名无效" in msg
    path.unlink()
    ok, msg = verify_audit(Store(demo_db, "T"))
    assert not ok and "找不到签名锚点文件" in msg
    # an attacker signs with a key of their own and writes its public key into the database
    from claims.sitekey import SiteKey
    from claims.store import anchor
    theirs = SiteKey.create("DEMO", folder=tmp_path / "attacker")
    con = sqlite3.connect(demo_db)
    con.execute("UPDATE meta SET value = ? WHERE key = 'site.public_key'", (theirs.public_key_text,))
    seq, h = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    dbid = con.execute("SELECT value FROM meta WHERE key = 'database.id'").fetchone()[0]
    con.commit()
    con.close()
    path.write_bytes(anchor.make(theirs, dbid, [anchor.Head(seq, h)], "2025-10-01T00:00:00+08:00"))
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 2 and "站点标识已在程序之外被修改" in r.stderr and "不是本机站点" in r.stderr
    assert Store(demo_db, "T").identity_problem  # and the program does not sign over it


def test_an_administrator_re_signs_on_purpose_and_it_is_audited(demo_db):
    anchor_path(demo_db).unlink()  # e.g. the database was copied without it
    assert zbt("audit", "verify", "--db", str(demo_db)).returncode == 2
    r = zbt("audit", "accept", "--db", str(demo_db))
    assert r.returncode == 0 and "重新签名" in r.stdout
    r = zbt("audit", "verify", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    s = Store(demo_db, "T")
    assert s.identity_problem is None
    last = s.conn.execute("SELECT actor, changes FROM audit_log WHERE action = 'site_key' ORDER BY seq DESC"
                          " LIMIT 1").fetchone()
    assert last[0].startswith("cli:") and "找不到签名锚点文件" in last[1]


def test_an_anchor_with_a_forged_signature_is_never_signed_over(demo_db):
    """Opening looks at the anchor quickly; the first signing checks its signatures, and stops."""
    path = anchor_path(demo_db)
    doc = json.loads(path.read_bytes())
    sig = bytearray(base64.b64decode(doc["heads"][0]["signature"]))
    sig[0] ^= 1
    doc["heads"][0]["signature"] = base64.b64encode(bytes(sig)).decode()
    path.write_text(json.dumps(doc))
    s = Store(demo_db, "T")
    s.add_platform(ADMIN, name="新平台", industries=["food_delivery"])
    assert s.identity_problem and "改动" in s.identity_problem
    ok, msg = verify_audit(s)
    assert not ok and "签名无效" in msg
