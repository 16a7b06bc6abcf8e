"""Small reads printed documents need, and the record of what was printed
(``printed_documents``: a print changes no record, but its row is audited, so
a verification code forged or removed behind the program's back shows)."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from ..change import Change
from ..errors import StaleRecord
from ..lazy import lazy_import
from ..office import FIELDS_BY_KEY, OFFICE_DEFAULTS, OFFICE_FIELDS, check_office_values
from ..permissions import narrow, own_platform, require
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import FeeDeclaration, FeePayment, OrderRecord

models = lazy_import("claims.models")


class PrintingQueriesMixin(StoreBase):
    # -- settings ----------------------------------------------------------
    def office_settings(self) -> dict[str, str]:
        """The office details printed on documents (meta entries with defaults; claims/office.py)."""
        rows = self.office_saved()
        return {k: (rows.get(k) or "").strip() or v for k, v in OFFICE_DEFAULTS.items()}

    def office_unset(self) -> list[str]:
        """Labels of the details still printed as placeholders (name, address until someone fills them)."""
        rows = self.office_saved()
        return [f.label for f in OFFICE_FIELDS if f.placeholder and not (rows.get(f.key) or "").strip()]

    def office_saved(self) -> dict[str, str]:
        """The details an administrator has saved, without defaults (key -> value)."""
        return dict(self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'office.%'").fetchall())

    def office_version(self) -> int:
        """The version of the office details as a whole: how many changes they have had
        (each is audited, from this program, the command line or an exchange package)."""
        return self.conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'meta'"
                                 " AND record_id >= 'office.' AND record_id < 'office/'").fetchone()[0]

    def set_office_settings(self, actor: Actor, values: dict[str, str], *,
                            expected_version: int | None = None) -> Change:
        """Store the given details (administrators only), each change in the audit log
        (table "meta", record = the key), so `audit verify` notices an edit made behind
        the program's back. Unchanged values write nothing. ``expected_version``: the
        ``office_version()`` the form was read at; details changed since are refused
        with StaleRecord (its ``current``: the saved details, key -> value)."""
        require(actor, "office.write")
        clean = check_office_values(values)
        with self.atomic():
            if expected_version is not None:
                self._check_office_version(expected_version)
            stored = self.office_saved()
            current = self.office_settings()
            changed = {k: v for k, v in clean.items() if v != current[k] or (k not in stored and v)}
            if not changed:
                return self.change(summary="经办机构信息没有改动")
            for key, value in changed.items():
                self.meta_set(key, value)
                self._audit(actor, "update", "meta", key, {"value": [stored.get(key), value]},
                            {"key": key, "value": value})
        labels = "、".join(FIELDS_BY_KEY[k].label for k in changed)
        return self.change("meta", ids=changed, summary=f"已更新经办机构信息：{labels}")

    def _check_office_version(self, expected: int) -> None:
        version = self.office_version()
        if version == expected:
            return
        last = self.conn.execute("SELECT actor, at FROM audit_log WHERE table_name = 'meta' AND record_id >= 'office.'"
                                 " AND record_id < 'office/' ORDER BY seq DESC LIMIT 1").fetchone()
        raise StaleRecord("meta", "office", expected, version, self.office_saved(), "经办机构信息",
                          by=last[0] if last else "", at=last[1] if last else "")

    # -- who did something -------------------------------------------------
    def display_name(self, username: str) -> str:
        """A user's display name; the program's own actors (cli:…, demo:…, login:…) in words, never a login."""
        if not username:
            return ""
        r = self.conn.execute("SELECT display_name FROM users WHERE username = ?", (username,)).fetchone()
        if r and r[0]:
            return r[0]
        kind, _sep, rest = username.partition(":")
        if kind == "login" and rest:
            return self.display_name(rest)
        words = {"cli": "命令行", "demo": "演示数据", "system": "系统", "import": "导入"}
        if kind in words:
            return words[kind] + (f"（{rest}）" if rest and kind == "cli" else "")
        return username

    def inserted_by(self, table: str, record_id: str) -> str:
        """The username that created a row, from the audit log ('' if unknown)."""
        r = self.conn.execute("SELECT actor FROM audit_log WHERE table_name = ? AND record_id = ? "
                              "ORDER BY seq LIMIT 1", (table, record_id)).fetchone()
        return r[0] if r else ""

    # -- orders and coverage -----------------------------------------------
    def order_by_number(self, platform_id: str, order_no: str, actor: Actor | None = None) -> OrderRecord | None:
        """An order by platform and number; a station manager (``actor``) finds their own platform's only."""
        r = self.conn.execute("SELECT * FROM orders WHERE platform_id = ? AND order_no = ?",
                              (narrow(own_platform(actor), platform_id), order_no)).fetchone()
        return models.OrderRecord.from_row(dict(r)) if r else None

    def order_day_count(self, worker_id: str, platform_id: str, industry: str, start: date,
                        end: date) -> int:
        """Days with at least one order (days covered: the pilot enrols by the day)."""
        return self.conn.execute(
            "SELECT count(DISTINCT day) FROM daily_counts WHERE worker_id = ? AND platform_id = ? AND industry = ?"
            " AND day >= ? AND day <= ? AND orders > 0",
            (worker_id, platform_id, industry, start.isoformat(), end.isoformat())).fetchone()[0]

    # -- fees ----------------------------------------------------------------
    def declarations_up_to(self, platform_id: str, region: str, month: str) -> list[FeeDeclaration]:
        """One platform's declarations for a region, oldest first, up to ``month``."""
        return [models.FeeDeclaration.from_row({**dict(r), "lines": json.loads(r["lines"])}) for r in self.conn.execute(
            "SELECT * FROM declarations WHERE platform_id = ? AND region = ? AND month <= ? ORDER BY month",
            (platform_id, region, month))]

    def declarations_of_month(self, month: str) -> list[FeeDeclaration]:
        return [models.FeeDeclaration.from_row({**dict(r), "lines": json.loads(r["lines"])}) for r in self.conn.execute(
            "SELECT * FROM declarations WHERE month = ? ORDER BY number", (month,))]

    def fee_payments_of(self, declaration_id: str) -> list[FeePayment]:
        return [models.FeePayment.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM fee_payments WHERE declaration_id = ? ORDER BY paid_on, created_at", (declaration_id,))]

    # -- printed documents -----------------------------------------------------
    def printed_document(self, code: str) -> dict | None:
        r = self.conn.execute("SELECT * FROM printed_documents WHERE code = ?", (code,)).fetchone()
        return dict(r) if r else None

    def record_print(self, *, code: str, doc_code: str, record_key: str, digest: str, printed_by: str,
                     printed_at: str) -> bool:
        """Record a printed document. A reprint has the same code (same content):
        the first print is kept and nothing is added; returns True when new."""
        with self.atomic():
            cur = self.conn.execute(
                "INSERT INTO printed_documents (code, doc_code, record_key, digest, printed_by, printed_at, site_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING",
                (code, doc_code, record_key, digest, printed_by, printed_at, self.site_id))
            if cur.rowcount != 1:
                return False
            row = self.printed_document(code)  # audited like a record: changed or removed, it shows
            self._audit_many(printed_by, "print", "printed_documents", [(code, {k: [None, v] for k, v in row.items()},
                                                                         row)])
            return True

    def prints_of(self, record_key: str) -> list[dict]:
        """Every print recorded for one record (newest first)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM printed_documents WHERE record_key = ? ORDER BY printed_at DESC", (record_key,))]

    def person_name(self, username: str) -> str:
        """The real name of whoever an audit name stands for, for paper: a user's
        display name (``cli:zhang`` and ``demo:zhang`` stand for user zhang);
        '' when no user of the program has that name (never a login printed)."""
        name = (username or "").split(":", 1)[-1]
        r = self.conn.execute("SELECT display_name FROM users WHERE username = ?", (name,)).fetchone()
        return r[0] if r and r[0] else ""
