"""The data each printed document needs (shared/domain/forms.md), one model per
document. Values are raw: whole ID numbers and accounts; the layout masks them
according to the document's audience. Money is integer fen, dates are
``datetime.date``, times are timezone-aware datetimes.

No reportlab here: ``forms/`` turns these views into PDFs; the store builds them.
The package holds the shared pieces (parts.py), the 14 document views
(views.py), the catalogue and verification codes (catalogue.py) and sample
data (samples.py); every name is importable from ``claims.docviews``.
"""
from __future__ import annotations

from .catalogue import (DOCUMENTS, MASKED_AUDIENCES, normalize_code, sample_view,
                        verification_code)
from .parts import (AUDIENCES, BenefitItemView, ClaimantInfo, CoverageView, DependantView, DocumentItem, FeeLineView,
                    MissingItem, NextStep, OfficeInfo, ParameterUseView, PayeeInfo, PaymentItemView, PlatformInfo,
                    ReconciliationRow, WorkerInfo)
from .procedure import (AcceptanceNoticeView, AdvanceRow, AdvanceStatementView, PensionPayment, PensionRow,
                        PensionScheduleView, SuspensionNoticeView, WithdrawalConfirmationView)
from .views import (AppraisalApplicationView, BenefitApplicationView, BenefitNoticeView, CaseIndexView,
                    ConfirmationApplicationView, ConfirmationDecisionView, DocumentReceiptView,
                    EnrollmentCertificateView, FeeDeclarationView, MissingDocumentsNoticeView, PaymentVoucherView,
                    ReconciliationStatementView, RefusalDecisionView, ReportReceiptView)

__all__ = [
    "AUDIENCES", "DOCUMENTS", "MASKED_AUDIENCES", "normalize_code", "sample_view",
    "verification_code",
    "BenefitItemView", "ClaimantInfo", "CoverageView", "DependantView", "DocumentItem", "FeeLineView", "MissingItem", "NextStep",
    "OfficeInfo", "ParameterUseView", "PayeeInfo", "PaymentItemView", "PlatformInfo", "ReconciliationRow",
    "WorkerInfo",
    "AppraisalApplicationView", "BenefitApplicationView", "BenefitNoticeView", "CaseIndexView",
    "ConfirmationApplicationView", "ConfirmationDecisionView", "DocumentReceiptView", "EnrollmentCertificateView",
    "FeeDeclarationView", "MissingDocumentsNoticeView", "PaymentVoucherView", "ReconciliationStatementView",
    "RefusalDecisionView", "ReportReceiptView",
    "AcceptanceNoticeView", "AdvanceRow", "AdvanceStatementView", "PensionPayment", "PensionRow", "PensionScheduleView",
    "SuspensionNoticeView", "WithdrawalConfirmationView",
]
