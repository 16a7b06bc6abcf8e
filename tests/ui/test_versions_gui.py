"""No lost update on every edit screen: the form (or list) reads a record, another
program on the same database file changes it, the user saves. The save is
refused and nothing is overwritten; the user sees the conflict — both versions
side by side where that helps (dependant, claimant, treatment end, situation text,
office details), or a plain message and the latest shown (a row withdrawn from a
list, a year of holidays). Never the crash dialog (tests/ui/conftest.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from claims.store import Actor, Store
from claims.store.base import _issue
from claims.timeutil import today
from ui.cases import common
from ui.conflict import ConflictDialog
from ui.context import AppContext

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ADMIN = _issue(Actor("admin", role="admin", display_name="管理员"))  # as a login issues it
OTHER = Actor("agent", role="insurer_agent", display_name="李经办")  # a demo user, at another PC
OTHER_ADMIN = Actor("admin", role="admin", display_name="系统管理员")  # the same administrator at another PC


@pytest.fixture(autouse=True)
def no_questions(monkeypatch):
    """Closing a form with typing after the test discards it; confirmations say yes."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(common, "confirm", lambda *a, **k: True)


@pytest.fixture
def warnings(monkeypatch):
    """The message boxes shown (title, text)."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: shown.append((title, text)))
    return shown


@pytest.fixture
def two(demo_db):
    """This program (with its screens' context) and another one on the same file."""
    mine, other = Store(demo_db, "MINE"), Store(demo_db, "OTHER")
    yield AppContext(store=mine, actor=ADMIN, version="t"), other
    mine.close()
    other.close()


def dead_case(s):
    return s.case(s.conn.execute("SELECT id FROM cases WHERE death_date IS NOT NULL LIMIT 1").fetchone()[0])


def answer_conflict(button: str, seen: dict) -> None:
    """When the conflict dialog appears: note what it shows, then press ``button``."""
    def act():
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()),
                   None)
        if dlg is None:
            QTimer.singleShot(20, act)
            return
        t = dlg.table
        seen["rows"] = {t.item(i, 0).text(): (t.item(i, 1).text(), t.item(i, 2).text()) for i in range(t.rowCount())}
        seen["text"] = " ".join(lbl.text() for lbl in dlg.findChildren(QLabel))
        getattr(dlg, button).click()
    QTimer.singleShot(0, act)


def opened(qtbot, cls, *args):
    dlg = cls(None, *args)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def dependant_data(d, **changes) -> dict:
    data = {k: getattr(d, k) for k in ("name", "id_number", "birth_date", "basis", "lone_elder", "orphan",
                                       "payee_name", "payee_bank", "payee_account", "end_on", "end_reason")}
    return {**data, "relation": d.relation.value, **changes}


def test_a_dependant_changed_elsewhere_shows_both_versions_and_takes_theirs(qtbot, two, type_into):
    from ui.cases.people_dialogs import DependantDialog
    ctx, other = two
    c = dead_case(ctx.store)
    d = ctx.store.dependants_of(c.id)[0]  # as the list shows it
    dlg = opened(qtbot, DependantDialog, ctx, c.id, d)
    other.update_dependant(OTHER, d.id, dependant_data(d, payee_bank="招商银行浦东支行"))
    basis = dlg.fields["basis"].widget
    basis.clear()
    type_into(basis, "我改的供养依据")
    seen = {}
    answer_conflict("take_btn", seen)
    dlg.try_save()
    assert seen["rows"]["开户银行"] == (d.payee_bank, "招商银行浦东支行")
    assert seen["rows"]["供养依据"] == ("我改的供养依据", d.basis)
    assert seen["rows"]["关系"][1] == d.relation.label  # words, never a code
    assert "李经办" in seen["text"]
    assert dlg.result_value is None and dlg.isVisible()
    assert dlg.value("payee_bank") == "招商银行浦东支行" and dlg.value("basis") == d.basis  # the form shows theirs
    stored = ctx.store.dependant(d.id)
    assert (stored.payee_bank, stored.basis, stored.row_version) == ("招商银行浦东支行", d.basis, d.row_version + 1)
    basis.clear()
    type_into(basis, "我改的供养依据")
    dlg.try_save()  # now over the version the form shows
    assert dlg.result_value is not None
    stored = ctx.store.dependant(d.id)
    assert (stored.payee_bank, stored.basis) == ("招商银行浦东支行", "我改的供养依据")


