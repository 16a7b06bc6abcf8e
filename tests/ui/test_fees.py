"""The fees section: declarations (create, edit counts, submit, pay), the
reconciliation drill-down and export, the order import dialog, the coverage
lookup and the per-order amounts, driven like a user through the dialogs."""
import csv
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from claims.store import Actor, Store
from ui.context import AppContext
from ui.fees.import_dialog import OrderImportDialog
from ui.sections.fees import FeesSection
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


TODAY = date(2025, 11, 10)


@pytest.fixture
def ctx(demo_db):
    s = Store(demo_db, "TEST")
    yield AppContext(store=s, actor=logged_in("test:admin", role="admin", display_name="测试管理员"), version="t")
    s.close()


@pytest.fixture
def section(qtbot, ctx):
    sec = FeesSection(ctx, today=TODAY)
    qtbot.addWidget(sec)
    sec.resize(1200, 700)
    sec.show()
    qtbot.waitUntil(lambda: sec.declarations.model.rowCount() > 0)
    return sec


def drive(fn):
    """Run ``fn(dialog)`` on the next modal dialog once it is shown."""
    def go():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(10, go)
            return
        fn(dlg)
    QTimer.singleShot(0, go)


def test_create_declaration_edit_submit_and_pay(section, ctx, qtbot):
    s, view = ctx.store, section.declarations
    mt = s.platform_by_name("美团")
    assert s.declarations(platform_id=mt.id, month="2025-10") == []   # the demo leaves 2025-10 undeclared

    def new(dlg):
        dlg.platform.setCurrentIndex(dlg.platform.findData(mt.id))
        dlg.month.setDate(dlg.month.date().fromString("2025-10", "yyyy-MM"))
        assert "即时配送" in dlg.preview.text()          # lines computed from the records, shown before saving
        dlg.save_btn.click()
    drive(new)
    with qtbot.waitSignal(section.changed, timeout=5000):
        view.acts["new_declaration"].trigger()
    [d] = s.declarations(platform_id=mt.id, month="2025-10")
    assert view.current().id == d.id and d.status.value == "draft"
    recorded = d.lines[0].orders_recorded

    def counts(dlg):
        spin = next(iter(dlg.spins.values()))[0]
        spin.setValue(recorded - 5)
        assert "-5" in next(iter(dlg.spins.values()))[1].text()
        dlg.save_btn.click()
    drive(counts)
    view.acts["edit_counts"].trigger()
    d = s.declaration(d.id, TODAY)
    assert d.lines[0].orders_declared == recorded - 5
    assert "-5" in view.detail.toHtml() and "#fdecea" in view.detail.toHtml()   # the difference, highlighted

    drive(lambda dlg: dlg.save_btn.click())
    view.acts["submit"].trigger()
    assert s.declaration(d.id, TODAY).status.value == "declared"
    assert not view.acts["edit_counts"].isEnabled()

    def bad_then_part(dlg):
        dlg.amount.setText("12.345")
        dlg.touched()
        assert not dlg.save_btn.isEnabled() and "两位小数" in dlg.reason.text()
        dlg.amount.setText("1.00")
        dlg.reference.setText("税票0001")
        dlg.touched()
        dlg.save_btn.click()
    drive(bad_then_part)
    view.acts["record_payment"].trigger()
    d = s.declaration(d.id, TODAY)
    assert d.amount_paid_fen == 100 and d.status.value == "partly_paid"
    assert s.declaration(d.id, date(2025, 11, 16)).status.value == "overdue"   # owing after 11-15

    drive(lambda dlg: dlg.save_btn.click())      # the amount offered is what is still owed
    view.acts["record_payment"].trigger()
    d = s.declaration(d.id, TODAY)
    assert d.status.value == "paid" and d.amount_paid_fen == d.amount_due_fen
    assert "税票0001" in view.detail.toPlainText()


