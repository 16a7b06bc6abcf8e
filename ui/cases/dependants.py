"""The dependants of a deceased worker (供养亲属): relation, lone elder, orphan."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QVBoxLayout,
                               QWidget)

from claims.enums import Relation
from claims.i18n import _


class DependantsEditor(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("关系"), _("孤寡老人"), _("孤儿")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(84)
        self.table.setMaximumHeight(120)
        self.add_btn = QPushButton(_("添加"))
        self.remove_btn = QPushButton(_("删除所选"))
        self.add_btn.clicked.connect(lambda: self.add())
        self.remove_btn.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.remove_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)

    def add(self, relation: str = "spouse", lone_elder: bool = False, orphan: bool = False) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        box = QComboBox()
        for rel in Relation:
            box.addItem(rel.label, rel.value)
        box.setCurrentIndex(max(0, box.findData(relation)))
        box.currentIndexChanged.connect(self.changed)
        self.table.setCellWidget(r, 0, box)
        for col, val in ((1, lone_elder), (2, orphan)):
            cb = QCheckBox()
            cb.setChecked(val)
            cb.toggled.connect(self.changed)
            self.table.setCellWidget(r, col, cb)
        self.changed.emit()

    def remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()} or {self.table.currentRow()}, reverse=True)
        for r in rows:
            if r >= 0:
                self.table.removeRow(r)
        self.changed.emit()

    def values(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            out.append({"relation": self.table.cellWidget(r, 0).currentData(),
                        "lone_elder": self.table.cellWidget(r, 1).isChecked(),
                        "orphan": self.table.cellWidget(r, 2).isChecked()})
        return out
