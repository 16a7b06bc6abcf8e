"""Names for the audit viewer: the natural identifier of any record an audit entry
is about (a case number, a person's name, a payment number), so entries read as
sentences (claims/audit_text.py) and never show internal ids."""
from __future__ import annotations

from ..validators import mask_id
from .base import StoreBase

# table -> SQL giving its natural identifier from the row's id
_LABELS = {
    "workers": "SELECT name || '（' || id_number || '）' FROM workers WHERE id = ?",
    "cases": "SELECT number FROM cases WHERE id = ?",
    "assessments": "SELECT number FROM assessments WHERE id = ?",
    "benefit_payments": "SELECT number FROM benefit_payments WHERE id = ?",
    "declarations": "SELECT number FROM declarations WHERE id = ?",
    "platforms": "SELECT name FROM platforms WHERE id = ?",
    "stations": "SELECT name FROM stations WHERE id = ?",
    "users": "SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = ? OR username = ?",
    "decisions": "SELECT number FROM decisions WHERE id = ?",
    "missing_notices": "SELECT number FROM missing_notices WHERE id = ?",
    "enrollments": "SELECT w.name || ' · ' || p.name FROM enrollments e JOIN workers w ON w.id = e.worker_id"
                   " JOIN platforms p ON p.id = e.platform_id WHERE e.id = ?",
    "other_cover": "SELECT w.name || ' · ' || o.name FROM other_cover o JOIN workers w ON w.id = o.worker_id WHERE o.id = ?",
    "issued_documents": "SELECT coalesce(nullif(number, ''), record_key) FROM issued_documents WHERE id = ?",
}
# the database's own settings (table "meta"): what each key is, in words
_META = {"site.id": "本站点编号", "site.public_key": "本站点公钥", "site.fingerprint": "本站点密钥指纹",
         "database.id": "数据库编号"}
_COUNTERS = {"case": "案件编号", "decision": "结论书编号", "assessment": "核定编号", "payment": "支付编号",
             "declaration": "申报编号", "notice": "告知书编号"}
_ON_CASE = ("case_events", "case_documents", "appraisals", "dependants", "advances")


class AuditViewMixin(StoreBase):
    def record_label(self, table: str, record_id: str) -> str:
        """'BA2025-…', '张伟（110***********0029）', '美团' …; '' when the record is gone."""
        if not record_id:
            return ""
        if table == "users":
            r = self.conn.execute(_LABELS["users"], (record_id, record_id)).fetchone()
            return r[0] if r else record_id if ":" not in record_id else ""
        if table in _LABELS:
            r = self.conn.execute(_LABELS[table], (record_id,)).fetchone()
            if not r:
                return ""
            if table == "workers":
                name, _sep, idn = r[0].rpartition("（")
                return f"{name}（{mask_id(idn.rstrip('）'))}）"
            return r[0]
        if table in _ON_CASE:
            r = self.conn.execute(f"SELECT c.number FROM {table} x JOIN cases c ON c.id = x.case_id WHERE x.id = ?",
                                  (record_id,)).fetchone()
            return r[0] if r else ""
        if table == "exports":
            return record_id  # what was exported, in words
        if table == "parameters":
            from ..parameters import PARAMETER_LABELS
            r = self.conn.execute("SELECT name, valid_from FROM parameters WHERE id = ?", (record_id,)).fetchone()
            return f"{PARAMETER_LABELS.get(r[0], '参数')}（{r[1]} 起）" if r else ""
        if table == "meta":
            from ..office import OFFICE_FIELDS
            labels = {**_META, **{f.key: f.label for f in OFFICE_FIELDS}}
            return labels.get(record_id, "")
        if table == "counters":  # "case:2026" — the number series of a kind and year
            kind, _sep, year = record_id.partition(":")
            return f"{_COUNTERS.get(kind, '编号')}（{year} 年）" if year.isdigit() else _COUNTERS.get(kind, "编号")
        if table == "printed_documents":
            return record_id  # the verification code printed on the document
        return ""
