"""The shared import flow (ui/imports/dialog.py): after a real import that
changed rows, the statistics aggregates are refreshed in the same background
task, so the next statistics screen does not have to; a dry run leaves them be."""
import csv
import random

import pytest
from PySide6.QtWidgets import QProgressDialog

from claims.demo import id_number
from claims.stats import StatsFilter
from claims.store import Actor, Store
from ui.context import AppContext
from ui.fees.import_dialog import OrderImportDialog
from ui.imports.dialog import auto_match, count_rows
from ui.workers.import_dialog import OURS, ImportDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = logged_in("test:admin", role="admin", display_name="测试管理员")


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def progress_texts(dlg):
    """The labels the import's progress dialogs were left showing."""
    return [d.labelText() for d in dlg.findChildren(QProgressDialog)]


@pytest.fixture
def demo_ctx(demo_db):
    s = Store(demo_db, "TEST")
    yield AppContext(store=s, actor=ADMIN, version="t")
    s.close()


def test_order_import_leaves_the_statistics_fresh(qtbot, demo_ctx, tmp_path):
    s = demo_ctx.store
    s.refresh_stats()
    assert s.stats_pending() == []
    month = StatsFilter.for_month("2025-11")
    before = s.stats_activity(month).orders["2025-11"]
    mt = s.platform_by_name("美团")
    idn = s.conn.execute("SELECT w.id_number FROM workers w JOIN enrollments e ON e.worker_id = w.id"
                         " WHERE e.platform_id = ? LIMIT 1", (mt.id,)).fetchone()[0]
    header = ["订单编号", "骑手身份证", "业务类型", "接单时间", "送达时间"]
    path = write_csv(tmp_path / "美团11月.csv", header, [
        ["S1", idn, "即时配送", "2025-11-03 10:00:00", "2025-11-03 10:30:00"],
        ["S2", idn, "即时配送", "2025-11-04 09:00:00", "2025-11-04 09:20:00"]])

    dlg = OrderImportDialog(None, demo_ctx)
    qtbot.addWidget(dlg)
    dlg.set_platform("美团")
    dlg.load_file(path)
    dlg.set_mapping("骑手身份证", "id_number")
    dlg.dry_btn.click()
    assert dlg.report.new == 2 and s.stats_pending() == []        # a dry run writes nothing, refreshes nothing
    assert not any("更新统计" in t for t in progress_texts(dlg))
    dlg.import_btn.click()
    report, change = dlg.result_value
    assert report.new == 2 and "orders" in change.tables
    assert "统计汇总将在打开" not in dlg.summary_label.text()
    assert any("正在更新统计" in t for t in progress_texts(dlg))     # the progress dialog said so
    # fresh already: no month is waiting for the next reader, and the figures hold the new orders
    assert s.stats_pending() == []
    assert s.home_summary(ADMIN, refresh=False).stale is False
    assert s.stats_activity(month).orders["2025-11"] == before + 2

    # without the dialog's refresh the same kind of import leaves the month for the next reader
    more = write_csv(tmp_path / "more.csv", ["order_no", "platform", "industry", "id_number", "accepted_at", "region"],
                     [["S3", "美团", "即时配送", idn, "2025-11-05 09:00:00", "310000"]])
    from claims.tabular import read_rows
    assert s.import_orders(ADMIN, read_rows(more)).new == 1
    assert ("activity", "2025-11") in s.stats_pending()


def test_worker_import_refreshes_the_statistics_only_for_real(qtbot, store, tmp_path):
    ctx = AppContext(store=store, actor=ADMIN, version="t")
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    store.refresh_stats()
    rng = random.Random(5)
    path = write_csv(tmp_path / "名单.csv", ["姓名", "身份证号码", "手机号", "平台", "行业", "参保日期"],
                     [[f"骑手{i}", id_number(rng), f"1370000{i:04d}", "美团", "外卖", "2025-03-01"] for i in range(6)])
    dlg = ImportDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.load_file(path)
    dlg.dry_run()
    assert dlg.report.new == 6 and store.stats_pending() == []
    dlg.apply()
    assert store.count_workers() == 6 and store.stats_pending() == []
    assert store.stats_activity(StatsFilter.for_month("2025-03")).enrolled["2025-03"] == 6
    # the same file again changes nothing: no refresh is needed or started
    again = ImportDialog(None, ctx)
    qtbot.addWidget(again)
    again.load_file(path)
    again.dry_run()
    again.apply()
    assert again.result_value[0].unchanged == 6
    assert not any("更新统计" in t for t in progress_texts(again))


def test_shared_matching_and_row_estimate(tmp_path):
    assert auto_match(OURS, ["证件号码", "名字"], {"名字": "name"}) == {"证件号码": "id_number", "名字": "name"}
    path = write_csv(tmp_path / "x.csv", ["a"], [["1"], ["2"], ["3"]])
    assert count_rows(path) == 3
    from openpyxl import Workbook
    wb = Workbook()
    for r in (["a"], ["1"], ["2"]):
        wb.active.append(r)
    wb.save(tmp_path / "x.xlsx")
    assert count_rows(tmp_path / "x.xlsx") == 2


def test_a_refused_file_is_said_in_the_dialog_and_nothing_can_be_imported(qtbot, store, tmp_path):
    """A file refused as a whole (here an unterminated quote after good rows, found only by the
    check) is said where the row report stands, in red; the import button stays off."""
    ctx = AppContext(store=store, actor=ADMIN, version="t")
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    rng = random.Random(5)
    rows = [[f"骑手{i}", id_number(rng), f"1370000{i:04d}", "美团", "外卖", "2025-03-01"] for i in range(30)]
    path = write_csv(tmp_path / "名单.csv", ["姓名", "身份证号码", "手机号", "平台", "行业", "参保日期"], rows)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('"张伟,110101198503071234,13700009999,美团,外卖,2025-03-01\n')
    dlg = ImportDialog(None, ctx)
    qtbot.addWidget(dlg)
    dlg.resize(1100, 640)
    assert dlg.load_file(path)
    dlg.dry_run()
    assert dlg.report is None and not dlg.import_btn.isEnabled()
    assert "整个文件被拒绝" in dlg.summary_label.text()
    (line, status, msg), = dlg.report_model.rows
    assert status == "rejected" and "名单.csv 第 32 行附近" in msg and "引号" in msg
    from PySide6.QtCore import Qt
    assert dlg.report_model.data(dlg.report_model.index(0, 2), Qt.ItemDataRole.ToolTipRole) == msg
    assert store.count_workers() == 0
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab().save(str(tmp_path / "refused.png"))

    # a header with a column twice is refused as soon as the file is chosen
    dup = write_csv(tmp_path / "重复.csv", ["姓名", "身份证号码", "姓名"], [["张三", "1", "李四"]])
    assert not dlg.load_file(dup)
    assert dlg.path is None and not dlg.dry_btn.isEnabled()
    assert "“姓名”出现了两次" in dlg.report_model.rows[0][2]
