"""参保登记 in the GUI, driven like a user: keyboard only (Tab, Enter, typing,
Ctrl+S, Esc), the duplicate guard, masking, the import dialog and export."""
import csv
import random

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from claims.demo import id_number
from claims.store import Actor
from claims.validators import credit_check_char, id_check_char, mask_id
from ui.context import AppContext
from ui.sections.workers import WorkersSection
from ui.workers.dialogs import EnrollDialog, PlatformDialog
from ui.workers.import_dialog import ImportDialog, auto_match
from ui.workers.worker_dialog import DuplicateDialog, WorkerDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = logged_in("admin", role="admin", display_name="管理员")
ID1 = "11010519491231002X"  # 女, 1949-12-31
ID2 = "11010519800101001" + id_check_char("11010519800101001")  # 男, 1980-01-01


# -- typing like a user ------------------------------------------------------------------
def focused():
    return QApplication.focusWidget()


def type_text(qtbot, text, widget=None):
    w = widget or focused()
    if text.isascii():
        qtbot.keyClicks(w, text)
    else:  # what an input method does: qtbot.keyClicks aborts on Chinese
        ev = QInputMethodEvent("", [])
        ev.setCommitString(text)
        QApplication.sendEvent(w, ev)


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier):
    w = focused()
    assert w is not None, "no widget has the keyboard focus"
    qtbot.keyClick(w, k, mod)


def focus_on(qtbot, w):
    """Back in the main window after a dialog closed: put the focus on ``w``."""
    w.window().activateWindow()
    w.setFocus()
    qtbot.waitUntil(lambda: focused() is w)


def save(qtbot):
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def close_modals():
    while (m := QApplication.activeModalWidget()) is not None:
        m.dirty = False
        m.done(0)


def modal_run(qtbot, trigger, *drivers):
    """``trigger()`` opens a modal dialog; each driver(dialog) runs when the
    next modal window is up (a dialog, then maybe a message box on top).
    A driver that fails closes every modal window, so the test cannot hang."""
    errors, pending = [], list(drivers)

    def go(tries=0):
        dlg = QApplication.activeModalWidget()
        if dlg is None or getattr(dlg, "_driven", False):
            if tries < 500 and pending:
                QTimer.singleShot(10, lambda: go(tries + 1))
            return
        dlg._driven = True
        driver = pending.pop(0)
        try:
            if not isinstance(dlg, QMessageBox):
                qtbot.waitUntil(lambda: focused() is not None and focused().window() is dlg, timeout=3000)
            if pending:
                QTimer.singleShot(0, go)
            driver(dlg)
        except BaseException as e:  # noqa: BLE001 - re-raised after the dialogs are closed
            errors.append(e)
            close_modals()

    QTimer.singleShot(0, go)
    out = trigger()
    if errors:
        raise errors[0]
    assert not pending, "a dialog that was expected did not open"
    return out


def click_button(box, text):
    btn = next(b for b in box.findChildren(QPushButton) if b.text() == text)
    btn.click()


# -- fixtures ----------------------------------------------------------------------------
@pytest.fixture
def ctx(store):
    return AppContext(store=store, actor=ADMIN, version="test")


@pytest.fixture
def section(qtbot, ctx):
    sec = WorkersSection(ctx)
    qtbot.addWidget(sec)
    sec.resize(1280, 720)
    sec.show()
    qtbot.waitExposed(sec)
    sec.activateWindow()
    sec.search.setFocus()
    qtbot.waitUntil(lambda: focused() is sec.search)
    return sec


@pytest.fixture
def shop(ctx):
    s = ctx.store
    p, _ = s.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    st, _ = s.add_station(ADMIN, platform_id=p.id, name="张江站", district="310115")
    return p, st


def credit_code(body="91310115MA1K3YJ12"):
    return body + credit_check_char(body)


# -- tests -------------------------------------------------------------------------------
def test_empty_state_says_what_to_do_first(section):
    assert "新增平台" in section.detail.toPlainText()
    assert section.count_label.text() == "共 0 条"


