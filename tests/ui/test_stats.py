"""The 统计 section on the demo database: every view shows figures, tables
and charts export to XLSX, the monthly report is an A4 PDF with its title."""
import argparse

import pytest

from ui.app import open_main_window
from claims.store.base import Actor, _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


STATS = 4  # position in the left bar


@pytest.fixture
def section(qtbot, demo_db):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                         actor=logged_in("admin", role="admin", display_name="系统管理员"))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.nav.setCurrentRow(STATS)
    sec = w.stack.currentWidget()
    assert sec.title == "统计"
    qtbot.waitUntil(lambda: sec.tabs is not None and not sec.view_tabs[0].stale)
    return sec


def test_each_tab_shows_tables_with_rows_and_a_chart(section, qtbot):
    titles = [section.tabs.tabText(i) for i in range(section.tabs.count())]
    assert titles == ["参保与活跃", "订单与缴费", "案件", "办理时长", "待遇支出", "支缴率", "申报差异", "政策测算"]
    for i, tab in enumerate(section.view_tabs):
        section.tabs.setCurrentIndex(i)
        qtbot.waitUntil(lambda: not tab.stale)
        qtbot.waitUntil(lambda: tab.charts_drawn)
        model = tab.table_views[0].model()
        assert model.rowCount() > 0, tab.key
        cells = [model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(model.columnCount())]
        assert any(x not in ("0", "—", "¥0.00", "0.0%", "") for x in cells[1:]), tab.key
        assert tab.export_btn.isEnabled()


def test_enrollment_tab_shows_real_demo_figures(section):
    tab = section.view_tabs[0]
    f = section.current_filter()
    a = section.ctx.store.stats_activity(f)
    model = tab.table_views[0].model()
    last = [model.data(model.index(model.rowCount() - 1, c)) for c in range(3)]
    assert last == [f.month_to, f"{a.enrolled[f.month_to]:,}", f"{a.active[f.month_to]:,}"]
    assert a.active[f.month_to] > 0


def test_filter_changes_the_figures(section, qtbot):
    tab = section.view_tabs[1]
    section.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not tab.stale)
    total_all = tab.view.tables[0].total[1]
    section.filters.platform.setCurrentIndex(1)
    qtbot.waitUntil(lambda: tab.view.tables[0].total[1] != total_all, timeout=3000)
    assert 0 < tab.view.tables[0].total[1] < total_all


def test_xlsx_export_has_the_table_rows(section, qtbot, tmp_path):
    from openpyxl import load_workbook
    section.tabs.setCurrentIndex(2)
    tab = section.view_tabs[2]
    qtbot.waitUntil(lambda: not tab.stale and tab.charts_drawn)
    path = section.export_tab(tab, str(tmp_path / "cases.xlsx"))
    wb = load_workbook(path)
    table = tab.view.tables[0]
    ws = wb[wb.sheetnames[0]]
    header_row = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if row[0] == table.columns[0].title)
    body = [r for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if r[0] is not None]
    assert [r[0] for r in body[:len(table.rows)]] == [r[0] for r in table.rows]
    assert body[len(table.rows)][0] == "合计"
    assert len(wb.sheetnames) >= len(tab.view.tables) + len(tab.view.charts)
    assert any(ws._images for ws in wb.worksheets)  # the chart images


def test_monthly_report_pdf_is_a4_with_title(section, tmp_path):
    from pypdf import PdfReader
    month = section.current_filter().month_to
    pages = section.save_monthly_report(month, tmp_path / "report.pdf")
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) == pages >= 1
    text = reader.pages[0].extract_text()
    assert "职业伤害保障运行分析月报" in text and "参保与活跃" in text
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1


def test_export_over_a_workbook_open_in_excel_says_so_calmly(section, qtbot, tmp_path, monkeypatch):
    """Excel holds the last export open (simulated: a read-only file): a calm message that
    names the file and where the new one went, no crash dialog; the open file is untouched."""
    from PySide6.QtWidgets import QMessageBox
    warned, crashed = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    monkeypatch.setattr("ui.errors.show_crash", lambda *a: crashed.append(a))
    tab = section.view_tabs[0]
    target = tmp_path / "参保.xlsx"
    target.write_bytes(b"open in Excel")
    target.chmod(0o444)
    assert section.export_tab(tab, str(target)) is None
    assert not crashed and len(warned) == 1
    assert "“参保.xlsx”正被其他程序打开" in warned[0] and "参保 (2).xlsx" in warned[0]
    assert target.read_bytes() == b"open in Excel"
    assert (tmp_path / "参保 (2).xlsx").read_bytes().startswith(b"PK")  # a whole workbook
    assert sorted(p.name for p in tmp_path.iterdir() if "参保" in p.name) == ["参保 (2).xlsx", "参保.xlsx"]
    pages_path = tmp_path / "月报.pdf"
    pages_path.write_bytes(b"open in a reader")
    pages_path.chmod(0o444)
    from claims.savefile import FileInUse
    with pytest.raises(FileInUse):
        section.save_monthly_report(section.current_filter().month_to, pages_path)
    assert (tmp_path / "月报 (2).pdf").read_bytes().startswith(b"%PDF")
