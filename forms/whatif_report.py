"""政策测算报告: a scenario's figures beside the actual ones, on A4.

    pdf, pages = render_whatif_report(report)   # report: claims.whatif.views.WhatifReport

The same engine and page frame as every document: the footer carries a
verification code of what it prints (``verify`` finds it). The body ends with
the run's digest (测算摘要码): the same scenario on the same data gives the
same code, so two printouts can be told apart or matched."""
from __future__ import annotations

import hashlib
import json

from reportlab.lib.units import mm

from claims.i18n import _
from claims.timeutil import SHANGHAI
from claims.stats import Table, fmt
from forms import engine
from forms.fonts import FONT
from claims.docviews import verification_code
from forms.monthly_report import header

REVISION = "2026-1"


def _widths(t: Table, headers: list[str], rows: list[list[str]]) -> list[float]:
    """Column widths in proportion to what they hold (figures never wrap), as fractions of the text width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    need = []
    for i, c in enumerate(t.columns):
        widest = max([stringWidth(r[i], FONT, 9.5) for r in rows] or [0])
        head = max(stringWidth(part, FONT, 9.5) for part in [headers[i][:4], headers[i][4:]] if part)
        need.append(max(widest, head, 18) + 8)
    total = sum(need)
    return [w / total for w in need]


def table_block(t: Table) -> list:
    """A captioned data table whose figures keep to one line; money, counts and ratios right-aligned."""
    headers = [c.title for c in t.columns]
    rows = t.text_rows()
    total = [fmt(c.kind, v) for c, v in zip(t.columns, t.total)] if t.total else None
    widths = _widths(t, headers, rows + ([total] if total else []))
    headers = [header(h, w * engine.WIDTH) for h, w in zip(headers, widths)]
    align = "".join("L" if c.kind == "text" else "R" for c in t.columns)
    out = [engine.paragraph(t.title, "label"), engine.spacer(1),
           engine.table(headers, rows or [["—"] + [""] * (len(headers) - 1)], widths, align, total)]
    if t.note:
        out += [engine.spacer(1), engine.paragraph(t.note, "note")]
    out.append(engine.spacer(3))
    return out


def layout(report) -> list:
    flow = engine.title_block(report.title, report.number,
                              f"{report.scenario}　{report.period}　{report.office}")
    for s in report.sections:
        flow.append(engine.section(s.title))
        if s.facts:
            flow += [engine.grid(list(s.facts), cols=4, label_w=30 * mm), engine.spacer(3)]
        for t in s.tables:
            flow += table_block(t)
        if s.note:
            flow += [engine.paragraph(s.note, "note"), engine.spacer(2)]
    for n in report.notes:
        flow.append(engine.paragraph(n, "note"))
    return flow


TITLE = "政策测算报告"


def render_coded(report, printed_by: str = "") -> tuple[bytes, int, str, str]:
    """(PDF bytes, pages, verification code, digest) of a what-if report; the digest
    covers what it prints, as for every document."""
    at = report.generated_at
    at = at.replace(tzinfo=SHANGHAI) if at.tzinfo is None else at.astimezone(SHANGHAI)
    flow = layout(report) + [engine.paragraph(_("测算摘要码：{c}").format(c=report.code), "note")]
    payload = {"doc": "whatif_report", "key": report.number, "text": engine.printed_texts(flow)}
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
    code = verification_code(digest)
    who = printed_by or report.generated_by
    frame = engine.Frame(title=report.title, number=report.number, printed_at=f"{at:%Y-%m-%d %H:%M}",
                         printed_by=who if ":" not in who else "　", code=code,
                         qr=f"{report.title} {report.number} 核验码 {code}")
    pdf, pages = engine.build_pdf(flow, frame, subject=f"{report.title} {report.scenario} 修订版 {REVISION}")
    return pdf, pages, code, digest


def render_whatif_report(report) -> tuple[bytes, int]:
    """PDF bytes and page count of a what-if report."""
    pdf, pages, _code, _digest = render_coded(report)
    return pdf, pages
