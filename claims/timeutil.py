"""Times carry Asia/Shanghai; dates are ISO strings in the database."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(SHANGHAI).replace(microsecond=0)


def today() -> date:
    """Today in China (Asia/Shanghai), whatever the PC's own time zone."""
    return now().date()


def now_iso() -> str:
    return now().isoformat()


def parse_time(text: str, *, field: str = "时间", row: int | None = None) -> datetime:
    """ISO 8601; a time without an offset is Shanghai time."""
    from .errors import FieldError

    t = unicodedata.normalize("NFKC", text or "").strip().replace("/", "-")  # full-width digits too
    if not t:
        raise FieldError(field, "不能为空", row)
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise FieldError(field, f"“{t}”不是有效的时间（应为 2025-09-03T14:05:00 这样的格式）", row) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt.astimezone(SHANGHAI)


def parse_date(text: str, *, field: str = "日期", row: int | None = None) -> date:
    from .errors import FieldError

    t = unicodedata.normalize("NFKC", text or "").strip().replace("/", "-")  # full-width digits too
    if not t:
        raise FieldError(field, "不能为空", row)
    try:
        return date.fromisoformat(t[:10])
    except ValueError:
        raise FieldError(field, f"“{t}”不是有效的日期（应为 YYYY-MM-DD）", row) from None


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
