"""Chinese text on the page: line breaking by the usual rules (避头尾 — no
closing punctuation at the start of a line, no opening bracket at its end;
numbers, codes and Latin words never cut; a number kept with the 年/月/日/号
after it; spaces dropped where a line breaks), justified lines, and the
``Text`` flowable every piece of user text is drawn with — plain or boxed,
indented, aligned, split across pages without orphan or widow lines, each
character in the face that has its glyph (forms/fonts.py)."""
from __future__ import annotations

import re

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

from forms.fonts import FONT, RARE, check_glyphs, rare_chars, register, runs

# Never at the start of a line (closing punctuation), never at the end (opening).
CANNOT_START = frozenset("，。、；：？！）】》」』〕］｝〉〗〙〛’”…‥—％‰℃°′″,.;:!?)]}%·・｡､﹚﹜")
CANNOT_END = frozenset("（【《「『〔［｛〈〖〘〚‘“([{¥￥$＄#＃")
# Kept with the number before them: 2025年, 10月, 第12号, 5天.
MEASURES = frozenset("年月日时分秒号元角个件页项条款岁级天次单人周期")
_FUZZ = 1e-6
_SPACES = re.compile(" {2,}")


def _is_word(ch: str) -> bool:
    """Part of a run that is never cut: Latin letters, digits, codes, amounts."""
    return ord(ch) < 0x2E80 and not ch.isspace()


_widths: dict[str, float] = {}


def char_width(ch: str) -> float:
    """Width of one character in 1/1000 em, in the face that draws it."""
    w = _widths.get(ch)
    if w is None:
        register()
        face = getFont(RARE if ch in rare_chars() else FONT).face
        w = _widths[ch] = face.charWidths.get(ord(ch), face.defaultWidth)
    return w


def width(text: str, size: float) -> float:
    cw = _widths
    try:
        return 0.001 * size * sum([cw[c] for c in text])
    except KeyError:
        return 0.001 * size * sum(char_width(c) for c in text)


def atoms(text: str) -> list[tuple[str, str]]:
    """``text`` as (space before, atom) pairs: a line may break only between atoms."""
    out: list[list[str]] = []  # [space, atom]
    space = ""
    glue_next = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == " " or ch == "\t":
            space += " "
            i += 1
            continue
        if _is_word(ch):
            j = i + 1
            while j < n and _is_word(text[j]):
                j += 1
            piece = text[i:j]
            if j < n and text[j] in MEASURES and piece[-1].isdigit():
                j += 1
                piece = text[i:j]
        else:
            j = i + 1
            piece = ch
        glue = out and not space and (glue_next or piece[0] in CANNOT_START)
        if glue:
            out[-1][1] += piece
        else:
            out.append([space, piece])
        space = ""
        glue_next = piece[-1] in CANNOT_END
        i = j
    return [(s, a) for s, a in out]


def _cut(atom: str, size: float, room: float, full: float) -> list[str]:
    """An atom wider than a line cut by characters (a long code, a run of text
    with no break opportunity); no piece starts with closing punctuation."""
    pieces, cur, w = [], "", 0.0
    limit = room
    for ch in atom:
        cw = char_width(ch) * 0.001 * size
        if cur and w + cw > limit + _FUZZ and ch not in CANNOT_START:
            pieces.append(cur)
            cur, w, limit = "", 0.0, full
        cur += ch
        w += cw
    pieces.append(cur)
    return pieces


def break_lines(text: str, size: float, first: float, rest: float) -> list[str]:
    """One paragraph (no line feeds) broken into lines: the first ``first``
    points wide, the others ``rest``."""
    lines: list[str] = []
    cur, w, room = "", 0.0, first
    for space, atom in atoms(text):
        aw = width(atom, size)
        sw = width(space, size) if cur and space else 0.0
        if cur and w + sw + aw <= room + _FUZZ:
            cur += space + atom
            w += sw + aw
            continue
        if cur:
            lines.append(cur)
            room = rest
            cur, w = "", 0.0
        if aw <= room + _FUZZ:
            cur, w = atom, aw
            continue
        pieces = _cut(atom, size, room, rest)
        lines += pieces[:-1]
        if len(pieces) > 1:
            room = rest
        cur, w = pieces[-1], width(pieces[-1], size)
    if cur or not lines:
        lines.append(cur)
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 3:
        # no single character alone on a paragraph's last line: take one more along
        prev, ch = lines[-2], lines[-2][-1]
        if not _is_word(ch) and ch not in CANNOT_START and prev[-2] not in CANNOT_END and not prev[-2].isspace():
            lines[-2:] = [prev[:-1], ch + lines[-1]]
    return lines


