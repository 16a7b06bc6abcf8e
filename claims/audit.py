"""`audit verify`: the hash-chained audit log, its head signed with the site
key (claims/store/anchor.py), every record against what the log last recorded
for it, the bulk tables' seals, the schema, and every attached file."""
from __future__ import annotations

import hashlib

from .store import seal
from .store.base import canonical, row_digest

AUDITED_TABLES = ("platforms", "stations", "workers", "enrollments", "other_cover", "fee_rates", "declarations",
                  "fee_payments", "cases", "case_events", "case_documents", "decisions", "appraisals",
                  "assessments", "benefit_payments", "parameters", "users", "import_runs", "missing_notices",
                  "dependants", "advances", "holiday_calendar", "situation_texts", "issued_documents",
                  "industries", "whatif_scenarios")
# tables audited row by row under another key than ``id``
KEYED_TABLES = {"counters": "name", "printed_documents": "code"}
SITE_META = ("site.id", "site.public_key", "site.fingerprint", "database.id")
LABELS = {"counters": "编号计数器", "printed_documents": "打印文书记录"}


def _chain(store) -> tuple[int, dict, str | None]:
    """Walk the chain: (entries, last row digest per record, the first broken entry or None)."""
    prev = "0" * 64
    last: dict[tuple[str, str], str] = {}
    n = 0
    for r in store.conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        r = dict(r)
        n += 1
        entry = {k: r[k] for k in ("at", "actor", "action", "table_name", "record_id", "changes", "row_digest")}
        expect = hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()
        if r["prev_hash"] != prev or r["hash"] != expect:
            return n, last, (f"审计日志第 {r['seq']} 条已被改动、删除或插入（哈希链在此断开：{r['table_name']} "
                             f"{r['record_id']}）")
        prev = r["hash"]
        last[(r["table_name"], r["record_id"])] = r["row_digest"]
    return n, last, None


def _signature(store, notes: list[str]) -> list[str]:
    """The chain ends on a head signed with the site's key, and the key is the one on this computer."""
    from . import sitekey
    from .errors import ClaimsError
    from .store import anchor
    from .store.identity import anchor_problem
    pub = store.meta_get("site.public_key")
    if pub is None:
        return ["数据库没有站点签名：无法证明审计日志没有被截断或改写（旧版本的数据库经程序首次打开时会签名；"
                "核对后管理员可用 audit accept 签名）"]
    problem = anchor_problem(store, anchor.read(anchor.anchor_path(store.path)), pub)
    if problem:
        return [problem]
    site = store.meta_get("site.id") or ""
    try:
        local = sitekey.SiteKey.load(site)
    except ClaimsError as e:
        return [e.message]
    if local is not None and local.public_key_text != pub:
        return [f"签名所用的站点公钥（指纹 {sitekey.fingerprint(pub)}）不是本机站点 {site} 的密钥"
                f"（指纹 {local.fingerprint}）：数据库与签名可能一起被替换"]
    a = store._anchor_cache[1] if store._anchor_cache else None
    signed = f"签名核对一致（站点 {site}，密钥指纹 {sitekey.fingerprint(pub)}"
    if a is not None:
        signed += f"，签名于 {a.signed_at[:19].replace('T', ' ')}" if a.signed_at else ""
    notes.append(signed + "）")
    first = store.conn.execute("SELECT seq, at FROM audit_log WHERE action = 'site_key' ORDER BY seq LIMIT 1"
                               ).fetchone()
    if first is not None and store.conn.execute(
            "SELECT 1 FROM audit_log WHERE seq < ? AND actor NOT LIKE 'system:%' LIMIT 1", (first[0],)).fetchone():
        notes.append(f"签名始于第 {first[0]} 条（{first[1][:10]}）：此前的记录在首次签名之前写入")
    if local is None:
        notes.append(f"本机没有站点 {site} 的私钥：签名按数据库中记录的公钥核对，请与原电脑上显示的指纹对照")
    return []