def test_keyboard_only_platform_station_worker_and_enrollment(section, qtbot, ctx):
    store = ctx.store

    def platform(dlg):
        type_text(qtbot, "快跑配送")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, credit_code())
        key(qtbot, Qt.Key.Key_Return)          # Enter moves on, like Tab
        assert focused() is dlg.industries.boxes[0]
        key(qtbot, Qt.Key.Key_Tab)             # 外卖
        key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_Tab)             # 即时配送
        key(qtbot, Qt.Key.Key_Tab)             # 同城货运
        key(qtbot, Qt.Key.Key_Tab)
        assert focused() is dlg.fields["contact_name"].widget
        type_text(qtbot, "李经理")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "021-61234567")
        save(qtbot)

    modal_run(qtbot, lambda: key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                                 | Qt.KeyboardModifier.ShiftModifier), platform)
    p = store.platform_by_name("快跑配送")
    assert p is not None and [i.value for i in p.industries] == ["food_delivery"]
    assert p.contact_phone == "021-61234567"
    assert section.platform_box.findText("快跑配送") > 0

    def station(dlg):
        assert dlg.value("platform") == p.id   # the only platform is chosen already
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "张江站")
        key(qtbot, Qt.Key.Key_Tab)
        key(qtbot, Qt.Key.Key_Down)            # first district: 310101 黄浦区
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "上海市浦东新区张江路1号")
        save(qtbot)

    focus_on(qtbot, section.search)
    modal_run(qtbot, lambda: key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                                 | Qt.KeyboardModifier.ShiftModifier), station)
    [st] = store.stations(p.id)
    assert (st.name, st.district) == ("张江站", "310101")

    def worker(dlg):
        type_text(qtbot, "张伟")
        key(qtbot, Qt.Key.Key_Return)
        type_text(qtbot, ID2)
        assert dlg.gender.text().startswith("男")
        key(qtbot, Qt.Key.Key_Tab)             # derived fields are skipped: straight to the mobile
        type_text(qtbot, "13812345678")
        save(qtbot)

    focus_on(qtbot, section.search)
    modal_run(qtbot, lambda: key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier), worker)
    w = store.worker_by_id_number(ID2)
    assert w.name == "张伟" and w.gender == "male" and w.phone == "13812345678"
    assert section.current().id == w.id          # the saved worker is selected

    def enroll(dlg):
        assert dlg.value("platform") == p.id and dlg.value("industry") == "food_delivery"  # preselected
        key(qtbot, Qt.Key.Key_Tab)             # to the station
        key(qtbot, Qt.Key.Key_Down)            # 张江站
        save(qtbot)

    focus_on(qtbot, section.view)
    modal_run(qtbot, lambda: key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                                 | Qt.KeyboardModifier.ShiftModifier), enroll)
    [e] = store.enrollments_of(w.id)
    # 外卖 chosen for cover starting today is recorded as 即时配送 (merged on 2025-07-01)
    assert (e.platform_id, e.station_id, e.industry.value, e.source) == (p.id, st.id, "instant_delivery", "manual")
    assert section.current().id == w.id
    assert "快跑配送" in section.detail.toPlainText()
    assert section.model.data(section.model.index(0, 5)) == "快跑配送"


def test_type_worker_in_and_find_by_search(section, qtbot, ctx):
    dlg = WorkerDialog(section, ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: focused() is dlg.fields["name"].widget)
    type_text(qtbot, "王芳")
    key(qtbot, Qt.Key.Key_Tab)
    idbox = dlg.fields["id_number"]
    type_text(qtbot, ID1[:10])
    assert "已输入 10 / 18 位" in idbox.box.msg.text()
    assert not dlg.save_btn.isEnabled()
    type_text(qtbot, ID1[10:17] + "5")          # wrong check character
    assert idbox.box.msg.isVisible() and "校验位错误，应为 X" in idbox.box.msg.text()
    assert "color:#c0392b" in idbox.box.msg.styleSheet()
    assert not dlg.save_btn.isEnabled() and "身份证号码" in dlg.save_btn.toolTip()
    assert "尚不能保存" in dlg.reason.text()
    assert dlg.gender.text() == "—"
    key(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, "x")                        # lower-case x is accepted
    assert not idbox.box.msg.isVisible()
    assert dlg.gender.text().startswith("女") and dlg.birth.text().startswith("1949年12月31日")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "+86 139 1234 5678")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "6222021234567890123")       # fails Luhn: a warning, not a block
    assert "校验位" in dlg.fields["bank_card"].box.msg.text() and "Luhn" not in dlg.fields["bank_card"].box.msg.text()
    assert dlg.save_btn.isEnabled()
    save(qtbot)
    assert dlg.result() == dlg.DialogCode.Accepted
    res = dlg.result_value
    assert res.worker.id_number == ID1 and res.worker.phone == "13912345678" and res.worker.gender == "female"
    section.after_save(res.change, res.worker.id)

    section.search.setFocus()
    section.search.clear()
    type_text(qtbot, "芳", section.search)
    # the search applies after a pause in typing: wait for it (on a slow PC the old rows still
    # match, and the pending search would run after the test closed the database)
    searched = lambda: not section._debounce.isActive()  # noqa: E731
    qtbot.waitUntil(lambda: searched() and section.model.rowCount() == 1 and section.model.record(0).name == "王芳")
    section.search.clear()
    type_text(qtbot, "002X", section.search)       # ID tail
    qtbot.waitUntil(lambda: searched() and section.model.rowCount() == 1)
    assert section.model.data(section.model.index(0, 1)) == mask_id(ID1)


