"""Files and help: a second copy of the program is told the database is open and may
open it read-only (changes refused calmly); save dialogs start in the documents
folder and remember the folder per kind; the status bar says where a file went,
with a link; 帮助 › 导入模板 writes a workbook with column descriptions; 帮助 ›
使用说明 shows the shipped guide at the user's role, with its pictures."""
import argparse
import os

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from claims.dblock import DatabaseLock
from claims.errors import ClaimsError
from claims.store import Actor, Store
from claims.store.base import _issue
from ui import files
from ui.app import ask_read_only, open_main_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_second_copy_is_told_and_may_open_read_only(qtbot, demo_db):
    first = DatabaseLock(demo_db)
    assert first.acquire()
    second = DatabaseLock(demo_db)
    assert not second.acquire() and second.holder().pid == os.getpid()
    texts = []

    def choose():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, choose)
            return
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == "以只读方式打开").click()
    QTimer.singleShot(0, choose)
    assert ask_read_only(second) is True
    assert "另一个职保通窗口" in texts[0] and str(demo_db) in texts[0]
    ro = Store(demo_db, "T", read_only=True)
    assert ro.count_workers() > 0 and ro.authenticate("agent", "agent123").role == "insurer_agent"
    w = ro.search_workers(limit=1)[0]
    with pytest.raises(ClaimsError, match="只读"):
        ro.update_worker(Actor("admin", role="admin"), w.id, {**w.model_dump(), "address": "某地"})
    win = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", store=ro,
                           actor=_issue(Actor("admin", role="admin")))
    qtbot.addWidget(win)
    assert "只读" in win.windowTitle() and "只读" in win.db_label.text() and not win.restore_action.isEnabled()
    first.release()
    assert DatabaseLock(demo_db).acquire()  # the lock goes with the one who held it


def test_save_dialogs_start_in_documents_and_remember_the_folder(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, start, filters, sel, options: seen.append((start, options))
                        or (str(tmp_path / "out" / "a.xlsx"), ""))
    (tmp_path / "out").mkdir()
    files.save_path(None, "export", "导出", "a.xlsx", "Excel (*.xlsx)")
    assert seen[0][0].startswith(str(files.documents_folder()))
    assert seen[0][1] & QFileDialog.Option.DontUseNativeDialog  # Qt's own dialog: the Chinese catalogue applies
    files.save_path(None, "export", "导出", "b.xlsx", "Excel (*.xlsx)")
    assert seen[1][0] == str(tmp_path / "out" / "b.xlsx")
    files.save_path(None, "pdf", "保存", "c.pdf", "PDF (*.pdf)")  # another kind keeps its own folder
    assert seen[2][0].startswith(str(files.documents_folder()))


def test_import_template_and_the_saved_link(qtbot, demo_db, monkeypatch, tmp_path):
    from openpyxl import load_workbook
    win = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                           actor=_issue(Actor("admin", role="admin")))
    qtbot.addWidget(win)
    target = tmp_path / "人员模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    menus = {m.text(): m.menu() for m in win.menuBar().actions()}
    tpl = next(a.menu() for a in menus["帮助(&H)"].actions() if a.text() == "导入模板")
    next(a for a in tpl.actions() if a.text().startswith("人员与参保登记")).trigger()
    wb = load_workbook(target)
    head = [c.value for c in wb.worksheets[0][1]]
    assert head[:3] == ["name", "id_number", "phone"]
    info = {r[0].value: r for r in wb["填写说明"].iter_rows(min_row=2)}
    assert info["id_number"][1].value == "身份证号码" and info["id_number"][2].value == "必填"
    assert "18 位" in info["id_number"][3].value
    assert str(target) in win.saved_label.text() and "打开所在文件夹" in win.saved_label.text()
    assert QUrl.fromLocalFile(str(tmp_path)).toString() in win.saved_label.text()


def test_the_guide_opens_at_the_users_role_with_its_pictures(qtbot, demo_db):
    win = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                           actor=_issue(Actor("zhanzhang", role="station_manager", station_id="x")))
    qtbot.addWidget(win)
    win.show()
    win.show_guide()
    from ui.help import GuideDialog
    dlg = GuideDialog._open
    qtbot.addWidget(dlg)
    text = dlg.browser.toPlainText()
    for part in ("站长：每天的工作", "承办机构经办人", "审核人：结论与审批", "管理员：设置与维护"):
        assert part in text
    img = dlg.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl("zhanzhang_home.png"))
    assert img is not None and not img.isNull()
    dlg.close()
