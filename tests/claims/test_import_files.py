"""Import files that are not what they should be: each malformed kind is
refused as a whole (exit 2 from the command line, one Chinese message,
nothing written), or, where only a value is wrong, the row is rejected naming
the row and the field. XLSX sheets are read to their real last row."""
import csv
import io
import re
import time
import tracemalloc
import zipfile
from datetime import timedelta

import pytest

from claims.cli import build_parser, run
from claims.store import Actor, Store
from claims.tabular import FileRefused, read_rows
from claims.timeutil import today
from claims.validators import id_check_char

ADMIN = Actor("test:admin", role="admin")
WORKER_HEADER = ["name", "id_number", "phone", "platform", "station", "industry", "enrolled_on", "bank_card",
                 "address"]
ORDER_HEADER = ["order_no", "platform", "industry", "id_number", "accepted_at", "finished_at", "region"]
TABLES = ("workers", "enrollments", "stations", "orders", "daily_counts", "import_runs", "audit_log")


def idn(seq: int) -> str:
    first17 = f"31010419900101{seq:03d}"
    return first17 + id_check_char(first17)


def worker_row(i: int, **over) -> list[str]:
    row = dict(zip(WORKER_HEADER, ["张" + "伟芳娜敏静强磊军洋勇"[i % 10] + "甲乙丙丁戊己庚辛壬癸"[i // 10 % 10], idn(i), f"138{i:08d}", "美团", "徐汇站",
                                   "外卖", "2025-03-01", "", "上海市徐汇区"]))
    row.update(over)
    return list(row.values())


def order_row(i: int, **over) -> list[str]:
    row = dict(zip(ORDER_HEADER, [f"M{i:05d}", "美团", "food_delivery", idn(1), "2025-07-03T08:15:00",
                                  "2025-07-03T08:40:00", "310000"]))
    row.update(over)
    return list(row.values())


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.db"
    s = Store(path, "TEST", create=True)
    s.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    s.add_worker(ADMIN, {"name": "王强", "id_number": idn(1), "phone": "13812345671"})
    s.close()
    return path


def counts(path) -> dict[str, int]:
    s = Store(path, "TEST")
    try:
        return {t: s.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        s.close()


def cli(*args) -> int:
    return run(build_parser("test").parse_args([str(a) for a in args]), renderer=None)


def write_csv(path, rows, header=WORKER_HEADER, text=None):
    if text is None:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        text = buf.getvalue()
    path.write_text(text, encoding="utf-8", newline="")  # the csv module's own line ends, on Windows too
    return path


def write_xlsx(path, rows, header=WORKER_HEADER):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def replace_member(path, name: str, data: bytes) -> None:
    """Rewrite one part of a zip (an XLSX) with other content."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in parts:
            z.writestr(info.filename, data if info.filename == name else content)


# -- whole-file problems: exit 2, one message, nothing written ------------------------------------
def refused(db, capsys, command, path, *expected):
    before = counts(db)
    assert cli(command, path, "--db", db) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and path.name in err, err
    for text in expected:
        assert text in err, err
    assert counts(db) == before
    return err


def test_unterminated_quote_refuses_the_whole_file(db, tmp_path, capsys):
    good = "\n".join(",".join(worker_row(i)) for i in range(2, 40))
    text = ",".join(WORKER_HEADER) + "\n" + good + '\n"张伟,' + ",".join(worker_row(50)[1:]) + "\n"
    refused(db, capsys, "import-workers", write_csv(tmp_path / "q.csv", None, text=text), "引号", "整个文件未导入")


def test_malformed_quoting_refuses_the_whole_file(db, tmp_path, capsys):
    text = ",".join(WORKER_HEADER) + "\n" + '"张伟"x,' + ",".join(worker_row(2)[1:]) + "\n"
    refused(db, capsys, "import-workers", write_csv(tmp_path / "q.csv", None, text=text), "第 2 行", "引号")


@pytest.mark.parametrize("size", [40_000, 200_000])
def test_field_over_the_size_limit_refuses_the_whole_file(db, tmp_path, capsys, size):
    rows = [worker_row(i) for i in range(2, 20)] + [worker_row(30, address="长" * size)]
    refused(db, capsys, "import-workers", write_csv(tmp_path / "big.csv", rows), "过长" if size > 131072 else "上限")


def test_duplicated_column_refuses_the_whole_file(db, tmp_path, capsys):
    header = WORKER_HEADER + ["phone"]
    rows = [worker_row(i) + ["13900000000"] for i in range(2, 5)]
    refused(db, capsys, "import-workers", write_csv(tmp_path / "dup.csv", rows, header), "“phone”出现了两次",
            "第 3 列和第 10 列")


def test_missing_required_column_refuses_the_whole_file(db, tmp_path, capsys):
    header = [h for h in WORKER_HEADER if h != "phone"]
    rows = [[v for h, v in zip(WORKER_HEADER, worker_row(i)) if h != "phone"] for i in range(2, 5)]
    refused(db, capsys, "import-workers", write_csv(tmp_path / "miss.csv", rows, header), "缺少必填列",
            "手机号码（phone）")
    order_header = [h for h in ORDER_HEADER if h != "region"]
    refused(db, capsys, "import-orders", write_csv(tmp_path / "o.csv", [], order_header), "地区代码（region）")


def test_no_data_rows_refuses_the_file(db, tmp_path, capsys):
    refused(db, capsys, "import-workers", write_csv(tmp_path / "head.csv", []), "没有数据行")
    refused(db, capsys, "import-orders", write_csv(tmp_path / "blank.csv", None, text=",".join(ORDER_HEADER)
                                                   + "\n,,,\n\n"), "没有数据行")
    refused(db, capsys, "import-workers", write_csv(tmp_path / "empty.csv", None, text=""), "是空的")
    refused(db, capsys, "import-workers", write_xlsx(tmp_path / "head.xlsx", []), "没有数据行")


def test_a_row_wider_than_the_header_refuses_the_file(db, tmp_path, capsys):
    rows = [worker_row(2), worker_row(3)[:8] + ["上海市", "徐汇区"]]  # an unquoted comma in the address
    refused(db, capsys, "import-workers", write_csv(tmp_path / "wide.csv", rows), "第 3 行", "未加引号的逗号")


def test_random_bytes_named_xlsx_are_refused(db, tmp_path, capsys):
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 400)
    refused(db, capsys, "import-workers", path, "不是有效的 XLSX 工作簿")
    path.write_text("name,id_number\n张三,1\n", encoding="utf-8")  # a CSV renamed .xlsx
    refused(db, capsys, "import-orders", path, "不是有效的 XLSX 工作簿")
    with zipfile.ZipFile(path, "w") as z:  # a zip, but no workbook
        z.writestr("readme.txt", "hello")
    refused(db, capsys, "import-workers", path, "缺少工作簿内容")
    write_xlsx(path, [worker_row(2)])
    replace_member(path, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")  # truncated sheet
    refused(db, capsys, "import-workers", path, "不是有效的 XLSX 工作簿")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_zip_bomb_is_refused_before_unpacking(db, tmp_path, capsys, part):
    path = write_xlsx(tmp_path / "bomb.xlsx", [worker_row(2)])
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts:
            if name != part:
                z.writestr(name, content)
        with z.open(part, "w", force_zip64=True) as fh:  # 512 MB of blanks in ~0.5 MB
            chunk = b" " * (1 << 20)
            for _ in range(512):
                fh.write(chunk)
    assert path.stat().st_size < 2 << 20
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        refused(db, capsys, "import-workers", path, "压缩炸弹")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - t0 < 10 and peak < 64 << 20


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                    b'</sheetData></worksheet>')


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_expansion_is_refused(db, tmp_path, capsys, part):
    import openpyxl
    assert openpyxl.DEFUSEDXML  # defusedxml is installed, so openpyxl parses through it
    path = write_xlsx(tmp_path / "lol.xlsx", [worker_row(2)])
    replace_member(path, part, BILLION_LAUGHS)
    tracemalloc.start()
    try:
        refused(db, capsys, "import-workers", path, "XML 实体")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20


def test_the_dialog_and_the_reader_refuse_alike(tmp_path):
    path = write_csv(tmp_path / "dup.csv", [worker_row(2)], WORKER_HEADER[:3] + ["name"] + WORKER_HEADER[4:])
    with pytest.raises(FileRefused, match="“name”出现了两次"):
        list(read_rows(path))
    from claims.tabular import header_of
    with pytest.raises(FileRefused):
        header_of(path)


# -- XLSX read to the real last row ---------------------------------------------------------------
def test_xlsx_with_a_wrong_dimension_is_read_to_its_last_row(db, tmp_path, capsys):
    rows = [worker_row(i) for i in range(2, 52)]
    path = write_xlsx(tmp_path / "dim.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<dimension ref="A1:I51"\s*/>', sheet)
    replace_member(path, "xl/worksheets/sheet1.xml", sheet.replace('ref="A1:I51"', 'ref="A1:C2"').encode())
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    assert len(list(wb.worksheets[0].iter_rows())) == 2  # what openpyxl alone reads: the dimension
    wb.close()
    read = list(read_rows(path))
    assert len(read) == 50 and read[-1][0] == 51 and read[-1][1]["address"] == "上海市徐汇区"
    assert cli("import-workers", path, "--db", db) == 0
    assert "新增 50" in capsys.readouterr().err
    assert counts(db)["workers"] == 51


# -- values checked for what they are: the row is rejected, naming the row and the field -----------
def import_workers(db, tmp_path, rows):
    s = Store(db, "TEST")
    try:
        return s.import_workers(ADMIN, read_rows(write_csv(tmp_path / "w.csv", rows))), s.count_workers()
    finally:
        s.close()


def import_orders(db, tmp_path, rows):
    s = Store(db, "TEST")
    try:
        return s.import_orders(ADMIN, read_rows(write_csv(tmp_path / "o.csv", rows, ORDER_HEADER)))
    finally:
        s.close()


@pytest.mark.parametrize("name, why", [
    ("张\x00伟", "姓名：含有不可见的控制字符（U+0000）"),
    ("张\x1b[2J伟", "姓名：含有不可见的控制字符（U+001B）"),
    ("李\u202e娜", "姓名：含有不可见的控制字符（U+202E）"),
    ("<script>alert(1)</script>", "姓名：含有网页标记“<script>”"),
    ("<img src=x onerror=alert(1)>", "姓名：含有网页标记"),
    ("张" * 31, "姓名：过长（31 个字，最多 30 个字）"),
])
def test_control_characters_markup_and_absurd_lengths_in_a_name_reject_the_row(db, tmp_path, name, why):
    rep, n = import_workers(db, tmp_path, [worker_row(2), worker_row(3, name=name), worker_row(4)])
    assert rep.new == 2 and [line for line, _m in rep.rejected] == [3] and n == 3
    assert rep.rejected[0][1].startswith(f"第 3 行：{why}"), rep.rejected


def test_markup_in_an_address_or_station_rejects_the_row(db, tmp_path):
    rep, _n = import_workers(db, tmp_path, [worker_row(2, address="<b>上海</b>"), worker_row(3, station="站\x07点"),
                                            worker_row(4, address="浦东<20号>")])
    assert [m for _l, m in rep.rejected] == ["第 2 行：住址：含有网页标记“<b>”，不像是住址",
                                             "第 3 行：站点：含有不可见的控制字符（U+0007），请删除后重新输入"]
    assert rep.new == 1  # "<20号>" is no tag


def test_region_codes_come_from_the_list_of_real_codes(db, tmp_path):
    rep = import_orders(db, tmp_path, [order_row(1), order_row(2, region="310199"), order_row(3, region="990000"),
                                       order_row(4, region="31000A"), order_row(5, region="310115"),
                                       order_row(6, region="420000")])
    assert rep.new == 3
    msgs = dict(rep.rejected)
    assert msgs[3] == "第 3 行：地区代码：310199 不是有效的行政区划代码（按 2023-06-30 的区划代码表）"
    assert msgs[4].startswith("第 4 行：地区代码：990000 不是有效的")
    assert msgs[5].startswith("第 5 行：地区代码：“31000A”应为六位数字")


def test_dates_before_the_pilot_are_rejected(db, tmp_path):
    rep, _n = import_workers(db, tmp_path, [worker_row(2, enrolled_on="2022-06-30"),
                                            worker_row(3, enrolled_on="2022-07-01")])
    assert rep.rejected == [(2, "第 2 行：参保日期：2022-06-30 早于试点开始日 2022-07-01")] and rep.new == 1
    rep = import_orders(db, tmp_path, [order_row(1, accepted_at="2022-06-30T23:59:00", finished_at=""),
                                       order_row(2, accepted_at="2022-07-01T00:00:00", finished_at="")])
    assert rep.rejected == [(2, "第 2 行：接单时间：2022-06-30T23:59:00 早于试点开始日 2022-07-01")] and rep.new == 1


def test_future_dates_in_china_time_are_rejected(db, tmp_path):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    rep, _n = import_workers(db, tmp_path, [worker_row(2, enrolled_on=tomorrow), worker_row(3)])
    assert rep.rejected == [(2, f"第 2 行：参保日期：{tomorrow} 晚于今天（{today().isoformat()}）")]
    rep = import_orders(db, tmp_path, [order_row(1, accepted_at=f"{tomorrow}T08:00:00", finished_at=""),
                                       order_row(2, finished_at=f"{tomorrow}T08:00:00"), order_row(3)])
    assert [line for line, _m in rep.rejected] == [2, 3] and rep.new == 1
    msgs = dict(rep.rejected)
    assert msgs[2].startswith(f"第 2 行：接单时间：{tomorrow}T08:00:00 晚于现在")
    assert msgs[3].startswith(f"第 3 行：完成时间：{tomorrow}T08:00:00 晚于现在")
    s = Store(db, "TEST")
    try:
        path = write_csv(tmp_path / "d.csv", [["美团", "外卖", idn(1), tomorrow, "3", "310000"]],
                         ["platform", "industry", "id_number", "day", "orders", "region"])
        rep = s.import_daily_counts(ADMIN, read_rows(path))
    finally:
        s.close()
    assert rep.rejected[0][1].startswith(f"第 2 行：日期：{tomorrow} 晚于今天")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_full_width_digits_and_letters_are_normalised_in_every_import(db, tmp_path):
    first17 = "11010119850307123"
    number = first17 + id_check_char(first17)
    x_first17 = next(f"1101011985030{i:04d}" for i in range(1000, 9999)
                     if id_check_char(f"1101011985030{i:04d}") == "X")
    rows = [worker_row(2, id_number=fullwidth(number), phone=fullwidth("13900001111"),
                       enrolled_on=fullwidth("2025-03-01").replace("-", "－")),
            worker_row(3, name="李娜", id_number=fullwidth(x_first17) + "Ｘ", station=fullwidth("徐汇站")),
            worker_row(4, name="李娜", id_number=x_first17 + "ｘ", phone="13800000003")]
    rep, _n = import_workers(db, tmp_path, rows)
    assert rep.new == 2 and rep.unchanged == 1 and not rep.rejected, rep.rejected
    s = Store(db, "TEST")
    try:
        w = s.worker_by_id_number(number)
        assert (w.phone, s.enrollments_of(w.id)[0].start_on.isoformat()) == ("13900001111", "2025-03-01")
        assert s.worker_by_id_number(x_first17 + "X") is not None
        assert [st.name for st in s.stations()] == ["徐汇站"]
    finally:
        s.close()
    rep = import_orders(db, tmp_path, [order_row(1, order_no="ＭＴ００１", id_number=fullwidth(idn(1)),
                                                 accepted_at=fullwidth("2025-07-03T08:15:00"),
                                                 finished_at="", region=fullwidth("310000"))])
    assert rep.new == 1 and not rep.rejected
    s = Store(db, "TEST")
    try:
        stored = s.conn.execute("SELECT order_no, accepted_at, region FROM orders").fetchone()
    finally:
        s.close()
    assert tuple(stored) == ("MT001", "2025-07-03T08:15:00+08:00", "310000")


def test_order_numbers_with_control_characters_or_markup_are_rejected(db, tmp_path):
    rep = import_orders(db, tmp_path, [order_row(1, order_no="M<1>"), order_row(2, order_no="M\x002"),
                                       order_row(3, order_no="M" * 65), order_row(4)])
    assert [line for line, _m in rep.rejected] == [2, 3, 4] and rep.new == 1
    assert all("订单号" in m for _l, m in rep.rejected)


# -- an import never changes a registered person's name or ID number -------------------------------
def test_a_row_that_would_change_a_registered_name_is_not_applied(db, tmp_path):
    rep, n = import_workers(db, tmp_path, [worker_row(1, name="王小强", phone="13900009999")])
    assert rep.new == rep.updated == 0 and n == 1
    assert rep.rejected == [(2, "第 2 行：姓名：“王小强”与已登记的“王强”不一致（身份证号码 310***********"
                                 + idn(1)[-4:] + "）：导入不更改已登记人员的姓名，此行未导入；如确属更名，请在人员记录中修改")]
    s = Store(db, "TEST")
    try:
        w = s.worker_by_id_number(idn(1))
        assert (w.name, w.phone) == ("王强", "13812345671") and s.enrollments_of(w.id) == []
    finally:
        s.close()
    # the same person twice in one file under two names: the second row is refused too
    rep, _n = import_workers(db, tmp_path, [worker_row(7), worker_row(7, name="张冒名")])
    assert rep.new == 1 and [line for line, _m in rep.rejected] == [3] and "张冒名" in rep.rejected[0][1]


def test_a_changed_bank_card_shows_masked_old_and_new_and_is_audited(db, tmp_path):
    old, new = "6222021234567890123", "6228480012345678"
    import_workers(db, tmp_path, [worker_row(2, bank_card=old)])
    rep, _n = import_workers(db, tmp_path, [worker_row(2, bank_card=new)])
    assert rep.updated == 1 and not rep.rejected
    (line, status, detail), = rep.rows
    assert status == "updated" and "银行账号：6222 **** **** 0123 → 6228 **** **** 5678" in detail
    assert old not in detail and new not in detail
    s = Store(db, "TEST")
    try:
        w = s.worker_by_id_number(idn(2))
        entry = s.conn.execute("SELECT action, changes FROM audit_log WHERE table_name = 'workers' AND record_id = ?"
                               " ORDER BY seq DESC LIMIT 1", (w.id,)).fetchone()
    finally:
        s.close()
    assert entry["action"] == "import" and f'"bank_card":["{old}","{new}"]' in entry["changes"]


def test_the_command_line_report_lists_changes_of_registered_people(db, tmp_path, capsys):
    path = write_csv(tmp_path / "a.csv", [worker_row(2, bank_card="6222021234567890123")])
    assert cli("import-workers", path, "--db", db) == 0
    write_csv(path, [worker_row(2, bank_card="6228480012345678")])
    capsys.readouterr()
    assert cli("import-workers", path, "--db", db) == 0
    out = capsys.readouterr().out
    assert re.search(r"^2\tupdated\t.*银行账号：6222 \*\*\*\* \*\*\*\* 0123 → 6228 \*\*\*\* \*\*\*\* 5678", out, re.M), out
