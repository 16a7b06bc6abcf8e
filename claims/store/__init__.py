"""The store: one facade over the SQLite file, the only place with SQL.

``Store`` is made of one mixin per subject (cases, decisions, payments, fees,
imports, the exchange …). Opening a file and filling the home screen need only a
few of them (the core below; the login needs the users); the others are loaded the first time one of their
methods is asked for (``Store.__getattr__``, or ``complete_store()`` when the GUI
is idle after start-up), which spares start-up importing two thirds of the
store's modules (bench/startup.py, issue 20). No name is defined by two of the
mixins (tests/claims/test_store_parts.py), so which of them are loaded never
changes what a call does; a migration loads them all before seeding shipped data."""
from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Actor, StoreBase
from .cases import CaseFilter, CaseMixin
from .home_queries import HomeQueriesMixin
from .industries import IndustriesMixin
from .params import ParamsMixin
from .printing_queries import PrintingQueriesMixin
from .rules_data import RulesDataMixin
from .users import UsersMixin
from .worker_search import WorkerFilter, WorkerSearchMixin

# the rest, (module, class), in the order of the complete class's bases
REST = (
    ("exchange.receive", "ReceiveMixin"), ("exchange.sites", "ExchangeMixin"), ("whatif", "WhatifMixin"),
    ("issues", "IssuesMixin"), ("document_fields", "DocumentFieldsMixin"), ("undo", "UndoMixin"),
    ("stats", "StatsMixin"), ("report_import", "ReportImportMixin"), ("schedule", "ScheduleMixin"),
    ("assess", "AssessMixin"), ("advances", "AdvancesMixin"), ("death", "DeathMixin"),
    ("payments", "PaymentsMixin"), ("decisions", "DecisionMixin"), ("fees", "FeesMixin"),
    ("reconcile_queries", "ReconcileQueriesMixin"), ("orders", "OrdersMixin"), ("coverage", "CoverageMixin"),
    ("worker_import", "WorkerImportMixin"), ("enrollment_extra", "EnrollmentExtraMixin"),
    ("enrollment", "EnrollmentMixin"), ("audit_view", "AuditViewMixin"),
)


class Store(HomeQueriesMixin, CaseMixin, RulesDataMixin, IndustriesMixin, WorkerSearchMixin, ParamsMixin,
            UsersMixin, PrintingQueriesMixin, StoreBase):
    """Typed methods in, pydantic models and change records out."""

    def __getattr__(self, name: str):
        # Python calls this only for a name the loaded mixins do not have: load the others, once
        if name.startswith("__") or type(self) is not Store:
            raise AttributeError(f"'Store' object has no attribute {name!r}")
        self.load_all_parts()
        return getattr(self, name)

    def load_all_parts(self) -> None:
        if type(self) is Store:
            self.__class__ = complete_store()

    def import_problems(self, since: str, limit: int = 5) -> list[tuple[str, str, str, int, int]]:
        """Recent imports (not dry runs) that rejected rows: (when, kind, file, rejected, total)."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT created_at, kind, file_name, rejected, total FROM import_runs WHERE dry_run = 0 AND rejected > 0"
            " AND created_at >= ? ORDER BY created_at DESC LIMIT ?", (since, limit))]

    def counts(self) -> dict[str, int]:
        """Record counts shown in the status of each section (cheap on large files)."""
        q = lambda t: self.conn.execute(f"SELECT max(rowid) IS NOT NULL, count(*) FROM {t}").fetchone()[1]  # noqa: E731
        return {t: q(t) for t in ("workers", "cases", "declarations", "orders")}


def __getattr__(name: str):
    if name in ("Cancelled", "ImportReport"):  # the imports' report: its module loads with the first import
        from . import import_report
        return getattr(import_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def complete_store() -> type[Store]:
    """The store with every mixin: what a ``Store`` becomes when a method outside the core is asked for."""
    rest = tuple(getattr(import_module(f"{__name__}.{module}"), cls) for module, cls in REST)
    return type("Store", (*rest, Store), {"__module__": __name__, "__qualname__": "Store", "__doc__": Store.__doc__})


__all__ = ["Actor", "Cancelled", "CaseFilter", "ImportReport", "Store", "WorkerFilter", "complete_store"]
