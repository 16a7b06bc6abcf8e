"""The store: one facade over the SQLite file, the only place with SQL."""
from __future__ import annotations

from .advances import AdvancesMixin
from .assess import AssessMixin
from .audit_view import AuditViewMixin
from .base import Actor
from .cases import CaseFilter, CaseMixin
from .coverage import CoverageMixin
from .death import DeathMixin
from .decisions import DecisionMixin
from .document_fields import DocumentFieldsMixin
from .encryption import EncryptionMixin
from .enrollment import EnrollmentMixin
from .enrollment_extra import EnrollmentExtraMixin
from .exchange.receive import ReceiveMixin
from .exchange.sites import ExchangeMixin
from .fees import FeesMixin
from .issues import IssuesMixin
from .home_queries import HomeQueriesMixin
from .import_report import Cancelled, ImportReport
from .industries import IndustriesMixin
from .orders import OrdersMixin
from .params import ParamsMixin
from .payments import PaymentsMixin
from .printing_queries import PrintingQueriesMixin
from .reconcile_queries import ReconcileQueriesMixin
from .report_import import ReportImportMixin
from .rules_data import RulesDataMixin
from .schedule import ScheduleMixin
from .stats import StatsMixin
from .undo import UndoMixin
from .users import UsersMixin
from .whatif import WhatifMixin
from .worker_import import WorkerImportMixin
from .worker_search import WorkerFilter, WorkerSearchMixin


class Store(ReceiveMixin, ExchangeMixin, IndustriesMixin, WhatifMixin, IssuesMixin, DocumentFieldsMixin, UndoMixin,
            StatsMixin, HomeQueriesMixin, ReportImportMixin, ScheduleMixin, AssessMixin, AdvancesMixin, DeathMixin,
            PaymentsMixin, DecisionMixin, CaseMixin, RulesDataMixin, FeesMixin, ReconcileQueriesMixin, OrdersMixin,
            CoverageMixin, WorkerImportMixin, EnrollmentExtraMixin, WorkerSearchMixin, EnrollmentMixin, ParamsMixin,
            UsersMixin, EncryptionMixin, PrintingQueriesMixin, AuditViewMixin):
    """Typed methods in, pydantic models and change records out."""

    def import_problems(self, since: str, limit: int = 5) -> list[tuple[str, str, str, int, int]]:
        """Recent imports (not dry runs) that rejected rows: (when, kind, file, rejected, total)."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT created_at, kind, file_name, rejected, total FROM import_runs WHERE dry_run = 0 AND rejected > 0"
            " AND created_at >= ? ORDER BY created_at DESC LIMIT ?", (since, limit))]

    def counts(self) -> dict[str, int]:
        """Record counts shown in the status of each section (cheap on large files)."""
        q = lambda t: self.conn.execute(f"SELECT max(rowid) IS NOT NULL, count(*) FROM {t}").fetchone()[1]  # noqa: E731
        return {t: q(t) for t in ("workers", "cases", "declarations", "orders")}


__all__ = ["Actor", "Cancelled", "CaseFilter", "ImportReport", "Store", "WorkerFilter"]
