"""The decision dialog with its evidence, the override it asks for, the waiver
that closes a refused case inside its windows, a relapse, the report import
with its dry run, and the 节假日 / 确认情形 settings — driven as a user would."""
from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from claims.store import Actor
from claims.store.base import _issue
from claims.timeutil import SHANGHAI
from ui.cases.closing import RelapseDialog, ServiceDialog, WaiverDialog
from ui.cases.decision import DecisionDialog
from ui.cases.import_reports import ReportImportDialog
from ui.context import AppContext
from ui.settings.rules_tab import CalendarTab, CalendarYearDialog, SituationDialog, SituationsTab

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = _issue(Actor("admin1", role="admin", display_name="管理员"))  # as a login issues it
REVIEWER = _issue(Actor("rev1", role="reviewer", display_name="王审核"))  # as a login issues it
ID = "11010519491231002X"


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="达达", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "王秀英", "id_number": ID, "phone": "13812345678"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2026-01-01")
    store.import_orders(ADMIN, [(2, {"order_no": "DD1", "platform": "达达", "industry": "instant_delivery",
                                     "id_number": ID, "accepted_at": "2026-03-10T10:00:00",
                                     "finished_at": "2026-03-10T10:40:00", "region": "310000"})])
    return store, p, w


def investigated(store, p, w, when):
    at = datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    c, _ = store.report_case(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=at,
                             place="虹漕路", description="被车撞倒（本人叙述）", reported_at=at + timedelta(hours=1),
                             allow_duplicate=True)
    store.transition(ADMIN, c.id, "accepted", at=at + timedelta(days=1))
    store.transition(ADMIN, c.id, "investigating", at=at + timedelta(days=2))
    return c


def test_the_dialog_shows_the_evidence_and_asks_for_a_reason_against_it(qtbot, world, type_into):
    store, p, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")  # no order in progress
    dlg = DecisionDialog(None, AppContext(store=store, actor=REVIEWER, version="t"), c.id)
    qtbot.addWidget(dlg)
    dlg.show()
    shown = dlg.facts.toPlainText()
    assert "事故时点没有进行中的订单记录" in shown and "之前最近：DD1" in shown and "事故当日在保" in shown
    assert "本人叙述" not in shown  # the preview is the office's facts, not the account
    dlg.situation.setCurrentIndex(dlg.situation.findData("order_task"))
    assert dlg.situation.toolTip() == dlg.situation.currentText()  # the whole situation, where the box cuts it
    assert dlg.fields["override"].visible and not dlg.save_btn.isEnabled()
    assert "与记录不一致的理由" in dlg.reason.text()
    type_into(dlg.override, "交警认定书载明事故时正在送单，平台漏传")
    assert dlg.save_btn.isEnabled()
    assert "经本机构调查核实：交警认定书载明事故时正在送单，平台漏传。" in dlg.facts.toPlainText()
    dlg.refuse_rb.setChecked(True)  # refusing agrees with the records: no reason needed
    assert not dlg.fields["override"].visible
    dlg.confirm_rb.setChecked(True)
    dlg.situation.setCurrentIndex(dlg.situation.findData("order_task"))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    d = store.decisions_of(c.id)[-1]
    assert d.kind == "confirm" and d.override_reason == "交警认定书载明事故时正在送单，平台漏传"


def test_a_refusal_is_closed_in_its_windows_only_on_a_waiver_and_a_relapse_opens_a_linked_case(
        qtbot, world, type_into):
    store, p, w = world
    ctx = AppContext(store=store, actor=ADMIN, version="t")
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=datetime(2026, 8, 4, 10, tzinfo=SHANGHAI))
    served = ServiceDialog(None, ctx, c.id)
    qtbot.addWidget(served)
    served.served.setDate(served.served.date().fromString("2026-08-31", "yyyy-MM-dd"))
    qtbot.mouseClick(served.save_btn, Qt.MouseButton.LeftButton)
    assert store.case(c.id).lawsuit_until == date(2027, 3, 1)  # 6 months from 08-31: 02-28 (Sunday) -> 03-01
    dlg = WaiverDialog(None, ctx, c.id)
    qtbot.addWidget(dlg)
    assert dlg.who.text() == "王秀英" and "尚未届满" in dlg.why.text()
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert store.case(c.id).state.value == "closed"
    assert "书面放弃" in store.case_events(c.id)[-1].note
    ok = investigated(store, p, w, "2026-03-10T10:20:00")
    store.decide(REVIEWER, ok.id, confirm=True, situation_code="order_task")
    store.conn.execute("UPDATE cases SET state = 'closed' WHERE id = ?", (ok.id,))  # paid and closed long ago
    rel = RelapseDialog(None, ctx, ok.id)
    qtbot.addWidget(rel)
    assert not rel.save_btn.isEnabled()
    type_into(rel.what, "骨折处再次疼痛，需住院")
    qtbot.mouseClick(rel.save_btn, Qt.MouseButton.LeftButton)
    [r] = store.relapses_of(ok.id)
    assert r.number == store.case(ok.id).number + "-F1" and r.state.value == "confirmed"


