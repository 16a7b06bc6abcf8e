"""What the fee screens share: a small in-memory table model for short lists
(reconciliation rows, drill-down, amounts) whose cells can be highlighted,
the colours that mark a difference, and month pickers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QDateEdit

from claims.i18n import _
from claims.money import format_yuan

RED = "#c0392b"       # a difference, an amount missing, money owed after the due date
AMBER = "#b9770e"     # an amount not yet confirmed
DIFF_BG = "#fdecea"   # background of a cell whose difference is not zero
WARN_BG = "#fff4e0"

RATE_TEXT = {"confirmed": "已确认", "unconfirmed": "未确认", "missing": "缺少金额"}
RATE_COLOR = {"unconfirmed": AMBER, "missing": RED}


def signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


def signed_yuan(fen: int) -> str:
    return ("+" if fen > 0 else "") + format_yuan(fen) if fen else format_yuan(0)


@dataclass
class Col:
    title: str
    value: Callable[[Any], Any]
    numeric: bool = False
    color: Callable[[Any], str | None] | None = None
    background: Callable[[Any], str | None] | None = None
    sort: Callable[[Any], Any] | None = None  # raw sort key (default: the shown value)
    tip: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    """Rows held in memory: only for short lists (a page of months, one
    station's workers, one worker's days)."""

    def __init__(self, cols: list[Col], parent=None):
        super().__init__(parent)
        self.cols = cols
        self.rows: list = []
        self._given: list = []  # the rows in the order they were given (the list's own order)
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder

    def set_rows(self, rows) -> None:
        """New rows, shown in the order the user chose (ui/sorting.py), else as given."""
        self.beginResetModel()
        self._given = list(rows)
        self.rows = self._ordered()
        self.endResetModel()

    def _ordered(self) -> list:
        from ..sorting import ordered, value_key
        if not 0 <= self.sort_column < len(self.cols):
            return list(self._given)
        col = self.cols[self.sort_column]
        key = col.sort or col.value
        keys = [value_key(key(r)) for r in self._given]
        return [self._given[i] for i in ordered(keys, self.sort_order == Qt.SortOrder.DescendingOrder)]

    def record(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.cols)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        col, rec = self.cols[index.column()], self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            v = col.value(rec)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = Qt.AlignmentFlag.AlignRight if col.numeric else Qt.AlignmentFlag.AlignLeft
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            c = col.color(rec)
            return QBrush(QColor(c)) if c else None
        if role == Qt.ItemDataRole.BackgroundRole and col.background:
            c = col.background(rec)
            return QBrush(QColor(c)) if c else None
        if role == Qt.ItemDataRole.FontRole and col.color and col.color(rec):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole and col.tip:
            return col.tip(rec) or None
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.cols[section].title
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """By a column's value (money as money, names by pinyin, blanks last), or the
        rows' own order for column -1."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows = self._ordered()
        self.layoutChanged.emit()


def month_edit(d: date) -> QDateEdit:
    w = QDateEdit()
    w.setDisplayFormat("yyyy-MM")
    w.setCalendarPopup(True)
    w.setDate(QDate(d.year, d.month, 1))
    w.setMinimumDate(QDate(2022, 7, 1))
    return w


def month_of(w: QDateEdit) -> str:
    q = w.date()
    return f"{q.year():04d}-{q.month():02d}"


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def platform_combo(store, all_text: str | None = None, actor=None) -> QComboBox:
    """The platforms to choose from; a station manager (``actor``) has only their own."""
    own = actor.platform_id if actor is not None and actor.role == "station_manager" else None
    box = QComboBox()
    box.setAccessibleName(_("平台"))
    if all_text is not None and own is None:
        box.addItem(all_text, None)
    for p in store.platforms(actor=actor):
        box.addItem(p.name, p.id)
    return box
