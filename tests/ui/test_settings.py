"""设置: the audit viewer shows one case's history to reviewers, and is absent for station managers."""
import argparse

from claims.store import Actor
from ui.app import open_main_window
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


def _window(qtbot, demo_db, actor):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=actor)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(5)
    return w, w.stack.currentWidget()


def test_reviewer_sees_the_history_of_one_case(qtbot, demo_db):
    w, sec = _window(qtbot, demo_db, logged_in("reviewer", role="reviewer"))
    number = w.ctx.store.conn.execute("SELECT number FROM cases WHERE state = 'confirmed' LIMIT 1").fetchone()[0]
    sec.audit_tab.record.setText(number)
    sec.audit_tab.reload()
    t = sec.audit_tab.table
    lines = [t.item(r, 2).text() for r in range(t.rowCount())]
    assert any(f"新增了案件“{number}”" in x for x in lines) and any(f"修改了案件“{number}”" in x for x in lines)
    assert any(f"新增了结论书“" in x for x in lines) and any(f"新增了案件历史“{number}”" in x for x in lines)
    assert not any("cases" in x or "case_events" in x for x in lines)


def test_station_manager_has_no_audit_tab(qtbot, demo_db):
    _w, sec = _window(qtbot, demo_db, logged_in("zhanzhang", role="station_manager", station_id="x"))
    assert sec.audit_tab is None
    assert not sec.users_tab.add_btn.isEnabled()


def test_admin_adds_and_corrects_a_parameter_audited(qtbot, demo_db, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ui.settings.params_tab import ParameterDialog
    w, sec = _window(qtbot, demo_db, logged_in("admin", role="admin"))
    tab = sec.params
    dlg = ParameterDialog(tab, w.ctx)
    qtbot.addWidget(dlg)
    dlg.name.setCurrentIndex(dlg.name.findData("death_base"))
    dlg.value.setText("abc")
    dlg.source.setText("沪人社 2027 年公布")
    dlg.save()
    assert "不是数字" in dlg.error.text()
    dlg.value.setText("8123.40")
    dlg.save()
    assert dlg.result() == QDialog.DialogCode.Accepted
    w.apply_change(dlg.change)
    rows = [tab.table.item(r, 4).text() for r in range(tab.table.rowCount())]
    assert "8123.40 元" in rows
    p = next(p for p in w.ctx.store.parameters("death_base") if p.value == "8123.40")
    edit = ParameterDialog(tab, w.ctx, p)
    qtbot.addWidget(edit)
    edit.value.setText("8200.00")
    edit.save()
    assert any(x.value == "8200.00" for x in w.ctx.store.parameters("death_base"))
    import json
    last = w.ctx.store.audit_entries(w.ctx.actor, record=p.id)[0]
    assert json.loads(last.changes)["value"] == ["8123.40", "8200.00"]


def test_non_admin_cannot_edit_parameters(qtbot, demo_db):
    _w, sec = _window(qtbot, demo_db, logged_in("agent", role="insurer_agent"))
    assert not sec.params.add_btn.isEnabled() and "管理员" in sec.params.add_btn.toolTip()


def test_an_undo_reads_as_撤销_in_the_audit_log(qtbot, demo_db):
    w, sec = _window(qtbot, demo_db, logged_in("admin", role="admin"))
    s = w.ctx.store
    worker, change = s.add_worker(w.ctx.actor, {"name": "错登记", "id_number": "11010519491231002X",
                                                "phone": "13812345678"})
    s.undo(w.ctx.actor, change)
    sec.audit_tab.record.setText(worker.id)
    sec.audit_tab.reload()
    t = sec.audit_tab.table
    lines = sorted(t.item(r, 2).text() for r in range(t.rowCount()))
    assert lines == ["系统管理员 撤销了对以下记录的操作：人员“错登记”。", "系统管理员 新增了人员“错登记”。"]
