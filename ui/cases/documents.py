"""材料: the case's checklist (received / missing), the documents on file,
attaching a file (copied into the data folder by content hash), and the one
notice of everything that is missing."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from claims import checklist as rules
from claims.errors import ClaimsError
from claims.i18n import _

from ..errors import show_error
from ..forms import HINT_STYLE, FormDialog, date_edit, pydate
from ..sorting import make_sortable, source_row
from ..widgets import readonly_table
from . import common
from claims.timeutil import today as china_today

OK, MISSING = QColor("#1e8449"), QColor("#c0392b")


class AttachDialog(FormDialog):
    save_label = "登记"
    field_keys = {"文件": "file"}

    def __init__(self, parent, ctx, case_id: str, doc_type: str | None = None):
        super().__init__(parent, ctx, _("登记材料"))
        self.case = ctx.store.case(case_id, ctx.actor)
        self.kind = self.add("kind", _("材料类别"), QComboBox())
        needed = {r.doc_type for r in ctx.store.checklist(case_id)}
        for d in rules.document_types():
            self.kind.addItem(d["name"] + ("" if d["code"] in needed else _("（本案非必需）")), d["code"])
        self.kind.addItem(rules.document_label("other"), "other")
        if doc_type:
            self.kind.setCurrentIndex(max(0, self.kind.findData(doc_type)))
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_("可不附文件（只登记纸质材料）"))
        pick = QPushButton(_("选择文件…"))
        pick.clicked.connect(self.pick)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(pick)
        self.add("file", _("扫描件"), row, hint=_("文件会复制到数据文件夹保存，原文件移动或删除也不影响"), inputs=[self.file])
        self.pages = self.add("pages", _("页数"), QSpinBox())
        self.pages.setRange(0, 999)
        self.pages.setValue(1)
        self.received = self.add("date", _("收到日期"), date_edit(china_today(), maximum=china_today()))
        self.finish()
        self.resize(600, self.sizeHint().height())

    def pick(self) -> None:
        from ..files import open_path
        path = open_path(self, "scan", _("选择扫描件"), _("扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"))
        if path:
            self.file.setText(path)

    def problems(self) -> dict[str, str]:
        p = {}
        f = self.file.text().strip()
        if f and not Path(f).is_file():
            p["file"] = _("找不到文件 {f}").format(f=f)
        return p

    def save(self):
        """The store's change record (it names the document and can be undone)."""
        _doc, change = self.ctx.store.add_document(
            self.ctx.actor, self.case.id, doc_type=self.kind.currentData(), pages=self.pages.value(),
            received_on=pydate(self.received.date()), file_path=self.file.text().strip() or None)
        return change