def test_reconciliation_drill_down_and_export(section, ctx, qtbot, tmp_path, qtmodeltester):
    from openpyxl import load_workbook
    rv = section.reconciliation
    section.tabs.setCurrentWidget(rv)
    rv.month_from.setDate(rv.month_from.date().fromString("2025-05", "yyyy-MM"))
    rv.month_to.setDate(rv.month_to.date().fromString("2025-10", "yyyy-MM"))
    rv.run_btn.click()
    assert rv.model.rowCount() == 11 * 6        # 11 platforms × 6 months
    qtmodeltester.check(rv.model)
    rows = rv.model.rows
    diff_row = next(i for i, r in enumerate(rows) if r.order_diff)
    col = next(i for i, c in enumerate(rv.model.cols) if c.title == "单量差异")
    from PySide6.QtCore import Qt
    assert rv.model.data(rv.model.index(diff_row, col), Qt.ItemDataRole.BackgroundRole) is not None
    assert any(r.status == "undeclared" for r in rows)      # 2025-10 has records but no declaration
    month = rows[diff_row]
    rv.drill(diff_row)
    assert rv.level() == "station" and sum(r.recorded + r.imported_only for r in rv.model.rows) == month.recorded
    rv.drill(0)
    assert rv.level() == "worker" and rv.model.rowCount() > 0
    rv.drill(0)
    # days with order records count them; days the platform only reported a count have no records to match
    assert rv.level() == "day" and all(r.difference == 0 for r in rv.model.rows if r.source == "derived")
    assert all(r.records == 0 and r.difference == r.count for r in rv.model.rows if r.source == "imported")
    assert month.platform in rv.crumb.text()
    rv.back_btn.click()
    assert rv.level() == "worker"
    out = rv.export(tmp_path / "recon.xlsx")
    ws = load_workbook(out)["对账汇总"]
    assert ws.max_row == 2 + 66


def write_orders(path, rows, header):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_order_import_dialog_dry_run_then_apply(section, ctx, qtbot, tmp_path):
    s = ctx.store
    mt = s.platform_by_name("美团")
    idn = s.conn.execute("SELECT w.id_number FROM workers w JOIN enrollments e ON e.worker_id = w.id"
                         " WHERE e.platform_id = ? LIMIT 1", (mt.id,)).fetchone()[0]
    # a platform layout with Chinese headers, no platform and no region column
    header = ["订单编号", "骑手身份证", "业务类型", "接单时间", "送达时间"]
    rows = [["NEW1", idn, "即时配送", "2025-11-03 10:00:00", "2025-11-03 10:30:00"],
            ["NEW2", idn, "即时配送", "2025-11-03 11:00:00", "2025-11-03 10:30:00"],   # line 3: finish < accept
            ["NEW3", "110101199001011234", "即时配送", "2025-11-03 12:00:00", ""],       # line 4: unknown worker
            ["NEW4", idn, "即时配送", "2025-11-04 09:00:00", "2025-11-04 09:20:00"],
            ["NEW1", idn, "即时配送", "2025-11-03 10:00:00", "2025-11-03 10:30:00"]]   # the same order again
    path = write_orders(tmp_path / "美团11月.csv", rows, header)
    before = s.conn.execute("SELECT count(*) FROM orders").fetchone()[0]

    dlg = OrderImportDialog(section, ctx)
    qtbot.addWidget(dlg)
    dlg.set_platform("美团")
    dlg.load_file(path)
    assert dlg.mapping()["订单编号"] == "order_no" and dlg.mapping()["送达时间"] == "finished_at"
    dlg.set_mapping("骑手身份证", "id_number")
    assert dlg.problems() == [] and not dlg.import_btn.isEnabled()
    dlg.dry_btn.click()
    lines = {r[0]: r[2] for r in dlg.report_model.rows}
    assert set(lines) == {3, 4} and "早于接单时间" in lines[3] and "未登记的人员" in lines[4]
    assert s.conn.execute("SELECT count(*) FROM orders").fetchone()[0] == before     # dry run wrote nothing
    assert dlg.import_btn.isEnabled()
    dlg.import_btn.click()
    assert s.conn.execute("SELECT count(*) FROM orders").fetchone()[0] == before + 2
    report, change = dlg.result_value
    assert (report.new, report.unchanged, len(report.rejected)) == (2, 1, 2) and "orders" in change.tables
    assert s.import_mapping("美团", "orders")["骑手身份证"] == "id_number"     # remembered for next time

    # through the section's button, with the path given (no file chooser): the mapping comes back by itself
    def again(d):
        assert d.mapping()["骑手身份证"] == "id_number"
        d.dry_btn.click()
        d.import_btn.click()
        d.close_btn.click()
    drive(again)
    with qtbot.waitSignal(section.changed, timeout=10000):
        out = section.import_orders(path, platform="美团")
    assert out is not None and out[0].new == 0 and out[0].unchanged == 3


