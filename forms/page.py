"""The page frame and the build: what every page shows besides the content
(header, footer with printed-at, printed by, the verification code and its QR
code, "第 X 页 共 Y 页", a reprint's 补打 line), all inside the 15 mm margin;
and the layout pass that keeps every signature or seal box on a page with the
text it closes (``Closing``), never alone at the top of a page."""
from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer

from forms.fonts import FONT, register
from forms.text import draw_string

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
EDGE = 15 * mm  # nothing is printed nearer the paper's edge than this
HEADER_Y = PAGE_H - EDGE - 3 * mm  # baseline of the running header
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 36 * mm
GRID = colors.HexColor("#333333")
FAINT = colors.HexColor("#666666")
QR_SIZE = 15 * mm


@dataclass
class Frame:
    """What every page shows besides the content."""
    title: str
    number: str
    printed_at: str  # "2026-11-30 14:05"
    printed_by: str
    code: str
    pages: int = 0
    qr: str = ""  # what the QR code says; the code alone when empty
    reprint: str = ""  # e.g. "补打（首次打印于 2026-03-01）"
    code_line: str = ""  # the footer's second line; default: the code and how to check it
    seal_pages: set = field(default_factory=set)  # pages with a signature or seal box
    content_pages: set = field(default_factory=set)  # pages with other content

    def draw(self, c: Canvas, page: int, total: int) -> None:
        c.saveState()
        c.setFillColor(FAINT)
        draw_string(c, MARGIN_X, HEADER_Y, self.title, 8.5)
        draw_string(c, PAGE_W - MARGIN_X, HEADER_Y, self.number, 8.5, "right")
        c.setStrokeColor(GRID)
        c.setLineWidth(0.4)
        c.line(MARGIN_X, HEADER_Y - 2.5 * mm, PAGE_W - MARGIN_X, HEADER_Y - 2.5 * mm)
        rule = MARGIN_BOTTOM - 4 * mm
        c.line(MARGIN_X, rule, PAGE_W - MARGIN_X, rule)
        c.setFillColor(colors.black)
        line1 = f"打印时间：{self.printed_at}　　打印人：{self.printed_by}"
        if self.reprint:
            line1 += f"　　{self.reprint}"
        draw_string(c, MARGIN_X, rule - 4.5 * mm, line1, 8.5)
        draw_string(c, MARGIN_X, rule - 9 * mm,
                    self.code_line or f"核验码：{self.code}　（凭核验码可向出具机构核验本文书内容）", 8.5)
        draw_string(c, PAGE_W / 2, EDGE + 1 * mm, f"第 {page} 页 共 {total} 页", 9.5, "center")
        if self.code:
            _draw_qr(c, self.qr or self.code, PAGE_W - MARGIN_X - QR_SIZE, EDGE, QR_SIZE)
        c.restoreState()


@functools.lru_cache(maxsize=256)
def _qr_path(text: str) -> tuple[int, str]:
    """(modules per side, PDF path operators in module units, filled)."""
    import qrcode

    # A fixed mask pattern skips qrcode's search over all eight (the slowest part
    # of making a code; any mask scans, the search only tunes contrast).
    q = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    q.add_data(text.encode("utf-8"))
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


class Stacked(Flowable):
    """Flowables drawn one below the other as one (``parts``, their sizes from
    ``wrap`` in ``_sizes``), each with its space before and after."""

    def draw(self):
        y = self.height
        for n, (p, (w, h)) in enumerate(zip(self.parts, self._sizes)):
            if n:
                y -= p.getSpaceBefore()
            y -= h
            p.drawOn(self.canv, 0, y, _sW=self.width - w)
            y -= p.getSpaceAfter()


class Closing(Stacked):
    """The text a document ends a passage with and the signature or seal boxes
    that close it, kept on one page: when they do not fit, the text is split so
    that its last lines (at least) go over with the boxes — a box never stands
    alone at the top of a page."""

    def __init__(self, text: list[Flowable], boxes: list[Flowable]):
        super().__init__()
        self.text, self.boxes = text, boxes

    @property
    def parts(self) -> list[Flowable]:
        return [*self.text, *self.boxes]

    def getSpaceBefore(self):
        return self.parts[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.parts[-1].getSpaceAfter()

    def wrap(self, aw, ah):
        self._sizes = [p.wrap(aw, ah) for p in self.parts]
        self.width = aw
        self.height = sum(h for _w, h in self._sizes) + sum(
            p.getSpaceBefore() + p.getSpaceAfter() for p in self.parts[1:]) + self.parts[0].getSpaceAfter()
        return aw, self.height

    def split(self, aw, ah):
        self.wrap(aw, ah)
        if self.height <= ah:
            return [self]
        if not self.text:
            return []
        *before, last = self.text
        from forms.text import Text
        lh = last.wrap(aw, ah)[1]
        boxes = sum(b.wrap(aw, ah)[1] + b.getSpaceBefore() for b in self.boxes)
        if not isinstance(last, Text) and lh + boxes <= PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 12:
            return []  # a table goes over whole with its boxes (and the heading before it)
        used = sum(p.wrap(aw, ah)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in before)
        room = min(ah - used - last.getSpaceBefore(), lh - 1)  # leave some of it for the next page
        pieces = last.split(aw, room) if room > 0 else []
        if len(pieces) >= 2:
            return [*before, *pieces[:-1], Closing([pieces[-1]], self.boxes)]
        if before:
            return [*before[:-1], Closing([before[-1], last], self.boxes)] if len(before) else []
        return []



def _is_closing(f) -> bool:
    return getattr(f, "closing", False)


def group_closings(flowables: list) -> list:
    """Each run of signature/seal boxes joined with the content flowable before it."""
    out: list = []
    i = 0
    while i < len(flowables):
        f = flowables[i]
        if not _is_closing(f):
            out.append(f)
            i += 1
            continue
        boxes = []
        while i < len(flowables) and (_is_closing(flowables[i]) or (
                isinstance(flowables[i], Spacer) and i + 1 < len(flowables) and _is_closing(flowables[i + 1]))):
            boxes.append(flowables[i])
            i += 1
        text = []
        while out and isinstance(out[-1], Spacer):
            boxes.insert(0, out.pop())
        if out and not getattr(out[-1], "keepWithNext", 0):
            text.append(out.pop())
        out.append(Closing(text, boxes))
    return out


def build_pdf(flowables: list, frame: Frame, subject: str = "") -> tuple[bytes, int]:
    """Lay out ``flowables`` on A4 pages; return (PDF bytes, page count)."""
    register()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=frame.title, author="职保通", creator="职保通",
        subject=subject or frame.number, invariant=1, initialFontName=FONT, initialFontSize=10,
        keepTogetherClass=_KeepWithNext)

    def after(f):
        page = doc.page
        kinds = [f]
        while kinds:
            g = kinds.pop()
            if isinstance(g, Closing):
                kinds += g.parts
            elif isinstance(g, KeepTogether):
                kinds += g._content
            elif _is_closing(g):
                frame.seal_pages.add(page)
            elif not isinstance(g, Spacer) and not getattr(g, "keepWithNext", 0):
                frame.content_pages.add(page)

    doc.afterFlowable = after
    doc.build(group_closings(flowables), canvasmaker=_canvas_class(frame))
    return buf.getvalue(), frame.pages
