"""A table model over one ``claims.stats.Table`` (a few dozen aggregated rows:
held whole, unlike record lists). Numbers are right-aligned; the total row is bold."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from claims.stats import Table, fmt


class StatsTableModel(QAbstractTableModel):
    def __init__(self, table: Table | None = None, parent=None):
        super().__init__(parent)
        self.table = table
        self._text: list[list[str]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        if table is not None:
            self.set_table(table)

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        rows = list(table.rows) + ([table.total] if table.total else [])
        self._text = [[fmt(c.kind, v) for c, v in zip(table.columns, r)] for r in rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._text)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._text):
            return None
        col = self.table.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignLeft if col.kind == "text" else Qt.AlignmentFlag.AlignRight
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.table.total and index.row() == len(self._text) - 1:
            return self._bold
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and self.table:
            return self.table.columns[section].title
        return None
