"""The shared rendering engine: page frame (header, footer with page numbers,
printed-at, verification code and QR), and the building blocks layouts are made
of — title block, field grid, free-text block, data table, signature and seal
boxes, notes. Layouts in ``forms/documents`` only describe content.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forms.fonts import FONT, check_glyphs, register

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 30 * mm
WIDTH = PAGE_W - 2 * MARGIN_X
LABEL_W = 31 * mm
GRID = colors.HexColor("#333333")
SHADE = colors.HexColor("#ececec")
FAINT = colors.HexColor("#666666")
PAD = 3


# --- styles and text --------------------------------------------------------------

@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")

    def s(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": s("body", firstLineIndent=21, spaceAfter=4),
        "emph": s("emph", fontSize=12, leading=18, firstLineIndent=24, spaceAfter=4),
        "plain": s("plain", leading=15, spaceAfter=2),
        "title": s("title", fontSize=19, leading=26, alignment=TA_CENTER, spaceAfter=2),
        "number": s("number", fontSize=10, leading=14, alignment=TA_RIGHT, textColor=FAINT),
        "addressee": s("addressee", fontSize=10.5, leading=14, alignment=TA_LEFT),
        "section": s("section", fontSize=11.5, leading=15),
        "label": s("label", fontSize=9.5, leading=12.5),
        "cell": s("cell", fontSize=9.5, leading=12.5),
        "cell_r": s("cell_r", fontSize=9.5, leading=12.5, alignment=TA_RIGHT),
        "cell_c": s("cell_c", fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "head": s("head", fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "free": s("free", fontSize=10.5, leading=17, borderWidth=0.6, borderColor=GRID,
                  borderPadding=(5, 6, 6, 6), leftIndent=6, rightIndent=6, spaceBefore=6, spaceAfter=10),
        "note": s("note", fontSize=9.5, leading=14),
        "box": s("box", fontSize=9.5, leading=14),
        "box_r": s("box_r", fontSize=9.5, leading=14, alignment=TA_RIGHT),
        "right": s("right", alignment=TA_RIGHT),
    }


_IDEO_SPACE = "\u00a0" * 4  # keeps its width: reportlab collapses U+3000 like any space


def markup(text) -> str:
    """Escape user text for a Paragraph; keep line breaks; refuse missing glyphs."""
    t = "" if text is None else str(text)
    check_glyphs(t)
    t = "\n".join(line.rstrip() for line in t.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    t = "".join(ch if not ch.isspace() or ch in "\n\u3000" else " " for ch in t).replace("\u3000", _IDEO_SPACE)
    return escape(t).replace("\n", "<br/>")


def P(text, style: str = "cell") -> Paragraph:
    return Paragraph(markup(text), styles()[style])


def rich(template: str, style: str = "body", **values) -> Paragraph:
    """A paragraph whose template holds markup (<u>, <font>) and ``{name}`` slots
    filled with escaped user values."""
    return Paragraph(template.format(**{k: markup(v) for k, v in values.items()}), styles()[style])


# --- blocks -----------------------------------------------------------------------

class Title(Flowable):
    """The document title, centred, drawn heavier (the typeface has no bold)."""

    def __init__(self, text: str, size: float = 19):
        super().__init__()
        check_glyphs(text)
        self.text, self.size = text, size

    def wrap(self, aw, ah):
        self._aw = aw
        return aw, self.size * 1.45

    def draw(self):
        c = self.canv
        c.saveState()
        c.setLineWidth(self.size / 28)
        t = c.beginText()
        t.setTextRenderMode(2)
        t.setFont(FONT, self.size)
        w = c.stringWidth(self.text, FONT, self.size)
        t.setTextOrigin((self._aw - w) / 2, self.size * 0.35)
        t.textOut(self.text)
        c.drawText(t)
        c.restoreState()


def title_block(title: str, number: str, subtitle: str = "") -> list:
    out = [Title(title)]
    if subtitle:
        out.append(P(subtitle, "cell_c"))
    out += [P(number, "number"), Spacer(1, 3 * mm)]
    return out


def section(text: str) -> Table:
    """A shaded heading band across the full width, kept with what follows."""
    t = Table([[P(text, "section")]], colWidths=[WIDTH], spaceBefore=7, spaceAfter=4,
              style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                ("LINEBEFORE", (0, 0), (0, 0), 3, GRID),
                                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    t.keepWithNext = 1
    return t


def paragraph(text: str, style: str = "body") -> Paragraph:
    return P(text, style)


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def _base_style(extra=()) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # else reportlab selects Helvetica per cell
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra,
    ])


def grid(fields, cols: int = 4, label_w: float = LABEL_W, width: float = WIDTH) -> Table:
    """Label/value pairs in a bordered grid. ``fields``: (label, value) or
    (label, value, "wide"); in a 4-column grid two pairs share a row and a wide
    pair takes a whole row. Values are shown as given (format them first)."""
    rows, spans, shade, pending = [], [], [], []

    def flush():
        nonlocal pending
        if pending:
            rows.append(pending + [P(""), P("")] * ((cols - len(pending)) // 2))
            pending = []

    for f in fields:
        label, value, wide = f[0], f[1], len(f) > 2 and f[2] == "wide"
        cells = [P(label, "label"), P(value)]
        shade.append(("BACKGROUND", (len(pending), len(rows)), (len(pending), len(rows)), SHADE))
        if cols == 2:
            rows.append(cells)
        elif wide:
            flush()
            r = len(rows)
            shade[-1] = ("BACKGROUND", (0, r), (0, r), SHADE)
            rows.append(cells + [P(""), P("")])
            spans.append(("SPAN", (1, r), (3, r)))
        else:
            pending += cells
            if len(pending) == cols:
                flush()
    flush()
    value_w = (width - label_w * cols / 2) / (cols / 2)
    widths = [label_w, value_w] * (cols // 2)
    return Table(rows, colWidths=widths, style=_base_style(spans + shade), hAlign="CENTER")


def photo_beside(fields, caption: str = "（粘贴近期一寸免冠照片）", photo_mm: float = 30,
                 cols: int = 4, label_w: float = 24 * mm) -> Table:
    """A field grid with a photo box on its right."""
    pw = photo_mm * mm
    inner = grid(fields, cols=cols, label_w=label_w, width=WIDTH - pw)
    nopad = [(k, (0, 0), (0, 0), 0) for k in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    return Table([[inner, P(caption, "cell_c")]], colWidths=[WIDTH - pw, pw],
                 style=_base_style(nopad + [("GRID", (0, 0), (0, 0), 0, colors.white),
                                            ("BOX", (1, 0), (1, 0), 0.6, GRID)]))


def free_text(label: str, text: str) -> list:
    """A labelled, boxed free-text account; it splits across pages as needed."""
    return [section(label), P(text, "free")]


def table(headers, rows, widths, align: str = "", total=None) -> Table:
    """A data table that splits across pages with its header repeated.
    ``widths`` are fractions of the text width; ``align`` one of L/R/C per column;
    ``total``: an optional last row (cells) shaded as a total line."""
    align = align or "L" * len(headers)
    st = {"L": "cell", "R": "cell_r", "C": "cell_c"}
    data = [[P(h, "head") for h in headers]]
    body = list(rows) + ([total] if total else [])
    data += [[P(v, st[align[i]]) for i, v in enumerate(r)] for r in body]
    extra = [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    if total:
        extra.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    return Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1,
                 style=_base_style(extra), hAlign="CENTER")


@dataclass
class Box:
    """A box where a person signs or an office stamps."""
    title: str
    lines: list[str] = field(default_factory=list)  # e.g. "经办人：", "负责人："
    seal: bool = False
    date: bool | str = True  # True: a blank date line; a string: the date printed
    foot: list[str] = field(default_factory=list)  # lines at the bottom, left


def boxes(items: list[Box], height_mm: float = 34, widths=None) -> KeepTogether:
    cells = []
    for b in items:
        content = ([P(b.title, "box")] if b.title else []) + [P(line, "box") for line in b.lines]
        used = 14 * (1 + len(b.lines))
        tail = [P(line, "box") for line in b.foot]
        if b.seal:
            tail.append(P("（盖章）", "box_r"))
        if b.date:
            tail.append(P(b.date if isinstance(b.date, str) else "年　　月　　日", "box_r"))
        gap = max(4, height_mm * mm - 2 * PAD - used - 14 * len(tail) - 4)
        cells.append(content + [Spacer(1, gap)] + tail)
    widths = widths or [1 / len(items)] * len(items)
    t = Table([cells], colWidths=[w * WIDTH for w in widths],
              style=_base_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 2 * mm), t])


def note(text: str, title: str = "", warn: bool = False) -> Table:
    """A boxed note; ``warn`` draws a heavy double frame that stands out in print."""
    content = ([P(title, "note")] if title else []) + [P(text, "note")]
    extra = []
    if warn:
        extra = [("BOX", (0, 0), (-1, -1), 2, colors.black),
                 ("INNERGRID", (0, 0), (-1, -1), 0, colors.white),
                 ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f4f4"))]
    t = Table([[content]], colWidths=[WIDTH], style=_base_style(extra))
    return t


def numbered(items: list[str], style: str = "plain") -> list[Paragraph]:
    return [P(f"{i}. {text}", style) for i, text in enumerate(items, 1)]


# --- page frame ---------------------------------------------------------------------

@dataclass
class Frame:
    """What every page shows besides the content."""
    title: str
    number: str
    printed_at: str  # "2026-11-30 14:05"
    printed_by: str
    code: str
    pages: int = 0

    def draw(self, c: Canvas, page: int, total: int) -> None:
        c.saveState()
        c.setFont(FONT, 8.5)
        c.setFillColor(FAINT)
        top = PAGE_H - 14 * mm
        c.drawString(MARGIN_X, top, self.title)
        c.drawRightString(PAGE_W - MARGIN_X, top, self.number)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.4)
        c.line(MARGIN_X, top - 2.5 * mm, PAGE_W - MARGIN_X, top - 2.5 * mm)
        y = MARGIN_BOTTOM - 5 * mm
        c.line(MARGIN_X, y, PAGE_W - MARGIN_X, y)
        c.setFillColor(colors.black)
        c.drawString(MARGIN_X, y - 5 * mm, f"打印时间：{self.printed_at}　　打印人：{self.printed_by}")
        c.drawString(MARGIN_X, y - 9.5 * mm, f"校验码：{self.code}　（凭校验码可在系统中核验本文书内容）")
        c.setFont(FONT, 9.5)
        c.drawCentredString(PAGE_W / 2, y - 15 * mm, f"第 {page} 页 共 {total} 页")
        qr_size = 14 * mm  # 21 modules of 0.67 mm; 4-module quiet zone kept clear
        _draw_qr(c, self.code, PAGE_W - MARGIN_X - qr_size, y - 3.5 * mm - qr_size, qr_size)
        c.restoreState()


@functools.lru_cache(maxsize=256)
def _qr_path(text: str) -> tuple[int, str]:
    """(modules per side, PDF path operators in module units, filled)."""
    import qrcode

    q = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    q.add_data(text)
    q.make(fit=True)
    m = q.get_matrix()
    n, ops = len(m), []
    for row, cells in enumerate(m):
        x = 0
        while x < n:
            if cells[x]:
                start = x
                while x < n and cells[x]:
                    x += 1
                ops.append(f"{start} {n - 1 - row} {x - start} 1 re")
            else:
                x += 1
    return n, "\n".join(ops) + "\nf"


def _draw_qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    n, path = _qr_path(text)
    c.saveState()
    c.setFillColor(colors.black)
    c.translate(x, y)
    c.scale(size / n, size / n)
    c.addLiteral(path)
    c.restoreState()


def _canvas_class(frame: Frame):
    class FramedCanvas(Canvas):
        """Holds pages back until the end so each footer knows the page total."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            frame.pages = total
            for n, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                frame.draw(self, n, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return FramedCanvas


class _KeepWithNext(KeepTogether):
    """Keeps a heading with what follows it. Unlike reportlab's KeepTogether, a
    long table or text that will split anyway starts right under its heading,
    instead of leaving the rest of the page blank."""

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        parts = self._content[:]
        if self._H <= aH:
            return parts
        *heads, last = parts
        used = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        room = aH - used - last.getSpaceBefore()
        if isinstance(last, KeepTogether) or room < 15 * mm or not last.split(aW, room):
            parts.insert(0, self.FrameBreak())
        return parts


def build_pdf(flowables: list, frame: Frame, subject: str = "") -> tuple[bytes, int]:
    """Lay out ``flowables`` on A4 pages; return (PDF bytes, page count)."""
    register()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=frame.title, author="职保通", creator="职保通",
        subject=subject or frame.number, invariant=1, initialFontName=FONT, initialFontSize=10,
        keepTogetherClass=_KeepWithNext)
    doc.build(flowables, canvasmaker=_canvas_class(frame))
    return buf.getvalue(), frame.pages

