"""Industries are data: an administrator adds one in 设置 › 行业 (name, code,
per-order amount from a date, its documents) and, with no change to the
program, it is offered in the platform and enrollment forms, accepted by
imports, declared at its amount, counted in the statistics and printed."""
import argparse

import pytest

from claims.enums import Industry
from claims.stats import StatsFilter
from claims.store import Actor
from claims.store.base import _issue
from claims.tabular import read_rows
from ui.app import open_main_window

ADMIN = _issue(Actor("admin", role="admin", display_name="管理员"))  # as the login hands it over


@pytest.fixture
def window(qtbot, demo_db):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t", actor=ADMIN)
    qtbot.addWidget(w)
    w.show()
    yield w
    from claims import industries
    industries.use([])  # the shipped list again, for the tests after this one


def test_an_administrator_adds_an_industry_and_everything_offers_it(window, qtbot, type_into, tmp_path):
    from ui.settings.industries_tab import IndustryDialog
    from ui.workers.dialogs import EnrollDialog, PlatformDialog
    w = window
    w.nav.setCurrentRow(5)
    sec = w.stack.currentWidget()
    tab = sec.industries_tab
    assert tab.add_btn.isEnabled() and tab.model.rowCount() == 4
    dlg = IndustryDialog(tab, w.ctx)
    qtbot.addWidget(dlg)
    type_into(dlg.name, "家政服务")
    type_into(dlg.code, "housekeeping")
    type_into(dlg.amount, "0.05")
    dlg.start.setDate(dlg.start.date().fromString("2025-06-01", "yyyy-MM-dd"))
    dlg.docs.setPlainText("家政服务合同：核实事故发生时是否在提供平台派单的服务")
    type_into(dlg.source, "管理员录入，待核实")
    dlg.try_save()
    assert dlg.result_value is not None, dlg.problems()
    w.apply_change(dlg.result_value[1])
    assert tab.model.rowCount() == 5 and "家政服务" in [tab.model.record(r).name for r in range(5)]
    s = w.ctx.store
    assert Industry("housekeeping").label == "家政服务" and Industry.from_text("家政服务") == "housekeeping"

    # the platform form offers it; a platform registered for it is offered in the enrollment form
    pd = PlatformDialog(None, w.ctx)
    qtbot.addWidget(pd)
    assert "家政服务" in [b.text() for b in pd.industries.boxes]
    plat, _ = s.add_platform(ADMIN, name="好慷在家", industries=["housekeeping"])
    s.add_station(ADMIN, platform_id=plat.id, name="徐汇站", district="310104")

    # an import takes it by name
    f = tmp_path / "w.csv"
    f.write_text("name,id_number,phone,platform,station,industry,enrolled_on\n"
                 "李娜,310104199001011233,13900001111,好慷在家,徐汇站,家政服务,2025-06-02\n", encoding="utf-8")
    rep = s.import_workers(ADMIN, read_rows(f))
    assert rep.new == 1 and not rep.rejected, rep.rows
    worker = s.worker_by_id_number("310104199001011233")
    assert [e.industry.label for e in s.enrollments_of(worker.id)] == ["家政服务"]
    ed = EnrollDialog(None, w.ctx, worker)
    qtbot.addWidget(ed)
    ed.platform.setCurrentIndex(ed.platform.findData(plat.id))
    assert [ed.industry.itemText(i) for i in range(ed.industry.count())] == ["家政服务"]

    # its orders are declared at its own amount
    o = tmp_path / "o.csv"
    o.write_text("order_no,platform,industry,id_number,accepted_at,finished_at,region\n"
                 + "".join(f"HK{i},好慷在家,家政服务,310104199001011233,2025-07-{3 + i:02d}T09:00:00,"
                           f"2025-07-{3 + i:02d}T11:00:00,310000\n" for i in range(3)), encoding="utf-8")
    assert s.import_orders(ADMIN, read_rows(o)).new == 3
    d, _ = s.create_declaration(ADMIN, plat.id, "310000", "2025-07")
    assert [(ln.industry.label, ln.orders_declared, ln.rate_units, ln.amount_fen) for ln in d.lines] == [
        ("家政服务", 3, 500, 15)]

    # the statistics count it under its name
    s.refresh_stats()
    v = s.stats_view("enrollment", StatsFilter("2025-07", "2025-07"))
    assert "活跃·家政服务" in [c.title for c in v.tables[0].columns]
    fees = s.stats_view("fees", StatsFilter("2025-07", "2025-07", industry="housekeeping"))
    assert fees.tables[0].rows[0][2] == 3

    # a case of it asks for its own document, and its receipt says what it is
    import io
    from datetime import datetime, timedelta

    from pypdf import PdfReader

    import forms.render as renderer
    from claims.printing import render_document
    from claims.timeutil import SHANGHAI
    acc = datetime(2025, 7, 4, 10, 0, tzinfo=SHANGHAI)
    case, _ = s.report_case(ADMIN, worker_id=worker.id, platform_id=plat.id, industry="housekeeping",
                            accident_at=acc, reported_at=acc + timedelta(hours=3), description="擦窗时从梯子上跌落",
                            allow_duplicate=True)
    assert "家政服务合同" in [r.label for r in s.checklist(case.id)]
    pdf = render_document(s, renderer, "report_receipt", case.number, ADMIN).pdf
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "家政服务" in text and "家政服务合同" in text


def test_only_an_administrator_adds_industries(qtbot, demo_db):
    w = open_main_window(argparse.Namespace(db=str(demo_db), demo=False), "t",
                         actor=_issue(Actor("agent", role="insurer_agent", display_name="李经办")))
    qtbot.addWidget(w)
    w.nav.setCurrentRow(5)
    tab = w.stack.currentWidget().industries_tab
    assert not tab.add_btn.isEnabled() and "管理员" in tab.add_btn.toolTip()
    with pytest.raises(Exception, match="无权"):
        w.ctx.store.add_industry(w.ctx.actor, code="housekeeping", name="家政服务", per_order="0.05",
                                 amount_from="2027-01-01", source="x")