def test_the_claimant_form_keeps_mine_only_after_showing_theirs(qtbot, two, type_into):
    from ui.cases.people_dialogs import ClaimantDialog
    ctx, other = two
    c = dead_case(ctx.store)
    dlg = opened(qtbot, ClaimantDialog, ctx, c.id)
    other.set_claimant(OTHER, c.id, {"name": c.claimant_name, "relation": c.claimant_relation,
                                     "id_number": c.claimant_id_number, "phone": "13900001111",
                                     "address": c.claimant_address, "bank": c.claimant_bank,
                                     "account": c.claimant_account})
    addr = dlg.fields["address"].widget
    addr.clear()
    type_into(addr, "上海市闵行区七莘路1号")
    seen = {}
    answer_conflict("back_btn", seen)
    dlg.try_save()  # back to the form: nothing saved, what was typed kept
    assert seen["rows"]["联系电话"] == (c.claimant_phone, "13900001111")
    assert seen["rows"]["住址"] == ("上海市闵行区七莘路1号", c.claimant_address)
    assert dlg.value("address") == "上海市闵行区七莘路1号" and dlg.result_value is None
    assert ctx.store.case(c.id).claimant_address == c.claimant_address
    answer_conflict("keep_btn", {})
    dlg.try_save()  # seen, and kept: mine over theirs, on purpose
    assert dlg.result_value is not None
    stored = ctx.store.case(c.id)
    assert (stored.claimant_address, stored.claimant_phone) == ("上海市闵行区七莘路1号", c.claimant_phone)


def test_the_treatment_end_form_refuses_a_save_over_a_newer_case(qtbot, two):
    from ui.cases.people_dialogs import TreatmentEndDialog
    from ui.forms import qdate
    ctx, other = two
    c = ctx.store.case(ctx.store.conn.execute("SELECT id FROM cases WHERE death_date IS NULL AND state = 'paid'"
                                              " LIMIT 1").fetchone()[0])
    dlg = opened(qtbot, TreatmentEndDialog, ctx, c.id)
    theirs = c.accident_at.date() + timedelta(days=30)
    other.set_treatment_end(OTHER, c.id, theirs)
    dlg.end.box.setChecked(True)
    dlg.end.edit.setDate(qdate(c.accident_at.date() + timedelta(days=45)))
    seen = {}
    answer_conflict("take_btn", seen)
    dlg.try_save()
    assert seen["rows"]["医疗终结日期"] == ((c.accident_at.date() + timedelta(days=45)).isoformat(), theirs.isoformat())
    assert dlg.end.value() == theirs and dlg.result_value is None
    assert ctx.store.case(c.id).treatment_end_on == theirs


def test_removing_a_dependant_changed_meanwhile_says_so_and_shows_the_latest(qtbot, two, warnings):
    from ui.cases.people_panel import PeoplePanel
    ctx, other = two
    c = dead_case(ctx.store)
    d, _ = ctx.store.add_dependant(ADMIN, c.id, {"name": "李小妹", "relation": "sibling", "birth_date": "2012-05-01",
                                                 "basis": "未成年妹妹，由死者抚养"})
    panel = PeoplePanel(ctx)
    qtbot.addWidget(panel)
    panel.show_case(ctx.store.case(c.id))
    row = next(i for i in range(panel.table.rowCount()) if panel.table.item(i, 0).text() == "李小妹")
    panel.table.setCurrentCell(row, 0)
    other.update_dependant(OTHER, d.id, dependant_data(other.dependant(d.id), payee_bank="农业银行"))
    panel.remove()
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "记录已被修改" and "供养亲属" in text and "李经办" in text and "已重新载入最新内容" in text
    assert d.id in {x.id for x in ctx.store.dependants_of(c.id)}  # not removed
    row = next(i for i in range(panel.table.rowCount()) if panel.table.item(i, 0).text() == "李小妹")
    assert "农业银行" in panel.table.item(row, 3).text()  # the list shows the latest


