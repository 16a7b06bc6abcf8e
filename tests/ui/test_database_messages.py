"""What the GUI says when the database cannot take a save: a full disk or a
read-only file each get one calm Chinese message (never the crash dialog), the
form keeps what was typed, and the status bar says before anyone types."""
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

import ui.errors
from claims.store import Actor, Store
from ui.context import AppContext
from ui.workers.worker_dialog import WorkerDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]
ADMIN = logged_in("admin", role="admin", display_name="管理员")
ID = "110101199003074514"


@pytest.fixture
def said(monkeypatch):
    seen = {"critical": [], "crash": []}
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a: seen["critical"].append((title, text)))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(ui.errors, "show_crash", lambda *a: seen["crash"].append(a))
    return seen


def new_worker_form(qtbot, store):
    dlg = WorkerDialog(None, AppContext(store=store, actor=ADMIN, version="t"))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.fields["name"].widget.setText("张伟")  # ASCII-free text set directly: what was typed
    dlg.fields["id_number"].widget.setText(ID)
    dlg.fields["phone"].widget.setText("13800138000")
    return dlg


def test_a_save_on_a_full_disk_is_said_plainly_and_the_form_stays(qtbot, store, said):
    import random

    from claims.demo import id_number, person_name
    from claims.errors import DiskFull
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no page more: SQLite answers "disk is full"
    rng = random.Random(3)
    with pytest.raises(DiskFull):  # another program filled the disk
        for _ in range(1000):
            store.add_worker(ADMIN, {"name": person_name(rng), "id_number": id_number(rng), "phone": "13900139000"})
    before = store.count_workers()
    dlg = new_worker_form(qtbot, store)
    dlg.try_save()
    assert said["crash"] == [] and len(said["critical"]) == 1
    title, text = said["critical"][0]
    assert title == "数据库问题" and "磁盘空间已满" in text
    assert dlg.isVisible() and dlg.value("name") == "张伟" and store.count_workers() == before


def test_a_save_on_a_read_only_database_is_said_plainly(qtbot, store, tmp_path, said):
    store.close()
    copy = tmp_path / "ro"
    copy.mkdir()
    shutil.copy2(store.path, copy / "t.db")
    s = Store(copy / "t.db", "TEST")
    s.read_only = True  # as the store finds a file it may not write (tests/claims/test_messages.py drills the real one)
    dlg = new_worker_form(qtbot, s)
    dlg.try_save()
    assert said["crash"] == [] and "只读" in said["critical"][0][1]
    from ui.main_window import MainWindow
    w = MainWindow(AppContext(store=s, actor=ADMIN, version="t"))
    qtbot.addWidget(w)
    assert w.state_label.text() == "只读：不能保存修改" and not w.state_label.isHidden()
