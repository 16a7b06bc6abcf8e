"""Every printed document, read as the official who signs it (issue #16):
printed from a demo record it speaks the office's voice (no English word, code,
rule-set id or login — only identifiers, codes and amounts carry Latin
letters), it carries every field forms.md lists (filled, or a line to fill by
hand), and no signature or seal box stands alone on a page. Verification covers
what was printed: a field the document does not show, or the office's details,
may change without making the printout "changed"; a field it shows may not. A
reprint shows the office details of its first print and says 补打. A worker
named 王䶮 (or with 𠮷) gets every worker-facing document, the glyph embedded."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pypdf
import pytest

from claims import printing
from claims.docviews import DOCUMENTS
from claims.store import Actor
from claims.timeutil import now
from forms import render as forms_render

AGENT = Actor("agent", role="insurer_agent", display_name="李经办")
ADMIN = Actor("admin", role="admin", display_name="系统管理员")
CLI = Actor("cli:nobody", role="admin", display_name="cli:nobody")

# What forms.md says each document must carry, as the labels it prints them under.
REQUIRED = {
    "report_receipt": ["案件编号", "报案时间", "报案方式", "报案人", "与伤者关系", "姓名", "身份证号码", "平台企业",
                       "行业", "事故时间", "事故地点", "后续办理", "请准备以下材料", "承办机构", "联系电话"],
    "confirmation_application": ["申请人", "与伤者关系", "姓名", "性别", "出生日期", "身份证号码", "联系电话", "住址",
                                 "平台名称", "统一社会信用代码", "站点", "行业", "平台账号", "订单号", "接单时间",
                                 "完成时间", "事故时间", "事故地点", "事故原因", "受伤部位", "初诊日期", "就诊医院",
                                 "事故经过", "申请人（签字）", "平台企业意见", "受理意见", "经办人", "负责人",
                                 "填表说明", "附送材料清单"],
    "document_receipt": ["接收材料清单", "材料名称", "页数", "接收日期", "接收人"],
    "missing_documents_notice": ["需补正的材料", "需要的原因", "提交地点", "截止日期", "逾期后果"],
    "acceptance_notice": ["案件编号", "受理日期", "受理人", "结论期限", "联系电话"],
    "suspension_notice": ["中止日期", "中止原因", "恢复办理"],
    "withdrawal_confirmation": ["撤回的申请", "撤回日期", "申请撤回人"],
    "confirmation_decision": ["结论日期", "身份证号码", "平台企业", "调查查明的事实", "适用情形", "依据", "结论",
                              "行政复议", "行政诉讼", "盖章"],
    "refusal_decision": ["结论日期", "调查查明的事实", "不予确认的理由", "结论", "行政复议", "行政诉讼", "盖章"],
    "appraisal_application": ["确认结论书编号", "结论日期", "受伤部位", "治疗医院", "治疗经过", "一寸免冠照片",
                              "申请人（签字）", "伤残等级", "生活自理障碍程度", "填表说明"],
    "benefit_application": ["申请人", "身份证号码", "申请项目", "收款人", "开户银行", "银行账号", "申请人（签字）",
                            "填表说明", "附送材料清单"],
    "benefit_notice": ["核定项目", "计算公式", "一次性待遇合计", "按月待遇合计", "大写", "依据办法", "参数", "来源",
                       "收款人", "开户银行", "银行账号", "权利告知"],
    "pension_schedule": ["与死者关系", "身份证号码", "每月金额", "起始月份", "领取至", "收款人", "开户银行",
                         "收款账号"],
    "advance_statement": ["垫付方", "垫付日期", "垫付金额", "垫付凭证", "应偿还金额", "收款人", "偿还垫付合计（大写）",
                          "编制人"],
    "payment_voucher": ["支付编号", "支付明细", "金额（小写）", "金额（大写）", "收款人", "开户银行", "收款账号",
                        "支付日期", "制单人", "审批人"],
    "fee_declaration": ["平台企业名称", "统一社会信用代码", "统筹地区", "所属期", "订单数", "每单缴费额", "应缴金额",
                        "应缴合计（大写）", "申报人", "申报日期", "盖章"],
    "reconciliation_statement": ["申报单量", "导入单量", "差异", "应缴金额", "已缴金额", "欠缴金额", "编制人"],
    "enrollment_certificate": ["平台企业", "行业", "起始日期", "参保天数", "特此证明"],
    "case_index": ["卷内文件目录", "日期", "页数", "立卷人"],
}
# Latin letters may appear only in identifiers and codes (upper case, with a digit).
IDENT = re.compile(r"^(?=.*[\d*\-])[A-Z0-9*\-]+$")
WORD = re.compile(r"[A-Za-z0-9_:.*\-]*[A-Za-z][A-Za-z0-9_:.*\-]*")


def one(store, sql, *args):
    r = store.conn.execute(sql, args).fetchone()
    assert r, sql
    return r[0]


def _case(store, state):
    return one(store, "SELECT number FROM cases WHERE state = ? ORDER BY number", state)


@pytest.fixture
def keys(demo_store):
    """A demo record for every document (an advance is recorded on a paid case)."""
    s = demo_store
    k = {code: _case(s, "closed") for code in ("report_receipt", "confirmation_application", "document_receipt",
                                               "confirmation_decision", "appraisal_application", "case_index")}
    assessed = one(s, "SELECT c.number FROM cases c JOIN assessments a ON a.case_id = c.id WHERE a.status = 'approved'"
                      " AND c.death_date IS NULL ORDER BY c.number")
    death = one(s, "SELECT c.number FROM cases c JOIN assessments a ON a.case_id = c.id WHERE a.status = 'approved'"
                   " AND c.death_date IS NOT NULL ORDER BY c.number")
    k.update(benefit_notice=assessed, benefit_application=assessed, pension_schedule=death,
             missing_documents_notice=_case(s, "awaiting_documents"), refusal_decision=_case(s, "rejected"),
             acceptance_notice=_case(s, "accepted"), suspension_notice=_case(s, "suspended"),
             withdrawal_confirmation=_case(s, "withdrawn"), advance_statement=assessed,
             payment_voucher=one(s, "SELECT number FROM benefit_payments WHERE status = 'approved' AND account != ''"
                                    " ORDER BY number"),
             fee_declaration=one(s, "SELECT number FROM declarations WHERE status != 'draft' ORDER BY number"),
             enrollment_certificate=one(s, "SELECT w.id_number FROM workers w JOIN enrollments e ON e.worker_id = w.id"
                                           " ORDER BY w.id_number"))
    k["reconciliation_statement"] = k["fee_declaration"]
    c = s.case_by_number(assessed)
    s.record_advance(AGENT, c.id, advancer_kind="platform", advancer_name="北京三快在线科技有限公司",
                     advanced_on=c.accident_at.date() + timedelta(days=1), amount_fen=120000, purpose="垫付住院医疗费",
                     payee_bank="招商银行上海分行", payee_account="6214830123456789", note="上海市第六人民医院")
    assert set(k) == set(DOCUMENTS)
    return k


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squash(t: str) -> str:
    return re.sub(r"\s+", "", t)


def fonts_of(pdf: bytes) -> set[str]:
    out = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            desc = f["/FontDescriptor"].get_object() if "/FontDescriptor" in f else None
            assert desc is not None and "/FontFile2" in desc, f"{f['/BaseFont']} is not embedded"
            out.add(str(f["/BaseFont"]).split("+", 1)[-1])
    return out


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_every_document_is_signable_as_printed(code, keys, demo_store):
    s = demo_store
    r = printing.print_document(s, forms_render, code, keys[code], AGENT)
    text = text_of(r.pdf)
    # the office's voice: Latin letters only in identifiers, codes and amounts
    for word in WORD.findall(text):
        assert IDENT.match(word), (code, word)
    for internal in ("pilot-20", "order_", "demo:", "cli:", "agent", "None", "工伤保险条例"):
        assert internal not in text, (code, internal)
    # every field forms.md lists is there, with a value or a line to fill in by hand
    flat = squash(text)
    labels = REQUIRED[code]
    for label in labels:
        assert label in flat, (code, label)
    # no signature or seal box alone on a page
    assert r.lonely_seals == (), (code, r.lonely_seals)
    # footer: the code, a real name; the QR code says what the document is
    assert r.code in text and "李经办" in text
    assert s.printed_document(r.code)["printed_by"] == "李经办"


def test_no_field_is_silently_empty():
    """A field the records lack is printed as a line to fill in by hand."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from claims.docviews import sample_view
    v = sample_view("confirmation_application").model_copy(update={"platform_account": "", "diagnosis_date": None})
    r = forms_render.render("confirmation_application", v, forms_render.PrintMeta(
        datetime(2026, 11, 30, tzinfo=ZoneInfo("Asia/Shanghai")), "陈静", "K"))
    flat = squash(text_of(r.pdf))
    assert "平台账号______________" in flat and "初诊日期______________" in flat


