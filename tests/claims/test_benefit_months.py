"""Benefits that pay the right person, from the right month, once (rules.md §6):
`from`/`until` on monthly items, dependants' own end dates, what a later
appraisal pays again, impossible dependants refused, unconfirmed rules listed.
Every figure and date below is computed by hand in the comments."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from claims.benefits import assessment_to_json, compute, parse_input
from claims.errors import FieldError
from claims.monthly import add_months, months_between, retirement
from claims.parameters import ParameterTable

SHIPPED = ParameterTable.shipped()
ROOT = Path(__file__).resolve().parents[2]


def assess(**kw):
    return assessment_to_json(compute(parse_input({"region": "310000", **kw}), SHIPPED), record=True)


def monthly(out):
    return [(i["code"], i.get("dependant"), i["amount"], i.get("from"), i.get("until"))
            for i in out["items"] if i["period"] == "monthly"]


# --- a death three months after the accident, three dependants --------------------------

DEATH = dict(outcome="death", accident_date="2025-09-03", death_date="2025-12-03", death_cause="injury",
             treatment_end_date=None, parameters={"death_base": "4430.40"})
THREE = [{"relation": "spouse", "name": "王芳", "birth_date": "1990-04-02"},
         {"relation": "child", "name": "李小明", "birth_date": "2015-05-20"},
         {"relation": "parent", "name": "李大山", "birth_date": "1955-01-09", "lone_elder": True}]


def test_death_three_months_after_the_accident_with_three_dependants():
    out = assess(**DEATH, dependants=THREE)
    # 40% + 30% + (30%+10%) = 110% > 100%: 443040 fen × 40/110 = 161105.45 → 161105, × 30/110 = 120829.09 → 120829;
    # 161105 + 120829 + 161105 = 443039: the 1 fen left goes on the first (the spouse). Every pension is paid
    # from the month after the death (2025-12-03 → 2026-01); the child's ends at 18: 2015-05-20 → 2033-05-20.
    assert monthly(out) == [("dependant_pension", 0, "1611.06", "2026-01", None),
                            ("dependant_pension", 1, "1208.29", "2026-01", "2033-05"),
                            ("dependant_pension", 2, "1611.05", "2026-01", None)]
    assert out["monthly_total"] == "4430.40"  # the cap: exactly death_base
    child = out["items"][2]
    assert child["until_reason"] == "年满18周岁"
    # funeral 6 × 4430.40 = 26582.40; one-off 20 × 54188 (2024 statistic, deaths in 2025) = 1083760.00
    assert [(i["code"], i["amount"]) for i in out["items"] if i["period"] == "once"] == [
        ("funeral_grant", "26582.40"), ("one_off_death", "1083760.00")]
    assert out["once_total"] == "1110342.40"
    # the pensions were capped and one of them ends: the others must be reassessed then
    assert any("重新核定" in w for w in out["warnings"])


@pytest.mark.parametrize("death,first", [("2025-12-31", "2026-01"), ("2026-01-01", "2026-02"),
                                         ("2025-09-03", "2025-10")])
def test_pensions_start_the_month_after_the_death(death, first):
    out = assess(**{**DEATH, "death_date": death}, dependants=[{"relation": "spouse"}])
    assert [i["from"] for i in out["items"] if i["period"] == "monthly"] == [first]


def test_a_recorded_end_replaces_the_default_of_18():
    # still at school: entitlement recorded to end on 2034-07-15 (after the 18th birthday)
    deps = [{"relation": "child", "birth_date": "2015-05-20", "end_date": "2034-07-15", "end_reason": "全日制学校毕业"}]
    out = assess(**DEATH, dependants=deps)
    assert monthly(out) == [("dependant_pension", 0, "1329.12", "2026-01", "2034-07")]  # 30% × 4430.40
    assert out["items"][1]["until_reason"] == "全日制学校毕业"


def test_a_child_already_18_at_the_death_is_refused():
    with pytest.raises(FieldError) as e:
        assess(**DEATH, dependants=[{"relation": "child", "birth_date": "2007-10-01"}])
    assert e.value.field == "dependants[0].birth_date" and "2025-10-01" in e.value.detail


# --- disability items from the month after the appraisal, until retirement -------------------

def test_disability_allowance_from_the_month_after_the_appraisal_until_retirement():
    # grade 3, partial care; appraisal 2025-12-01 → from 2026-01. A man born 1966-02-10: born after 1965-01,
    # (1966-02 − 1965-01) = 13 months → 13 // 4 + 1 = 4 months later than 60: retires 2026-06-10 → until 2026-06
    out = assess(outcome="disability", accident_date="2025-09-03", appraisal_date="2025-12-01", disability_grade=3,
                 care_level="partial", worker_birth_date="1966-02-10", worker_gender="male",
                 parameters={"benefit_base": "7384.00"})
    # 80% × 7384 = 5907.20; 30% × 12434 (2024 wage, in force from 2025-07-01) = 3730.20, care has no end
    assert monthly(out) == [("disability_allowance", None, "5907.20", "2026-01", "2026-06"),
                            ("nursing_care", None, "3730.20", "2026-01", None)]
    assert out["items"][1]["until_reason"] == "达到法定退休年龄（2026-06-10）"
    assert not any("法定退休年龄" in u["what"] for u in out["unconfirmed"])  # the men's track is certain


@pytest.mark.parametrize("birth,gender,retires", [
    ("1964-12-15", "male", "2024-12-15"),  # before the reform: 60
    ("1965-01-15", "male", "2025-02-15"),  # 60 and 1 month
    ("1965-05-01", "male", "2025-07-01"),  # 60 and 2 months
    ("1976-09-30", "male", "2039-09-30"),  # 63 (36 months: the most)
    ("1980-02-29", "male", "2043-02-28"),  # 29 February: the month's last day
    ("1970-01-01", "female", "2025-02-01"),  # the 55 track: 55 and 1 month
    ("1981-09-01", "female", "2039-09-01"),  # 58
])
def test_retirement_age_is_data(birth, gender, retires):
    assert retirement(date.fromisoformat(birth), gender).on == date.fromisoformat(retires)


def test_every_monthly_item_carries_from_even_without_an_appraisal_date():
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=1, care_level="full",
                 parameters={"benefit_base": "7384.00"})
    assert [i["from"] for i in out["items"] if i["period"] == "monthly"] == ["2025-10", "2025-10"]
    assert any("鉴定结论日期" in w for w in out["warnings"])


# --- a review appraisal after a grade 7 payment -------------------------------------------

PAID_7 = {"disability_grade": 7, "once": {"one_off_disability": "95992.00"}}  # 13 × 7384.00, paid


@pytest.mark.parametrize("grade,once,monthly_items,note", [
    # grade 4: 21 × 7384 = 155064.00 − 95992.00 = 59072.00; 75% × 7384 = 5538.00 a month from 2026-04
    (4, [("one_off_disability", "59072.00")], [("disability_allowance", None, "5538.00", "2026-04", None)],
     "伤残等级提高，补发差额"),
    # grade 5: 18 × 7384 = 132912.00 − 95992.00 = 36920.00; the grade 5 grant was never paid: 30 × 7384 = 221520.00
    (5, [("one_off_disability", "36920.00"), ("one_off_grade5_6", "221520.00")], [], "伤残等级提高，补发差额"),
    # grade 7 again, or a lower grade 9: nothing more
    (7, [], [], "伤残等级未提高，不再支付"),
    (9, [], [], "伤残等级未提高，不再支付"),
])
def test_review_appraisal_after_a_grade_7_payment(grade, once, monthly_items, note):
    out = assess(outcome="disability", accident_date="2025-09-03", appraisal_date="2026-03-10",
                 disability_grade=grade, previous=PAID_7, parameters={"benefit_base": "7384.00"})
    assert [(i["code"], i["amount"]) for i in out["items"] if i["period"] == "once"] == once
    assert monthly(out) == monthly_items
    prior = {p["code"]: p for p in out["previous"]}
    assert prior["one_off_disability"]["paid_before"] == "95992.00"
    assert prior["one_off_disability"]["note"] == note
    assert any("再次鉴定或复查鉴定" in u["what"] for u in out["unconfirmed"])  # the policy is unconfirmed
    if once:
        assert out["items"][0]["paid_before"] == "95992.00"
        assert "此前已核定 95992.00" in out["items"][0]["formula"]


def test_previous_with_an_unknown_item_is_refused():
    with pytest.raises(FieldError) as e:
        assess(outcome="disability", accident_date="2025-09-03", disability_grade=5,
               previous={"disability_grade": 7, "once": {"bonus": "1"}}, parameters={"benefit_base": "7384.00"})
    assert e.value.field == "previous.once.bonus"


# --- impossible input ----------------------------------------------------------------------

@pytest.mark.parametrize("deps,field", [
    ([{"relation": "spouse", "orphan": True}], "dependants[0].orphan"),
    ([{"relation": "spouse", "lone_elder": True}], "dependants[0].lone_elder"),
    ([{"relation": "child", "lone_elder": True}], "dependants[0].lone_elder"),
    ([{"relation": "grandchild", "lone_elder": True}], "dependants[0].lone_elder"),
    ([{"relation": "parent", "orphan": True}], "dependants[0].orphan"),
    ([{"relation": "spouse"}, {"relation": "child", "orphan": True}], "dependants[1].orphan"),
    ([{"relation": "child", "orphan": True}, {"relation": "spouse"}], "dependants[0].orphan"),
    ([{"relation": "spouse"}, {"relation": "spouse"}], "dependants[1].relation"),
    ([{"relation": "parent", "lone_elder": True, "orphan": True}], "dependants[0].orphan"),
    ([{"relation": "child", "birth_date": "2015-01-01", "end_date": "2014-01-01"}], "dependants[0].end_date"),
])
def test_impossible_dependants_are_refused_naming_the_field(deps, field):
    with pytest.raises(FieldError) as e:
        assess(**DEATH, dependants=deps)
    assert e.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.detail)


def test_an_orphan_without_a_living_spouse_is_possible():
    out = assess(**DEATH, dependants=[{"relation": "child", "orphan": True}, {"relation": "parent"}])
    assert [i["amount"] for i in out["items"] if i["code"] == "dependant_pension"] == ["1772.16", "1329.12"]


def test_death_during_treatment_is_a_death_of_the_injury():
    with pytest.raises(FieldError) as e:
        assess(**{**DEATH, "death_cause": "other", "treatment_end_date": "2026-01-31"}, disability_grade=2)
    assert e.value.field == "death_cause" and "医疗终结" in e.value.detail
    # after the treatment ended, a grade 1–4 person dying of another cause: funeral grant and pensions only
    out = assess(**{**DEATH, "death_cause": "other", "treatment_end_date": "2025-11-30"}, disability_grade=2,
                 dependants=[{"relation": "spouse"}])
    assert [i["code"] for i in out["items"]] == ["funeral_grant", "dependant_pension"]


def test_medical_amounts_above_the_plausibility_ceiling_warn():
    # the shipped ceiling (unconfirmed, an administrator may change it) is 300000.00 per amount
    out = assess(outcome="injury", accident_date="2025-09-03", medical={"medical_expenses": "300000.01",
                                                                     "rehabilitation": "300000.00"})
    warned = [w for w in out["warnings"] if "核对提示线" in w]
    assert len(warned) == 1 and "医疗费" in warned[0] and "300000.01" in warned[0]


# --- unconfirmed is listed ----------------------------------------------------------------

def test_everything_unconfirmed_is_listed_in_words():
    out = assess(outcome="disability", accident_date="2023-03-01", appraisal_date="2023-09-01", disability_grade=5,
                 parameters={"benefit_base": "6000.00"})
    whats = [u["what"] for u in out["unconfirmed"]]
    assert "“职业伤害保障试点（2022年首批）”的待遇计发办法" in whats
    assert "五级、六级一次性津贴的计发标准" in whats
    assert "一次性伤残补助金的计发标准" in whats  # assumed equal to 2025's for the first pilot
    for text in whats + out["warnings"]:
        assert "pilot" not in text
    # a confirmed rule set with a confirmed grade 5 grant and no monthly items: nothing unconfirmed
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=5,
                 parameters={"benefit_base": "6000.00"})
    assert out["unconfirmed"] == [] and out["warnings"] == []


# --- month arithmetic ---------------------------------------------------------------------

def test_months():
    assert add_months("2025-12", 1) == "2026-01" and add_months("2026-01", -1) == "2025-12"
    assert months_between("2026-01", "2033-05") == 89 and months_between("2026-02", "2026-01") == 0


# --- the command --------------------------------------------------------------------------

def _benefits(tmp_path, data):
    f = tmp_path / "in.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "benefits", "--input", str(f)],
                          capture_output=True, text=True, env=env, encoding="utf-8", timeout=120)


def test_benefits_command_from_and_refusal(tmp_path):
    r = _benefits(tmp_path, {"region": "310000", **DEATH, "dependants": THREE})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert all(i["from"] == "2026-01" for i in out["items"] if i["period"] == "monthly")
    assert "unconfirmed" not in out and "rule_set_name" not in out  # the contract's shape
    r = _benefits(tmp_path, {"region": "310000", **DEATH, "dependants": [{"relation": "spouse", "orphan": True}]})
    assert r.returncode == 2 and "dependants[0].orphan" in r.stderr and "配偶" in r.stderr


def test_a_worker_past_retirement_gets_no_disability_allowance():
    # a woman born 1949-12-31 (the 55 track, before the reform) reached retirement on 2004-12-31: the allowance
    # would end before its first month, so it is not assessed; the care allowance has no end
    out = assess(outcome="disability", accident_date="2025-09-03", appraisal_date="2025-12-01", disability_grade=2,
                 care_level="most", worker_birth_date="1949-12-31", worker_gender="female",
                 parameters={"benefit_base": "7384.00"})
    assert monthly(out) == [("nursing_care", None, "4973.60", "2026-01", None)]  # 40% × 12434
    assert any("2004-12-31" in w and "伤残津贴不再按月发放" in w for w in out["warnings"])
    # which track applies to women working on platforms is not certain: listed
    assert "伤残津贴发放至法定退休年龄（按女性原55周岁、逐步延迟至58周岁计算）" in [u["what"] for u in out["unconfirmed"]]
