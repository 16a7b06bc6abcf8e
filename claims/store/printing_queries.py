"""Small reads printed documents need, and the record of what was printed
(``printed_documents``: not an audited table — a print changes no record)."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from ..lazy import lazy_import
from .base import StoreBase

if TYPE_CHECKING:
    from ..models import FeeDeclaration, FeePayment, OrderRecord

models = lazy_import("claims.models")

# Office details printed on documents: meta key -> default. An administrator
# sets them once per installation (meta_set); the defaults are placeholders.
OFFICE_DEFAULTS: dict[str, str] = {
    "office.name": "上海市职业伤害保障承办机构（演示）",
    "office.address": "上海市（地址请在设置中填写）",
    "office.phone": "12333",
    "office.review_authority": "上海市人力资源和社会保障局",
    "office.court": "有管辖权的人民法院",
    "office.appraisal_committee": "上海市劳动能力鉴定委员会",
    "office.insurer": "",  # the insurer named on fee statements; empty: the office itself
}


class PrintingQueriesMixin(StoreBase):
    # -- settings ----------------------------------------------------------
    def office_settings(self) -> dict[str, str]:
        """The office details printed on documents (meta entries with defaults)."""
        rows = dict(self.conn.execute("SELECT key, value FROM meta WHERE key LIKE 'office.%'").fetchall())
        return {k: (rows.get(k) or "").strip() or v for k, v in OFFICE_DEFAULTS.items()}

    # -- who did something -------------------------------------------------
    def display_name(self, username: str) -> str:
        """A user's display name, or the username itself (cli:…, demo:…)."""
        r = self.conn.execute("SELECT display_name FROM users WHERE username = ?", (username,)).fetchone()
        return r[0] if r and r[0] else username

    def inserted_by(self, table: str, record_id: str) -> str:
        """The username that created a row, from the audit log ('' if unknown)."""
        r = self.conn.execute("SELECT actor FROM audit_log WHERE table_name = ? AND record_id = ? "
                              "ORDER BY seq LIMIT 1", (table, record_id)).fetchone()
        return r[0] if r else ""

    # -- orders and coverage -----------------------------------------------
    def order_by_number(self, platform_id: str, order_no: str) -> OrderRecord | None:
        r = self.conn.execute("SELECT * FROM orders WHERE platform_id = ? AND order_no = ?",
                              (platform_id, order_no)).fetchone()
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
            return cur.rowcount == 1

    def prints_of(self, record_key: str) -> list[dict]:
        """Every print recorded for one record (newest first)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM printed_documents WHERE record_key = ? ORDER BY printed_at DESC", (record_key,))]
