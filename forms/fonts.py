"""The shipped Chinese typeface, registered once and embedded (as a subset) in
every PDF. A character the font cannot draw is an error, never a silent box."""
from __future__ import annotations

import threading
from pathlib import Path

from claims.errors import ClaimsError
from claims.i18n import _

FONT = "ZBT-Hei"
FONT_PATH = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"

_lock = threading.Lock()
_cmap: frozenset[int] | None = None
_chars: frozenset[str] = frozenset()


def register() -> None:
    """Register ``FONT`` with reportlab (idempotent, thread-safe)."""
    global _cmap, _chars
    if _cmap is not None:
        return
    with _lock:
        if _cmap is not None:
            return
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

        font = _Font(FONT, str(FONT_PATH), subfontIndex=0)
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
        codes = frozenset(font.face.charToGlyph)
        _chars = frozenset(map(chr, codes))
        _cmap = codes  # last: other threads test _cmap to know registration is done


def check_glyphs(text: str) -> None:
    """Raise ClaimsError naming the first characters the font cannot render."""
    register()
    if not text:
        return
    odd = set(text) - _chars  # set arithmetic: this runs for every cell of every document
    missing = [ch for ch in dict.fromkeys(text) if ch in odd and not ch.isspace()] if odd else []
    if missing:
        shown = "”“".join(missing[:5])
        codes = "、".join(f"U+{ord(c):04X}" for c in missing[:5])
        raise ClaimsError(_("字体缺少字符“{chars}”（{codes}），无法打印；请改用常用汉字或在备注中说明")
                          .format(chars=shown, codes=codes))
