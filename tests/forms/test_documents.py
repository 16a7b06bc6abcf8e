"""Every printed document: content, embedded fonts, page size and numbering,
masking by audience, long text, missing glyphs, verification codes."""
from __future__ import annotations

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest

from claims.docviews import DOCUMENTS, DocumentItem, sample_view, verification_code
from claims.enums import ParamStatus
from claims.errors import ClaimsError
from forms.fonts import check_glyphs
from forms.render import PrintMeta, RenderResult, render, render_many
from forms.render import content_digest as printed_digest

SH = ZoneInfo("Asia/Shanghai")
META = PrintMeta(printed_at=datetime(2026, 11, 30, 14, 5, tzinfo=SH), printed_by="陈静",
                 record_key="ZS310104-2026-000123")
FULL_ID = "11010519491231002X"
MASKED_ID = "110***********002X"
ACCOUNT = "6222021001123456789"
MASKED_ACCOUNT = "6222 **** **** 6789"
A4 = (595.27, 841.89)

# What each sample must show (besides its title); whitespace is ignored.
EXPECTED = {
    "report_receipt": ["ZS310104-2026-000123", "2026年10月12日 15:20", "窗口", "刘志强", "平台站点（站长）",
                       "王秀英", MASKED_ID, "美团", "即时配送", "2026年10月12日 11:42",
                       "虹漕路与宜山路交叉口", "2026年11月11日", "交通事故责任认定书", "021-64881234"],
    "confirmation_application": ["王秀英", "本人", "女", "1949年12月31日", FULL_ID, "13817625548",
                                 "田林路 200 弄 15 号 402 室", "91110108MA01ABCD3L", "上海徐汇田林站",
                                 "MT-SH-20240315-7781", "MT2026101211350042718", "2026年10月12日 11:35",
                                 "2026年10月12日 12:20", "左小腿、左手腕", "上海市第六人民医院",
                                 "左胫骨骨折", "申请人（签字）", "平台企业意见", "负责人", "盖章"],
    "document_receipt": ["职业伤害确认申请表", "身份证复印件", "知情同意确认书", "2026年10月20日", "陈静",
                         "共 5 项", MASKED_ID],
    "missing_documents_notice": ["交通事故责任认定书", "需据此确定本人是否负主要责任", "病历及医疗费用票据",
                                 "收款银行卡复印件", "漕溪北路 88 号", "2026年11月20日", "视为撤回申请",
                                 MASKED_ID],
    "confirmation_decision": ["沪徐职伤确〔2026〕0123号", "2026年11月30日", "王秀英", "美团", "经查",
                              "第十条第一款第（四）项", "新就业形态人员职业伤害保障办法", "予以确认", "60 日内", "行政复议",
                              "6 个月内", "行政诉讼", "盖章", MASKED_ID],
    "refusal_decision": ["沪徐职伤不确〔2026〕0045号", "不予确认的理由", "最后一单完成于10时58分",
                         "不予确认。", "60 日内", "6 个月内", "盖章"],
    "appraisal_application": [FULL_ID, "沪徐职伤确〔2026〕0123号", "2026年11月30日", "左小腿、左手腕",
                              "上海市第六人民医院", "切开复位内固定术", "一寸免冠照片", "申请人（签字）",
                              "伤残等级", "生活自理障碍程度", "上海市徐汇区劳动能力鉴定委员会"],
    "benefit_application": ["（死亡）", FULL_ID, "2026年10月14日", "李建国", "配偶", "310115194806120038",
                            "李晓明", "310104198509010018", "完全丧失劳动能力", "丧葬补助金",
                            "一次性职业伤害死亡补助金", "6217001210034567899", "申请人（签字）"],
    "benefit_notice": ["一次性伤残补助金", "21 × 7384.00", "¥155,064.00", "75% × 7384.00", "¥5,538.00",
                       "¥159,220.40", "人民币壹拾伍万玖仟贰佰贰拾元零肆角", "¥9,268.20",
                       "人民币玖仟贰佰陆拾捌元贰角", "职业伤害保障试点（2025年扩围）", "沪人社规〔2025〕17号", "未确认",
                       "重要提示", MASKED_ID, MASKED_ACCOUNT, "60 日内", "6 个月内", "2027年5月18日"],
    "payment_voucher": ["ZF-2027-000456", "医疗费", "一次性伤残补助金", "¥159,220.40",
                        "人民币壹拾伍万玖仟贰佰贰拾元零肆角", MASKED_ACCOUNT, "2027年5月28日", "陈静",
                        "周建华", MASKED_ID],
    "fee_declaration": ["美团", "91110108MA01ABCD3L", "上海市（310000）", "2026年10月", "即时配送",
                        "12,845,311", "0.0700", "¥899,171.77", "同城货运", "0.1800", "¥907,849.57",
                        "人民币玖拾万柒仟捌佰肆拾玖元伍角柒分", "赵文华", "2026年11月10日", "盖章"],
    "reconciliation_statement": ["2026年8月", "12,403,377", "12,609,874", "+1,646", "-5,691",
                                 "¥899,171.77", "¥800,000.00", "¥99,171.77", "需核对"],
    "enrollment_certificate": [MASKED_ID, "美团", "外卖", "2024年3月15日", "2025年6月30日", "至今", "398",
                               "闪送", "897", "2026年11月30日", "特此证明"],
    "case_index": ["职业伤害报案回执", "2026年10月12日", "2–4", "22–24", "待遇支付凭证", "2027年5月28日",
                   FULL_ID, "长期", "陈静"],
    "acceptance_notice": ["沪职伤受〔2026〕第57号", "2026年10月22日", "30 个工作日内", "2026年12月3日", "陈静",
                          MASKED_ID, "盖章"],
    "suspension_notice": ["沪职伤中〔2026〕第8号", "2026年11月5日", "道路交通事故认定", "恢复计算", "20 个工作日",
                          MASKED_ID],
    "withdrawal_confirmation": ["沪职伤撤〔2026〕第3号", "2026年11月2日", "职业伤害确认申请", "重新提出申请", MASKED_ID],
    "advance_statement": ["沪职保垫〔2027〕第2号", "北京三快在线科技有限公司", "¥3,856.40", "人民币叁仟捌佰伍拾陆元肆角",
                          "110902345610801", FULL_ID, "陈静"],
    "pension_schedule": ["沪职保抚〔2027〕第1号", "李建国", "配偶", "¥2,215.20", "2026年11月", "2030年3月14日",
                         "年满18周岁", "已支付", "6217 **** **** 7899", MASKED_ID],
}
WORKER_FACING = [c for c, (_t, _v, aud) in DOCUMENTS.items() if aud in ("worker", "third_party")]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reader(result: RenderResult) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(result.pdf))


