"""Every list a user reads sorts by a click on its column title — ascending, descending, then
back to the list's own order — and keeps that order per user and per table (the sections keep
theirs the same way, ui/sections/base.py).

``make_sortable(table, key, ctx)`` is the one call a screen makes:
- a QTableWidget (ui/widgets.readonly_table) is reordered here, after each fill has finished
  (a zero-time timer: Qt's own sorting would move rows while a fill is still writing them by
  number). Cells compare by value, not by their text: money (¥9.00 before ¥10.00), counts and
  dates by number, Chinese by pinyin (claims/pinyin.py), "—" and empty cells last both ways.
  A cell whose value its text does not show sets ``SORT_ROLE``. Code that maps a row to its
  record asks ``source_row(table)``: the row's place in the fill, whatever the order on screen.
- a QTableView sorts through its model's ``sort(column, order)``, column -1 meaning the
  model's own order (RowsModel in ui/fees/common.py, StatsTableModel in ui/stats/model.py).

Loaded by the home screen before the first paint: no use of the ``Qt`` namespace at import time."""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, QTimer

SORT_ROLE = 256 + 40   # Qt.UserRole + 40: a cell's value when its text does not show it
ORDER_ROLE = 256 + 41  # Qt.UserRole + 41: the row's place in the fill (set here)
BLANKS = {"", "—", "——", "-", "–", "－"}
# an amount or a count, with a unit after it if any: ¥1,234.50, -¥5.00, 12.5%, 3 天, 56502.00 元/年
_NUMBER = re.compile(r"^([+-]?)¥?\s*([+-]?)(\d[\d,]*(?:\.\d+)?)\s*(%|[\u4e00-\u9fff/]{1,4})?$")
_DIGITS = re.compile(r"\d+")


def value_key(value) -> tuple | None:
    """The order of one cell's value: None for blanks (always last); numbers before texts."""
    if value is None:
        return None
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    text = str(value).strip()
    if text in BLANKS:
        return None
    m = _NUMBER.match(text)
    if m:
        n = float(m.group(3).replace(",", ""))
        return (0, -n if "-" in (m.group(1) + m.group(2)) else n)
    if not text.isascii() and not _DIGITS.search(text):
        from claims.pinyin import sort_key
        return (1, sort_key(text))  # a name: 陈 (chen) before 程 (cheng), 张 under Z
    return (1, "".join(_part(p) for p in _PARTS.findall(text)) + " " + text)


_PARTS = re.compile(r"\d+|[^\x00-\x7f]+|[\x00-\x7f]")


def _part(p: str) -> str:
    """Numbers inside a text by value (第2条 before 第10条, dates in order), Chinese by pinyin."""
    if p.isdigit():
        return p.zfill(12)
    if not p.isascii():
        from claims.pinyin import syllables
        return " ".join(syllables("0" + p)[1:]) + " "  # "0": not read as a surname
    return p.lower()


def ordered(keys: list, descending: bool) -> list[int]:
    """Positions ordered by key, blanks (None) last in both directions; ties keep their order."""
    full = [i for i, k in enumerate(keys) if k is not None]
    empty = [i for i, k in enumerate(keys) if k is None]
    full.sort(key=lambda i: keys[i], reverse=descending)  # stable both ways
    return full + empty


# -- the order, kept per user -----------------------------------------------------------
def _mine(ctx) -> tuple[dict, dict]:
    from claims import settings
    s = settings.load()
    return s, s.setdefault("sorts", {}).setdefault(ctx.actor.username, {})


def saved_order(ctx, key: str):
    """What this user chose last time for the list ``key`` (None: the list's own order)."""
    if ctx is None:
        return None
    return _mine(ctx)[1].get(key)


def save_order(ctx, key: str, value) -> None:
    if ctx is None:
        return
    from claims import settings
    s, mine = _mine(ctx)
    if value is None:
        mine.pop(key, None)
    else:
        mine[key] = value
    settings.save(s)


