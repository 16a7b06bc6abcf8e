"""The benefit screen of a relapse (复发) case offers only the medical items and
says why; what a clerk types there is assessed and saved. ZBT_SHOTS=/dir saves
a screenshot."""
from __future__ import annotations

import argparse
import json
import os

from claims.store import Actor
from claims.store.base import _issue
from tests.claims.test_relapse_medical import relapse_case
from ui.app import open_main_window
from ui.cases.assessment import AssessmentDialog

AGENT = _issue(Actor("agent1", role="insurer_agent", display_name="李经办"))


def test_the_assessment_of_a_relapse_offers_only_medical_items(qtbot, store, type_into):
    r = relapse_case(store)
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "test", store=store, actor=AGENT)
    qtbot.addWidget(win)
    dlg = AssessmentDialog(win, win.ctx, r.id)
    qtbot.addWidget(dlg)
    dlg.resize(1366, 740)
    dlg.show()
    assert [dlg.outcome.itemText(i) for i in range(dlg.outcome.count())] == ["复发（仅医疗待遇）"]
    assert not dlg.outcome.isEnabled()
    for key in ("grade", "care", "appraisal_date", "death", "dependants"):
        assert not dlg.fields[key].visible, key
    assert set(dlg.money) == {"medical_expenses", "out_of_area_travel", "rehabilitation", "assistive_devices"}
    why = dlg.source_hint.text()
    assert "复发" in why and "只核定医疗待遇" in why and "一次性待遇和伤残、死亡的按月待遇在原案件中核定" in why
    type_into(dlg.money["medical_expenses"], "2500.00")
    dlg.days.setValue(3)
    rows = [dlg.items.item(i, 0).text() for i in range(dlg.items.rowCount())]
    assert rows and set(rows) <= {"医疗费", "住院伙食补助费", "统筹地区以外就医交通食宿费", "康复费", "辅助器具费"}
    if os.environ.get("ZBT_SHOTS"):
        dlg.grab().save(os.path.join(os.environ["ZBT_SHOTS"], "assessment_relapse.png"))
    dlg.try_save()
    saved = store.assessments_of(r.id)
    assert len(saved) == 1
    codes = [i["code"] for i in json.loads(saved[0].result_json)["items"]]
    assert "medical_expenses" in codes and not {"one_off_disability", "funeral_grant"} & set(codes)