def test_withdrawing_an_advance_changed_meanwhile_says_so(qtbot, two, warnings):
    from ui.cases.advances import AdvancesPanel
    ctx, other = two
    c = dead_case(ctx.store)
    a, _ = ctx.store.record_advance(ADMIN, c.id, advancer_kind="platform", advancer_name="某平台企业",
                                    advanced_on=min(today(), c.accident_at.date() + timedelta(days=5)),
                                    amount_fen=100000, payee_bank="工商银行", payee_account="6222021234567890128")
    panel = AdvancesPanel(ctx)
    qtbot.addWidget(panel)
    panel.show_case(ctx.store.case(c.id))
    panel.table.setCurrentCell(0, 0)
    with other.atomic():  # another site's package corrects the advancer's bank
        other._update("advances", a.id, {"payee_bank": "建设银行"}, Actor("exchange:B"))
    panel.withdraw()
    assert warnings and "垫付" in warnings[0][1] and "没有保存" in warnings[0][1]
    assert ctx.store.advance(a.id).active
    assert panel.table.item(0, 4).text().startswith("建设银行")


def test_a_holiday_year_entered_meanwhile_is_not_overwritten(qtbot, two, warnings):
    from ui.settings.rules_tab import CalendarYearDialog
    ctx, other = two
    year = max(ctx.store.calendar().years) + 1
    dlg = opened(qtbot, CalendarYearDialog, ctx, None)
    assert dlg.year.value() == year
    other.set_calendar_year(OTHER_ADMIN, year, holidays=[f"{year}-01-01", f"{year}-05-01"], workdays=[],
                            status="confirmed", source="国办发明电〔2026〕1号")
    dlg.holidays.setPlainText(f"{year}-01-01\n{year}-10-01")
    dlg.source.setText("我录入的来源")
    dlg.try_save()
    assert len(warnings) == 1 and "节假日安排" in warnings[0][1] and "系统管理员" in warnings[0][1]
    assert "您打开时尚无保存的记录" in warnings[0][1]  # never "version 0"
    assert dlg.result_value is None and dlg.isVisible()
    assert dlg.source.text() == "国办发明电〔2026〕1号"  # the form reloaded with what is stored now
    assert dlg.holidays.toPlainText().split() == [f"{year}-01-01", f"{year}-05-01"]
    cy, v = ctx.store.calendar_year_for_edit(year)
    assert (cy.source, v) == ("国办发明电〔2026〕1号", 1)
    dlg.source.setText("国办发明电〔2026〕1号（已核对）")
    dlg.try_save()  # after looking at theirs: saved over the version now shown
    assert dlg.result_value is not None
    assert ctx.store.calendar_year_for_edit(year) [0].source == "国办发明电〔2026〕1号（已核对）"


def test_a_situation_text_corrected_meanwhile_shows_both_versions(qtbot, two):
    from ui.settings.rules_tab import SituationDialog
    ctx, other = two
    s = ctx.store.situations("pilot-2025")[0]
    dlg = opened(qtbot, SituationDialog, ctx, s)
    other.set_situation_text(OTHER_ADMIN, s.rule_set, s.code, wording="别处更正的措辞", article=s.article,
                             status="confirmed", source="办法原文")
    dlg.source.setText("我的来源")
    seen = {}
    answer_conflict("take_btn", seen)
    dlg.try_save()
    assert seen["rows"]["措辞"] == (s.wording, "别处更正的措辞")
    assert seen["rows"]["状态"][1] == "已确认"
    assert dlg.wording.toPlainText() == "别处更正的措辞" and dlg.result_value is None
    assert ctx.store.situation(s.rule_set, s.code).source == "办法原文"


def test_office_details_changed_meanwhile_show_both_and_keep_theirs_elsewhere(qtbot, two, type_into):
    from ui.settings.office_tab import OfficeTab
    ctx, other = two
    sent = []

    class Sink:
        def emit(self, change):
            sent.append(change)
    tab = OfficeTab(ctx, Sink())
    qtbot.addWidget(tab)
    tab.show()
    other.set_office_settings(OTHER_ADMIN, {"office.phone": "021-12345678"})
    type_into(tab.edits["office.address"], "上海市浦东新区世纪大道 100 号")
    seen = {}
    answer_conflict("keep_btn", seen)
    tab.save()
    assert seen["rows"]["地址"] == ("上海市浦东新区世纪大道 100 号", "—")
    assert seen["rows"]["联系电话"][1] == "021-12345678"
    assert set(seen["rows"]) == {"地址", "联系电话"}  # only what either side changed
    office = ctx.store.office_settings()
    assert office["office.address"] == "上海市浦东新区世纪大道 100 号"
    assert office["office.phone"] == "021-12345678"  # theirs, untouched by my save
    assert sent and not tab.dirty()