def test_same_id_number_opens_the_existing_record(section, qtbot, ctx):
    existing, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})

    def fill(dlg):
        type_text(qtbot, "王小芳")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, ID1)
        assert "该号码已登记（王芳）" in dlg.fields["id_number"].box.msg.text()
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "13700001111")
        save(qtbot)

    def open_existing(box):
        assert "已登记为“王芳”" in box.text()
        click_button(box, "打开已有记录")

    res = modal_run(qtbot, section.new_worker, fill, open_existing)
    assert ctx.store.count_workers() == 1
    assert section.current().id == existing.id


def test_probable_duplicate_shown_side_by_side(section, qtbot, ctx):
    existing, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    seen = {}

    def fill(dlg):
        type_text(qtbot, "李强")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, ID2)
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "139-1234-5678")       # the same mobile as 王芳
        save(qtbot)

    def go_back(dup):
        assert isinstance(dup, DuplicateDialog)
        from PySide6.QtWidgets import QTableWidget
        t = dup.findChild(QTableWidget)
        seen["cols"] = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
        seen["names"] = [t.item(0, c).text() for c in range(t.columnCount())]
        seen["phones"] = [t.item(4, c).text() for c in range(t.columnCount())]
        form = dup.parent()
        click_button(dup, "返回修改")
        QTimer.singleShot(0, lambda: again(form))

    def again(form):
        try:  # nothing was saved and the form still holds what was typed: decide again
            assert ctx.store.count_workers() == 1 and form.value("name") == "李强"
            focus_on(qtbot, form.fields["phone"].widget)
            save(qtbot)
        except BaseException as e:  # noqa: BLE001
            seen["error"] = e
            close_modals()

    def save_anyway(dup):
        click_button(dup, "不是同一人，仍然保存")

    res = modal_run(qtbot, section.new_worker, fill, go_back, save_anyway)
    assert "error" not in seen
    assert seen["cols"] == ["新录入", "已登记 1"]
    assert seen["names"] == ["李强", "王芳"]
    # what was typed is shown whole; the registered person's number is masked as on every screen
    assert seen["phones"] == ["13912345678", "139****5678"]
    assert ctx.store.count_workers() == 2
    assert section.current().id == ctx.store.worker_by_id_number(ID2).id


def test_edit_uses_update_worker(section, qtbot, ctx, shop):
    w, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    section.reload()
    section.view.setFocus()

    def edit(dlg):
        assert dlg.value("id_number") == ID1 and dlg.gender.text().startswith("女")
        assert dlg.save_btn.isEnabled()
        dlg.fields["address"].widget.setFocus()
        type_text(qtbot, "上海市徐汇区漕溪北路")
        save(qtbot)

    modal_run(qtbot, lambda: key(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier), edit)
    after = ctx.store.worker(w.id)
    assert after.address == "上海市徐汇区漕溪北路" and after.row_version == 2
    assert ctx.store.count_workers() == 1


