"""The shared rendering engine: page frame (header, footer with page numbers,
printed-at, verification code and QR), and the building blocks layouts are made
of — title block, field grid, free-text block, data table, signature and seal
boxes, notes. Layouts in ``forms/documents`` only describe content.

Speed (bench/print_batch.py): a form is mostly short texts in table cells.
Text that fits its cell is a plain string drawn by the table (``cell``) or a
``Line``; wrapping plain text is a ``Text`` (reportlab's own CJK line breaking,
without markup parsing); a table draws its string cells in one text object;
section headings are a ``Band``. Each draws what reportlab's Paragraph or Table
would, at the same positions — the sample documents render pixel-identical to
the plain-reportlab layout they replaced. Markup and anything unusual still go
through Paragraph. fonts.py and subset.py make embedding the typeface cheaper.
"""
from __future__ import annotations

import functools
import io
import math
import threading
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import dumbSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

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


def P(text, style: str = "cell") -> Flowable:
    """User text as a paragraph: a Text when reportlab's Paragraph would draw it
    as one run of plain text (the common case), else a Paragraph."""
    st = styles()[style]
    t = "" if text is None else str(text)
    if Text.takes(t, st):
        check_glyphs(t)
        return Text(t, st)
    return Paragraph(markup(t), st)


class Text(Flowable):
    """Plain text in one style, wrapped and drawn exactly as reportlab's
    Paragraph draws a single run of CJK-wrapped text (same line breaks, from
    reportlab's own ``dumbSplit``; same text operators), without parsing
    markup or measuring each character through three function calls. Most
    paragraphs and wrapping cells of a form are such text."""

    @staticmethod
    def takes(t: str, st: ParagraphStyle) -> bool:
        return (bool(t) and st.wordWrap == "CJK" and st.alignment == TA_LEFT and not st.borderWidth
                and not st.backColor and not st.leftIndent and not st.rightIndent
                and not getattr(st, "endDots", None) and not getattr(st, "autoLeading", "")
                and t == " ".join(t.split()) and not any(ch in t for ch in "<>&\u00a0"))

    def __init__(self, text: str, style: ParagraphStyle, lines: list[str] | None = None,
                 indent: float | None = None):
        super().__init__()
        self.text, self.style = text, style
        self.lines = lines  # given: the two halves of a split keep their lines
        self._aw = None
        self.indent = style.firstLineIndent if indent is None else indent
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter

    def wrap(self, aw, ah):
        st = self.style
        if self.lines is None or self._aw != aw:
            cw, size = _char_widths(), st.fontSize
            widths = [0.001 * size * cw(c) for c in self.text]  # what stringWidth gives, char by char
            self.lines = [line for _sp, line in dumbSplit(self.text, widths, [aw - self.indent, aw])]
            self._aw = aw
        self.width, self.height = aw, len(self.lines) * st.leading
        return self.width, self.height

    def minWidth(self):
        return max((stringWidth(c, FONT, self.style.fontSize) for c in self.text), default=0)

    def split(self, aw, ah):
        # As Paragraph.split: the lines of the last wrap stand (a table splitting a
        # row passes the column's outer width here); the rest is wrapped afresh.
        if self.lines is None:
            self.wrap(aw, ah)
        s = int(ah / float(self.style.leading))
        if s <= 1:  # no orphan line (reportlab's default)
            return []
        if len(self.lines) <= s:
            return [self]
        first = Text("".join(self.lines[:s]), self.style, self.lines[:s], self.indent)
        first._aw = self._aw
        return [first, Text("".join(self.lines[s:]), self.style, None, 0)]

    def draw(self):
        st, c = self.style, self.canv
        c.saveState()
        tx = c.beginText(0, self.height - st.fontSize)
        c.setFillColor(st.textColor)
        tx.setFont(st.fontName, st.fontSize, st.leading)
        for n, line in enumerate(self.lines):
            off = self.indent if n == 0 else 0
            if off > 1e-6 or off < -1e-6:
                tx.setXPos(off)
            tx._textOut(line, 1)
            if off > 1e-6 or off < -1e-6:
                tx.setXPos(-off)
        c.drawText(tx)
        c.restoreState()


