"""The handling office's details on printouts: placeholders until an administrator
fills them in, checked and audited when saved, and printed on the next document."""
from __future__ import annotations

import sqlite3

import pytest

from claims import printing
from claims.audit import verify_audit
from claims.errors import FieldError, PermissionDenied
from claims.office import OFFICE_DEFAULTS
from claims.store import Actor, Store

ADMIN = Actor("admin", role="admin", display_name="系统管理员")
AGENT = Actor("agent", role="insurer_agent", display_name="李经办")
REAL = {"office.name": "中国人寿财产保险股份有限公司上海市分公司职业伤害保障服务中心",
        "office.address": "上海市黄浦区西藏中路 18 号 3 楼", "office.phone": "021-63211234 转 801",
        "office.review_authority": "上海市黄浦区人民政府", "office.court": "上海市黄浦区人民法院"}
UNSET = ["经办机构名称", "地址", "行政复议机关", "诉讼管辖法院"]  # no review body or court is asserted by default


def test_a_new_database_prints_placeholders_and_says_which(store):
    assert store.office_unset() == UNSET
    assert store.office_settings() == OFFICE_DEFAULTS


def test_the_administrator_fills_them_in_and_the_audit_log_records_it(store):
    change = store.set_office_settings(ADMIN, {k: f"  {v} " for k, v in REAL.items()})
    assert store.office_unset() == []
    got = store.office_settings()
    assert {k: got[k] for k in REAL} == REAL  # whitespace trimmed
    assert got["office.appraisal_committee"] == OFFICE_DEFAULTS["office.appraisal_committee"]  # the rest: defaults
    assert "经办机构名称" in change.summary and "meta" in change.tables
    actions = store.conn.execute("SELECT record_id, actor FROM audit_log WHERE table_name = 'meta'"
                                   " AND record_id LIKE 'office.%'").fetchall()
    assert sorted(tuple(r) for r in actions) == sorted((k, "admin") for k in REAL)
    assert verify_audit(store)[0]
    again = store.set_office_settings(ADMIN, REAL)  # the same values: nothing written
    assert again.tables == frozenset() and store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'meta' AND record_id LIKE 'office.%'").fetchone()[0] == len(REAL)


@pytest.mark.parametrize("values, field", [
    ({"office.phone": "请拨打客服"}, "联系电话"),
    ({"office.name": "   "}, "经办机构名称"),
    ({"office.address": OFFICE_DEFAULTS["office.address"]}, "地址"),
    ({"office.court": "法" * 101}, "诉讼管辖法院"),
    ({"office.review_authority": OFFICE_DEFAULTS["office.review_authority"]}, "行政复议机关"),
    ({"office.fax": "021-1"}, "项目"),
])
def test_bad_values_are_refused_by_field_and_nothing_is_stored(store, values, field):
    with pytest.raises(FieldError) as e:
        store.set_office_settings(ADMIN, {**REAL, **values})
    assert e.value.field == field and field in e.value.message
    assert store.office_unset() == UNSET  # the good fields of the same save were not kept either


def test_only_an_administrator_may_change_them(store):
    with pytest.raises(PermissionDenied, match="无权修改经办机构信息"):
        store.set_office_settings(AGENT, REAL)
    assert store.office_settings()["office.name"] == OFFICE_DEFAULTS["office.name"]


def test_a_change_behind_the_programs_back_is_caught_by_audit_verify(store, tmp_path):
    store.set_office_settings(ADMIN, REAL)
    path = store.path
    store.close()
    with sqlite3.connect(path) as c:
        c.execute("UPDATE meta SET value = '假冒的经办机构' WHERE key = 'office.name'")
    s = Store(path, "TEST")
    ok, message = verify_audit(s)
    s.close()
    assert not ok and "经办机构信息已在程序之外被修改" in message and "office.name" in message


def test_the_next_receipt_carries_the_new_details(demo_store):
    number = demo_store.conn.execute("SELECT number FROM cases ORDER BY number LIMIT 1").fetchone()[0]
    before, _ = printing.build_view(demo_store, "report_receipt", number)
    assert before.office.name == OFFICE_DEFAULTS["office.name"]
    demo_store.set_office_settings(ADMIN, REAL)
    after, _ = printing.build_view(demo_store, "report_receipt", number)
    assert (after.office.name, after.office.address, after.office.phone) == (
        REAL["office.name"], REAL["office.address"], REAL["office.phone"])
