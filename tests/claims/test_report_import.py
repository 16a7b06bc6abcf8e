"""``import-reports FILE [--dry-run]`` (cli.md "Accident report format"): each
new report a case in 报案 with its clock from the report time, the same checks
as a clerk's report, a row-by-row report, a dry run that writes nothing, and
the same report (platform + report_no) stored once however often it comes."""
from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from claims import cli
from claims.enums import CaseState as S
from claims.store import Actor, Store
from claims.timeutil import SHANGHAI

ADMIN = Actor("admin1", role="admin")
COLUMNS = ["report_no", "platform", "industry", "id_number", "accident_at", "place", "account", "body_parts",
           "order_no", "outcome", "reporter_name", "reporter_relation", "reporter_phone", "reported_at"]
ZHANG, LI = "11010519491231002X", "310104199001011233"


def row(no, **kw):
    base = {"report_no": no, "platform": "美团", "industry": "即时配送", "id_number": ZHANG,
            "accident_at": "2026-09-02T10:20:00", "place": "徐汇区漕溪北路", "account": "送餐途中被电动车撞倒",
            "body_parts": "左腿;右臂", "order_no": "", "outcome": "", "reporter_name": "", "reporter_relation": "",
            "reporter_phone": "", "reported_at": "2026-09-02T15:00:00"}
    return {**base, **kw}


ROWS = [
    row("MT-001"),                                                                       # 2: new
    row("MT-002", id_number=LI, industry="food_delivery", accident_at="2026-09-03T08:00:00",
        reported_at="2026-09-03T09:00:00+08:00", outcome="death", reporter_name="李母", reporter_relation="母亲",
        reporter_phone="13900001111"),                                                   # 3: new, 外卖 -> 即时配送
    row("MT-001"),                                                                       # 4: the same report again
    row("MT-003", id_number="11010519491231010X"),                                       # 5: not registered
    row("MT-004", platform="不存在平台"),                                                 # 6: unknown platform
    row("MT-005", accident_at="2026-09-05T10:00:00", reported_at="2026-09-04T10:00:00"),  # 7: accident after report
    row("MT-006", reported_at="2099-01-01T10:00:00"),                                     # 8: in the future
    row("MT-007", place=""),                                                              # 9: place missing
    row("MT-008", accident_at="2026-09-02T11:00:00", reported_at="2026-09-02T16:00:00"),  # 10: same accident as 2
    row("MT-009", outcome="injured"),                                                     # 11: bad outcome
]


def write(path, rows, columns=COLUMNS):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "r.db"
    s = Store(path, "TEST", create=True)
    p, _ = s.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    st, _ = s.add_station(ADMIN, platform_id=p.id, name="徐汇站")
    for name, idn in (("张伟", ZHANG), ("李强", LI)):
        w, _ = s.add_worker(ADMIN, {"name": name, "id_number": idn, "phone": "13812345678"})
        s.enroll(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", start_on="2026-01-01",
                 station_id=st.id)
    s.close()
    return path


def run(capsys, *args):
    code = cli.run(cli.build_parser("t").parse_args(list(args)), None)
    out = capsys.readouterr()
    return code, out.out, out.err


def cases(db):
    s = Store(db, "TEST")
    try:
        return s.search_cases(limit=100)
    finally:
        s.close()


def test_a_dry_run_reports_every_row_and_writes_nothing(db, tmp_path, capsys):
    f = write(tmp_path / "报案.csv", ROWS)
    code, out, err = run(capsys, "import-reports", str(f), "--dry-run", "--verbose", "--db", str(db))
    assert code == 0
    lines = {int(x.split("\t")[0]): x.split("\t", 2)[1:] for x in out.splitlines() if x[:1].isdigit()}
    assert lines[2][0] == "new" and lines[3][0] == "new" and "即时配送" in lines[3][1]
    assert lines[4] == ["unchanged", lines[4][1]] and "已导入" in lines[4][1]
    expect = {5: "未登记的人员", 6: "未登记的平台", 7: "晚于报案时间", 8: "晚于现在", 9: "事故地点", 10: "可能重复报案",
              11: "结果"}
    for line, words in expect.items():
        assert lines[line][0] == "rejected" and words in lines[line][1], (line, lines[line])
        assert lines[line][1].startswith(f"第 {line} 行")
    assert "（试运行，未写入）共 10 行：新增 2，更新 0，未变 1，拒绝 7" in err
    assert cases(db) == []


def test_reports_become_cases_in_reported_with_the_clock_from_the_report_time(db, tmp_path, capsys):
    f = write(tmp_path / "报案.csv", ROWS)
    code, out, err = run(capsys, "import-reports", str(f), "--db", str(db))
    assert code == 0 and "新增 2" in err
    got = {c.report_no: c for c in cases(db)}
    assert set(got) == {"MT-001", "MT-002"}
    a, b = got["MT-001"], got["MT-002"]
    assert a.state == S.reported and a.channel == "platform" and a.reporter_name == "美团"
    assert a.reported_at == datetime(2026, 9, 2, 15, tzinfo=SHANGHAI) and a.body_parts == "左腿、右臂"
    # 30 days from 2026-09-02 end on Friday 2026-10-02, in the National Day holiday: Thursday 2026-10-08
    assert a.due_on == date(2026, 10, 8)
    assert b.industry.value == "instant_delivery" and b.case_type == "death" and b.reporter_name == "李母"
    s = Store(db, "TEST")
    note = s.case_events(b.id)[0].note
    assert "外卖自 2025-07-01 起并入即时配送" in note and "13900001111" in note
    assert a.station_id is not None
    s.close()
    # replayed: stored once, reported as already imported
    code, out, err = run(capsys, "import-reports", str(f), "--db", str(db))
    assert code == 0 and "新增 0" in err and "未变 3" in err
    assert len(cases(db)) == 2


def test_bad_files_are_refused_with_exit_2(db, tmp_path, capsys):
    code, _out, err = run(capsys, "import-reports", str(tmp_path / "nope.csv"), "--db", str(db))
    assert code == 2 and "找不到文件" in err
    f = write(tmp_path / "缺列.csv", [row("X")], [c for c in COLUMNS if c != "reported_at"])
    code, _out, err = run(capsys, "import-reports", str(f), "--db", str(db))
    assert code == 2 and "缺少必填列：报案时间" in err
    assert cases(db) == []


def test_xlsx_works_too(db, tmp_path, capsys):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    r = row("MT-X1")
    ws.append([r[c] for c in COLUMNS])
    path = tmp_path / "报案.xlsx"
    wb.save(path)
    code, _out, err = run(capsys, "import-reports", str(path), "--db", str(db))
    assert code == 0 and "新增 1" in err