def test_escape_asks_before_throwing_away_what_was_typed(qtbot, ctx, monkeypatch):
    dlg = WorkerDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: focused() is dlg.fields["name"].widget)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (asked.append(a[2]), answers.pop(0))[1])
    type_text(qtbot, "张三")
    key(qtbot, Qt.Key.Key_Escape)
    assert dlg.isVisible() and asked and "尚未保存" in asked[0]
    key(qtbot, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and dlg.result_value is None
    assert ctx.store.count_workers() == 0

    fresh = WorkerDialog(None, ctx)     # nothing typed: Esc closes without asking
    qtbot.addWidget(fresh)
    fresh.show()
    qtbot.waitUntil(lambda: focused() is fresh.fields["name"].widget)
    key(qtbot, Qt.Key.Key_Escape)
    assert not fresh.isVisible() and len(asked) == 2


def test_credit_code_checksum_warning_asks_for_a_reason(qtbot, ctx):
    dlg = PlatformDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: focused() is dlg.fields["name"].widget)
    type_text(qtbot, "老平台")
    key(qtbot, Qt.Key.Key_Tab)
    good = credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    type_text(qtbot, bad)
    msg = dlg.fields["credit_code"].box.msg
    assert "校验位不符" in msg.text() and "color:#b9770e" in msg.styleSheet()   # a warning, orange
    assert dlg.fields["credit_override"].visible
    dlg.industries.boxes[1].setChecked(True)
    assert not dlg.save_btn.isEnabled() and "忽略校验的理由" in dlg.reason.text()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dlg.fields["credit_override"].widget
    type_text(qtbot, "与营业执照原件一致")
    assert dlg.save_btn.isEnabled()
    save(qtbot)
    p = ctx.store.platform_by_name("老平台")
    assert p.credit_code == bad and p.credit_override == "与营业执照原件一致"


def test_enroll_dialog_offers_only_the_platforms_stations_and_industries(qtbot, ctx):
    s = ctx.store
    a, _ = s.add_platform(ADMIN, name="甲平台", industries=["food_delivery", "instant_delivery"])
    b, _ = s.add_platform(ADMIN, name="乙平台", industries=["ride_hailing"])
    s.add_station(ADMIN, platform_id=a.id, name="甲一站")
    s.add_station(ADMIN, platform_id=a.id, name="甲二站")
    s.add_station(ADMIN, platform_id=b.id, name="乙站")
    w, _ = s.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    dlg = EnrollDialog(None, ctx, w)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.platform.setCurrentIndex(dlg.platform.findData(a.id))
    assert [dlg.station.itemText(i) for i in range(dlg.station.count())] == ["（不指定站点）", "甲一站", "甲二站"]
    assert [dlg.industry.itemData(i) for i in range(dlg.industry.count())] == [None, "food_delivery",
                                                                               "instant_delivery"]
    dlg.platform.setCurrentIndex(dlg.platform.findData(b.id))
    assert [dlg.station.itemText(i) for i in range(dlg.station.count())] == ["（不指定站点）", "乙站"]
    assert dlg.value("industry") == "ride_hailing"   # the platform's only industry, preselected
    dlg.end.box.setChecked(True)
    dlg.end.edit.setDate(dlg.start.date().addDays(-1))
    assert not dlg.save_btn.isEnabled() and "不能早于起始日期" in dlg.fields["end"].box.msg.text()
    dlg.end.box.setChecked(False)
    dlg.try_save()
    assert s.enrollments_of(w.id)[0].industry.value == "ride_hailing"
    again = EnrollDialog(None, ctx, w)    # the same open enrollment again is refused at the field
    qtbot.addWidget(again)
    again.platform.setCurrentIndex(again.platform.findData(b.id))
    assert not again.save_btn.isEnabled() and "已有有效参保登记" in again.fields["industry"].box.msg.text()


def test_other_cover_appears_in_the_detail(section, qtbot, ctx):
    w, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    section.reload()

    def cover(dlg):
        key(qtbot, Qt.Key.Key_Down)          # 工会互助保障
        key(qtbot, Qt.Key.Key_Return)
        type_text(qtbot, "新就业形态劳动者专享保障")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "上海市职工保障互助会")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "HZ2025-001")
        save(qtbot)

    modal_run(qtbot, section.other_cover, cover)
    [o] = ctx.store.other_cover_of(w.id)
    assert (o.kind, o.policy_no) == ("union_mutual_aid", "HZ2025-001")
    text = section.detail.toPlainText()
    assert "工会互助保障" in text and "上海市职工保障互助会" in text