def test_numbers_follow_the_office_pattern_and_are_kept(demo_store, keys):
    s = demo_store
    number = keys["confirmation_decision"]
    c = s.case_by_number(number)
    d = s.decisions_of(c.id)[-1]
    doc = s.decision_doc_number(number, d)
    assert re.fullmatch(r"沪职伤确〔\d{4}〕第\d+号", doc), doc
    first = printing.print_document(s, forms_render, "confirmation_decision", number, AGENT)
    assert doc in text_of(first.pdf) and number in text_of(first.pdf)  # the case number stays as a reference
    # a notice gets its number when first printed, the next in its year, and keeps it
    acc = keys["acceptance_notice"]
    preview = printing.render_document(s, forms_render, "acceptance_notice", acc, AGENT)
    assert preview.built.number.startswith("沪职伤受〔")
    printing.record(s, preview, AGENT, now())
    again = printing.render_document(s, forms_render, "acceptance_notice", acc, AGENT)
    assert again.built.number == preview.built.number
    # the office may set its own pattern: later documents follow it
    s.set_office_settings(ADMIN, {"office.number.acceptance_notice": "徐职伤受字〔{年份}〕{序号}号"})
    other = s.case_by_number(one(s, "SELECT number FROM cases WHERE state IN ('accepted', 'investigating') AND number != ?"
                                 " ORDER BY number",
                                 acc))
    nxt = printing.render_document(s, forms_render, "acceptance_notice", other.number, AGENT)
    assert re.fullmatch(r"徐职伤受字〔\d{4}〕\d+号", nxt.built.number)
    assert printing.render_document(s, forms_render, "acceptance_notice", acc, AGENT).built.number == preview.built.number


