"""Identifiers: identity number, credit code, mobile, bank card, masking."""
from __future__ import annotations

from datetime import date

import pytest

from claims.errors import FieldError
from claims.validators import (
    IdNumber,
    credit_check_char,
    credit_code_problem,
    id_check_char,
    is_valid_id_number,
    luhn_ok,
    mask_account,
    mask_id,
    mask_mobile,
    normalize_bank_card,
    normalize_mobile,
    parse_id_number,
)

TODAY = date(2026, 6, 1)
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_char(first17: str) -> str:
    """Independent re-implementation of ISO 7064 MOD 11-2 from the spec."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def valid_id(first17: str) -> str:
    return first17 + check_char(first17)


def parse(raw: str, **kw) -> IdNumber:
    return parse_id_number(raw, today=TODAY, **kw)


# --- identity number -----------------------------------------------------------

def test_published_sample_is_valid():
    ident = parse("11010519491231002X")
    assert ident.number == "11010519491231002X"
    assert ident.birth_date == date(1949, 12, 31)
    assert ident.gender == "female" and ident.gender_label == "女"
    assert ident.area_code == "110105"


@pytest.mark.parametrize("first17, born, gender", [
    ("31010419850712123", date(1985, 7, 12), "male"),
    ("44030619920229457", date(1992, 2, 29), "male"),
    ("51010720000101008", date(2000, 1, 1), "female"),
    ("65010219761130331", date(1976, 11, 30), "male"),
    ("81000019880808006", date(1988, 8, 8), "female"),
])
def test_real_looking_numbers_parse(first17, born, gender):
    number = valid_id(first17)
    ident = parse(number)
    assert ident.number == number
    assert ident.birth_date == born
    assert ident.gender == gender
    assert ident.gender_label == ("男" if gender == "male" else "女")
    assert id_check_char(first17) == number[-1]


def test_check_char_x_case():
    # the published sample has check X; our generator agrees
    assert id_check_char("11010519491231002") == "X"


def test_lowercase_x_and_spaces_accepted_stored_upper():
    ident = parse(" 110105 19491231 002x ")
    assert ident.number == "11010519491231002X"


def test_full_width_digits_accepted():
    assert parse("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


def test_fifteen_digit_converted_to_eighteen():
    ident = parse("110105491231002")
    assert ident.number == "11010519491231002X"
    assert ident.birth_date == date(1949, 12, 31)
    assert ident.gender == "female"


def test_bad_checksum_names_expected_char():
    with pytest.raises(FieldError) as exc:
        parse("110105194912310021")
    assert exc.value.field == "身份证号码"
    assert "校验位错误" in exc.value.message
    assert "应为 X" in exc.value.message


def test_field_name_passed_through():
    with pytest.raises(FieldError) as exc:
        parse("123", field="受伤人员身份证号")
    assert exc.value.field == "受伤人员身份证号"
    assert exc.value.message.startswith("受伤人员身份证号：")


@pytest.mark.parametrize("raw", ["", "1234567890123", "1101051949123100211", "11010519491231002Y",
                                 "1101051949123100X2"])
def test_wrong_length_or_characters(raw):
    with pytest.raises(FieldError):
        parse(raw)


def test_wrong_length_message():
    with pytest.raises(FieldError, match="应为18位（或15位旧号码）"):
        parse("11010519491231")


def test_february_30_rejected():
    with pytest.raises(FieldError, match="出生日期 19990230 不存在"):
        parse(valid_id("11010519990230001"))


def test_future_birth_date_rejected():
    with pytest.raises(FieldError, match="晚于今天"):
        parse(valid_id("11010520260715001"))


def test_too_young_and_too_old_rejected():
    with pytest.raises(FieldError, match="未满16周岁"):
        parse(valid_id("11010520100602001"))  # turns 16 the day after TODAY
    assert parse(valid_id("11010520100601001")).birth_date == date(2010, 6, 1)  # 16 today
    with pytest.raises(FieldError, match="超过100周岁"):
        parse(valid_id("11010519250531001"))


@pytest.mark.parametrize("first17", ["01010519850712123", "10010519850712123", "92010519850712123"])
def test_bad_province_code_rejected(first17):
    with pytest.raises(FieldError, match="地区码"):
        parse(valid_id(first17))


def test_distinct_messages():
    messages = set()
    for raw in ["1101051949", valid_id("11010519990230001"), valid_id("11010520260715001"),
                "110105194912310021", valid_id("01010519850712123")]:
        with pytest.raises(FieldError) as exc:
            parse(raw)
        messages.add(exc.value.detail)
    assert len(messages) == 5


def test_is_valid_id_number():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("")


def test_id_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        id_check_char("1234")


# --- unified social credit code -------------------------------------------------

def credit_check(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def test_credit_code_valid_example():
    assert credit_check("91350100M000100Y4") == "3"
    assert credit_code_problem("91350100M000100Y43") == ("91350100M000100Y43", None)
    assert credit_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("first17", ["91110108MA01ABCD1", "12100000400000624", "91440300708461136"])
def test_credit_codes_with_computed_check(first17):
    code = first17 + credit_check(first17)
    assert credit_check_char(first17) == code[-1]
    assert credit_code_problem(code.lower()) == (code, None)


def test_credit_code_normalised():
    assert credit_code_problem(" 91350100m000100y43 ")[0] == "91350100M000100Y43"


def test_credit_code_failed_check_is_a_warning():
    code, warning = credit_code_problem("91350100M000100Y44")
    assert code == "91350100M000100Y44"
    assert warning is not None and "校验位" in warning and "应为 3" in warning


@pytest.mark.parametrize("raw, words", [
    ("91350100M000100Y4", "应为18位"),
    ("91350100M000100Y433", "应为18位"),
    ("91350100M00010OY43", "无效字符 O"),
    ("9135010IM000100Y43", "无效字符 I"),
    ("", "不能为空"),
])
def test_credit_code_hard_errors(raw, words):
    with pytest.raises(FieldError, match=words) as exc:
        credit_code_problem(raw)
    assert exc.value.field == "统一社会信用代码"


# --- mobile ---------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["13812345678", "+86 138-1234-5678", "0086 13812345678",
                                 "8613812345678", " 138 1234 5678 "])
def test_mobile_normalisation(raw):
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "+86 1381234567",
                                 "abc", "", "021-12345678"])
def test_mobile_rejected(raw):
    with pytest.raises(FieldError) as exc:
        normalize_mobile(raw, field="联系电话")
    assert exc.value.field == "联系电话"


def test_mobile_starting_with_86_kept_when_not_a_prefix():
    # an 11-digit number is never stripped even if it starts with 86
    with pytest.raises(FieldError):
        normalize_mobile("86123456789")


# --- bank card ------------------------------------------------------------------

def test_luhn():
    assert luhn_ok("4111111111111111")
    assert luhn_ok("6222021234567891233")
    assert not luhn_ok("6222021234567891234")
    assert not luhn_ok("")
    assert not luhn_ok("12a4")


def test_bank_card_ok():
    assert normalize_bank_card("6222 0212 3456 7891 233") == ("6222021234567891233", None)
    assert normalize_bank_card("4111-1111-1111-1111") == ("4111111111111111", None)


def test_bank_card_luhn_failure_is_a_warning():
    digits, warning = normalize_bank_card("6222021234567891234")
    assert digits == "6222021234567891234"
    assert warning and "校验位" in warning and "Luhn" not in warning  # no English on screen


@pytest.mark.parametrize("raw, words", [("62220212345678", "实际 14 位"),
                                        ("62220212345678912345", "实际 20 位"),
                                        ("6222O21234567891234", "只能包含数字"),
                                        ("", "不能为空")])
def test_bank_card_rejected(raw, words):
    with pytest.raises(FieldError, match=words) as exc:
        normalize_bank_card(raw)
    assert exc.value.field == "银行账号"


# --- masking --------------------------------------------------------------------

def test_mask_id():
    assert mask_id("31010419850712123X") == "310***********123X"
    assert len(mask_id("31010419850712123X")) == 18
    assert mask_id("") == "" and mask_id(None) == ""


def test_mask_mobile():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile(None) == ""


def test_mask_account():
    assert mask_account("6222021234567891234") == "6222 **** **** 1234"
    assert mask_account("4111111111111111") == "4111 **** **** 1111"
    assert mask_account("") == "" and mask_account(None) == ""
