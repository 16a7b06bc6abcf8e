"""The main window opens on a demo database and each section shows its rows."""
import argparse

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from ui.app import open_main_window
from ui.sections.listing import ListSection
from claims.store.base import Actor, _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


@pytest.fixture
def window(qtbot, demo_db):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                         actor=logged_in("admin", role="admin", display_name="系统管理员"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_every_section_shows_records(window, qtbot):
    names = []
    for i in range(window.nav.count()):
        window.nav.setCurrentRow(i)
        sec = window.stack.currentWidget()
        names.append(sec.title)
        if isinstance(sec, ListSection):
            qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
            assert sec.detail.toPlainText().strip(), sec.title
    assert names == ["工作台", "参保登记", "缴费", "案件", "统计", "设置"]


def test_home_fills_its_figures_and_the_overdue_badge_after_first_paint(window, qtbot):
    home = window.sections[0]
    qtbot.waitUntil(lambda: home.overdue_count is not None)
    assert home.cards["workers"].text() == f"{window.ctx.store.counts()['workers']:,}"
    overdue = home.cards["overdue"].text()
    assert overdue.isdigit()
    # the left bar's 工作台 carries the overdue count once the figures are in
    assert window.nav.item(0).text() == ("工作台" + (f"（{overdue}）" if overdue != "0" else ""))


def test_menu_shortcuts_work_once_the_window_is_shown(window, qtbot):
    menus = {m.text(): m.menu() for m in window.menuBar().actions()}
    actions = {a.text(): a for menu in menus.values() for a in menu.actions()}
    qtbot.waitUntil(lambda: actions["缴费"].shortcut().toString() == "Ctrl+3")
    assert [actions[n].shortcut().toString() for n in ("工作台", "参保登记", "设置")] == ["Ctrl+1", "Ctrl+2", "Ctrl+6"]
    actions["缴费"].trigger()
    assert window.stack.currentWidget().title == "缴费"


def test_once_the_figures_are_in_the_home_lists_sort_and_input_keeps_the_idle_lock_away(window, qtbot):
    """The work left until the figures are on screen (sorting, shortcuts, the one application-wide
    event filter) is done then, and the idle lock hears the keyboard through that filter."""
    from ui import login
    qtbot.waitUntil(lambda: window.reasons is not None and window.reasons.installed)
    home = window.sections[0]
    assert home.tasks.horizontalHeader().isSortIndicatorShown() and home.due.isSortingEnabled() is False
    lock = login.IdleLock(window)
    try:
        lock.timer.stop()
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
        assert lock.timer.isActive()  # a key press starts the quiet period again
    finally:
        lock.stop()
    assert lock.input_seen not in window.on_input and window.reasons.on_input is window.on_input


def test_status_bar_names_database_site_and_user(window, demo_db):
    assert str(demo_db) in window.db_label.text()
    assert window.ctx.store.site_id in window.site_label.text()
    assert window.user_label.text().startswith("用户：")


def test_search_as_you_type_filters_workers(window, qtbot):
    window.nav.setCurrentRow(1)
    sec = window.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    target = sec.model.record(5)
    sec.search.setText(target.id_number[-6:])
    qtbot.waitUntil(lambda: sec.model.rowCount() >= 1 and all(
        sec.model.record(r).id_number.endswith(target.id_number[-6:]) or target.id_number[-6:] in sec.model.record(r).phone
        or target.id_number[-6:] in sec.model.record(r).id_number for r in range(sec.model.rowCount())))
    assert any(sec.model.record(r).id == target.id for r in range(sec.model.rowCount()))


def test_ids_are_masked_until_revealed(window, qtbot):
    window.nav.setCurrentRow(1)
    sec = window.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    sec.view.selectRow(0)
    w = sec.model.record(0)
    shown = sec.model.data(sec.model.index(0, 1))
    assert "*" in shown and shown != w.id_number
    qtbot.mouseClick(sec.reveal_btn, Qt.MouseButton.LeftButton)
    assert sec.model.data(sec.model.index(0, 1)) == w.id_number


def test_worker_sort_by_column(window, qtbot):
    window.nav.setCurrentRow(1)
    sec = window.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    sec.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    births = [sec.model.record(r).birth_date for r in range(min(50, sec.model.rowCount()))]
    assert births == sorted(births, reverse=True)


def test_paged_model_passes_qt_model_tester(window, qtbot, qtmodeltester):
    window.nav.setCurrentRow(1)
    sec = window.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    qtmodeltester.check(sec.model)


def first_reported_case(window, qtbot):
    """The 案件 screen with the first reported case selected: (section, case)."""
    window.nav.setCurrentRow(3)
    sec = window.stack.currentWidget()
    sec.state_box.setCurrentIndex(sec.state_box.findData("reported"))
    qtbot.waitUntil(lambda: sec.model.rowCount() > 0)
    sec.view.selectRow(0)
    return sec, sec.model.record(0)


def test_case_transition_from_the_case_screen(window, qtbot, monkeypatch):
    sec, case = first_reported_case(window, qtbot)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("材料齐全", True))
    btn = next(b for b in sec.action_buttons if b.text() == "受理")
    qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
    assert window.ctx.store.case(case.id).state.value == "accepted"
    assert window.ctx.store.case_events(case.id)[-1].note == "材料齐全"


