"""设置 › 经办机构: the administrator fills in the office details printed on documents;
a wrong value is named in red and nothing is saved; others only read them."""
import argparse

from PySide6.QtCore import Qt

from claims.store import Actor
from ui.app import open_main_window
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


ADMIN = logged_in("admin", role="admin", display_name="系统管理员")


def _office_tab(qtbot, demo_db, actor):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=actor)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(5)
    sec = w.stack.currentWidget()
    sec.tabs.setCurrentWidget(sec.office_tab)
    return w, sec.office_tab


def test_admin_fills_in_the_office_and_the_home_warning_goes(qtbot, demo_db, type_into):
    w, tab = _office_tab(qtbot, demo_db, ADMIN)
    home = w.sections[0]
    qtbot.waitUntil(lambda: home.overdue_count is not None)
    assert "经办机构的经办机构名称、地址、行政复议机关、诉讼管辖法院尚未填写" in home.alerts.text()
    assert "尚未填写" in tab.status.text() and not tab.save_button.isEnabled()
    type_into(tab.edits["office.name"], "浦东新区职业伤害保障服务站")
    type_into(tab.edits["office.review_authority"], "上海市浦东新区人民政府")
    type_into(tab.edits["office.court"], "上海市浦东新区人民法院")
    type_into(tab.edits["office.address"], "上海市浦东新区世纪大道 100 号")
    assert tab.save_button.isEnabled()
    qtbot.keyClick(tab.edits["office.address"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    office = w.ctx.store.office_settings()
    assert office["office.name"] == "浦东新区职业伤害保障服务站"
    assert office["office.address"] == "上海市浦东新区世纪大道 100 号"
    assert not tab.save_button.isEnabled() and "尚未填写" not in tab.status.text()
    assert "经办机构" not in home.alerts.text()  # the change reached the home screen
    assert "已更新经办机构信息" in w.statusBar().currentMessage()


def test_a_bad_phone_is_named_in_red_and_nothing_is_saved_until_put_right(qtbot, demo_db, type_into):
    w, tab = _office_tab(qtbot, demo_db, ADMIN)
    type_into(tab.edits["office.name"], "浦东新区职业伤害保障服务站")
    type_into(tab.edits["office.phone"], "找王老师")
    tab.save_button.click()
    assert tab.error.text().startswith("联系电话：")
    assert "c0392b" in tab.edits["office.phone"].styleSheet()
    assert w.ctx.store.office_saved() == {}  # the good name was not saved on its own either
    tab.edits["office.phone"].clear()
    type_into(tab.edits["office.phone"], "021-58881234")
    tab.save_button.click()
    assert tab.error.text() == ""
    assert w.ctx.store.office_saved() == {"office.name": "浦东新区职业伤害保障服务站", "office.phone": "021-58881234"}


def test_discarding_edits_restores_what_is_saved(qtbot, demo_db, type_into):
    _w, tab = _office_tab(qtbot, demo_db, ADMIN)
    type_into(tab.edits["office.court"], "上海市浦东新区人民法院")
    tab.revert_button.click()
    assert tab.edits["office.court"].text() == "" and not tab.save_button.isEnabled()


def test_a_reviewer_reads_but_cannot_edit(qtbot, demo_db):
    w, tab = _office_tab(qtbot, demo_db, logged_in("reviewer", role="reviewer"))
    assert all(e.isReadOnly() for e in tab.edits.values())
    assert not tab.save_button.isVisible()
    home = w.sections[0]
    qtbot.waitUntil(lambda: home.overdue_count is not None)
    assert "请管理员在“设置 › 经办机构”中填写" in home.alerts.text()