def test_reports_are_imported_after_a_dry_run(qtbot, world, tmp_path):
    store, _p, _w = world
    path = tmp_path / "报案.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["report_no", "platform", "industry", "id_number", "accident_at", "place", "account", "reported_at"])
        out.writerow(["DD-R1", "达达", "即时配送", ID, "2026-03-12T09:00:00", "田林路", "摔倒", "2026-03-12T12:00:00"])
        out.writerow(["DD-R2", "达达", "即时配送", "110105194912310029", "2026-03-12T09:00:00", "田林路", "摔倒",
                      "2026-03-12T12:00:00"])
    dlg = ReportImportDialog(None, AppContext(store=store, actor=ADMIN, version="t"))
    qtbot.addWidget(dlg)
    assert dlg.load_file(path) and not dlg.import_btn.isEnabled()
    dlg.dry_run()
    assert "（试运行，未写入）共 2 行：新增 1，更新 0，未变 0，拒绝 1" in dlg.summary_label.text()
    assert store.search_cases() == []
    assert [r[1] for r in dlg.report_model.rows] == ["new", "rejected"]
    dlg.apply()
    assert [c.report_no for c in store.search_cases()] == ["DD-R1"]


def test_an_administrator_enters_a_calendar_year_and_corrects_a_situation(qtbot, world, type_into):
    store, _p, _w = world
    ctx = AppContext(store=store, actor=ADMIN, version="t")
    tab = CalendarTab(ctx, _Signal())
    qtbot.addWidget(tab)
    assert tab.table.rowCount() == 6 and "2027 年的节假日安排尚未确认" in tab.problems.text()
    dlg = CalendarYearDialog(None, ctx)
    qtbot.addWidget(dlg)
    assert dlg.year.value() == 2028
    dlg.holidays.setPlainText("2028-01-01\n2028-01-26")
    type_into(dlg.source, "测试录入")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert 2028 in store.calendar().years and not store.calendar().is_working_day(date(2028, 1, 26))
    tab.reload()
    assert tab.table.rowCount() == 7 and tab.table.item(6, 5).text() == "管理员录入"
    sits = SituationsTab(ctx, _Signal())
    qtbot.addWidget(sits)
    assert sits.table.rowCount() == 11 and "《新就业形态人员职业伤害保障办法（试行）》" in sits.measure.text()
    sd = SituationDialog(None, ctx, sits.items[0])
    qtbot.addWidget(sd)
    sd.wording.setPlainText("在执行平台订单任务期间受到事故伤害的")
    type_into(sd.source, "办法原文")
    qtbot.mouseClick(sd.save_btn, Qt.MouseButton.LeftButton)
    assert store.situation("pilot-2025", "order_task").wording == "在执行平台订单任务期间受到事故伤害的"
    reviewer_tab = CalendarTab(AppContext(store=store, actor=REVIEWER, version="t"), _Signal())
    qtbot.addWidget(reviewer_tab)
    assert not reviewer_tab.add_btn.isEnabled()


class _Signal:
    def __init__(self):
        self.got = []

    def emit(self, change):
        self.got.append(change)


def test_the_home_screen_shows_a_missing_calendar_year_as_an_error(qtbot, world, monkeypatch):
    from ui.sections import home
    store, _p, _w = world
    monkeypatch.setattr(home, "china_today", lambda: date(2027, 9, 1))
    sec = home.HomeSection(AppContext(store=store, actor=ADMIN, version="t"))
    qtbot.addWidget(sec)
    sec.refresh()
    assert "✖ 缺少 2028 年的节假日安排" in sec.alerts.text() and "设置 › 节假日" in sec.alerts.text()
    assert "c0392b" in sec.alerts.styleSheet()
