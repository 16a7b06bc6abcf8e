"""导入订单: a platform's order records (or, where it only provides them, its
daily order counts) from CSV or XLSX. Columns are mapped to ours and the
mapping is remembered per platform; a dry run lists every rejected row with
its line number and reason; the import runs off the GUI thread in one
transaction, with progress and cancel (a cancel leaves the database as it was)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout)

from claims.i18n import _
from claims.change import Change
from claims.store.fees import with_constants
from claims.tabular import header_of, read_rows

from ..errors import show_error
from ..tasks import run_task
from ..workers.report_model import ReportModel

# kind -> [(our column, label, required, common names in platform exports)]
COLUMNS = {
    "orders": [
        ("order_no", "订单号", True, ("订单号", "订单编号", "运单号", "单号")),
        ("platform", "平台", True, ("平台", "平台名称")),
        ("industry", "行业", True, ("行业", "业务类型", "行业类别")),
        ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码", "骑手身份证", "司机身份证")),
        ("accepted_at", "接单时间", True, ("接单时间", "接单时刻", "开始时间")),
        ("finished_at", "完成时间", False, ("完成时间", "送达时间", "结束时间")),
        ("region", "地区代码", True, ("地区代码", "统筹地区", "行政区划代码")),
    ],
    "daily_counts": [
        ("platform", "平台", True, ("平台", "平台名称")),
        ("industry", "行业", True, ("行业", "业务类型")),
        ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码")),
        ("day", "日期", True, ("日期", "接单日期", "业务日期")),
        ("orders", "单量", True, ("单量", "订单数", "接单量", "日单量")),
        ("region", "地区代码", True, ("地区代码", "统筹地区")),
    ],
}
KIND_LABELS = {"orders": "订单记录", "daily_counts": "日单量（平台只提供每人每日单量时）"}
SKIP = ""


def auto_match(kind: str, header: list[str], remembered: dict | None) -> dict[str, str]:
    out, taken = {}, set()
    for h in header:
        ours = (remembered or {}).get(h)
        if ours and ours not in taken:
            out[h] = ours
            taken.add(ours)
    for h in header:
        if h in out:
            continue
        key = h.strip().lower().replace(" ", "")
        out[h] = next((c for c, lab, _r, names in COLUMNS[kind] if c not in taken and key in (c, lab, *names)), SKIP)
        taken.add(out[h])
    return out


def count_lines(path: Path) -> int:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return 0  # unknown without reading the sheet: the progress shows a count only
    with path.open("rb") as fh:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1)


class OrderImportDialog(QDialog):
    def __init__(self, parent, ctx, kind: str = "orders"):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("导入订单记录"))
        self.resize(980, 700)
        self.path: Path | None = None
        self.header: list[str] = []
        self.report = None
        self.result_value = None
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.kind_box = QComboBox()
        for k, label in KIND_LABELS.items():
            self.kind_box.addItem(_(label), k)
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))
        self.kind_box.currentIndexChanged.connect(lambda _i: self.load_file(self.path) if self.path else None)
        form.addRow(_("导入内容"), self.kind_box)
        row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(_("选择平台导出的 CSV（UTF-8）或 XLSX 文件"))
        choose = QPushButton(_("选择文件…"))
        choose.clicked.connect(self.choose_file)
        row.addWidget(self.file_edit, 1)
        row.addWidget(choose)
        form.addRow(_("文件"), row)
        self.platform_box = QComboBox()
        self.platform_box.addItem(_("（按文件中的“平台”列）"), "")
        for p in ctx.store.platforms():
            self.platform_box.addItem(p.name, p.name)
        self.platform_box.currentIndexChanged.connect(lambda _i: self._apply_mapping())
        form.addRow(_("来源平台"), self.platform_box)
        self.region_edit = QLineEdit("310000")
        self.region_edit.setMaximumWidth(120)
        self.region_edit.textEdited.connect(lambda _t: self._changed())
        form.addRow(_("默认地区代码"), self.region_edit)
        hint = QLabel(_("列的对应关系按平台记住。文件没有“平台”或“地区代码”列时，用上面选定的平台和默认地区。"))
        hint.setStyleSheet("color:#666")
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.map_table = QTableWidget(0, 3)
        self.map_table.setHorizontalHeaderLabels([_("文件中的列"), _("第一行的内容"), _("导入为")])
        self.map_table.verticalHeader().setVisible(False)
        self.map_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.map_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color:#c0392b")
        self.problem_label.setWordWrap(True)
        mid = QHBoxLayout()
        self.dry_btn = QPushButton(_("检查（试运行，不写入）"))
        self.dry_btn.clicked.connect(self.dry_run)
        self.summary_label = QLabel(_("先选择文件并核对列的对应关系，再检查。"))
        self.summary_label.setWordWrap(True)
        mid.addWidget(self.dry_btn)
        mid.addWidget(self.summary_label, 1)
        self.report_model = ReportModel(self)
        self.report_view = QTableView()
        self.report_view.setModel(self.report_model)
        self.report_view.verticalHeader().setVisible(False)
        self.report_view.horizontalHeader().setStretchLastSection(True)
        self.report_view.setColumnWidth(0, 70)
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
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.map_table, 2)
        lay.addWidget(self.problem_label)
        lay.addLayout(mid)
        lay.addWidget(self.report_view, 3)
        lay.addLayout(bottom)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.import_btn.isEnabled() and self.apply())
        self._changed()

    # -- file and mapping -------------------------------------------------------------
    def kind(self) -> str:
        return self.kind_box.currentData()

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
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.path, self.header = path, header
        self.file_edit.setText(str(path))
        self.map_table.setRowCount(len(header))
        for r, h in enumerate(header):
            self.map_table.setItem(r, 0, QTableWidgetItem(h))
            self.map_table.setItem(r, 1, QTableWidgetItem(str(sample.get(h, ""))[:40]))
            box = QComboBox()
            box.addItem(_("（不导入）"), SKIP)
            for code, label, req, _n in COLUMNS[self.kind()]:
                box.addItem(_(label) + ("＊" if req else ""), code)
            box.currentIndexChanged.connect(lambda _i: self._changed())
            self.map_table.setCellWidget(r, 2, box)
        self._apply_mapping()

    def set_platform(self, name: str) -> None:
        self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(name)))

    def set_mapping(self, their: str, ours: str) -> None:
        box = self.map_table.cellWidget(self.header.index(their), 2)
        box.setCurrentIndex(box.findData(ours))

    def mapping(self) -> dict[str, str]:
        return {h: self.map_table.cellWidget(r, 2).currentData() for r, h in enumerate(self.header)}

    def _apply_mapping(self) -> None:
        if not self.header:
            return
        matched = auto_match(self.kind(), self.header,
                             self.ctx.store.import_mapping(self.platform_box.currentData(), self.kind()))
        for r, h in enumerate(self.header):
            box = self.map_table.cellWidget(r, 2)
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(matched[h])))
            box.blockSignals(False)
        self._changed()

    def constants(self) -> dict[str, str]:
        return {k: v for k, v in (("platform", self.platform_box.currentData()),
                                  ("region", self.region_edit.text().strip())) if v}

    def problems(self) -> list[str]:
        if self.path is None:
            return [_("请先选择文件")]
        used = [v for v in self.mapping().values() if v]
        out = []
        dup = sorted({v for v in used if used.count(v) > 1})
        if dup:
            out.append(_("同一列被对应了多次：{c}").format(c="、".join(dup)))
        missing = [_(lab) for code, lab, req, _n in COLUMNS[self.kind()]
                   if req and code not in used and code not in self.constants()]
        if missing:
            out.append(_("尚未对应必填列：{c}").format(c="、".join(missing)))
        return out

    def _changed(self) -> None:
        self.report = None
        self.report_model.set_rows([])
        probs = self.problems()
        self.problem_label.setText("；".join(probs) if self.path is not None else "")
        self.dry_btn.setEnabled(not probs)
        self._update_import()

    def _update_import(self) -> None:
        rep = self.report
        ok = rep is not None and rep.total > len(rep.rejected) and self.result_value is None
        self.import_btn.setEnabled(ok)
        probs = self.problems()
        why = (probs[0] if probs else _("导入前请先检查（试运行）") if rep is None else
               _("导入完成，可以关闭此窗口") if self.result_value is not None else _("没有可导入的行") if not ok else
               _("将导入 {n} 行；被拒绝的 {r} 行不导入").format(n=rep.total - len(rep.rejected), r=len(rep.rejected)))
        self.why.setText(why)
        self.import_btn.setToolTip(why)

    # -- runs ---------------------------------------------------------------------------
    def _run(self, dry: bool):
        path, kind, consts = self.path, self.kind(), self.constants()
        renamed = {h: (ours or f"__skip{i}") for i, (h, ours) in enumerate(self.mapping().items())}
        store, actor = self.ctx.store, self.ctx.actor
        store.save_import_mapping(self.platform_box.currentData(), kind, {h: o for h, o in self.mapping().items() if o})
        db, site = store.path, store.site_id

        def work(progress, cancelled):
            from claims.store import Store
            own = Store(db, site)  # SQLite connections are per thread
            try:
                total = count_lines(path)
                progress(0, total)
                fn = own.import_orders if kind == "orders" else own.import_daily_counts
                return fn(actor, with_constants(read_rows(path, renamed), consts), dry_run=dry, file_name=path.name,
                          progress=lambda n: progress(n, total), cancel=cancelled)
            finally:
                own.close()

        return run_task(self, _("检查") if dry else _("导入"), work)

    def _show(self, rep, done: bool) -> None:
        rows = [(line, "rejected", msg) for line, msg in rep.rejected]
        rows += [r for r in rep.rows if r[1] == "conflict"]
        rows += [(0, "conflict", c) for c in rep.conflicts if not c.startswith("第 ")]
        self.report_model.set_rows(rows)
        head = _("已导入。") if done else ""
        self.summary_label.setText(head + rep.summary() + (_("；以下逐行列出被拒绝的行及原因") if rep.rejected else ""))

    def dry_run(self) -> None:
        try:
            rep = self._run(True)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.report = rep
        self._show(rep, False)
        self._update_import()

    def apply(self) -> None:
        try:
            rep = self._run(False)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        tables = {"orders", "daily_counts"} if self.kind() == "orders" else {"daily_counts"}
        self.result_value = (rep, Change(tables=frozenset(tables), summary=_("导入{k}：").format(
            k=_(KIND_LABELS[self.kind()]).split("（")[0]) + rep.summary()))
        self.report = rep
        self._show(rep, True)
        self._update_import()
        self.close_btn.setText(_("完成"))

    def reject(self) -> None:
        if self.result_value is not None:
            self.accept()
        else:
            super().reject()

    @classmethod
    def ask(cls, parent, ctx, path: str | Path | None = None, kind: str = "orders", platform: str | None = None):
        """(report, change) of the import applied, or None. ``path`` skips the file chooser."""
        dlg = cls(parent, ctx, kind)
        if platform:
            dlg.set_platform(platform)
        if path:
            dlg.load_file(path)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()
