"""One statistics view: its tables (left, one tab each) and its charts (right,
one tab each), the notes that define the figures, and the XLSX export."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from claims.i18n import _
from claims.stats import FILTER_NAMES, View, write_xlsx

from .model import StatsTableModel


class ViewTab(QWidget):
    export_requested = Signal(object)  # self: the section asks where and logs the export

    def __init__(self, key: str, title: str, parent=None, ctx=None):
        super().__init__(parent)
        self.key, self.title = key, title
        self.ctx = ctx  # whose column order the tables keep (ui/sorting.py)
        self.view: View | None = None
        self.stale = True
        self.tables = QTabWidget()
        self.tables.setDocumentMode(True)
        self.charts = QTabWidget()
        self.charts.setDocumentMode(True)
        self.chart_widgets: list = []
        self.table_views: list[QTableView] = []
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_btn = QPushButton(_("导出 XLSX…"))
        self.export_btn.setToolTip(_("导出本视图的全部表格、图表数据和图表图片"))
        self.export_btn.clicked.connect(lambda: self.export_requested.emit(self))
        self.export_btn.setEnabled(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tables, 1)
        ll.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.charts)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setChildrenCollapsible(False)
        self.split = split
        split.splitterMoved.connect(self._user_moved)
        bar = QHBoxLayout()
        self.caption = QLabel()
        self.caption.setStyleSheet("color: #555;")
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.export_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self.tables.currentChanged.connect(self._show_note)
        self.tables.currentChanged.connect(self.fit_columns)
        self.charts.currentChanged.connect(self._draw_current)

    # -- content ------------------------------------------------------------------
    def show_view(self, view: View, caption: str = "", with_charts: bool = True) -> None:
        self.view = view
        self.stale = False
        keep = self.tables.currentIndex()
        for i, t in enumerate(view.tables):
            if i < len(self.table_views):
                self.table_views[i].model().set_table(t)
                self.tables.setTabText(i, t.title)
            else:
                tv = self._table_view(StatsTableModel(t, self))
                self.table_views.append(tv)
                self.tables.addTab(tv, t.title)
        self.tables.setCurrentIndex(max(0, keep))
        self._size_split()
        ignored = "、".join(_(FILTER_NAMES[k]) for k in view.ignored_filters)
        self.caption.setText(caption + (_("（本视图不按{f}筛选）").format(f=ignored) if ignored else ""))
        self._show_note()
        self.export_btn.setEnabled(True)
        if with_charts:
            self.draw_charts()

    def draw_charts(self) -> None:
        """Draw the chart on show (imports matplotlib on first use); the
        others are drawn when their tab is opened, or for an export."""
        if self.view is None:
            return
        from . import preload
        preload.wait()
        from .charts import ChartWidget
        for i, chart in enumerate(self.view.charts):
            if i >= len(self.chart_widgets):
                w = ChartWidget(self)
                self.chart_widgets.append(w)
                self.charts.addTab(w, chart.title)
            self.charts.setTabText(i, chart.title)
            self.chart_widgets[i].set_chart(chart)
        self._draw_current()

    def _draw_current(self, *_a) -> None:
        i = self.charts.currentIndex()
        if 0 <= i < len(self.chart_widgets):
            self.chart_widgets[i].ensure_drawn()

    @property
    def charts_drawn(self) -> bool:
        return bool(self.chart_widgets) and self.chart_widgets[max(0, self.charts.currentIndex())].drawn

    # -- every column in sight ---------------------------------------------------------
    def _needed(self, tv: QTableView) -> int:
        tv.resizeColumnsToContents()
        cols = tv.model().columnCount()
        return sum(tv.columnWidth(c) for c in range(cols)) + tv.verticalScrollBar().sizeHint().width() + 6

    def _split_sizes(self, total: int) -> list[int]:
        """The tables as wide as their columns need, between 45 % and 70 % of the
        width; the charts the rest (never narrower than 30 %)."""
        need = max((self._needed(tv) for tv in self.table_views), default=total // 2) + 16  # the tab's frame
        left = max(int(total * 0.45), min(need, int(total * 0.70)))
        return [left, total - left]

    def fit_columns(self, *_a) -> None:
        """Columns sized to their contents; when that is wider than the pane, the
        widest text columns (names, numbers of declarations) are narrowed first,
        figures only if that is not enough — so no column hides off the right
        edge and no amount is cut (a narrowed cell's full text is its tooltip)."""
        page = self.tables.currentWidget()  # every page has the current one's size; a hidden one may not know it
        for tv in self.table_views:
            self._needed(tv)
            width = page.width() if page is not None and page.width() > 100 else self.tables.width() - 8
            avail = width - 2 * tv.frameWidth() - tv.verticalScrollBar().sizeHint().width() - 2
            cols = tv.model().table.columns if tv.model().table else []
            widths = [tv.columnWidth(c) for c in range(len(cols))]
            excess = sum(widths) - avail
            if avail <= 0 or excess <= 0:
                continue
            texts = sorted((c for c in range(1, len(cols)) if cols[c].kind == "text"), key=lambda c: -widths[c])
            while excess > 0 and texts:  # water-filling: the widest text column gives way first
                c = texts[0]
                floor = max(48, widths[texts[1]] if len(texts) > 1 else 48)
                cut = min(excess, widths[c] - floor)
                if cut <= 0:
                    texts.pop(0)
                    continue
                widths[c] -= cut
                excess -= cut
            if excess > 0:
                scale = avail / sum(widths)
                widths = [max(36, int(w * scale)) for w in widths]
            for c, w in enumerate(widths):
                tv.setColumnWidth(c, w)

    def _size_split(self) -> None:
        """Share the width between tables and charts (until the user drags the handle), then fit the columns."""
        if self.view is not None and not self.split.property("user") and self.split.width() > 0:
            self.split.blockSignals(True)
            self.split.setSizes(self._split_sizes(self.split.width()))
            self.split.blockSignals(False)
        self.fit_columns()

    def _user_moved(self, *_a) -> None:
        self.split.setProperty("user", True)
        self.fit_columns()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._size_split()

    def _table_view(self, model) -> QTableView:
        tv = QTableView()
        tv.setModel(model)
        tv.setAlternatingRowColors(True)
        tv.verticalHeader().setVisible(False)
        tv.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        tv.horizontalHeader().setStretchLastSection(True)
        tv.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        tv.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        tv.setWordWrap(False)
        tv.setTextElideMode(Qt.TextElideMode.ElideRight)
        tv.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        tv.horizontalHeader().setStretchLastSection(False)
        from ..sorting import make_sortable
        make_sortable(tv, "统计." + self.key + "." + (model.table.key if model.table else ""), self.ctx)
        return tv

    def _show_note(self, *_a) -> None:
        if self.view is None or not self.view.tables:
            return
        i = max(0, self.tables.currentIndex())
        self.note.setText(self.view.tables[min(i, len(self.view.tables) - 1)].note)

    # -- export ---------------------------------------------------------------------
    def export_xlsx(self, path, subtitle: str = "") -> int:
        """Write the view's tables, its charts' data and images; returns the row count."""
        if self.view is None:
            return 0
        tables = list(self.view.tables) + [c.table() for c in self.view.charts]
        images = []
        if self.charts_drawn:
            images = [(_("图-{t}").format(t=w.chart.title), w.png()) for w in self.chart_widgets if w.chart]
            self._draw_current()
        write_xlsx(path, tables, images, title=self.title, subtitle=subtitle)
        return sum(len(t.rows) for t in self.view.tables)