# -- the one call -------------------------------------------------------------------------
class _Sorter(QObject):
    def __init__(self, view, key: str, ctx):
        super().__init__(view)
        from PySide6.QtWidgets import QTableWidget
        self.view, self.key, self.ctx = view, key, ctx
        self.widget = isinstance(view, QTableWidget)
        self.column, self.descending = -1, False
        self._busy = False
        view.setSortingEnabled(False)  # this object sorts; Qt's would reorder a table while it is filled
        h = view.horizontalHeader()
        h.setSectionsClickable(True)
        h.setSortIndicatorShown(True)
        h.setSortIndicatorClearable(True)  # a third click: the list's own order again
        h.setSortIndicator(-1, h.sortIndicatorOrder())
        if self.widget:
            self._timer = QTimer(self, singleShot=True, interval=0)
            self._timer.timeout.connect(self.apply)
            m = view.model()
            for sig in (m.dataChanged, m.rowsInserted, m.modelReset):
                sig.connect(self._later)
        self._restore()
        h.sortIndicatorChanged.connect(self._chosen)

    # -- per user
    def _title(self, column: int) -> str:
        from PySide6.QtCore import Qt
        t = self.view.model().headerData(column, Qt.Orientation.Horizontal)
        return str(t) if t is not None else ""

    def _restore(self) -> None:
        from PySide6.QtCore import Qt
        title, desc = (saved_order(self.ctx, self.key) or [None, False])[:2]
        cols = self.view.model().columnCount()
        col = next((c for c in range(cols) if title and self._title(c) == title), -1)
        if col >= 0:
            order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
            self.view.horizontalHeader().setSortIndicator(col, order)
            self._set(col, bool(desc))

    def _chosen(self, column: int, order) -> None:
        from PySide6.QtCore import Qt
        desc = order == Qt.SortOrder.DescendingOrder
        self._set(column, desc)
        save_order(self.ctx, self.key, [self._title(column), desc] if column >= 0 else None)

    def _set(self, column: int, descending: bool) -> None:
        self.column, self.descending = column, descending
        if self.widget:
            self.apply()
        else:
            from PySide6.QtCore import Qt
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            self.view.model().sort(column, order)

    # -- a QTableWidget: reorder its items once a fill is over
    def _later(self, *_a) -> None:
        if not self._busy:
            self._timer.start()

    def apply(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._reorder()
        finally:
            self._busy = False

    def _reorder(self) -> None:
        t = self.view
        n, m = t.rowCount(), t.columnCount()
        for r in range(n):  # a row new since the last pass is tagged with its place in the fill
            it = next((t.item(r, c) for c in range(m) if t.item(r, c) is not None), None)
            if it is not None and it.data(ORDER_ROLE) is None:
                it.setData(ORDER_ROLE, r)
        if n < 2:
            return
        if self.column < 0 or self.column >= m:
            keys = [source_row(t, r) for r in range(n)]
            order = ordered(keys, False)
        else:
            keys = [_cell_key(t.item(r, self.column)) for r in range(n)]
            order = ordered(keys, self.descending)
        if order == list(range(n)):
            return
        cur, cur_col = t.currentRow(), max(0, t.currentColumn())
        heights = [t.rowHeight(r) for r in range(n)]
        items = [[t.takeItem(r, c) for c in range(m)] for r in range(n)]
        for new, old in enumerate(order):
            for c in range(m):
                if items[old][c] is not None:
                    t.setItem(new, c, items[old][c])
            if heights[new] != heights[old]:
                t.setRowHeight(new, heights[old])
        if cur >= 0:
            t.setCurrentCell(order.index(cur), cur_col)


def _cell_key(item):
    if item is None:
        return None
    v = item.data(SORT_ROLE)
    return value_key(v if v is not None else item.text())


def make_sortable(view, key: str, ctx) -> QObject:
    """Header clicks sort ``view`` (a QTableWidget or a QTableView over a model with a
    ``sort`` that takes -1 for its own order); the order is kept for ``ctx``'s user under
    ``key``. Returns the object doing it (a child of the view)."""
    old = getattr(view, "_sorter", None)
    if old is not None:
        return old
    view._sorter = _Sorter(view, key, ctx)
    return view._sorter


def source_row(table, row: int | None = None) -> int:
    """The place in the fill of ``row`` (default: the current row) of a table that
    make_sortable may have reordered; -1 when no row is chosen."""
    if row is None:
        row = table.currentRow()
    if row < 0 or row >= table.rowCount():
        return -1
    for c in range(table.columnCount()):
        it = table.item(row, c)
        if it is not None and it.data(ORDER_ROLE) is not None:
            return int(it.data(ORDER_ROLE))
    return row
