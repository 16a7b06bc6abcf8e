"""The site's key pair (Ed25519, PyNaCl): it signs the head of the audit
chain (claims/store/anchor.py) and, later, the packages exchanged between
sites; its Curve25519 form opens sealed boxes addressed to the site.

The private key never enters the database: it lives in the per-user data
folder, ``keys/<site id>.key``, readable by the owner only (claims/private.py).
The database keeps the public key and its fingerprint (meta ``site.public_key``,
``site.fingerprint``), so anyone holding the file can check a signature, and
only this installation can make one.

API (for the exchange work as well):
``SiteKey.load(site_id)`` / ``SiteKey.create(site_id)`` / ``SiteKey.load_or_create(site_id)``,
``key.sign(message) -> signature``, ``verify(public_key, message, signature) -> bool``,
``key.public_key`` (32 bytes), ``key.public_key_text`` (base64), ``fingerprint(public_key)``,
``key.box_private_key()`` / ``box_public_key(public_key)`` for ``nacl.public.Box``/``SealedBox``."""
from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from .errors import ClaimsError
from .lazy import lazy_import
from .private import private_dir, restrict, track, untrack

hashlib = lazy_import("hashlib")  # loaded on first use, not at start-up

FORMAT = "zhibaotong-site-key/1"
_SITE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_key(key: bytes | str) -> bytes:
    """A public key given as 32 bytes or as base64 text."""
    raw = key if isinstance(key, bytes) else base64.b64decode(key.encode("ascii"), validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return raw


def fingerprint(public_key: bytes | str) -> str:
    """What people compare on two screens: 16 hexadecimal digits of the key's SHA-256, in groups of four."""
    h = hashlib.sha256(decode_key(public_key)).hexdigest()[:16].upper()
    return "-".join(h[i:i + 4] for i in range(0, 16, 4))


def verify(public_key: bytes | str, message: bytes, signature: bytes | str) -> bool:
    """Whether ``signature`` (bytes or base64) is the key's signature of ``message``."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey
    try:
        sig = signature if isinstance(signature, bytes) else base64.b64decode(signature.encode("ascii"), validate=True)
        VerifyKey(decode_key(public_key)).verify(message, sig)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def box_public_key(public_key: bytes | str):
    """The site's encryption public key (``nacl.public.PublicKey``), derived from its signing key."""
    from nacl.signing import VerifyKey
    return VerifyKey(decode_key(public_key)).to_curve25519_public_key()


def key_folder() -> Path:
    from .settings import data_dir
    return data_dir() / "keys"  # made private (0700) when the first key is written


class SiteKey:
    """A site's private signing key, loaded from (or created in) the key folder."""

    def __init__(self, site_id: str, signing_key, path: Path | None = None):
        self.site_id = site_id
        self._key = signing_key
        self.path = path

    # -- where and how it is kept ---------------------------------------------
    @staticmethod
    def path_for(site_id: str, folder: Path | None = None) -> Path:
        if not _SITE.fullmatch(site_id):
            raise ClaimsError(f"站点编号“{site_id}”不合规则")
        return (folder or key_folder()) / f"{site_id}.key"

    @classmethod
    def load(cls, site_id: str, folder: Path | None = None) -> SiteKey | None:
        """The site's key on this computer (for this user), or None."""
        from nacl.signing import SigningKey
        path = cls.path_for(site_id, folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = SigningKey(base64.b64decode(data["seed"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ClaimsError(f"站点密钥文件 {path} 无法读取或已损坏（{e}）") from None
        if data.get("public_key") != _b64(bytes(key.verify_key)):
            raise ClaimsError(f"站点密钥文件 {path} 已损坏（公钥与私钥不符）")
        restrict(path)
        return cls(site_id, key, path)

    @classmethod
    def create(cls, site_id: str, folder: Path | None = None) -> SiteKey:
        """A new key pair, kept readable by the owner only. Never replaces a key:
        if another process made one meanwhile, that one is returned."""
        from nacl.signing import SigningKey

        from .timeutil import now_iso
        path = cls.path_for(site_id, folder)
        private_dir(path.parent)
        key = SigningKey.generate()
        body = json.dumps({"format": FORMAT, "site": site_id, "created_at": now_iso(),
                           "seed": _b64(bytes(key)), "public_key": _b64(bytes(key.verify_key))}, indent=1)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        track(tmp)
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)  # fails if a key exists: never overwrite one
            except FileExistsError:
                return cls.load(site_id, folder)
            except OSError:  # a file system without hard links
                if path.exists():
                    return cls.load(site_id, folder)
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            untrack(tmp)
        return cls(site_id, key, path)

    @classmethod
    def load_or_create(cls, site_id: str, folder: Path | None = None) -> SiteKey:
        return cls.load(site_id, folder) or cls.create(site_id, folder)

    # -- what it does -----------------------------------------------------------
    @property
    def public_key(self) -> bytes:
        return bytes(self._key.verify_key)

    @property
    def public_key_text(self) -> str:
        return _b64(self.public_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message).signature

    def sign_text(self, message: bytes) -> str:
        return _b64(self.sign(message))

    def box_private_key(self):
        """The site's encryption private key (``nacl.public.PrivateKey``) for ``Box``/``SealedBox``."""
        return self._key.to_curve25519_private_key()

    def __repr__(self) -> str:  # never the private key
        return f"SiteKey({self.site_id!r}, {self.fingerprint})"