def _char_widths():
    """The registered font's width (1/1000 em) of one character."""
    from reportlab.pdfbase.pdfmetrics import getFont
    font = getFont(FONT)
    cw, get, dw = font._cw, font.face.charWidths.get, font.face.defaultWidth

    def width(c: str) -> int:
        w = cw.get(c)
        if w is None:
            w = cw[c] = get(ord(c), dw)
        return w
    return width


class Line(Flowable):
    """One line of plain text, drawn exactly where a one-line Paragraph of the
    same style would draw it, without markup parsing or line breaking. Table
    cells whose text fits their column use it (most cells): it makes a
    document several times cheaper to lay out than a Paragraph per cell."""

    _fixedWidth = 0

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.style.leading

    def split(self, aw, ah):
        return []

    def minWidth(self):
        return self.width

    def draw(self):
        st, c = self.style, self.canv
        c.setFont(st.fontName, st.fontSize)
        c.setFillColor(st.textColor)
        y = st.leading - st.fontSize  # a Paragraph's first baseline
        if st.alignment == TA_RIGHT:
            c.drawRightString(self.width, y, self.text)
        elif st.alignment == TA_CENTER:
            c.drawCentredString(self.width / 2, y, self.text)
        else:
            c.drawString(0, y, self.text)


_CELL_PAD = 8  # left + right padding of a table cell (_Cell)


def _one_line(text, style: ParagraphStyle, width: float) -> str | None:
    """The text as drawn on one line, or None when it needs a Paragraph
    (line breaks, markup characters, or too wide for ``width``)."""
    t = "" if text is None else str(text)
    if "\n" in t or "\r" in t or style.firstLineIndent or style.borderWidth or style.leftIndent:
        return None
    check_glyphs(t)
    flat = "".join(ch if not ch.isspace() or ch == "\u3000" else " " for ch in t).replace("\u3000", _IDEO_SPACE)
    return flat if stringWidth(flat, FONT, style.fontSize) <= width - _CELL_PAD - 1 else None


def fit(text, style: str, width: float):
    """A flowable for a column ``width`` points wide: a Line when the text fits
    on one line, else a Paragraph that wraps."""
    st = styles()[style]
    flat = _one_line(text, st, width)
    return Line(flat, st) if flat is not None else P(text, style)


def cell(text, style: str, width: float):
    """A table cell: the plain string when it fits on one line (the table draws
    it itself, at the same place as a one-line Paragraph — the table's style
    must give FONTSIZE, LEADING and ALIGN of ``style``), else a Paragraph."""
    flat = _one_line(text, styles()[style], width)
    return flat if flat is not None else P(text, style)




class _Cell(CellStyle):
    """Our tables' cell defaults: the typeface (else reportlab picks Helvetica),
    the "cell" size, padding, and vertical centring."""
    fontname = FONT
    fontsize = 9.5
    leading = 12.5
    leftPadding = rightPadding = 4
    topPadding = PAD
    bottomPadding = PAD + 1
    valign = "MIDDLE"

    def __init__(self):
        self.name = ""