def test_withdrawing_a_case_warns_that_it_is_final_and_needs_a_reason(window, qtbot, monkeypatch):
    sec, case = first_reported_case(window, qtbot)
    answers = iter([("", True), ("  ", True), ("申请人撤回报案", True)])  # empty reasons are asked again
    prompts = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: prompts.append(a[2]) or next(answers))
    btn = next(b for b in sec.action_buttons if b.text() == "撤回")
    qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
    assert "不能撤销" in prompts[0] and len(prompts) == 3
    assert window.ctx.store.case(case.id).state.value == "withdrawn"
    assert window.ctx.store.case_events(case.id)[-1].note == "申请人撤回报案"


def test_cancelling_the_reason_leaves_the_case_as_it_was(window, qtbot, monkeypatch):
    sec, case = first_reported_case(window, qtbot)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    qtbot.mouseClick(next(b for b in sec.action_buttons if b.text() == "撤回"), Qt.MouseButton.LeftButton)
    assert window.ctx.store.case(case.id).state.value == "reported"


def test_home_warns_of_import_problems_and_missing_parameters(qtbot, demo_db):
    from claims.store import Actor, Store
    s = Store(demo_db, "T")
    admin = logged_in("admin", role="admin")
    s.import_orders(admin, [(2, {"order_no": "X1", "platform": "美团", "industry": "外卖", "id_number": "11010519491231002X",
                                 "accepted_at": "2025-10-01T10:00", "region": "310000"})], file_name="十月订单.csv")
    s.conn.execute("DELETE FROM parameters WHERE name = 'benefit_base'")  # as on a fresh installation
    s.close()
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                         actor=logged_in("admin", role="admin", display_name="系统管理员"))
    qtbot.addWidget(w)
    w.show()
    home = w.stack.currentWidget()
    qtbot.waitUntil(lambda: home.overdue_count is not None)  # filled just after the first paint
    text = home.alerts.text()
    assert "十月订单.csv" in text and "1 / 1 行被拒绝" in text
    assert "缺少待遇计发参数" in text


def test_edit_undo_takes_back_a_worker_registered_by_mistake(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    s, actor = window.ctx.store, window.ctx.actor
    assert not window.undo_action.isEnabled()
    before = s.count_workers()
    _w, change = s.add_worker(actor, {"name": "错登记", "id_number": "11010519491231002X", "phone": "13812345678"})
    window.sections[0].changed.emit(change)  # as the worker dialog does after saving
    assert window.undo_action.isEnabled() and window.undo_action.text() == "撤销“登记人员 错登记”"
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window.undo_action.trigger()
    assert asked and "登记人员 错登记" in asked[0]  # confirmed first
    assert s.count_workers() == before
    assert window.statusBar().currentMessage() == "已撤销：登记人员 错登记"
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "撤销"


def test_after_an_action_that_cannot_be_undone_the_earlier_one_is_not_offered(window):
    s, actor = window.ctx.store, window.ctx.actor
    _w, change = s.add_worker(actor, {"name": "错登记", "id_number": "11010519491231002X", "phone": "13812345678"})
    window.apply_change(change)
    assert window.undo_action.isEnabled()
    case_id = s.conn.execute("SELECT id FROM cases WHERE state = 'investigating' LIMIT 1").fetchone()[0]
    s.decide(actor, case_id, confirm=True, situation_code="order_task", legal_basis="第十条")
    # the case screen reports a decision with a change record of its own making (no audit run)
    from claims.change import Change
    window.apply_change(Change(tables=frozenset({"cases", "decisions"}), ids=frozenset({case_id}), summary="结论书"))
    assert not window.undo_action.isEnabled()  # Ctrl+Z must not reach back past the decision


def test_edit_undo_says_why_a_decision_cannot_be_undone(window):
    s = window.ctx.store
    case_id = s.conn.execute("SELECT id FROM cases WHERE state = 'investigating' LIMIT 1").fetchone()[0]
    _d, change = s.decide(window.ctx.actor, case_id, confirm=True, situation_code="order_task", legal_basis="第十条")
    window.apply_change(change)
    assert not window.undo_action.isEnabled()
    assert "只有登记类的误操作" in window.undo_action.toolTip()
    window.undo_action.trigger()  # a disabled action does nothing: the decision stands
    assert s.case(case_id).state.value == "confirmed"


def test_backup_from_the_file_menu_runs_with_progress_and_updates_the_status_bar(window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog
    dest = tmp_path / "备份.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    assert window.backup_label.text() == "尚未备份"
    window.backup_action.trigger()
    assert dest.exists()
    assert window.backup_label.text() == "今天已备份"
    # where it went, with a link that opens the folder
    assert str(dest) in window.saved_label.text() and "打开所在文件夹" in window.saved_label.text()
    assert window.saved_label.isVisibleTo(window)


def test_restore_from_backup_replaces_the_database_keeps_the_old_one_and_asks_to_log_in_again(
        window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from claims.backup import backup
    from claims.store import Store
    s, actor = window.ctx.store, window.ctx.actor
    bk = backup(s, tmp_path / "bk" / "before.db")
    s.add_worker(actor, {"name": "备份后登记", "id_number": "11010519491231002X", "phone": "13812345678"})
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bk), ""))
    warned, told = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window.restore_action.trigger()
    assert warned and "替换当前数据库" in warned[0]
    assert told and "请重新登录" in told[0]
    assert window.restart and not window.isVisible()  # run_gui opens the database again and asks who logs in
    again = Store(s.path, "T")
    assert again.conn.execute("SELECT count(*) FROM workers WHERE name = '备份后登记'").fetchone()[0] == 0
    again.close()
    saved = list(s.path.parent.glob("*-before-restore-*.db"))
    assert len(saved) == 1  # what was there before the restore is kept beside it


