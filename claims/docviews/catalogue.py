"""The catalogue of printed documents (code -> title, view model, audience),
the audiences whose printouts are masked, and the verification code: the
first 50 bits of a document's digest (forms.render.content_digest: what it
prints) in Crockford base32 as printed, and how a typed code is normalized. Also
``sample_view``, the filled example of each document."""
from __future__ import annotations

from pydantic import BaseModel

from .procedure import (AcceptanceNoticeView, AdvanceStatementView, PensionScheduleView, SuspensionNoticeView,
                        WithdrawalConfirmationView)
from .samples import _SAMPLES
from .views import (AppraisalApplicationView, BenefitApplicationView, BenefitNoticeView, CaseIndexView,
                    ConfirmationApplicationView, ConfirmationDecisionView, DocumentReceiptView,
                    EnrollmentCertificateView, FeeDeclarationView, MissingDocumentsNoticeView, PaymentVoucherView,
                    ReconciliationStatementView, RefusalDecisionView, ReportReceiptView)

DOCUMENTS: dict[str, tuple[str, type[BaseModel], str]] = {
    "report_receipt": ("职业伤害报案回执", ReportReceiptView, "worker"),
    "confirmation_application": ("职业伤害确认申请表", ConfirmationApplicationView, "authority"),
    "document_receipt": ("材料接收凭证", DocumentReceiptView, "worker"),
    "missing_documents_notice": ("补正材料一次性告知书", MissingDocumentsNoticeView, "worker"),
    "confirmation_decision": ("职业伤害确认结论书", ConfirmationDecisionView, "worker"),
    "refusal_decision": ("不予确认职业伤害结论书", RefusalDecisionView, "worker"),
    "appraisal_application": ("劳动能力鉴定申请表", AppraisalApplicationView, "authority"),
    "benefit_application": ("职业伤害保障待遇申请表", BenefitApplicationView, "authority"),
    "benefit_notice": ("职业伤害保障待遇核定通知书", BenefitNoticeView, "worker"),
    "payment_voucher": ("待遇支付凭证", PaymentVoucherView, "worker"),
    "fee_declaration": ("职业伤害保障费缴费申报表", FeeDeclarationView, "authority"),
    "reconciliation_statement": ("缴费对账单", ReconciliationStatementView, "third_party"),
    "enrollment_certificate": ("参保证明", EnrollmentCertificateView, "worker"),
    "case_index": ("案卷目录", CaseIndexView, "archive"),
    "acceptance_notice": ("职业伤害确认受理通知书", AcceptanceNoticeView, "worker"),
    "suspension_notice": ("中止（确认）通知书", SuspensionNoticeView, "worker"),
    "withdrawal_confirmation": ("撤回申请确认书", WithdrawalConfirmationView, "worker"),
    "advance_statement": ("职业伤害保障待遇垫付情况说明", AdvanceStatementView, "authority"),
    "pension_schedule": ("供养亲属抚恤金支付明细", PensionScheduleView, "worker"),
}

MASKED_AUDIENCES = frozenset({"worker", "third_party"})


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def verification_code(digest: str) -> str:
    """First 50 bits of the digest in Crockford base32: ``XXXX-XXXX-XX``."""
    bits = int(digest[:13], 16) >> 2  # 52 bits -> 50
    chars = "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in range(9, -1, -1))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalize_code(text: str) -> str:
    """What a person typed (lower case, O for 0, I/L for 1, no dashes) to ``XXXX-XXXX-XX``."""
    t = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    t = t.translate(str.maketrans("OIL", "011"))
    return f"{t[:4]}-{t[4:8]}-{t[8:]}" if len(t) == 10 else t


def sample_view(doc_code: str) -> BaseModel:
    """Realistic, fully filled sample data (tests, benchmarks, previews)."""
    if doc_code not in DOCUMENTS:
        raise KeyError(doc_code)
    return _SAMPLES[doc_code]()
