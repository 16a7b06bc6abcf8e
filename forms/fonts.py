"""The shipped Chinese typefaces, registered once and embedded (as subsets) in
every PDF: the main face (文泉驿微米黑) and, per character, a fallback for rare
characters in names — CJK Extension A and the standard list's characters beyond
it (resources/fonts/zbt-hanazono-ext.ttf, see LICENSE-hanazono.txt). A
character neither face can draw is an error, never a silent box."""
from __future__ import annotations

import threading
from pathlib import Path

from claims.errors import ClaimsError
from claims.i18n import _

FONT = "ZBT-Hei"
RARE = "ZBT-Rare"  # the fallback face, used only for the characters FONT lacks
FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
FONT_PATH = FONTS_DIR / "wqy-microhei.ttc"
RARE_PATH = FONTS_DIR / "zbt-hanazono-ext.ttf"

_lock = threading.Lock()
_cmap: frozenset[int] | None = None
_chars: frozenset[str] = frozenset()  # what FONT draws
_rare: frozenset[str] = frozenset()  # what only RARE draws


def _load(name: str, path: Path, **kw):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    class _Font(TTFont):
        """Widths looked up per character from a dict: the paragraph line
        breaker asks for one character at a time, tens of thousands of times
        in a batch. Same integers, same sum: the same results as TTFont."""

        _cw: dict[str, int] = {}

        def stringWidth(self, text, size, encoding="utf8"):
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            cw = self._cw
            try:
                if len(text) == 1:
                    return 0.001 * size * cw[text]
                return 0.001 * size * sum([cw[c] for c in text])
            except KeyError:
                get, dw = self.face.charWidths.get, self.face.defaultWidth
                for c in text:
                    if c not in cw:
                        cw[c] = get(ord(c), dw)
                return self.stringWidth(text, size)

    font = _Font(name, str(path), **kw)
    font._cw = {}
    # Every document embeds its own subset, and each subset reads the font's
    # tables again — the glyph table is megabytes, copied each time. Keep
    # the tables read once (they never change) instead.
    tables: dict[str, bytes] = {}
    read = font.face.get_table

    def get_table(tag: str) -> bytes:
        t = tables.get(tag)
        if t is None:
            t = tables[tag] = read(tag)
        return t

    font.face.get_table = get_table
    from forms.subset import fast_make_subset
    font.face.makeSubset = fast_make_subset(font.face)  # byte-identical, see forms/subset.py
    pdfmetrics.registerFont(font)
    return font


def _fix_to_unicode() -> None:
    """reportlab writes a character beyond the BMP (𠮷, U+20BB7) into a subset's
    ToUnicode map as ``<20BB7>``, an odd-length hex string readers reject: the
    glyph shows, but the text cannot be searched or copied. Write such a
    character as its UTF-16 surrogate pair, as the PDF standard asks; every
    other entry is written exactly as before."""
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "_zbt", False):
        return
    stock = ttfonts.makeToUnicodeCMap

    def make(fontname, subset):
        text = stock(fontname, subset)
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                text = text.replace("<%02X> <%04X>" % (i, v), "<%02X> <%s>" % (i, chr(v).encode("utf-16-be").hex().upper()))
        return text

    make._zbt = True
    ttfonts.makeToUnicodeCMap = make


def register() -> None:
    """Register ``FONT`` and ``RARE`` with reportlab (idempotent, thread-safe)."""
    global _cmap, _chars, _rare
    if _cmap is not None:
        return
    with _lock:
        if _cmap is not None:
            return
        _fix_to_unicode()
        main = _load(FONT, FONT_PATH, subfontIndex=0)
        rare = _load(RARE, RARE_PATH)
        codes = frozenset(main.face.charToGlyph)
        _chars = frozenset(map(chr, codes))
        _rare = frozenset(chr(c) for c in rare.face.charToGlyph if c not in codes)
        _cmap = codes  # last: other threads test _cmap to know registration is done


def rare_chars() -> frozenset[str]:
    register()
    return _rare


def has_rare(text: str) -> bool:
    """Whether ``text`` needs the fallback face (cheap for the common case)."""
    register()
    odd = set(text) - _chars
    return bool(odd and not odd.isdisjoint(_rare))


def font_of(ch: str) -> str:
    return RARE if ch in _rare else FONT


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (font name, piece) runs: the fallback face only where needed."""
    register()
    if not text or (set(text) - _chars).isdisjoint(_rare):
        return [(FONT, text)]
    out: list[tuple[str, str]] = []
    for ch in text:
        f = RARE if ch in _rare else FONT
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


def text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return sum(stringWidth(piece, f, size) for f, piece in runs(text))


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` (other than whitespace) that no shipped face can draw."""
    register()
    odd = set(text) - _chars - _rare if text else ()
    return [ch for ch in dict.fromkeys(text) if ch in odd and not ch.isspace()] if odd else []


def check_glyphs(text: str) -> None:
    """Raise ClaimsError naming the first characters no shipped face can render."""
    missing = missing_glyphs(text)
    if missing:
        shown = "”“".join(missing[:5])
        codes = "、".join(f"U+{ord(c):04X}" for c in missing[:5])
        raise ClaimsError(_("字体缺少字符“{chars}”（{codes}），无法打印；请改用常用汉字或在备注中说明")
                          .format(chars=shown, codes=codes))