def text_of(result: RenderResult) -> str:
    return "\n".join(p.extract_text() for p in reader(result).pages)


_FRAME = re.compile(r"^(打印时间：|核验码：|\s*第 \d+ 页 共 \d+ 页)")


def body_text(result: RenderResult, title: str, number: str) -> str:
    """The text of all pages without the running header and footer lines."""
    out = []
    for page in reader(result).pages:
        lines = page.extract_text().split("\n")
        out += [ln for ln in lines if ln.strip() not in (title, number, f"{title} {number}") and not _FRAME.match(ln)]
    return "\n".join(out)


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderResult]:
    return {code: render(code, sample_view(code), META) for code in DOCUMENTS}


def test_every_code_has_a_sample_and_layout():
    assert len(DOCUMENTS) == 19
    assert set(EXPECTED) == set(DOCUMENTS)
    for code, (_title, cls, audience) in DOCUMENTS.items():
        assert type(sample_view(code)) is cls
        assert audience in ("worker", "authority", "third_party", "archive")


def test_decisions_never_print_codes_or_the_work_injury_regulation_as_basis(rendered):
    for doc in ("confirmation_decision", "refusal_decision"):
        text = squash(text_of(rendered[doc]))
        assert "工伤保险条例" not in text and "order_" not in text and "第十条第一款" in text


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_content(rendered, code):
    text = squash(text_of(rendered[code]))
    title = DOCUMENTS[code][0]
    assert squash(title) in text
    for value in EXPECTED[code]:
        assert squash(value) in text, value


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_fonts_embedded_pages_a4_and_numbered(rendered, code):
    result = rendered[code]
    rd = reader(result)
    assert len(rd.pages) == result.pages >= 1
    for n, page in enumerate(rd.pages, 1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for font in fonts.values():
            font = font.get_object()
            assert font["/Subtype"] in ("/TrueType", "/Type0"), font["/BaseFont"]
            assert "WenQuanYiMicroHei" in font["/BaseFont"]
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
        text = page.extract_text()
        assert f"第 {n} 页 共 {result.pages} 页" in text
        assert result.code in text
        assert "2026-11-30 14:05" in text and "陈静" in text


@pytest.mark.parametrize("code", WORKER_FACING)
def test_worker_and_third_party_documents_mask(rendered, code):
    text = squash(text_of(rendered[code]))
    assert FULL_ID not in text
    assert ACCOUNT not in text
    assert "13817625548" not in text
    view = sample_view(code)
    if "worker" in type(view).model_fields and code != "reconciliation_statement":
        assert MASKED_ID in text
    if "payee" in type(view).model_fields:
        assert squash(MASKED_ACCOUNT) in text


@pytest.mark.parametrize("code", ["confirmation_application", "appraisal_application", "benefit_application"])
def test_authority_documents_show_whole_numbers(rendered, code):
    assert FULL_ID in squash(text_of(rendered[code]))


def test_long_free_text_flows_onto_continuation_pages():
    base = "我骑电动自行车沿虹漕路由北向南行驶，准备把餐送到宜山路七百号，路口与右转车辆相撞。"
    account = ""
    i = 0
    while len(account) < 3000:
        i += 1
        account += f"（{i}）" + base * 2 + ("\n\n" if i % 5 == 0 else "")
    account = account[:3000]
    view = sample_view("confirmation_application").model_copy(update={"account": account})
    result = render("confirmation_application", view, META)
    assert result.pages > 1
    body = squash(body_text(result, DOCUMENTS["confirmation_application"][0], "ZS310104-2026-000123-SQ"))
    assert squash(account) in body
    assert "平台企业意见" in body  # what follows the account is still printed


def test_long_table_repeats_its_header():
    view = sample_view("case_index")
    docs = [DocumentItem(name=f"调查笔录第{i}份", received_on=date(2026, 11, 1), pages=2) for i in range(1, 121)]
    result = render("case_index", view.model_copy(update={"documents": docs}), META)
    assert result.pages > 2
    with_rows = [p.extract_text() for p in reader(result).pages if "调查笔录第" in p.extract_text()]
    assert len(with_rows) > 2
    for text in with_rows:
        assert "文件材料名称" in text
    text = squash(text_of(result))
    assert "调查笔录第120份" in text and "239–240" in text


@pytest.mark.parametrize("bad", ["\U00020000", "😀"])
def test_missing_glyph_is_an_error(bad):
    with pytest.raises(ClaimsError, match="字体缺少字符"):
        check_glyphs("王" + bad)
    view = sample_view("report_receipt")
    worker = view.worker.model_copy(update={"name": "王" + bad})
    with pytest.raises(ClaimsError, match="字体缺少字符"):
        render("report_receipt", view.model_copy(update={"worker": worker}), META)
    with pytest.raises(ClaimsError):
        render("confirmation_application",
               sample_view("confirmation_application").model_copy(update={"account": "经过" + bad}), META)


def test_whitespace_is_not_a_missing_glyph():
    check_glyphs("第一行\n第二行\t\u3000 ¥12,345.60 〔2026〕 “引号” …")


def test_verification_code_is_stable_and_content_bound():
    v = sample_view("benefit_notice")
    a = render("benefit_notice", v, META)
    later = PrintMeta(datetime(2027, 1, 2, 9, 0, tzinfo=SH), "周建华", META.record_key)
    b = render("benefit_notice", sample_view("benefit_notice"), later)
    assert a.code == b.code and a.digest == b.digest
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", a.code)
    assert a.digest == printed_digest("benefit_notice", v, META.record_key)
    assert a.code == verification_code(a.digest)
    # the digest covers what the notice prints: the worker's phone is not on it
    unprinted = v.model_copy(update={"worker": v.worker.model_copy(update={"phone": "13900000000"})})
    assert render("benefit_notice", unprinted, META).code == a.code
    changed = v.model_copy(update={"payee": v.payee.model_copy(update={"account": "6222021001123456788"})})
    assert render("benefit_notice", changed, META).code != a.code
    other_key = PrintMeta(META.printed_at, META.printed_by, "ZS310104-2026-000124")
    assert render("benefit_notice", v, other_key).code != a.code


def test_same_print_gives_same_bytes():
    a = render("payment_voucher", sample_view("payment_voucher"), META)
    b = render("payment_voucher", sample_view("payment_voucher"), META)
    assert a.pdf == b.pdf


def test_amounts_in_words_on_money_documents(rendered):
    notice = squash(text_of(rendered["benefit_notice"]))
    assert "人民币壹拾伍万玖仟贰佰贰拾元零肆角" in notice
    assert "人民币玖仟贰佰陆拾捌元贰角" in notice
    assert "¥159,220.40" in notice and "¥9,268.20" in notice
    assert "pilot" not in notice  # the measure by its name, never the rule set's code


def test_unconfirmed_note_only_when_a_parameter_is_unconfirmed():
    v = sample_view("benefit_notice")
    confirmed = [p.model_copy(update={"status": ParamStatus.confirmed}) for p in v.parameters]
    result = render("benefit_notice", v.model_copy(update={"parameters": confirmed}), META)
    assert "重要提示" not in text_of(result)


def test_wrong_view_or_code_is_refused():
    with pytest.raises(ClaimsError):
        render("benefit_notice", sample_view("payment_voucher"), META)
    with pytest.raises(ClaimsError):
        render("confirmation_decision", sample_view("refusal_decision"), META)
    with pytest.raises(ClaimsError):
        render("no_such_document", sample_view("payment_voucher"), META)


def test_render_many_reports_progress_and_cancels():
    items = [(code, sample_view(code), META) for code in ("report_receipt", "payment_voucher", "case_index")]
    seen = []
    results = list(render_many(items, progress=seen.append))
    assert [r.doc_code for r in results] == ["report_receipt", "payment_voucher", "case_index"]
    assert seen == [1, 2, 3]
    calls = []
    cancelled = list(render_many(items, cancel=lambda: len(calls) >= 1, progress=calls.append))
    assert len(cancelled) == 1
