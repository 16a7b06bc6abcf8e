"""Printed documents from the demo database through the headless commands:
``print DOC --id ID -o OUT.pdf`` for every document code (title, required
values, embedded fonts, A4, masking), ``verify CODE`` (unchanged, changed,
unknown), and Chinese errors for wrong identifiers and documents that do not apply."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from claims import printing
from claims.clocks import due_date
from claims.docviews import DOCUMENTS
from claims.parameters import load_ruleset
from claims.store import Actor
from claims.timeutil import SHANGHAI, cn_date
from claims.validators import mask_account, mask_id
from tests.pdfcheck import fonts_not_embedded

ROOT = Path(__file__).resolve().parents[2]
AGENT = Actor("agent", role="insurer_agent", display_name="李经办")
REVIEWER = Actor("reviewer", role="reviewer", display_name="王审核")
A4 = (210 / 25.4 * 72, 297 / 25.4 * 72)  # points
CODE_RE = re.compile(r"核验码 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})")


def zbt(*args, input=None, env_home=None):
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(env_home or ROOT / ".pytest_cache" / "home"),
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          input=input, env=env, encoding="utf-8", timeout=300)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def hm(t: datetime) -> str:
    t = t.astimezone(SHANGHAI)
    return f"{cn_date(t.date())} {t:%H:%M}"


# --- the records each document is printed for ----------------------------------------

def one(store, sql, *args):
    r = store.conn.execute(sql, args).fetchone()
    assert r, sql
    return r[0]


@pytest.fixture
def records(demo_store):
    """Record keys by document, picked by state from the demo, plus what each
    document must show (forms.md "must carry"), read from the store."""
    s = demo_store
    closed = s.case_by_number(one(s, "SELECT number FROM cases WHERE state = 'closed' ORDER BY number"))
    # start from none received (the demo hands in the whole checklist), then hand some in, as a clerk would
    s.conn.execute("DELETE FROM case_documents WHERE case_id = ?", (closed.id,))
    day = closed.reported_at.astimezone(SHANGHAI).date()
    for i, t in enumerate(["id_card", "order_record", "diagnosis", "consent", "medical_records"]):
        s.add_document(AGENT, closed.id, doc_type=t, pages=i + 1, received_on=day + timedelta(days=1))
    awaiting = one(s, "SELECT number FROM cases WHERE state = 'awaiting_documents' ORDER BY number")
    rejected = one(s, "SELECT number FROM cases WHERE state = 'rejected' ORDER BY number")
    payment = s.payment_by_number(one(s, "SELECT number FROM benefit_payments WHERE status = 'approved' "
                                         "AND account != '' ORDER BY number"))
    decl = s.declaration_by_number(one(s, "SELECT number FROM declarations WHERE status != 'draft' ORDER BY number"))
    idn = one(s, "SELECT w.id_number FROM workers w JOIN enrollments e ON e.worker_id = w.id ORDER BY w.id_number")
    keys = {code: closed.number for code in printing.CASE_DOCS}
    keys.update(missing_documents_notice=awaiting, refusal_decision=rejected, payment_voucher=payment.number,
                fee_declaration=decl.number, reconciliation_statement=decl.number, enrollment_certificate=idn,
                acceptance_notice=one(s, "SELECT number FROM cases WHERE state = 'accepted' ORDER BY number"),
                suspension_notice=one(s, "SELECT number FROM cases WHERE state = 'suspended' ORDER BY number"),
                withdrawal_confirmation=one(s, "SELECT number FROM cases WHERE state = 'withdrawn' ORDER BY number"),
                pension_schedule=one(s, "SELECT number FROM cases WHERE death_date IS NOT NULL ORDER BY number"))
    s.record_advance(AGENT, closed.id, advancer_kind="platform", advancer_name="平台垫付方", amount_fen=50000,
                     advanced_on=closed.accident_at.date(), payee_bank="招商银行", payee_account="6214830123456789")
    return keys, expected_values(s, keys)


def case_bits(s, number):
    c = s.case_by_number(number)
    return c, s.worker(c.worker_id), s.platform(c.platform_id)


def expected_values(s, keys) -> dict[str, list[str]]:
    office = s.office_settings()
    c, w, p = case_bits(s, keys["report_receipt"])
    dec = s.decisions_of(c.id)[-1]
    ap = [a for a in s.appraisals_of(c.id) if a.current][-1]
    asm = s.assessments_of(c.id)[-1]
    base = [c.number, w.name]
    exp = {
        "report_receipt": base + [mask_id(w.id_number), p.name, c.industry.label, hm(c.accident_at), c.place,
                                  hm(c.reported_at), c.reporter_name, "身份证件", office["office.phone"],
                                  cn_date(due_date("reported", c.reported_at.date(), None, s.calendar()))],
        "confirmation_application": base + [w.id_number, w.phone, w.address, p.credit_code, c.order_no,
                                            hm(c.accident_at), c.place, c.body_parts, c.hospital,
                                            c.description[:20], "申请人（签字）", "平台企业意见", "负责人"],
        "document_receipt": base + [mask_id(w.id_number), "初诊证明或诊断证明", "知情同意确认书", "共 5 项", "李经办"],
        "confirmation_decision": base + [s.decision_doc_number(c.number, dec), cn_date(dec.decided_on), p.name,
                                         dec.situation().wording.rstrip("的"), dec.situation().citation,
                                         "予以确认", "60 日内", "6 个月内", mask_id(w.id_number), "盖章"],
        "appraisal_application": base + [w.id_number, s.decision_doc_number(c.number, dec), cn_date(dec.decided_on),
                                         c.body_parts,
                                         c.hospital, "一寸免冠照片", "伤残等级", office["office.appraisal_committee"]],
        "benefit_application": base + [w.id_number, s.decision_doc_number(c.number, dec), "申请项目", "申请人（签字）"]
        + ([f"{ap.grade} 级"] if ap.grade else []) + ([w.bank_card] if w.bank_card else []),
        "benefit_notice": base + ["沪职保待〔", "办法（试行）》", "¥", "人民币", mask_id(w.id_number), "60 日内",
                                  "6 个月内", "未确认"] + ([mask_account(w.bank_card)] if w.bank_card else []),
        "case_index": base + [w.id_number, "职业伤害报案回执", s.decision_doc_number(c.number, dec), ap.conclusion_no,
                              "卷内文件目录"],
        "advance_statement": base + ["平台垫付方", "¥500.00", "人民币伍佰元整"],
    }
    for code in ("acceptance_notice", "suspension_notice", "withdrawal_confirmation", "pension_schedule"):
        cx, wx, _px = case_bits(s, keys[code])
        exp[code] = [cx.number, wx.name]
    c2, w2, _p = case_bits(s, keys["missing_documents_notice"])
    exp["missing_documents_notice"] = [c2.number, w2.name, mask_id(w2.id_number), "受伤人员身份证件",
                                       "需要的原因", "核实事故发生时是否处于执行平台订单任务期间", "逾期", "视为撤回申请"]
    c3, w3, p3 = case_bits(s, keys["refusal_decision"])
    d3 = s.decisions_of(c3.id)[-1]
    exp["refusal_decision"] = [c3.number, w3.name, p3.name, s.decision_doc_number(c3.number, d3), "不予确认的理由", d3.reasons[:12],
                               "不予确认", "60 日内", "6 个月内", mask_id(w3.id_number)]
    pay = s.payment_by_number(keys["payment_voucher"])
    pw = s.worker(s.case(pay.case_id).worker_id)
    exp["payment_voucher"] = [pay.number, pw.name, pay.payee, mask_account(pay.account), mask_id(pw.id_number),
                              cn_date(pay.paid_on), "李经办", "王审核", "人民币",
                              f"¥{pay.amount_fen // 100:,}.{pay.amount_fen % 100:02d}"]
    d = s.declaration_by_number(keys["fee_declaration"])
    dp = s.platform(d.platform_id)
    exp["fee_declaration"] = [d.number, dp.name, dp.credit_code, "上海市（310000）",
                              f"{int(d.month[:4])}年{int(d.month[5:])}月", cn_date(d.declared_on), "盖章",
                              d.lines[0].industry.label, f"{d.lines[0].orders_declared:,}"]
    exp["reconciliation_statement"] = [dp.name, dp.credit_code, "申报单量", "导入单量", "欠缴金额",
                                       f"{int(d.month[:4])}年{int(d.month[5:])}月"]
    ew = s.worker_by_id_number(keys["enrollment_certificate"])
    plats = {s.platform(e.platform_id).name for e in s.enrollments_of(ew.id)}
    exp["enrollment_certificate"] = [ew.name, mask_id(ew.id_number), "特此证明", *plats,
                                     *(cn_date(e.start_on) for e in s.enrollments_of(ew.id))]
    return exp


def secrets_of(s, code, key) -> list[str]:
    """Full identifiers that must never appear on a worker-facing document."""
    if printing.KEY_KIND[code] == "case":
        c = s.case_by_number(key)
        w = s.worker(c.worker_id)
        return [w.id_number] + ([w.bank_card] if w.bank_card else [])
    if code == "payment_voucher":
        p = s.payment_by_number(key)
        w = s.worker(s.case(p.case_id).worker_id)
        return [w.id_number, p.account]
    if code == "enrollment_certificate":
        return [key]
    return []


# --- every document through the command line ------------------------------------------

@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_print_every_document_from_the_demo(code, records, demo_store, demo_db, tmp_path):
    keys, expected = records
    out = tmp_path / f"{code}.pdf"
    r = zbt("print", code, "--id", keys[code], "-o", str(out), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 0, r.stderr
    m = CODE_RE.search(r.stdout)
    assert m, r.stdout
    text = squash(pdf_text(out))
    assert squash(DOCUMENTS[code][0]) in text
    for value in expected[code]:
        assert value and squash(value) in text, (code, value)
    assert m.group(1) in text  # the verification code in the footer
    assert fonts_not_embedded(out) == []
    reader = pypdf.PdfReader(str(out))
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < 0.5 and abs(float(box.height) - A4[1]) < 0.5
    if DOCUMENTS[code][2] in ("worker", "third_party"):
        for secret in secrets_of(demo_store, code, keys[code]):
            assert secret not in text, (code, "full identifier on a worker-facing document")

    # verify: unchanged, then changed through the store
    r = zbt("verify", m.group(1).lower().replace("-", ""), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "未变更" in r.stdout and DOCUMENTS[code][0] in r.stdout and keys[code] in r.stdout
    if change_record(demo_store, code, keys[code]):
        r = zbt("verify", m.group(1), "--db", str(demo_db), env_home=tmp_path)
        assert r.returncode == 2 and "已在打印后变更" in r.stdout, r.stdout


def change_record(s, code, key) -> bool:
    """Change something the document prints through the store (the digest covers
    what was printed: a field it does not show would leave it unchanged)."""
    if code == "fee_declaration":
        s.set_platform_legal_name(Actor("admin", role="admin"), s.declaration_by_number(key).platform_id, "某某科技有限公司")
        return True
    if code == "reconciliation_statement":
        d = s.declaration_by_number(key)
        s.record_fee_payment(AGENT, d.id, paid_on=date(2025, 12, 1), amount_fen=123, reference="补缴")
        return True
    if code == "enrollment_certificate":
        w = s.worker_by_id_number(key)
    elif code == "payment_voucher":
        w = s.worker(s.case(s.payment_by_number(key).case_id).worker_id)
    else:
        w = s.worker(s.case_by_number(key).worker_id)
    data = w.model_dump()
    data["name"] = w.name + "明"
    s.update_worker(AGENT, w.id, data)
    return True


def test_unknown_code_and_wrong_id_are_exit_2_in_chinese(demo_db, demo_store, tmp_path):
    r = zbt("verify", "ZZZZ-ZZZZ-ZZ", "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 2 and "不存在" in r.stdout
    out = tmp_path / "x.pdf"
    r = zbt("print", "benefit_notice", "--id", "BA1999-NONE-00001", "-o", str(out), "--db", str(demo_db),
            env_home=tmp_path)
    assert r.returncode == 2 and "找不到案件 BA1999-NONE-00001" in r.stderr and not out.exists()
    r = zbt("print", "enrollment_certificate", "--id", "110105194912310021", "-o", str(out), "--db", str(demo_db),
            env_home=tmp_path)
    assert r.returncode == 2 and "找不到身份证号码为 110105194912310021 的人员" in r.stderr
    r = zbt("print", "payment_voucher", "--id", "ZF0000", "-o", str(out), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 2 and "找不到支付 ZF0000" in r.stderr
    r = zbt("print", "no_such_doc", "--id", "x", "-o", str(out), "--db", str(demo_db), env_home=tmp_path)
    assert r.returncode == 2 and "未知的文书类型" in r.stderr


def test_documents_that_do_not_apply_say_why(demo_store):
    s = demo_store
    confirmed = one(s, "SELECT number FROM cases WHERE state = 'confirmed'")
    reported = one(s, "SELECT number FROM cases WHERE state = 'reported'")
    draft = one(s, "SELECT number FROM declarations WHERE status = 'draft'")
    with pytest.raises(Exception, match="结论为予以确认.*不能打印不予确认职业伤害结论书"):
        printing.build_view(s, "refusal_decision", confirmed)
    with pytest.raises(Exception, match="尚未作出待遇核定"):
        printing.build_view(s, "benefit_notice", reported)
    with pytest.raises(Exception, match="尚未登记接收任何材料"):
        printing.build_view(s, "document_receipt", reported)
    with pytest.raises(Exception, match="未发出补正材料告知"):
        printing.build_view(s, "missing_documents_notice", reported)
    with pytest.raises(Exception, match="仍为草稿"):
        printing.build_view(s, "fee_declaration", draft)


class _Forms:
    """The real renderer, as main.py injects it."""
    from forms import render as _r
    render = staticmethod(_r.render)
    content_digest = staticmethod(_r.content_digest)
    PrintMeta = _r.PrintMeta


def test_reprint_keeps_the_first_record_and_lowercase_keys_work(demo_store):
    s = demo_store
    number = one(s, "SELECT number FROM cases WHERE state = 'assessed'")
    a = printing.print_document(s, _Forms, "benefit_notice", number.lower(), AGENT)
    b = printing.print_document(s, _Forms, "benefit_notice", " " + number + " ", REVIEWER)
    assert a.code == b.code and a.record_key == number
    row = s.printed_document(a.code)
    assert row["printed_by"] == "李经办" and row["doc_code"] == "benefit_notice"
    assert s.conn.execute("SELECT count(*) FROM printed_documents").fetchone()[0] == 1
    from claims.audit import verify_audit
    assert verify_audit(s)[0]


def test_long_real_data_fits_and_a_3000_character_account_prints_whole(demo_store, tmp_path):
    """A platform, station, hospital and place with long names and a 3,000-character
    account: every value is on the page, nothing is cut off."""
    s = demo_store
    plat, _ = s.add_platform(AGENT, name="北京三快在线科技有限公司上海市浦东新区分公司（美团外卖、美团跑腿即时配送业务）",
                             industries=["instant_delivery"])
    st, _ = s.add_station(AGENT, platform_id=plat.id, name="浦东新区张江高科技园区碧波路站（第二配送站）")
    w = s.worker(one(s, "SELECT id FROM workers ORDER BY id_number"))
    s.enroll(AGENT, worker_id=w.id, platform_id=plat.id, industry="instant_delivery", start_on="2025-01-01",
             station_id=st.id)
    unit = ("2025年9月3日11时35分，我通过骑手端接受订单后从商户取餐，沿张江路由西向东行驶至碧波路路口时，"
            "与一辆右转的小型轿车相撞，摔倒在地，左小腿及左手腕受伤，交警到场处理。")
    account = (unit * (3000 // len(unit) + 1))[:2990] + "（全文完）"
    hospital = "上海交通大学医学院附属仁济医院（东院）急诊创伤外科暨上海市创伤急救中心浦东分中心"
    at = datetime(2025, 9, 3, 11, 42, tzinfo=SHANGHAI)
    case, _ = s.report_case(AGENT, worker_id=w.id, platform_id=plat.id, station_id=st.id, industry="instant_delivery",
                            accident_at=at, place="上海市浦东新区张江镇张江路与碧波路交叉口东北角公交车站附近非机动车道",
                            description=account, body_parts="左小腿（胫腓骨）、左手腕（桡骨远端）、面部软组织",
                            hospital=hospital, case_type="traffic", reporter_name="刘志强",
                            reporter_relation="平台站点（站长）", reported_at=at + timedelta(hours=3))
    for t in ("accepted", "investigating"):
        s.transition(AGENT, case.id, t, at=at + timedelta(days=2))
    s.decide(REVIEWER, case.id, confirm=True, situation_code="order_route_traffic",
             override_reason="交警事故认定书载明其事故时正在送达订单，平台记录未导入", at=at + timedelta(days=9))
    results = {}
    for code in ("report_receipt", "confirmation_application", "confirmation_decision", "appraisal_application"):
        r = printing.print_document(s, _Forms, code, case.number, AGENT)
        results[code] = r
        text = squash("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.pdf)).pages))
        for value in (plat.name, hospital) if code != "report_receipt" else (plat.name,):
            assert squash(value) in text, (code, value)
    r = results["confirmation_application"]
    assert squash(account) in squash(body_text(r.pdf, DOCUMENTS[r.doc_code][0], case.number + "-SQ"))
    assert r.pages >= 3
    # in a table row that continues over pages
    # the receipt is the office's: the worker's own account is only on the application they sign
    r = results["report_receipt"]
    assert squash(unit[:30]) not in squash(body_text(r.pdf, DOCUMENTS["report_receipt"][0], case.number))
    # the decision states the office's facts, never the worker's own account
    decision = squash(body_text(results["confirmation_decision"].pdf, DOCUMENTS["confirmation_decision"][0],
                                s.decisions_of(case.id)[-1].number))
    assert squash(unit[:30]) not in decision and "交警事故认定书载明" in decision


_FRAME = re.compile(r"^(打印时间：|核验码：|\s*第 \d+ 页 共 \d+ 页)")


def body_text(pdf: bytes, title: str, number: str) -> str:
    """The text of all pages without the running header and footer lines."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        out += [ln for ln in page.extract_text().split("\n")
                if ln.strip() not in (title, number, f"{title} {number}") and not _FRAME.match(ln)]
    return "\n".join(out)


