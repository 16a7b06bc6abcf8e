"""Turning encryption of the database file on and off (administrators), keeping
the users' wraps of the data key right as users and passwords change, and
opening an encrypted database with a user's name and password.

Encrypting (``encrypt_database``): a new random data key; a ``login`` wrap for
every active user who has a password (claims/store/keyring.py: made from the
Argon2id hash the database keeps, so nobody has to be asked for a password and
everyone logs in afterwards as before); the keys file written; then SQLite3
Multiple Ciphers re-encrypts every page in place (``PRAGMA rekey``, one
transaction, with the rollback journal: the journal mode leaves WAL for it).
Decrypting does the reverse and removes the keys file. A keys file beside a
plain file (a stop between the two steps) is ignored: the file is the truth.
Both need the database to themselves: another program that has it open makes
them wait, then refuse with a message."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..change import Change
from ..errors import ClaimsError, DatabaseBusy, ReadOnlyDatabase, database_problem
from ..permissions import require
from . import db as sqlite
from . import keyring
from .base import Actor, StoreBase


IN_USE = "另一程序或窗口正在使用这个数据库：请先关闭它们，再加密或取消加密"


class EncryptionMixin(StoreBase):
    @property
    def encrypted(self) -> bool:
        return self.data_key is not None

    def key_users(self) -> dict[str, str]:
        """Who can unlock this encrypted database: username → ``password`` or
        ``login`` (has not logged in since the encryption)."""
        if not self.encrypted:
            return {}
        kf = keyring.KeyFile.load(keyring.keys_path(self.path))
        return {u: w.get("kind", "password") for u, w in sorted(kf.users.items())}

    def _unlockable_users(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute(
            "SELECT username, role, password_hash FROM users WHERE active = 1 AND password_hash != ''"
            " ORDER BY username")]

    def encrypt_database(self, actor: Actor) -> Change:
        """Encrypt the open database file in place; every active user keeps logging in
        with their own password."""
        require(actor, "database.encrypt")
        if self.encrypted:
            raise ClaimsError("数据库已经加密")
        if self.read_only:
            raise ReadOnlyDatabase(f"数据库 {self.path} 是只读的，不能加密")
        users = self._unlockable_users()
        if not any(u["role"] == "admin" for u in users):
            raise ClaimsError("数据库中还没有能登录的管理员：请先设置管理员密码，再加密")
        key = keyring.new_data_key()
        kf = keyring.new_keys(key, keyring.keys_path(self.path))
        for u in users:
            kf.wrap_login(u["username"], u["password_hash"], key)
        kf.save()  # first the keys, then the file: a stop in between leaves a plain file that opens as before
        try:
            self._rekey(key)
        except BaseException:
            if not keyring.is_encrypted(self.path):
                kf.path.unlink(missing_ok=True)
            raise
        with self.atomic():
            self._audit(actor, "encrypt", "database", "file", {"encrypted": [False, True],
                        "users": [None, len(users)]}, None)
        return self.change("database", summary=f"数据库已加密：{len(users)} 个用户可用各自的密码打开")

    def decrypt_database(self, actor: Actor) -> Change:
        """Store the open database as a plain file again (its backups stay as they are)."""
        require(actor, "database.encrypt")
        if not self.encrypted:
            raise ClaimsError("数据库没有加密")
        if self.read_only:
            raise ReadOnlyDatabase(f"数据库 {self.path} 是只读的，不能取消加密")
        self._rekey(None)
        keyring.keys_path(self.path).unlink(missing_ok=True)
        with self.atomic():
            self._audit(actor, "decrypt", "database", "file", {"encrypted": [True, False]}, None)
        return self.change("database", summary="数据库已取消加密")

    def _rekey(self, key: bytes | None) -> None:
        """Re-encrypt every page with ``key`` (None: plain), on this connection, alone."""
        c = self.conn
        if c.in_transaction:
            raise RuntimeError("rekey inside a transaction")
        try:
            mode = c.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite.ERRORS as e:
            if isinstance(database_problem(e, self.path), DatabaseBusy):
                raise DatabaseBusy(IN_USE) from e
            self._raise_problem(e)
            raise
        if mode.lower() != "delete":
            raise DatabaseBusy(IN_USE)
        try:
            sqlite.apply_key(c.raw, key, rekey=True)
        except sqlite.apsw.Error as e:
            raise sqlite.translate(e) from e
        finally:
            c.execute("PRAGMA journal_mode = WAL")
        c.key = key
        sqlite.set_key(self.path, key)

    @contextmanager
    def _keys_changing(self) -> Iterator[keyring.KeyFile | None]:
        """One action on users (one transaction) that changes their wraps: yields the keys
        file (None for a plain database) to change; it is written just before the action
        commits and put back as it was if the action fails."""
        if not self.encrypted:
            with self.atomic():
                yield None
            return
        path = keyring.keys_path(self.path)
        before = path.read_bytes()
        kf = keyring.KeyFile.parse(before, path)
        written = False
        try:
            with self.atomic():
                yield kf
                kf.save()
                written = True
        except BaseException:
            if written:
                from ..private import write_private
                write_private(path, before)
            raise


def open_unlocked(path: str | Path, site_id: str, username: str, password: str, read_only: bool = False):
    """Open the encrypted database at ``path`` for a user: the password unlocks the
    data key (claims/store/keyring.py, counting a wrong one), then the usual login
    inside the database. Returns (store, actor)."""
    from . import Store
    key = keyring.unlock(path, username, password)
    sqlite.set_key(path, key)
    try:
        store = Store(path, site_id, read_only=read_only)
    except BaseException:
        sqlite.set_key(path, None)
        raise
    try:
        actor = store.authenticate(username, password)
    except BaseException:
        store.close()
        sqlite.set_key(path, None)
        raise
    return store, actor