def test_verify_covers_what_was_printed(demo_store, keys):
    """An unprinted field or the office's details may change: unchanged. A printed one: changed."""
    s = demo_store
    s.set_office_settings(ADMIN, {"office.name": "上海市静安区职业伤害保障承办中心", "office.address": "上海市静安区某路1号"})
    results = {code: printing.print_document(s, forms_render, code, keys[code], AGENT) for code in DOCUMENTS}
    # the worker's emergency contact is on no document; the office's name is on most
    for w in {s.worker(s.case_by_number(keys[c]).worker_id).id for c in DOCUMENTS if printing.KEY_KIND[c] == "case"}:
        data = s.worker(w).model_dump()
        data["emergency_contact"] = "张三丰"
        s.update_worker(AGENT, w, data)
    s.set_office_settings(ADMIN, {"office.name": "上海市徐汇区职业伤害保障承办服务中心", "office.phone": "021-64880000"})
    for code, r in results.items():
        ok, lines = printing.verify_code(s, r.code, forms_render)
        assert ok, (code, lines)
    # a reprint shows the office as first printed, and says it is one
    again = printing.print_document(s, forms_render, "confirmation_decision", keys["confirmation_decision"], AGENT)
    text = text_of(again.pdf)
    assert again.code == results["confirmation_decision"].code
    assert "补打" in text and "上海市静安区职业伤害保障承办中心" in text
    assert "上海市徐汇区职业伤害保障承办服务中心" not in text
    # a field a document prints: the worker's name (or, for fee documents, the platform's company name)
    for code, r in results.items():
        if printing.KEY_KIND[code] == "declaration":
            d = s.declaration_by_number(keys[code])
            s.set_platform_legal_name(ADMIN, d.platform_id, "某某网络科技有限公司")
        else:
            key = keys[code]
            w = (s.worker_by_id_number(key) if code == "enrollment_certificate" else
                 s.worker(s.case(s.payment_by_number(key).case_id).worker_id) if code == "payment_voucher" else
                 s.worker(s.case_by_number(key).worker_id))
            data = w.model_dump()
            data["name"] = w.name + "改"
            s.update_worker(AGENT, w.id, data)
        ok, lines = printing.verify_code(s, r.code, forms_render)
        assert not ok and any("已在打印后变更" in ln for ln in lines), (code, lines)


WORKER_FACING = [c for c, (_t, _v, aud) in DOCUMENTS.items() if aud == "worker"]


@pytest.mark.parametrize("name", ["王䶮", "吉𠮷"])
def test_rare_characters_in_names_print_with_the_fallback_face(name, demo_store, keys):
    s = demo_store
    renamed = set()
    for code in WORKER_FACING:
        key = keys[code]
        w = (s.worker_by_id_number(key) if code == "enrollment_certificate" else
             s.worker(s.case(s.payment_by_number(key).case_id).worker_id) if code == "payment_voucher" else
             s.worker(s.case_by_number(key).worker_id))
        if w.id not in renamed:
            data = w.model_dump()
            data["name"] = name
            _w, _c = s.update_worker(AGENT, w.id, data)
            renamed.add(w.id)
        r = printing.print_document(s, forms_render, code, w.id_number if code == "enrollment_certificate" else key,
                                    AGENT)
        assert name in text_of(r.pdf), code
        faces = fonts_of(r.pdf)
        assert "ZBTHanazonoExt-Regular" in faces and any(f.startswith("WenQuanYi") for f in faces), (code, faces)


