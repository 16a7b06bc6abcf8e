"""Users and login: Argon2 password hashes, lock-out after repeated wrong
passwords, the first administrator of a new database."""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..enums import Role
from ..errors import ClaimsError, DatabaseBusy, FieldError, NotFound, PermissionDenied, ReadOnlyDatabase
from ..change import Change
from ..lazy import lazy_import
from ..permissions import require
from ..timeutil import now
from .base import Actor, _issue
from .encryption import EncryptionMixin

if TYPE_CHECKING:
    from ..models import AuditEntry, User

models = lazy_import("claims.models")

MAX_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def _check_password(pw: str) -> None:
    if len(pw) < MIN_PASSWORD:
        raise FieldError("密码", f"至少 {MIN_PASSWORD} 位")
    if pw.isdigit() or pw.isalpha():
        raise FieldError("密码", "须同时包含字母和数字")


class UsersMixin(EncryptionMixin):
    """On an encrypted database every change of a user's password or state also
    changes their wrap of the data key (claims/store/keyring.py), in the same action."""

    def users(self) -> list[User]:
        return [models.User.from_row(dict(r)) for r in self.conn.execute("SELECT * FROM users ORDER BY role, username")]

    def has_users(self) -> bool:
        return self.conn.execute("SELECT 1 FROM users WHERE password_hash != '' LIMIT 1").fetchone() is not None

    @staticmethod
    def _actor_for(user: User) -> Actor:
        """The actor of a user who has just proved who they are (login, first administrator)."""
        return _issue(Actor(user.username, role=user.role.value, platform_id=user.platform_id,
                            station_id=user.station_id, display_name=user.display_name))

    def setup_first_admin(self, password: str, username: str = "admin", display_name: str = "系统管理员") -> Actor:
        """First start of a new database: the administrator chooses a password."""
        if self.has_users():
            raise PermissionDenied("已设置管理员，请登录")
        _check_password(password)
        with self.atomic():
            row = self._insert("users", {"username": username, "display_name": display_name, "role": "admin",
                                         "password_hash": _hasher().hash(password)}, Actor("system:setup"))
        return self._actor_for(models.User.from_row(row))

    def add_user(self, actor: Actor, *, username: str, display_name: str, role: str, password: str,
                 platform_id: str | None = None, station_id: str | None = None) -> tuple[User, Change]:
        require(actor, "user.admin")
        username = username.strip()
        if not username:
            raise FieldError("用户名", "不能为空")
        if self.conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise FieldError("用户名", f"“{username}”已存在")
        role = Role(role).value
        if role == "station_manager":
            if not station_id:
                raise FieldError("站点", "站长须指定所属站点")
            platform_id = self.station(station_id).platform_id
        else:
            platform_id = station_id = None
        _check_password(password)
        with self._keys_changing() as keys:
            row = self._insert("users", {"username": username, "display_name": display_name.strip() or username,
                                         "role": role, "platform_id": platform_id, "station_id": station_id,
                                         "password_hash": _hasher().hash(password)}, actor)
            if keys is not None:  # the new user unlocks the database with the password given here
                keys.wrap_password(username, password, self.data_key)
        return models.User.from_row(row), self.change("users", ids=[row["id"]], summary=f"新增用户 {username}")

    def set_user_active(self, actor: Actor, user_id: str, active: bool, *,
                        expected_version: int | None = None) -> tuple[User, Change]:
        require(actor, "user.admin")
        u = self._must("users", user_id, "用户")
        if u["username"] == actor.username and not active:
            raise ClaimsError("不能停用自己的账户")
        with self._keys_changing() as keys:
            row = self._update("users", user_id, {"active": int(active)}, actor, what="用户",
                               expected_version=expected_version)
            if keys is not None:  # a deactivated user can no longer unlock the file; re-activated, as before
                if active and row["password_hash"]:
                    keys.wrap_login(row["username"], row["password_hash"], self.data_key)
                elif not active:
                    keys.remove(row["username"])
        return models.User.from_row(row), self.change("users", ids=[user_id])

    def authenticate(self, username: str, password: str, *, at: datetime | None = None) -> Actor:
        from argon2.exceptions import VerificationError
        at = at or now()
        r = self.conn.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone()
        if r is None or not r["password_hash"]:
            raise PermissionDenied("用户名或密码错误")
        u = dict(r)
        system = Actor(f"login:{u['username']}")
        if not u["active"]:
            raise PermissionDenied("该账户已停用，请联系管理员")
        if u["locked_until"] and datetime.fromisoformat(u["locked_until"]) > at:
            left = int((datetime.fromisoformat(u["locked_until"]) - at).total_seconds() // 60) + 1
            raise PermissionDenied(f"密码错误次数过多，账户已锁定，请 {left} 分钟后再试")
        try:
            _hasher().verify(u["password_hash"], password)
        except VerificationError:
            attempts = self._count_failed_login(u["id"], at, system)
            if attempts >= MAX_ATTEMPTS:
                raise PermissionDenied(f"密码连续错误 {MAX_ATTEMPTS} 次，账户已锁定 {LOCK_MINUTES} 分钟") from None
            raise PermissionDenied(f"用户名或密码错误（还可尝试 {MAX_ATTEMPTS - attempts} 次）") from None
        if u["failed_attempts"] or u["locked_until"]:
            try:
                with self.atomic():
                    self._update("users", u["id"], {"failed_attempts": 0, "locked_until": None}, system,
                                 action="login", what="用户")
            except (DatabaseBusy, ReadOnlyDatabase):
                pass  # the count goes back to zero at the next login; the user is not kept waiting
        return self._actor_for(models.User.from_row(u))

    def _count_failed_login(self, user_id: str, at: datetime, actor: Actor, patience: float = 120.0) -> int:
        """Count a wrong password, even while another program writes: the count is
        read and raised inside one write transaction (two failures at once are both
        counted), and a busy database is waited for again rather than the count lost."""
        deadline = time.monotonic() + patience
        while True:
            try:
                with self.atomic():
                    attempts = self._must("users", user_id, "用户")["failed_attempts"] + 1
                    changes = {"failed_attempts": attempts}
                    if attempts >= MAX_ATTEMPTS:
                        changes = {"failed_attempts": 0,
                                   "locked_until": (at + timedelta(minutes=LOCK_MINUTES)).isoformat()}
                    self._update("users", user_id, changes, actor, action="login_failed", what="用户")
                return attempts
            except DatabaseBusy:
                if time.monotonic() > deadline:
                    raise PermissionDenied("数据库正被另一程序长时间占用，暂时无法登录，请稍后再试") from None
            except ReadOnlyDatabase:  # a copy on read-only media: nothing can be counted there
                return self._must("users", user_id, "用户")["failed_attempts"] + 1

    def change_password(self, actor: Actor, old: str, new: str) -> Change:
        from argon2.exceptions import VerificationError
        r = self.conn.execute("SELECT * FROM users WHERE username = ?", (actor.username,)).fetchone()
        if r is None:
            raise NotFound("找不到当前用户")
        try:
            _hasher().verify(r["password_hash"], old)
        except VerificationError:
            raise FieldError("原密码", "不正确") from None
        if new == old:
            raise FieldError("新密码", "不能与原密码相同")
        _check_password(new)
        with self._keys_changing() as keys:
            self._update("users", r["id"], {"password_hash": _hasher().hash(new)}, actor, action="password",
                         what="用户")
            if keys is not None:
                keys.wrap_password(actor.username, new, self.data_key)
        return self.change("users", ids=[r["id"]], summary="密码已修改")

    def reset_password(self, actor: Actor, user_id: str, new: str, *,
                       expected_version: int | None = None) -> Change:
        """An administrator gives a user a new password (forgotten, or locked out of an
        encrypted database): it also ends a lock-out and wraps the data key anew."""
        require(actor, "user.admin")
        u = self._must("users", user_id, "用户")
        _check_password(new)
        with self._keys_changing() as keys:
            self._update("users", user_id, {"password_hash": _hasher().hash(new), "failed_attempts": 0,
                                            "locked_until": None}, actor, action="password_reset", what="用户",
                         expected_version=expected_version)
            if keys is not None:
                keys.wrap_password(u["username"], new, self.data_key)
        return self.change("users", ids=[user_id], summary=f"已为用户 {u['username']} 重设密码")

    def log_reveal(self, actor: Actor, table: str, record_id: str, fields: str) -> None:
        """Revealing a masked identifier is logged (the row itself is unchanged)."""
        require(actor, "worker.reveal")
        row = self._must(table, record_id, "记录")
        with self.atomic():
            self._audit(actor, "reveal", table, record_id, {fields: ["masked", "shown"]}, row)

    def log_export(self, actor: Actor, what: str, rows: int, personal: bool) -> None:
        if personal:
            require(actor, "export.personal")
        with self.atomic():
            self._audit(actor, "export", "exports", what, {"rows": [None, rows], "personal": [None, personal]}, None)

    # -- audit viewer ---------------------------------------------------------
    def audit_entries(self, actor: Actor, *, user: str = "", record: str = "", date_from: str = "",
                      date_to: str = "", offset: int = 0, limit: int = 200) -> list[AuditEntry]:
        """Entries filtered by user, record (id or natural number) and date, newest first."""
        require(actor, "audit.view")
        where, args = [], []
        if user.strip():
            where.append("actor = ?")
            args.append(user.strip())
        if record.strip():
            ids = {record.strip()}
            for table, col in (("workers", "id_number"), ("cases", "number"), ("declarations", "number"),
                               ("benefit_payments", "number"), ("users", "username")):
                r = self.conn.execute(f"SELECT id FROM {table} WHERE {col} = ?", (record.strip().upper()
                                      if col == "id_number" else record.strip(),)).fetchone()
                if r:
                    ids.add(r[0])
                    if table == "cases":  # a case's history includes its events, decisions, payments …
                        for t in ("case_events", "decisions", "appraisals", "assessments", "benefit_payments",
                                  "case_documents"):
                            ids |= {x[0] for x in self.conn.execute(f"SELECT id FROM {t} WHERE case_id = ?", (r[0],))}
                    if table == "workers":
                        ids |= {x[0] for x in self.conn.execute(
                            "SELECT id FROM enrollments WHERE worker_id = ? UNION SELECT id FROM other_cover"
                            " WHERE worker_id = ?", (r[0], r[0]))}
            where.append(f"record_id IN ({','.join('?' * len(ids))})")
            args += sorted(ids)
        if date_from:
            where.append("at >= ?")
            args.append(date_from)
        if date_to:
            where.append("at < date(?, '+1 day')")
            args.append(date_to)
        q = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "")
        return [models.AuditEntry.model_validate(dict(r), strict=False) for r in self.conn.execute(
            q + " ORDER BY seq DESC LIMIT ? OFFSET ?", (*args, limit, offset))]
