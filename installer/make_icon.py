"""Render the application icon from its SVG source.

    python installer/make_icon.py

resources/icons/zhibaotong.svg is the source (drawn by hand: a protection
shield with a delivery rider). This writes zhibaotong.png (256 px, used by the
Linux .desktop entry and the window icon) and zhibaotong.ico (16–256 px, used
by the Windows executable and the installer). The outputs are committed, so a
build does not need to run this; run it again after editing the SVG.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = [16, 24, 32, 48, 64, 128, 256]


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "zhibaotong.svg"))
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage needs it
    (ICONS / "zhibaotong.png").write_bytes(render_png(256))
    # Each ICO size rendered from the vector source (sharper than downscaling one bitmap).
    frames = [Image.open(io.BytesIO(render_png(s))).convert("RGBA") for s in SIZES]
    frames[-1].save(ICONS / "zhibaotong.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                    append_images=frames[:-1])
    for name in ("zhibaotong.png", "zhibaotong.ico"):
        print(f"{ICONS / name}  {(ICONS / name).stat().st_size / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
