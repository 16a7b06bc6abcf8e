"""Typed errors whose message a clerk understands (Chinese)."""
from __future__ import annotations


class ClaimsError(Exception):
    """Base of every expected error; ``message`` is shown to the user as is."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class FieldError(ClaimsError):
    """Bad value in one field (and optionally one row of an import)."""

    def __init__(self, field: str, message: str, row: int | None = None):
        self.field = field
        self.row = row
        prefix = f"第 {row} 行：" if row is not None else ""
        super().__init__(f"{prefix}{field}：{message}")
        self.detail = message


class NotFound(ClaimsError):
    pass


class PermissionDenied(ClaimsError):
    pass


class InvalidTransition(ClaimsError):
    pass


class DatabaseError(ClaimsError):
    """The database file is missing, damaged, or newer than this program."""


class MissingParameter(ClaimsError):
    """A figure a formula needs is not in the parameter tables."""

    def __init__(self, name: str, label: str, region: str, on: str):
        self.name = name
        self.region = region
        self.on = on
        super().__init__(f"缺少参数“{label}”：地区 {region}，日期 {on}，请管理员在“设置 › 参数表”中录入")  # no code on screen
