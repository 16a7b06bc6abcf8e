"""Checking the hash-chained audit log and that records match what it last
recorded for them."""
from __future__ import annotations

import hashlib

from .store import seal
from .store.base import canonical, row_digest

AUDITED_TABLES = ("platforms", "stations", "workers", "enrollments", "other_cover", "fee_rates", "declarations",
                  "fee_payments", "cases", "case_events", "case_documents", "decisions", "appraisals",
                  "assessments", "benefit_payments", "parameters", "users", "import_runs", "missing_notices",
                  "dependants", "advances", "industries", "whatif_scenarios")


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
    # the office details printed on documents live in meta (one row per key) and are audited too
    for key, value in store.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'office.%'"):
        recorded = last.pop(("meta", key), None)
        if recorded is None:
            return False, f"经办机构信息未经程序写入（审计日志中没有它）：{key}"
        if recorded != row_digest({"key": key, "value": value}):
            return False, f"经办机构信息已在程序之外被修改：{key}"
    for (table, rid), digest in last.items():
        if digest != "deleted" and (table in AUDITED_TABLES or (table == "meta" and rid.startswith("office."))):
            return False, f"记录已在程序之外被删除：{table} {rid}"
    for table in seal.SEALED_TABLES:  # bulk tables: one running digest of the whole table
        expect = seal.decode(last.get((table, "*")))
        actual = seal.table_seal(store.conn, table)
        if actual != expect:
            diff = actual[0] - expect[0]
            how = (f"多出 {diff} 行" if diff > 0 else f"少了 {-diff} 行" if diff < 0 else "有行被修改")
            return False, f"{table} 表已在程序之外被改动（{how}）"
    bad = store.conn.execute(
        "SELECT d.worker_id, d.day FROM daily_counts d WHERE d.source = 'derived' AND d.orders != (SELECT count(*)"
        " FROM orders o WHERE o.worker_id = d.worker_id AND o.platform_id = d.platform_id AND o.industry = d.industry"
        " AND o.accepted_at >= d.day AND o.accepted_at < date(d.day, '+1 day')) LIMIT 1").fetchone()
    if bad:
        return False, f"daily_counts 表已在程序之外被改动：人员 {bad[0]} {bad[1]} 的日单量与订单记录不符"
    return True, f"审计日志完整：{n} 条，哈希链与记录一致"
