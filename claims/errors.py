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


class DatabaseBusy(ClaimsError):
    """Another program (or task) holds the write lock longer than the busy timeout."""

    def __init__(self, message: str = "另一任务正在写入数据库，请稍候再试"):
        super().__init__(message)


class StaleRecord(ClaimsError):
    """A change to a record that was read at an older version: someone else
    (another user, an import, an exchange package) changed it meanwhile.
    ``current`` is the record as it is now, to be shown beside the user's values."""

    def __init__(self, table: str, record_id: str, expected: int, current_version: int, current: dict,
                 what: str = "记录", by: str = "", at: str = ""):
        self.table, self.record_id, self.what = table, record_id, what
        self.expected, self.current_version, self.current = expected, current_version, current
        self.by, self.at = by, at
        super().__init__(f"该{what}在您打开之后已被修改（您打开时为第 {expected} 版，数据库中现为第 {current_version} 版），"
                         "刚才的修改没有保存。请查看最新内容后再决定。")


class ReadOnlyDatabase(DatabaseError):
    """The database file or its folder cannot be written."""


class DiskFull(DatabaseError):
    """No space left for the database, an attachment or a backup."""


class DamagedDatabase(DatabaseError):
    """SQLite found a damaged page: writing stops until the file is restored."""


class ForeignDatabase(DatabaseError):
    """A SQLite file of another program: it is never changed."""


class LockedDatabase(DatabaseError):
    """An encrypted database that no login has unlocked (claims/store/keyring.py)."""


LOCKED_MSG = ("数据库 {path} 已加密，须用本数据库某个用户的用户名和密码打开。"
              "命令行：加 --user 用户名，并用 --password-stdin 从标准输入给出密码"
              "（或设置环境变量 ZHIBAOTONG_USER 与 ZHIBAOTONG_PASSWORD）。")

READ_ONLY_MSG = ("数据库文件 {path} 或其所在文件夹是只读的，不能保存修改。"
                 "请检查文件属性与文件夹权限（只读介质上的数据库请先复制到本机）。")
DISK_FULL_MSG = "磁盘空间已满，刚才的操作没有保存（{path}）。请清理磁盘或换到空间充足的磁盘后再试。"
DAMAGED_MSG = ("数据库文件 {path} 已损坏（{detail}）。为免损坏扩大，程序已停止写入。"
               "请用“文件 › 从备份恢复…”（命令行：restore 备份文件）从最近的备份恢复。")


def _disk_nearly_full(path) -> bool:
    import shutil
    from pathlib import Path
    if not path:
        return False
    try:
        return shutil.disk_usage(Path(path).parent).free < (1 << 20)
    except OSError:
        return False


def database_problem(exc: BaseException, path=None) -> ClaimsError | None:
    """The typed error a clerk understands for a SQLite or file-system failure
    (busy, disk full, read-only, damaged), or None when it is none of these."""
    import errno
    import sqlite3
    if isinstance(exc, ClaimsError):
        return exc
    if type(exc).__module__ == "apsw":  # the store's connection (claims/store/db.py): as sqlite3 says it
        from .store.db import translate
        exc = translate(exc)
    where = str(path) if path else ""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc)
        if primary in (5, 6) or "database is locked" in text:
            return DatabaseBusy()
        if primary == 13 or "database or disk is full" in text:
            return DiskFull(DISK_FULL_MSG.format(path=where))
        if primary == 8 or "readonly database" in text:
            return ReadOnlyDatabase(READ_ONLY_MSG.format(path=where))
        if primary in (11, 26) or "malformed" in text or "not a database" in text:
            return DamagedDatabase(DAMAGED_MSG.format(path=where, detail=text))
        if primary == 14:
            return ReadOnlyDatabase(f"无法打开数据库文件 {where}：文件或所在文件夹不可访问（只读或无权限）。")
        if primary == 10 and _disk_nearly_full(path):  # SQLite says "I/O error" when it cannot grow -shm or -wal
            return DiskFull(DISK_FULL_MSG.format(path=where))
        if primary == 10:
            return DatabaseError(f"读写数据库文件 {where} 时出错（{text}）：磁盘或文件系统有问题，刚才的操作没有保存。")
        return None
    if isinstance(exc, OSError):
        name = exc.filename or where
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return DiskFull(DISK_FULL_MSG.format(path=name))
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyDatabase(f"不能写入 {name}：文件或所在文件夹是只读的，或没有权限。")
    return None
