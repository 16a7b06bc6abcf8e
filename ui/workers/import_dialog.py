"""导入人员: choose a platform's CSV or XLSX export, map its columns to ours
(remembered per platform), check it in a dry run that reports every row, then
import it in one transaction. Both runs are off the GUI thread and can be
cancelled; a cancelled or failed import leaves the database as it was."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout)

from claims.i18n import _
from claims.change import Change
from claims.tabular import header_of, read_rows

from ..errors import show_error
from ..tasks import run_task
from .report_model import ReportModel

# our columns (cli.md), their Chinese labels, whether required, and names platforms commonly use
OURS = [
    ("name", "姓名", True, ("姓名", "名字", "骑手姓名", "司机姓名", "人员姓名")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "身份证", "证件号码", "公民身份号码")),
    ("phone", "手机号码", True, ("手机", "手机号", "手机号码", "联系电话", "电话")),
    ("platform", "平台", True, ("平台", "平台名称", "所属平台")),
    ("station", "站点", False, ("站点", "站点名称", "所属站点", "配送站")),
    ("industry", "行业", True, ("行业", "行业类别", "所属行业")),
    ("enrolled_on", "参保日期", True, ("参保日期", "起始日期", "参保起始日期", "开始日期")),
    ("bank_card", "银行账号", False, ("银行卡号", "银行账号", "银行卡", "收款账号")),
    ("address", "住址", False, ("地址", "住址", "居住地址", "联系地址")),
]
SKIP = ""
KIND = "workers"


def auto_match(header: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{their column: our column or SKIP}: remembered first, then exact and common Chinese names."""
    remembered = remembered or {}
    out, taken = {}, set()
    for h in header:
        ours = remembered.get(h)
        if ours and ours not in taken:
            out[h] = ours
            taken.add(ours)
    for h in header:
        if h in out:
            continue
        key = h.strip().lower().replace(" ", "")
        for code, label, _req, aliases in OURS:
            if code not in taken and (key == code or key == label or key in aliases):
                out[h] = code
                taken.add(code)
                break
        else:
            out[h] = SKIP
    return out


def count_rows(path: Path) -> int:
    """A quick estimate of the data rows, for the progress bar."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True)
        try:
            return max(0, (wb.worksheets[0].max_row or 1) - 1)
        finally:
            wb.close()
    with path.open("rb") as fh:
        return max(0, sum(1 for _l in fh) - 1)


def mapped_rows(path: Path, mapping: dict[str, str], default_platform: str):
    """The file's rows under our column names; the chosen platform fills an empty platform cell."""
    renamed = {h: (ours or f"__skip{i}") for i, (h, ours) in enumerate(mapping.items())}
    for line, rec in read_rows(path, renamed):
        if default_platform and not rec.get("platform"):
            rec["platform"] = default_platform
        yield line, rec


