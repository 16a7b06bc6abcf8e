"""The store's exchange methods: this site, identity cards and trust, export
of a package for a site, import of a package, conflicts, duplicates, case
transfer. Mixed into the Store (claims/store/__init__.py)."""
from __future__ import annotations

import hashlib
import json
import uuid

from ... import sitekey
from ...change import Change
from ...errors import ClaimsError, NotFound
from ...permissions import require
from ...timeutil import now_iso
from ..base import Actor, StoreBase
from . import package as pkgfmt
from .capture import add_unit, clock
from .tables import CASE, NATURAL, OFFICE, case_column

CARD_FORMAT = "zhibaotong-site-card/1"
ROLE_LABELS = {"office": "经办机构（总部）", "field": "外勤站点"}
TABLE_LABELS = {"workers": "人员", "platforms": "平台", "stations": "站点", "enrollments": "参保登记", "orders": "订单",
                "other_cover": "其他保障", "cases": "案件", "case_events": "案件经过", "case_documents": "案件材料",
                "decisions": "结论书", "appraisals": "鉴定结论", "assessments": "待遇核定", "benefit_payments": "待遇支付",
                "missing_notices": "补正告知", "dependants": "供养亲属", "advances": "垫付", "parameters": "参数",
                "fee_rates": "费率", "users": "用户", "holiday_calendar": "节假日", "situation_texts": "确认情形",
                "declarations": "申报", "fee_payments": "缴费", "exchange_conflicts": "冲突记录",
                "exchange_duplicates": "疑似重复人员"}
FIELD_LABELS = {"name": "姓名", "phone": "手机号", "phone_rev": "手机号（检索）", "address": "住址",
                "bank_card": "银行卡号", "bank_name": "开户行", "emergency_contact": "紧急联系人",
                "emergency_phone": "紧急联系电话", "gender": "性别", "birth_date": "出生日期", "state": "状态",
                "status": "状态", "end_on": "终止日期", "start_on": "起始日期", "station_id": "站点",
                "description": "事故经过", "place": "地点", "*": "同一记录两个编号"}


