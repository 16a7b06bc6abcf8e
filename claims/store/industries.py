"""The pilot's industries as data (claims/industries.py): the table seeded
from the shipped list, read into the registry whenever a file is opened, and
an administrator's new industry — code, Chinese name, the per-order amount in
force from a date, and its document checklist — in one audited transaction."""
from __future__ import annotations

import json
import re

from .. import industries as I
from ..change import Change
from ..errors import ClaimsError, FieldError
from ..i18n import _
from ..permissions import require
from ..timeutil import parse_date
from .base import Actor, StoreBase

CODE_RE = re.compile(r"[a-z][a-z0-9_]{2,31}")
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f<>]")


class IndustriesMixin(StoreBase):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.load_industries()

    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if self._has_table("industries") and self.conn.execute("SELECT 1 FROM industries LIMIT 1").fetchone() is None:
            system = Actor("system:init")
            with self.atomic():
                for i, r in enumerate(I.shipped_rows()):
                    self._insert("industries", {
                        "code": r["code"], "name": r["name"], "since": r.get("since") or "2022-07-01",
                        "merged_into": r.get("merged_into") or "", "merged_on": r.get("merged_on") or "",
                        "documents": json.dumps(r.get("documents") or [], ensure_ascii=False), "seq": i,
                        "status": r.get("status") or "confirmed", "source": r.get("source") or ""}, system)

    def load_industries(self) -> None:
        """Make this file's industries the registry (claims.industries)."""
        if self.schema_version and self._has_table("industries"):
            I.use(self.industry_defs())

    def _has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def industry_defs(self) -> list[I.IndustryDef]:
        return [I._def({**dict(r), "documents": json.loads(r["documents"] or "[]")}) for r in self.conn.execute(
            "SELECT code, name, since, merged_into, merged_on, documents, status, source FROM industries"
            " ORDER BY seq, created_at")]

    def add_industry(self, actor: Actor, *, code: str, name: str, per_order: str, amount_from: str,
                     documents: list[dict] | None = None, source: str, status: str = "unconfirmed",
                     region: str = "000000") -> tuple[I.IndustryDef, Change]:
        """A new industry (administrators; audited): its code and Chinese name,
        the per-order amount in force from ``amount_from`` (nationally, or for
        ``region``), and the documents its cases need beyond the common list
        (each ``{"name": …, "reason": …}``). Screens, imports, declarations,
        statistics and documents pick it up at once."""
        from .fees import parse_per_order
        require(actor, "industry.write")
        code = (code or "").strip()
        if not CODE_RE.fullmatch(code):
            raise FieldError(_("行业代码"), _("应为 3–32 位小写英文字母、数字或下划线，以字母开头（如 housekeeping）"))
        name = " ".join((name or "").split())
        if not name or len(name) > 20 or _BAD_TEXT.search(name):
            raise FieldError(_("行业名称"), _("应为 1–20 个字的中文名称"))
        for col, val, label in (("code", code, _("行业代码")), ("name", name, _("行业名称"))):
            if self.conn.execute(f"SELECT 1 FROM industries WHERE {col} = ?", (val,)).fetchone():
                raise FieldError(label, _("“{v}”已经存在").format(v=val))
        units = parse_per_order(per_order)
        start = parse_date(str(amount_from), field=_("金额起始日期")).isoformat()
        if not (source or "").strip():
            raise FieldError(_("来源"), _("请注明依据（文件号，或“管理员录入，待核实”）"))
        docs = []
        for i, d in enumerate(documents or [], 1):
            dname = " ".join(str(d.get("name") or "").split())
            if not dname:
                continue
            if len(dname) > 60 or _BAD_TEXT.search(dname):
                raise FieldError(_("材料清单"), _("第 {n} 项材料名称过长或含有不允许的字符").format(n=i))
            docs.append({"code": f"{code}_doc{len(docs) + 1}", "name": dname,
                         "reason": " ".join(str(d.get("reason") or "").split()) or _("该行业案件需要的材料"),
                         "status": status})
        seq = self.conn.execute("SELECT coalesce(max(seq), -1) + 1 FROM industries").fetchone()[0]
        with self.atomic():
            row = self._insert("industries", {
                "code": code, "name": name, "since": start, "merged_into": "", "merged_on": "",
                "documents": json.dumps(docs, ensure_ascii=False), "seq": seq, "status": status,
                "source": source.strip()}, actor)
            self.load_industries()
            try:
                self._insert("fee_rates", self._rate_values(dict(
                    industry=code, region=region, valid_from=start, valid_to=None, amount_units=units,
                    status=status, source=source)), actor)
            except ClaimsError:
                I.use([d for d in self.industry_defs() if d.code != code])
                raise
        self.load_industries()
        d = I.definition(code)
        return d, self.change("industries", "fee_rates", ids=[row["id"]],
                              summary=_("已新增行业“{n}”（每单 {a} 元，自 {d} 起）").format(
                                  n=name, a=f"{units / 10000:.4f}".rstrip("0").rstrip("."), d=start))
