"""运行分析月报: the A4 monthly report for the handling office.

    pdf, pages = render_monthly_report(report)   # report: claims.stats.MonthlyReport

Takes the plain data model the store fills (no database, no Qt here) and lays
it out with the shared engine: a title block, one shaded band per section with
its key figures in a grid and its tables, and a page frame with the office,
the report number, print time, page numbers and — like every document — a
verification code of what it prints (with its QR code). Internal codes are not
printed, each note is printed once, a header is broken at its space rather than
inside a word, and a payout ratio over a tiny denominator is "—" with the reason.
"""
from __future__ import annotations

import hashlib
import json

from reportlab.lib.units import mm

from claims.docviews import verification_code
from claims.stats import Col, MonthlyReport, Table, fmt, month_label
from claims.stats.views import MIN_FEES_FEN
from claims.timeutil import SHANGHAI
from forms import engine
from forms.text import width as text_width

REVISION = "2026-2"
TITLE = "职业伤害保障运行分析月报"


HIDDEN_COLUMNS = ("代码", "情形代码")  # internal codes are for the screen's export, not for paper
TINY = "“—”：期内已收缴费不足 10 万元，支缴率无统计意义，不予列示。"


def _printable(t: Table) -> Table:
    """The table as printed: no code columns; a ratio over a tiny denominator as None ("—")."""
    keep = [i for i, c in enumerate(t.columns) if c.title not in HIDDEN_COLUMNS and not c.title.endswith("代码")]
    cols = [t.columns[i] for i in keep]
    rows = [[r[i] for i in keep] for r in t.rows]
    total = [t.total[i] for i in keep] if t.total else None
    note = t.note
    titles = [c.title for c in cols]
    if any("支缴率" in x for x in titles) and "已收缴费" in titles:
        pct, den = next(i for i, x in enumerate(titles) if "支缴率" in x), titles.index("已收缴费")
        hit = False
        for r in rows + ([total] if total else []):
            if isinstance(r[den], (int, float)) and r[den] < MIN_FEES_FEN and r[pct] is not None:
                r[pct], hit = None, True
        if hit:
            note = (note + " " if note else "") + TINY
    return Table(key=t.key, title=t.title, columns=[Col(title=c.title, kind=c.kind) for c in cols], rows=rows,
                 total=total, note=note)


def _widths(t: Table) -> list[float]:
    raw = [2.2 if c.kind == "text" else 1.4 for c in t.columns]
    if t.columns and t.columns[0].kind == "text":
        raw[0] = 1.6
    total = sum(raw)
    return [w / total for w in raw]


def _align(t: Table) -> str:
    return "".join("L" if c.kind == "text" else "R" for c in t.columns)


def header(title: str, width: float) -> str:
    """A column title that does not fit its column breaks at its space or before its
    bracket (应缴\n（实际）), never inside a word."""
    if text_width(title, 9.5) <= width - 9:
        return title
    if " " in title:
        return title.replace(" ", "\n")
    if "（" in title and not title.startswith("（"):
        return title.replace("（", "\n（", 1)
    return title


def table_block(t: Table, seen: set[str] | None = None) -> list:
    """A captioned data table; money, counts and ratios right-aligned; its note once."""
    t = _printable(t)
    widths = _widths(t)
    headers = [header(c.title, w * engine.WIDTH) for c, w in zip(t.columns, widths)]
    rows = t.text_rows()
    total = [fmt(c.kind, v) for c, v in zip(t.columns, t.total)] if t.total else None
    out = [engine.paragraph(t.title, "label"), engine.spacer(1),
           engine.table(headers, rows or [["—"] + [""] * (len(headers) - 1)], widths, _align(t), total)]
    if t.note and (seen is None or t.note not in seen):
        out += [engine.spacer(1), engine.paragraph(t.note, "note")]
        if seen is not None:
            seen.add(t.note)
    out.append(engine.spacer(3))
    return out


def layout(report: MonthlyReport) -> list:
    sub = f"{month_label(report.month)}　{report.office}　{report.scope}"
    flow = engine.title_block(TITLE, report.number, sub)
    seen: set[str] = set()  # a note is printed once, where it first applies
    for s in report.sections:
        flow.append(engine.section(s.title))
        if s.facts:
            flow += [engine.grid(list(s.facts), cols=4, label_w=38 * mm), engine.spacer(3)]
        for t in s.tables:
            flow += table_block(t, seen)
        if s.note and s.note not in seen:
            seen.add(s.note)
            flow += [engine.paragraph(s.note, "note"), engine.spacer(2)]
    for n in report.notes:
        if n not in seen:
            seen.add(n)
            flow.append(engine.paragraph(n, "note"))
    return flow


def render_coded(report: MonthlyReport, printed_by: str = "") -> tuple[bytes, int, str, str]:
    """(PDF bytes, pages, verification code, digest) of the monthly report; the
    digest covers what it prints, as for every document."""
    report = MonthlyReport.model_validate(report.model_dump())
    at = report.generated_at
    at = at.replace(tzinfo=SHANGHAI) if at.tzinfo is None else at.astimezone(SHANGHAI)
    flow = layout(report)
    payload = {"doc": "monthly_report", "key": report.number, "text": engine.printed_texts(flow)}
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
    code = verification_code(digest)
    who = printed_by or report.generated_by
    frame = engine.Frame(title=TITLE, number=report.number, printed_at=f"{at:%Y-%m-%d %H:%M}",
                         printed_by=who if ":" not in who else "　", code=code,
                         qr=f"{TITLE} {report.number} 核验码 {code}")
    pdf, pages = engine.build_pdf(flow, frame, subject=f"{TITLE} {report.month} 修订版 {REVISION}")
    return pdf, pages, code, digest


def render_monthly_report(report: MonthlyReport) -> tuple[bytes, int]:
    """PDF bytes and page count of the monthly report."""
    pdf, pages, _code, _digest = render_coded(report)
    return pdf, pages
