"""Benefit assessment: every item of rules.md §6 under both rule sets, rounding,
the dependants' cap, date choice of figures, missing figures, the cli.md example."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.benefits import assessment_to_json, compute, parse_input, run_benefits_command
from claims.errors import ClaimsError, FieldError, MissingParameter
from claims.parameters import (ParameterRow, ParameterTable, load_ruleset, load_shipped_parameters,
                               ruleset_for)

SHIPPED = ParameterTable.shipped()


def assess(**kw):
    data = {"region": "310000", **kw}
    return assessment_to_json(compute(parse_input(data), SHIPPED))


def amounts(out, code=None):
    return [(i["code"], i["amount"]) for i in out["items"] if code is None or i["code"] == code]


# --- every item, both rule sets --------------------------------------------------------

# pilot-2025: accident 2025-09-03, appraisal 2025-12-01, benefit_base 7384.00 (given),
#   care_base = Shanghai 2024 average monthly wage 12434.00 (shipped, covers 2025 events).
# pilot-2022: accident 2023-03-01, appraisal 2023-09-01, benefit_base 6000.00 (given),
#   care_base = Shanghai 2022 average 12183.00 (covers 2023 events).
P25 = dict(accident_date="2025-09-03", appraisal_date="2025-12-01", parameters={"benefit_base": "7384.00"})
P22 = dict(accident_date="2023-03-01", appraisal_date="2023-09-01", parameters={"benefit_base": "6000.00"})

DISABILITY_CASES = [
    # (rule set, input, grade, care level, expected items)
    # 27×7384 = 199368; 90%×7384 = 6645.60; 50%×12434 = 6217.00
    ("pilot-2025", P25, 1, "full", [("one_off_disability", "199368.00"), ("disability_allowance", "6645.60"),
                                    ("nursing_care", "6217.00")]),
    # 25×7384 = 184600; 85%×7384 = 6276.40; 40%×12434 = 4973.60
    ("pilot-2025", P25, 2, "most", [("one_off_disability", "184600.00"), ("disability_allowance", "6276.40"),
                                    ("nursing_care", "4973.60")]),
    # 23×7384 = 169832; 80%×7384 = 5907.20; 30%×12434 = 3730.20
    ("pilot-2025", P25, 3, "partial", [("one_off_disability", "169832.00"), ("disability_allowance", "5907.20"),
                                       ("nursing_care", "3730.20")]),
    # 21×7384 = 155064; 75%×7384 = 5538.00
    ("pilot-2025", P25, 4, None, [("one_off_disability", "155064.00"), ("disability_allowance", "5538.00")]),
    # 18×7384 = 132912; 30×7384 = 221520
    ("pilot-2025", P25, 5, None, [("one_off_disability", "132912.00"), ("one_off_grade5_6", "221520.00")]),
    # 16×7384 = 118144; 25×7384 = 184600
    ("pilot-2025", P25, 6, None, [("one_off_disability", "118144.00"), ("one_off_grade5_6", "184600.00")]),
    ("pilot-2025", P25, 7, None, [("one_off_disability", "95992.00")]),   # 13×7384
    ("pilot-2025", P25, 8, None, [("one_off_disability", "81224.00")]),   # 11×7384
    ("pilot-2025", P25, 9, None, [("one_off_disability", "66456.00")]),   # 9×7384
    ("pilot-2025", P25, 10, None, [("one_off_disability", "51688.00")]),  # 7×7384
    # 27×6000 = 162000; 90%×6000 = 5400; 50%×12183 = 6091.50
    ("pilot-2022", P22, 1, "full", [("one_off_disability", "162000.00"), ("disability_allowance", "5400.00"),
                                    ("nursing_care", "6091.50")]),
    # 25×6000 = 150000; 85%×6000 = 5100; 40%×12183 = 4873.20
    ("pilot-2022", P22, 2, "most", [("one_off_disability", "150000.00"), ("disability_allowance", "5100.00"),
                                    ("nursing_care", "4873.20")]),
    # 23×6000 = 138000; 80%×6000 = 4800; 30%×12183 = 3654.90
    ("pilot-2022", P22, 3, "partial", [("one_off_disability", "138000.00"), ("disability_allowance", "4800.00"),
                                       ("nursing_care", "3654.90")]),
    ("pilot-2022", P22, 4, None, [("one_off_disability", "126000.00"), ("disability_allowance", "4500.00")]),
    # 18×6000 = 108000; 30×6000 = 180000 (unconfirmed for pilot-2022)
    ("pilot-2022", P22, 5, None, [("one_off_disability", "108000.00"), ("one_off_grade5_6", "180000.00")]),
    # 16×6000 = 96000; 25×6000 = 150000
    ("pilot-2022", P22, 6, None, [("one_off_disability", "96000.00"), ("one_off_grade5_6", "150000.00")]),
    ("pilot-2022", P22, 7, None, [("one_off_disability", "78000.00")]),   # 13×6000
    ("pilot-2022", P22, 8, None, [("one_off_disability", "66000.00")]),   # 11×6000
    ("pilot-2022", P22, 9, None, [("one_off_disability", "54000.00")]),   # 9×6000
    ("pilot-2022", P22, 10, None, [("one_off_disability", "42000.00")]),  # 7×6000
]


@pytest.mark.parametrize("rule_set,base,grade,care,expected", DISABILITY_CASES)
def test_disability_items(rule_set, base, grade, care, expected):
    out = assess(outcome="disability", disability_grade=grade, care_level=care, **base)
    assert out["rule_set"] == rule_set
    assert amounts(out) == expected
    once = sum(Decimal(i["amount"]) for i in out["items"] if i["period"] == "once")
    monthly = sum(Decimal(i["amount"]) for i in out["items"] if i["period"] == "monthly")
    assert (Decimal(out["once_total"]), Decimal(out["monthly_total"])) == (once, monthly)


MEDICAL = {"medical_expenses": "12345.67", "hospital_days": 10, "out_of_area_travel": "300.5",
           "rehabilitation": "1000", "assistive_devices": "2500.00"}


@pytest.mark.parametrize("accident,rule_set", [("2022-07-01", "pilot-2022"), ("2025-07-01", "pilot-2025")])
def test_medical_items(accident, rule_set):
    out = assess(outcome="injury", accident_date=accident, medical=MEDICAL)
    assert out["rule_set"] == rule_set
    # hospital food: 10 days × 20.00 (shipped, unconfirmed) = 200.00
    assert amounts(out) == [("medical_expenses", "12345.67"), ("hospital_food_allowance", "200.00"),
                            ("out_of_area_travel", "300.50"), ("rehabilitation", "1000.00"),
                            ("assistive_devices", "2500.00")]
    assert out["items"][1]["formula"] == "住院 10 天 × 20.00"
    assert out["once_total"] == "16346.17"  # 12345.67 + 200 + 300.50 + 1000 + 2500
    assert out["monthly_total"] == "0.00"
    assert [p["name"] for p in out["parameters"]] == ["hospital_food_daily"]


DEATH_CASES = [
    # pilot-2025, death 2025-10-01, death_base 4430.40: funeral 6×4430.40 = 26582.40;
    # spouse 40% = 1772.16; child 30% = 1329.12 (70% ≤ 100%, no cap);
    # one-off 20 × 54188 (2024 statistic, covers 2025 deaths) = 1083760.00
    ("pilot-2025", "2025-09-03", "2025-10-01", "4430.40",
     [("funeral_grant", "26582.40"), ("dependant_pension", "1772.16"), ("dependant_pension", "1329.12"),
      ("one_off_death", "1083760.00")]),
    # pilot-2022, death 2023-03-10, death_base 5000.00: funeral 30000.00; spouse 2000.00; child 1500.00;
    # one-off 20 × 49283 (2022 statistic) = 985660.00
    ("pilot-2022", "2023-03-01", "2023-03-10", "5000.00",
     [("funeral_grant", "30000.00"), ("dependant_pension", "2000.00"), ("dependant_pension", "1500.00"),
      ("one_off_death", "985660.00")]),
]


@pytest.mark.parametrize("rule_set,accident,death,base,expected", DEATH_CASES)
def test_death_items(rule_set, accident, death, base, expected):
    out = assess(outcome="death", accident_date=accident, death_date=death, death_cause="injury",
                 dependants=[{"relation": "spouse"}, {"relation": "child"}], parameters={"death_base": base})
    assert out["rule_set"] == rule_set
    assert amounts(out) == expected
    assert [i.get("dependant") for i in out["items"]] == [None, 0, 1, None]
    assert out["items"][0]["formula"] == f"6 × {base}"


def test_every_item_code_is_covered():
    codes = {c for _, _, _, _, exp in DISABILITY_CASES for c, _ in exp}
    codes |= {c for *_, exp in DEATH_CASES for c, _ in exp}
    codes |= set(MEDICAL) | {"hospital_food_allowance"}
    codes -= {"hospital_days"}
    for code in ("pilot-2022", "pilot-2025"):
        assert set(load_ruleset(code).items) == codes


# --- rounding -------------------------------------------------------------------------------


def test_rounding_half_up_once_per_item():
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=4, care_level="partial",
                 parameters={"benefit_base": "1234.55", "care_base": "1234.55"})
    # 21 × 1234.55 = 25925.55; 75% × 1234.55 = 925.9125 → 925.91 (down);
    # 30% × 1234.55 = 370.365 → 370.37 (exactly half a fen → up; banker's rounding would give 370.36)
    assert amounts(out) == [("one_off_disability", "25925.55"), ("disability_allowance", "925.91"),
                            ("nursing_care", "370.37")]
    assert out["monthly_total"] == "1296.28"
    # 90% × 1234.55 = 1111.095 → 1111.10 (half up)
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=1,
                 parameters={"benefit_base": "1234.55"})
    assert amounts(out, "disability_allowance") == [("disability_allowance", "1111.10")]


# --- dependants' cap ------------------------------------------------------------------------


def death(base, dependants, death_date="2025-10-01"):
    return assess(outcome="death", accident_date="2025-09-03", death_date=death_date, death_cause="injury",
                  dependants=dependants, parameters={"death_base": base})


def pensions(out):
    return [(i["dependant"], i["amount"]) for i in out["items"] if i["code"] == "dependant_pension"]


def test_cap_three_dependants():
    out = death("4430.40", [{"relation": "spouse"}, {"relation": "parent", "lone_elder": True}, {"relation": "child"}])
    # 40% + (30%+10%) + 30% = 110% > 100%: scale to 443040 fen × p/110:
    # 40/110 → 161105.45 → 161105 (twice); 30/110 → 120829.09 → 120829; sum 443039,
    # the 1 fen left over goes on the first dependant → 1611.06, 1611.05, 1208.29 = 4430.40
    assert pensions(out) == [(0, "1611.06"), (1, "1611.05"), (2, "1208.29")]
    assert out["monthly_total"] == "4430.40"
    assert "核减" in out["items"][1]["formula"] and "含尾差 0.01" in out["items"][1]["formula"]
    assert out["items"][2]["formula"].startswith("父母 30% + 10%（孤寡老人） × 4430.40")


def test_cap_four_dependants_leftover_up():
    out = death("7000.00", [{"relation": "spouse"}, {"relation": "child"}, {"relation": "child"},
                            {"relation": "grandparent"}])
    # 40+30+30+30 = 130%: 700000 × 40/130 = 215384.62 → 215385; × 30/130 = 161538.46 → 161538 (×3);
    # sum 699999 → +1 fen on the first: 2153.86 + 3 × 1615.38 = 7000.00
    assert pensions(out) == [(0, "2153.86"), (1, "1615.38"), (2, "1615.38"), (3, "1615.38")]
    assert out["monthly_total"] == "7000.00"


def test_cap_four_dependants_leftover_down():
    out = death("5000.00", [{"relation": "spouse"}, {"relation": "parent"}, {"relation": "child"},
                            {"relation": "sibling"}])
    # 130%: 500000 × 40/130 = 153846.15 → 153846; × 30/130 = 115384.62 → 115385 (×3);
    # sum 500001 → −1 fen on the first: 1538.45 + 3 × 1153.85 = 5000.00
    assert pensions(out) == [(0, "1538.45"), (1, "1153.85"), (2, "1153.85"), (3, "1153.85")]
    assert out["monthly_total"] == "5000.00"


def test_cap_applies_by_percentage_even_when_amounts_round_to_zero():
    # 40% + 30% + 40% = 110% > 100%; each share of 1 fen rounds to 0, the 1 fen left over goes on the first
    out = death("0.01", [{"relation": "spouse"}, {"relation": "parent"}, {"relation": "parent", "lone_elder": True}])
    assert pensions(out) == [(0, "0.01")]


def test_lone_elder_extra():
    out = death("4430.40", [{"relation": "spouse"}, {"relation": "parent", "lone_elder": True},
                            {"relation": "child"}])
    # 40% + 40% + 30% = 110% → capped at 4430.40; spouse + lone elder parent alone = 80%: 1772.16 each
    assert sum(Decimal(a) for _, a in pensions(out)) == Decimal("4430.40")
    out = death("4430.40", [{"relation": "spouse"}, {"relation": "parent", "lone_elder": True}])
    assert pensions(out) == [(0, "1772.16"), (1, "1772.16")]
    assert out["items"][2]["formula"] == "父母 30% + 10%（孤寡老人） × 4430.40"


# --- which date picks the figure ------------------------------------------------------------


@pytest.mark.parametrize("death_date,expected", [
    ("2025-01-03", "1083760.00"),  # 2024 statistic 54188 × 20
    ("2024-12-31", "1036420.00"),  # 2023 statistic 51821 × 20
])
def test_death_early_january_uses_previous_year(death_date, expected):
    out = assess(outcome="death", accident_date="2024-12-20", death_date=death_date, death_cause="injury",
                 parameters={"death_base": "4000.00"})
    assert out["rule_set"] == "pilot-2022"  # chosen by the accident date
    assert amounts(out, "one_off_death") == [("one_off_death", expected)]


def test_care_base_follows_appraisal_date():
    # accident 2024-11-01 (pilot-2022), appraised 2025-08-01 → 2024 wage 12434 (from 2025-07-01): 50% = 6217.00
    out = assess(outcome="disability", accident_date="2024-11-01", appraisal_date="2025-08-01",
                 disability_grade=1, care_level="full", parameters={"benefit_base": "7000.00"})
    assert amounts(out, "nursing_care") == [("nursing_care", "6217.00")]
    # appraised 2025-03-01: the 2024 wage is not in force before 1 July → 2023 wage 12307: 50% = 6153.50
    out = assess(outcome="disability", accident_date="2024-11-01", appraisal_date="2025-03-01",
                 disability_grade=1, care_level="full", parameters={"benefit_base": "7000.00"})
    assert amounts(out, "nursing_care") == [("nursing_care", "6153.50")]
    # without appraisal_date the accident date is used → 2023 wage 12307: 50% = 6153.50
    out = assess(outcome="disability", accident_date="2024-11-01", disability_grade=1, care_level="full",
                 parameters={"benefit_base": "7000.00"})
    assert amounts(out, "nursing_care") == [("nursing_care", "6153.50")]


def test_later_death_of_other_cause():
    out = assess(outcome="death", accident_date="2023-05-01", disability_grade=2, death_date="2025-08-01",
                 death_cause="other", dependants=[{"relation": "spouse"}], parameters={"death_base": "5000.00"})
    # funeral 6 × 5000 = 30000.00; spouse 40% = 2000.00; no one-off death grant, no disability items
    assert amounts(out) == [("funeral_grant", "30000.00"), ("dependant_pension", "2000.00")]
    assert [p["name"] for p in out["parameters"]] == ["death_base"]
    assert any("第39条" in w for w in out["warnings"])
    with pytest.raises(FieldError) as e:
        assess(outcome="death", accident_date="2023-05-01", disability_grade=5, death_date="2025-08-01",
               death_cause="other", parameters={"death_base": "5000.00"})
    assert e.value.field == "disability_grade"


# --- missing figures and warnings -----------------------------------------------------------


def test_missing_death_base():
    with pytest.raises(MissingParameter) as e:
        assess(outcome="death", accident_date="2025-09-03", death_date="2025-10-01", death_cause="injury")
    assert e.value.name == "death_base"
    for part in ("死亡待遇计发基数", "2025-10-01", "310000"):
        assert part in e.value.message


def test_missing_benefit_base_names_district_and_appraisal_date():
    with pytest.raises(MissingParameter) as e:
        assess(region="310104", outcome="disability", accident_date="2025-09-03", appraisal_date="2025-11-20",
               disability_grade=9)
    assert "待遇计发基数" in e.value.message and "310104" in e.value.message and "2025-11-20" in e.value.message


def test_injury_only_needs_no_bases():
    out = assess(outcome="injury", accident_date="2025-09-03", medical={"medical_expenses": "800"})
    assert amounts(out) == [("medical_expenses", "800.00")]
    assert out["parameters"] == [] and out["warnings"] == []


def test_district_falls_back_to_shanghai_figures():
    out = assess(region="310115", outcome="injury", accident_date="2025-09-03", medical={"hospital_days": 2})
    assert amounts(out) == [("hospital_food_allowance", "40.00")]


def test_warnings_for_unconfirmed_figures_and_rules():
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=1, care_level="full",
                 parameters={"benefit_base": "7384.00"})
    care = [p for p in out["parameters"] if p["name"] == "care_base"][0]
    assert care["status"] == "unconfirmed" and care["value"] == "12434.00" and "未确认" in care["source"]
    assert any("生活护理费计发基数" in w for w in out["warnings"])
    # 2025 statistic (unconfirmed) for a death in 2026: 56502 × 20 = 1130040.00
    out = assess(outcome="death", accident_date="2025-12-01", death_date="2026-02-01", death_cause="injury",
                 parameters={"death_base": "5000.00"})
    assert amounts(out, "one_off_death") == [("one_off_death", "1130040.00")]
    assert any("全国城镇居民人均可支配收入" in w for w in out["warnings"])
    # pilot-2022 itself is unconfirmed, and so is its grade 5–6 grant
    out = assess(outcome="disability", accident_date="2023-03-01", disability_grade=5,
                 parameters={"benefit_base": "6000.00"})
    assert any("职业伤害保障试点（2022年首批）" in w for w in out["warnings"])
    assert not any("pilot" in w for w in out["warnings"])
    assert any("五级、六级一次性津贴" in w for w in out["warnings"])
    out = assess(outcome="disability", accident_date="2025-09-03", disability_grade=5,
                 parameters={"benefit_base": "6000.00"})
    assert out["warnings"] == []


# --- the cli.md contract ----------------------------------------------------------------------

CLI_INPUT = """{
  "region": "310000",
  "accident_date": "2025-09-03",
  "outcome": "disability",
  "disability_grade": 7,
  "care_level": null,
  "death_date": null,
  "death_cause": null,
  "dependants": [],
  "medical": {"medical_expenses": "0", "hospital_days": 0, "out_of_area_travel": "0",
              "rehabilitation": "0", "assistive_devices": "0"},
  "parameters": {"benefit_base": "7384.00"}
}"""

CLI_OUTPUT = {
    "rule_set": "pilot-2025",
    "items": [
        {"code": "one_off_disability", "name": "一次性伤残补助金", "period": "once",
         "amount": "95992.00", "formula": "13 × 7384.00"}
    ],
    "once_total": "95992.00",
    "monthly_total": "0.00",
    "parameters": [{"name": "benefit_base", "value": "7384.00", "source": "given", "status": "given"}],
    "warnings": []
}


def test_cli_example_exactly():
    out = run_benefits_command(CLI_INPUT, SHIPPED)
    assert out == CLI_OUTPUT
    assert json.dumps(out, ensure_ascii=False) == json.dumps(CLI_OUTPUT, ensure_ascii=False)


def test_json_numbers_are_exact():
    out = run_benefits_command(CLI_INPUT.replace('"7384.00"', "7384.1"), SHIPPED)
    assert out["once_total"] == "95993.30"  # 13 × 7384.10


@pytest.mark.parametrize("patch,field", [
    ({"disability_grade": None}, "disability_grade"),
    ({"disability_grade": 11}, "disability_grade"),
    ({"disability_grade": "7"}, "disability_grade"),
    ({"outcome": "dead"}, "outcome"),
    ({"accident_date": "2025/09/03"}, "accident_date"),
    ({"accident_date": "2022-06-30"}, "accident_date"),
    ({"region": "3100"}, "region"),
    ({"care_level": "some"}, "care_level"),
    ({"parameters": {"benefit_base": "7384.001"}}, "parameters.benefit_base"),
    ({"parameters": {"benefit_base": "-1"}}, "parameters.benefit_base"),
    ({"parameters": {"bonus": "1"}}, "parameters.bonus"),
    ({"medical": {"hospital_days": -1}}, "medical.hospital_days"),
    ({"death_date": "2025-10-01"}, "death_date"),
    ({"dependants": [{"relation": "spouse"}]}, "dependants"),
    ({"outcome": "death", "death_date": None, "death_cause": "injury"}, "death_date"),
    ({"outcome": "death", "death_date": "2025-10-01"}, "death_cause"),
    ({"outcome": "death", "death_date": "2025-08-01", "death_cause": "injury"}, "death_date"),
    ({"outcome": "death", "death_date": "2025-10-01", "death_cause": "injury",
      "dependants": [{"relation": "cousin"}]}, "dependants[0].relation"),
    ({"outcome": "death", "death_date": "2025-10-01", "death_cause": "injury",
      "dependants": [{"relation": "spouse"}, {"relation": "配偶"}]}, "dependants[1].relation"),
    ({"surname": "张"}, "surname"),
])
def test_bad_input_names_the_field(patch, field):
    data = {**json.loads(CLI_INPUT), **patch}
    if data["outcome"] == "death":
        data["disability_grade"] = None
    with pytest.raises(FieldError) as e:
        run_benefits_command(json.dumps(data), SHIPPED)
    assert e.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.detail)


@pytest.mark.parametrize("text", ["{", "[]", '{"region": NaN}'])
def test_bad_json(text):
    with pytest.raises(ClaimsError):
        run_benefits_command(text, SHIPPED)


# --- parameter table and rule sets -------------------------------------------------------------


def row(name, region, frm, to, value, status="confirmed"):
    return ParameterRow(name=name, region=region, valid_from=frm, valid_to=to, value=value, unit="元/月",
                        label="x", source="s", status=status)


def test_lookup_most_specific_region_then_latest_start():
    t = ParameterTable([row("care_base", "000000", "2025-01-01", None, "1.00"),
                        row("care_base", "310000", "2025-01-01", "2025-12-31", "2.00"),
                        row("care_base", "310000", "2025-07-01", None, "3.00"),
                        row("care_base", "310104", "2025-01-01", "2025-03-31", "4.00")])
    assert t.lookup("care_base", "310104", date(2025, 2, 1)).value == Decimal("4.00")
    assert t.lookup("care_base", "310104", date(2025, 5, 1)).value == Decimal("2.00")
    assert t.lookup("care_base", "310104", date(2025, 8, 1)).value == Decimal("3.00")
    assert t.lookup("care_base", "320100", date(2025, 8, 1)).value == Decimal("1.00")
    assert t.lookup("care_base", "320100", date(2024, 8, 1)) is None
    with pytest.raises(MissingParameter, match="生活护理费计发基数"):
        t.require("care_base", "320100", date(2024, 8, 1))


def test_shipped_parameters():
    rows = load_shipped_parameters()
    names = {r.name for r in rows}
    assert names == {"national_urban_income", "care_base", "hospital_food_daily", "minimum_wage", "medical_ceiling"}
    assert SHIPPED.lookup("minimum_wage", "310000", date(2025, 7, 1)).value == Decimal("2740.00")
    assert SHIPPED.lookup("minimum_wage", "310000", date(2025, 6, 30)).value == Decimal("2690.00")
    nui = SHIPPED.require("national_urban_income", "310000", date(2025, 1, 3))
    assert (nui.stat_year, nui.value, nui.status.value) == (2024, Decimal("54188.00"), "confirmed")


def test_ruleset_choice_and_no_floats():
    assert ruleset_for(date(2022, 7, 1)).code == "pilot-2022"
    assert ruleset_for(date(2025, 6, 30)).code == "pilot-2022"
    assert ruleset_for(date(2025, 7, 1)).code == "pilot-2025"
    assert load_ruleset("pilot-2022").status == "unconfirmed"
    assert load_ruleset("pilot-2025").status == "confirmed"
    with pytest.raises(ClaimsError, match="2022-07-01"):
        ruleset_for(date(2022, 6, 30))


# --- properties ------------------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=10**9).map(lambda f: f"{f // 100}.{f % 100:02d}")
base = st.integers(min_value=1, max_value=10**8).map(lambda f: f"{f // 100}.{f % 100:02d}")
# only possible dependants: a lone elder is a parent, grandparent or sibling; an orphan a child,
# grandchild or sibling, and a child is no orphan while the spouse (its other parent) is a dependant
EXTRAS = {"child": (0, 2), "grandchild": (0, 2), "parent": (0, 1), "grandparent": (0, 1), "sibling": (0, 1, 2)}
dependant = st.sampled_from(sorted(EXTRAS)).flatmap(lambda rel: st.sampled_from(EXTRAS[rel]).map(
    lambda extra: {"relation": rel, "lone_elder": extra == 1, "orphan": extra == 2}))
dependants = st.tuples(st.booleans(), st.lists(dependant, max_size=8)).map(
    lambda t: ([{"relation": "spouse"}] + [d for d in t[1] if not (d["relation"] == "child" and d["orphan"])]
               if t[0] else t[1])).filter(bool)


@settings(max_examples=150, deadline=None)
@given(grade=st.integers(1, 10), care=st.sampled_from([None, "full", "most", "partial"]), b=base, c=base,
       med=money, days=st.integers(0, 400), accident=st.sampled_from(["2023-03-01", "2025-09-03"]))
def test_totals_equal_sum_of_items(grade, care, b, c, med, days, accident):
    a = compute(parse_input({"region": "310000", "accident_date": accident, "outcome": "disability",
                             "disability_grade": grade, "care_level": care,
                             "medical": {"medical_expenses": med, "hospital_days": days},
                             "parameters": {"benefit_base": b, "care_base": c}}), SHIPPED)
    assert a.once_total_fen == sum(i.amount_fen for i in a.items if i.period == "once")
    assert a.monthly_total_fen == sum(i.amount_fen for i in a.items if i.period == "monthly")
    assert all(i.amount_fen > 0 for i in a.items)


@settings(max_examples=200, deadline=None)
@given(b=base, deps=dependants)
def test_dependants_never_exceed_death_base(b, deps):
    a = compute(parse_input({"region": "310000", "accident_date": "2025-09-03", "outcome": "death",
                             "death_date": "2025-10-01", "death_cause": "injury", "dependants": deps,
                             "parameters": {"death_base": b}}), SHIPPED)
    base_fen = int(Decimal(b) * 100)
    total = sum(i.amount_fen for i in a.items if i.code == "dependant_pension")
    assert total <= base_fen
    pct = sum((40 if d["relation"] == "spouse" else 30) + (10 if d.get("lone_elder") or d.get("orphan") else 0)
              for d in deps)
    if pct > 100:
        assert total == base_fen


@settings(max_examples=100, deadline=None)
@given(b=base, accident=st.sampled_from(["2023-03-01", "2025-09-03"]))
def test_more_severe_grade_never_gives_less_once(b, accident):
    def once(grade):
        a = compute(parse_input({"region": "310000", "accident_date": accident, "outcome": "disability",
                                 "disability_grade": grade, "parameters": {"benefit_base": b}}), SHIPPED)
        one_off = sum(i.amount_fen for i in a.items if i.code == "one_off_disability")
        return one_off, a.once_total_fen
    results = {g: once(g) for g in range(1, 11)}
    # the one-off disability grant alone is monotone over all grades
    assert all(results[g][0] >= results[g + 1][0] for g in range(1, 10))
    # the sum of once items is monotone within 1–4 and within 5–10; grades 1–4 get a monthly
    # allowance instead of the grade 5–6 grant, so grade 5 (18 + 30 months) exceeds grade 4 (21 months)
    for band in (range(1, 4), range(5, 10)):
        assert all(results[g][1] >= results[g + 1][1] for g in band)
