"""Exports cannot attack their reader (OWASP CSV injection): a value that
begins like a formula opens as text — in CSV with a leading single quote, in
XLSX as a string cell with its value unchanged — in every file the program
writes: the worker export, the statistics workbook, the reconciliation."""
import csv
import random
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from claims import reconcile
from claims.demo import id_number
from claims.export import export_workers
from claims.sheets import CsvWriter, csv_cell
from claims.stats.shapes import Col, Table
from claims.stats.xlsx import write_xlsx
from claims.store import Actor, WorkerFilter

ADMIN = Actor("admin", role="admin")
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\",\"点我\")"]


def test_csv_cells_that_begin_like_a_formula_get_a_quote():
    assert [csv_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert [csv_cell(v) for v in ("\tx", "\rx", "张三", "3101", 12, -3, None)] == [
        "'\tx", "'\rx", "张三", "3101", 12, -3, None]


@pytest.fixture
def people(store):
    rng = random.Random(3)
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    rows = [(i + 2, {"name": name, "id_number": id_number(rng), "phone": f"1390000{i:04d}", "platform": "美团",
                     "industry": "food_delivery", "enrolled_on": "2025-01-01", "address": "@上海"})
            for i, name in enumerate(FORMULAS[:4] + ["张三"])]
    rep = store.import_workers(ADMIN, rows)
    assert rep.new == 5, rep.rejected
    return rows


def test_worker_export_csv_prefixes_formula_like_cells(store, people, tmp_path):
    export_workers(store, WorkerFilter(), tmp_path / "w.csv", "csv", mask=False, actor=ADMIN)
    rows = list(csv.reader((tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines()))
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted(["'" + v for v in FORMULAS[:4]] + ["张三"])
    assert {r[7] for r in rows[1:]} == {"'@上海"}
    assert all(r[1].isdigit() or r[1][:-1].isdigit() for r in rows[1:])  # whole ID numbers, no quote


def test_worker_export_xlsx_stores_formula_like_names_as_text(store, people, tmp_path):
    export_workers(store, WorkerFilter(), tmp_path / "w.xlsx", "xlsx", mask=False, actor=ADMIN)
    ws = load_workbook(tmp_path / "w.xlsx").active
    cells = {c.value: c for c in ws["A"][1:]}
    assert sorted(cells) == sorted(FORMULAS[:4] + ["张三"])
    assert all(c.data_type == "s" for c in cells.values())
    ids = [c for c in ws["B"][1:]]
    assert all(c.data_type == "s" and len(c.value) == 18 for c in ids)  # ID numbers typed as text
    assert all(c.data_type == "s" for c in ws["E"][1:])                 # phones too
    with (tmp_path / "w.xlsx").open("rb") as fh:
        import zipfile
        sheet = zipfile.ZipFile(fh).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<v>1+1</v>" not in sheet


def test_statistics_workbook_writes_names_as_text(tmp_path):
    t = Table(key="k", title="各平台", columns=[Col(title="平台"), Col(title="单量", kind="int")],
              rows=[["=1+1", 3], ["@平台", 4]], total=["合计", 7], note="-注")
    write_xlsx(tmp_path / "s.xlsx", [t], title="=标题")
    ws = load_workbook(tmp_path / "s.xlsx")["各平台"]
    values = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert values["=标题"] == values["=1+1"] == values["@平台"] == values["-注"] == "s"
    assert values[3] == "n"


def test_reconciliation_workbook_writes_platform_names_as_text(tmp_path):
    row = reconcile.ReconRow(platform_id="p", platform="=1+1", region="310000", month="2025-07",
                             declaration_id=None, declaration_number="", status="undeclared", declared=0,
                             recorded=3, due_fen=0, recorded_due_fen=21, paid_fen=0)
    path = reconcile.export_xlsx([row, replace(row, platform="+cmd|' /C calc'!A0")], tmp_path / "r.xlsx",
                                 title="=标题")
    ws = load_workbook(path)["对账汇总"]
    assert (ws["A1"].value, ws["A1"].data_type) == ("=标题", "s")
    assert [(ws.cell(r, 1).value, ws.cell(r, 1).data_type) for r in (3, 4)] == [
        ("=1+1", "s"), ("+cmd|' /C calc'!A0", "s")]
    assert ws.cell(3, 2).data_type == "s" and ws.cell(3, 6).data_type == "n"


def test_csv_writer_quotes_and_prefixes(tmp_path):
    with (tmp_path / "x.csv").open("w", encoding="utf-8", newline="") as fh:
        CsvWriter(fh).writerows([["=1+1", "a,b", 5]])
    assert (tmp_path / "x.csv").read_bytes().decode() == "'=1+1,\"a,b\",5\r\n"
