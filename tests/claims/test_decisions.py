"""Decisions that cannot contradict their facts (issue 14): the evidence of the
order records and the cover, the override a contrary conclusion needs, facts in
the office's voice that never paste the worker's account, the measure of the
rule set in force on the accident date (never 《工伤保险条例》), wording an
administrator corrects while issued decisions keep theirs, the review and
lawsuit windows, closing a refused case, a relapse, and the placeholders of the
rights paragraph."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta

import pypdf
import pytest

from claims import printing
from claims.enums import CaseState as S
from claims.errors import ClaimsError, FieldError
from claims.store import Actor
from claims.timeutil import SHANGHAI

AGENT = Actor("agent1", role="insurer_agent")
REVIEWER = Actor("rev1", role="reviewer")
ADMIN = Actor("admin1", role="admin")
ACCOUNT = "我骑车送餐时被一辆白色面包车别倒，独有叙述甲乙丙"  # the worker's own words: never in the facts


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def world(store):
    p, _ = store.add_platform(ADMIN, name="达达", industries=["instant_delivery"])
    other, _ = store.add_platform(ADMIN, name="闪送", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"})
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2026-01-01")
    rows = [(2, {"order_no": "DD1", "platform": "达达", "industry": "instant_delivery", "id_number": w.id_number,
                 "accepted_at": "2026-03-10T10:00:00", "finished_at": "2026-03-10T10:40:00", "region": "310000"}),
            (3, {"order_no": "DD2", "platform": "达达", "industry": "instant_delivery", "id_number": w.id_number,
                 "accepted_at": "2026-03-10T13:00:00", "finished_at": "2026-03-10T13:30:00", "region": "310000"}),
            (4, {"order_no": "SS1", "platform": "闪送", "industry": "instant_delivery", "id_number": w.id_number,
                 "accepted_at": "2026-03-11T09:00:00", "finished_at": "2026-03-11T09:50:00", "region": "310000"})]
    assert len(store.import_orders(ADMIN, rows).rejected) == 0
    return store, p, other, w


def investigated(store, platform, w, when: str):
    c, _ = store.report_case(AGENT, worker_id=w.id, platform_id=platform.id, industry="instant_delivery",
                             accident_at=at(when), place="徐汇区虹漕路", description=ACCOUNT,
                             reported_at=at(when) + timedelta(hours=2), allow_duplicate=True)
    store.add_document(AGENT, c.id, doc_type="id_card", received_on=at(when).date())
    store.add_document(AGENT, c.id, doc_type="diagnosis", received_on=at(when).date() + timedelta(days=1))
    store.transition(AGENT, c.id, S.accepted, at=at(when) + timedelta(days=2))
    store.transition(AGENT, c.id, S.investigating, at=at(when) + timedelta(days=3))
    return c


def printed(store, code: str, number: str) -> str:
    from forms import render
    r = printing.print_document(store, render, code, number, AGENT)
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.pdf)).pages))


# --- evidence and overrides ----------------------------------------------------------------

@pytest.mark.parametrize("when,platform,confirm,needs", [
    ("2026-03-10T10:20:00", "达达", True, None),                   # in an order, covered: confirmed as is
    ("2026-03-10T15:00:00", "达达", False, None),                  # no order: refused as is
    ("2026-03-10T15:00:00", "达达", True, "没有事故发生时正在执行的订单"),
    ("2026-03-11T09:20:00", "闪送", True, "不在其在闪送即时配送行业的参保期间内"),  # an order, but no cover there
    ("2026-03-10T10:20:00", "达达", False, "正在执行订单 DD1"),
])
def test_a_conclusion_the_records_do_not_support_needs_an_override_reason(world, when, platform, confirm, needs):
    store, p, other, w = world
    c = investigated(store, p if platform == "达达" else other, w, when)
    kw = dict(confirm=confirm, situation_code="order_task" if confirm else "",
              reasons="" if confirm else "事故发生时未在执行订单")
    if needs is None:
        d, _ = store.decide(REVIEWER, c.id, **kw)
        assert d.override_reason == ""
        return
    with pytest.raises(FieldError, match=needs):
        store.decide(REVIEWER, c.id, **kw)
    assert store.case(c.id).state == S.investigating and store.decisions_of(c.id) == []
    reason = "交警认定书载明其事故时正送达订单，平台记录漏传"
    d, _ = store.decide(REVIEWER, c.id, override_reason=reason, **kw)
    assert d.override_reason == reason
    assert reason in store.case_events(c.id)[-1].note and needs in store.case_events(c.id)[-1].note
    assert reason in d.facts


def test_facts_are_the_office_voice_from_the_records_and_agree_with_the_conclusion(world):
    store, p, _o, w = world
    inside = investigated(store, p, w, "2026-03-10T10:20:00")
    d, _ = store.decide(REVIEWER, inside.id, confirm=True, situation_code="order_task")
    assert d.facts.startswith("经查，张伟系达达即时配送行业从业人员。")
    assert "其自2026年1月1日起在达达参加即时配送行业职业伤害保障，事故发生之日在保障期间内" in d.facts
    assert "事故发生时其正在执行订单 DD1（2026年3月10日10:00接单，2026年3月10日10:40完成）" in d.facts
    assert "已收到受伤人员身份证件（复印件）、初诊证明或诊断证明" in d.facts
    outside = investigated(store, p, w, "2026-03-10T15:00:00")
    r, _ = store.decide(REVIEWER, outside.id, confirm=False, reasons="事故发生时未在执行订单")
    assert "平台订单记录中未见事故发生时正在执行的订单" in r.facts and "正在执行订单" not in r.facts
    assert "此前最近一单为订单 DD2（2026年3月10日13:00接单，2026年3月10日13:30完成）" in r.facts
    for case, dec in ((inside, d), (outside, r)):
        assert ACCOUNT not in dec.facts and "独有叙述" not in dec.facts
        code = "confirmation_decision" if dec.kind == "confirm" else "refusal_decision"
        text = printed(store, code, case.number)
        assert "独有叙述" not in text and "面包车" not in text
        assert re.sub(r"\s+", "", dec.facts)[:60] in text


def test_the_decision_dialog_preview_is_the_printed_facts(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    preview = store.decision_facts(c.id, "平台记录漏传")
    d, _ = store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", override_reason="平台记录漏传")
    assert d.facts == preview


# --- legal texts ---------------------------------------------------------------------------

@pytest.mark.parametrize("when,measure,other", [
    ("2026-03-10T10:20:00", "《新就业形态人员职业伤害保障办法（试行）》", "《新就业形态就业人员职业伤害保障办法（试行）》"),
    ("2025-03-10T10:20:00", "《新就业形态就业人员职业伤害保障办法（试行）》", "《新就业形态人员职业伤害保障办法（试行）》"),
])
def test_a_decision_cites_the_measure_in_force_on_the_accident_date(world, when, measure, other):
    store, p, _o, w = world
    store.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2024-01-01",
                 end_on="2025-12-31")
    c = investigated(store, p, w, when)
    with pytest.raises(FieldError, match="工伤保险条例"):
        store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", override_reason="核实",
                     legal_basis="参照《工伤保险条例》第十四条")
    with pytest.raises(FieldError, match="不能引用"):
        store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task", override_reason="核实",
                     legal_basis=other + "第十条")
    d, _ = store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic", override_reason="核实",
                        legal_basis="《上海市新就业形态就业人员职业伤害保障试点实施办法》")
    assert d.rule_set == ("pilot-2025" if measure.startswith("《新就业形态人员") else "pilot-2022")
    text = printed(store, "confirmation_decision", c.number)
    assert measure + "第十条第一款第（四）项" in text and other not in text
    assert "工伤保险条例" not in text and "order_route_traffic" not in text


def test_a_refusal_without_an_exclusion_cites_the_six_items_it_did_not_meet(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    store.decide(REVIEWER, c.id, confirm=False, reasons="事故发生时未在执行订单")
    text = printed(store, "refusal_decision", c.number)
    assert "《新就业形态人员职业伤害保障办法（试行）》第十条第一款第（一）项至第（六）项" in text
    assert "工伤保险条例" not in text


def test_corrected_wording_applies_to_new_decisions_and_issued_ones_keep_theirs(world):
    store, p, _o, w = world
    first = investigated(store, p, w, "2026-03-10T10:20:00")
    store.decide(REVIEWER, first.id, confirm=True, situation_code="order_task")
    old = store.situation("pilot-2025", "order_task").wording
    with pytest.raises(ClaimsError):
        store.set_situation_text(AGENT, "pilot-2025", "order_task", wording="新措辞", article="第十条第一款第（一）项",
                                 status="confirmed", source="办法原文")
    store.set_situation_text(ADMIN, "pilot-2025", "order_task", wording="在执行平台订单任务期间受到事故伤害的（原文）",
                             article="第十条第一款第（一）项", status="confirmed", source="人社部发〔2025〕24号原文")
    assert store.situation("pilot-2022", "order_task").wording == old  # the other rule set is untouched
    second = investigated(store, p, w, "2026-03-10T13:10:00")
    store.decide(REVIEWER, second.id, confirm=True, situation_code="order_task")
    assert "原文" not in printed(store, "confirmation_decision", first.number)
    assert old.rstrip("的") in printed(store, "confirmation_decision", first.number)
    assert "（原文）" in printed(store, "confirmation_decision", second.number)


def test_situations_per_rule_set_hold_the_six_items_the_deemed_and_the_exclusions(store):
    for rule_set, measure in (("pilot-2022", "《新就业形态就业人员职业伤害保障办法（试行）》"),
                              ("pilot-2025", "《新就业形态人员职业伤害保障办法（试行）》")):
        sits = store.situations(rule_set)
        assert [s.article for s in sits if s.kind == "confirm"] == [
            f"第十条第一款第（{n}）项" for n in "一二三四五六"]
        assert {s.code for s in sits if s.kind == "deemed"} == {"sudden_death_48h", "rescue"}
        assert {s.code for s in sits if s.kind == "exclude"} == {"crime", "intoxication", "self_harm"}
        assert all(s.measure == measure and "工伤保险条例" not in s.citation for s in sits)


# --- rights: windows, closing, placeholders ---------------------------------------------

def test_a_decision_starts_the_review_and_lawsuit_windows(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    d, _ = store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-08-04T10:00:00"))
    case = store.case(c.id)
    # 60 days from 2026-08-04 end on 10-03 (National Day): 10-08; 6 months: 2027-02-04
    assert (case.review_until, case.lawsuit_until, case.due_on) == (date(2026, 10, 8), date(2027, 2, 4),
                                                                  date(2027, 2, 4))
    store.record_service(AGENT, d.id, date(2026, 8, 31))  # received later: the windows move
    case = store.case(c.id)
    assert (case.review_until, case.lawsuit_until) == (date(2026, 10, 30), date(2027, 3, 1))


def test_a_refused_case_closes_inside_its_windows_only_on_a_written_waiver(world, tmp_path):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-04-01T10:00:00"))
    with pytest.raises(ClaimsError, match="尚未届满"):
        store.transition(AGENT, c.id, S.closed, "结案", at=at("2026-06-01T10:00:00"))
    with pytest.raises(FieldError, match="声明人"):
        store.close_with_waiver(AGENT, c.id, signed_by=" ", signed_on=date(2026, 4, 3))
    scan = tmp_path / "放弃声明.pdf"
    scan.write_bytes(b"%PDF-1.4 waiver")
    closed, _ = store.close_with_waiver(AGENT, c.id, signed_by="张伟", signed_on=date(2026, 4, 3), file_path=scan,
                                        at=at("2026-04-03T15:00:00"))
    assert closed.state == S.closed
    doc = [d for d in store.case_documents(c.id) if d.doc_type == "rights_waiver"][0]
    assert (doc.received_on, doc.note, doc.file_name) == (date(2026, 4, 3), "张伟签署", "放弃声明.pdf")
    last = store.case_events(c.id)[-1]
    assert "张伟于2026年4月3日书面放弃申请行政复议和提起行政诉讼" in last.note and last.actor == "agent1"


def test_a_refused_case_closes_once_both_windows_are_over(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T15:00:00")
    store.decide(REVIEWER, c.id, confirm=False, reasons="未在执行订单", at=at("2026-04-01T10:00:00"))
    last_day = store.case(c.id).lawsuit_until  # 2026-10-01 is a holiday: 2026-10-08
    assert last_day == date(2026, 10, 8)
    with pytest.raises(ClaimsError, match="尚未届满"):
        store.transition(AGENT, c.id, S.closed, "结案", at=datetime.combine(last_day, datetime.min.time(), SHANGHAI))
    store.transition(AGENT, c.id, S.closed, "期限届满未复议未起诉",
                     at=datetime.combine(last_day + timedelta(days=1), datetime.min.time(), SHANGHAI))
    assert store.case(c.id).state == S.closed


def test_a_bare_transition_cannot_confirm_or_refuse(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T10:20:00")
    with pytest.raises(ClaimsError, match="作出结论"):
        store.transition(REVIEWER, c.id, S.confirmed)
    assert store.case(c.id).state == S.investigating


def test_printing_a_decision_warns_while_the_review_body_and_court_are_placeholders(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T10:20:00")
    store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task")
    text = printed(store, "confirmation_decision", c.number)
    assert "【待填写：行政复议机关】" in text and "【待填写：诉讼管辖法院】" in text
    assert "60日内" in text and "6个月内" in text
    assert printing.print_warnings(store, "confirmation_decision")
    assert printing.print_warnings(store, "report_receipt") == []
    store.set_office_settings(ADMIN, {"office.review_authority": "上海市徐汇区人民政府",
                                      "office.court": "上海市徐汇区人民法院"})
    assert printing.print_warnings(store, "confirmation_decision") == []
    text = printed(store, "confirmation_decision", c.number)
    assert "上海市徐汇区人民政府申请行政复议" in text and "待填写" not in text


# --- relapse ------------------------------------------------------------------------------

def test_a_relapse_reopens_a_closed_case_as_a_linked_case_and_the_decision_stands(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T10:20:00")
    with pytest.raises(ClaimsError, match="已结案"):
        store.report_relapse(AGENT, c.id, description="伤口复发")
    d, _ = store.decide(REVIEWER, c.id, confirm=True, situation_code="order_task")
    result = {"rule_set": "pilot-2025", "items": [], "once_total": "100.00", "monthly_total": "0.00"}
    a, _ = store.save_assessment(AGENT, c.id, result)
    store.approve_assessment(REVIEWER, a.id)
    pay, _ = store.prepare_payment(AGENT, a.id, kind="once", amount_fen=10000, payee="张伟")
    store.approve_payment(REVIEWER, pay.id)
    store.transition(AGENT, c.id, S.paid)
    store.transition(AGENT, c.id, S.closed, "已支付")
    r, _ = store.report_relapse(AGENT, c.id, description="骨折处再次疼痛，住院治疗", hospital="上海市第六人民医院")
    assert r.number == c.number + "-F1" and r.relapse_of == c.id and r.state == S.confirmed
    assert r.accident_at == store.case(c.id).accident_at
    ev = store.case_events(r.id)
    assert len(ev) == 1 and c.number in ev[0].note and d.number in ev[0].note
    assert store.case(c.id).state == S.closed and store.decisions_of(c.id)[-1].id == d.id  # untouched
    assert store.original_decision(r).id == d.id
    store.save_assessment(AGENT, r.id, result)  # medical benefits on the relapse's own history
    assert store.case(r.id).state == S.assessed
    assert [x.number for x in store.relapses_of(c.id)] == [r.number]


def test_a_decision_issued_before_decisions_kept_their_text_prints_the_measure_never_the_regulation(world):
    store, p, _o, w = world
    c = investigated(store, p, w, "2026-03-10T10:20:00")
    d, _ = store.decide(REVIEWER, c.id, confirm=True, situation_code="order_route_traffic")
    # as an older version stored it: the basis typed from the old data, no snapshot, no facts
    store.conn.execute("UPDATE decisions SET situation_text = '', facts = '', rule_set = '',"
                       " legal_basis = '参照《工伤保险条例》第十四条第（六）项' WHERE id = ?", (d.id,))
    text = printed(store, "confirmation_decision", c.number)
    assert "《新就业形态人员职业伤害保障办法（试行）》第十条第一款第（四）项" in text
    assert "工伤保险条例" not in text and "独有叙述" not in text and "正在执行订单DD1" in text
