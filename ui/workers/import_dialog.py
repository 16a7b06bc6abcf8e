"""导入人员: a platform's CSV or XLSX list of workers and their enrollments,
through the shared import flow (ui/imports/dialog.py): map the columns
(remembered per platform), check in a dry run that reports every row, import
in one transaction off the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from claims.i18n import _
from claims.change import Change
from claims.import_formats import WORKER_COLUMNS

from ..imports import dialog as base

OURS = WORKER_COLUMNS  # our columns (cli.md), their Chinese labels, whether required, common names
KIND = "workers"


def auto_match(header: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{their column: our column or SKIP}: remembered first, then exact and common Chinese names."""
    return base.auto_match(OURS, header, remembered)


class ImportDialog(base.ImportDialog):
    TITLE = "导入人员与参保登记"
    KIND = KIND
    STORE_METHOD = "import_workers"
    COLUMNS = OURS

    def __init__(self, parent, ctx):
        super().__init__(parent, ctx)
        self.setMinimumSize(820, 560)
        self.report_view.setColumnWidth(1, 70)
        self.missing_label = self.problem_label

    def build_fields(self, lay) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("文件")))
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_btn)
        top.addWidget(QLabel(_("来源平台")))
        self.platform_box.setToolTip(_("列的对应关系按平台记住；文件中没有平台列时，所有行都记入此平台"))
        top.addWidget(self.platform_box)
        lay.addLayout(top)
        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)  # the file's own column names
        self.header_label.setWordWrap(True)
        lay.addWidget(self.header_label)

    def build_report_bar(self, bar) -> None:
        self.filter_box = QComboBox()
        for text, data in ((_("全部行"), None), (_("只看拒绝"), "rejected"), (_("只看新增"), "new"),
                           (_("只看更新"), "updated"), (_("只看未变"), "unchanged")):
            self.filter_box.addItem(text, data)
        self.filter_box.currentIndexChanged.connect(lambda _i: self._show_rows())
        bar.addWidget(self.filter_box)

    def column_text(self, code: str, label: str, required: bool) -> str:
        return _("{l}（{c}）").format(l=_(label), c=code) + ("＊" if required else "")

    def load_file(self, path) -> bool:
        if not super().load_file(path):
            return False
        self.header_label.setText(_("文件的列（{n}）：{cols}").format(n=len(self.header), cols="、".join(self.header)))
        return True

    # -- the report: every row, filtered -----------------------------------------------------
    def report_rows(self, report) -> list[tuple[int, str, str]]:
        status = self.filter_box.currentData()
        if status == "rejected":
            return [(line, "rejected", msg) for line, msg in report.rejected]
        return [r for r in report.rows if status is None or r[1] == status]

    def report_note(self, report) -> str:
        if report.total <= len(report.rows):
            return ""
        return _("（逐行结果列出前 {n} 行；被拒绝的行全部列出）").format(n=len(report.rows))

    def show_report(self, done: bool) -> None:
        if not done:
            self.filter_box.setCurrentIndex(1 if self.report.rejected else 0)
        super().show_report(done)

    def _show_rows(self) -> None:
        self.report_model.set_rows([] if self.report is None else self.report_rows(self.report))

    def change_for(self, report) -> Change:
        return Change(tables=frozenset({"workers", "enrollments", "stations"}), ids=frozenset(),
                      summary=_("导入人员：") + report.summary())
