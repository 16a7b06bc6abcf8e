"""Provisioning a new site (a laptop) from this one: a new database with its
own site id and key, holding the reference data, parameters, users, workers
with their enrollments and cover, and the cases assigned to one user (moved to
the new site's handling, audited) — no other case. The two sites trust each
other; the new site's private key is written beside the database
(``<file>.sitekey``, owner-only) and moved into the laptop's key folder the
first time the program opens the database there."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

import apsw

from ... import sitekey
from ...errors import ClaimsError
from ...permissions import require
from ...private import write_private
from ..base import Actor, _issue

SNAPSHOT = ("platforms", "stations", "workers", "enrollments", "other_cover", "parameters", "fee_rates", "users",
            "holiday_calendar", "situation_texts")
CASE_TABLES = ("cases", "case_events", "case_documents", "decisions", "appraisals", "assessments", "benefit_payments",
               "missing_notices", "dependants", "advances")
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def provision(office, actor: Actor, site_name: str, out: Path, cases_for: str | None = None) -> dict:
    from .. import Store
    require(actor, "user.admin")
    out = Path(out)
    if out.exists():
        raise ClaimsError(f"{out} 已存在，未覆盖")
    if not site_name.strip():
        raise ClaimsError("新站点名称不能为空")
    site = "".join(secrets.choice(_ALPHABET) for _ in range(4))
    while office.conn.execute("SELECT 1 FROM exchange_sites WHERE site = ?", (site,)).fetchone() or site == office.site_id:
        site = "".join(secrets.choice(_ALPHABET) for _ in range(4))
    case_ids = []
    if cases_for:
        case_ids = [r[0] for r in office.conn.execute(
            "SELECT DISTINCT case_id FROM case_events WHERE actor = ?", (cases_for,))]
    key = sitekey.SiteKey.create(site)  # in this computer's key folder: the laptop gets its copy below
    new = Store(out, site, create=True)
    try:
        new.set_site(_issue(Actor("system:provision", role="admin")), name=site_name.strip(), role="field")
        card_office, card_new = office.site_card(), new.site_card()
        new.trust_site(_issue(Actor("system:provision", role="admin")), card_office)
        office.trust_site(actor, card_new)
        for cid in case_ids:  # the agent's cases are handled by the new site from now on (audited, travels)
            office.transfer_case(actor, cid, site)
        snapshot = _snapshot(office, case_ids)
        _load(new, snapshot, office)
        holdings = office._holdings()
        with office.atomic():  # the new site holds everything the office had: only later changes travel
            office.conn.execute("UPDATE exchange_sites SET acked = ? WHERE site = ?", (json.dumps(holdings), site))
        with new.atomic():
            new.meta_set("exchange.floor", json.dumps(holdings))
            new._audit_many(Actor("system:provision"), "provision", "meta",
                            [("exchange.floor", {"from": [None, office.site_id]}, "floor")])
    finally:
        new.close()
    write_private(Path(f"{out}.sitekey"), key.path.read_bytes())
    return {"site": site, "name": site_name.strip(), "fingerprint": key.fingerprint, "cases": len(case_ids),
            "path": str(out)}


def _snapshot(office, case_ids: list[str]) -> bytes:
    """Every row of the tables the new site gets, as one changeset (Session.diff against an empty copy of the schema)."""
    raw = office.conn.raw
    empty = ":memory:"
    raw.execute(f"ATTACH DATABASE '{empty}' AS provision_empty")
    try:
        for t in SNAPSHOT + CASE_TABLES:
            sql = raw.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", (t,)).fetchone()[0]
            raw.execute(sql.replace(f"CREATE TABLE {t}", f"CREATE TABLE provision_empty.{t}", 1))
        s = apsw.Session(raw, "main")
        for t in SNAPSHOT + CASE_TABLES:
            s.attach(t)
            s.diff("provision_empty", t)
        cs = s.changeset()
        s.close()
    finally:
        raw.execute("DETACH DATABASE provision_empty")
    wanted = set(case_ids)
    b = apsw.ChangesetBuilder()
    for ch in apsw.Changeset.iter(cs):
        if ch.name in CASE_TABLES:
            from .capture import columns
            case_id = ch.new[0] if ch.name == "cases" else ch.new[columns(office, ch.name).index("case_id")]
            if case_id not in wanted:
                continue
        b.add_change(ch)
    return b.output()


def _load(new, snapshot: bytes, office) -> None:
    from .apply import Applier
    who = f"site:{office.site_id}"
    new.capture_paused = True
    try:
        with new.atomic():
            new.conn.execute("PRAGMA defer_foreign_keys = ON")
            # the new database's own seeds (same content keys as the office's): the office's rows replace them
            seeded = {}
            for t in ("parameters", "fee_rates", "holiday_calendar", "situation_texts"):
                seeded[t] = {r[0] for r in new.conn.execute(f"SELECT id FROM {t}")}
                new.conn.execute(f"DELETE FROM {t}")
            a = Applier(new)
            a.apply_unit(office.site_id, "", snapshot)
            a.touched = {t: {r[0] for r in new.conn.execute(f"SELECT id FROM {t}")}
                         for t in SNAPSHOT + CASE_TABLES}
            for t, ids in seeded.items():
                gone = sorted(ids - a.touched[t])
                if gone:
                    new._audit_many(who, "provision", t, [(g, {"*": [None, "replaced"]}, None) for g in gone])
            a.finish(who)
    finally:
        new.capture_paused = False
