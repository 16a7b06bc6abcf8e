"""Chinese type for the interface: the system's own CJK face where present,
else the typeface shipped with the program (so nothing shows as boxes), and
always the shipped fallback for rare characters in names (CJK Extension A and
the standard list's characters beyond it, e.g. 䶮, 𠮷), the same one printouts
embed."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from claims.resources import resources_dir

PREFERRED = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei"]
FALLBACK_FILE = "zbt-hanazono-ext.ttf"


def _load(file_name: str) -> str | None:
    fid = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / file_name))
    loaded = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    return loaded[0] if loaded else None


def install_font(app) -> str:
    families = set(QFontDatabase.families())
    for fam in PREFERRED:
        if fam in families:
            break
    else:
        fam = _load("wqy-microhei.ttc") or app.font().family()
    rare = _load(FALLBACK_FILE)
    font = QFont(fam)
    if rare:
        font.setFamilies([fam, rare])  # per character: the rare-character face where ``fam`` has no glyph
        QFont.insertSubstitution(fam, rare)
    font.setPointSize(10)
    app.setFont(font)
    return fam
