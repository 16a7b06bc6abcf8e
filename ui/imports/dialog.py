"""One import flow for workers, order records and daily order counts: choose
a CSV or XLSX file, map its columns to ours (matched by common Chinese names,
remembered per platform), check it in a dry run that reports every row, then
import it in one transaction. Both runs are off the GUI thread with progress
and cancel; a cancelled or failed import leaves the database as it was.

After a real import that changed rows, the same background task brings the
statistics aggregates up to date (``Store.refresh_stats``), so that 统计 opens
at once instead of making its next reader wait.

A concrete dialog declares its columns, lays out its own fields (file,
platform, …) and names the store method; everything else is here."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QProgressDialog, QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout)

from claims.i18n import _
from claims.store.fees import with_constants
from claims.import_formats import Column, required
from claims.tabular import FileRefused, estimate_rows, header_of, read_rows

from ..errors import show_error
from ..tasks import run_task
from .report_model import ReportModel

log = logging.getLogger("zhibaotong.ui")

SKIP = ""


def auto_match(columns: list[Column], header: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{their column: our column or SKIP}: the remembered mapping first, then
    our code, our label or a common name; each of our columns is used once."""
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
        out[h] = next((c for c, lab, _r, names in columns if c not in taken and key in (c, lab, *names)), SKIP)
        taken.add(out[h])
    return out


def count_rows(path: Path) -> int:
    """A quick estimate of the data rows, for the progress bar (0: unknown)."""
    return estimate_rows(path)


class _Say(QObject):
    """A line of text for the running task's progress dialog, sent from the
    import thread and shown in the GUI thread (run_task's progress carries
    numbers only). The phase it announces has no count: the bar turns busy,
    and the dialog shows if the phase lasts, even after a quick import."""
    said = Signal(str)

    def __init__(self, dialog: QDialog):
        super().__init__(dialog)
        self.dialog = dialog
        self.running: QProgressDialog | None = None
        self.said.connect(self.show_text)

    @Slot(str)
    def show_text(self, text: str) -> None:
        found = self.dialog.findChildren(QProgressDialog)  # run_task's dialog: the newest child
        if not found:
            return
        progress = self.running = found[-1]
        progress.setRange(0, 0)
        progress.setLabelText(text)
        QTimer.singleShot(300, self, lambda: self.running is progress and not progress.isVisible() and progress.show())


