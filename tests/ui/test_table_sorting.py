"""Lists that behave, beyond the big lists: every table a user reads sorts by a click on a
column title (ascending, descending, then its own order again), money and counts by their
value, names by pinyin, "—" last; the order is kept for the same user and not for another;
a row picked in a sorted table is still the record shown. And a disabled control's reason
appears in the status bar when the user points at it."""
import argparse
import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableWidgetItem

from claims.pinyin import sort_key, syllables
from claims.store import Store
from ui.context import AppContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

BLANK = {"", "—"}
NUMBER = re.compile(r"^[+-]?¥?[+-]?\d[\d,]*(\.\d+)?\s*(%|[\u4e00-\u9fff/]{1,4})?$")  # ¥1.00, 3 天, 12.00 元/月


@pytest.fixture
def store(demo_db):
    s = Store(demo_db, "T")
    yield s
    s.close()


def ctx_of(store, login, password):
    return AppContext(store=store, actor=store.authenticate(login, password), version="t")


def click_header(qtbot, view, col):
    h = view.horizontalHeader()
    x = h.sectionViewportPosition(col) + h.sectionSize(col) // 2
    qtbot.mouseClick(h.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, h.height() // 2))
    qtbot.wait(5)  # a table widget is reordered once the click's events are over


def column(view, col, rows=None):
    m = view.model()
    return [m.data(m.index(r, col)) or "" for r in range(rows if rows is not None else m.rowCount())]


def values(view, col, rows=None):
    """What a cell sorts by: its text, or the value a screen gave where the text is words
    (a deadline "逾期 3 天" sorts by its date)."""
    from ui.sorting import SORT_ROLE
    m = view.model()
    n = rows if rows is not None else m.rowCount()
    return [str(m.data(m.index(r, col), SORT_ROLE) or m.data(m.index(r, col)) or "") for r in range(n)]


def expected(text: str):
    """How a reader expects a cell to sort: amounts and counts as numbers, Chinese by pinyin,
    numbers inside a text by value (dates in order, 第2条 before 第10条)."""
    t = text.strip()
    if NUMBER.match(t):
        neg = t.startswith("-") or t.startswith("¥-")
        return (0, (-1 if neg else 1) * float(re.sub(r"[^\d.]", "", t.split()[0])), ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, " ".join(syllables(p)) if not p.isascii() else p.lower())
                  for p in re.findall(r"\d+|\D+", t))
    return (1, 0, parts)


def assert_sorted(texts, descending, what):
    filled = [t for t in texts if t.strip() not in BLANK]
    assert texts[:len(filled)] == filled, f"{what}: blanks last"  # “—” and empty cells last, both ways
    keys = [expected(t) for t in filled]
    assert keys == sorted(keys, reverse=descending), what


def sorts_by_every_column(qtbot, view, rows=None):
    """Click each title: ascending, again descending, a third time the list's own order."""
    natural = [column(view, c, rows) for c in range(view.model().columnCount())]
    for col in range(view.model().columnCount()):
        title = view.model().headerData(col, Qt.Orientation.Horizontal)
        click_header(qtbot, view, col)
        assert view.horizontalHeader().sortIndicatorSection() == col
        assert_sorted(values(view, col, rows), False, title)
        click_header(qtbot, view, col)
        assert_sorted(values(view, col, rows), True, title)
        click_header(qtbot, view, col)
        assert view.horizontalHeader().sortIndicatorSection() == -1
        assert [column(view, c, rows) for c in range(len(natural))] == natural, title


def test_a_table_sorts_money_by_amount_names_by_pinyin_dates_in_order_and_blanks_last(qtbot, store):
    from ui.sorting import make_sortable, source_row
    from ui.widgets import readonly_table
    table = readonly_table(["姓名", "金额", "收到日期"])
    qtbot.addWidget(table)
    make_sortable(table, "测试.金额", ctx_of(store, "agent", "agent123"))
    rows = [("张伟", "¥10.00", "2025-10-02"), ("安娜", "¥9.00", "—"), ("王芳", "¥1,000.00", "2025-09-30"),
            ("陈坚", "", "2025-10-15"), ("程立", "-¥5.00", "2025-10-01")]
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resize(600, 300)
    table.show()
    qtbot.wait(5)
    click_header(qtbot, table, 1)
    assert column(table, 1) == ["-¥5.00", "¥9.00", "¥10.00", "¥1,000.00", ""]
    click_header(qtbot, table, 1)
    assert column(table, 1) == ["¥1,000.00", "¥10.00", "¥9.00", "-¥5.00", ""]
    click_header(qtbot, table, 0)
    assert column(table, 0) == ["安娜", "陈坚", "程立", "王芳", "张伟"]  # chen before cheng, wang before zhang
    click_header(qtbot, table, 2)
    click_header(qtbot, table, 2)
    assert column(table, 2) == ["2025-10-15", "2025-10-02", "2025-10-01", "2025-09-30", "—"]
    table.setCurrentCell(0, 0)  # 陈坚, the fourth row the screen put in
    assert source_row(table) == 3
    # a new fill is shown in the chosen order as soon as it is written
    table.setRowCount(2)
    table.setItem(0, 0, QTableWidgetItem("甲"))
    table.setItem(0, 2, QTableWidgetItem("2025-01-01"))
    table.setItem(1, 0, QTableWidgetItem("乙"))
    table.setItem(1, 2, QTableWidgetItem("2025-12-31"))
    qtbot.waitUntil(lambda: column(table, 0) == ["乙", "甲"])
    assert source_row(table, 0) == 1


