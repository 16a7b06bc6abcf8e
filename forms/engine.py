"""The shared rendering engine: the building blocks layouts are made of —
title block, field grid, free-text block, data table (a row never split across
pages), signature and seal boxes, notes, the cover page of an application
form — and, from forms/page.py, the page frame and the build. Layouts in
``forms/documents`` only describe content.

Speed (bench/print_batch.py): a form is mostly short texts in table cells.
Text that fits its cell is a plain string drawn by the table (``cell``) or a
``Line``; text that wraps is a ``Text`` (forms/text.py: Chinese line breaking,
justified, with the fallback face for rare characters); a table draws its
string cells in one text object; section headings are a ``Band``. Markup goes
through reportlab's Paragraph (``rich``). fonts.py and subset.py make
embedding the typefaces cheaper.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from forms.fonts import FONT, RARE, check_glyphs, has_rare, rare_chars, register
from forms.page import (FAINT, GRID, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, PAGE_W, Frame,  # noqa: F401
                        Stacked, build_pdf)
from forms.text import Text, width as text_width

WIDTH = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 12  # what the page frame offers (its padding is 6 each side)
LABEL_W = 31 * mm
SHADE = colors.HexColor("#ececec")
PAD = 3


# --- styles and text --------------------------------------------------------------

@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")

    def s(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": s("body", firstLineIndent=21, spaceAfter=4, alignment=TA_JUSTIFY),
        "emph": s("emph", fontSize=12, leading=18, firstLineIndent=24, spaceAfter=4, alignment=TA_JUSTIFY),
        "plain": s("plain", leading=15, spaceAfter=2),
        "title": s("title", fontSize=19, leading=26, alignment=TA_CENTER, spaceAfter=2),
        "number": s("number", fontSize=10, leading=14, alignment=TA_RIGHT, textColor=FAINT),
        "addressee": s("addressee", fontSize=10.5, leading=14, ),
        "section": s("section", fontSize=11.5, leading=15),
        "label": s("label", fontSize=9.5, leading=12.5),
        "cell": s("cell", fontSize=9.5, leading=12.5),
        "cell_r": s("cell_r", fontSize=9.5, leading=12.5, alignment=TA_RIGHT),
        "cell_c": s("cell_c", fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "head": s("head", fontSize=9.5, leading=12.5, alignment=TA_CENTER),
        "free": s("free", fontSize=10.5, leading=17, borderWidth=0.6, borderColor=GRID, alignment=TA_JUSTIFY,
                  borderPadding=(5, 6, 6, 6), leftIndent=6, rightIndent=6, spaceBefore=6, spaceAfter=10),
        # a long value of a field grid, boxed flush with the grid's borders (grid())
        "tall": s("tall", fontSize=9.5, leading=12.5, borderWidth=0.6, borderColor=GRID, alignment=TA_JUSTIFY,
                  borderPadding=(PAD, 4, PAD + 1, 4), leftIndent=-2, rightIndent=-2, spaceBefore=PAD + 0.6,
                  spaceAfter=PAD + 1),
        "note": s("note", fontSize=9.5, leading=14, alignment=TA_JUSTIFY),
        "item": s("item", leading=15, spaceAfter=2, leftIndent=14, firstLineIndent=-14, alignment=TA_JUSTIFY),
        "item_note": s("item_note", fontSize=9.5, leading=14, spaceAfter=1, leftIndent=14, firstLineIndent=-14,
                       alignment=TA_JUSTIFY),
        "box": s("box", fontSize=9.5, leading=14),
        "box_r": s("box_r", fontSize=9.5, leading=14, alignment=TA_RIGHT),
        "right": s("right", alignment=TA_RIGHT),
    }


def markup(text) -> str:
    """Escape user text for a Paragraph (``rich``); keep line breaks; refuse
    missing glyphs; rare characters in the fallback face."""
    t = Text.prepare(text)
    out = escape(t)
    rare = rare_chars()
    if not set(t).isdisjoint(rare):
        out = "".join(f'<font name="{RARE}">{ch}</font>' if ch in rare else ch for ch in out)
    return out.replace("\n", "<br/>")


def P(text, style: str = "cell") -> Flowable:
    """User text as a paragraph that wraps (forms/text.py)."""
    return Text(Text.prepare(text), styles()[style])


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
    if has_rare(t):
        return None  # drawn by a Text, in two faces
    flat = " ".join(t.split(" ")) if "\t" not in t else t.replace("\t", " ")
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
        kw.setdefault("splitInRow", 0)
        super().__init__(data, *args, **kw)

    def split(self, availWidth, availHeight):
        # A row never continues on the next page — unless it is taller than a
        # page itself, which could not be printed otherwise.
        heights = getattr(self, "_rowHeights", None) or []
        self.splitInRow = 24 if heights and max(heights) > FRAME_H * 0.9 else 0
        return super().split(availWidth, availHeight)

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


LONG_VALUE = 200  # points: a value taller than this is printed as a boxed text of its own (see grid)


def _tall(value, width: float) -> bool:
    t = "" if value is None else str(value)
    room = max(1.0, width - _CELL_PAD)
    lines = sum(max(1, math.ceil(text_width(part, 9.5) / room)) for part in t.split("\n"))
    return lines * 12.5 > LONG_VALUE


class _Parts(Stacked):
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
                                 style=_base_style(spans + shade), hAlign="CENTER"))
        rows, spans, shade = [], [], []

    for f in fields:
        label, value, wide = f[0], blank(f[1]), len(f) > 2 and f[2] == "wide"
        if cols != 2 and _tall(value, wide_w if wide else value_w):
            # a long account: its label as a shaded row, the text boxed below it,
            # flowing over pages line by line (a table row would not split)
            close()
            head = _Table([[cell(label, "label", width)]], colWidths=[width], hAlign="CENTER",
                          style=_base_style([("BACKGROUND", (0, 0), (0, 0), SHADE)]))
            head.keepWithNext = 1
            tables += [head, P(value, "tall")]
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
    return _Table(data, colWidths=cw, repeatRows=1, style=_base_style(extra), hAlign="CENTER")


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
    # A one-row table never splits; the build keeps it on one page with the
    # text before it (forms/page.py Closing): a box never stands alone.
    t = _Table([cells], colWidths=[w * WIDTH for w in widths], spaceBefore=2 * mm,
               style=_base_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    t.closing = True
    return t


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


def numbered(items: list[str], style: str = "item") -> list[Flowable]:
    """A numbered list; a wrapped item continues under its text, not its number."""
    return [P(f"{i}. {text}", style) for i, text in enumerate(items, 1)]


def numbered_columns(items: list[str], cols: int = 2) -> Flowable:
    """A short numbered list in columns (a list of documents to bring, say)."""
    if len(items) < 4:
        return _Parts(numbered(items))
    per = math.ceil(len(items) / cols)
    w = WIDTH / cols
    cells = [[P(f"{c * per + r + 1}. {items[c * per + r]}", "item") if c * per + r < len(items) else ""
              for c in range(cols)] for r in range(per)]
    return _Table(cells, colWidths=[w] * cols, hAlign="CENTER",
                  style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 6)]))


BLANK = "_" * 14  # a line to fill in by hand


def blank(value, line: str = BLANK) -> str:
    """The value, or a line to fill in by hand where the records have none."""
    return line if value is None or str(value).strip() == "" else str(value)


class FillLine(Flowable):
    """A cover-page field: its label, then the value on a rule to the right edge."""

    def __init__(self, label: str, value: str, label_w: float, size: float = 13):
        super().__init__()
        check_glyphs(label + (value or ""))
        self.label, self.value, self.label_w, self.size = label, value or "", label_w, size

    def wrap(self, aw, ah):
        self.width, self.height = aw, self.size * 2.4
        return self.width, self.height

    def draw(self):
        from forms.text import draw_string
        c = self.canv
        y = self.size * 0.7
        draw_string(c, 0, y, self.label, self.size)
        draw_string(c, self.label_w + 6, y, self.value, self.size)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.6)
        c.line(self.label_w, y - 4, self.width, y - 4)


def cover(title: str, fields: list[tuple[str, str]], instructions: list[str], number: str = "") -> list:
    """The cover page of an application form (as the national forms have it):
    the title, who applies for whom on ruled lines (blank where the records have
    nothing: filled in by hand), and the 填表说明; the form starts on the next page."""
    lw = max(text_width(label, 13) for label, _v in fields) + 4
    out: list = [Spacer(1, 26 * mm), Title(title, 26), Spacer(1, 4 * mm)]
    if number:
        out.append(fit(number, "cell_c", FRAME_W + _CELL_PAD))
    out.append(Spacer(1, 22 * mm))
    out += [FillLine(label, value, lw) for label, value in fields]
    out += [Spacer(1, 14 * mm), section("填表说明"), *numbered(instructions, "item_note"), PageBreak()]
    return out


def materials(items: list[tuple[str, str]], title: str = "附送材料清单") -> list:
    """The list of documents sent with an application: each with a box to tick,
    copies and pages filled in by hand. ``items``: (document, when it is needed)."""
    from reportlab.platypus import KeepTogether
    rows = [(str(i), name, when, "□", "", "") for i, (name, when) in enumerate(items, 1)]
    # a short list to tick: kept on one page (it moves over whole rather than split)
    return [KeepTogether([section(title),
                          table(["序号", "材料名称", "何时需要", "已附", "份数", "页数"], rows,
                                [0.07, 0.38, 0.3, 0.07, 0.09, 0.09], "CLLCCC")])]




# --- what a document prints -------------------------------------------------------

def printed_texts(flowables) -> list[str]:
    """Every piece of text the flowables print, in order (their content, not the
    page frame): what a document's verification digest covers."""
    out: list[str] = []
    todo = list(flowables)[::-1]
    while todo:
        f = todo.pop()
        if f is None or isinstance(f, (Spacer, PageBreak)):
            continue
        if isinstance(f, str):
            if f:
                out.append(f)
        elif isinstance(f, (list, tuple)):
            todo += list(f)[::-1]
        elif isinstance(f, Table):
            todo += [v for row in f._cellvalues for v in row][::-1]
        elif isinstance(f, _Parts):
            todo += f.parts[::-1]
        elif isinstance(f, FillLine):
            out += [f.label, f.value]
        elif isinstance(f, Paragraph):
            out.append(f.getPlainText())
        elif hasattr(f, "_content"):  # KeepTogether
            todo += list(f._content)[::-1]
        elif hasattr(f, "text"):  # Text, Line, Title, Band
            out.append(f.text)
    return out