class ImportDialog(QDialog):
    def __init__(self, parent, ctx):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("导入人员与参保登记"))
        self.setMinimumSize(820, 560)
        self.resize(960, 680)
        self.path: Path | None = None
        self.header: list[str] = []
        self.report = None          # last dry run
        self.result_value = None    # (report, change) of the applied import
        lay = QVBoxLayout(self)

        top = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(_("选择平台导出的 CSV（UTF-8）或 XLSX 文件"))
        choose = QPushButton(_("选择文件…"))
        choose.clicked.connect(self.choose_file)
        top.addWidget(QLabel(_("文件")))
        top.addWidget(self.file_edit, 1)
        top.addWidget(choose)
        top.addWidget(QLabel(_("来源平台")))
        self.platform_box = QComboBox()
        self.platform_box.addItem(_("（按文件中的“平台”列）"), "")
        for p in ctx.store.platforms():
            self.platform_box.addItem(p.name, p.name)
        self.platform_box.setToolTip(_("列的对应关系按平台记住；文件中没有平台列时，所有行都记入此平台"))
        self.platform_box.currentIndexChanged.connect(lambda _i: self._apply_mapping())
        top.addWidget(self.platform_box)
        lay.addLayout(top)

        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        lay.addWidget(self.header_label)
        self.map_table = QTableWidget(0, 3)
        self.map_table.setHorizontalHeaderLabels([_("文件中的列"), _("第一行的内容"), _("导入为")])
        self.map_table.verticalHeader().setVisible(False)
        self.map_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.map_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.map_table, 2)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        lay.addWidget(self.missing_label)

        mid = QHBoxLayout()
        self.dry_btn = QPushButton(_("检查（试运行，不写入）"))
        self.dry_btn.clicked.connect(self.dry_run)
        self.summary_label = QLabel(_("先选择文件并核对列的对应关系，再检查。"))
        self.summary_label.setWordWrap(True)
        self.filter_box = QComboBox()
        for text, data in ((_("全部行"), None), (_("只看拒绝"), "rejected"), (_("只看新增"), "new"),
                           (_("只看更新"), "updated"), (_("只看未变"), "unchanged")):
            self.filter_box.addItem(text, data)
        self.filter_box.currentIndexChanged.connect(lambda _i: self._show_report())
        mid.addWidget(self.dry_btn)
        mid.addWidget(self.summary_label, 1)
        mid.addWidget(self.filter_box)
        lay.addLayout(mid)
        self.report_model = ReportModel(self)
        self.report_view = QTableView()
        self.report_view.setModel(self.report_model)
        self.report_view.verticalHeader().setVisible(False)
        self.report_view.horizontalHeader().setStretchLastSection(True)
        self.report_view.setColumnWidth(0, 70)
        self.report_view.setColumnWidth(1, 70)
        lay.addWidget(self.report_view, 3)

        bottom = QHBoxLayout()
        self.why = QLabel()
        self.why.setStyleSheet("color:#777")
        self.import_btn = QPushButton(_("导入"))
        self.import_btn.clicked.connect(self.apply)
        self.close_btn = QPushButton(_("关闭"))
        self.close_btn.clicked.connect(self.reject)
        bottom.addWidget(self.why, 1)
        bottom.addWidget(self.import_btn)
        bottom.addWidget(self.close_btn)
        lay.addLayout(bottom)
        self._update_buttons()

    # -- file and mapping -----------------------------------------------------------
    def choose_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("选择要导入的文件"), "",
                                               _("表格文件 (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx)"))
        if path:
            self.load_file(path)

    def load_file(self, path) -> None:
        path = Path(path)
        try:
            header = header_of(path)
            rows = read_rows(path)
            sample = next(rows, (0, {}))[1]
            rows.close()
        except Exception as e:  # noqa: BLE001 - shown through the one error path
            show_error(self, e)
            return
        self.path, self.header = path, header
        self.file_edit.setText(str(path))
        self.header_label.setText(_("文件的列（{n}）：{cols}").format(n=len(header), cols="、".join(header)))
        self.map_table.setRowCount(len(header))
        for r, h in enumerate(header):
            self.map_table.setItem(r, 0, QTableWidgetItem(h))
            self.map_table.setItem(r, 1, QTableWidgetItem(str(sample.get(h, ""))[:40]))
            box = QComboBox()
            box.addItem(_("（不导入）"), SKIP)
            for code, label, req, _aliases in OURS:
                box.addItem(_("{l}（{c}）").format(l=_(label), c=code) + ("＊" if req else ""), code)
            box.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.map_table.setCellWidget(r, 2, box)
        self._apply_mapping()

    def platform_key(self) -> str:
        return self.platform_box.currentData() or ""

    def set_platform(self, name: str) -> None:
        self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(name)))

    def _apply_mapping(self) -> None:
        if not self.header:
            return
        matched = auto_match(self.header, self.ctx.store.import_mapping(self.platform_key(), KIND))
        for r, h in enumerate(self.header):
            box = self.map_table.cellWidget(r, 2)
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(matched[h])))
            box.blockSignals(False)
        self._mapping_changed()

    def set_mapping(self, their: str, ours: str) -> None:
        box = self.map_table.cellWidget(self.header.index(their), 2)
        box.setCurrentIndex(box.findData(ours))

    def mapping(self) -> dict[str, str]:
        return {h: self.map_table.cellWidget(r, 2).currentData() for r, h in enumerate(self.header)}

    def problems(self) -> list[str]:
        if self.path is None:
            return [_("请先选择文件")]
        used = [v for v in self.mapping().values() if v]
        out = []
        dup = sorted({v for v in used if used.count(v) > 1})
        if dup:
            out.append(_("同一列被对应了多次：{c}").format(c="、".join(_(lab) for c, lab, *_r in OURS if c in dup)))
        missing = [lab for code, lab, req, _a in OURS if req and code not in used
                   and not (code == "platform" and self.platform_key())]
        if missing:
            out.append(_("尚未对应必填列：{c}").format(c="、".join(_(m) for m in missing)))
        return out

    def _mapping_changed(self) -> None:
        self.report = None
        self.report_model.set_rows([])
        probs = self.problems()
        self.missing_label.setText("<span style='color:#c0392b'>" + "；".join(probs) + "</span>" if probs else "")
        if self.path is not None:
            self.summary_label.setText(_("核对列的对应关系后，点“检查”。"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        probs = self.problems()
        self.dry_btn.setEnabled(not probs)
        ok = self.report is not None and self.report.total > len(self.report.rejected)
        self.import_btn.setEnabled(ok)
        if probs:
            why = probs[0]
        elif self.report is None:
            why = _("导入前请先检查（试运行）")
        elif not ok:
            why = _("没有可导入的行")
        else:
            why = _("将导入 {n} 行；被拒绝的 {r} 行不导入").format(n=self.report.total - len(self.report.rejected),
                                                           r=len(self.report.rejected))
        self.why.setText(why)
        self.import_btn.setToolTip(why)

    # -- runs ---------------------------------------------------------------------
    def _run(self, dry: bool):
        path, mapping, platform = self.path, self.mapping(), self.platform_key()
        db, site, actor = self.ctx.store.path, self.ctx.store.site_id, self.ctx.actor
        self.ctx.store.save_import_mapping(platform, KIND, mapping)

        def work(progress, cancelled):
            from claims.store import Store
            store = Store(db, site)  # this thread's own connection
            try:
                total = count_rows(path)
                progress(0, total)
                return store.import_workers(actor, mapped_rows(path, mapping, platform), dry_run=dry,
                                            file_name=path.name, progress=lambda n: progress(n, total),
                                            cancel=cancelled)
            finally:
                store.close()

        return run_task(self, _("检查") if dry else _("导入"), work)

    def dry_run(self) -> None:
        try:
            report = self._run(True)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.report = report
        self.summary_label.setText(report.summary() + self._cap_note(report))
        self.filter_box.setCurrentIndex(1 if report.rejected else 0)
        self._show_report()
        self._update_buttons()

    @staticmethod
    def _cap_note(report) -> str:
        if report.total <= len(report.rows):
            return ""
        return _("（逐行结果列出前 {n} 行；被拒绝的行全部列出）").format(n=len(report.rows))

    def _show_report(self) -> None:
        rep, status = self.report, self.filter_box.currentData()
        if rep is None:
            self.report_model.set_rows([])
        elif status == "rejected":
            self.report_model.set_rows((line, "rejected", msg) for line, msg in rep.rejected)
        else:
            self.report_model.set_rows(r for r in rep.rows if status is None or r[1] == status)

    def apply(self) -> None:
        try:
            report = self._run(False)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        change = Change(tables=frozenset({"workers", "enrollments", "stations"}), ids=frozenset(),
                        summary=_("导入人员：") + report.summary())
        self.result_value = (report, change)
        self.report = report
        self.summary_label.setText(_("已导入。") + report.summary() + self._cap_note(report))
        self._show_report()
        self.import_btn.setEnabled(False)
        self.why.setText(_("导入完成，可以关闭此窗口"))
        self.close_btn.setText(_("完成"))
        self.close_btn.setFocus()

    def reject(self) -> None:
        if self.result_value is not None:
            self.accept()
        else:
            super().reject()

    @classmethod
    def ask(cls, parent, ctx):
        """Returns (report, change) of the import applied, or None."""
        dlg = cls(parent, ctx)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()