def _records(store, last: dict) -> list[str]:
    """Every record matches the last digest the log holds for it; none added or removed behind its back."""
    conn = store.conn
    for table in AUDITED_TABLES:
        for row in conn.execute(f"SELECT * FROM {table}"):
            row = dict(row)
            recorded = last.pop((table, row["id"]), None)
            if recorded is None or recorded == "deleted":
                return [f"记录未经程序写入（审计日志中没有它）：{table} {row['id']}"]
            if recorded != row_digest(row):
                return [f"记录已在程序之外被修改：{table} {row['id']}"]
    for table, key in KEYED_TABLES.items():
        for row in conn.execute(f"SELECT * FROM {table}"):
            row = dict(row)
            recorded = last.pop((table, row[key]), None)
            if recorded is None or recorded == "deleted":
                return [f"{LABELS[table]}未经程序写入（审计日志中没有它）：{row[key]}"]
            if recorded != row_digest(row):
                return [f"{LABELS[table]}已在程序之外被修改：{row[key]}"]
    # the office details and the site's identity live in meta (one row per key) and are audited too
    for key, value in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'office.%' OR key IN (?, ?, ?, ?)",
                                   SITE_META):
        recorded = last.pop(("meta", key), None)
        what = "经办机构信息" if key.startswith("office.") else "站点标识"
        if recorded is None:
            return [f"{what}未经程序写入（审计日志中没有它）：{key}"]
        if recorded != row_digest({"key": key, "value": value}):
            return [f"{what}已在程序之外被修改：{key}"]
    for (table, rid), digest in last.items():
        if digest == "deleted":
            continue
        if table in AUDITED_TABLES or (table == "meta" and (rid.startswith("office.") or rid in SITE_META)):
            return [f"记录已在程序之外被删除：{table} {rid}"]
        if table in KEYED_TABLES:
            return [f"{LABELS[table]}已在程序之外被删除：{rid}"]
    for table in seal.SEALED_TABLES:  # bulk tables: one running digest of the whole table
        expect = seal.decode(last.get((table, "*")))
        actual = seal.table_seal(conn, table)
        if actual != expect:
            diff = actual[0] - expect[0]
            how = (f"多出 {diff} 行" if diff > 0 else f"少了 {-diff} 行" if diff < 0 else "有行被修改")
            return [f"{table} 表已在程序之外被改动（{how}）"]
    bad = conn.execute(
        "SELECT d.worker_id, d.day FROM daily_counts d WHERE d.source = 'derived' AND d.orders != (SELECT count(*)"
        " FROM orders o WHERE o.worker_id = d.worker_id AND o.platform_id = d.platform_id AND o.industry = d.industry"
        " AND o.accepted_at >= d.day AND o.accepted_at < date(d.day, '+1 day')) LIMIT 1").fetchone()
    if bad:
        return [f"daily_counts 表已在程序之外被改动：人员 {bad[0]} {bad[1]} 的日单量与订单记录不符"]
    return []


def _site_chains(store, notes: list[str]) -> list[str]:
    """Other sites' audit chains received in exchange packages: each hash-linked,
    and ending on a head that site signed with its key (claims/store/exchange/)."""
    from . import sitekey
    from .store import anchor
    if not store.exchange_ready:
        return []
    problems = []
    conn = store.conn
    for (origin,) in conn.execute("SELECT DISTINCT origin FROM exchange_audit ORDER BY origin").fetchall():
        prev, n, broken = None, 0, None
        for r in conn.execute("SELECT * FROM exchange_audit WHERE origin = ? ORDER BY seq", (origin,)):
            r = dict(r)
            n += 1
            entry = {k: r[k] for k in ("at", "actor", "action", "table_name", "record_id", "changes", "row_digest")}
            expect = hashlib.sha256((r["prev_hash"] + canonical(entry)).encode()).hexdigest()
            if (prev is not None and r["prev_hash"] != prev) or r["hash"] != expect:
                broken = f"站点 {origin} 的审计日志第 {r['seq']} 条已被改动、删除或插入（哈希链在此断开）"
                break
            prev = r["hash"]
        if broken:
            problems.append(broken)
            continue
        head = conn.execute("SELECT * FROM exchange_heads WHERE origin = ?", (origin,)).fetchone()
        site = conn.execute("SELECT public_key FROM exchange_sites WHERE site = ?", (origin,)).fetchone()
        if head is None or site is None:
            problems.append(f"站点 {origin} 的审计日志没有该站点的签名")
            continue
        statement = anchor._statement(head["database"], origin, anchor.Head(head["seq"], head["hash"]))
        at = conn.execute("SELECT hash FROM exchange_audit WHERE origin = ? AND seq = ?", (origin, head["seq"])).fetchone()
        if not sitekey.verify(site["public_key"], statement, head["signature"]):
            problems.append(f"站点 {origin} 的审计日志签名无效（不是该站点的密钥所签）")
        elif at is None or at[0] != head["hash"]:
            problems.append(f"站点 {origin} 的审计日志与其签名不符（第 {head['seq']} 条）")
        else:
            notes.append(f"站点 {origin} 的审计日志 {n} 条，签名核对一致（指纹 {sitekey.fingerprint(site['public_key'])}）")
    return problems


def verify_audit(store, *, files: bool = True) -> tuple[bool, str]:
    """(intact, what was found): every problem on its own line, the first broken
    entry or changed record named; when intact, what was checked."""
    from .store.integrity import attachment_problems, schema_problems
    n, last, broken = _chain(store)
    notes: list[str] = []
    problems = [broken] if broken else []
    problems += _signature(store, notes)
    if not broken:
        problems += _records(store, last)
    problems += _site_chains(store, notes)
    problems += schema_problems(store.conn, store.schema_version)
    if files:
        problems += attachment_problems(store.conn, store.path)
    if problems:
        return False, "\n".join(problems)
    return True, "；".join([f"审计日志完整：{n} 条，哈希链与记录一致"] + notes)