class Text(Flowable):
    """User text in one style: wrapped by ``break_lines``, paragraphs at line
    feeds (each indented by the style's first-line indent), aligned (justified
    lines spread their characters; the last line of a paragraph stays left),
    optionally boxed (the style's border), split across pages with at least two
    lines on each side."""

    def __init__(self, text: str, style: ParagraphStyle, lines: list | None = None, *, head: bool = True,
                 tail: bool = True):
        super().__init__()
        self.text, self.style = text, style
        self.lines = lines  # [(line, indented, ends its paragraph)]
        self._aw = None
        self.head, self.tail = head, tail  # the first / last part of a split text
        self.spaceBefore = style.spaceBefore if head else 0
        self.spaceAfter = style.spaceAfter if tail else 0

    @staticmethod
    def prepare(text) -> str:
        t = "" if text is None else str(text)
        check_glyphs(t)
        t = t.replace("\r\n", "\n").replace("\r", "\n")
        t = "".join(ch if not ch.isspace() or ch in "\n\u3000" else " " for ch in t)
        return "\n".join(_SPACES.sub(" ", p).strip(" ") for p in t.split("\n")).strip("\n")

    def _layout(self, aw: float) -> list:
        st = self.style
        avail = aw - st.leftIndent - st.rightIndent
        indent = st.firstLineIndent
        out = []
        for para in self.text.split("\n"):
            got = break_lines(para, st.fontSize, avail - indent, avail)
            out += [(line, k == 0 and indent != 0, k == len(got) - 1) for k, line in enumerate(got)]
        return out

    def wrap(self, aw, ah):
        if self.lines is None or (self._aw is not None and abs(self._aw - aw) > _FUZZ):
            self.lines = self._layout(aw)
        self._aw = aw
        self.width, self.height = aw, len(self.lines) * self.style.leading
        return self.width, self.height

    def minWidth(self):
        return max((width(c, self.style.fontSize) for c in self.text if not c.isspace()), default=0)

    def split(self, aw, ah):
        if self.lines is None or self._aw is None:
            self.wrap(aw, ah)
        n = len(self.lines)
        s = int((ah + _FUZZ) / float(self.style.leading))
        if s >= n:
            return [self]
        if n - s == 1:
            s -= 1  # no widow: a paragraph's last line never stands alone on the next page
        if s < 2:  # no orphan line at the foot of a page
            return []
        first = Text(self.text, self.style, self.lines[:s], head=self.head, tail=False)
        second = Text(self.text, self.style, self.lines[s:], head=False, tail=self.tail)
        first._aw = second._aw = self._aw
        return [first, second]

    def draw(self):
        st, c = self.style, self.canv
        size = st.fontSize
        c.saveState()
        if st.borderWidth and st.borderColor:
            pt, pr, pb, pl = _padding(st.borderPadding)
            c.setStrokeColor(st.borderColor)
            c.setLineWidth(st.borderWidth)
            x0 = st.leftIndent - pl
            c.rect(x0, -pb if self.tail else 0, self.width - st.rightIndent + pr - x0,
                   self.height + (pt if self.head else 0) + (pb if self.tail else 0), stroke=1, fill=0)
        avail = self.width - st.leftIndent - st.rightIndent
        tx = c.beginText()
        c.setFillColor(st.textColor)
        tx.setFillColor(st.textColor)
        font = FONT
        tx.setFont(FONT, size, st.leading)
        y = self.height - size
        for line, indented, last in self.lines:
            x = st.leftIndent + (st.firstLineIndent if indented else 0)
            room = avail - (st.firstLineIndent if indented else 0)
            lw = width(line, size)
            cs = 0.0
            if st.alignment == TA_RIGHT:
                x += room - lw
            elif st.alignment == TA_CENTER:
                x += (room - lw) / 2
            elif st.alignment == TA_JUSTIFY and not last and len(line) > 1 and 0 < room - lw <= 2.2 * size:
                cs = (room - lw) / (len(line) - 1)
            tx.setTextOrigin(x, y)
            if cs:
                tx.setCharSpace(cs)
            for f, piece in runs(line):
                if f != font:
                    tx.setFont(f, size, st.leading)
                    font = f
                tx.textOut(piece)
            if cs:
                tx.setCharSpace(0)
            y -= st.leading
        c.drawText(tx)
        c.restoreState()


def _padding(p) -> tuple[float, float, float, float]:
    """reportlab's borderPadding: one number, or (top, right, bottom, left) as CSS."""
    if isinstance(p, (int, float)):
        return p, p, p, p
    p = list(p)
    while len(p) < 4:
        p.append(p[1] if len(p) == 3 else p[0] if len(p) == 1 else p[len(p) - 2])
    return tuple(p[:4])


def draw_string(c, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """One line of text on a canvas at (x, y), each character in the face that draws it."""
    w = width(text, size) if align != "left" else 0
    x = x - w if align == "right" else x - w / 2 if align == "center" else x
    tx = c.beginText(x, y)
    font = None
    for f, piece in runs(text):
        if f != font:
            tx.setFont(f, size)
            font = f
        tx.textOut(piece)
    c.drawText(tx)
