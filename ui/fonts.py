"""Chinese type for the interface: the system's own CJK face where present,
else the typeface shipped with the program (so nothing shows as boxes)."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from claims.resources import resources_dir

PREFERRED = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei"]


def install_font(app) -> str:
    families = set(QFontDatabase.families())
    for fam in PREFERRED:
        if fam in families:
            break
    else:
        fid = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / "wqy-microhei.ttc"))
        loaded = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        fam = loaded[0] if loaded else app.font().family()
    font = QFont(fam)
    font.setPointSize(10)
    app.setFont(font)
    return fam