def test_names_warn_only_when_no_shipped_face_has_the_character(demo_store):
    s = demo_store
    base = dict(id_number="110101199003077777", phone="13800138000")
    from claims.validators import parse_id_number  # a valid number for the test
    idn = parse_id_number("11010519491231002X").number
    _v, warnings = s.normalize_worker({**base, "id_number": idn, "name": "王䶮"})
    assert not warnings
    _v, warnings = s.normalize_worker({**base, "id_number": idn, "name": "王𪚥"})
    assert any("𪚥" in w and "无法打印" in w for w in warnings)


def test_a_death_decision_speaks_of_the_death(demo_store):
    """A worker who died of the accident before the decision: the facts and the
    conclusion are about the death, with its day; the worker is never the one who applied."""
    s = demo_store
    REVIEWER = Actor("reviewer", role="reviewer", display_name="王审核")
    number = _case(s, "investigating")
    c = s.case_by_number(number)
    s.record_death(AGENT, c.id, death_date=c.accident_at.date(), death_cause="injury")
    s.decide(REVIEWER, c.id, confirm=True, situation_code="order_task",
             override_reason="交警事故认定书载明其事故时正在送达订单",
             at=c.accident_at + timedelta(days=20))
    text = squash(text_of(printing.render_document(s, forms_render, "confirmation_decision", number, AGENT).pdf))
    w = s.worker(c.worker_id)
    assert f"{w.name}之死亡属于职业伤害" in text and "死亡日期" in text and "死亡人员" in text
    assert "于" + c.accident_at.strftime("%Y年").lstrip("0") in text
    intro = text.split("经调查核实")[0]
    assert not intro.split("：", 1)[1].startswith(w.name + "于"), intro  # a dead worker does not apply


def test_cli_prints_no_login_as_the_printer(demo_store, keys):
    r = printing.render_document(demo_store, forms_render, "report_receipt", keys["report_receipt"], CLI)
    text = text_of(r.pdf)
    assert "cli:" not in text and "打印人：命令行打印" in squash(text)


def test_monthly_report_has_a_code_no_internal_words_and_trustworthy_ratios(demo_store):
    import forms.monthly_report as module
    s = demo_store
    report = s.monthly_report("2025-10", ADMIN)
    pdf, pages = printing.record_report(s, module, report, ADMIN, "系统管理员")
    text = text_of(pdf)
    m = re.search(r"核验码：([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})", text)
    assert m and printing.verify_code(s, m.group(1), forms_render)[0]
    for word in WORD.findall(text):
        assert IDENT.match(word), word  # no medical_expenses, no login
    assert not re.search(r"\d{1,3}(,\d{3})+\.\d%", text)  # no 5,456,161.8 % over a few yuan of fees
    assert "没有统计意义" in squash(text)  # why a ratio shows as “—”
    for para in ("统计口径见程序", "已审批支付按支付日期统计"):  # each note once
        assert squash(text).count(para) <= 1, para


def test_the_records_fill_the_application_and_the_compiler_of_a_statement(demo_store, keys):
    s = demo_store
    number = keys["confirmation_application"]
    c = s.case_by_number(number)
    e = next(x for x in s.enrollments_of(c.worker_id) if x.platform_id == c.platform_id)
    s.set_platform_account(AGENT, e.id, "QS 2024 0315")
    s.set_diagnosis_date(AGENT, c.id, c.accident_at.date() + timedelta(days=1))
    s.set_platform_legal_name(ADMIN, c.platform_id, "上海某某网络科技有限公司")
    flat = squash(text_of(printing.render_document(s, forms_render, "confirmation_application", number, AGENT).pdf))
    day = c.accident_at.date() + timedelta(days=1)
    assert "平台账号QS20240315" in flat and f"初诊日期{day.year}年{day.month}月{day.day}日" in flat
    assert "（上海某某网络科技有限公司）" in flat
    with pytest.raises(Exception, match="初诊日期"):
        s.set_diagnosis_date(AGENT, c.id, c.accident_at.date() - timedelta(days=1))
    # the statement's compiler is whoever first printed it, on every later print too
    key = keys["reconciliation_statement"]
    first = printing.print_document(s, forms_render, "reconciliation_statement", key, AGENT)
    assert "编制人：李经办" in squash(text_of(first.pdf))
    again = printing.render_document(s, forms_render, "reconciliation_statement", key, ADMIN)
    assert "编制人：李经办" in squash(text_of(again.pdf)) and again.code == first.code