class ExchangeMixin(StoreBase):
    # -- this site ------------------------------------------------------------------
    @property
    def site_name(self) -> str:
        return self.meta_get("site.name") or self.meta_get("office.name") or self.site_id

    @property
    def site_role(self) -> str:
        return self.meta_get("site.role") or "office"

    def _signing_key(self) -> sitekey.SiteKey:
        key = sitekey.SiteKey.load(self.site_id)
        if key is None or key.public_key_text != self.meta_get("site.public_key"):
            raise ClaimsError(f"本机没有站点 {self.site_id} 的私钥（或与数据库记录的不符），不能收发交换包。"
                              "请在原电脑上操作，或由管理员核对后用 audit accept 以本机密钥签名")
        return key

    def site_info(self) -> dict:
        peers = []
        for r in self.conn.execute("SELECT * FROM exchange_sites ORDER BY site"):
            peers.append({"site": r["site"], "name": r["name"], "role": r["role"], "fingerprint": r["fingerprint"],
                          "trusted": bool(r["trusted"]), "via": r["via"],
                          "sent": {"seq": r["sent_seq"], "at": r["sent_at"]},
                          "received": {"seq": r["received_seq"], "at": r["received_at"]}, "folder": r["folder"]})
        pub = self.meta_get("site.public_key") or ""
        return {"id": self.site_id, "name": self.site_name, "role": self.site_role,
                "fingerprint": sitekey.fingerprint(pub) if pub else "", "sites": peers,
                "pending": self.conn.execute("SELECT count(*) FROM exchange_outbox WHERE origin = ?",
                                             (self.site_id,)).fetchone()[0]}

    def set_site(self, actor: Actor, *, name: str | None = None, role: str | None = None) -> Change:
        require(actor, "user.admin")
        with self.atomic():
            items = []
            for k, v in (("site.name", name), ("site.role", role)):
                if v is not None and v != self.meta_get(k):
                    items.append((k, {"value": [self.meta_get(k), v]}, {"key": k, "value": v}))
                    self.meta_set(k, v)
            if items:
                self._audit_many(actor, "site", "meta", items)
        return self.change("meta", summary="站点信息已保存")

    def site_card(self) -> bytes:
        pub = self.meta_get("site.public_key")
        if not pub:
            raise ClaimsError("本数据库还没有站点密钥，不能生成身份卡")
        return json.dumps({"format": CARD_FORMAT, "site": self.site_id, "name": self.site_name, "role": self.site_role,
                           "public_key": pub, "fingerprint": sitekey.fingerprint(pub)},
                          ensure_ascii=False, indent=1).encode("utf-8")

    @staticmethod
    def read_card(data: bytes) -> dict:
        try:
            card = json.loads(data.decode("utf-8"))
            if card.get("format") != CARD_FORMAT:
                raise ValueError
            sitekey.decode_key(card["public_key"])
            card["fingerprint"] = sitekey.fingerprint(card["public_key"])  # computed here, never taken from the file
            return card
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise ClaimsError("这不是职保通的站点身份卡（文件格式不对或已损坏）") from None

    def trust_site(self, actor: Actor, card_data: bytes) -> dict:
        """Trust the site of this card (audited). A site already known under another key is refused."""
        require(actor, "user.admin")
        card = self.read_card(card_data)
        if card["site"] == self.site_id:
            raise ClaimsError("这是本站点自己的身份卡")
        with self.atomic():
            old = self.conn.execute("SELECT public_key, trusted FROM exchange_sites WHERE site = ?",
                                    (card["site"],)).fetchone()
            if old is not None and old["public_key"] != card["public_key"] and old["trusted"]:
                raise ClaimsError(f"站点 {card['site']} 已以另一把密钥（指纹 {sitekey.fingerprint(old['public_key'])}）"
                                  f"受信任，这张卡的指纹是 {card['fingerprint']}：可能是冒充，未采用")
            self.conn.execute(
                "INSERT INTO exchange_sites (site, name, role, public_key, fingerprint, trusted, trusted_at, trusted_by)"
                " VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (site) DO UPDATE SET name = excluded.name,"
                " role = excluded.role, public_key = excluded.public_key, fingerprint = excluded.fingerprint,"
                " trusted = 1, via = '', trusted_at = excluded.trusted_at, trusted_by = excluded.trusted_by",
                (card["site"], card.get("name", ""), card.get("role", "field"), card["public_key"], card["fingerprint"],
                 now_iso(), actor.username))
            self._audit_many(actor, "trust", "exchange_sites", [(card["site"], {
                "fingerprint": [None, card["fingerprint"]], "name": [None, card.get("name", "")]}, "trusted")])
        return card

    def _peer(self, site: str):
        r = self.conn.execute("SELECT * FROM exchange_sites WHERE site = ?", (site,)).fetchone()
        if r is None or not r["trusted"]:
            raise ClaimsError(f"站点 {site} 尚未受信任：请先交换身份卡并核对指纹（site trust）")
        return r

    # -- what this site holds -------------------------------------------------------------
    def _holdings(self) -> dict:
        out = {o: list(v) for o, v in json.loads(self.meta_get("exchange.floor") or "{}").items()}
        for origin, n in self.conn.execute("SELECT origin, max(seq) FROM exchange_outbox GROUP BY origin"):
            h = out.setdefault(origin, [0, 0])
            h[0] = max(h[0], n)
        for origin, n in self.conn.execute("SELECT origin, max(seq) FROM exchange_audit GROUP BY origin"):
            h = out.setdefault(origin, [0, 0])
            h[1] = max(h[1], n)
        out.setdefault(self.site_id, [0, 0])[1] = self._audit_seq()
        return out

    def pending_for(self, site: str) -> int:
        """How many change units ``site`` has not acknowledged (what a package to it would carry)."""
        acked = json.loads((self.conn.execute("SELECT acked FROM exchange_sites WHERE site = ?", (site,)).fetchone()
                            or ["{}"])[0] or "{}")
        return sum(1 for o, n in self.conn.execute("SELECT origin, seq FROM exchange_outbox WHERE origin != ?", (site,))
                   if n > acked.get(o, [0, 0])[0])

    def set_exchange_folder(self, actor: Actor, folder: str) -> Change:
        require(actor, "exchange")
        with self.atomic():
            old = self.meta_get("exchange.folder") or ""
            self.meta_set("exchange.folder", folder)
            self._audit_many(actor, "exchange_folder", "meta", [("exchange.folder", {"value": [old, folder]},
                                                                  {"key": "exchange.folder", "value": folder})])
        return self.change("meta", summary="共享文件夹已设置")

    # -- export -------------------------------------------------------------------------
    def export_package(self, actor: Actor, to: str) -> tuple[bytes, dict]:
        """A package of every change ``to`` has not acknowledged (this site's own and those
        it relays), signed and encrypted for ``to``; recorded as sent. Own changes to
        records another site owns are refused (listed in the summary's ``refused``)."""
        require(actor, "exchange")
        if to == self.site_id:
            raise ClaimsError("不能给本站点自己导出交换包")
        peer = self._peer(to)
        key = self._signing_key()
        acked = json.loads(peer["acked"] or "{}")
        units, refused, counts = [], [], {}
        for r in self.conn.execute("SELECT origin, seq, at, actor, schema_version, changeset, refused FROM exchange_outbox"
                                   " WHERE origin != ? ORDER BY local_seq", (to,)):
            if r["seq"] <= acked.get(r["origin"], [0, 0])[0]:
                continue
            why = r["refused"] or (self._ownership(r["changeset"]) if r["origin"] == self.site_id else "")
            if why:
                refused.append(f"{r['at'][:19].replace('T', ' ')} {self.display_name(r['actor'])}：{why}")
                continue
            units.append(({"origin": r["origin"], "seq": r["seq"], "at": r["at"], "actor": r["actor"],
                           "schema_version": r["schema_version"]}, r["changeset"]))
        files = self._files_for(units, counts)
        audit = self._audit_for(acked, key)
        with self.atomic():
            seq = peer["sent_seq"] + 1
            manifest = {"format": pkgfmt.FORMAT, "id": uuid.uuid4().hex, "from": self.site_id, "to": to, "seq": seq,
                        "prev_hash": peer["sent_hash"], "schema_version": self.schema_version, "created_at": now_iso(),
                        "from_card": json.loads(self.site_card()), "acks": self._holdings(), "counts": counts,
                        "units": [u for u, _cs in units], "known_sites": self._known_cards(to),
                        "office": self._office_details()}
            data = pkgfmt.write(pkgfmt.Package(manifest, units, audit, files), key._key,
                                sitekey.box_public_key(peer["public_key"]))
            digest = hashlib.sha256(data).hexdigest()
            self.conn.execute("UPDATE exchange_sites SET sent_seq = ?, sent_hash = ?, sent_at = ? WHERE site = ?",
                              (seq, digest, now_iso(), to))
            summary = {"package": manifest["id"], "to": to, "seq": seq, "units": len(units), "counts": counts,
                       "refused": refused}
            self.conn.execute("INSERT INTO exchange_packages (id, direction, peer, seq, hash, at, summary)"
                              " VALUES (?, 'out', ?, ?, ?, ?, ?)",
                              (manifest["id"], to, seq, digest, now_iso(), json.dumps(summary, ensure_ascii=False)))
        return data, summary

    def _ownership(self, changeset: bytes) -> str:
        """Why a change of this site's own may not leave it (a record another site owns), or ''."""
        import apsw
        office = self.site_role == "office"
        for ch in apsw.Changeset.iter(changeset):
            t = ch.name
            if t in OFFICE and not office:
                return f"{TABLE_LABELS.get(t, t)}归经办机构（总部）站点管理，外勤站点的修改不能发出"
            col = case_column(t)
            if col:
                row = ch.new if ch.opcode == apsw.SQLITE_INSERT else ch.old
                idx = _col_index(self, t, col)
                case_id = row[idx] if idx is not None and row is not None else None
                if case_id is None or case_id is apsw.no_change:
                    continue
                handler = self.conn.execute("SELECT CASE WHEN handled_by != '' THEN handled_by ELSE site_id END, number"
                                            " FROM cases WHERE id = ?", (case_id,)).fetchone()
                if t == "cases" and ch.opcode != apsw.SQLITE_INSERT:
                    prev = ch.old[_col_index(self, t, "handled_by")] if _col_index(self, t, "handled_by") is not None else None
                    if prev not in (None, apsw.no_change, "", self.site_id):
                        return f"案件 {handler[1] if handler else case_id} 由站点 {prev} 办理，本站点的修改不能发出"
                    continue
                if handler is not None and handler[0] != self.site_id:
                    return f"案件 {handler[1]} 由站点 {handler[0]} 办理，本站点的修改不能发出"
        return ""

    def _files_for(self, units, counts: dict) -> dict[str, bytes]:
        import apsw

        from ..integrity import stored_file
        files: dict[str, bytes] = {}
        for _info, cs in units:
            for ch in apsw.Changeset.iter(cs):
                counts[ch.name] = counts.get(ch.name, 0) + 1
                if ch.name == "case_documents" and ch.new is not None:
                    i = _col_index(self, "case_documents", "content_hash")
                    digest = ch.new[i] if i is not None else None
                    if isinstance(digest, str) and digest and digest not in files:
                        path = stored_file(self.path, digest)
                        if path.is_file():
                            files[digest] = path.read_bytes()
        return files

    def _audit_for(self, acked: dict, key) -> dict:
        from ..anchor import Head, _statement
        from ..identity import database_id
        out = {}
        since = acked.get(self.site_id, [0, 0])[1]
        entries = [dict(r) for r in self.conn.execute("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", (since,))]
        head = self.conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        if head is not None:
            dbid = database_id(self)
            out[self.site_id] = {"entries": entries, "head": {
                "database": dbid, "seq": head[0], "hash": head[1],
                "signature": key.sign_text(_statement(dbid, self.site_id, Head(head[0], head[1])))}}
        for h in self.conn.execute("SELECT * FROM exchange_heads"):
            since = acked.get(h["origin"], [0, 0])[1]
            rows = [dict(r) for r in self.conn.execute("SELECT seq, at, actor, action, table_name, record_id, changes,"
                                                       " row_digest, prev_hash, hash FROM exchange_audit"
                                                       " WHERE origin = ? AND seq > ? ORDER BY seq", (h["origin"], since))]
            out[h["origin"]] = {"entries": rows, "head": {k: h[k] for k in ("database", "seq", "hash", "signature")}}
        return out

    def _known_cards(self, to: str) -> list[dict]:
        return [{"site": r["site"], "name": r["name"], "role": r["role"], "public_key": r["public_key"]}
                for r in self.conn.execute("SELECT * FROM exchange_sites WHERE site != ?", (to,))]

    def _office_details(self) -> dict:
        if self.site_role != "office":
            return {}
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'office.%'")}

    # -- conflicts, duplicates, transfer ------------------------------------------------------
    def open_conflicts(self) -> list[dict]:
        out = []
        for r in self.conn.execute("SELECT * FROM exchange_conflicts WHERE status = 'open' ORDER BY table_name, record_id,"
                                   " field, id"):
            t, field = r["table_name"], r["field"]
            row = self._row(t, r["record_id"]) if _is_table(t) else None
            natural = (row or {}).get(NATURAL.get(t, "id"), r["record_id"])
            ours = row.get(field) if row is not None and field in row else None
            out.append({"id": r["id"], "table": t, "record": natural, "record_id": r["record_id"], "field": field,
                        "ours": ours, "version": row["row_version"] if row else None, "theirs": json.loads(r["value_a"]) if r["value_a"] is not None else None,
                        "site": r["site_a"], "label": TABLE_LABELS.get(t, t),
                        "field_label": FIELD_LABELS.get(field, field)})
        return out

    def decide_conflict(self, actor: Actor, conflict_id: str, value, *, expected_version: int | None = None) -> Change:
        """A person's decision: the field gets ``value`` (kept, taken from the other site, or typed);
        the decision is a change like any other and travels to the other sites."""
        r = self.conn.execute("SELECT * FROM exchange_conflicts WHERE id = ?", (conflict_id,)).fetchone()
        if r is None:
            raise NotFound("找不到该冲突记录")
        if r["status"] != "open":
            raise ClaimsError("该冲突已经处理过了")
        t, field = r["table_name"], r["field"]
        with self.atomic():
            if field != "*":
                self._update(t, r["record_id"], {field: value}, actor, action="decide",
                             what=TABLE_LABELS.get(t, "记录"), expected_version=expected_version)
            self.conn.execute("UPDATE exchange_conflicts SET status = 'decided', decision = ?, decided_by = ?,"
                              " decided_at = ? WHERE id = ?",
                              (json.dumps(value, ensure_ascii=False), actor.username, now_iso(), conflict_id))
            # every other open conflict of the same field is settled by the same decision
            self.conn.execute("UPDATE exchange_conflicts SET status = 'decided', decision = ?, decided_by = ?,"
                              " decided_at = ? WHERE status = 'open' AND table_name = ? AND record_id = ? AND field = ?",
                              (json.dumps(value, ensure_ascii=False), actor.username, now_iso(), t, r["record_id"],
                               field))
        return self.change(t, "exchange_conflicts", ids=[r["record_id"]], summary="冲突已处理")

    def open_duplicates(self) -> list[dict]:
        out = []
        for r in self.conn.execute("SELECT * FROM exchange_duplicates WHERE status = 'open' ORDER BY id"):
            a, b = self._row("workers", r["worker_a"]), self._row("workers", r["worker_b"])
            if a and b:
                out.append({"id": r["id"], "reason": r["reason"], "a": a, "b": b})
        return out

    def merge_workers(self, actor: Actor, duplicate_id: str, keep: str) -> Change:
        """Merge a probable duplicate: ``keep`` (one of the two workers) stays, the other's
        enrollments, cover, orders and cases move to it and it is removed — audited, travels."""
        require(actor, "user.admin")
        r = self.conn.execute("SELECT * FROM exchange_duplicates WHERE id = ?", (duplicate_id,)).fetchone()
        if r is None or r["status"] != "open":
            raise ClaimsError("该疑似重复已处理或不存在")
        if keep not in (r["worker_a"], r["worker_b"]):
            raise ClaimsError("保留的人员不是这两位之一")
        drop = r["worker_b"] if keep == r["worker_a"] else r["worker_a"]
        c = self.conn
        with self.atomic():
            c.execute("PRAGMA defer_foreign_keys = ON")
            for t in ("enrollments", "other_cover", "cases"):
                for row in c.execute(f"SELECT id FROM {t} WHERE worker_id = ?", (drop,)).fetchall():
                    self._update(t, row[0], {"worker_id": keep}, actor, action="merge")
            c.execute("UPDATE orders SET worker_id = ? WHERE worker_id = ?", (keep, drop))
            from ..seal import table_seal
            if table_seal(c, "orders") != self.seal_state("orders"):
                self.seal_reset(actor, "orders", "合并重复人员")
            c.execute("DELETE FROM daily_counts WHERE worker_id = ?", (drop,))
            gone = self._must("workers", drop, "人员")
            rowid = c.execute("SELECT rowid FROM workers WHERE id = ?", (drop,)).fetchone()[0]
            c.execute("DELETE FROM worker_name_grams WHERE worker_rowid = ?", (rowid,))
            c.execute("DELETE FROM workers WHERE id = ?", (drop,))
            self._audit(actor, "merge", "workers", drop, {"merged_into": [None, keep],
                                                          "id_number": [gone["id_number"], None]}, None)
            c.execute("UPDATE exchange_duplicates SET status = 'merged', kept = ?, decided_by = ?, decided_at = ?"
                      " WHERE id = ?", (keep, actor.username, now_iso(), duplicate_id))
        return self.change("workers", "enrollments", "cases", ids=[keep, drop], summary="已合并重复人员")

    def dismiss_duplicate(self, actor: Actor, duplicate_id: str) -> Change:
        with self.atomic():
            self.conn.execute("UPDATE exchange_duplicates SET status = 'different', decided_by = ?, decided_at = ?"
                              " WHERE id = ? AND status = 'open'", (actor.username, now_iso(), duplicate_id))
        return self.change("exchange_duplicates", summary="已确认不是同一人")

    def transfer_case(self, actor: Actor, case_id: str, to_site: str) -> Change:
        """Hand a case to another site: from then on only that site's changes to it travel (audited)."""
        require(actor, "case.transition")
        row = self._must("cases", case_id, "案件")
        handler = row.get("handled_by") or row["site_id"]
        if handler != self.site_id:
            raise ClaimsError(f"案件 {row['number']} 由站点 {handler} 办理，只有该站点能移交")
        if to_site != self.site_id:
            self._peer(to_site)
        with self.atomic():
            self._update("cases", case_id, {"handled_by": to_site}, actor, action="transfer", what="案件")
        return self.change("cases", ids=[case_id], summary=f"案件 {row['number']} 已移交站点 {to_site}")


def _is_table(t: str) -> bool:
    return t in NATURAL or t in OFFICE or t in CASE or t in TABLE_LABELS


def _col_index(store, table: str, col: str) -> int | None:
    from .capture import columns
    cols = columns(store, table)
    return cols.index(col) if col in cols else None
