"""Checks and normalisation of identifiers (see shared/domain/identifiers.md).

Every hard rejection raises :class:`FieldError` with a Chinese message naming the
problem; checks a person may override (credit-code checksum, the card's check digit) return a warning.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from claims.errors import FieldError
from claims.i18n import _
from claims.timeutil import today as china_today

# --- resident identity number (GB 11643-1999) ---------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
MIN_AGE, MAX_AGE = 16, 100


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    gender: str  # "male" | "female"
    area_code: str

    @property
    def gender_label(self) -> str:
        return "男" if self.gender == "male" else "女"


def _clean(raw: str | None, strip: str = " ") -> str:
    """NFKC (full-width digits/letters to ASCII), drop whitespace and ``strip`` chars."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in strip)


def id_check_char(first17: str) -> str:
    """Check character of an 18-digit identity number from its first 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise ValueError(f"need 17 digits, got {first17!r}")
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def parse_id_number(raw: str, *, field: str = "身份证号码", today: date | None = None,
                    ages: tuple[int, int] = (MIN_AGE, MAX_AGE)) -> IdNumber:
    """Validate a 18-digit (or old 15-digit) identity number; return the 18-digit form.
    ``ages``: the plausible age range of the holder (a worker by default; a
    dependant may be a child or very old)."""
    number = _clean(raw).upper()
    if not number:
        raise FieldError(field, _("不能为空"))
    if len(number) not in (15, 18):
        raise FieldError(field, _("应为18位（或15位旧号码），实际 {n} 位").format(n=len(number)))
    if len(number) == 15:
        if not number.isascii() or not number.isdigit():
            raise FieldError(field, _("15位旧号码只能包含数字"))
        first17 = number[:6] + "19" + number[6:]
        number = first17 + id_check_char(first17)
    elif not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise FieldError(field, _("前17位只能是数字，末位为数字或 X"))

    area = number[:6]
    if area[0] == "0" or not 11 <= int(area[:2]) <= 91:
        raise FieldError(field, _("地区码 {area} 无效（前两位应为省级代码）").format(area=area))

    ymd = number[6:14]
    try:
        born = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        raise FieldError(field, _("出生日期 {ymd} 不存在").format(ymd=ymd)) from None
    today = today or china_today()
    if born > today:
        raise FieldError(field, _("出生日期 {ymd} 晚于今天").format(ymd=ymd))
    age = _age_on(born, today)
    if age < ages[0]:
        raise FieldError(field, _("出生日期 {ymd} 表明未满{n}周岁，请核对").format(ymd=ymd, n=ages[0]))
    if age > ages[1]:
        raise FieldError(field, _("出生日期 {ymd} 表明已超过{n}周岁，请核对").format(ymd=ymd, n=ages[1]))

    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise FieldError(field, _("校验位错误，应为 {c}").format(c=expected))
    gender = "male" if int(number[16]) % 2 else "female"
    return IdNumber(number=number, birth_date=born, gender=gender, area_code=area)


def is_valid_id_number(raw: str) -> bool:
    try:
        parse_id_number(raw)
    except FieldError:
        return False
    return True


# --- unified social credit code (GB 32100-2015) -------------------------------

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """Check character of a unified social credit code from its first 17 characters."""
    if len(first17) != 17 or any(ch not in CREDIT_ALPHABET for ch in first17):
        raise ValueError(f"need 17 characters of {CREDIT_ALPHABET}, got {first17!r}")
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(raw: str, *, field: str = "统一社会信用代码") -> tuple[str, str | None]:
    """Return (normalised code, warning or None); malformed codes raise FieldError."""
    code = _clean(raw, " -").upper()
    if not code:
        raise FieldError(field, _("不能为空"))
    if len(code) != 18:
        raise FieldError(field, _("应为18位，实际 {n} 位").format(n=len(code)))
    bad = sorted({ch for ch in code if ch not in CREDIT_ALPHABET})
    if bad:
        raise FieldError(field, _("含有无效字符 {chars}（只用数字和大写字母，不含 I、O、S、V、Z）")
                         .format(chars="、".join(bad)))
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return code, _("校验位不符（按 GB 32100 应为 {c}），请核对；如确认代码无误，可填写原因后继续").format(c=expected)
    return code, None


# --- mobile number and bank card ---------------------------------------------

def normalize_mobile(raw: str, *, field: str = "手机号码") -> str:
    """Strip spaces, hyphens and a +86 / 0086 / 86 prefix; return 11 digits."""
    number = _clean(raw, " -")
    if not number:
        raise FieldError(field, _("不能为空"))
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) - len(prefix) == 11:
            number = number[len(prefix):]
            break
    if not re.fullmatch(r"1[3-9][0-9]{9}", number):
        raise FieldError(field, _("“{raw}”不是有效的11位手机号码（应以13–19开头）").format(raw=raw.strip()))
    return number


def luhn_ok(digits: str) -> bool:
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def normalize_bank_card(raw: str, *, field: str = "银行账号") -> tuple[str, str | None]:
    """Return (digits, warning or None); a failed Luhn check is only a warning."""
    digits = _clean(raw, " -")
    if not digits:
        raise FieldError(field, _("不能为空"))
    if not digits.isascii() or not digits.isdigit():
        raise FieldError(field, _("只能包含数字"))
    if not 15 <= len(digits) <= 19:
        raise FieldError(field, _("应为15至19位数字，实际 {n} 位").format(n=len(digits)))
    if not luhn_ok(digits):
        return digits, _("卡号校验位不符，请核对；部分银行卡不适用此校验，核对无误可继续")
    return digits, None


# --- masking -------------------------------------------------------------------

def _mask(text: str | None, head: int, tail: int) -> str:
    if not text:
        return ""
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


def mask_id(number: str | None) -> str:
    """``310***********123X``: first 3 and last 4 characters."""
    return _mask(number, 3, 4)


def mask_mobile(number: str | None) -> str:
    """``138****5678``."""
    return _mask(number, 3, 4)


def mask_account(number: str | None) -> str:
    """``6222 **** **** 1234`` whatever the length, so the length is not revealed."""
    if not number:
        return ""
    digits = _clean(number, " -")
    if len(digits) <= 8:
        return _mask(digits, 0, 4)
    return f"{digits[:4]} **** **** {digits[-4:]}"


# --- free text, dates, region codes (imports and forms) -------------------------

# C0/C1 control characters, DEL, and the invisible bidirectional overrides that
# make text read differently from what it is; tab and newline only where allowed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"[\t\n\r]")
_MARKUP = re.compile(r"<\s*[A-Za-z/!?][^<>]*>")  # a tag, comment or declaration: <b>, </a>, <!-- -->, <?xml ?>

PILOT_START = date(2022, 7, 1)  # the occupational-injury protection pilot began on 1 July 2022


def check_text(raw: str | None, field: str, *, max_len: int, row: int | None = None,
               multiline: bool = False) -> str:
    """Free text as a person typed it: stripped; refused with control
    characters (NUL included), markup (``<…>``) or more than ``max_len``
    characters. ``multiline`` allows line breaks and tabs."""
    text = (raw or "").strip()
    if not text:
        return ""
    if len(text) > max_len:
        raise FieldError(field, _("过长（{n} 个字，最多 {m} 个字）").format(n=len(text), m=max_len), row)
    bad = _CONTROL.search(text) or (None if multiline else _LINE_BREAK.search(text))
    if bad:
        raise FieldError(field, _("含有不可见的控制字符（U+{c:04X}），请删除后重新输入").format(c=ord(bad.group())), row)
    if _MARKUP.search(text):
        raise FieldError(field, _("含有网页标记“{m}”，不像是{f}").format(m=_MARKUP.search(text).group()[:20], f=field),
                         row)
    return text


def check_date_range(d: date, field: str, *, row: int | None = None, earliest: date | None = PILOT_START,
                     today: date | None = None) -> date:
    """A date no earlier than ``earliest`` (default: the pilot's start) and not in the future (China time)."""
    if earliest is not None and d < earliest:
        raise FieldError(field, _("{d} 早于试点开始日 {e}").format(d=d.isoformat(), e=earliest.isoformat()), row)
    today = today or china_today()
    if d > today:
        raise FieldError(field, _("{d} 晚于今天（{t}）").format(d=d.isoformat(), t=today.isoformat()), row)
    return d


def check_region(raw: str | None, field: str = "地区代码", *, row: int | None = None) -> str:
    """A six-digit administrative division code (GB/T 2260) from the shipped list."""
    from .regions import REGIONS
    code = (raw or "").strip()
    if code in REGIONS.codes:
        return code
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise FieldError(field, _("“{r}”应为六位数字（如上海 310000）").format(r=code), row)
    raise FieldError(field, _("{r} 不是有效的行政区划代码（按 {d} 的区划代码表）").format(r=code, d=REGIONS.as_of), row)


_COVERAGE: list[tuple[int, int]] | None = None


def unprintable_chars(text: str) -> list[str]:
    """The characters of ``text`` no shipped typeface can print (resources/fonts/
    coverage.json: the main face and the fallback for rare name characters)."""
    global _COVERAGE
    if not text or all(ord(ch) < 0x3400 for ch in text):
        return []
    if _COVERAGE is None:
        from .resources import load_json
        _COVERAGE = [tuple(r) for r in load_json("fonts/coverage.json")["ranges"]]
    import bisect
    starts = [a for a, _b in _COVERAGE]
    out = []
    for ch in dict.fromkeys(text):
        if ch.isspace():
            continue
        i = bisect.bisect_right(starts, ord(ch)) - 1
        if i < 0 or ord(ch) > _COVERAGE[i][1]:
            out.append(ch)
    return out


def name_print_warning(name: str, field: str = "姓名") -> str | None:
    """A warning (not a refusal) when a name has characters no printout can show."""
    odd = unprintable_chars(name)
    if not odd:
        return None
    codes = "、".join(f"U+{ord(c):04X}" for c in odd[:3])
    return _("{f}中的“{c}”（{u}）超出打印字体的范围，文书上无法打印；请核对证件上的写法，"
             "必要时在备注中说明").format(f=field, c="”“".join(odd[:3]), u=codes)
