"""Print preview: the document's pages as images, 打印… (system dialog,
QPrinter, pages sent as images), 保存为 PDF…, 关闭. The print is recorded (for
``verify``) when it is printed or saved, not when it is only looked at."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPageSize, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFrame, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QVBoxLayout, QWidget)

from claims.errors import ClaimsError
from claims.i18n import _

from ..errors import show_error
from . import raster

PREVIEW_DPI = 120  # page images are rendered once at this resolution; zoom scales them
ZOOMS = (50, 75, 100, 125, 150)


def safe_file_name(text: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in text).strip() or "document"


class PrintPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, pages: int, *, title: str, file_name: str, code: str = "",
                 on_output: Callable[[], None] | None = None, parent: QWidget | None = None,
                 warnings: list[str] | None = None):
        super().__init__(parent)
        self.pdf, self.pages, self.title, self.file_name, self.code = pdf, pages, title, file_name, code
        self._on_output = on_output
        self.output_done = False
        self.images = []
        self.page_labels: list[QLabel] = []
        self.backend = raster.backend()
        self.setWindowTitle(_("打印预览 — {t}").format(t=title))

        head = QHBoxLayout()
        info = _("{t}　共 {n} 页").format(t=title, n=pages)
        if code:
            info += _("　核验码 {c}").format(c=code)
        self.info_label = QLabel(info)
        head.addWidget(self.info_label, 1)
        self.zoom_box = QComboBox()
        self.zoom_box.setAccessibleName(_("缩放"))
        for z in ZOOMS:
            self.zoom_box.addItem(f"{z}%", z)
        self.zoom_box.setCurrentIndex(ZOOMS.index(75))
        self.zoom_box.currentIndexChanged.connect(self._apply_zoom)
        head.addWidget(QLabel(_("缩放")))
        head.addWidget(self.zoom_box)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        canvas = QWidget()
        canvas.setObjectName("pages")
        canvas.setStyleSheet("#pages { background: #808080; }")
        self.pages_layout = QVBoxLayout(canvas)
        self.pages_layout.setSpacing(12)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setWidget(canvas)

        buttons = QDialogButtonBox()
        self.print_btn = QPushButton(_("打印…"))
        self.save_btn = QPushButton(_("保存为 PDF…"))
        self.close_btn = QPushButton(_("关闭"))
        buttons.addButton(self.print_btn, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_btn, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_btn, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_btn.clicked.connect(lambda: self.print_pdf())
        self.save_btn.clicked.connect(lambda: self.save_pdf())
        self.close_btn.clicked.connect(self.reject)
        self.print_btn.setToolTip(_("Ctrl+P：选择打印机并打印"))
        self.save_btn.setToolTip(_("Ctrl+S：保存为 PDF 文件"))
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_pdf)

        lay = QVBoxLayout(self)
        lay.addLayout(head)
        self.warning_label = QLabel("\n".join(_("⚠ {w}").format(w=w) for w in warnings or []))
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color:#c0392b; font-weight:bold")
        self.warning_label.setVisible(bool(warnings))
        lay.addWidget(self.warning_label)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(buttons)
        self._load_pages()
        screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(900, int(screen.width() * 0.9)), int(screen.height() * 0.9))

    # -- pages ------------------------------------------------------------------
    def _load_pages(self) -> None:
        if self.backend is None:
            msg = QLabel(_("本机没有 PDF 预览组件（QtPdf 或 pdftoppm），无法在此显示页面或直接打印。\n"
                           "文书已生成，共 {n} 页：请“保存为 PDF…”，再用 PDF 阅读器查看和打印。").format(n=self.pages))
            msg.setWordWrap(True)
            msg.setStyleSheet("background: white; padding: 24px;")
            self.pages_layout.addWidget(msg)
            self.print_btn.setEnabled(False)
            self.print_btn.setToolTip(_("需要 QtPdf 或 pdftoppm（poppler）才能直接打印；请保存为 PDF 后打印"))
            self.zoom_box.setEnabled(False)
            return
        ratio = self.devicePixelRatioF() or 1.0
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.images = list(raster.page_images(self.pdf, PREVIEW_DPI * ratio, range(self.pages), self.backend))
        except ClaimsError as e:
            self.images = []
            self.pages_layout.addWidget(QLabel(e.message))
            self.print_btn.setEnabled(False)
        finally:
            QGuiApplication.restoreOverrideCursor()
        for n, _img in enumerate(self.images, 1):
            label = QLabel()
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("background: white; border: 1px solid #444;")
            label.setAccessibleName(_("第 {n} 页").format(n=n))
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        zoom = self.zoom_box.currentData() / 100
        ratio = self.devicePixelRatioF() or 1.0
        for img, label in zip(self.images, self.page_labels):
            # 100% = the page's real size on a 96-dpi screen
            w = round(img.width() / ratio * 96 / PREVIEW_DPI * zoom * ratio)
            pm = QPixmap.fromImage(img).scaledToWidth(w, Qt.TransformationMode.SmoothTransformation)
            pm.setDevicePixelRatio(ratio)
            label.setPixmap(pm)

    # -- output --------------------------------------------------------------------
    def _output(self) -> None:
        """Record the print once (printed or saved)."""
        if not self.output_done and self._on_output is not None:
            self._on_output()
        self.output_done = True

    def save_pdf(self, path: str | Path | None = None) -> Path | None:
        if path is None:
            from ..files import save_path
            chosen = save_path(self, "pdf", _("保存为 PDF"), self.file_name, _("PDF 文件 (*.pdf)"))
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from claims.savefile import FileInUse, save_bytes
        try:
            save_bytes(path, self.pdf)
            self._output()
            from ..files import announce_saved
            announce_saved(self.parentWidget() or self, path, _("已保存 PDF"))
        except FileInUse as e:  # held open by a PDF reader: the copy under a free name is the output
            if e.kept is not None:
                self._output()
            show_error(self, e)
            return e.kept
        except Exception as e:  # noqa: BLE001 - the one error path
            show_error(self, e)
            return None
        return path

    def print_pdf(self, printer: QPrinter | None = None) -> bool:
        """Print through the system dialog (or to ``printer`` as given)."""
        if not self.print_btn.isEnabled():
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            printer.setDocName(self.title)
            dlg = QPrintDialog(printer, self)
            dlg.setWindowTitle(_("打印 {t}").format(t=self.title))
            dlg.setMinMax(1, self.pages)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
        try:
            self._paint(printer)
            self._output()
        except Exception as e:  # noqa: BLE001 - the one error path
            show_error(self, e)
            return False
        return True

    def _paint(self, printer: QPrinter) -> None:
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first and last else range(self.pages)
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise ClaimsError(_("无法开始打印：打印机不可用或输出文件无法写入"))
        try:
            dpi = min(printer.resolution(), 300)
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            for n, img in enumerate(raster.page_images(self.pdf, dpi, pages, self.backend)):
                if n:
                    printer.newPage()
                area = painter.viewport()
                size = img.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.x() + (area.width() - size.width()) // 2,
                                        area.y() + (area.height() - size.height()) // 2,
                                        size.width(), size.height()), img)
        finally:
            QGuiApplication.restoreOverrideCursor()
            painter.end()


def preview_document(parent: QWidget | None, ctx, doc_code: str, record_key: str, *,
                     exec_: bool = True) -> PrintPreviewDialog | None:
    """Render one document from the records and show it in the print preview.
    Errors (unknown record, a document that does not apply) are shown calmly."""
    from claims import printing
    from claims.docviews import DOCUMENTS
    from claims.timeutil import now

    try:
        from forms import render as forms_render
        at = now()
        result = printing.render_document(ctx.store, forms_render, doc_code, record_key, ctx.actor, at)
    except Exception as e:  # noqa: BLE001 - shown through the one error path
        show_error(parent, e)
        return None
    title = DOCUMENTS[doc_code][0]
    dlg = PrintPreviewDialog(
        result.pdf, result.pages, title=title, code=result.code,
        file_name=safe_file_name(f"{title}_{result.record_key}.pdf"),
        on_output=lambda: printing.record(ctx.store, result, ctx.actor, at), parent=parent,
        warnings=printing.print_warnings(ctx.store, doc_code))
    if exec_:
        dlg.exec()
    return dlg
