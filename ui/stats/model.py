"""A table model over one ``claims.stats.Table`` (a few dozen aggregated rows:
held whole, unlike record lists). Numbers are right-aligned; the total row is
bold; a “—” cell says why in its tooltip; long column titles wrap onto two
lines so that a view's columns fit beside its chart."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from claims.stats import Table, fmt


class StatsTableModel(QAbstractTableModel):
    def __init__(self, table: Table | None = None, parent=None):
        super().__init__(parent)
        self.table = table
        self._text: list[list[str]] = []
        self._order: list[int] = []  # shown row -> the table's row (the total stays last)
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self._bold = QFont()
        self._bold.setBold(True)
        if table is not None:
            self.set_table(table)

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        rows = list(table.rows) + ([table.total] if table.total else [])
        self._text = [[fmt(c.kind, v) for c, v in zip(table.columns, r)] for r in rows]
        self._order = self._ordered()
        self.endResetModel()

    def _ordered(self) -> list[int]:
        """The rows by the chosen column's value (figures as numbers, names by pinyin, “—”
        last), else in the view's own order; the total row always last."""
        from ..sorting import ordered, value_key
        t = self.table
        n = len(t.rows) if t is not None else 0
        order = list(range(n))
        if t is not None and 0 <= self.sort_column < len(t.columns):
            keys = [value_key(r[self.sort_column]) for r in t.rows]
            order = ordered(keys, self.sort_order == Qt.SortOrder.DescendingOrder)
        return order + ([n] if t is not None and t.total else [])

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._order = self._ordered()
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._text)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._text):
            return None
        col = self.table.columns[index.column()]
        row = self._order[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[row][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignLeft if col.kind == "text" else Qt.AlignmentFlag.AlignRight
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.table.total and row == len(self._text) - 1:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            why = self.table.tips.get(f"{row},{index.column()}")
            if why:
                return why
            text = self._text[row][index.column()]
            return text if len(text) > 12 else None  # a long name, in case the column is narrow
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not self.table:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return wrap_title(self.table.columns[section].title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.table.columns[section].title
        return None


def wrap_title(title: str) -> str:
    """A column title of more than five characters on two lines, broken where it
    reads naturally (before “（”, after “·” or a space), else in the middle."""
    if len(title) <= 5 or "\n" in title:
        return title
    for mark, after in (("（", False), ("·", True), (" ", True)):
        i = title.find(mark)
        if 0 < i < len(title) - 1:
            cut = i + 1 if after else i
            return title[:cut].strip() + "\n" + title[cut:].strip()
    half = (len(title) + 1) // 2
    return title[:half] + "\n" + title[half:]
