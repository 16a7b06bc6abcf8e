"""A lazy, paged table model over a store query: rows are fetched a page at a
time as the view scrolls (canFetchMore/fetchMore); nothing loads a whole table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


@dataclass
class Column:
    title: str
    value: Callable[[Any], Any]
    sort_key: str | None = None  # store sort code when the column can be sorted
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    color: Callable[[Any], Any] | None = None


class PagedModel(QAbstractTableModel):
    PAGE = 200

    def __init__(self, columns: list[Column], fetch: Callable[[int, int], list], parent=None):
        super().__init__(parent)
        self.columns = columns
        self._fetch = fetch
        self._rows: list = []
        self._more = False  # nothing is fetched until the first reload()
        self._started = False
        self.sort_code: str | None = None
        self.descending = False

    # -- data source ----------------------------------------------------------
    def set_fetch(self, fetch: Callable[[int, int], list]) -> None:
        self._started = True
        self.beginResetModel()
        self._fetch = fetch
        self._rows, self._more = [], True
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_fetch(self._fetch)

    def record(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt model ---------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent) -> None:
        if parent.isValid() or not self._more:
            return
        batch = self._fetch(len(self._rows), self.PAGE)
        self._more = len(batch) == self.PAGE
        if batch:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        col = self.columns[index.column()]
        rec = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            v = col.value(rec)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            return col.color(rec)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the store (the model holds only loaded pages); before the
        first load it only records the order."""
        code = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        if column >= 0 and not code:
            return
        self.sort_code, self.descending = code, order == Qt.SortOrder.DescendingOrder
        if self._started:
            self.reload()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None
