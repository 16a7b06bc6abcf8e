"""Undo of a slip: the last action a user took, put back exactly as it was.

An action's rows are known from the audit log: every change a user action makes
is one transaction, and its entries form one run of the hash chain (the store
notes that run on the Change it returns, ``audit_range``). Undo reads the run
back and reverses it, newest entry first, in one transaction, and logs the
reversal as ``undo`` entries, so nothing leaves the record.

Only record-keeping slips can be undone — a worker, an enrollment, other cover,
a platform or station, a registered document, entered or edited by mistake.
Decisions, payments, case steps, fee declarations and imports are part of a
legal or financial record and have their own corrections. An action cannot be
undone once anything else has changed the same records since, or once another
record refers to a row it created; the reason is given in Chinese."""
from __future__ import annotations

import json
import sqlite3

from ..change import Change
from ..errors import ClaimsError
from .base import Actor, StoreBase, row_digest

UNDOABLE_TABLES = frozenset({"workers", "enrollments", "other_cover", "platforms", "stations", "case_documents"})
TABLE_LABELS = {"workers": "人员", "enrollments": "参保记录", "other_cover": "其他保障", "platforms": "平台",
                "stations": "站点", "case_documents": "案件材料"}


class UndoMixin(StoreBase):
    def undo_problem(self, actor: Actor, change: Change | None) -> str | None:
        """Why `change` cannot be undone by `actor` now, or None when it can."""
        try:
            self._undo_entries(actor, change)
        except ClaimsError as e:
            return e.message
        return None

    def undo(self, actor: Actor, change: Change) -> Change:
        """Reverse the action that produced `change` (see the module docstring)."""
        entries = self._undo_entries(actor, change)
        tables, ids = set(), set()
        try:
            with self.atomic():
                for e in reversed(entries):
                    table, rid = e["table_name"], e["record_id"]
                    diff = json.loads(e["changes"])
                    if e["action"] == "insert":
                        row = self._row(table, rid)
                        if table == "workers":
                            rowid = self.conn.execute("SELECT rowid FROM workers WHERE id = ?", (rid,)).fetchone()[0]
                            self.conn.execute("DELETE FROM worker_name_grams WHERE worker_rowid = ?", (rowid,))
                        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (rid,))
                        self._audit(actor, "undo", table, rid, {k: [v, None] for k, v in row.items()}, None)
                    else:
                        restore = {k: old for k, (old, _new) in diff.items()
                                   if k not in ("updated_at", "row_version")}
                        self._update(table, rid, restore, actor, action="undo",
                                     what=TABLE_LABELS.get(table, "记录"))
                        if table == "workers" and "name" in restore:
                            self._index_name(self._row(table, rid), old=diff["name"][1])
                    tables.add(table)
                    ids.add(rid)
        except sqlite3.IntegrityError:
            raise ClaimsError("不能撤销：这一步新增的记录已被其他记录引用（例如已登记参保或报案），"
                              "请改用修改或终止") from None
        return Change(tables=frozenset(tables), ids=frozenset(ids), summary=f"已撤销：{change.summary}")

    def _undo_entries(self, actor: Actor, change: Change | None) -> list[dict]:
        if change is None or not change.audit_range:
            raise ClaimsError("没有可以撤销的操作")
        first, last = change.audit_range
        entries = [dict(r) for r in self.conn.execute(
            "SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq", (first, last))]
        if not entries:
            raise ClaimsError("没有可以撤销的操作")
        for e in entries:
            if e["actor"] != actor.username:
                raise ClaimsError("只能撤销自己的操作")
            if e["action"] not in ("insert", "update") or e["table_name"] not in UNDOABLE_TABLES \
                    or '"*"' in e["changes"]:
                raise ClaimsError(f"“{change.summary}”不能撤销：只有登记类的误操作（人员、参保、平台、站点、"
                                  f"其他保障、案件材料）可以撤销，其他请按业务规定更正")
        keys = {(e["table_name"], e["record_id"]) for e in entries}
        for table, rid in keys:
            later = self.conn.execute("SELECT 1 FROM audit_log WHERE seq > ? AND table_name = ? AND record_id = ? "
                                      "LIMIT 1", (last, table, rid)).fetchone()
            if later:
                raise ClaimsError(f"不能撤销：该{TABLE_LABELS.get(table, '记录')}在这一步之后又被修改过")
            expected = next(e["row_digest"] for e in reversed(entries) if (e["table_name"], e["record_id"]) == (table, rid))
            if row_digest(self._row(table, rid)) != expected:
                raise ClaimsError(f"不能撤销：该{TABLE_LABELS.get(table, '记录')}已被改动")
        return entries