class _Table(Table):
    """reportlab's Table, except that the plain-string cells of a table are
    drawn in one PDF text object rather than one each (the same glyphs at the
    same places: the positions are Table's own for a one-line string cell).
    Drawing text is most of the cost of a form, and most of it is in cells."""

    def __init__(self, data, *args, **kw):
        if "cellStyles" not in kw:
            kw["cellStyles"] = [[_Cell() for _ in row] for row in data]
        super().__init__(data, *args, **kw)

    def draw(self):
        self._texts = []
        super().draw()
        self._flush()
        self._texts = None

    def _flush(self) -> None:
        """Draw the strings collected so far (before any other kind of cell, so
        the text still reads, and extracts, in the order of the cells)."""
        texts = self._texts
        if not texts:
            return
        c = self.canv
        t = c.beginText()
        cur = None
        for x, y, text, st in texts:
            if cur is not st and (cur is None or (st.fontname, st.fontsize, st.color) !=
                                  (cur.fontname, cur.fontsize, cur.color)):
                t.setFont(st.fontname, st.fontsize, st.leading)
                t.setFillColor(st.color)
            cur = st
            t.setTextOrigin(x, y)
            t.textOut(text)
        c.drawText(t)
        texts.clear()

    def _drawCell(self, cellval, cellstyle, pos, size):
        st = cellstyle
        if (self._texts is None or not isinstance(cellval, str) or "\n" in cellval or st.href or st.destination
                or st.direction or st.shaping or st.alignment not in ("LEFT", "RIGHT", "CENTER", "CENTRE")):
            if self._texts:
                self._flush()
            return super()._drawCell(cellval, cellstyle, pos, size)
        if not cellval:
            return
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        if st.valign == "TOP":
            y = rowpos + rowheight - st.topPadding - st.fontsize
        elif st.valign == "BOTTOM":
            y = rowpos + st.bottomPadding + st.leading - st.fontsize
        else:
            y = rowpos + (st.bottomPadding + rowheight - st.topPadding + st.leading) / 2.0 - st.fontsize
        if st.alignment == "LEFT":
            x = colpos + st.leftPadding
        elif st.alignment == "RIGHT":
            x = colpos + colwidth - st.rightPadding - stringWidth(cellval, st.fontname, st.fontsize)
        else:
            x = (colpos + (colwidth + st.leftPadding - st.rightPadding) * 0.5
                 - 0.5 * stringWidth(cellval, st.fontname, st.fontsize))
        self._texts.append((x, y, cellval, st))


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
        out.append(fit(subtitle, "cell_c", FRAME_W + _CELL_PAD))
    out += [fit(number, "number", WIDTH + _CELL_PAD), Spacer(1, 3 * mm)]
    return out


class Band(Flowable):
    """A section heading that fits on one line: a shaded band with a heavy
    bar on its left, drawn directly (what ``section``'s one-cell table draws,
    at a fraction of the cost)."""

    PAD_LEFT, PAD_TOP, PAD_BOTTOM = 6, 2, 3

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter, self.keepWithNext = 7, 4, 1
        self.hAlign = "CENTER"  # as wide as the tables: over the frame's padding, like them

    def wrap(self, aw, ah):
        self.width, self.height = WIDTH, self.PAD_TOP + self.style.leading + self.PAD_BOTTOM
        return self.width, self.height

    def split(self, aw, ah):
        return []

    def draw(self):
        c, st = self.canv, self.style
        c.setFillColor(SHADE)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setStrokeColor(GRID)
        c.setLineWidth(3)
        c.setLineCap(1)
        c.line(0, 0, 0, self.height)
        c.setFillColor(st.textColor)
        c.setFont(st.fontName, st.fontSize)
        c.drawString(self.PAD_LEFT, self.PAD_BOTTOM + st.leading - st.fontSize, self.text)