def test_office_details_take_theirs_reloads_the_page(qtbot, two, type_into):
    from ui.settings.office_tab import OfficeTab

    class Sink:
        def emit(self, change):
            raise AssertionError("nothing was saved")
    ctx, other = two
    tab = OfficeTab(ctx, Sink())
    qtbot.addWidget(tab)
    other.set_office_settings(OTHER_ADMIN, {"office.phone": "021-12345678"})
    type_into(tab.edits["office.phone"], "021-87654321")
    answer_conflict("take_btn", {})
    tab.save()
    assert tab.edits["office.phone"].text() == "021-12345678" and not tab.dirty()
    assert ctx.store.office_settings()["office.phone"] == "021-12345678"


def test_a_fee_payment_form_shows_a_payment_recorded_meanwhile(qtbot, two):
    from ui.fees.dialogs import PaymentDialog
    ctx, other = two
    d = next(x for x in ctx.store.declarations(limit=1000)
             if x.status.value in ("declared", "partly_paid", "overdue") and x.amount_due_fen - x.amount_paid_fen > 300)
    left = d.amount_due_fen - d.amount_paid_fen
    dlg = opened(qtbot, PaymentDialog, ctx, d)
    assert dlg.amount.text() == f"{left / 100:.2f}"
    other.record_fee_payment(OTHER_ADMIN, d.id, paid_on=today(), amount_fen=100)  # a colleague recorded part of it
    seen = {}
    answer_conflict("take_btn", seen)
    dlg.try_save()
    assert seen["rows"]["已缴"][1] != seen["rows"]["已缴"][0]  # the colleague's payment, shown
    assert dlg.result_value is None and dlg.amount.text() == f"{(left - 100) / 100:.2f}"
    assert len(ctx.store.fee_payments(d.id)) == len(other.fee_payments(d.id))  # only the colleague's
    dlg.try_save()  # the amount now left, over the version shown
    assert dlg.result_value is not None
    assert ctx.store.declaration(d.id).amount_paid_fen == d.amount_due_fen


def test_an_exchange_conflict_decided_over_a_newer_record_is_refused(qtbot, tmp_path, warnings):
    from ui.settings.exchange_dialogs import ConflictsDialog
    ident = "11010519491231002X"
    a = Store(tmp_path / "a.db", "OFFA", create=True)
    b = Store(tmp_path / "b.db", "FLDB", create=True)
    b.set_site(ADMIN, name="外勤一号", role="field")
    a.trust_site(ADMIN, b.site_card())
    b.trust_site(ADMIN, a.site_card())
    a.add_worker(ADMIN, {"name": "张伟", "id_number": ident, "phone": "13812345678"})
    b.add_worker(ADMIN, {"name": "张伟", "id_number": ident, "phone": "13987654321"})
    data, _s = a.export_package(ADMIN, "FLDB")
    b.import_package(ADMIN, data)
    ctx = AppContext(store=b, actor=ADMIN, version="t")
    dlg = ConflictsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1
    other = Store(tmp_path / "b.db", "FLDB")  # a colleague corrects the phone meanwhile
    w = other.worker_by_id_number(ident)
    other.update_worker(ADMIN, w.id, {"name": "张伟", "id_number": ident, "phone": "13700137000"})
    dlg.take_btn.click()
    assert warnings and "已重新载入最新内容" in warnings[0][1]
    assert b.worker_by_id_number(ident).phone == "13700137000"  # the colleague's correction stands
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 2).text() == "13700137000"  # still to decide, latest shown
    other.close()
    a.close()
    b.close()


def test_a_user_changed_meanwhile_is_not_switched_back(qtbot, two, warnings):
    from ui.settings.users_tab import UsersTab
    ctx, other = two
    tab = UsersTab(ctx)
    qtbot.addWidget(tab)
    row = next(i for i, u in enumerate(tab.users) if u.username == "agent")
    assert tab.table.item(row, 4).text() == "在用"
    tab.table.selectRow(row)
    other.set_user_active(OTHER_ADMIN, tab.users[row].id, False)  # another administrator stops the account
    tab.toggle()  # read as active: meant to stop it; refused, not switched back on
    assert warnings and "用户" in warnings[0][1] and "已被修改" in warnings[0][1]
    assert next(u for u in ctx.store.users() if u.username == "agent").active is False
    assert tab.table.item(row, 4).text() == "已停用"  # the list shows the latest
