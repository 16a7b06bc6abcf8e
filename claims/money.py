"""Money is integer fen (分) everywhere; this module converts and writes it.

Never use float for money. Per-order fees are integer units of 0.0001 元.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from claims.errors import FieldError
from claims.i18n import _
from claims.lazy import lazy_import

if TYPE_CHECKING:
    from decimal import Decimal

decimal = lazy_import("decimal")  # for amounts typed in: showing one (format_yuan) needs none

_AMOUNT_RE = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def to_fen(value: str | int | Decimal, *, field: str = "金额") -> int:
    """Yuan ("7384.00", "95992", "0.5", 95992, Decimal("1.25")) to integer fen.

    Accepts full-width digits, a leading ¥ and thousands commas; more than two
    non-zero decimal places, a negative or a non-number raise FieldError.
    """
    if isinstance(value, bool):
        raise FieldError(field, _("不是有效的金额"))
    if isinstance(value, int):
        amount = decimal.Decimal(value)
    elif isinstance(value, decimal.Decimal):
        amount = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        text = text.removeprefix("¥").removesuffix("元").replace(",", "").strip()
        if not text:
            raise FieldError(field, _("不能为空"))
        if text.startswith("-"):
            raise FieldError(field, _("不能为负数"))
        if not _AMOUNT_RE.fullmatch(text):
            raise FieldError(field, _("“{v}”不是有效的金额").format(v=value.strip()))
        amount = decimal.Decimal(text)
    else:
        raise FieldError(field, _("不是有效的金额"))
    if not amount.is_finite():
        raise FieldError(field, _("不是有效的金额"))
    if amount < 0:
        raise FieldError(field, _("不能为负数"))
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise FieldError(field, _("最多两位小数（精确到分）"))
    return int(fen)


def fen_to_str(fen: int) -> str:
    """9599200 -> "95992.00" (no separators)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def format_yuan(fen: int) -> str:
    """1234560 -> "¥12,345.60"; negative amounts "-¥12.00"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def round_half_up_fen(value: Decimal) -> int:
    """A Decimal amount in fen rounded half-up (away from zero) to whole fen."""
    try:
        return int(decimal.Decimal(value).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))
    except decimal.InvalidOperation:
        raise ValueError(f"not a finite amount: {value!r}") from None


def per_order_units_to_str(units: int) -> str:
    """Per-order fee in 0.0001 元 units: 700 -> "0.0700"."""
    sign = "-" if units < 0 else ""
    yuan, rest = divmod(abs(units), 10000)
    return f"{sign}{yuan}.{rest:04d}"


# --- 中文大写金额 ---------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _group_words(n: int) -> str:
    """1..9999 without leading/trailing zeros; one 零 for an inner run of zeros."""
    out, pending_zero = [], False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
        pending_zero = False
    return "".join(out)


def _integer_words(n: int) -> str:
    """Positive integer read in four-digit groups (107000 -> 壹拾万柒仟)."""
    groups = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("amount too large for 中文大写")
    out, gap = [], False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            gap = True
            continue
        if out and (gap or g < 1000):
            out.append("零")
        out.append(_group_words(g) + _GROUP_UNITS[idx])
        gap = False
    return "".join(out)


def amount_in_words(fen: int) -> str:
    """Canonical 中文大写金额 (identifiers.md): 1680.32 -> 壹仟陆佰捌拾元零叁角贰分."""
    if fen < 0:
        raise ValueError("negative amounts have no 中文大写 form")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if yuan == 0:
        if rest == 0:
            return "零元整"
        return (_DIGITS[jiao] + "角" if jiao else "") + (_DIGITS[fen_digit] + "分" if fen_digit else "")
    words = _integer_words(yuan) + "元"
    if rest == 0:
        return words + "整"
    if jiao == 0 or yuan % 10 == 0:
        words += "零"
    if jiao:
        words += _DIGITS[jiao] + "角"
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    return words
