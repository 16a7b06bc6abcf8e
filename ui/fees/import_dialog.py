"""导入订单: a platform's order records (or, where it only provides them, its
daily order counts) from CSV or XLSX, through the shared import flow
(ui/imports/dialog.py): columns mapped to ours and remembered per platform, a
dry run that lists every rejected row with its line number and reason, the
import off the GUI thread in one transaction with progress and cancel."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit

from claims.i18n import _
from claims.change import Change
from claims.import_formats import DAILY_COUNT_COLUMNS, ORDER_COLUMNS

from ..imports.dialog import ImportDialog

# kind -> [(our column, label, required, common names in platform exports)]
COLUMNS = {"orders": ORDER_COLUMNS, "daily_counts": DAILY_COUNT_COLUMNS}
KIND_LABELS = {"orders": "订单记录", "daily_counts": "日单量（平台只提供每人每日单量时）"}
STORE_METHODS = {"orders": "import_orders", "daily_counts": "import_daily_counts"}


class OrderImportDialog(ImportDialog):
    TITLE = "导入订单记录"
    SIZE = (980, 700)

    def __init__(self, parent, ctx, kind: str = "orders"):
        super().__init__(parent, ctx)
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))  # no file yet: nothing to redo

    def build_fields(self, lay) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.kind_box = QComboBox()
        for k, label in KIND_LABELS.items():
            self.kind_box.addItem(_(label), k)
        self.kind_box.currentIndexChanged.connect(lambda _i: self.load_file(self.path) if self.path else None)
        form.addRow(_("导入内容"), self.kind_box)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_btn)
        form.addRow(_("文件"), row)
        form.addRow(_("来源平台"), self.platform_box)
        self.region_edit = QLineEdit("310000")
        self.region_edit.setMaximumWidth(120)
        self.region_edit.textEdited.connect(lambda _t: self._changed())
        form.addRow(_("默认地区代码"), self.region_edit)
        hint = QLabel(_("列的对应关系按平台记住。文件没有“平台”或“地区代码”列时，用上面选定的平台和默认地区。"))
        hint.setStyleSheet("color:#666")
        hint.setWordWrap(True)
        form.addRow("", hint)
        lay.addLayout(form)

    def kind(self) -> str:
        return self.kind_box.currentData()

    def columns(self):
        return COLUMNS[self.kind()]

    def store_method(self) -> str:
        return STORE_METHODS[self.kind()]

    def constants(self) -> dict[str, str]:
        return {k: v for k, v in (("platform", self.platform_key()), ("region", self.region_edit.text().strip())) if v}

    def change_for(self, report) -> Change:
        tables = {"orders", "daily_counts"} if self.kind() == "orders" else {"daily_counts"}
        return Change(tables=frozenset(tables), summary=_("导入{k}：").format(
            k=_(KIND_LABELS[self.kind()]).split("（")[0]) + report.summary())

    @classmethod
    def ask(cls, parent, ctx, path=None, kind: str = "orders", platform: str | None = None):
        """(report, change) of the import applied, or None. ``path`` skips the file chooser."""
        return super().ask(parent, ctx, path, platform, kind=kind)
