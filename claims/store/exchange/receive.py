"""Importing a package: checked whole (addressee, trusted sender, decryption,
signature, schema) before anything is written, then applied in one
transaction — or nothing. A package already applied changes nothing; a gap in
the sequence numbers from a site is reported (its content is in the next
package: every package carries all the sender has that was not acknowledged)."""
from __future__ import annotations

import hashlib
import json

from ... import sitekey
from ...permissions import require
from ...timeutil import now_iso
from ..base import Actor, StoreBase
from ..schema import HEAD
from . import package as pkgfmt
from .apply import Applier
from .capture import _Capture, add_unit, clock, finish
from .package import PackageRefused


class ReceiveMixin(StoreBase):
    def import_package(self, actor: Actor, data: bytes, *, dry_run: bool = False) -> dict:
        """Apply a package; returns a summary: per table added/changed/present/conflicts,
        the conflicts and probable duplicates recorded, gaps, or ``already`` for a replay."""
        require(actor, "exchange")
        h = pkgfmt.header(data)
        if h.get("to") != self.site_id:
            raise PackageRefused(f"交换包是发给站点 {h.get('to')} 的，本站点是 {self.site_id}，未导入")
        peer = self.conn.execute("SELECT * FROM exchange_sites WHERE site = ?", (h.get("from"),)).fetchone()
        if peer is None or not peer["trusted"]:
            raise PackageRefused(f"交换包来自站点 {h.get('from')}，本站点尚未信任它（请先交换身份卡并核对指纹），未导入")
        pkg = pkgfmt.read(data, self._signing_key().box_private_key(), peer["public_key"])
        m = pkg.manifest
        if int(m["schema_version"]) > HEAD:
            raise PackageRefused(f"交换包来自较新版本的程序（结构版本 {m['schema_version']}，本程序 {HEAD}），"
                                 "请先升级职保通，未导入")
        if self.conn.execute("SELECT 1 FROM exchange_packages WHERE id = ? AND direction = 'in'", (m["id"],)).fetchone():
            return {"already": True, "package": m["id"], "from": m["from"], "seq": m["seq"]}
        summary = {"already": False, "package": m["id"], "from": m["from"], "seq": m["seq"], "tables": {},
                   "conflicts": 0, "duplicates": 0, "gap": None, "dry_run": dry_run, "units": 0, "present_units": 0}
        if m["seq"] > peer["received_seq"] + 1:
            summary["gap"] = [peer["received_seq"] + 1, m["seq"] - 1]
        who = f"site:{m['from']}"
        self.capture_paused = True
        try:
            with self.import_transaction(dry_run=dry_run):
                applier = Applier(self)
                have = {o: v[0] for o, v in self._holdings().items()}
                for info, cs in pkg.units:
                    origin, seq = info["origin"], int(info["seq"])
                    if origin == self.site_id or seq <= have.get(origin, 0):
                        summary["present_units"] += 1
                        continue
                    if seq != have.get(origin, 0) + 1:
                        raise PackageRefused(f"交换包缺少站点 {origin} 的第 {have.get(origin, 0) + 1} 至 {seq - 1}"
                                             " 项修改（发送方记录有误），未导入")
                    applier.apply_unit(origin, info["at"], cs)
                    if applier.fk_problem:
                        raise PackageRefused(f"交换包中的修改引用了本站点没有的记录（{applier.fk_problem}），未导入")
                    add_unit(self, origin, seq, info["at"], info.get("actor", ""), int(info["schema_version"]), cs,
                             own=False)
                    clock(self, seen=info["at"])
                    have[origin] = seq
                    summary["units"] += 1
                applier.finish(who)
                self._receive_files(pkg.files)
                self._receive_sites(m, peer)
                self._receive_audit(pkg.audit)
                self._receive_office(m, peer, who)
                recorded = self._record_findings(applier, who)
                summary.update(recorded)
                summary["tables"] = applier.summary
                if dry_run:  # the preview: what will change, record by record
                    summary["records"] = self._preview_records(applier)
                self.conn.execute("UPDATE exchange_sites SET acked = ?, received_seq = max(received_seq, ?),"
                                  " received_at = ? WHERE site = ?",
                                  (json.dumps(m["acks"]), m["seq"], now_iso(), m["from"]))
                self.conn.execute("INSERT INTO exchange_packages (id, direction, peer, seq, hash, at, summary)"
                                  " VALUES (?, 'in', ?, ?, ?, ?, ?)",
                                  (m["id"], m["from"], m["seq"], hashlib.sha256(data).hexdigest(), now_iso(),
                                   json.dumps(summary, ensure_ascii=False)))
                self._audit_many(actor, "import_package", "exchange_packages",
                                 [(m["id"], {"from": [None, m["from"]], "seq": [None, m["seq"]],
                                             "units": [None, summary["units"]]}, "applied")])
        finally:
            self.capture_paused = False
        return summary

    def preview_package(self, actor: Actor, data: bytes) -> dict:
        """What the package would change (a dry run), per table and record."""
        return self.import_package(actor, data, dry_run=True)

    def _preview_records(self, applier: Applier, limit: int = 300) -> list[tuple[str, str]]:
        from .sites import TABLE_LABELS
        from .tables import NATURAL
        out = []
        for t, pks in sorted(applier.touched.items()):
            col = NATURAL.get(t)
            for pk in sorted(pks)[:limit - len(out)]:
                r = self._row(t, pk) if col else None
                out.append((TABLE_LABELS.get(t, t), str((r or {}).get(col) or pk)))
            if len(out) >= limit:
                break
        return out

    # -- pieces ------------------------------------------------------------------------
    def _receive_files(self, files: dict[str, bytes]) -> None:
        import tempfile
        from pathlib import Path

        from ..integrity import keep_file
        for digest, content in files.items():
            with tempfile.TemporaryDirectory() as tmp:
                src = Path(tmp) / "f"
                src.write_bytes(content)
                keep_file(self.path, src, digest)

    def _receive_sites(self, m: dict, peer) -> None:
        """Sites the sender knows become known here (vouched for by a trusted site), not trusted."""
        for card in m.get("known_sites", []):
            if card["site"] == self.site_id:
                continue
            self.conn.execute("INSERT INTO exchange_sites (site, name, role, public_key, fingerprint, trusted, via)"
                              " VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (site) DO NOTHING",
                              (card["site"], card.get("name", ""), card.get("role", "field"), card["public_key"],
                               sitekey.fingerprint(card["public_key"]), peer["site"]))

    def _receive_audit(self, audit: dict) -> None:
        """Every site's audit entries, as that site's chain, with its signed head (checked in audit verify)."""
        for origin, part in audit.items():
            if origin == self.site_id:
                continue
            rows = part.get("entries", [])
            floor = json.loads(self.meta_get("exchange.floor") or "{}").get(origin, [0, 0])[1]
            last = self.conn.execute("SELECT max(seq) FROM exchange_audit WHERE origin = ?", (origin,)).fetchone()[0] or floor
            new = [e for e in rows if int(e["seq"]) > last]
            self.conn.executemany(
                "INSERT OR IGNORE INTO exchange_audit (origin, seq, at, actor, action, table_name, record_id, changes,"
                " row_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(origin, e["seq"], e["at"], e["actor"], e["action"], e["table_name"], e["record_id"], e["changes"],
                  e["row_digest"], e["prev_hash"], e["hash"]) for e in new])
            head = part.get("head")
            if head:
                self.conn.execute("INSERT INTO exchange_heads (origin, database, seq, hash, signature) VALUES (?, ?, ?, ?, ?)"
                                  " ON CONFLICT (origin) DO UPDATE SET database = excluded.database, seq = excluded.seq,"
                                  " hash = excluded.hash, signature = excluded.signature WHERE excluded.seq >= seq",
                                  (origin, head["database"], head["seq"], head["hash"], head["signature"]))

    def _receive_office(self, m: dict, peer, who: str) -> None:
        """The office's details (printed on every document) come from the office site."""
        if peer["role"] != "office" or not m.get("office"):
            return
        items = []
        for k, v in m["office"].items():
            if k.startswith("office.") and self.meta_get(k) != v:
                items.append((k, {"value": [self.meta_get(k), v]}, {"key": k, "value": v}))
                self.meta_set(k, v)
        if items:
            self._audit_many(who, "exchange", "meta", items)

    def _record_findings(self, applier: Applier, who: str) -> dict:
        """Conflicts and probable duplicates, recorded as this site's own change: they
        travel, so every site ends with the same list (each once: the same id everywhere)."""
        c = self.conn
        cap = _Capture(c.raw)
        before = c.total_changes
        if applier.new_conflicts:
            c.executemany("INSERT OR IGNORE INTO exchange_conflicts (id, table_name, record_id, field, value_a, site_a,"
                          " value_b, site_b) VALUES (?, ?, ?, ?, ?, ?, NULL, '')", applier.new_conflicts)
        conflicts = c.total_changes - before
        dup = 0
        workers = sorted(applier.touched.get("workers", ()))
        if workers:
            c.execute("CREATE TEMP TABLE IF NOT EXISTS ex_new (id TEXT PRIMARY KEY) WITHOUT ROWID")
            c.execute("DELETE FROM temp.ex_new")
            c.executemany("INSERT OR IGNORE INTO temp.ex_new VALUES (?)", [(w,) for w in workers])
            pairs = c.execute(
                "SELECT a.id, b.id, '姓名与出生日期相同' FROM temp.ex_new n JOIN workers a ON a.id = n.id"
                " JOIN workers b ON b.name = a.name AND b.birth_date = a.birth_date AND b.id != a.id"
                " UNION SELECT a.id, b.id, '手机号相同' FROM temp.ex_new n JOIN workers a ON a.id = n.id"
                " JOIN workers b ON b.phone = a.phone AND b.id != a.id").fetchall()
            rows = {}
            for a, b, why in pairs:
                a, b = sorted((a, b))
                rid = hashlib.sha256(f"{a}|{b}".encode()).hexdigest()[:32]
                rows.setdefault(rid, (rid, a, b, why))
            before = c.total_changes
            c.executemany("INSERT OR IGNORE INTO exchange_duplicates (id, worker_a, worker_b, reason) VALUES (?, ?, ?, ?)",
                          list(rows.values()))
            dup = c.total_changes - before
        self.capture_paused = False
        try:
            finish(self, cap, who)
        finally:
            self.capture_paused = True
        return {"conflicts": conflicts, "duplicates": dup}

