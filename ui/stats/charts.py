"""Charts with matplotlib on a Qt canvas. matplotlib is imported here only,
and this module only when the 统计 section first draws (start-up stays fast).
The shipped CJK typeface is registered with matplotlib so Chinese shows."""
from __future__ import annotations

import io

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from claims.resources import resources_dir
from claims.stats import Chart

FONT_FILE = "wqy-microhei.ttc"
# calm, distinguishable, colour-blind aware (Okabe–Ito), one per industry / series
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
_ready = False


def setup_matplotlib() -> None:
    """Register the CJK font once; use it for all text."""
    global _ready
    if _ready:
        return
    import matplotlib
    from matplotlib import font_manager

    path = resources_dir() / "fonts" / FONT_FILE
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name, "sans-serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "none"
    _ready = True


def _short_month(label: str) -> str:
    return f"{label[2:4]}-{label[5:7]}" if len(label) == 7 and label[4] == "-" else label


def _fmt_value(v: float, unit: str) -> str:
    if unit == "%":
        return f"{v:,.1f}%"
    if abs(v) >= 10000:
        return f"{v / 10000:,.1f}万"
    if float(v).is_integer() or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.1f}" if unit in ("天", "人", "单", "件") else f"{v:,.2f}"


def _wrap(title: str, chars: int) -> str:
    """A title on two lines when it is wider than the chart (at its “（” if it has one)."""
    if len(title) <= max(chars, 8):
        return title
    cut = title.find("（")
    cut = cut if 0 < cut <= chars else max(chars, 8)
    return title[:cut] + "\n" + title[cut:]


def draw(fig, chart: Chart) -> None:
    """Draw ``chart`` on a matplotlib Figure (cleared first)."""
    setup_matplotlib()
    fig.clear()
    ax = fig.add_subplot(111)
    ax.set_title(_wrap(chart.title, int(fig.get_figwidth() * fig.dpi * 0.85 / 14)), fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    cats = [_short_month(c) for c in chart.categories]
    empty = not chart.categories or not any(any(v for v in s.values if v is not None) for s in chart.series)
    if empty:
        ax.text(0.5, 0.5, "本期没有数据", ha="center", va="center", fontsize=12, color="#666666",
                transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    unit = chart.unit
    if chart.kind == "stacked":
        bottom = [0.0] * len(cats)
        for i, s in enumerate(chart.series):
            vals = [v or 0 for v in s.values]
            ax.bar(cats, vals, bottom=bottom, label=s.name, color=PALETTE[i % len(PALETTE)], width=0.7)
            bottom = [b + v for b, v in zip(bottom, vals)]
        tops = chart.totals or bottom  # distinct people: fewer than the sum of the stacks
        if len(cats) <= 12:
            for x, (total, top) in enumerate(zip(tops, bottom)):
                if total:
                    ax.annotate(_fmt_value(total, unit), (x, top), ha="center", va="bottom", fontsize=8,
                                xytext=(0, 2), textcoords="offset points")
        ax.set_ylim(0, max(bottom) * 1.3 or 1)
    elif chart.kind == "bars":
        n = len(chart.series)
        w = 0.8 / max(n, 1)
        for i, s in enumerate(chart.series):
            xs = [x - 0.4 + w * (i + 0.5) for x in range(len(cats))]
            ax.bar(xs, [v or 0 for v in s.values], width=w, label=s.name, color=PALETTE[i % len(PALETTE)])
            if fig.get_figwidth() * fig.dpi * 0.75 / max(1, len(cats) * n) >= 46:  # value labels while they fit
                for x, v in zip(xs, s.values):
                    ax.annotate("—" if v is None else _fmt_value(v, unit), (x, max(v or 0, 0)), ha="center",
                                va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(range(len(cats)), cats)
        ax.axhline(0, color="#333333", linewidth=0.6)
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi + (hi - lo) * 0.2)
    elif chart.kind in ("hbars", "funnel"):
        vals = chart.series[0].values if chart.series else []
        shown = [v or 0 for v in vals]
        ys = list(range(len(cats)))[::-1]
        peak = max(shown) if shown else 0
        if chart.kind == "funnel":
            vals = shown
            lefts = [(peak - v) / 2 for v in vals]
            ax.barh(ys, vals, left=lefts, color=[PALETTE[i % len(PALETTE)] for i in range(len(vals))], height=0.7)
            for y, v, left in zip(ys, vals, lefts):
                share = f"（{v / peak * 100:.0f}%）" if peak else ""
                ax.text(peak / 2, y, f"{_fmt_value(v, unit)}{share}", ha="center", va="center", fontsize=9,
                        color="white" if v > peak * 0.3 else "#222222")
            ax.set_xticks([])
            ax.spines[["bottom"]].set_visible(False)
        else:
            ax.barh(ys, shown, color=PALETTE[0], height=0.65)
            for y, v in zip(ys, vals):
                ax.text(v or 0, y, " " + ("—" if v is None else _fmt_value(v, unit)), va="center", fontsize=8,
                        color="#666666" if v is None else "#222222")
            right = (peak or 1) * 1.25
            if unit == "%":  # where payouts equal fees
                right = max(right, 115)
                ax.axvline(100, color="#999999", linewidth=0.8, linestyle="--")
                ax.text(100, len(ys) - 0.4, " 100%", fontsize=8, color="#666666", va="bottom")
            ax.set_xlim(0, right)
            ax.xaxis.set_major_formatter(lambda v, _pos: _fmt_value(v, unit))
            from matplotlib.ticker import MaxNLocator
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.tick_params(axis="x", labelsize=9)
        ax.set_yticks(ys, cats)
    if chart.kind in ("stacked", "bars"):
        ax.tick_params(axis="x", labelrotation=45 if len(cats) > 8 else 0, labelsize=9)
        ax.yaxis.set_major_formatter(lambda v, _pos: _fmt_value(v, unit))
        ax.set_ylabel(unit, rotation=0, ha="right", va="center", fontsize=9)
        if len(chart.series) > 1:
            width_px = fig.get_figwidth() * fig.dpi * 0.8
            need = sum(12 * len(s.name) + 40 for s in chart.series)  # 9 pt CJK text and its swatch
            ncol = len(chart.series) if need <= width_px else max(1, len(chart.series) // 2 + len(chart.series) % 2)
            ax.legend(fontsize=9, frameon=False, loc="upper left", ncol=ncol)
    ax.tick_params(axis="y", labelsize=9)
    fig.tight_layout()


class ChartWidget(QWidget):
    """A matplotlib canvas showing one Chart; ``png()`` gives the image for export."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chart: Chart | None = None
        self.drawn = False
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        setup_matplotlib()
        self.figure = Figure(figsize=(5, 3.4), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(200, 160)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.canvas)

    def set_chart(self, chart: Chart) -> None:
        """Remember the chart; it is drawn when shown (``ensure_drawn``)."""
        self.chart, self.drawn = chart, False
        if self.isVisible():
            self.ensure_drawn()

    def show_chart(self, chart: Chart) -> None:
        self.set_chart(chart)
        self.ensure_drawn()

    def ensure_drawn(self) -> None:
        if self.chart is not None and not self.drawn:
            draw(self.figure, self.chart)
            self.canvas.draw_idle()
            self.drawn = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.drawn:
            try:
                self.figure.tight_layout()
            except ValueError:  # too small to lay out while the window is being built
                pass

    def png(self, dpi: int = 110) -> bytes:
        self.ensure_drawn()
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()
