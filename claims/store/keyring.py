"""The key of an encrypted database and the users' wraps of it.

An encrypted database (SQLite3 Multiple Ciphers, SQLCipher 4's format: see
claims/store/db.py) is encrypted with one random 256-bit **data key**. The data
key is never stored as it is: it is wrapped once per user — a key derived from
the user's password with Argon2id (argon2-cffi), then PyNaCl's ``SecretBox``
(XSalsa20-Poly1305) over the data key — and the wraps are kept OUTSIDE the
encrypted file, which cannot be read before the key is known, in
``<database>.keys`` beside it (readable by its owner only; JSON: per user the
Argon2 parameters, the salt and the wrapped key, and the lock-out count of the
unlock step). Whoever knows a user's password can unlock the data key; the file
alone, with or without ``.keys``, shows nothing.

Two kinds of wrap:
- ``password``: the Argon2id key of the password with a salt of its own. Made
  whenever the program is given a password: a new user, a password changed or
  reset by an administrator, and at each user's first login after encryption.
- ``login``: made when a database is encrypted (or a user re-activated), for
  users whose passwords nobody but they know. The wrapping key is derived from
  the Argon2id hash the database already keeps for the user's login (the same
  salt and parameters), so every user can log in afterwards with the password
  they have, and the first login replaces it by a ``password`` wrap with a salt
  of its own. Until then an old PLAIN copy of the database (which holds those
  hashes) can unlock the encrypted file — the README says so.

A user whose wrap is missing (lost keys file, a wrap removed) cannot open the
encrypted database; an administrator who can still log in resets their password,
which wraps the key anew.

The unlock step counts wrong passwords like the login does (claims/store/users.py:
five, then fifteen minutes' lock), in the keys file, since the database cannot be
opened to count them: each wrong password is counted once, there or — when the
database is already open (the idle lock) — in the database."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import ClaimsError, PermissionDenied
from ..lazy import lazy_import
from ..private import write_private

hashlib = lazy_import("hashlib")  # loaded on first use, not at start-up

FORMAT = "zhibaotong-keys/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
CIPHER = "sqlcipher-4"  # what db.CIPHER configures: recorded so that a later program can tell
_PERSON = b"zbt-wrap-key"


def keys_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".keys")


def _header(db_path: str | Path) -> bytes:
    try:
        with open(db_path, "rb") as f:
            return f.read(16)
    except OSError:
        return b""


def is_encrypted(db_path: str | Path) -> bool:
    """The file is encrypted: its keys file is beside it and it does not begin as a
    plain SQLite file does. (A keys file beside a plain file is what an encryption
    or decryption stopped half-way leaves: the file is the truth.)"""
    header = _header(db_path)
    return bool(header) and header != SQLITE_MAGIC and keys_path(db_path).exists()


def looks_encrypted(db_path: str | Path) -> bool:
    """A non-empty file that is not plain SQLite (encrypted, or damaged, or not a database)."""
    header = _header(db_path)
    return bool(header) and header != SQLITE_MAGIC


def key_id(key: bytes) -> str:
    """Names a data key without revealing it (to match a backup's key to the open database's)."""
    return hashlib.blake2b(key, digest_size=8, person=b"zbt-data-key").hexdigest()


def new_data_key() -> bytes:
    from nacl.utils import random
    return random(32)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s + "=" * (-len(s) % 4))


def _derive(password: str, w: dict) -> bytes:
    from argon2.low_level import Type, hash_secret_raw
    raw = hash_secret_raw(password.encode("utf-8"), _unb64(w["salt"]), time_cost=w["t"], memory_cost=w["m"],
                          parallelism=w["p"], hash_len=w["len"], type=Type.ID, version=w.get("v", 19))
    return _wrapping_key(raw)


def _wrapping_key(raw_hash: bytes) -> bytes:
    return hashlib.blake2b(raw_hash, digest_size=32, person=_PERSON).digest()


def _box(wrapping_key: bytes):
    from nacl.secret import SecretBox
    return SecretBox(wrapping_key)


@dataclass
class KeyFile:
    """The keys file of one encrypted database."""

    key_id: str
    users: dict[str, dict] = field(default_factory=dict)
    path: Path | None = None

    # -- reading and writing --------------------------------------------------
    @classmethod
    def parse(cls, data: bytes, path: Path | None = None) -> KeyFile:
        try:
            d = json.loads(data)
            if d.get("format") != FORMAT:
                raise ValueError(d.get("format"))
            return cls(d["key_id"], {u: dict(w) for u, w in d["users"].items()}, path)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise ClaimsError(f"密钥文件 {path or ''} 已损坏或不是职保通的密钥文件（{e}）") from None

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise ClaimsError(f"找不到加密数据库的密钥文件 {path}：没有它，任何用户都无法打开这个数据库。"
                              "请把它（或含有它的备份）放回数据库所在的文件夹。") from None
        return cls.parse(data, Path(path))

    def dumps(self) -> bytes:
        return json.dumps({"format": FORMAT, "cipher": CIPHER, "key_id": self.key_id, "users": self.users},
                          ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    def save(self, path: Path | None = None) -> None:
        write_private(path or self.path, self.dumps())

    # -- wraps ----------------------------------------------------------------
    def wrap_password(self, username: str, password: str, key: bytes) -> None:
        """Wrap ``key`` for ``username`` under their password, with a salt of its own."""
        from argon2 import PasswordHasher
        from nacl.utils import random
        ph = PasswordHasher()
        w = {"kind": "password", "salt": _b64(random(16)), "t": ph.time_cost, "m": ph.memory_cost,
             "p": ph.parallelism, "len": ph.hash_len, "v": 19}
        w["wrapped"] = _b64(bytes(_box(_derive(password, w)).encrypt(key)))
        self.users[username] = {**w, "failed": 0, "locked_until": None}

    def wrap_login(self, username: str, password_hash: str, key: bytes) -> None:
        """Wrap ``key`` for ``username`` under the Argon2id hash the database keeps for their
        login (no password needed: the user's own password unwraps it)."""
        from argon2 import Type, extract_parameters
        params = extract_parameters(password_hash)
        parts = password_hash.split("$")
        if params.type is not Type.ID or len(parts) != 6:
            raise ClaimsError(f"用户“{username}”的密码不是以 Argon2id 保存的，无法为其准备密钥：请先为其重设密码")
        w = {"kind": "login", "salt": parts[4], "t": params.time_cost, "m": params.memory_cost,
             "p": params.parallelism, "len": params.hash_len, "v": params.version}
        w["wrapped"] = _b64(bytes(_box(_wrapping_key(_unb64(parts[5]))).encrypt(key)))
        self.users[username] = {**w, "failed": 0, "locked_until": None}

    def unwrap(self, username: str, password: str) -> bytes | None:
        """The data key, if ``password`` is ``username``'s; None otherwise (nothing counted)."""
        from nacl.exceptions import CryptoError
        w = self.users.get(username)
        if w is None:
            return None
        try:
            key = _box(_derive(password, w)).decrypt(_unb64(w["wrapped"]))
        except (CryptoError, ValueError, KeyError, TypeError):
            return None
        return key if key_id(key) == self.key_id else None

    def remove(self, username: str) -> None:
        self.users.pop(username, None)

    def pending(self) -> list[str]:
        """Users whose wrap still comes from the encryption (they have not logged in since)."""
        return sorted(u for u, w in self.users.items() if w.get("kind") == "login")


def new_keys(key: bytes, path: Path) -> KeyFile:
    return KeyFile(key_id(key), {}, Path(path))


UNKNOWN_USER = ("用户名或密码错误。（加密的数据库只能由持有密钥的用户打开：如用户名和密码确实无误，"
                "请管理员为您重设密码）")


def unlock(db_path: str | Path, username: str, password: str, *, at: datetime | None = None,
           count: bool = True) -> bytes:
    """The data key of the encrypted database at ``db_path``, unwrapped with the
    user's password, or PermissionDenied. A wrong password is counted (in the keys
    file, ``count``): five in a row lock the user out of the unlock step for fifteen
    minutes, as at the login. A ``login`` wrap is replaced by a ``password`` wrap."""
    from ..timeutil import now
    from .users import LOCK_MINUTES, MAX_ATTEMPTS
    at = at or now()
    path = keys_path(db_path)
    kf = KeyFile.load(path)
    username = username.strip()
    w = kf.users.get(username)
    if w is None:
        raise PermissionDenied(UNKNOWN_USER)
    if w.get("locked_until") and datetime.fromisoformat(w["locked_until"]) > at:
        left = int((datetime.fromisoformat(w["locked_until"]) - at).total_seconds() // 60) + 1
        raise PermissionDenied(f"密码错误次数过多，账户已锁定，请 {left} 分钟后再试")
    key = kf.unwrap(username, password)
    if key is None:
        if not count:
            raise PermissionDenied("用户名或密码错误")
        w["failed"] = int(w.get("failed") or 0) + 1
        attempts = w["failed"]
        if attempts >= MAX_ATTEMPTS:
            w["failed"], w["locked_until"] = 0, (at + timedelta(minutes=LOCK_MINUTES)).isoformat()
        _save_quietly(kf)
        if attempts >= MAX_ATTEMPTS:
            raise PermissionDenied(f"密码连续错误 {MAX_ATTEMPTS} 次，账户已锁定 {LOCK_MINUTES} 分钟")
        raise PermissionDenied(f"用户名或密码错误（还可尝试 {MAX_ATTEMPTS - attempts} 次）")
    if w.get("kind") == "login":
        kf.wrap_password(username, password, key)  # a salt of its own from now on
        _save_quietly(kf)
    elif w.get("failed") or w.get("locked_until"):
        w["failed"], w["locked_until"] = 0, None
        _save_quietly(kf)
    return key


def _save_quietly(kf: KeyFile) -> None:
    try:
        kf.save()
    except OSError:
        pass  # read-only media: nothing can be counted or renewed there (as in the database)
