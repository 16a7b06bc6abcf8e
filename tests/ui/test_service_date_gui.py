"""送达日期 as a clerk enters it: in the decision dialog (the decision date by
default, editable, never before the decision), left open for a decision sent by
post — the case screen then says the windows run provisionally from the
decision date — and recorded later from the case screen (登记送达日期), which
moves the windows. ZBT_SHOTS=/dir saves screenshots."""
from __future__ import annotations

import argparse
import os
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from claims.store import Actor
from claims.store.base import _issue
from tests.ui.test_decisions_gui import investigated
from ui.app import open_main_window
from ui.cases.closing import ServiceDialog
from ui.cases.decision import DecisionDialog
from ui.context import AppContext

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = _issue(Actor("admin1", role="admin", display_name="管理员"))
REVIEWER = _issue(Actor("rev1", role="reviewer", display_name="王审核"))
SHOTS = os.environ.get("ZBT_SHOTS")


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="达达", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "王秀英", "id_number": "11010519491231002X", "phone": "13812345678"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2026-01-01")
    return store, p, w


def refuse_in_dialog(qtbot, store, case_id, type_into, *, served: QDate | None):
    dlg = DecisionDialog(None, AppContext(store=store, actor=REVIEWER, version="t"), case_id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.refuse_rb.setChecked(True)
    type_into(dlg.reasons, "事故时未在执行订单")
    dlg.decided_on.setDate(QDate(2026, 9, 1))
    assert dlg.served.box.isChecked() and dlg.served.edit.date() == QDate(2026, 9, 1)  # follows the decision
    if served is None:
        dlg.served.box.setChecked(False)  # sent by post: not served yet
    else:
        dlg.served.edit.setDate(QDate(2026, 8, 31))
        assert not dlg.save_btn.isEnabled() and "不能早于结论日期" in dlg.fields["served"].box.msg.text()
        dlg.served.edit.setDate(served)
        dlg.decided_on.setDate(QDate(2026, 8, 28))  # set by hand: it no longer follows
        dlg.decided_on.setDate(QDate(2026, 9, 1))
        assert dlg.served.edit.date() == served
    if SHOTS:
        dlg.grab().save(os.path.join(SHOTS, "decision_served.png"))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    return store.decisions_of(case_id)[-1]


def test_the_decision_dialog_records_the_service_date_and_the_windows_run_from_it(qtbot, world, type_into):
    store, p, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    d = refuse_in_dialog(qtbot, store, c.id, type_into, served=QDate(2026, 9, 5))
    assert (d.decided_on, d.served_on) == (date(2026, 9, 1), date(2026, 9, 5))
    got = store.case(c.id)
    assert (got.review_until, got.lawsuit_until) == (date(2026, 11, 4), date(2027, 3, 5))


def test_an_unserved_decision_is_provisional_on_the_case_screen_until_the_service_is_recorded(
        qtbot, world, type_into, monkeypatch):
    store, p, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    d = refuse_in_dialog(qtbot, store, c.id, type_into, served=None)
    assert d.served_on is None
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "test", store=store, actor=ADMIN)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.nav.setCurrentRow(3)
    sec = win.stack.currentWidget()
    sec.show_case(c.number)
    qtbot.waitUntil(lambda: sec.current() is not None and "期限" in sec.detail.toPlainText())
    text = sec.detail.toPlainText()
    assert "尚未登记结论书送达日期：以上期限暂按结论日期 2026-09-01 起算" in text
    assert "2026-11-02" in text  # 60 days from 09-01 end on Saturday 10-31: Monday 11-02
    if SHOTS:
        win.grab().save(os.path.join(SHOTS, "case_provisional.png"))
    [button] = [b for b in sec.action_buttons if b.text() == "登记送达日期…"]

    def enter(self):
        self.served.setDate(QDate(2026, 9, 5))
        if SHOTS:
            self.grab().save(os.path.join(SHOTS, "service_dialog.png"))
        self.try_save()
    monkeypatch.setattr(ServiceDialog, "exec", lambda self: (enter(self), self.result_value)[1])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert store.decisions_of(c.id)[-1].served_on == date(2026, 9, 5)
    qtbot.waitUntil(lambda: "自送达日期 2026-09-05 的次日起算" in sec.detail.toPlainText())
    text = sec.detail.toPlainText()
    assert "暂按结论日期" not in text and "2026-11-04" in text and "2027-03-05" in text
