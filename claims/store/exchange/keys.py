"""Keys that merge by themselves: where the world has a natural key, a row's
key is derived from it (UUIDv5 over a fixed namespace), so the same person,
platform or station registered at two sites is the same row and a difference
is a conflict to decide, not a duplicate.

- worker: the ID number; platform: its credit code, or its name while it has
  none (kept when a code is added later: a key never changes); station: the
  platform's key and the station's name; holiday calendar: the year; the
  wording of a situation: rule set and code; rows shipped with the program
  (parameters, fee rates) seeded at creation: their content.
- orders keep time-ordered keys (bench/exchange.py: random keys make the order
  import of issue 20 slower); the same order (platform + order number) imported
  at two sites is merged by that UNIQUE key when a package is applied.
- everything else (cases, payments, documents …) keeps time-ordered or random
  keys; their numbers carry the site id.

``rekey`` moves a database made before this once, with every reference, audited."""
from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("3b0f5c1e-7a52-5d2e-9c41-8e6a2f0b9d17")  # fixed for ever: changing it splits every site


def key(*parts) -> str:
    return uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)).hex


def worker_key(id_number: str) -> str:
    return key("worker", id_number)


def platform_key(name: str, credit_code: str = "") -> str:
    return key("platform", "credit", credit_code) if credit_code else key("platform", "name", name)


def station_key(platform_id: str, name: str) -> str:
    return key("station", platform_id, name)


SEEDED = ("parameters", "fee_rates")


def natural_id(table: str, values: dict, actor_name: str = "") -> str | None:
    """The key a new row of ``table`` gets from its content, or None (time-ordered)."""
    if table == "workers" and values.get("id_number"):
        return worker_key(values["id_number"])
    if table == "platforms" and values.get("name"):
        return platform_key(values["name"], values.get("credit_code") or "")
    if table == "stations" and values.get("platform_id") and values.get("name"):
        return station_key(values["platform_id"], values["name"])
    if table == "holiday_calendar" and values.get("year") is not None:
        return key("holiday_calendar", values["year"])
    if table == "industries" and values.get("code"):
        return key("industry", values["code"])
    if table == "situation_texts" and values.get("code"):
        return key("situation", values.get("rule_set", ""), values["code"])
    if table in SEEDED and actor_name.startswith("system"):
        from ..base import canonical
        return key("seed", table, canonical(values))
    return None


# table -> (column, referenced table) for every reference to a re-keyed table
REFERENCES = {
    "platforms": [("stations", "platform_id"), ("enrollments", "platform_id"), ("orders", "platform_id"),
                  ("daily_counts", "platform_id"), ("declarations", "platform_id"), ("cases", "platform_id"),
                  ("users", "platform_id")],
    "stations": [("enrollments", "station_id"), ("cases", "station_id"), ("users", "station_id")],
    "workers": [("enrollments", "worker_id"), ("other_cover", "worker_id"), ("orders", "worker_id"),
                ("daily_counts", "worker_id"), ("cases", "worker_id")],
}


def rekey(store, actor) -> dict[str, int]:
    """Give the rows of a database made before natural keys their natural keys,
    with every reference, in one transaction; audited (each moved row under its
    new key, its old key as gone; referencing rows with their new digest; the
    sealed order and count tables re-sealed). Not captured for the exchange:
    every site moves its own keys the same way. Returns how many rows moved."""
    from ..seal import SEALED_TABLES
    c = store.conn
    moved: dict[str, int] = {}
    keyed = ("platforms", "stations", "workers")
    store.capture_paused = True
    try:
        with store.atomic():
            c.execute("PRAGMA defer_foreign_keys = ON")
            c.execute("CREATE TEMP TABLE IF NOT EXISTS rekey_map (old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID")
            c.execute("CREATE TEMP TABLE IF NOT EXISTS rekey_new (tbl TEXT, new TEXT, PRIMARY KEY (tbl, new)) WITHOUT ROWID")
            for table in keyed:  # parents first: a station's key is made from its platform's new key
                c.execute("DELETE FROM temp.rekey_map")
                if table == "platforms":
                    rows = [(r[0], platform_key(r[1], r[2])) for r in c.execute("SELECT id, name, credit_code FROM platforms")]
                elif table == "stations":
                    rows = [(r[0], station_key(r[1], r[2])) for r in c.execute("SELECT id, platform_id, name FROM stations")]
                else:
                    rows = [(r[0], worker_key(r[1])) for r in c.execute("SELECT id, id_number FROM workers")]
                rows = [(o, n) for o, n in rows if o != n]
                if not rows:
                    continue
                c.executemany("INSERT INTO temp.rekey_map VALUES (?, ?)", rows)
                c.execute("INSERT OR IGNORE INTO temp.rekey_new SELECT ?, new FROM temp.rekey_map", (table,))
                c.execute(f"UPDATE {table} SET id = m.new FROM temp.rekey_map m WHERE {table}.id = m.old")
                for ref, col in REFERENCES[table]:
                    c.execute(f"UPDATE {ref} SET {col} = m.new FROM temp.rekey_map m WHERE {ref}.{col} = m.old")
                moved[table] = len(rows)
                for i in range(0, len(rows), 500):
                    chunk = rows[i:i + 500]
                    got = {r["id"]: dict(r) for r in c.execute(
                        f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", [n for _o, n in chunk])}
                    store._audit_many(actor, "rekey", table, [(o, {"id": [o, n]}, None) for o, n in chunk])
                    store._audit_many(actor, "rekey", table, [(n, {"id": [o, n]}, got[n]) for o, n in chunk])
            if moved:
                for table in keyed:  # rows that refer to a moved row: their new digest
                    for ref, col in REFERENCES[table]:
                        if ref in SEALED_TABLES or ref in keyed or ref == "daily_counts":
                            continue
                        ids = [r[0] for r in c.execute(f"SELECT id FROM {ref} WHERE {col} IN"
                                                       " (SELECT new FROM temp.rekey_new WHERE tbl = ?)", (table,))]
                        if ids:
                            store._audit_rows(actor, "rekey", ref, ids)
                for table in SEALED_TABLES:
                    store.seal_reset(actor, table, "站点间交换：记录键改为自然键")
                # derived figures name platforms and stations: rebuilt at their next read
                for t in ("stats_cells", "stats_activity", "stats_active_sets", "stats_enrolled_sets"):
                    c.execute(f"DELETE FROM {t}")
                c.execute("INSERT OR IGNORE INTO stats_dirty (kind, month) VALUES ('activity', '*'), ('enrollments', '*')")
            c.execute("DROP TABLE temp.rekey_map")
            c.execute("DROP TABLE temp.rekey_new")
    finally:
        store.capture_paused = False
    return moved