def test_the_users_table_sorts_keeps_the_order_per_user_and_acts_on_the_row_shown(qtbot, store):
    from ui.settings.users_tab import UsersTab
    admin = ctx_of(store, "admin", "admin123")
    tab = UsersTab(admin)
    qtbot.addWidget(tab)
    tab.resize(900, 500)
    tab.show()
    sorts_by_every_column(qtbot, tab.table)
    name_col = 1
    click_header(qtbot, tab.table, name_col)
    click_header(qtbot, tab.table, name_col)  # by name, descending (张, 赵, 王, 李 …)
    names = column(tab.table, name_col)
    assert [sort_key(n) for n in names] == sorted((sort_key(n) for n in names), reverse=True)
    # the row picked on screen is the user acted on
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() not in ("admin",))
    picked = tab.table.item(row, 1).text()
    tab.table.setCurrentCell(row, 0)
    tab.toggle()
    qtbot.wait(5)
    after = {tab.table.item(r, 1).text(): tab.table.item(r, 4).text() for r in range(tab.table.rowCount())}
    assert after[picked] == "已停用"
    assert column(tab.table, name_col) == names  # still in the order chosen, after the reload
    # the same user finds the table as they left it; another user has the table's own order
    again = UsersTab(admin)
    qtbot.addWidget(again)
    qtbot.wait(5)
    assert again.table.horizontalHeader().sortIndicatorSection() == name_col
    assert again.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert column(again.table, name_col) == names
    other = UsersTab(ctx_of(store, "reviewer", "review123"))
    qtbot.addWidget(other)
    qtbot.wait(5)
    assert other.table.horizontalHeader().sortIndicatorSection() == -1
    assert column(other.table, 0) == [u.username for u in store.users()]


def test_the_home_lists_sort_and_a_double_click_opens_the_case_shown(qtbot, store):
    from ui.sections.home import HomeSection
    home = HomeSection(ctx_of(store, "agent", "agent123"))
    qtbot.addWidget(home)
    home.resize(1280, 680)
    home.show()
    home.refresh()
    home.make_sortable()  # as the main window does once the figures are on screen
    qtbot.wait(5)
    assert home.due.rowCount() > 2
    sorts_by_every_column(qtbot, home.due)
    sorts_by_every_column(qtbot, home.tasks)
    click_header(qtbot, home.due, 2)  # the deadline: the most overdue first, by date not by words
    late = [int(re.search(r"\d+", t).group()) for t in column(home.due, 2) if t.startswith("逾期")]
    assert len(late) > 2 and late == sorted(late, reverse=True)
    click_header(qtbot, home.due, 0)
    click_header(qtbot, home.due, 0)
    numbers = column(home.due, 0)
    assert numbers == sorted(numbers, reverse=True)
    opened = []
    home.open_case = opened.append
    item = home.due.item(0, 1)
    home.due.itemDoubleClicked.emit(item)
    assert opened == [numbers[0]]


