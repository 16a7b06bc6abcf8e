"""政策测算 in 统计: a scenario made from the rules in force, saved, run beside
the actual figures, compared with another, exported and printed; station
managers may look but not run it."""
import argparse
import io

import pytest

from claims.store import Actor
from claims.store.base import _issue
from ui.app import open_main_window

STATS = 4


def _section(qtbot, demo_db, actor=None):
    actor = actor or _issue(Actor("admin", role="admin", display_name="系统管理员"))  # as the login hands it over
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=actor)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    w.nav.setCurrentRow(STATS)
    sec = w.stack.currentWidget()
    qtbot.waitUntil(lambda: sec.tabs is not None)
    sec.tabs.setCurrentWidget(sec.whatif)
    return w, sec, sec.whatif


def test_a_scenario_from_the_rules_in_force_runs_beside_the_actual_figures(qtbot, demo_db, tmp_path, monkeypatch):
    from ui.stats.scenario_dialog import ScenarioDialog
    w, sec, tab = _section(qtbot, demo_db)
    assert not sec.filters.isVisible() and not sec.report_btn.isVisible()  # its own period, not the views' filters
    d = ScenarioDialog(tab, w.ctx.store)
    qtbot.addWidget(d)
    rows = [d._fee_values(i) for i in range(d.fees.rowCount())]
    assert ("ride_hailing", "2025-07", "", "", "0.01") in rows  # the amounts in force, copied
    assert d.body() == {"name": ""}  # nothing changed: nothing in the scenario
    d.name.setText("出行每单 0.02 元")
    ride = next(i for i, r in enumerate(rows) if r[0] == "ride_hailing")
    d.fees.cellWidget(ride, 4).setText("0.02")
    d.rule_boxes[("one_off_disability", "months_by_grade", 7)].setValue(15)
    assert d.body() == {"name": "出行每单 0.02 元",
                        "fee_per_order": [{"industry": "ride_hailing", "from": "2025-07", "amount": "0.02"}],
                        "item_rules": {"one_off_disability": {"months_by_grade": {"7": 15}}}}
    monkeypatch.setattr(ScenarioDialog, "ask", classmethod(lambda cls, *a, **k: d.body()))
    tab.new()  # saved and run
    assert tab.scenario.currentText() == "出行每单 0.02 元"
    assert tab.shown is not None and "应缴（测算）" in tab.summary.text()
    month = tab.view.table_views[0].model()
    assert month.rowCount() > 1 and "出行" in [month.data(month.index(r, 1)) for r in range(month.rowCount())]
    assert [tab.view.tables.tabText(i) for i in range(tab.view.tables.count())] == [
        "按月、按行业", "基金月度收支", "支缴率（按行业）", "按平台、行业", "案件（期内有支付）", "方案内容",
        "明细（按月、平台、行业）"]

    tab.scenario.setCurrentIndex(0)  # the rules in force
    tab.compare("出行每单 0.02 元")
    assert isinstance(tab.shown, tuple) and tab.view.view.key == "compare"

    from openpyxl import load_workbook
    out = tab.export(str(tmp_path / "w.xlsx"))
    assert "要点：甲与乙" in load_workbook(out).sheetnames

    tab.scenario.setCurrentIndex(tab.scenario.findData("出行每单 0.02 元"))
    tab.run()
    pdf = tab.print_report(str(tmp_path / "r.pdf"))
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "政策测算报告" in text and "出行每单 0.02 元" in text and "测算摘要码" in text
    assert "ride_hailing" not in text  # no codes on paper


def test_a_station_manager_cannot_run_it(qtbot, demo_db):
    from claims.store import Store
    s = Store(demo_db, "T")
    user = next(u for u in s.users() if u.role.value == "station_manager")
    sm = s._actor_for(user)
    s.close()
    _w, _sec, tab = _section(qtbot, demo_db, sm)
    assert not tab.run_btn.isEnabled() and not tab.new_btn.isEnabled()
    assert "承办机构" in tab.run_btn.toolTip()


@pytest.mark.parametrize("text,words", [("fee_per_order[1].amount", "每单金额第 2 行 · 每单金额"),
                                        ("parameters.benefit_base", "参数 · 待遇计发基数")])
def test_scenario_errors_name_the_field_in_chinese(text, words):
    from ui.stats.scenario_dialog import key_words
    assert key_words(text) == words