class ImportDialog(QDialog):
    """The flow; a subclass sets the class attributes (or overrides the
    methods of the same names) and lays out its fields in ``build_fields``."""
    TITLE = ""
    KIND = ""                      # the mappings remembered per platform are per kind
    STORE_METHOD = ""              # Store.<it>(actor, rows, *, dry_run, file_name, progress, cancel) -> ImportReport
    COLUMNS: list[Column] = []
    SIZE = (960, 680)

    def __init__(self, parent, ctx):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_(self.TITLE))
        self.resize(*self.SIZE)
        self.path: Path | None = None
        self.header: list[str] = []
        self.report = None          # the last run's ImportReport
        self.result_value = None    # (report, change) of the applied import
        self._say = _Say(self)
        lay = QVBoxLayout(self)

        # the fields a concrete dialog lays out in build_fields
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(_("选择平台导出的 CSV（UTF-8）或 XLSX 文件"))
        self.choose_btn = QPushButton(_("选择文件…"))
        self.choose_btn.clicked.connect(self.choose_file)
        self.platform_box = QComboBox()
        self.platform_box.addItem(_("（按文件中的“平台”列）"), "")
        for p in ctx.store.platforms(actor=ctx.actor):
            self.platform_box.addItem(p.name, p.name)
        self.platform_box.currentIndexChanged.connect(lambda _i: self._apply_mapping())
        self.build_fields(lay)

        self.map_table = QTableWidget(0, 3)
        self.map_table.setHorizontalHeaderLabels([_("文件中的列"), _("第一行的内容"), _("导入为")])
        self.map_table.verticalHeader().setVisible(False)
        self.map_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.map_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.map_table, 2)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color:#c0392b")
        self.problem_label.setWordWrap(True)
        lay.addWidget(self.problem_label)

        bar = QHBoxLayout()
        self.dry_btn = QPushButton(_("检查（试运行，不写入）"))
        self.dry_btn.clicked.connect(self.dry_run)
        self.summary_label = QLabel(_("先选择文件并核对列的对应关系，再检查。"))
        self.summary_label.setWordWrap(True)
        bar.addWidget(self.dry_btn)
        bar.addWidget(self.summary_label, 1)
        self.build_report_bar(bar)
        lay.addLayout(bar)
        self.report_model = ReportModel(self)
        self.report_view = QTableView()
        self.report_view.setModel(self.report_model)
        self.report_view.verticalHeader().setVisible(False)
        self.report_view.horizontalHeader().setStretchLastSection(True)
        self.report_view.setColumnWidth(0, 70)
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
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.import_btn.isEnabled() and self.apply())
        self._changed()

    # -- what a concrete dialog declares ----------------------------------------------
    def build_fields(self, lay: QVBoxLayout) -> None:
        """Lay out file_edit, choose_btn, platform_box and the dialog's own fields."""
        raise NotImplementedError

    def build_report_bar(self, bar: QHBoxLayout) -> None:
        """Widgets after the dry-run button and the summary (e.g. a filter)."""

    def columns(self) -> list[Column]:
        return self.COLUMNS

    def kind(self) -> str:
        return self.KIND

    def store_method(self) -> str:
        return self.STORE_METHOD

    def column_text(self, code: str, label: str, required: bool) -> str:
        return _(label) + ("＊" if required else "")

    def constants(self) -> dict[str, str]:
        """Values for columns the file lacks (filled where a row's cell is empty)."""
        return {"platform": self.platform_key()} if self.platform_key() else {}

    def report_rows(self, report) -> list[tuple[int, str, str]]:
        """The rows the report table lists: by default the rejected rows and the conflicts."""
        rows = [(line, "rejected", msg) for line, msg in report.rejected]
        rows += [r for r in report.rows if r[1] in ("conflict", "mapped")]
        return rows + [(0, "conflict", c) for c in report.conflicts if not c.startswith("第 ")]

    def report_note(self, report) -> str:
        return _("；以下逐行列出被拒绝的行及原因") if report.rejected else ""

    def change_for(self, report):
        """The Change handed to the screens after a real import."""
        raise NotImplementedError

    # -- file and mapping ---------------------------------------------------------------
    def choose_file(self) -> None:
        from ..files import open_path
        path = open_path(self, "import", _("选择要导入的文件"), _("表格文件 (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx)"))
        if path:
            self.load_file(path)

    def load_file(self, path) -> bool:
        path = Path(path)
        try:
            header = header_of(path)
            rows = read_rows(path)
            sample = next(rows, (0, {}))[1]
            rows.close()
        except FileRefused as e:
            self.path, self.header = None, []
            self.map_table.setRowCount(0)
            self.file_edit.setText(str(path))
            self._changed()
            self.show_refused(e)
            return False
        except Exception as e:  # noqa: BLE001 - shown through the one error path
            show_error(self, e)
            return False
        self.path, self.header = path, header
        self.file_edit.setText(str(path))
        self.map_table.setRowCount(len(header))
        for r, h in enumerate(header):
            self.map_table.setItem(r, 0, QTableWidgetItem(h))
            self.map_table.setItem(r, 1, QTableWidgetItem(str(sample.get(h, ""))[:40]))
            box = QComboBox()
            box.addItem(_("（不导入）"), SKIP)
            for code, label, req, _n in self.columns():
                box.addItem(self.column_text(code, label, req), code)
            box.currentIndexChanged.connect(lambda _i: self._changed())
            self.map_table.setCellWidget(r, 2, box)
        self._apply_mapping()
        return True

    def platform_key(self) -> str:
        return self.platform_box.currentData() or ""

    def set_platform(self, name: str) -> None:
        self.platform_box.setCurrentIndex(max(0, self.platform_box.findData(name)))

    def _apply_mapping(self) -> None:
        if not self.header:
            return
        remembered = self.ctx.store.import_mapping(self.platform_key(), self.kind())
        matched = auto_match(self.columns(), self.header, remembered)
        for r, h in enumerate(self.header):
            box = self.map_table.cellWidget(r, 2)
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(matched[h])))
            box.blockSignals(False)
        self._changed()

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
        dup = {v for v in used if used.count(v) > 1}
        if dup:
            out.append(_("同一列被对应了多次：{c}").format(c="、".join(_(lab) for c, lab, *_r in self.columns()
                                                                    if c in dup)))
        consts = self.constants()
        missing = [_(lab) for code, lab, req, _n in self.columns() if req and code not in used and code not in consts]
        if missing:
            out.append(_("尚未对应必填列：{c}").format(c="、".join(missing)))
        return out

    def _changed(self) -> None:
        self.report = None
        self.report_model.set_rows([])
        self.summary_label.setStyleSheet("")
        probs = self.problems()
        self.problem_label.setText("；".join(probs) if self.path is not None else "")
        if self.path is not None:
            self.summary_label.setText(_("核对列的对应关系后，点“检查”。"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        rep, probs = self.report, self.problems()
        self.dry_btn.setEnabled(not probs)
        ok = rep is not None and rep.total > len(rep.rejected) and self.result_value is None
        self.import_btn.setEnabled(ok)
        why = (probs[0] if probs else _("导入前请先检查（试运行）") if rep is None else
               _("导入完成，可以关闭此窗口") if self.result_value is not None else _("没有可导入的行") if not ok else
               _("将导入 {n} 行；被拒绝的 {r} 行不导入").format(n=rep.total - len(rep.rejected), r=len(rep.rejected)))
        self.why.setText(why)
        self.import_btn.setToolTip(why)

    # -- runs ------------------------------------------------------------------------------
    def _run(self, dry: bool):
        """(report, whether the statistics were left for later), from a worker thread."""
        path, consts, method, mapping = self.path, self.constants(), self.store_method(), self.mapping()
        renamed = {h: (ours or f"__skip{i}") for i, (h, ours) in enumerate(mapping.items())}
        needed = required(self.columns(), set(consts))
        store, actor, say = self.ctx.store, self.ctx.actor, self._say
        store.save_import_mapping(self.platform_key(), self.kind(), {h: o for h, o in mapping.items() if o})
        db, site = store.path, store.site_id

        def work(progress, cancelled):
            from claims.store import Store
            own = Store(db, site)  # SQLite connections are per thread
            try:
                total = count_rows(path)
                progress(0, total)
                rows = read_rows(path, renamed, required=needed)
                report = getattr(own, method)(actor, with_constants(rows, consts), dry_run=dry,
                                              file_name=path.name, progress=lambda n: progress(n, total),
                                              cancel=cancelled)
                if dry or not (report.new or report.updated) or not own.stats_pending():
                    return report, False
                if cancelled():
                    return report, True
                # The import is committed. Cancel now only skips this step: refresh_stats rolls back and
                # the statistics screen refreshes on its next read, as it would without this step.
                say.said.emit(_("已导入，正在更新统计…"))
                own.conn.set_progress_handler(lambda: 1 if cancelled() else 0, 100_000)
                try:
                    own.refresh_stats(progress=lambda m: say.said.emit(_("已导入，正在更新统计（{m}）…").format(m=m)))
                except Exception:  # noqa: BLE001 - the import stands; logged, and said in the summary
                    if not cancelled():
                        log.exception("statistics refresh after an import failed")
                    return report, True
                return report, False
            finally:
                own.close()

        try:
            return run_task(self, _("检查") if dry else _("导入"), work)
        finally:
            say.running = None

    def dry_run(self) -> None:
        try:
            self.report, _later = self._run(True)
        except FileRefused as e:
            self.show_refused(e)
            return
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.show_report(False)
        self._update_buttons()

    def apply(self) -> None:
        try:
            report, stats_later = self._run(False)
        except FileRefused as e:  # the file changed since the check
            self.show_refused(e)
            return
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.result_value = (report, self.change_for(report))
        self.report = report
        self.show_report(True)
        if stats_later:
            self.summary_label.setText(self.summary_label.text() + _("（统计汇总将在打开“统计”时更新）"))
        self._update_buttons()
        self.close_btn.setText(_("完成"))
        self.close_btn.setFocus()

    def show_refused(self, e: FileRefused) -> None:
        """A file refused as a whole: said in the dialog, in the report's place; nothing can be imported."""
        self.report = None
        self.report_model.set_rows([(0, "rejected", e.message)])
        self.report_view.setWordWrap(True)
        self.report_view.resizeRowsToContents()
        self.summary_label.setText(_("整个文件被拒绝，没有导入任何一行。"))
        self.summary_label.setStyleSheet("color:#c0392b; font-weight:bold")
        self.import_btn.setEnabled(False)
        self.why.setText(_("请按上表的说明修正文件，再重新选择文件"))
        self.import_btn.setToolTip(self.why.text())

    def show_report(self, done: bool) -> None:
        rep = self.report
        self.report_model.set_rows(self.report_rows(rep))
        self.summary_label.setText((_("已导入。") if done else "") + rep.summary() + self.report_note(rep))

    def reject(self) -> None:
        if self.result_value is not None:
            self.accept()
        else:
            super().reject()

    @classmethod
    def ask(cls, parent, ctx, path: str | Path | None = None, platform: str | None = None, **options):
        """(report, change) of the import applied, or None. ``path`` skips the file chooser."""
        dlg = cls(parent, ctx, **options)
        if platform:
            dlg.set_platform(platform)
        if path:
            dlg.load_file(path)
        try:
            dlg.exec()
            return dlg.result_value
        finally:
            dlg.deleteLater()