class DocumentsPanel(QWidget):
    changed = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.case = None
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.checklist = readonly_table([_("材料（悬停看原因，双击登记）"), _("状态"), _("页数"), _("收到日期")],
                                        stretch=0)
        self.checklist.itemDoubleClicked.connect(lambda it: self.attach(self._row_type(it.row())))
        self.received = readonly_table([_("类别"), _("文件"), _("页数"), _("收到日期")], stretch=1)
        self.received.setMaximumHeight(150)
        make_sortable(self.checklist, "案件.材料清单", ctx)
        make_sortable(self.received, "案件.已收材料", ctx)
        self.received.itemDoubleClicked.connect(lambda it: self.open_file(source_row(self.received, it.row())))
        self.intake_btn = QPushButton(_("材料接收…"))
        self.intake_btn.setToolTip(_("在一个画面中按清单登记收到的材料（勾选、页数、日期、扫描件），并打印材料接收凭证"))
        self.intake_btn.clicked.connect(self.intake)
        self.attach_btn = QPushButton(_("登记材料…"))
        self.attach_btn.setToolTip(_("登记一份材料（包括清单以外的材料）"))
        self.attach_btn.clicked.connect(lambda: self.attach(self._row_type(self.checklist.currentRow())))
        self.notice_btn = QPushButton(_("一次性告知…"))
        self.notice_btn.setToolTip(_("把所有缺少的材料列在一份告知书中，案件转为“材料待补”并开始计时"))
        self.notice_btn.clicked.connect(self.issue_notice)
        self.print_notice_btn = QPushButton(_("打印告知书"))
        self.print_notice_btn.clicked.connect(lambda: self.print_doc("missing_documents_notice"))
        self.print_receipt_btn = QPushButton(_("打印材料接收凭证"))
        self.print_receipt_btn.clicked.connect(lambda: self.print_doc("document_receipt"))
        bar = QHBoxLayout()
        for b in (self.intake_btn, self.attach_btn, self.notice_btn, self.print_notice_btn, self.print_receipt_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.notice_label)
        lay.addLayout(bar)
        lay.addWidget(self.checklist, 2)
        hint = QLabel(_("已收材料（双击打开扫描件）"))
        hint.setStyleSheet(HINT_STYLE)
        lay.addWidget(hint)
        lay.addWidget(self.received, 1)

    def _row_type(self, row: int) -> str | None:
        it = self.checklist.item(row, 0) if row >= 0 else None
        return it.data(256) if it else None

    def show_case(self, case) -> None:
        self.case = case
        s = self.ctx.store
        enabled = case is not None
        for b in (self.intake_btn, self.attach_btn, self.notice_btn, self.print_notice_btn, self.print_receipt_btn):
            b.setEnabled(enabled)
        if case is None:
            self.checklist.setRowCount(0)
            self.received.setRowCount(0)
            self.notice_label.setText("")
            return
        rows = s.checklist(case.id)
        self.checklist.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.label, _("已收") if row.received else _("缺"), str(row.pages) if row.received else "",
                     row.received_on.isoformat() if row.received_on else ""]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if c == 0:
                    it.setData(256, row.doc_type)
                    it.setToolTip(_("需要的原因：{r}").format(r=row.reason))
                if c == 1:
                    it.setForeground(OK if row.received else MISSING)
                self.checklist.setItem(r, c, it)
        docs = s.case_documents(case.id)
        self._docs = docs
        self.received.setRowCount(len(docs))
        for r, d in enumerate(docs):
            for c, text in enumerate([rules.document_label(d.doc_type), d.file_name or _("（纸质）"), str(d.pages),
                                      d.received_on.isoformat() if d.received_on else ""]):
                self.received.setItem(r, c, QTableWidgetItem(text))
        missing = [r for r in rows if not r.received]
        notices = s.missing_notices_of(case.id)
        open_ = next((n for n in reversed(notices) if n.status == "open"), None)
        parts = [_("必需材料 {n} 项，已收 {k} 项，缺 {m} 项。").format(n=len(rows), k=len(rows) - len(missing), m=len(missing))]
        if open_:
            parts.append(_("已于 {d} 发出一次性告知 {no}（{k} 项），限 {due} 前补正。").format(
                d=open_.issued_on.isoformat(), no=open_.number, k=len(open_.items),
                due=open_.due_on.isoformat() if open_.due_on else "—"))
        elif notices:
            parts.append(_("曾发出告知 {k} 次，最近一次 {no}（已结束）。").format(k=len(notices), no=notices[-1].number))
        self.notice_label.setText("".join(parts))
        can_transition = self.ctx.actor.role in ("insurer_agent", "reviewer", "admin")
        self.notice_btn.setEnabled(bool(missing) and can_transition)
        self.notice_btn.setToolTip(_("材料已齐全") if not missing else _("须由承办机构经办人发出") if not can_transition
                                   else _("把所有缺少的材料列在一份告知书中，案件转为“材料待补”并开始计时"))
        self.print_notice_btn.setEnabled(bool(notices))

    def intake(self) -> None:
        from .intake import IntakeDialog
        if self.case is None:
            return
        change = IntakeDialog.ask(self, self.ctx, self.case.id)
        if change is not None:
            self.changed.emit(change)

    def attach(self, doc_type: str | None = None) -> None:
        if self.case is None:
            return
        change = AttachDialog.ask(self, self.ctx, self.case.id, doc_type)
        if change is not None:
            self.changed.emit(change)

    def issue_notice(self) -> None:
        if self.case is None:
            return
        missing = self.ctx.store.missing_documents(self.case.id)
        text = _("将发出一次性告知，列明以下全部 {n} 项缺少的材料，案件转为“材料待补”并开始计时：\n\n{l}\n\n确定发出吗？").format(
            n=len(missing), l="\n".join(f"· {m.label}" for m in missing))
        if not common.confirm(self, _("一次性告知"), text):
            return
        try:
            notice, change = self.ctx.store.issue_missing_notice(self.ctx.actor, self.case.id)
        except Exception as e:  # noqa: BLE001 - one error path
            show_error(self, e)
            return
        self.changed.emit(change)
        if common.printing() is not None and common.confirm(self, _("一次性告知"), _("已发出告知 {n}。现在打印告知书吗？").format(
                n=notice.number)):
            self.print_doc("missing_documents_notice")

    def print_doc(self, code: str) -> None:
        if self.case is not None:
            common.preview(self, self.ctx, code, self.case.number)

    def open_file(self, row: int) -> None:
        d = self._docs[row] if 0 <= row < len(self._docs) else None
        if d is None or not d.content_hash:
            return
        view = view_copy(self.ctx.store.files_dir / d.content_hash[:2] / d.content_hash, d.file_name or d.content_hash)
        if isinstance(view, Exception):
            show_error(self, view)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(view)))



def view_copy(kept: Path, name: str) -> Path | Exception:
    """A copy of a stored scan to open in the system's viewer: stored without a name,
    the copy carries the original one so the viewer knows the type. It lives in this
    run's private temporary folder (0700; one folder per opening, so two scans of the
    same name never meet), removed when the program closes."""
    import shutil
    import tempfile

    from claims.private import open_private, session_dir
    view = Path(tempfile.mkdtemp(dir=session_dir())) / Path(name).name
    try:
        with open(kept, "rb") as fin, open_private(view, "wb") as fout:
            shutil.copyfileobj(fin, fout)
    except OSError as e:
        return ClaimsError(_("无法打开材料文件：{e}").format(e=e.strerror or e))
    return view
