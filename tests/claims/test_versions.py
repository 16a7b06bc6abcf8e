"""No lost update, store by store: every change to an existing record takes the
version it was read at. Here a second Store on the same file (another user's
PC, a command, an exchange) changes the record after the first one read it;
the first one's change is refused with StaleRecord carrying the record as it is
now, and nothing it held is written. Without a version (the command line) the
same methods still work, checking the version they read themselves."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from claims.errors import StaleRecord
from claims.store import Actor, Store
from claims.timeutil import today

ADMIN = Actor("admin", role="admin", display_name="管理员")


@pytest.fixture
def two(demo_db):
    """Two programs on one database file."""
    mine, other = Store(demo_db, "MINE"), Store(demo_db, "OTHER")
    yield mine, other
    mine.close()
    other.close()


def dead_case(s):
    return s.case(s.conn.execute("SELECT id FROM cases WHERE death_date IS NOT NULL LIMIT 1").fetchone()[0])


def dependant_data(d, **changes) -> dict:
    data = {k: getattr(d, k) for k in ("name", "id_number", "birth_date", "basis", "lone_elder", "orphan",
                                       "payee_name", "payee_bank", "payee_account", "end_on", "end_reason")}
    return {**data, "relation": d.relation.value, **changes}


def test_a_dependant_changed_elsewhere_is_not_overwritten(two):
    mine, other = two
    c = dead_case(mine)
    d = mine.dependants_of(c.id)[0]  # the form reads it
    other.update_dependant(ADMIN, d.id, dependant_data(d, payee_bank="招商银行浦东支行"))
    with pytest.raises(StaleRecord) as e:
        mine.update_dependant(ADMIN, d.id, dependant_data(d, basis="我改的依据"), expected_version=d.row_version)
    assert (e.value.expected, e.value.current_version) == (d.row_version, d.row_version + 1)
    assert e.value.current["payee_bank"] == "招商银行浦东支行"
    assert "供养亲属" in e.value.message
    now = mine.dependant(d.id)
    assert (now.payee_bank, now.basis) == ("招商银行浦东支行", d.basis)
    # over the version now stored (the user chose to keep theirs): saved, nothing of the other's lost
    mine.update_dependant(ADMIN, d.id, dependant_data(now, basis="我改的依据"), expected_version=now.row_version)
    assert (mine.dependant(d.id).payee_bank, mine.dependant(d.id).basis) == ("招商银行浦东支行", "我改的依据")


def test_removing_a_dependant_changed_meanwhile_is_refused(two):
    mine, other = two
    c = dead_case(mine)
    d, _ = mine.add_dependant(ADMIN, c.id, {"name": "李小妹", "relation": "sibling", "birth_date": "2012-05-01",
                                            "basis": "未成年妹妹，由死者抚养"})
    other.update_dependant(ADMIN, d.id, dependant_data(other.dependant(d.id), end_reason="在校就读"))
    with pytest.raises(StaleRecord):
        mine.remove_dependant(ADMIN, d.id, expected_version=d.row_version)
    assert d.id in {x.id for x in mine.dependants_of(c.id)}
    mine.remove_dependant(ADMIN, d.id)  # without a version (as before): the version it reads itself
    assert d.id not in {x.id for x in mine.dependants_of(c.id)}


def test_the_claimant_saved_over_a_newer_case_is_refused(two):
    mine, other = two
    c = dead_case(mine)
    form = {"name": c.claimant_name, "relation": c.claimant_relation, "id_number": c.claimant_id_number,
            "phone": c.claimant_phone, "address": c.claimant_address, "bank": c.claimant_bank,
            "account": c.claimant_account}
    other.set_claimant(ADMIN, c.id, {**form, "address": "上海市闵行区七莘路1号"})
    with pytest.raises(StaleRecord) as e:
        mine.set_claimant(ADMIN, c.id, {**form, "phone": "13900001111"}, expected_version=c.row_version)
    assert e.value.current["claimant_address"] == "上海市闵行区七莘路1号"
    now = mine.case(c.id)
    assert (now.claimant_address, now.claimant_phone) == ("上海市闵行区七莘路1号", c.claimant_phone)


def test_treatment_end_and_death_take_the_case_version(two):
    mine, other = two
    c = mine.case(mine.conn.execute("SELECT id FROM cases WHERE death_date IS NULL AND state = 'paid'"
                                    " LIMIT 1").fetchone()[0])
    other.set_treatment_end(ADMIN, c.id, c.accident_at.date() + timedelta(days=30))
    with pytest.raises(StaleRecord):
        mine.set_treatment_end(ADMIN, c.id, c.accident_at.date() + timedelta(days=40), expected_version=c.row_version)
    assert mine.case(c.id).treatment_end_on == c.accident_at.date() + timedelta(days=30)
    with pytest.raises(StaleRecord):
        mine.record_death(ADMIN, c.id, death_date=c.accident_at.date() + timedelta(days=10), death_cause="injury",
                          expected_version=c.row_version)
    assert mine.case(c.id).death_date is None


def test_an_advance_withdrawn_or_repaid_after_a_change_elsewhere_is_refused(two):
    mine, other = two
    c = dead_case(mine)
    a, _ = mine.record_advance(ADMIN, c.id, advancer_kind="platform", advancer_name="某平台企业",
                               advanced_on=min(today(), c.accident_at.date() + timedelta(days=5)), amount_fen=100000,
                               payee_bank="工商银行", payee_account="6222021234567890128")
    with other.atomic():  # another site's package corrects the advancer's account
        other._update("advances", a.id, {"payee_account": "6217001210034567899"}, Actor("exchange:B"))
    with pytest.raises(StaleRecord) as e:
        mine.withdraw_advance(ADMIN, a.id, expected_version=a.row_version)
    assert e.value.current["payee_account"] == "6217001210034567899" and "垫付" in e.value.message
    assert mine.advance(a.id).active
    assessment = next(x for x in mine.assessments_of(c.id) if x.status == "approved")
    before = len(mine.payments_of(c.id))
    with pytest.raises(StaleRecord):  # the user confirmed the old account: no payment to the new one unseen
        mine.repay_advance(ADMIN, assessment.id, a.id, expected_version=a.row_version)
    assert len(mine.payments_of(c.id)) == before
    mine.withdraw_advance(ADMIN, a.id, expected_version=mine.advance(a.id).row_version)
    assert not mine.advance(a.id).active


def test_a_holiday_year_entered_or_corrected_meanwhile_is_refused(two):
    mine, other = two
    year = max(mine.calendar().years) + 1
    cy, v = mine.calendar_year_for_edit(year)
    assert (cy, v) == (None, 0)  # never entered
    days = dict(holidays=[f"{year}-01-01", f"{year}-10-01"], workdays=[], status="unconfirmed")
    other.set_calendar_year(ADMIN, year, **days, source="另一位管理员录入")
    with pytest.raises(StaleRecord) as e:
        mine.set_calendar_year(ADMIN, year, **days, source="我录入的", expected_version=0)
    assert e.value.current["source"] == "另一位管理员录入"
    assert mine.calendar().years[year].source == "另一位管理员录入"  # what this program holds is the file's now
    cy, v = mine.calendar_year_for_edit(year)
    assert (cy.source, cy.origin, v) == ("另一位管理员录入", "database", 1)
    other.set_calendar_year(ADMIN, year, **{**days, "status": "confirmed"}, source="国办发明电〔2026〕1号")
    with pytest.raises(StaleRecord):
        mine.set_calendar_year(ADMIN, year, **days, source="我录入的", expected_version=v)
    mine.set_calendar_year(ADMIN, year, **days, source="我录入的", expected_version=2)
    assert mine.calendar_year_for_edit(year)[0].source == "我录入的"
    shipped_year = min(mine.calendar().years)
    assert mine.calendar_year_for_edit(shipped_year)[1] == 0


def test_a_situation_text_corrected_meanwhile_is_refused(two):
    mine, other = two
    s0 = mine.situations("pilot-2025")[0]
    s, v = mine.situation_for_edit(s0.rule_set, s0.code)
    assert (s.wording, v) == (s0.wording, 0)
    other.set_situation_text(ADMIN, s.rule_set, s.code, wording="别处更正的措辞", article=s.article, status="confirmed",
                             source="办法原文")
    with pytest.raises(StaleRecord) as e:
        mine.set_situation_text(ADMIN, s.rule_set, s.code, wording="我的措辞", article=s.article, status="confirmed",
                                source="我的来源", expected_version=v)
    assert e.value.current["wording"] == "别处更正的措辞"
    s, v = mine.situation_for_edit(s0.rule_set, s0.code)
    assert (s.wording, v) == ("别处更正的措辞", 1)
    mine.set_situation_text(ADMIN, s.rule_set, s.code, wording="我的措辞", article=s.article, status="confirmed",
                            source="我的来源", expected_version=v)
    assert mine.situation(s.rule_set, s.code).wording == "我的措辞"


def test_office_details_changed_meanwhile_are_refused(two):
    mine, other = two
    v = mine.office_version()
    other.set_office_settings(ADMIN, {"office.phone": "021-12345678"})
    assert mine.office_version() == v + 1
    with pytest.raises(StaleRecord) as e:
        mine.set_office_settings(ADMIN, {"office.phone": "021-87654321"}, expected_version=v)
    assert e.value.current["office.phone"] == "021-12345678" and "经办机构信息" in e.value.message
    assert e.value.by == "admin"
    assert mine.office_settings()["office.phone"] == "021-12345678"
    mine.set_office_settings(ADMIN, {"office.phone": "021-87654321"}, expected_version=v + 1)
    assert mine.office_settings()["office.phone"] == "021-87654321"
    mine.set_office_settings(ADMIN, {"office.phone": "021-11112222"})  # the command line: no version
    assert mine.office_settings()["office.phone"] == "021-11112222"


def test_a_declaration_submitted_after_its_counts_changed_is_refused(two):
    mine, other = two
    d = next(x for x in mine.declarations(limit=1000) if x.status.value == "draft" and x.lines)
    ind = d.lines[0].industry.value
    other.set_declared_counts(ADMIN, d.id, {ind: d.lines[0].orders_declared + 5})
    with pytest.raises(StaleRecord):
        mine.declare(ADMIN, d.id, today(), expected_version=d.row_version)
    assert mine.declaration(d.id).status.value == "draft"


def test_two_fee_payments_at_once_both_count_and_a_stale_form_is_refused(two):
    mine, other = two
    d = next(x for x in mine.declarations(limit=1000) if x.status.value in ("declared", "partly_paid", "overdue")
             and x.amount_due_fen - x.amount_paid_fen > 300)
    other.record_fee_payment(ADMIN, d.id, paid_on=today(), amount_fen=100)
    with pytest.raises(StaleRecord):  # the form showed what was left before the other payment
        mine.record_fee_payment(ADMIN, d.id, paid_on=today(), amount_fen=200, expected_version=d.row_version)
    assert mine.declaration(d.id).amount_paid_fen == d.amount_paid_fen + 100
    mine.record_fee_payment(ADMIN, d.id, paid_on=today(), amount_fen=200)  # the command line: both count
    assert mine.declaration(d.id).amount_paid_fen == d.amount_paid_fen + 300
    assert len(mine.fee_payments(d.id)) == len(other.fee_payments(d.id))