def section(text: str) -> Flowable:
    """A shaded heading band across the full width, kept with what follows."""
    flat = _one_line(text, styles()["section"], WIDTH - 4)  # the band pads 6 left, none right
    if flat is not None:
        return Band(flat, styles()["section"])
    t = _Table([[fit(text, "section", WIDTH)]], colWidths=[WIDTH], spaceBefore=7, spaceAfter=4,
              style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                ("LINEBEFORE", (0, 0), (0, 0), 3, GRID),
                                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    t.keepWithNext = 1
    return t


FRAME_W = WIDTH - 12  # what the page frame offers a flowable (its padding is 6 each side)


def paragraph(text: str, style: str = "body") -> Flowable:
    return fit(text, style, FRAME_W + _CELL_PAD)


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def _base_style(extra=()) -> TableStyle:
    """The grid; the cells' font, padding and vertical alignment are the
    defaults of ``_Cell`` (given per cell as style commands, reportlab would
    apply each command to each cell of each table in turn)."""
    return TableStyle([("GRID", (0, 0), (-1, -1), 0.6, GRID), *extra])


LONG_VALUE = 200  # points: a value taller than this gets a table of its own (see grid)


def _tall(value, width: float) -> bool:
    t = "" if value is None else str(value)
    room = max(1.0, width - _CELL_PAD)
    lines = sum(max(1, math.ceil(stringWidth(part, FONT, 9.5) / room)) for part in t.split("\n"))
    return lines * 12.5 > LONG_VALUE


class _Parts(Flowable):
    """Flowables that stand as one in a layout's list and come apart when they
    do not fit (the frame then places each on its own)."""

    def __init__(self, parts: list):
        super().__init__()
        self.parts = parts

    def wrap(self, aw, ah):
        self._sizes = [p.wrap(aw, ah) for p in self.parts]
        self.width = aw
        self.height = sum(h for _w, h in self._sizes) + sum(p.getSpaceBefore() + p.getSpaceAfter()
                                                            for p in self.parts[1:])
        return aw, self.height

    def split(self, aw, ah):
        return list(self.parts)

    def draw(self):
        y = self.height
        for n, (p, (w, h)) in enumerate(zip(self.parts, self._sizes)):
            if n:
                y -= p.getSpaceBefore()
            y -= h
            p.drawOn(self.canv, 0, y, _sW=self.width - w)
            y -= p.getSpaceAfter()


def grid(fields, cols: int = 4, label_w: float = LABEL_W, width: float = WIDTH) -> Flowable:
    """Label/value pairs in a bordered grid. ``fields``: (label, value) or
    (label, value, "wide"); in a 4-column grid two pairs share a row and a wide
    pair takes a whole row. Values are shown as given (format them first).

    A value taller than LONG_VALUE (a long account of an accident, say) gets a
    two-column table of its own, right below the rest, whose row may continue
    on the next page (reportlab cannot split a row with spanned cells)."""
    value_w = (width - label_w * cols / 2) / (cols / 2)
    wide_w = width - label_w
    tables = []
    rows, spans, shade, pending = [], [], [], []

    def flush():
        nonlocal pending
        if pending:
            rows.append(pending + [""] * (cols - len(pending)))
            pending = []

    def close():
        nonlocal rows, spans, shade
        flush()
        if rows:
            tables.append(_Table(rows, colWidths=[label_w, value_w] * (cols // 2),
                                 style=_base_style(spans + shade), hAlign="CENTER", splitInRow=24))
        rows, spans, shade = [], [], []

    for f in fields:
        label, value, wide = f[0], f[1], len(f) > 2 and f[2] == "wide"
        if cols != 2 and _tall(value, wide_w if wide else value_w):
            close()
            tables.append(_Table([[cell(label, "label", label_w), P(value)]], colWidths=[label_w, wide_w],
                                 style=_base_style([("BACKGROUND", (0, 0), (0, 0), SHADE),
                                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]), hAlign="CENTER",
                                 splitInRow=24))
            continue
        cells = [cell(label, "label", label_w), cell(value, "cell", wide_w if wide or cols == 2 else value_w)]
        shade.append(("BACKGROUND", (len(pending), len(rows)), (len(pending), len(rows)), SHADE))
        if cols == 2:
            rows.append(cells)
        elif wide:
            flush()
            r = len(rows)
            shade[-1] = ("BACKGROUND", (0, r), (0, r), SHADE)
            rows.append(cells + ["", ""])
            spans.append(("SPAN", (1, r), (3, r)))
        else:
            pending += cells
            if len(pending) == cols:
                flush()
    close()
    return tables[0] if len(tables) == 1 else _Parts(tables)


def photo_beside(fields, caption: str = "（粘贴近期一寸免冠照片）", photo_mm: float = 30,
                 cols: int = 4, label_w: float = 24 * mm) -> Table:
    """A field grid with a photo box on its right."""
    pw = photo_mm * mm
    inner = grid(fields, cols=cols, label_w=label_w, width=WIDTH - pw)
    nopad = [(k, (0, 0), (0, 0), 0) for k in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    return _Table([[inner, P(caption, "cell_c")]], colWidths=[WIDTH - pw, pw],
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
    cw = [w * WIDTH for w in widths]
    data = [[cell(h, "head", cw[i]) for i, h in enumerate(headers)]]
    body = list(rows) + ([total] if total else [])
    data += [[cell(v, st[align[i]], cw[i]) for i, v in enumerate(r)] for r in body]
    just = {"L": "LEFT", "R": "RIGHT", "C": "CENTER"}
    extra = [("ALIGN", (0, 0), (-1, 0), "CENTER"), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    extra += [("ALIGN", (i, 1), (i, -1), just[a]) for i, a in enumerate(align) if a != "L"]
    if total:
        extra.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    return _Table(data, colWidths=cw, repeatRows=1, splitInRow=24,
                 style=_base_style(extra), hAlign="CENTER")


@dataclass
class Box:
    """A box where a person signs or an office stamps."""
    title: str
    lines: list[str] = field(default_factory=list)  # e.g. "经办人：", "负责人："
    seal: bool = False
    date: bool | str = True  # True: a blank date line; a string: the date printed
    foot: list[str] = field(default_factory=list)  # lines at the bottom, left


def boxes(items: list[Box], height_mm: float = 34, widths=None) -> Table:
    widths = widths or [1 / len(items)] * len(items)
    cells = []
    for b, bw in zip(items, widths):
        bw *= WIDTH
        content = ([fit(b.title, "box", bw)] if b.title else []) + [fit(line, "box", bw) for line in b.lines]
        used = 14 * (1 + len(b.lines))
        tail = [fit(line, "box", bw) for line in b.foot]
        if b.seal:
            tail.append(fit("（盖章）", "box_r", bw))
        if b.date:
            tail.append(fit(b.date if isinstance(b.date, str) else "年　　月　　日", "box_r", bw))
        gap = max(4, height_mm * mm - 2 * PAD - used - 14 * len(tail) - 4)
        cells.append(content + [Spacer(1, gap)] + tail)
    # A one-row table never splits; a plain Table (not a KeepTogether) lets a
    # heading before it be kept with it (reportlab will not nest containers).
    return _Table([cells], colWidths=[w * WIDTH for w in widths], spaceBefore=2 * mm,
                 style=_base_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))


def note(text: str, title: str = "", warn: bool = False) -> Table:
    """A boxed note; ``warn`` draws a heavy double frame that stands out in print."""
    content = ([fit(title, "note", WIDTH)] if title else []) + [fit(text, "note", WIDTH)]
    extra = []
    if warn:
        extra = [("BOX", (0, 0), (-1, -1), 2, colors.black),
                 ("INNERGRID", (0, 0), (-1, -1), 0, colors.white),
                 ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f4f4"))]
    t = _Table([[content]], colWidths=[WIDTH], style=_base_style(extra))
    return t


def numbered(items: list[str], style: str = "plain") -> list[Flowable]:
    return [fit(f"{i}. {text}", style, FRAME_W + _CELL_PAD) for i, text in enumerate(items, 1)]


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

    # A fixed mask pattern skips qrcode's search over all eight (the slowest part
    # of making a code; any mask scans, the search only tunes contrast).
    q = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
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


_A85 = threading.Lock()
BINARY_STREAMS = True  # False: reportlab's default ASCII85 page streams (bench/print_batch.py compares)


def _save_binary(canvas: Canvas) -> None:
    """Write the PDF with binary (deflated) page streams. reportlab wraps them
    in ASCII85 by default, a 7-bit transport encoding that a PDF file does not
    need: it makes the streams a quarter larger and, without reportlab's C
    accelerator, costs a tenth of the time of a document. The switch is global
    in reportlab, so it is set only while one of our documents is written."""
    if not BINARY_STREAMS:
        Canvas.save(canvas)
        return
    from reportlab import rl_config

    with _A85:
        was = rl_config.useA85
        rl_config.useA85 = 0
        try:
            Canvas.save(canvas)
        finally:
            rl_config.useA85 = was


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
            _save_binary(self)

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

