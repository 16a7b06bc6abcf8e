"""What the tests check in a PDF, with pypdf only (no poppler tools: Windows has none)."""
from __future__ import annotations

import io
from pathlib import Path


def fonts_not_embedded(pdf: Path | bytes) -> list[str]:
    """The names of the fonts the PDF uses without carrying them (empty: every font is
    embedded). A PDF that uses no font at all is an error: there is nothing to read."""
    from pypdf import PdfReader

    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    seen, missing = 0, []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            seen += 1
            desc_of = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            desc = desc_of.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
    assert seen, "the PDF uses no font"
    return missing
