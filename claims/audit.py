"""Checking the hash-chained audit log and that records match what it last
recorded for them."""
from __future__ import annotations

import hashlib

from .store.base import canonical, row_digest

AUDITED_TABLES = ("platforms", "stations", "workers", "enrollments", "other_cover", "fee_rates", "declarations",
                  "fee_payments", "cases", "case_events", "case_documents", "decisions", "appraisals",
                  "assessments", "benefit_payments", "parameters", "users", "import_runs", "missing_notices")


def verify_audit(store) -> tuple[bool, str]:
    prev = "0" * 64
    last: dict[tuple[str, str], str] = {}
    n = 0
    for r in store.conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        r = dict(r)
        n += 1
        entry = {k: r[k] for k in ("at", "actor", "action", "table_name", "record_id", "changes", "row_digest")}
        expect = hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()
        if r["prev_hash"] != prev or r["hash"] != expect:
            return False, f"审计日志第 {r['seq']} 条已被改动、删除或插入（哈希链在此断开：{r['table_name']} {r['record_id']}）"
        prev = r["hash"]
        last[(r["table_name"], r["record_id"])] = r["row_digest"]
    for table in AUDITED_TABLES:
        for row in store.conn.execute(f"SELECT * FROM {table}"):
            row = dict(row)
            recorded = last.pop((table, row["id"]), None)
            if recorded is None or recorded == "deleted":
                return False, f"记录未经程序写入（审计日志中没有它）：{table} {row['id']}"
            if recorded != row_digest(row):
                return False, f"记录已在程序之外被修改：{table} {row['id']}"
    for (table, rid), digest in last.items():
        if digest != "deleted" and table in AUDITED_TABLES:
            return False, f"记录已在程序之外被删除：{table} {rid}"
    return True, f"审计日志完整：{n} 条，哈希链与记录一致"
