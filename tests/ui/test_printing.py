"""Print preview (pages shown, save as PDF, print through QPrinter) and batch
printing in the background (N files; cancel stops early)."""
from __future__ import annotations

import shutil

import pypdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from claims import printing
from claims.store import Actor
from ui.context import AppContext
from ui.printing import PrintPreviewDialog, batch_print, preview_document, print_button
from ui.printing import raster
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


needs_raster = pytest.mark.skipif(raster.backend() is None, reason="no QtPdf and no pdftoppm on this machine")


@pytest.fixture
def ctx(demo_store):
    return AppContext(store=demo_store, actor=logged_in("agent", role="insurer_agent", display_name="李经办"),
                      version="test")


def assessed_case(store) -> str:
    return store.conn.execute("SELECT number FROM cases WHERE state = 'assessed' ORDER BY number").fetchone()[0]


@needs_raster
def test_preview_shows_every_page_and_saves_a_pdf(qtbot, ctx, tmp_path):
    number = assessed_case(ctx.store)
    dlg = preview_document(None, ctx, "benefit_notice", number, exec_=False)
    assert isinstance(dlg, PrintPreviewDialog)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.pages >= 1 and len(dlg.page_labels) == dlg.pages
    assert all(not lab.pixmap().isNull() for lab in dlg.page_labels)
    assert f"共 {dlg.pages} 页" in dlg.info_label.text() and dlg.code in dlg.info_label.text()
    assert ctx.store.printed_document(dlg.code) is None  # looking is not printing
    out = dlg.save_pdf(tmp_path / "notice")
    assert out == tmp_path / "notice.pdf" and out.read_bytes().startswith(b"%PDF")
    assert len(pypdf.PdfReader(str(out)).pages) == dlg.pages
    row = ctx.store.printed_document(dlg.code)
    assert row and row["printed_by"] == "李经办" and row["record_key"] == number
    from forms import render as forms_render
    ok, lines = printing.verify_code(ctx.store, dlg.code, forms_render)
    assert ok, lines


def test_saving_over_a_pdf_open_in_a_reader_keeps_the_copy_and_says_so(qtbot, ctx, tmp_path, monkeypatch):
    """The last copy is open in a PDF reader (simulated: read-only): a calm message naming both
    files, the new PDF beside the old one, and the print recorded once."""
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    number = assessed_case(ctx.store)
    dlg = preview_document(None, ctx, "benefit_notice", number, exec_=False)
    qtbot.addWidget(dlg)
    target = tmp_path / "告知书.pdf"
    target.write_bytes(b"open in a reader")
    target.chmod(0o444)
    out = dlg.save_pdf(target)
    assert out == tmp_path / "告知书 (2).pdf" and out.read_bytes().startswith(b"%PDF")
    assert target.read_bytes() == b"open in a reader"
    assert len(warned) == 1 and "“告知书.pdf”正被其他程序打开" in warned[0] and "告知书 (2).pdf" in warned[0]
    assert ctx.store.printed_document(dlg.code)["record_key"] == number


@needs_raster
def test_print_through_qprinter_sends_every_page(qtbot, ctx, tmp_path):
    number = ctx.store.conn.execute("SELECT number FROM cases WHERE state = 'closed'").fetchone()[0]
    dlg = preview_document(None, ctx, "case_index", number, exec_=False)
    qtbot.addWidget(dlg)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # a PDF "printer" stands in for paper
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_pdf(printer)
    assert len(pypdf.PdfReader(str(tmp_path / "printed.pdf")).pages) == dlg.pages
    assert ctx.store.printed_document(dlg.code) is not None


def test_a_document_that_does_not_apply_is_said_calmly(qtbot, ctx, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    reported = ctx.store.conn.execute("SELECT number FROM cases WHERE state = 'reported'").fetchone()[0]
    assert preview_document(None, ctx, "benefit_notice", reported, exec_=False) is None
    assert shown and "尚未作出待遇核定" in shown[0]


def test_without_a_rasteriser_the_preview_offers_save_only(qtbot, ctx, monkeypatch, tmp_path):
    monkeypatch.setattr(raster, "backend", lambda: None)
    dlg = preview_document(None, ctx, "report_receipt", assessed_case(ctx.store), exec_=False)
    qtbot.addWidget(dlg)
    assert not dlg.print_btn.isEnabled() and dlg.page_labels == []
    assert dlg.save_pdf(tmp_path / "r.pdf").exists()


def test_print_button_lists_the_documents_that_apply(qtbot, ctx):
    from PySide6.QtWidgets import QWidget
    host = QWidget()
    qtbot.addWidget(host)
    number = ctx.store.conn.execute("SELECT number FROM cases WHERE state = 'rejected'").fetchone()[0]
    btn = print_button(host, ctx, "case", lambda: number)
    btn.menu().aboutToShow.emit()
    titles = [a.text() for a in btn.menu().actions()]
    assert "不予确认职业伤害结论书…" in titles and "职业伤害确认结论书…" not in titles


def declared(store, n=None):
    rows = [("fee_declaration", r[0]) for r in store.conn.execute(
        "SELECT number FROM declarations WHERE status != 'draft' ORDER BY number")]
    return rows[:n] if n else rows


def test_batch_print_writes_one_file_per_document(qtbot, ctx, tmp_path):
    items = declared(ctx.store, 6) + [("benefit_notice", "BA1999-NONE-00001")]
    res = batch_print(None, ctx, items, tmp_path / "out", notify=False)
    assert len(res.written) == 6 and not res.cancelled
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in res.written)
    assert all(p.read_bytes().startswith(b"%PDF") for p in res.written)
    assert res.skipped and "找不到案件" in res.skipped[0][2]
    n = ctx.store.conn.execute("SELECT count(*) FROM printed_documents WHERE doc_code = 'fee_declaration'").fetchone()[0]
    assert n == 6


def test_batch_cancel_stops_early(qtbot, ctx, tmp_path):
    items = declared(ctx.store) * 3
    assert len(items) >= 60

    def cancel_when_shown():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog):
                w.findChild(QPushButton).click()  # the 取消 button, as a person would
                return
        QTimer.singleShot(5, cancel_when_shown)

    QTimer.singleShot(0, cancel_when_shown)
    res = batch_print(None, ctx, items, tmp_path / "out", notify=False)
    assert res.cancelled and len(res.written) < len(items)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pdftoppm_backend_renders_a4_pages(qtbot):
    from datetime import datetime

    from claims.docviews import sample_view
    from claims.timeutil import SHANGHAI
    from forms.render import PrintMeta, render
    r = render("case_index", sample_view("case_index"), PrintMeta(datetime(2026, 1, 1, tzinfo=SHANGHAI), "t", "k"))
    imgs = list(raster.page_images(r.pdf, 72, range(r.pages), "pdftoppm"))
    assert len(imgs) == r.pages and all(abs(i.width() - 595) <= 1 and abs(i.height() - 842) <= 1 for i in imgs)