# --- the engine's speed-ups change nothing in the output ------------------------------

def test_fast_font_subsets_are_byte_identical_to_reportlabs():
    """forms/subset.py writes exactly what reportlab's own subsetter writes."""
    import random

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFile

    from forms.fonts import FONT, FONT_PATH, register
    register()
    ours = pdfmetrics.getFont(FONT).face
    stock = TTFontFile(str(FONT_PATH), subfontIndex=0)
    codes = sorted(stock.charToGlyph)
    glyf = ours.get_table("glyf")

    def composite(code):
        g = stock.charToGlyph[code]
        return ours.glyphPos[g + 1] - ours.glyphPos[g] > 2 and glyf[ours.glyphPos[g]] & 0x80

    with_parts = [c for c in codes if composite(c)][:40]
    assert with_parts, "the typeface has composite glyphs: the test covers them"
    rng = random.Random(3)
    subsets = [[ord(c) for c in "职业伤害保障待遇核定通知书 ¥12,345.60（人民币）"], with_parts, codes[:256],
               [0x10FFFF, 0x41, 0x4E00]] + [rng.sample(codes, 256) for _ in range(4)]
    for sub in subsets:
        assert ours.makeSubset(sub) == stock.makeSubset(sub)


def test_one_line_cells_and_batched_text_keep_the_text_extractable():
    """Cells drawn as plain strings in one text object still extract in reading order."""
    from claims.docviews import sample_view
    from forms.render import PrintMeta, render
    r = render("payment_voucher", sample_view("payment_voucher"),
               PrintMeta(datetime(2026, 11, 30, 14, 5, tzinfo=SHANGHAI), "陈静", "ZF-2027-000456"))
    text = pdf_text_bytes(r.pdf)
    assert text.index("支付明细") < text.index("一次性伤残补助金") < text.index("金额（大写）")


def pdf_text_bytes(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_an_issued_missing_documents_notice_prints_as_issued(demo_store):
    """A notice recorded by the case screen prints its own number, date and list."""
    s = demo_store
    number = one(s, "SELECT number FROM cases WHERE state = 'accepted' ORDER BY number")
    c = s.case_by_number(number)
    notice, _ = s.issue_missing_notice(AGENT, c.id)
    view, key = printing.build_view(s, "missing_documents_notice", number)
    assert key == number and view.notice_number.startswith("沪职伤补〔") and view.notice_date == notice.issued_on
    assert [i.name for i in view.items] == [i["name"] for i in notice.items]
    r = printing.print_document(s, _Forms, "missing_documents_notice", number, AGENT)
    text = squash(pdf_text_bytes(r.pdf))
    assert squash(view.notice_number) in text and all(squash(i["name"]) in text for i in notice.items)
    # a document handed in afterwards does not change what the notice said
    s.add_document(AGENT, c.id, doc_type=notice.items[0]["doc_type"], pages=1)
    assert printing.verify_code(s, r.code, _Forms)[0]