def test_ending_an_enrollment_from_the_record_keeps_it_with_its_end_date(section, qtbot, ctx, shop):
    p, st = shop
    w, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    ctx.store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2026-03-01",
                     station_id=st.id)
    section.reload()
    section.select_worker(w.id)
    assert section.acts["end_enrollment"].isEnabled()

    def end(dlg):
        assert dlg.which.count() == 1  # the only open enrollment is chosen already
        dlg.fields["end"].widget.setDate(QDate(2026, 2, 1))  # before the start: refused under the field
        assert not dlg.save_btn.isEnabled() and "不能早于起始日期 2026-03-01" in dlg.reason.text()
        dlg.fields["end"].widget.setDate(QDate(2026, 11, 30))
        save(qtbot)

    modal_run(qtbot, section.end_enrollment, end)
    [e] = ctx.store.enrollments_of(w.id)
    assert e.end_on.isoformat() == "2026-11-30" and e.status.value == "ended"
    assert "2026-11-30" in section.detail.toPlainText()
    assert not section.acts["end_enrollment"].isEnabled()  # nothing open is left to end
    assert section.acts["end_enrollment"].toolTip() == "此人没有（本站）在保的参保登记"


def test_filters_by_platform_and_station_and_lists_every_platform(section, qtbot, ctx):
    s = ctx.store
    a, _ = s.add_platform(ADMIN, name="甲平台", industries=["food_delivery"])
    b, _ = s.add_platform(ADMIN, name="乙平台", industries=["ride_hailing"])
    sa, _ = s.add_station(ADMIN, platform_id=a.id, name="甲一站")
    s.add_station(ADMIN, platform_id=a.id, name="甲二站")
    w1, _ = s.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    w2, change = s.add_worker(ADMIN, {"name": "李强", "id_number": ID2, "phone": "13812345678"})
    s.enroll(ADMIN, worker_id=w1.id, platform_id=a.id, station_id=sa.id, industry="food_delivery", start_on="2025-01-01")
    s.enroll(ADMIN, worker_id=w1.id, platform_id=b.id, industry="ride_hailing", start_on="2025-01-01")
    s.enroll(ADMIN, worker_id=w2.id, platform_id=b.id, industry="ride_hailing", start_on="2025-01-01")
    section.refresh(s.change("platforms", "stations", "workers"))
    section.reload()
    names = {section.model.record(r).name: section.model.data(section.model.index(r, 5))
             for r in range(section.model.rowCount())}
    assert names == {"王芳": "乙平台、甲平台", "李强": "乙平台"}
    assert not section.station_box.isEnabled()
    section.platform_box.setCurrentIndex(section.platform_box.findData(a.id))
    assert section.station_box.isEnabled()
    assert [section.station_box.itemText(i) for i in range(section.station_box.count())] == ["全部站点", "甲一站", "甲二站"]
    assert [section.model.record(r).name for r in range(section.model.rowCount())] == ["王芳"]
    section.platform_box.setCurrentIndex(section.platform_box.findData(b.id))
    assert section.model.rowCount() == 2
    section.industry_box.setCurrentIndex(section.industry_box.findData("food_delivery"))
    assert section.model.rowCount() == 0
    assert "没有符合条件的人员" in section.detail.toPlainText()


def _people(store, n=5):
    rng = random.Random(5)
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    out = []
    for i in range(n):
        w, _ = store.add_worker(ADMIN, {"name": f"测试{i}", "id_number": id_number(rng), "phone": f"1391234000{i}"})
        store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2025-01-01")
        out.append(w)
    return out


@pytest.mark.parametrize("role,masked", [("admin", False), ("insurer_agent", True), ("reviewer", True)])
def test_list_is_masked_and_export_masks_for_non_admins(qtbot, store, tmp_path, role, masked):
    people = _people(store)
    ctx = AppContext(store=store, actor=logged_in("u", role=role), version="t")
    sec = WorkersSection(ctx)
    qtbot.addWidget(sec)
    sec.show()
    qtbot.waitUntil(lambda: sec.model.rowCount() == 5)
    assert all("*" in sec.model.data(sec.model.index(r, 1)) for r in range(5))   # masked on screen for all
    from ui.workers import transfer
    out = tmp_path / "export.csv"
    assert transfer.export_filtered(sec, ctx, sec.filter(), out) == 5
    text = out.read_text(encoding="utf-8-sig")
    for w in people:
        assert (mask_id(w.id_number) in text) is masked
        assert (w.id_number in text) is not masked
        assert (w.phone in text) is not masked


