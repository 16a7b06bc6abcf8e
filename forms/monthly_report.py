"""运行分析月报: the A4 monthly report for the handling office.

    pdf, pages = render_monthly_report(report)   # report: claims.stats.MonthlyReport

Takes the plain data model the store fills (no database, no Qt here) and lays
it out with the shared engine: a title block, one shaded band per section with
its key figures in a grid and its tables, and a page frame with the office,
the report number, print time and page numbers. A statistics report is not a
record, so it carries no verification code.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm

from claims.i18n import _
from claims.stats import MonthlyReport, Table, fmt, month_label
from claims.timeutil import SHANGHAI
from forms import engine
from forms.fonts import FONT

REVISION = "2026-1"
TITLE = "职业伤害保障运行分析月报"


class ReportFrame(engine.Frame):
    """Header with title and number; footer with print time, who, page x of y."""

    def draw(self, c, page: int, total: int) -> None:
        c.saveState()
        c.setFont(FONT, 8.5)
        c.setFillColor(engine.FAINT)
        top = engine.PAGE_H - 14 * mm
        c.drawString(engine.MARGIN_X, top, self.title)
        c.drawRightString(engine.PAGE_W - engine.MARGIN_X, top, self.number)
        c.setStrokeColor(engine.GRID)
        c.setLineWidth(0.4)
        c.line(engine.MARGIN_X, top - 2.5 * mm, engine.PAGE_W - engine.MARGIN_X, top - 2.5 * mm)
        y = engine.MARGIN_BOTTOM - 5 * mm
        c.line(engine.MARGIN_X, y, engine.PAGE_W - engine.MARGIN_X, y)
        c.setFillColor(colors.black)
        c.drawString(engine.MARGIN_X, y - 5 * mm, f"打印时间：{self.printed_at}　　打印人：{self.printed_by}")
        c.drawString(engine.MARGIN_X, y - 9.5 * mm, self.code)
        c.setFont(FONT, 9.5)
        c.drawCentredString(engine.PAGE_W / 2, y - 15 * mm, f"第 {page} 页 共 {total} 页")
        c.restoreState()


def _widths(t: Table) -> list[float]:
    raw = [2.2 if c.kind == "text" else 1.4 for c in t.columns]
    if t.columns and t.columns[0].kind == "text":
        raw[0] = 1.6
    total = sum(raw)
    return [w / total for w in raw]


def _align(t: Table) -> str:
    return "".join("L" if c.kind == "text" else "R" for c in t.columns)


def table_block(t: Table) -> list:
    """A captioned data table; money, counts and ratios right-aligned."""
    headers = [c.title for c in t.columns]
    rows = t.text_rows()
    total = [fmt(c.kind, v) for c, v in zip(t.columns, t.total)] if t.total else None
    out = [engine.paragraph(t.title, "label"), engine.spacer(1),
           engine.table(headers, rows or [["—"] + [""] * (len(headers) - 1)], _widths(t), _align(t), total)]
    if t.note:
        out += [engine.spacer(1), engine.paragraph(t.note, "note")]
    out.append(engine.spacer(3))
    return out


def layout(report: MonthlyReport) -> list:
    sub = f"{month_label(report.month)}　{report.office}　{report.scope}"
    flow = engine.title_block(TITLE, report.number, sub)
    for s in report.sections:
        flow.append(engine.section(s.title))
        if s.facts:
            flow += [engine.grid(list(s.facts), cols=4, label_w=38 * mm), engine.spacer(3)]
        for t in s.tables:
            flow += table_block(t)
        if s.note:
            flow += [engine.paragraph(s.note, "note"), engine.spacer(2)]
    for n in report.notes:
        flow.append(engine.paragraph(n, "note"))
    return flow


def render_monthly_report(report: MonthlyReport) -> tuple[bytes, int]:
    """PDF bytes and page count of the monthly report."""
    report = MonthlyReport.model_validate(report.model_dump())
    at = report.generated_at
    at = at.replace(tzinfo=SHANGHAI) if at.tzinfo is None else at.astimezone(SHANGHAI)
    frame = ReportFrame(title=TITLE, number=report.number, printed_at=f"{at:%Y-%m-%d %H:%M}",
                        printed_by=report.generated_by,
                        code=_("统计口径：按本程序“统计”页各表说明；数据截至打印时间。"))
    return engine.build_pdf(layout(report), frame, subject=f"{TITLE} {report.month} 修订版 {REVISION}")
