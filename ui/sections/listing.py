"""The shape the list sections share (ux.md): a search box that filters as you
type, filters below it, a sortable lazy table, and the selected record's
details with its actions on the right."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from claims.i18n import _
from claims.change import Change

from .base import Section

if TYPE_CHECKING:
    from ..table import Column


class ListSection(Section):
    search_hint = ""

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("搜索"))
        self.filters = QHBoxLayout()
        self.count_label = QLabel()
        self.build_filters()
        from ..table import PagedModel
        self.model = PagedModel(self.columns(), self._fetch, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self._restore_sort()
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._save_sort)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail_box = QWidget()
        dl = QVBoxLayout(self.detail_box)
        dl.setContentsMargins(0, 0, 0, 0)
        self.actions_bar = QHBoxLayout()
        dl.addLayout(self.actions_bar)
        dl.addWidget(self.detail, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        ll.addLayout(top)
        ll.addLayout(self.filters)
        ll.addWidget(self.view, 1)
        split = QSplitter()  # horizontal by default (no `Qt` enum needed)
        split.addWidget(left)
        split.addWidget(self.detail_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(lambda: self.live() and self.reload())
        self.search.textChanged.connect(self._debounce.start)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur.row()))
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        self.build_actions()
        self._loaded = False

    # -- to fill in -------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def fetch(self, offset: int, limit: int) -> list:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def describe(self, record) -> str:
        return ""

    def build_filters(self) -> None:
        pass

    def build_actions(self) -> None:
        pass

    def on_select(self, record) -> None:
        pass

    # -- the order, kept per user -------------------------------------------------
    def _sort_setting(self) -> tuple[dict, dict]:
        from claims import settings
        s = settings.load()
        return s, s.setdefault("sorts", {}).setdefault(self.ctx.actor.username, {})

    def _restore_sort(self) -> None:
        """The order this user chose last time in this list (none: the list's own default)."""
        from PySide6.QtCore import Qt
        _s, mine = self._sort_setting()
        code, desc = (mine.get(self.title) or [None, False])[:2]
        col = next((i for i, c in enumerate(self.model.columns) if code and c.sort_key == code), -1)
        order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(col, order)
        self.model.sort(col, order)

    def _save_sort(self, column: int, order) -> None:
        from claims import settings
        from PySide6.QtCore import Qt
        code = self.model.columns[column].sort_key if 0 <= column < len(self.model.columns) else None
        if not code:
            return
        s, mine = self._sort_setting()
        mine[self.title] = [code, order == Qt.SortOrder.DescendingOrder]
        settings.save(s)

    # -- behaviour ----------------------------------------------------------------
    def add_filter(self, label: str, items: list[tuple[str, str | None]]) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(label)
        for text, data in items:
            box.addItem(text, data)
        box.currentIndexChanged.connect(self.reload)
        self.filters.addWidget(QLabel(label))
        self.filters.addWidget(box)
        return box

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _fetch(self, offset: int, limit: int) -> list:
        return self.fetch(offset, limit)

    def showEvent(self, event) -> None:  # load on first visit only: start-up stays fast
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        self.model.reload()
        if not getattr(self, "_sized", False) and self.model.rowCount():
            self._sized = True  # size columns to the first page once; the user may resize after
            self.view.resizeColumnsToContents()
        n = self.count()
        self.count_label.setText(_("共 {n} 条").format(n=n))
        if self.model.rowCount():
            self.view.selectRow(0)
        else:
            self.detail.setHtml(self.empty_text())
            self.on_select(None)

    def empty_text(self) -> str:
        return "<p style='color:#666'>" + _("没有符合条件的记录。") + "</p>"

    def current(self):
        idx = self.view.currentIndex()
        return self.model.record(idx.row()) if idx.isValid() else None

    def _show(self, row: int) -> None:
        rec = self.model.record(row)
        self.detail.setHtml(self.describe(rec) if rec is not None else "")
        self.on_select(rec)

    def refresh(self, change: Change | None = None) -> None:
        if self._loaded and (change is None or change.tables & self.tables):
            keep = self.view.currentIndex().row()
            self.reload()
            if 0 <= keep < self.model.rowCount():
                self.view.selectRow(keep)
