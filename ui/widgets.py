"""Small widgets several screens share. Loaded by the home screen before the first
paint, so it does not touch PySide6's `Qt` namespace at import time (see ui/sections/base.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def readonly_table(headers: list[str], *, stretch: int | None = -1, rows: bool = True,
                   alternate: bool = False) -> QTableWidget:
    """A table the user reads and selects from but never edits: columns sized to their
    contents, column `stretch` (default the last; None: none) taking the rest of the width,
    whole rows selected one at a time (rows=False: cells, as for reading long text)."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if rows:
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(alternate)
    h = t.horizontalHeader()
    h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch == -1:
        h.setStretchLastSection(True)
    elif stretch is not None:
        h.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t
