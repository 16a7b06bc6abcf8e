"""首次诊断日期 (the first diagnosis): entered when the case is reported or when the
初诊证明 is handed in at the 材料接收 screen, never before the accident nor after
today, stored, shown on the case screen and printed on the confirmation
application. ZBT_SHOTS=/dir saves screenshots."""
from __future__ import annotations

import argparse
import os
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt

from claims.errors import FieldError
from claims.store import Actor
from claims.store.base import _issue
from claims.timeutil import now, today
from tests.ui.test_cases_gui import type_cn
from ui.app import open_main_window
from ui.cases import common
from ui.cases.intake import IntakeDialog
from ui.cases.report import ReportDialog
from ui.context import AppContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ADMIN = _issue(Actor("admin", role="admin"))
AGENT = _issue(Actor("agent1", role="insurer_agent", display_name="李经办"))
ID = "110105198512310029"
SHOTS = os.environ.get("ZBT_SHOTS")


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13812345678"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2025-01-01")
    return store, p, w


def accident():
    return (now() - timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)


def test_the_report_dialog_takes_the_first_diagnosis_date(qtbot, world, monkeypatch):
    store, _p, _w = world
    monkeypatch.setattr(common, "preview", lambda *a: None)
    dlg = ReportDialog(None, AppContext(store=store, actor=AGENT, version="t"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.find, ID)
    qtbot.waitUntil(lambda: dlg.worker is not None)
    acc = accident()
    dlg.when.setDateTime(QDateTime(acc.year, acc.month, acc.day, 10, 0, 0))
    type_cn(dlg.place, "徐汇区漕溪北路")
    type_cn(dlg.description, "送餐途中摔倒，左腿受伤")
    dlg.parts[9].click()
    assert dlg.save_btn.isEnabled() and dlg.diagnosed.value() is None  # optional
    dlg.diagnosed.box.setChecked(True)
    day_before = acc.date() - timedelta(days=1)
    dlg.diagnosed.edit.setDate(QDate(day_before.year, day_before.month, day_before.day))
    assert not dlg.save_btn.isEnabled() and "不能早于事故日期" in dlg.fields["diagnosed"].box.msg.text()
    assert dlg.diagnosed.edit.maximumDate() == QDate(today().year, today().month, today().day)  # never the future
    diag = acc.date() + timedelta(days=1)
    dlg.diagnosed.edit.setDate(QDate(diag.year, diag.month, diag.day))
    assert dlg.save_btn.isEnabled(), dlg.reason.text()
    if SHOTS:
        dlg.grab().save(os.path.join(SHOTS, "report_diagnosed.png"))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    [case] = store.search_cases()
    assert case.diagnosed_on == diag


def test_the_intake_screen_sets_the_date_and_the_case_screen_shows_it(qtbot, world, monkeypatch):
    store, p, w = world
    printed = []
    monkeypatch.setattr(common, "preview", lambda _p, _c, code, key: printed.append(code))
    acc = accident()
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=acc,
                             place="虹漕路", description="摔倒")
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "test", store=store, actor=AGENT)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.nav.setCurrentRow(3)
    sec = win.stack.currentWidget()
    sec.show_case(c.number)
    qtbot.waitUntil(lambda: sec.current() is not None and "首次诊断日期" in sec.detail.toPlainText())
    assert "首次诊断日期未填（收到初诊证明时补填）" in sec.detail.toPlainText().replace("\n", "").replace("\t", "")

    dlg = IntakeDialog(win, win.ctx, c.id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.save_btn.isEnabled() and not dlg.diagnosed.box.isChecked()
    assert dlg.diagnosed.edit.minimumDate() == QDate(acc.year, acc.month, acc.day)  # not before the accident
    dlg.diagnosed.box.setChecked(True)
    diag = acc.date() + timedelta(days=2)
    dlg.diagnosed.edit.setDate(QDate(diag.year, diag.month, diag.day))
    assert dlg.save_btn.isEnabled() and f"首次诊断日期将改为 {diag.isoformat()}" in dlg.summary.text()
    row = next(i for i, r in enumerate(dlg.rows) if r.doc_type == "diagnosis")
    dlg.table.item(row, 0).setCheckState(Qt.CheckState.Checked)  # the 初诊证明 itself, handed in
    if SHOTS:
        dlg.grab().save(os.path.join(SHOTS, "intake_diagnosed.png"))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    got = store.case(c.id)
    assert got.diagnosed_on == diag and any(d.doc_type == "diagnosis" for d in store.case_documents(c.id))
    assert printed == ["document_receipt"]
    win.apply_change(store.change("cases", ids=[c.id]))
    qtbot.waitUntil(lambda: diag.isoformat() in sec.detail.toPlainText())
    if SHOTS:
        win.grab().save(os.path.join(SHOTS, "case_diagnosed.png"))

    # the printed application carries it
    from claims import printing
    from forms import render as forms_render
    from tests.claims.test_documents_signable import squash, text_of
    pdf = printing.render_document(store, forms_render, "confirmation_application", c.number, AGENT).pdf
    if SHOTS:
        open(os.path.join(SHOTS, "application.pdf"), "wb").write(pdf)
    assert f"初诊日期{diag.year}年{diag.month}月{diag.day}日" in squash(text_of(pdf))


def test_the_store_refuses_a_diagnosis_before_the_accident_or_in_the_future(world):
    store, p, w = world
    acc = accident()
    with pytest.raises(FieldError, match="不能晚于今天"):
        store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=acc,
                          place="虹漕路", description="摔倒", diagnosed_on=today() + timedelta(days=1))
    assert store.search_cases() == []
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=acc,
                             place="虹漕路", description="摔倒", diagnosed_on=acc.date())
    for bad in (acc.date() - timedelta(days=1), today() + timedelta(days=1)):
        with pytest.raises(FieldError, match="初诊日期"):
            store.add_documents(AGENT, c.id, [], diagnosed_on=bad)
    assert store.case(c.id).diagnosed_on == acc.date()
    store.add_documents(AGENT, c.id, [], diagnosed_on=None)  # cleared: not known after all
    assert store.case(c.id).diagnosed_on is None
