"""Font subsetting for the shipped typeface, byte for byte what reportlab's
``TTFontFile.makeSubset`` writes, but faster where a batch repeats work: every
document embeds its own subset, and reportlab re-reads each glyph's outline
header (to find the parts of composite glyphs) through Python-level seeks and
reads every time. Here the parts of each glyph are parsed once and kept.

``tests/forms/test_subset.py`` checks the output against reportlab's own.
"""
from __future__ import annotations

from struct import pack, pack_into, unpack_from

from reportlab.pdfbase.ttfonts import (GF_ARG_1_AND_2_ARE_WORDS, GF_MORE_COMPONENTS, GF_WE_HAVE_A_SCALE,
                                       GF_WE_HAVE_A_TWO_BY_TWO, GF_WE_HAVE_AN_X_AND_Y_SCALE, TTFontMaker,
                                       _set_ushort)

_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")


def fast_make_subset(face):
    """A ``makeSubset(subset) -> bytes`` for ``face`` (a reportlab TTFontFace
    whose ``get_table`` returns the same bytes object each time)."""
    glyf = face.get_table("glyf")
    glyph_pos = face.glyphPos
    parts_of: dict[int, tuple[tuple[int, int], ...]] = {}  # glyph -> ((offset of index, component glyph), ...)
    copied = []
    for tag in _COPIED:
        try:
            copied.append((tag, face.get_table(tag)))
        except KeyError:  # cvt, fpgm and prep are optional
            pass
    post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16

    def parts(g: int) -> tuple[tuple[int, int], ...]:
        found = parts_of.get(g)
        if found is None:
            start = glyph_pos[g]
            out = []
            if glyph_pos[g + 1] - start > 2 and unpack_from(">h", glyf, start)[0] < 0:  # composite
                at = 10
                flags = GF_MORE_COMPONENTS
                while flags & GF_MORE_COMPONENTS:
                    flags, idx = unpack_from(">HH", glyf, start + at)
                    out.append((at + 2, idx))
                    at += 4 + (4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2)
                    if flags & GF_WE_HAVE_A_SCALE:
                        at += 2
                    elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
                        at += 4
                    elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
                        at += 8
            found = parts_of[g] = tuple(out)
        return found

    def make_subset(subset) -> bytes:
        output = TTFontMaker()
        glyph_map = [0]  # new glyph index -> old glyph index
        glyph_set = {0: 0}  # old glyph index -> new glyph index
        code_to_glyph = {}
        char_to_glyph = face.charToGlyph
        for code in subset:
            old = char_to_glyph.get(code, 0)
            if old not in glyph_set:
                glyph_set[old] = len(glyph_map)
                glyph_map.append(old)
            code_to_glyph[code] = glyph_set[old]
        n = 0
        while n < len(glyph_map):  # parts of composite glyphs, in reportlab's order
            for _at, idx in parts(glyph_map[n]):
                if idx not in glyph_set:
                    glyph_set[idx] = len(glyph_map)
                    glyph_map.append(idx)
            n += 1

        for tag, data in copied:
            output.add(tag, data)
        output.add("post", post)
        num_glyphs = len(glyph_map)

        hmetrics = face.hmetrics
        hmtx = []
        for old in glyph_map:
            aw, lsb = hmetrics[old]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        number_of_hmetrics = n >> 1
        hmtx = hmtx[:n] + hmtx[n + 1::2]
        output.add("hmtx", pack(">%dH" % len(hmtx), *hmtx))
        output.add("hhea", _set_ushort(face.get_table("hhea"), 34, number_of_hmetrics))
        output.add("maxp", _set_ushort(face.get_table("maxp"), 4, num_glyphs))

        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries] + list(map(code_to_glyph.get, subset))
        output.add("cmap", pack(">%dH" % len(cmap), *cmap))

        offsets, pieces, pos = [], [], 0
        for old in glyph_map:
            offsets.append(pos)
            start = glyph_pos[old]
            length = glyph_pos[old + 1] - start
            data = glyf[start:start + length]
            refs = parts(old)
            if refs:
                buf = bytearray(data)
                for at, idx in refs:
                    pack_into(">H", buf, at, glyph_set[idx])
                data = bytes(buf)
            pieces.append(data)
            pos += length
            if pos % 4:
                pad = 4 - pos % 4
                pieces.append(b"\0" * pad)
                pos += pad
        offsets.append(pos)
        output.add("glyf", b"".join(pieces))
        if (pos + 1) >> 1 > 0xFFFF:
            loc_format, loca = 1, pack(">%dL" % len(offsets), *offsets)
        else:
            loc_format, loca = 0, pack(">%dH" % len(offsets), *(o >> 1 for o in offsets))
        output.add("loca", loca)
        output.add("head", _set_ushort(face.get_table("head"), 50, loc_format))
        return output.makeStream()

    return make_subset
