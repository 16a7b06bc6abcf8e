"""A database's site identity and the signing of its audit chain.

meta holds ``site.id``, ``site.public_key``, ``site.fingerprint`` and
``database.id`` (each audited); the private key is the site's file in the
per-user key folder (claims/sitekey.py). On open the store checks that the
key is here, that it is the one the database names, and that the chain still
ends on a head the anchor signed (claims/store/anchor.py); only then does it
sign what it commits. Anything else leaves ``store.identity_problem`` set and
nothing signed — re-signing a chain changed behind the program's back would
launder the change. ``audit accept`` (an administrator, audited) re-signs on
purpose, e.g. after a database was moved to another computer without its key."""
from __future__ import annotations


from .. import sitekey
from ..errors import ClaimsError
from ..lazy import lazy_import
from ..timeutil import now_iso
from . import anchor
from .base import Actor

uuid = lazy_import("uuid")  # loaded on first use, not at start-up

SITE_META = ("site.id", "site.public_key", "site.fingerprint", "database.id")


def database_id(store) -> str:
    return store.meta_get("database.id") or ""


def open_identity(store) -> None:
    """Find the key to sign with, or say in ``store.identity_problem`` why not."""
    store.identity_problem, store._site_key = None, None
    meta_pub = store.meta_get("site.public_key")
    path = anchor.anchor_path(store.path)
    content = anchor.read(path)
    if meta_pub is None:
        if content is None:  # a new database, or the first open of one made before signing existed
            adopt(store, Actor("system:site-key"), "首次签名")
        else:
            store.identity_problem = (f"数据库中没有站点公钥，旁边却有签名锚点 {path.name}："
                                      "数据库可能被替换或在程序之外改动。请运行 audit verify 核对")
        return
    site = store.meta_get("site.id") or ""
    _adopt_provisioned_key(store, site)
    try:
        key = _KeyOnFirstUse.find(site)  # PyNaCl is loaded when the first action is signed, not at every start
    except ClaimsError as e:
        store.identity_problem = e.message
        return
    if key is None:
        store.identity_problem = (f"本机（当前用户）没有站点 {site} 的私钥，新的审计记录无法签名。数据库可能是从另一台电脑复制来的；"
                                  "管理员核对后可用 audit accept 以本机的密钥重新签名")
        return
    if key.public_key_text != meta_pub:
        store.identity_problem = (f"数据库记录的站点公钥（指纹 {sitekey.fingerprint(meta_pub)}）与本机的站点密钥"
                                  f"（指纹 {key.fingerprint}）不同：数据库可能被替换，或来自另一台电脑。请运行 audit verify 核对")
        return
    why = anchor_problem(store, content, meta_pub, signatures=False)
    if why and not (store.read_only or getattr(store, "opened_read_only", False)):
        again = _look_again_under_the_write_lock(store, meta_pub)
        if again is not None:
            why = again
    if why:
        store.identity_problem = why
        return
    store._site_key = key


def _adopt_provisioned_key(store, site: str) -> None:
    """A database provisioned for this computer carries its site's key beside it
    (``<db>.sitekey``, claims/store/exchange/provision.py): moved into the key folder once."""
    from pathlib import Path
    beside = Path(f"{store.path}.sitekey")
    if not site or not beside.is_file():
        return
    target = sitekey.SiteKey.path_for(site)
    if not target.exists():
        from ..private import private_dir, write_private
        private_dir(target.parent)
        write_private(target, beside.read_bytes())
    if sitekey.SiteKey.load(site) is not None:
        beside.unlink(missing_ok=True)


