"""The audit chain anchored outside the database file.

The audit log is a hash chain: whoever holds the file can rewrite a row and
recompute every hash after it. So the head of the chain (its last sequence
number and hash) is signed with the site's private key (claims/sitekey.py),
which never enters the file, and kept beside it as ``<database>.anchor`` (and
inside every backup). ``audit verify`` then shows a rewritten chain (the hash
at the signed number differs), a truncated one (the chain ends before it) and
entries added behind the program's back (the chain runs past every signed head).

The store signs once per write transaction, while it holds the write lock and
before it commits, so anchors of two programs never cross. The anchor keeps the
new head and the one before: a program stopped between writing the anchor and
the commit leaves a database whose head is still one of the two."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .. import sitekey
from ..private import write_private

FORMAT = "zhibaotong-anchor/1"
ZERO = "0" * 64


class Head(NamedTuple):  # a value read at every open: a named tuple is made without generating code
    seq: int
    hash: str


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".anchor")


def chain_head(conn) -> Head:
    r = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(r[0], r[1]) if r else Head(0, ZERO)


def _statement(database_id: str, site_id: str, head: Head) -> bytes:
    return json.dumps({"format": FORMAT, "database": database_id, "site": site_id, "seq": head.seq,
                       "hash": head.hash}, sort_keys=True, separators=(",", ":")).encode()


def make(key: sitekey.SiteKey, database_id: str, heads: list[Head], signed_at: str) -> bytes:
    """The anchor file's content: the heads (newest first), each signed."""
    doc = {"format": FORMAT, "database": database_id, "site": key.site_id, "public_key": key.public_key_text,
           "fingerprint": key.fingerprint, "signed_at": signed_at,
           "heads": [{"seq": h.seq, "hash": h.hash, "signature": key.sign_text(_statement(database_id, key.site_id, h))}
                     for h in heads]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


SLOT = 4096  # the anchor is one page, rewritten in place (a rename per commit costs milliseconds)


def write(path: Path, content: bytes) -> None:
    """Put ``content`` in the anchor file: the first time whole through a temporary
    file; afterwards in place, padded to one page and written in one call, so that
    a program stopped at any moment leaves either the old anchor or the new one."""
    if len(content) > SLOT or not path.exists():
        write_private(path, content.ljust(SLOT) if len(content) <= SLOT else content)
        return
    data = content.ljust(SLOT)
    with open(path, "r+b", buffering=0) as f:
        done = 0
        while done < len(data):
            done += f.write(data[done:])
        if f.seek(0, 2) > len(data):
            f.truncate(len(data))


def read(path: Path) -> bytes | None:
    """The anchor's content (without the padding), or None when there is none."""
    try:
        return path.read_bytes().rstrip(b" ")
    except FileNotFoundError:
        return None


@dataclass
class Anchor:
    database: str
    site: str
    public_key: str
    signed_at: str
    heads: list[Head]

    @property
    def fingerprint(self) -> str:
        """The signing key's fingerprint, for people to compare (worked out when shown, not at every open)."""
        return _fp(self.public_key)


def parse(content: bytes, public_key: str | None = None, *, signatures: bool = True) -> Anchor:
    """The anchor, its signatures checked (against ``public_key`` when given,
    else the key the anchor names); ValueError with a Chinese reason if not sound.
    ``signatures=False``: the quick look on open (the signatures are checked at the
    first signing and by ``audit verify``)."""
    try:
        doc = json.loads(content.decode("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError
        pub = doc["public_key"]
        heads = [(Head(int(h["seq"]), str(h["hash"])), h["signature"]) for h in doc["heads"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValueError("签名锚点文件格式不对或已损坏") from None
    if public_key is not None and pub != public_key:
        raise ValueError(f"签名锚点由另一把密钥（指纹 {_fp(pub)}）签署，不是本数据库的站点密钥（指纹 {_fp(public_key)}）")
    for head, sig in heads if signatures else ():
        if not sitekey.verify(pub, _statement(doc["database"], doc["site"], head), sig):
            raise ValueError(f"签名锚点第 {head.seq} 条的签名无效（锚点文件被改动）")
    if not heads:
        raise ValueError("签名锚点文件中没有签名")
    return Anchor(doc["database"], doc["site"], pub, doc.get("signed_at", ""), [h for h, _s in heads])


def _fp(pub: str) -> str:
    try:
        return sitekey.fingerprint(pub)
    except ValueError:
        return "?"


def check_chain(conn, anchor: Anchor) -> str | None:
    """Why the chain in ``conn`` is not one the anchor signed, or None. Run after
    the chain's own hashes were checked (claims/audit.py), or as a quick check on open."""
    head = chain_head(conn)
    if head in anchor.heads:
        return None
    newest = anchor.heads[0]
    if head.seq < min(h.seq for h in anchor.heads):
        return (f"审计日志被截断：签名记录到第 {newest.seq} 条，数据库中只到第 {head.seq} 条"
                f"（签名时间 {anchor.signed_at[:19]}）")
    for h in anchor.heads:
        r = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (h.seq,)).fetchone()
        if r is None:
            continue
        if r[0] != h.hash:
            return f"审计日志与签名不符：第 {h.seq} 条之前的记录已被改写（哈希链被重新计算过）"
        if head.seq > h.seq:
            return (f"审计日志第 {h.seq} 条之后有 {head.seq - h.seq} 条记录没有站点签名"
                    f"（在程序之外添加，或由没有站点密钥的程序写入）")
    return f"审计日志与签名不符：签名记录到第 {newest.seq} 条，数据库中的日志与之对不上"
