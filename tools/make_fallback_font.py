"""Build resources/fonts/zbt-hanazono-ext.ttf, the fallback typeface for names
with characters the main typeface (WenQuanYi Micro Hei) lacks.

    python tools/make_fallback_font.py [HanaMinA.ttf HanaMinB.ttf]

Source: Debian's ``fonts-hanazono`` (HanaMinA / HanaMinB, GlyphWiki project,
Hanazono Font License or SIL OFL 1.1 — used here under the Hanazono licence,
which allows modified copies under another name). Kept from them:
- every character of CJK Unified Ideographs Extension A (U+3400–U+4DBF, from HanaMinA);
- from HanaMinB, the 196 characters of the national 通用规范汉字表 (2013) outside
  the Basic Multilingual Plane (Extensions B–E: the standard list for names), and
  𠮷 (U+20BB7), listed in ``fallback-chars.txt``.
The whole of Extension B (43,000 characters) would add 22 MB; a name with a
character neither typeface has is reported at data entry (claims/validators.py).
TrueType outlines (reportlab cannot embed CFF); hints and layout tables dropped.
Needs fontTools (a development tool, not a run-time dependency)."""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
OUT = FONTS / "zbt-hanazono-ext.ttf"
FAMILY = "ZBT Hanazono Ext"
EXT_A = range(0x3400, 0x4DC0)


def _subset(src: str, codes: list[int], dest: Path) -> None:
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.notdef_outline = True
    opts.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"]
    font = TTFont(src)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codes)
    sub.subset(font)
    font.save(dest)


def _rename(font: TTFont) -> None:
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID in (3, 4):
            rec.string = FAMILY + " Regular"
        elif rec.nameID == 6:
            rec.string = FAMILY.replace(" ", "") + "-Regular"


def main(argv: list[str]) -> int:
    a, b = (argv + ["/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
                    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"][len(argv):])[:2]
    lines = (FONTS / "fallback-chars.txt").read_text(encoding="utf-8").splitlines()
    extra = [int(x, 16) for line in lines if not line.startswith("#") for x in line.split()]
    tmp_a, tmp_b = OUT.with_suffix(".a.ttf"), OUT.with_suffix(".b.ttf")
    try:
        _subset(a, list(EXT_A), tmp_a)
        _subset(b, extra, tmp_b)
        merged = Merger().merge([str(tmp_a), str(tmp_b)])
        _rename(merged)
        merged.save(OUT)
    finally:
        tmp_a.unlink(missing_ok=True)
        tmp_b.unlink(missing_ok=True)
    cmap = TTFont(OUT).getBestCmap()
    missing = [hex(c) for c in [*EXT_A, *extra] if c not in cmap and c in TTFont(a if c < 0x10000 else b).getBestCmap()]
    print(f"{OUT}: {len(cmap)} characters, {OUT.stat().st_size:,} bytes; missing {missing}")
    write_coverage()
    return 1 if missing else 0




def write_coverage() -> None:
    """resources/fonts/coverage.json: the characters the shipped typefaces draw, as
    ranges — what data entry checks names against (claims/validators.py), without
    reading font files."""
    import json
    codes = set(TTFont(FONTS / "wqy-microhei.ttc", fontNumber=0).getBestCmap()) | set(TTFont(OUT).getBestCmap())
    ranges, start, prev = [], None, None
    for c in sorted(codes):
        if start is None:
            start = prev = c
        elif c == prev + 1:
            prev = c
        else:
            ranges.append([start, prev])
            start = prev = c
    ranges.append([start, prev])
    (FONTS / "coverage.json").write_text(json.dumps({"_note": "shipped typefaces: code point ranges (inclusive)",
                                                    "ranges": ranges}, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--coverage"]:
        write_coverage()
    else:
        sys.exit(main(sys.argv[1:]))
