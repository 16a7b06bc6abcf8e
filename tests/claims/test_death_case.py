"""A death case from the report to the first monthly pension, through the
store as the screens drive it: the death three months after the accident,
the claimant, three dependants each with their own payee and end, the
assessment, one-off payment to the claimant, one pension series per
dependant from the month after the death — and every printed document of the
case naming the right people with the right death date."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pypdf
import pytest

from claims import printing
from claims.enums import CaseState as S
from claims.errors import ClaimsError, FieldError
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent", display_name="李经办")
REVIEWER = Actor("rev1", role="reviewer", display_name="王审核")
ACCIDENT = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)
DEATH = date(2025, 12, 3)
WORKER_ID = "310104198506150015"  # 李强, male
SPOUSE_ID = "310104198804020024"
CHILD_ID = "310104201505200011"
PARENT_ID = "310104195501090013"
ACCOUNTS = {"spouse": "6222021234567890128", "parent": "6217001210034567899", "claimant": "6222021234567890128"}


def squash(t: str) -> str:
    return re.sub(r"\s+", "", t)


@pytest.fixture
def world(store):
    p, _ = store.add_platform(AGENT, name="美团", industries=["food_delivery", "instant_delivery"])
    w, _ = store.add_worker(AGENT, {"name": "李强", "id_number": WORKER_ID, "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行徐汇支行"})
    store.add_parameter(Actor("admin"), name="death_base", region="310000", valid_from="2025-07-01",
                        valid_to="2026-06-30", value="4430.40", status="unconfirmed", source="测试用假定值")
    return store, p, w


def confirmed_case(store, p, w):
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                             accident_at=ACCIDENT, reported_at=ACCIDENT + timedelta(hours=3), place="徐汇区漕溪北路",
                             description="送餐途中被货车撞倒，颅脑损伤送医抢救", case_type="traffic",
                             hospital="上海市第六人民医院", reporter_name="王芳", reporter_relation="配偶")
    for t in (S.accepted, S.investigating):
        store.transition(AGENT, c.id, t, at=ACCIDENT + timedelta(days=2))
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic", legal_basis="办法第十条",
                 override_reason="平台补报的订单记录已核实", at=ACCIDENT + timedelta(days=20))
    return c


def died(store, c, dependants=True):
    store.record_death(AGENT, c.id, death_date=DEATH, death_cause="injury")
    store.set_claimant(AGENT, c.id, {"name": "王芳", "relation": "配偶", "id_number": SPOUSE_ID,
                                     "phone": "13900001111", "address": "上海市徐汇区漕溪北路1号",
                                     "bank": "建设银行漕河泾支行", "account": ACCOUNTS["claimant"]})
    if not dependants:
        return
    store.add_dependant(AGENT, c.id, {"name": "王芳", "relation": "spouse", "id_number": SPOUSE_ID,
                                      "basis": "配偶，无工作无收入", "payee_bank": "建设银行漕河泾支行",
                                      "payee_account": ACCOUNTS["spouse"]})
    store.add_dependant(AGENT, c.id, {"name": "李小明", "relation": "child", "id_number": CHILD_ID,
                                      "basis": "未成年子女", "payee_name": "王芳", "payee_bank": "建设银行漕河泾支行",
                                      "payee_account": ACCOUNTS["spouse"]})
    store.add_dependant(AGENT, c.id, {"name": "李大山", "relation": "parent", "id_number": PARENT_ID,
                                      "basis": "父亲，年满60周岁无收入，无其他子女", "lone_elder": True,
                                      "payee_bank": "中国银行", "payee_account": ACCOUNTS["parent"]})


def pdf_text(result) -> str:
    return squash("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(result.pdf)).pages))


def test_a_death_case_from_report_to_the_first_pension(world):
    from forms import render as forms_render
    store, p, w = world
    c = confirmed_case(store, p, w)
    died(store, c)
    a, _ = store.assess(AGENT, c.id, at=datetime(2026, 1, 10, 10, tzinfo=SHANGHAI))
    store.approve_assessment(REVIEWER, a.id)
    res = store.assessment_result(a.id)
    # death_base 4430.40: funeral 6 × = 26582.40; 20 × 54188 (2024 statistic) = 1083760.00; pensions capped at
    # 110% → 100%: 1611.06 (spouse, +1 fen), 1208.29 (child), 1611.05 (lone elder parent), from 2026-01
    assert a.once_total_fen == 111034240 and a.monthly_total_fen == 443040
    assert [(i.get("dependant"), i["amount"], i.get("from"), i.get("until")) for i in res["items"]
            if i["period"] == "monthly"] == [(0, "1611.06", "2026-01", None), (1, "1208.29", "2026-01", "2033-05"),
                                             (2, "1611.05", "2026-01", None)]
    # the one-off benefits go to the claimant
    once, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=a.once_total_fen, payee="王芳",
                                    account=ACCOUNTS["claimant"], payee_bank="建设银行漕河泾支行",
                                    due_on=date(2026, 1, 15))
    store.approve_payment(REVIEWER, once.id, paid_on=date(2026, 1, 15), reference="流水1")
    # pensions: one series per dependant, never before the month after the death
    with pytest.raises(FieldError, match="2026年1月起发放"):
        store.schedule_monthly_payments(AGENT, a.id, "2025-12", 1)
    pays, _ = store.schedule_monthly_payments(AGENT, a.id, "2026-01", 1)
    assert [(x.payee, x.account, x.amount_fen, x.period_month) for x in pays] == [
        ("王芳", ACCOUNTS["spouse"], 161106, "2026-01"), ("王芳", ACCOUNTS["spouse"], 120829, "2026-01"),
        ("李大山", ACCOUNTS["parent"], 161105, "2026-01")]
    for x in pays:
        store.approve_payment(REVIEWER, x.id, paid_on=date(2026, 2, 5), reference="流水")
    store.transition(AGENT, c.id, S.paid, "首月抚恤金已支付")
    series = {s.label: s for s in store.monthly_series(a.id)}
    child = next(s for label, s in series.items() if "李小明" in label)
    assert (child.months_total, child.paid, child.months_left, child.next_month) == (89, ["2026-01"], 88, "2026-02")
    with pytest.raises(FieldError, match="已安排支付"):  # never paid twice
        store.schedule_monthly_payments(AGENT, a.id, "2026-01", 1, series=child.key)

    # every document of the case that can be printed now names the right people
    docs = printing.applicable_documents(store, c.number)
    assert {"benefit_application", "benefit_notice", "confirmation_decision"} <= {d for d, _t in docs}
    texts = {code: pdf_text(printing.render_document(store, forms_render, code, c.number, AGENT))
             for code, _t in docs}
    for code in ("payment_voucher",):
        for pay in store.payments_of(c.id):
            texts[f"{code}:{pay.number}"] = pdf_text(printing.render_document(store, forms_render, code, pay.number,
                                                                              AGENT))
    for key, text in texts.items():
        assert "李强" in text, key
        assert "pilot" not in text, key
    app, notice = texts["benefit_application"], texts["benefit_notice"]
    for text in (app, notice):
        assert "2025年12月3日" in text  # the death date, not the accident date as the date of death
        for name in ("李小明", "李大山"):
            assert name in text
    assert "死亡人员" in app and "申请人" in app and SPOUSE_ID in app  # filed with the authority: whole ID
    assert notice.startswith("职业伤害保障待遇核定通知书") and "王芳：" in notice and "李强：" not in notice
    assert "已于2025年12月3日死亡" in notice and "与死者关系" in notice
    assert "2026年1月起" in notice and "2033年5月20日止（年满18周岁）" in notice
    assert "尚未见于正式发布的文件" in notice and "按月待遇的起止月份" in notice
    vouchers = [t for k, t in texts.items() if k.startswith("payment_voucher")]
    assert len(vouchers) == 4 and all("死者" in t and "2025年12月3日死亡" in t for t in vouchers)
    child_voucher = next(t for t in vouchers if "¥1,208.29" in t)
    assert "供养亲属抚恤金（李小明）" in child_voucher and "李小明（子女）的代领人" in child_voucher
    parent_voucher = next(t for t in vouchers if "¥1,611.05" in t)
    assert "李大山" in parent_voucher and "父母" in parent_voucher
    decision = texts["confirmation_decision"]
    assert "李强" in decision


def test_the_checklist_asks_for_death_records_once_a_death_is_recorded(world):
    store, p, w = world
    c = confirmed_case(store, p, w)
    before = {r.doc_type for r in store.checklist(c.id)}
    store.record_death(AGENT, c.id, death_date=DEATH, death_cause="injury")
    after = {r.doc_type for r in store.checklist(c.id)}
    assert after - before == {"death_records", "kinship_proof"}


# --- what the store refuses ------------------------------------------------------------

B = {"birth_date": "1960-01-01"}


@pytest.mark.parametrize("data,field,words", [
    ({"relation": "spouse", "orphan": True, **B}, "孤儿", "配偶"),
    ({"relation": "spouse", "lone_elder": True, **B}, "孤寡老人", "配偶"),
    ({"relation": "child", "lone_elder": True, "birth_date": "2016-01-01"}, "孤寡老人", "子女"),
    ({"relation": "child", "orphan": True, "birth_date": "2016-01-01"}, "孤儿", "健在"),  # the claimant: spouse
    ({"relation": "parent", "orphan": True, **B}, "孤儿", "父母"),
    ({"relation": "child", "birth_date": "2006-01-10"}, "出生日期", "年满18周岁"),
    ({"relation": "cousin", **B}, "关系", "配偶"),
    ({"relation": "child"}, "出生日期", "身份证号码或出生日期"),
    ({"relation": "child", "id_number": WORKER_ID}, "身份证号码", "死者本人"),
    ({"relation": "child", "id_number": CHILD_ID, "birth_date": "2015-05-21"}, "出生日期", "不符"),
    ({"relation": "child", "birth_date": "2016-01-01", "payee_account": "62220212"}, "收款账号", "15至19位"),
    ({"relation": "child", "birth_date": "2016-01-01", "end_on": "2015-01-01"}, "领取终止日期", "出生日期"),
])
def test_impossible_dependants_are_refused(world, data, field, words):
    store, p, w = world
    c = confirmed_case(store, p, w)
    died(store, c, dependants=False)
    n = len(store.dependants_of(c.id))
    with pytest.raises(FieldError) as e:
        store.add_dependant(AGENT, c.id, {"name": "某某", **data})
    assert e.value.field == field and words in e.value.detail
    assert len(store.dependants_of(c.id)) == n  # nothing written


def test_one_spouse_and_no_orphan_beside_a_living_spouse(world):
    store, p, w = world
    c = confirmed_case(store, p, w)
    store.record_death(AGENT, c.id, death_date=DEATH, death_cause="injury")
    store.add_dependant(AGENT, c.id, {"name": "李小明", "relation": "child", "id_number": CHILD_ID, "orphan": True})
    with pytest.raises(FieldError, match="孤儿"):
        store.add_dependant(AGENT, c.id, {"name": "王芳", "relation": "spouse", "id_number": SPOUSE_ID})
    with pytest.raises(FieldError, match="孤儿"):
        store.set_claimant(AGENT, c.id, {"name": "王芳", "relation": "配偶"})
    store.set_claimant(AGENT, c.id, {"name": "李大山", "relation": "父亲"})
    dep = store.dependants_of(c.id)[0]
    store.update_dependant(AGENT, dep.id, {"name": "李小明", "relation": "child", "id_number": CHILD_ID})
    store.add_dependant(AGENT, c.id, {"name": "王芳", "relation": "spouse", "id_number": SPOUSE_ID})
    with pytest.raises(FieldError, match="只能有一名配偶"):
        store.add_dependant(AGENT, c.id, {"name": "张丽", "relation": "配偶", "birth_date": "1990-01-01"})


def test_dependants_need_a_recorded_death(world):
    store, p, w = world
    c = confirmed_case(store, p, w)
    with pytest.raises(ClaimsError, match="请先登记死亡"):
        store.add_dependant(AGENT, c.id, {"name": "王芳", "relation": "spouse", "id_number": SPOUSE_ID})


def test_death_dates_and_causes(world):
    store, p, w = world
    c = confirmed_case(store, p, w)
    with pytest.raises(FieldError, match="事故日期"):
        store.record_death(AGENT, c.id, death_date=date(2025, 9, 2), death_cause="injury")
    with pytest.raises(FieldError, match="医疗终结"):  # still in treatment: a death of the injury
        store.record_death(AGENT, c.id, death_date=DEATH, death_cause="other")
    store.set_treatment_end(AGENT, c.id, date(2025, 12, 31))
    with pytest.raises(FieldError, match="治疗期间死亡"):
        store.record_death(AGENT, c.id, death_date=DEATH, death_cause="other")
    store.set_treatment_end(AGENT, c.id, date(2025, 11, 30))
    c, _ = store.record_death(AGENT, c.id, death_date=DEATH, death_cause="other")
    assert (c.death_date, c.death_cause, c.treatment_end_on) == (DEATH, "other", date(2025, 11, 30))
    with pytest.raises(FieldError, match="更正死亡原因"):
        store.set_treatment_end(AGENT, c.id, date(2025, 12, 10))


def test_a_removed_dependant_with_payments_stays(world):
    store, p, w = world
    c = confirmed_case(store, p, w)
    died(store, c)
    a, _ = store.assess(AGENT, c.id)
    store.approve_assessment(REVIEWER, a.id)
    store.schedule_monthly_payments(AGENT, a.id, "2026-01", 1)
    dep = store.dependants_of(c.id)[1]
    with pytest.raises(ClaimsError, match="领取终止日期"):
        store.remove_dependant(AGENT, dep.id)


def test_the_audit_log_still_verifies(world):
    from claims.audit import verify_audit
    store, p, w = world
    c = confirmed_case(store, p, w)
    died(store, c)
    ok, msg = verify_audit(store)
    assert ok, msg