def test_export_of_the_filtered_list_to_xlsx(section, qtbot, ctx, tmp_path, monkeypatch):
    people = _people(ctx.store)
    section.reload()
    section.search.setText("测试3")
    qtbot.waitUntil(lambda: section.model.rowCount() == 1)
    from ui.workers import transfer
    monkeypatch.setattr(transfer, "choose_export_path", lambda parent: tmp_path / "名单.xlsx")
    section.acts["export"].trigger()
    from openpyxl import load_workbook
    rows = list(load_workbook(tmp_path / "名单.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "身份证号码")
    assert [r[0] for r in rows[1:]] == ["测试3"] and rows[1][1] == people[3].id_number and rows[1][5] == "美团"


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_import_dialog_maps_checks_then_imports(qtbot, ctx, shop, tmp_path, qtmodeltester):
    rng = random.Random(9)
    rows = [[f"骑手{i}", id_number(rng), f"1370000{i:04d}", "美团", "张江站", "外卖", "2025-03-01"] for i in range(40)]
    rows[7][1] = rows[7][1][:17] + ("0" if rows[7][1][17] != "0" else "1")
    rows[20][5] = "快递"
    header = ["姓名", "身份证号码", "手机号", "平台", "站点", "行业", "起始日期"]
    path = write_csv(tmp_path / "美团名单.csv", header, rows)
    dlg = ImportDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.dry_btn.isEnabled() and not dlg.import_btn.isEnabled()
    dlg.load_file(path)
    assert dlg.mapping() == {"姓名": "name", "身份证号码": "id_number", "手机号": "phone", "平台": "platform",
                             "站点": "station", "行业": "industry", "起始日期": "enrolled_on"}
    assert "姓名" in dlg.header_label.text()
    assert dlg.problems() == [] and not dlg.import_btn.isEnabled()
    dlg.dry_run()
    assert ctx.store.count_workers() == 0                       # a dry run changes nothing
    assert "新增 38" in dlg.summary_label.text() and "拒绝 2" in dlg.summary_label.text()
    shown = [(dlg.report_model.data(dlg.report_model.index(r, 0)), dlg.report_model.data(dlg.report_model.index(r, 1)),
              dlg.report_model.data(dlg.report_model.index(r, 2))) for r in range(dlg.report_model.rowCount())]
    assert [(line, status) for line, status, _ in shown] == [("9", "拒绝"), ("22", "拒绝")]   # rejected first
    assert "校验位错误" in shown[0][2] and "未知行业“快递”" in shown[1][2]
    qtmodeltester.check(dlg.report_model)
    dlg.filter_box.setCurrentIndex(0)
    assert dlg.report_model.rowCount() == 40
    assert {dlg.report_model.data(dlg.report_model.index(r, 1)) for r in range(40)} == {"新增", "拒绝"}
    assert dlg.import_btn.isEnabled()
    dlg.apply()
    assert ctx.store.count_workers() == 38
    report, change = dlg.result_value
    assert report.new == 38 and "workers" in change.tables
    again = ImportDialog(None, ctx)
    qtbot.addWidget(again)
    again.load_file(path)
    again.dry_run()
    assert "未变 38" in again.summary_label.text() and "新增 0" in again.summary_label.text()


def test_import_dialog_remembers_the_mapping_per_platform(qtbot, ctx, shop, tmp_path):
    ctx.store.add_platform(ADMIN, name="饿了么", industries=["food_delivery"])
    rng = random.Random(3)
    header = ["骑士", "证件", "联系方式", "入网日期", "行业"]
    rows = [[f"骑士{i}", id_number(rng), f"1360000{i:04d}", "2025-04-01", "外卖"] for i in range(5)]
    path = write_csv(tmp_path / "x.xlsx.csv", header, rows)
    dlg = ImportDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.set_platform("美团")
    dlg.load_file(path)
    assert dlg.mapping()["骑士"] == "" and dlg.mapping()["行业"] == "industry"
    assert "尚未对应必填列" in dlg.missing_label.text() and not dlg.dry_btn.isEnabled()
    for their, ours in (("骑士", "name"), ("证件", "id_number"), ("联系方式", "phone"), ("入网日期", "enrolled_on")):
        dlg.set_mapping(their, ours)
    assert dlg.problems() == []        # the platform column is filled from the chosen platform
    dlg.dry_run()
    assert dlg.report.new == 5
    assert ctx.store.import_mapping("美团", "workers")["骑士"] == "name"

    again = ImportDialog(None, ctx)
    qtbot.addWidget(again)
    again.set_platform("美团")
    again.load_file(path)
    assert again.mapping()["骑士"] == "name" and again.mapping()["入网日期"] == "enrolled_on"
    again.set_platform("饿了么")       # another platform: its own (here: no) memory
    assert again.mapping()["骑士"] == ""
    again.set_platform("美团")
    assert again.mapping()["证件"] == "id_number"


def test_auto_match_knows_common_chinese_names():
    m = auto_match(["姓名", "身份证号", "手机", "平台", "站点", "行业", "参保日期", "银行卡号", "地址", "备注"])
    assert m == {"姓名": "name", "身份证号": "id_number", "手机": "phone", "平台": "platform", "站点": "station",
                 "行业": "industry", "参保日期": "enrolled_on", "银行卡号": "bank_card", "地址": "address", "备注": ""}
    assert auto_match(["name", "id_number"]) == {"name": "name", "id_number": "id_number"}
    assert auto_match(["手机号码", "手机"])["手机"] == ""    # one column each


def test_station_manager_cannot_register_platforms(qtbot, store):
    ctx = AppContext(store=store, actor=logged_in("zz", role="station_manager"), version="t")
    sec = WorkersSection(ctx)
    qtbot.addWidget(sec)
    assert not sec.acts["new_platform"].isEnabled() and not sec.acts["new_station"].isEnabled()
    assert sec.acts["new_worker"].isEnabled()


def test_reveal_is_logged(section, qtbot, ctx):
    w, _ = ctx.store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    section.reload()
    qtbot.mouseClick(section.reveal_btn, Qt.MouseButton.LeftButton)
    assert section.model.data(section.model.index(0, 1)) == ID1
    n = ctx.store.conn.execute("SELECT count(*) FROM audit_log WHERE action='reveal' AND record_id=?",
                               (w.id,)).fetchone()[0]
    assert n == 1
    qtbot.mouseClick(section.reveal_btn, Qt.MouseButton.LeftButton)
    assert section.model.data(section.model.index(0, 1)) == mask_id(ID1)


def test_cancelling_the_import_leaves_the_database_unchanged(qtbot, ctx, shop, tmp_path, monkeypatch):
    rng = random.Random(4)
    rows = [[f"骑手{i}", id_number(rng), f"1350000{i:04d}", "美团", "外卖", "2025-03-01"] for i in range(5000)]
    path = write_csv(tmp_path / "big.csv", ["姓名", "身份证号码", "手机号", "平台", "行业", "参保日期"], rows)
    dlg = ImportDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.load_file(path)
    dlg.dry_run()
    assert dlg.report.new == 5000
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    from PySide6.QtWidgets import QProgressDialog

    def press_cancel():
        found = dlg.findChildren(QProgressDialog)
        if not found:
            QTimer.singleShot(5, press_cancel)
            return
        click_button(found[-1], "取消")    # the Cancel button of the progress dialog

    audit_before = ctx.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    QTimer.singleShot(0, press_cancel)
    dlg.apply()
    assert shown and "已取消" in shown[0]
    assert ctx.store.count_workers() == 0 and dlg.result_value is None
    assert ctx.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before


def test_a_station_manager_is_offered_only_their_own_stations_enrollments_to_end(qtbot, store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    mine, _ = store.add_station(ADMIN, platform_id=p.id, name="张江站", district="310115")
    other, _ = store.add_station(ADMIN, platform_id=p.id, name="徐汇站", district="310104")
    w, _ = store.add_worker(ADMIN, {"name": "王芳", "id_number": ID1, "phone": "13912345678"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2026-03-01",
                 station_id=other.id)
    manager = logged_in("zz", role="station_manager", platform_id=p.id, station_id=mine.id)
    from ui.workers.dialogs import EndEnrollmentDialog
    dlg = EndEnrollmentDialog(None, AppContext(store=store, actor=manager, version="t"), w)
    qtbot.addWidget(dlg)
    assert dlg.open == []  # the other station's enrollment is not theirs to end