def test_a_statistics_table_sorts_by_value_with_the_total_last_and_keeps_the_order(qtbot, demo_db):
    from ui.app import open_main_window
    from claims.store.base import Actor, _issue

    def open_stats():
        w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                             actor=_issue(Actor("admin", role="admin", display_name="系统管理员")))
        qtbot.addWidget(w)
        w.resize(1280, 720)
        w.show()
        w.nav.setCurrentRow(4)
        sec = w.stack.currentWidget()
        qtbot.waitUntil(lambda: sec.tabs is not None and not sec.view_tabs[0].stale)
        return w, sec

    w, sec = open_stats()
    i = next(i for i, t in enumerate(sec.view_tabs) if t.key == "payments") if any(
        t.key == "payments" for t in sec.view_tabs) else 4
    sec.tabs.setCurrentIndex(i)
    tab = sec.view_tabs[i]
    qtbot.waitUntil(lambda: not tab.stale)
    tv = tab.table_views[0]
    m = tv.model()
    total = bool(m.table.total)
    body = m.rowCount() - (1 if total else 0)
    assert body > 1
    last = column(tv, 0)[-1]
    sorts_by_every_column(qtbot, tv, rows=body)
    money = next(c for c, col in enumerate(m.table.columns) if col.kind == "money")
    click_header(qtbot, tv, money)
    click_header(qtbot, tv, money)
    amounts = column(tv, money, body)
    assert [expected(a) for a in amounts] == sorted((expected(a) for a in amounts), reverse=True)
    assert column(tv, 0)[-1] == last  # the total stays at the bottom
    w.close()
    w2, sec2 = open_stats()
    sec2.tabs.setCurrentIndex(i)
    qtbot.waitUntil(lambda: not sec2.view_tabs[i].stale)
    tv2 = sec2.view_tabs[i].table_views[0]
    assert tv2.horizontalHeader().sortIndicatorSection() == money
    assert column(tv2, money, body) == amounts


def test_the_fee_rates_and_the_industries_sort_by_every_column(qtbot, store):
    from PySide6.QtCore import QObject, Signal
    from ui.fees.rates import RatesView
    from ui.settings.industries_tab import IndustriesTab

    class Changed(QObject):
        changed = Signal(object)
    ctx = ctx_of(store, "admin", "admin123")
    rates = RatesView(ctx)
    qtbot.addWidget(rates)
    rates.resize(1200, 600)
    rates.show()
    rates.refresh()
    qtbot.waitUntil(lambda: rates.model.rowCount() > 1)
    sorts_by_every_column(qtbot, rates.view)
    amount = next(c for c in range(rates.model.columnCount()) if "金额" in rates.model.cols[c].title)
    click_header(qtbot, rates.view, amount)
    got = [rates.model.record(r).amount_units for r in range(rates.model.rowCount())]
    assert got == sorted(got)  # the record behind each row moves with it
    signal = Changed()
    ind = IndustriesTab(ctx, signal.changed)
    qtbot.addWidget(ind)
    ind.resize(1000, 500)
    ind.show()
    sorts_by_every_column(qtbot, ind.view)
    from ui.settings.params_tab import ParamsTab
    params = ParamsTab(ctx, signal.changed)
    qtbot.addWidget(params)
    params.resize(1200, 600)
    params.show()
    sorts_by_every_column(qtbot, params.table)
    value = ParamsTab.HEADERS.index("数值")
    click_header(qtbot, params.table, value)
    got = [float(t.split()[0]) for t in column(params.table, value)]
    assert got == sorted(got) and got[0] < 10000 < got[-1]  # 9580.00 元/月 before 12300.00 元/月
    opened = []
    import ui.settings.params_tab as P
    P.ParameterDialog.ask = classmethod(lambda cls, parent, ctx, param=None: opened.append(param))
    params.table.setCurrentCell(params.table.rowCount() - 1, 0)
    params.edit()  # the parameter edited is the one on the row picked
    assert f"{opened[0].value} {opened[0].unit}" == column(params.table, value)[-1]


def test_pointing_at_a_disabled_button_puts_its_reason_in_the_status_bar(qtbot, demo_db):
    from ui.app import open_main_window
    from claims.store.base import Actor, _issue
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "test",
                         actor=_issue(Actor("agent", role="insurer_agent", display_name="李经办")))
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    w.nav.setCurrentRow(5)  # 设置
    sec = w.stack.currentWidget()
    qtbot.waitUntil(lambda: getattr(sec, "users_tab", None) is not None)
    sec.tabs.setCurrentWidget(sec.users_tab)
    btn = sec.users_tab.add_btn
    qtbot.waitUntil(btn.isVisible)
    assert not btn.isEnabled() and btn.toolTip()
    assert w.statusBar().currentMessage() == ""
    qtbot.mouseMove(btn, btn.rect().center())
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == btn.toolTip())
    qtbot.mouseMove(sec.users_tab.table.viewport(), QPoint(5, 5))  # away again: the reason goes
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "")
    # a menu entry the role may not use says why in the status bar as well
    restore = w.restore_action
    assert not restore.isEnabled()
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and restore in a.menu().actions())
    menu.popup(w.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseMove(menu, menu.actionGeometry(restore).center())
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "只有系统管理员可以从备份恢复")
    menu.hide()
