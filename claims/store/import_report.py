"""What the three bulk imports (orders, daily counts, workers) share besides
their transaction (``StoreBase.import_transaction``): the report of an
import — rows new, updated, unchanged and rejected, with a capped list of
per-row outcomes — the error a cancelled import raises, and the entry each
import (dry runs included) leaves in ``import_runs``."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ClaimsError
from ..i18n import _
from .base import Actor, StoreBase


class Cancelled(ClaimsError):
    def __init__(self):
        super().__init__(_("已取消，数据库未作任何更改"))


@dataclass
class ImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, "第 N 行：字段：原因")
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, status, detail); capped
    conflicts: list[str] = field(default_factory=list)  # imported vs derived daily counts, which one won
    dry_run: bool = False

    ROW_CAP = 5000

    def note(self, line: int, status: str, detail: str = "") -> None:
        if len(self.rows) < self.ROW_CAP:
            self.rows.append((line, status, detail))

    def reject(self, line: int, message: str) -> None:
        self.rejected.append((line, message))
        self.note(line, "rejected", message)

    def summary(self) -> str:
        head = _("（试运行，未写入）") if self.dry_run else ""
        text = _("{h}共 {t} 行：新增 {n}，更新 {u}，未变 {c}，拒绝 {r}").format(
            h=head, t=self.total, n=self.new, u=self.updated, c=self.unchanged, r=len(self.rejected))
        if self.conflicts:
            text += _("，日单量冲突 {k}").format(k=len(self.conflicts))
        return text


class ImportLogMixin(StoreBase):
    def _log_import(self, actor: Actor, kind: str, file_name: str, report: ImportReport) -> None:
        self._insert("import_runs", {"kind": kind, "file_name": file_name, "dry_run": int(report.dry_run),
                                     "total": report.total, "new": report.new, "updated": report.updated,
                                     "unchanged": report.unchanged, "rejected": len(report.rejected),
                                     "actor": actor.username}, actor, action="import")
