"""Documents per second for a batch of benefit notices, against plain reportlab
drawing the same text in the same font, measured in the same run.

    python bench/print_batch.py                 # 500 notices from a fresh small demo database
    python bench/print_batch.py --n 200 --db D  # another size, an existing demo database

The forms side is what batch printing does: the notice's view is built from
the demo database (claims.printing.build_view), then ``render_many`` renders
500 copies that differ in their notice number, each written to its own small
file. The baseline is a bare reportlab Canvas per document with the same
typeface file registered as reportlab's own TTFont (not the engine's tuned
one), which draws the same text (the notice's extracted text, line by line,
same typeface and size, continuing on a new page when one is full) and also
writes one file per document — so both sides pay font subsetting per file.
The two sides take turns, ten documents at a time, so whatever else the
machine is doing weighs on both alike; each round gives both rates and their
ratio, and the median ratio of the rounds is reported. Rates are per second of
wall time and per second of this process's CPU time; the ratio that counts is
on CPU time (wall-time rates swing by ±30 % on a busy 2-core machine).
Target: forms ≥ 70 % of the plain rate.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 0.70
CHUNK = 10  # documents per turn when the two sides alternate


def notice_view(db: Path | None, tmp: Path):
    from claims.demo import generate
    from claims.printing import build_view
    from claims.store import Store

    if db is None:
        db = tmp / "demo.db"
        generate(db, workers=300, seed=7, as_of=date(2025, 11, 1)).close()  # fixed: reproducible
    store = Store(db, "BENCH")
    number = store.conn.execute("SELECT c.number FROM cases c JOIN assessments a ON a.case_id = c.id"
                                " WHERE a.status = 'approved' ORDER BY c.number").fetchone()[0]
    view, key = build_view(store, "benefit_notice", number)
    store.close()
    return view, key


def page_text(pdf: bytes, view) -> list[str]:
    """The notice's text as lines that fit the text width (how the extractor
    groups words into lines does not change how much the baseline draws)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from forms.engine import WIDTH
    from forms.fonts import FONT
    try:
        import pypdf
        raw = [ln for p in pypdf.PdfReader(io.BytesIO(pdf)).pages for ln in p.extract_text().split("\n") if ln.strip()]
    except ImportError:  # the text of the view instead
        from forms.render import _strings
        raw = list(_strings(view.model_dump(mode="json")))
    lines = []
    for text in raw:
        cur = ""
        for ch in text:
            if cur and stringWidth(cur + ch, FONT, 10.5) > WIDTH:
                lines.append(cur)
                cur = ""
            cur += ch
        lines.append(cur)
    return lines


def run_forms(items, out: Path, start: int = 0) -> int:
    from forms.render import render_many
    n = 0
    for r in render_many(items):
        (out / f"f{start + n:04d}.pdf").write_bytes(r.pdf)
        n += 1
    return n


PLAIN_FONT = "PlainHei"


def run_plain(lines: list[str], n: int, out: Path, start: int = 0) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from forms.fonts import FONT_PATH
    if PLAIN_FONT not in pdfmetrics.getRegisteredFontNames():
        # reportlab's own TTFont, as shipped. registerFont() would hand back the
        # engine's font object for the same typeface (it keys fonts by face
        # name), so the stock one goes into reportlab's table directly.
        pdfmetrics._fonts[PLAIN_FONT] = TTFont(PLAIN_FONT, str(FONT_PATH), subfontIndex=0)
    FONT = PLAIN_FONT
    w, h = A4
    for i in range(n):
        buf = io.BytesIO()
        c = Canvas(buf, pagesize=A4, invariant=1)
        y = h - 24 * mm
        c.setFont(FONT, 10.5)
        for ln in lines:
            if y < 30 * mm:
                c.showPage()
                c.setFont(FONT, 10.5)
                y = h - 24 * mm
            c.drawString(18 * mm, y, ln)
            y -= 16
        c.showPage()
        c.save()
        (out / f"p{start + i:04d}.pdf").write_bytes(buf.getvalue())
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=500, help="documents per side (default 500)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds; the median ratio counts")
    ap.add_argument("--db", type=Path, help="an existing demo database (default: a fresh 300-worker demo)")
    ap.add_argument("--profile", action="store_true", help="cProfile one forms round and print the top entries")
    args = ap.parse_args()

    from datetime import datetime

    from claims.timeutil import SHANGHAI
    from forms.render import PrintMeta, render

    with tempfile.TemporaryDirectory(prefix="zbt-bench-") as t:
        tmp = Path(t)
        view, key = notice_view(args.db, tmp)
        meta = PrintMeta(printed_at=datetime(2026, 11, 30, 14, 5, tzinfo=SHANGHAI), printed_by="李经办", record_key=key)
        first = render("benefit_notice", view, meta)
        lines = page_text(first.pdf, view)
        items = [("benefit_notice", view.model_copy(update={"notice_number": f"{view.notice_number}-{i:04d}"}), meta)
                 for i in range(args.n)]
        print(f"benefit notice {key}: {first.pages} pages, {len(lines)} lines of text, {len(first.pdf):,} bytes")
        if args.profile:
            import cProfile
            import pstats
            (tmp / "prof").mkdir()
            cProfile.runctx("run_forms(items[:100], tmp / 'prof')", globals(), {"run_forms": run_forms,
                                                                               "items": items, "tmp": tmp},
                            str(tmp / "p.out"))
            pstats.Stats(str(tmp / "p.out")).sort_stats("cumulative").print_stats(25)
        run_forms(items[:10], tmp)  # warm up both (imports, font registration, caches)
        run_plain(lines, 10, tmp)
        ratios, walls = [], []
        for rnd in range(args.rounds):
            spent = {(side, clock): 0.0 for side in ("forms", "plain") for clock in ("wall", "cpu")}
            out = tmp / f"round{rnd}"
            out.mkdir()
            for i in range(0, args.n, CHUNK):  # both sides in turn, a few documents at a time
                for side in ("forms", "plain"):
                    t0, c0 = time.perf_counter(), time.process_time()
                    if side == "forms":
                        run_forms(items[i:i + CHUNK], out, start=i)
                    else:
                        run_plain(lines, min(CHUNK, args.n - i), out, start=i)
                    spent[side, "wall"] += time.perf_counter() - t0
                    spent[side, "cpu"] += time.process_time() - c0
            rate = {k: args.n / v for k, v in spent.items()}
            ratios.append(rate["forms", "cpu"] / rate["plain", "cpu"])
            walls.append(rate["forms", "wall"] / rate["plain", "wall"])
            print(f"  round {rnd + 1}: forms {rate['forms', 'wall']:5.1f}/s wall {rate['forms', 'cpu']:5.1f} per CPU-s;"
                  f"  plain {rate['plain', 'wall']:5.1f}/s wall {rate['plain', 'cpu']:5.1f} per CPU-s;"
                  f"  ratio {ratios[-1]:.0%} (wall {walls[-1]:.0%})")
        ratio, wall_ratio = statistics.median(ratios), statistics.median(walls)
        print(f"ratio  {ratio:.0%} on CPU time, median of {args.rounds} rounds ({wall_ratio:.0%} on wall time)"
              f"  (target ≥ {TARGET:.0%}) — {'met' if ratio >= TARGET else 'MISSED'}")
        return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
