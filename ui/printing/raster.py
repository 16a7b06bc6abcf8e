"""PDF pages as images, for the preview and for printing through QPrinter.

PySide6-Essentials has no QtPdf, pypdf cannot rasterise and reportlab cannot
read a PDF, so the backends are, in order:
1. QtPdf's ``QPdfDocument`` when the PySide6-Pdf (or Addons) wheel is installed;
2. poppler's ``pdftoppm`` when it is on PATH (Linux packages; an installer can ship it);
3. none: the preview shows the page count and offers "保存为 PDF" only.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtGui import QImage

from claims.errors import ClaimsError
from claims.i18n import _


def _has_qtpdf() -> bool:
    try:
        from PySide6.QtPdf import QPdfDocument  # noqa: F401
    except ImportError:
        return False
    return True


def backend() -> str | None:
    """"qtpdf", "pdftoppm", or None when pages cannot be drawn on this machine."""
    if _has_qtpdf():
        return "qtpdf"
    if shutil.which("pdftoppm"):
        return "pdftoppm"
    return None


def page_images(pdf: bytes, dpi: float, pages: Iterable[int], kind: str | None = None) -> Iterator[QImage]:
    """The given pages (0-based) rendered at ``dpi``, one at a time (memory stays
    flat when printing at printer resolution)."""
    kind = kind or backend()
    if kind == "qtpdf":
        yield from _qtpdf(pdf, dpi, pages)
    elif kind == "pdftoppm":
        yield from _pdftoppm(pdf, dpi, pages)
    else:
        raise ClaimsError(_("本机没有 PDF 预览组件（QtPdf 或 pdftoppm），无法显示或直接打印；请保存为 PDF 后用 PDF 阅读器打印"))


def _pdftoppm(pdf: bytes, dpi: float, pages: Iterable[int]) -> Iterator[QImage]:
    exe = shutil.which("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="zbt-print-") as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        for i in pages:
            out = Path(tmp) / f"p{i}"
            r = subprocess.run([exe, "-r", str(int(dpi)), "-png", "-singlefile", "-f", str(i + 1), "-l", str(i + 1),
                                str(src), str(out)], capture_output=True, timeout=120,
                               creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
            img = QImage(str(out) + ".png")
            if r.returncode != 0 or img.isNull():
                raise ClaimsError(_("无法生成第 {n} 页的图像：{err}").format(
                    n=i + 1, err=r.stderr.decode("utf-8", "replace").strip()[:200]))
            yield img


def _qtpdf(pdf: bytes, dpi: float, pages: Iterable[int]) -> Iterator[QImage]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    buf = QBuffer()
    buf.setData(QByteArray(pdf))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buf)
    for i in pages:
        pt = doc.pagePointSize(i)
        img = doc.render(i, QSize(round(pt.width() * dpi / 72), round(pt.height() * dpi / 72)))
        if img.isNull():
            raise ClaimsError(_("无法生成第 {n} 页的图像").format(n=i + 1))
        yield img
    doc.close()
