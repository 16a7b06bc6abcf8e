"""设置 › 数据交换: this site and its fingerprint, a package for a trusted site,
the import preview before applying, and the conflict screen deciding field by field."""
import argparse

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from claims.store import Actor, Store
from claims.store.base import _issue
from ui.app import open_main_window

ADMIN = _issue(Actor("admin", role="admin"))
ID1 = "11010519491231002X"


def _tab(qtbot, db):
    w = open_main_window(argparse.Namespace(db=str(db), demo=False), "t", actor=ADMIN)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(5)
    sec = w.stack.currentWidget()
    sec.tabs.setCurrentWidget(sec.exchange_tab)
    return w, sec.exchange_tab


def test_import_preview_then_conflicts_decided_on_screen(qtbot, tmp_path, monkeypatch):
    a = Store(tmp_path / "a.db", "OFFA", create=True)
    b = Store(tmp_path / "b.db", "FLDB", create=True)
    b.set_site(ADMIN, name="外勤一号", role="field")
    a.trust_site(ADMIN, b.site_card())
    b.trust_site(ADMIN, a.site_card())
    a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    b.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13987654321"})
    data, _s = a.export_package(ADMIN, "FLDB")
    pkg = tmp_path / "p.zbt"
    pkg.write_bytes(data)
    fp = b.site_info()["fingerprint"]
    b.close()
    a.close()
    w, tab = _tab(qtbot, tmp_path / "b.db")
    assert tab.fingerprint.text() == fp and tab.site.text() == "FLDB" and tab.table.rowCount() == 1
    tab.grab().save(str(tmp_path / "exchange_tab.png"))
    seen = {}

    def preview_exec(dlg):
        seen["tables"] = dlg.tables.rowCount()
        seen["records"] = [dlg.records.item(r, 1).text() for r in range(dlg.records.rowCount())]
        dlg.grab().save(str(tmp_path / "preview.png"))
        return QDialog.DialogCode.Accepted
    from ui.settings import exchange_dialogs
    monkeypatch.setattr(exchange_dialogs.PreviewDialog, "exec", preview_exec)
    result = tab.import_file(pkg)
    assert result["units"] == 1 and result["conflicts"] == 1
    assert seen["tables"] == 1 and seen["records"] == ["110***********002X"]  # masked on screen
    assert "冲突与疑似重复（1）" in tab.conflicts_btn.text()
    dlg = exchange_dialogs.ConflictsDialog(w.ctx, tab)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 1).text() == "手机号"
    dlg.grab().save(str(tmp_path / "conflicts.png"))
    theirs = dlg.table.item(0, 3).text()
    dlg.take_btn.click()
    assert dlg.table.rowCount() == 0
    assert w.ctx.store.worker_by_id_number(ID1).phone == theirs


def test_export_for_a_site_writes_a_package_in_the_chosen_folder(qtbot, tmp_path, monkeypatch):
    a = Store(tmp_path / "a.db", "OFFA", create=True)
    b = Store(tmp_path / "b.db", "FLDB", create=True)
    a.trust_site(ADMIN, b.site_card())
    a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    a.close()
    b.close()
    _w, tab = _tab(qtbot, tmp_path / "a.db")
    from PySide6.QtWidgets import QInputDialog
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    out = tmp_path / "usb"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    tab.export_for_site()
    files = list(out.glob("*.zbt"))
    assert len(files) == 1 and "第 1 包" in tab.status.text()
    assert tab.table.item(0, 4).text().startswith("第 1 包")
