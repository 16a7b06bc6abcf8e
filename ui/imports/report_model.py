"""The row-by-row result of an import (dry run or real), as a table model;
shown by every import dialog (ui/imports/dialog.py)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from claims.i18n import _

STATUS = {"new": "新增", "updated": "更新", "unchanged": "未变", "rejected": "拒绝", "conflict": "冲突",
          "mapped": "改记"}
COLORS = {"rejected": "#c0392b", "conflict": "#b9770e", "updated": "#b9770e", "mapped": "#b9770e"}


class ReportModel(QAbstractTableModel):
    HEAD = ("行号", "结果", "说明")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[int, str, str]] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line, status, detail = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(line) if line else "", _(STATUS.get(status, status)), detail)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return detail  # a long reason is cut off in the cell
        if role == Qt.ItemDataRole.ForegroundRole and status in COLORS:
            return QBrush(QColor(COLORS[status]))
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.HEAD[section])
        return None