def test_restore_is_for_administrators_only(qtbot, demo_db):
    from claims.store import Actor
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                         actor=logged_in("agent", role="insurer_agent"))
    qtbot.addWidget(w)
    assert not w.restore_action.isEnabled() and "管理员" in w.restore_action.toolTip()


def test_a_station_managers_home_counts_their_own_station_and_platform(qtbot, demo_db):
    from claims.store import Actor, Store
    s = Store(demo_db, "T")
    r = s.conn.execute("SELECT username, station_id, platform_id FROM users WHERE role = 'station_manager'").fetchone()
    manager = logged_in(r[0], role="station_manager", station_id=r[1], platform_id=r[2])
    own = s.count_workers(actor=manager)
    drafts = s.conn.execute("SELECT count(*) FROM declarations WHERE status = 'draft' AND platform_id = ?",
                            (r[2],)).fetchone()[0]
    assert own < s.count_workers()
    s.close()
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=manager)
    qtbot.addWidget(w)
    w.show()
    home = w.sections[0]
    qtbot.waitUntil(lambda: home.overdue_count is not None)
    assert home.cards["workers"].text() == f"{own:,}"
    assert home.cards["drafts"].text() == str(drafts)


def test_a_station_manager_is_offered_only_their_own_platform_and_station_everywhere(qtbot, demo_db):
    """Every platform and station box a station manager meets holds their own only (or 'all',
    which is theirs): the workers and cases filters, the fee screens, statistics, the import
    dialogs and the enrollment form."""
    from claims.store import Actor, Store
    from ui.fees.import_dialog import OrderImportDialog
    from ui.workers.dialogs import EnrollDialog
    from ui.workers.import_dialog import ImportDialog
    s = Store(demo_db, "T")
    r = s.conn.execute("SELECT username, station_id, platform_id FROM users WHERE role = 'station_manager'").fetchone()
    manager = _issue(Actor(r[0], role="station_manager", station_id=r[1], platform_id=r[2]))
    own_platform, own_station = s.platform(r[2]).name, s.station(r[1]).name
    assert len(s.platforms()) > 1 and len(s.stations(r[2])) > 1
    s.close()
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=manager)
    qtbot.addWidget(w)
    w.show()

    def offered(box, skip=()):
        return {box.itemText(i) for i in range(box.count())} - set(skip)

    workers = w.section(1)
    assert offered(workers.platform_box, ["全部平台"]) == {own_platform}
    workers.platform_box.setCurrentIndex(workers.platform_box.findText(own_platform))
    assert offered(workers.station_box, ["全部站点"]) == {own_station}
    fees = w.section(2)
    for box in (fees.declarations.platform_box, fees.reconciliation.platform, fees.coverage.platform):
        assert offered(box, ["全部平台"]) == {own_platform}
    cases = w.section(3)
    assert offered(cases.platform_box, ["全部平台"]) == {own_platform}
    stats = w.section(4)
    if stats.filters is None:
        stats.build()
    assert offered(stats.filters.platform, ["全部平台"]) == {own_platform}
    assert offered(stats.filters.station, ["全部站点"]) == {own_station}
    for dlg in (ImportDialog(None, w.ctx), OrderImportDialog(None, w.ctx)):
        qtbot.addWidget(dlg)
        assert offered(dlg.platform_box, [dlg.platform_box.itemText(0)]) == {own_platform}
    person = w.ctx.store.search_workers(actor=manager, limit=1)[0]
    enroll = EnrollDialog(None, w.ctx, person)
    qtbot.addWidget(enroll)
    assert offered(enroll.platform, ["（请选择平台）"]) == {own_platform}
    assert offered(enroll.station, ["（不指定站点）"]) == {own_station}


def test_first_start_fits_the_window_on_the_screen(window):
    """No saved size yet: the window is 1280×760 where there is room, and never larger than the
    screen's free area (a 1366×768 laptop with the Windows taskbar leaves ~728 pixels)."""
    avail = window.screen().availableGeometry()
    assert window.width() == min(1280, avail.width() - 16)
    assert window.height() == min(760, avail.height() - 40) < avail.height()