class _KeyOnFirstUse:
    """The site key, read from its file when it first signs something."""

    def __init__(self, site_id: str, public_key_text: str):
        self.site_id, self.public_key_text = site_id, public_key_text
        self._key = None

    @classmethod
    def find(cls, site_id: str):
        """The key on this computer (its public half, read without PyNaCl), or None."""
        import json
        path = sitekey.SiteKey.path_for(site_id)
        try:
            return cls(site_id, json.loads(path.read_text(encoding="utf-8"))["public_key"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ClaimsError(f"站点密钥文件 {path} 无法读取或已损坏（{e}）") from None

    @property
    def fingerprint(self) -> str:
        return sitekey.fingerprint(self.public_key_text)

    def __getattr__(self, name):
        if self._key is None:
            self._key = sitekey.SiteKey.load(self.site_id)
            if self._key is None or self._key.public_key_text != self.public_key_text:
                raise ClaimsError(f"站点 {self.site_id} 的密钥文件在程序运行中被删除或替换")
        return getattr(self._key, name)


def _look_again_under_the_write_lock(store, public_key: str) -> str | None:
    """Another program (or another connection of this one) writes the anchor in place
    while it holds the write lock, between its last insert and its commit: read
    without that lock, the anchor can be half written or a head ahead of the chain.
    Look again holding the lock; returns the problem then, '' when there is none,
    or None when the lock could not be had (the first look stands)."""
    from .db import ERRORS
    try:
        store.conn.execute("BEGIN IMMEDIATE")
    except ERRORS:
        return None
    try:
        return anchor_problem(store, anchor.read(anchor.anchor_path(store.path)), public_key, signatures=False) or ""
    finally:
        store.conn.execute("ROLLBACK")


def anchor_problem(store, content: bytes | None, public_key: str, *, signatures: bool = True) -> str | None:
    """Why the anchor beside the database does not vouch for its chain, or None
    (``signatures=False``: the quick look on open, the signatures left for later)."""
    path = anchor.anchor_path(store.path)
    if content is None:
        return (f"找不到签名锚点文件 {path.name}：无法证明审计日志没有被截断或改写"
                "（数据库被单独复制，或锚点被删除）。请用 backup/restore 迁移数据库；核对后管理员可用 audit accept 重新签名")
    try:
        a = anchor.parse(content, public_key, signatures=signatures)
    except ValueError as e:
        return str(e)
    if a.database != database_id(store):
        return f"签名锚点 {path.name} 属于另一个数据库（锚点被替换）"
    if signatures:
        store._anchor_cache = (content, a)
    return anchor.check_chain(store.conn, a)


def sign_before_commit(store, before: anchor.Head, after: anchor.Head):
    """Inside the write transaction, before COMMIT: sign ``after`` (keeping
    ``before``) into the anchor file. Returns how to put the old anchor back
    should the commit fail, or None when nothing was signed."""
    path = anchor.anchor_path(store.path)
    content = anchor.read(path)
    cached = store._anchor_cache
    if cached is not None and cached[0] == content:
        a = cached[1]
    else:
        try:
            a = anchor.parse(content, store._site_key.public_key_text) if content is not None else None
        except ValueError:
            a = None
    if a is None or before not in a.heads:
        store.identity_problem = ("审计日志或签名锚点在本程序上次签名之后被改动，此后的记录不再签名。"
                                  "请运行 audit verify 核对")
        store._site_key = None
        return None
    new = anchor.make(store._site_key, database_id(store), [after, before], now_iso())
    anchor.write(path, new)
    store._anchor_cache = (new, anchor.Anchor(a.database, a.site, a.public_key, "", [after, before]))
    return lambda: anchor.write(path, content)


def sign_after_commit(store, after: anchor.Head) -> None:
    """The commit is done: the anchor now vouches for the new head alone (so cutting
    off the last action shows too) — under the write lock, and only if no other
    program committed meanwhile. If the lock is not free at once, or the disk is
    full, the anchor keeps the two heads: weaker for a moment, never wrong."""
    from .db import ERRORS
    if store._site_key is None:
        return
    conn = store.conn
    patience = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except ERRORS:
        return
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(patience)}")
    try:
        if anchor.chain_head(conn) != after:
            return
        content = anchor.make(store._site_key, database_id(store), [after], now_iso())
        anchor.write(anchor.anchor_path(store.path), content)
    except OSError:
        return
    finally:
        conn.execute("ROLLBACK")
    store._anchor_cache = (content, anchor.Anchor(database_id(store), store._site_key.site_id,
                                                  store._site_key.public_key_text, "", [after]))


def adopt(store, actor: Actor, reason: str) -> sitekey.SiteKey:
    """Make this installation's key the database's site key and sign the chain
    as it stands (audited: the old and new fingerprints, and why)."""
    site = store.meta_get("site.id") or store.site_id
    key = sitekey.SiteKey.load_or_create(site)
    old = {k: store.meta_get(k) for k in SITE_META}
    new = {"site.id": site, "site.public_key": key.public_key_text, "site.fingerprint": key.fingerprint,
           "database.id": old["database.id"] or uuid.uuid4().hex}
    path = anchor.anchor_path(store.path)
    previous = anchor.read(path)
    store._site_key = None  # the adoption itself is signed below, as one new anchor
    try:
        with store.atomic():
            items = []
            for k, v in new.items():
                if old[k] != v or k == "site.public_key":  # the signing itself is always on record
                    store.meta_set(k, v)
                    items.append((k, {"value": [old[k], v], "reason": [None, reason]}, {"key": k, "value": v}))
            store._audit_many(actor, "site_key", "meta", items)
            _baseline(store, actor)
            head = anchor.chain_head(store.conn)
            content = anchor.make(key, new["database.id"], [head], now_iso())
            anchor.write(path, content)
    except BaseException:
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            anchor.write(path, previous)
        raise
    store._anchor_cache = None
    store._site_key, store.identity_problem = key, None
    return key


def _baseline(store, actor: Actor) -> None:
    """What older versions left unaudited (number counters, printed-document records,
    imported daily counts) is recorded as it stands when the database is first signed."""
    from .base import row_digest
    for table, key in (("counters", "name"), ("printed_documents", "code")):
        items = []
        for row in store.conn.execute(f"SELECT * FROM {table}"):
            row = dict(row)
            last = store.conn.execute("SELECT row_digest FROM audit_log WHERE table_name = ? AND record_id = ?"
                                      " ORDER BY seq DESC LIMIT 1", (table, row[key])).fetchone()
            if last is None or last[0] != row_digest(row):
                items.append((row[key], {"*": [None, "baseline"]}, row))
        if items:
            store._audit_many(actor, "baseline", table, items)
    store.seal_reset(actor, "daily_counts", "首次签名时的导入日单量")
