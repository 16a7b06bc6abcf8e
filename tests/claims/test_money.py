"""Money: integer fen, formatting, and 中文大写金额 in the canonical form."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.errors import FieldError
from claims.money import (
    amount_in_words,
    fen_to_str,
    format_yuan,
    per_order_units_to_str,
    round_half_up_fen,
    to_fen,
)


@pytest.mark.parametrize("yuan, words", [
    # the examples of identifiers.md
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1000000.00", "壹佰万元整"),
    ("107000", "壹拾万柒仟元整"),
    ("1409", "壹仟肆佰零玖元整"),
    ("100010", "壹拾万零壹拾元整"),
    ("0.00", "零元整"),
    # 10-19 元 written 壹拾…
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("19.90", "壹拾玖元玖角"),
    ("110000", "壹拾壹万元整"),
    # 亿 range and zeros across groups
    ("100000000.00", "壹亿元整"),
    ("100000001.00", "壹亿零壹元整"),
    ("1010000.00", "壹佰零壹万元整"),
    ("10001000", "壹仟万壹仟元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("120000000", "壹亿贰仟万元整"),
    ("95992.00", "玖万伍仟玖佰玖拾贰元整"),
    # below one yuan: no leading 零元
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("0.15", "壹角伍分"),
    # 零 after 元
    ("1000000.50", "壹佰万元零伍角"),
    ("1.05", "壹元零伍分"),
    ("1.50", "壹元伍角"),
    ("20.01", "贰拾元零壹分"),
])
def test_amount_in_words(yuan, words):
    assert amount_in_words(to_fen(yuan)) == words


def test_amount_in_words_negative_rejected():
    with pytest.raises(ValueError):
        amount_in_words(-1)


ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")


@given(st.integers(min_value=0, max_value=10**12))
def test_amount_in_words_properties(fen):
    words = amount_in_words(fen)
    assert set(words) <= ALLOWED
    assert "零零" not in words
    assert not words.endswith("零")
    assert words.endswith("整") == (fen % 100 == 0)
    assert ("分" in words) == (fen % 10 != 0)


@pytest.mark.parametrize("value, fen", [
    ("7384.00", 738400), ("95992", 9599200), ("0.5", 50), ("0.05", 5), ("0", 0),
    (" 12,345.60 ", 1234560), ("¥12.30", 1230), ("１２.３", 1230), ("5.", 500),
    (95992, 9599200), (Decimal("1.25"), 125), (Decimal("7384.000"), 738400),
])
def test_to_fen(value, fen):
    assert to_fen(value) == fen
    assert isinstance(to_fen(value), int)


@pytest.mark.parametrize("value, words", [
    ("1.005", "最多两位小数"), ("0.001", "最多两位小数"), (Decimal("0.125"), "最多两位小数"),
    ("-1.00", "不能为负数"), (-5, "不能为负数"), (Decimal("-0.01"), "不能为负数"),
    ("abc", "不是有效的金额"), ("1e3", "不是有效的金额"), ("1.2.3", "不是有效的金额"),
    ("NaN", "不是有效的金额"), (Decimal("NaN"), "不是有效的金额"), (Decimal("Infinity"), "不是有效的金额"),
    (1.5, "不是有效的金额"), (True, "不是有效的金额"), ("", "不能为空"),
])
def test_to_fen_errors(value, words):
    with pytest.raises(FieldError, match=words) as exc:
        to_fen(value, field="月缴费基数")
    assert exc.value.field == "月缴费基数"


def test_fen_to_str():
    assert fen_to_str(9599200) == "95992.00"
    assert fen_to_str(5) == "0.05"
    assert fen_to_str(0) == "0.00"
    assert fen_to_str(-1234) == "-12.34"


def test_format_yuan():
    assert format_yuan(1234560) == "¥12,345.60"
    assert format_yuan(100000000) == "¥1,000,000.00"
    assert format_yuan(7) == "¥0.07"
    assert format_yuan(-1200) == "-¥12.00"


@given(st.integers(min_value=0, max_value=10**12))
def test_fen_to_str_round_trips(fen):
    assert to_fen(fen_to_str(fen)) == fen
    assert to_fen(format_yuan(fen)) == fen


@pytest.mark.parametrize("value, fen", [
    (Decimal("2.5"), 3), (Decimal("2.49"), 2), (Decimal("3.5"), 4), (Decimal("0.5"), 1),
    (Decimal("100"), 100), (Decimal("-2.5"), -3),
])
def test_round_half_up_fen(value, fen):
    assert round_half_up_fen(value) == fen


def test_per_order_units_to_str():
    assert per_order_units_to_str(700) == "0.0700"
    assert per_order_units_to_str(10000) == "1.0000"
    assert per_order_units_to_str(12345) == "1.2345"
    assert per_order_units_to_str(0) == "0.0000"