def test_coverage_lookup_shows_the_order_in_progress(section, ctx):
    s = ctx.store
    idn, acc, pid = s.conn.execute("SELECT w.id_number, o.accepted_at, o.platform_id FROM orders o JOIN workers w"
                                   " ON w.id = o.worker_id WHERE o.finished_at IS NOT NULL LIMIT 1").fetchone()
    cv = section.coverage
    cv.set_query(idn, datetime.fromisoformat(acc) + timedelta(minutes=1), pid)
    cv.go.click()
    assert "正在执行平台订单" in cv.result.toPlainText()
    cv.set_query(idn, datetime.fromisoformat(acc) - timedelta(days=400), pid)
    cv.go.click()
    assert "没有进行中的订单记录" in cv.result.toPlainText() and "当天没有接单" in cv.result.toPlainText()


def test_amounts_editable_by_administrators_only(section, ctx, qtbot, demo_db):
    rates = section.rates
    n = rates.model.rowCount()

    def fill(dlg):
        dlg.industry.setCurrentIndex(dlg.industry.findData("intra_city_freight"))
        dlg.region.setText("320100")
        dlg.amount.setText("0.1234")
        dlg.source.setText("管理员录入，待核实")
        dlg.touched()
        dlg.save_btn.click()
    drive(fill)
    rates.add_btn.click()
    assert rates.model.rowCount() == n + 1
    assert any(r.amount_units == 1234 and r.region == "320100" for r in ctx.store.fee_rates())

    agent = AppContext(store=ctx.store, actor=logged_in("test:agent", role="insurer_agent"), version="t")
    ro = FeesSection(agent, today=TODAY)
    qtbot.addWidget(ro)
    assert not ro.rates.add_btn.isEnabled() and not ro.rates.edit_btn.isEnabled()


def test_a_draft_past_its_due_date_is_shown_as_late(section, ctx):
    from datetime import date

    from ui.fees.declarations import late_draft, status_text
    s = ctx.store
    row = s.conn.execute("SELECT id FROM declarations WHERE status = 'draft' LIMIT 1").fetchone()
    d = s.declaration(row[0])
    y, m = map(int, d.month.split("-"))
    after = date(y + (m == 12), m % 12 + 1, 16)  # the day after fees for the month fell due
    before = date(y + (m == 12), m % 12 + 1, 15)
    assert late_draft(d, after) and not late_draft(d, before)
    assert status_text(d) == ("草稿·逾期未提交" if late_draft(d) else "草稿")


def test_a_station_manager_sees_and_declares_only_for_their_own_platform(qtbot, demo_db):
    from datetime import date

    import pytest as _pytest

    from claims.errors import PermissionDenied
    from claims.store import Actor, Store
    from ui.context import AppContext
    from ui.sections.fees import FeesSection
    s = Store(demo_db, "TEST")
    r = s.conn.execute("SELECT username, station_id, platform_id FROM users WHERE role = 'station_manager'").fetchone()
    manager = logged_in(r[0], role="station_manager", station_id=r[1], platform_id=r[2])
    sec = FeesSection(AppContext(store=s, actor=manager, version="t"))
    qtbot.addWidget(sec)
    sec.show()
    view = sec.declarations
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    assert {view.model.record(i).platform_id for i in range(view.model.rowCount())} == {r[2]}
    assert [view.platform_box.itemData(i) for i in range(view.platform_box.count())] == [r[2]]
    other = s.conn.execute("SELECT id FROM declarations WHERE platform_id != ? AND status = 'draft' LIMIT 1",
                           (r[2],)).fetchone()[0]
    with _pytest.raises(PermissionDenied, match="本平台"):
        s.declare(manager, other, date(2026, 11, 30))
