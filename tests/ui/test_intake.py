"""材料接收 at counter speed: the checklist registered with the keyboard only — Space
ticks, typing sets the pages, Enter moves down, Alt+A ticks the rest as received today,
Ctrl+S registers them in one action and prints the receipt; Enter never opens a file
chooser; a scan dropped on a line or taken from the scanner folder is attached."""
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from claims import settings
from claims.store import CaseFilter, Store
from claims.timeutil import today
from ui.cases import common
from ui.cases.intake import IntakeDialog
from ui.context import AppContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def store(demo_db):
    s = Store(demo_db, "T")
    yield s
    s.close()


@pytest.fixture
def case(store):
    return next(c for c in store.search_cases(CaseFilter(state="reported"), limit=50)
                if len(store.missing_documents(c.id)) >= 3)


def test_a_checklist_registered_with_the_keyboard_only(qtbot, store, case, monkeypatch):
    printed, choosers = [], []
    monkeypatch.setattr(common, "preview", lambda _p, _c, code, key: printed.append((code, key)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: choosers.append(a) or ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: choosers.append(a) or "")
    agent = store.authenticate("agent", "agent123")
    dlg = IntakeDialog(None, AppContext(store=store, actor=agent, version="t"), case.id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    t = dlg.table
    qtbot.waitUntil(t.hasFocus)
    missing = store.missing_documents(case.id)
    first = dlg._first_missing()
    assert t.hasFocus() and t.currentRow() == first

    def key(k, mod=Qt.KeyboardModifier.NoModifier):
        qtbot.keyClick(QApplication.focusWidget(), k, mod)
        qtbot.wait(20)  # a cell editor commits on Enter through a queued call

    key(Qt.Key.Key_Space)                       # the first missing document has arrived …
    key(Qt.Key.Key_Right)
    qtbot.keyClicks(QApplication.focusWidget(), "3")  # … with 3 pages
    key(Qt.Key.Key_Return)                      # commits the pages and moves down
    assert t.currentRow() == first + 1 and t.item(first, 1).text() == "3"
    assert t.item(first, 0).checkState() == Qt.CheckState.Checked
    key(Qt.Key.Key_Return)                      # Enter moves down again, never opens anything
    assert t.currentRow() == first + 2 and not choosers
    key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # everything else arrived today
    assert len(dlg.ticked()) == len(missing)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dlg.isVisible() and dlg.result_value is not None
    assert store.missing_documents(case.id) == []
    docs = {d.doc_type: d for d in store.case_documents(case.id)}
    assert docs[missing[0].doc_type].pages == 3
    assert all(docs[m.doc_type].received_on == today() for m in missing)
    assert printed == [("document_receipt", case.number)] and not choosers
    # one action: the whole intake is undone or kept together
    assert dlg.result_value.audit_range is not None


def test_a_scan_dropped_on_a_line_or_taken_from_the_scanner_folder(qtbot, store, case, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "preview", lambda *a: None)
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "身份证.pdf").write_bytes(b"%PDF-1.4 id card")
    (folder / "诊断证明.jpg").write_bytes(b"\xff\xd8 diagnosis")
    s = settings.load()
    s["scanner_folder"] = str(folder)
    settings.save(s)
    agent = store.authenticate("agent", "agent123")
    dlg = IntakeDialog(None, AppContext(store=store, actor=agent, version="t"), case.id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.scans.count() == 2
    first = dlg._first_missing()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "身份证.pdf"))])
    rect = dlg.table.visualItemRect(dlg.table.item(first, 0))
    drop = QDropEvent(QPointF(rect.center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    dlg.table.dropEvent(drop)
    assert dlg.table.item(first, 3).text() == "身份证.pdf" and dlg.scans.count() == 1
    dlg.table.setCurrentCell(first + 1, 0)
    dlg.take_scan()
    dlg.save()
    names = {d.file_name for d in store.case_documents(case.id)}
    assert {"身份证.pdf", "诊断证明.jpg"} <= names
    again = IntakeDialog(None, AppContext(store=store, actor=agent, version="t"), case.id)
    qtbot.addWidget(again)
    assert again.scans.count() == 0  # attached files are not offered again
