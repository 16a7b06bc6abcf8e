"""The builders of the documents keyed by another record: the fee
declaration and the reconciliation statement (declaration number), and the
enrollment certificate (ID number); the payment voucher is in benefit_docs.py.
Each takes the store, the record key, the office details and the "as of" day."""
from __future__ import annotations

from datetime import date

from .. import docviews as V
from ..enums import Industry
from ..errors import ClaimsError, NotFound
from ..i18n import _
from .common import _office, _worker_info, platform_label, region_name


# --- other records ------------------------------------------------------------------------

def _rule_set_of_month(month: str) -> str:
    return "pilot-2025" if month >= "2025-07" else "pilot-2022"


def _measure_of_month(month: str) -> str:
    from .benefit_docs import measure_of
    measure, docs = measure_of(_rule_set_of_month(month))
    return measure + (f"（{docs}）" if docs else "")


def _fee_declaration(store, key: str, office: dict, as_of: date) -> V.FeeDeclarationView:
    d = store.declaration_by_number(key)
    if d.declared_on is None:
        raise ClaimsError(_("缴费申报 {n} 仍为草稿（尚未提交），不能打印申报表").format(n=d.number))
    if not d.lines:
        raise ClaimsError(_("缴费申报 {n} 没有申报明细").format(n=d.number))
    p = store.platform(d.platform_id)
    lines = [V.FeeLineView(industry=ln.industry, orders=ln.orders_declared, per_order_units=ln.rate_units or 0,
                           amount_fen=ln.amount_fen, confirmed=ln.rate_status == "confirmed") for ln in d.lines]
    return V.FeeDeclarationView(
        declaration_number=d.number, platform=V.PlatformInfo(name=platform_label(p), credit_code=p.credit_code),
        region_code=d.region, region_name=region_name(d.region), month=d.month, rule_set=_measure_of_month(d.month),
        lines=lines, total_fen=sum(ln.amount_fen for ln in lines),
        declarant=p.contact_name or store.person_name(d.declarant),
        declarant_phone=p.contact_phone, declared_on=d.declared_on)


def _reconciliation_statement(store, key: str, office: dict, as_of: date) -> V.ReconciliationStatementView:
    d = store.declaration_by_number(key)
    if d.declared_on is None:
        raise ClaimsError(_("缴费申报 {n} 仍为草稿（尚未提交），还没有可对账的数据").format(n=d.number))
    p = store.platform(d.platform_id)
    rows, last = [], d.declared_on
    for dec in store.declarations_up_to(d.platform_id, d.region, d.month):
        if dec.declared_on is None:
            continue
        recorded = {ln.industry: ln.orders_recorded for ln in store.compute_lines(dec.platform_id, dec.region, dec.month)}
        declared = {ln.industry: ln for ln in dec.lines}
        paid_left = dec.amount_paid_fen
        inds = sorted(set(declared) | set(recorded), key=lambda i: list(Industry).index(i))
        for n, ind in enumerate(inds):
            ln = declared.get(ind)
            due = ln.amount_fen if ln else 0
            paid = paid_left if n == len(inds) - 1 else min(paid_left, due)
            paid_left -= paid
            rows.append(V.ReconciliationRow(month=dec.month, industry=ind, declared_orders=ln.orders_declared if ln else 0,
                                            imported_orders=recorded.get(ind, 0), due_fen=due, paid_fen=max(paid, 0)))
        last = max([last, dec.declared_on] + [fp.paid_on for fp in store.fee_payments_of(dec.id)])
    if not rows:
        raise ClaimsError(_("缴费申报 {n} 没有可对账的明细").format(n=d.number))
    return V.ReconciliationStatementView(
        statement_number="DZ" + d.number.removeprefix("SB"),
        platform=V.PlatformInfo(name=platform_label(p), credit_code=p.credit_code),
        region_code=d.region, region_name=region_name(d.region), period_from=rows[0].month, period_to=d.month,
        rows=rows, prepared_by="", prepared_on=as_of, insurer=office["office.insurer"] or office["office.name"])


def _enrollment_certificate(store, key: str, office: dict, as_of: date) -> V.EnrollmentCertificateView:
    w = store.worker_by_id_number(key)
    if w is None:
        raise NotFound(_("找不到身份证号码为 {k} 的人员").format(k=key))
    covers = []
    plats = {}
    for e in store.enrollments_of(w.id):
        if e.platform_id not in plats:
            plats[e.platform_id] = platform_label(store.platform(e.platform_id))
        end = min(e.end_on or as_of, as_of)
        days = store.order_day_count(w.id, e.platform_id, e.industry.value, e.start_on, end) if end >= e.start_on else 0
        covers.append(V.CoverageView(platform=plats[e.platform_id], industry=e.industry, start=e.start_on,
                                     end=e.end_on, days_covered=days))
    if not covers:
        raise ClaimsError(_("{name}（{k}）没有参保登记，不能出具参保证明").format(name=w.name, k=key))
    return V.EnrollmentCertificateView(
        certificate_number=f"CB{as_of:%Y%m%d}-{w.id[:6].upper()}", worker=_worker_info(w), coverages=covers,
        purpose="", issued_on=as_of, office=_office(office))
