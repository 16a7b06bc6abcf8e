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


def register() -> None:
    """Register ``FONT`` with reportlab (idempotent, thread-safe)."""
    global _cmap
    if _cmap is not None:
        return
    with _lock:
        if _cmap is not None:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        font = TTFont(FONT, str(FONT_PATH), subfontIndex=0)
        pdfmetrics.registerFont(font)
        _cmap = frozenset(font.face.charToGlyph)


def check_glyphs(text: str) -> None:
    """Raise ClaimsError naming the first characters the font cannot render."""
    register()
    missing = []
    for ch in dict.fromkeys(text or ""):
        if ch.isspace() or ord(ch) in _cmap:
            continue
        missing.append(ch)
    if missing:
        shown = "”“".join(missing[:5])
        codes = "、".join(f"U+{ord(c):04X}" for c in missing[:5])
        raise ClaimsError(_("字体缺少字符“{chars}”（{codes}），无法打印；请改用常用汉字或在备注中说明")
                          .format(chars=shown, codes=codes))
