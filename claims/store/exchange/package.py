"""The package file (``.zbt``) sites exchange by USB stick, e-mail or a shared folder.

    ZBT1\\n  {"format", "id", "from", "to"}\\n  SealedBox(receiver, Ed25519-signed(payload))

The first line names the sender and the addressee in clear, so a package for
another site is refused before anything is opened; everything else is signed
with the sender's site key and then encrypted to the receiver's key (PyNaCl:
``SigningKey.sign`` and ``SealedBox`` — one library, nothing home-made). The
payload is a zip: ``manifest.json`` (package id, from, to, sequence number on
this pair of sites, hash of the previous package on the pair, schema version,
what the sender holds of every site's units and audit entries, counts per
table, the units listed in order), ``units/<origin>-<seq>`` (changesets),
``audit.json`` (audit entries per site, with each site's signed head) and
``files/<sha256>`` (attached scans, once each). The clear header must agree
with the signed manifest; one byte changed anywhere fails the decryption, the
signature or that agreement, and the package is refused whole."""
from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass, field

from ...errors import ClaimsError

MAGIC = b"ZBT1\n"
FORMAT = "zhibaotong-package/1"
SUFFIX = ".zbt"


class PackageRefused(ClaimsError):
    """A package that is not applied at all (exit 2), with the reason."""


@dataclass
class Package:
    manifest: dict
    units: list[tuple[dict, bytes]] = field(default_factory=list)  # (unit info, changeset)
    audit: dict = field(default_factory=dict)  # origin -> {"entries": [...], "head": {...}}
    files: dict[str, bytes] = field(default_factory=dict)


def header(data: bytes) -> dict:
    if not data.startswith(MAGIC):
        raise PackageRefused("这不是职保通的交换包（文件开头不对），未导入")
    try:
        end = data.index(b"\n", len(MAGIC))
        h = json.loads(data[len(MAGIC):end].decode("utf-8"))
        if h.get("format") != FORMAT:
            raise ValueError
        return {**h, "_body": end + 1}
    except (ValueError, UnicodeDecodeError):
        raise PackageRefused("交换包的封面已损坏或被改动，未导入") from None


def write(pkg: Package, signing_key, receiver_box_key) -> bytes:
    from nacl.public import SealedBox
    buf = io.BytesIO()
    import zipfile  # here: loaded only by an exchange, not with the store at start-up
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("manifest.json", json.dumps(pkg.manifest, ensure_ascii=False, sort_keys=True))
        for info, cs in pkg.units:
            z.writestr(f"units/{info['origin']}-{info['seq']}", cs)
        z.writestr("audit.json", json.dumps(pkg.audit, ensure_ascii=False))
        for digest, content in pkg.files.items():
            z.writestr(zipfile.ZipInfo(f"files/{digest}"), content, zipfile.ZIP_STORED)
    signed = signing_key.sign(buf.getvalue())
    body = SealedBox(receiver_box_key).encrypt(signed)
    m = pkg.manifest
    head = json.dumps({"format": FORMAT, "id": m["id"], "from": m["from"], "to": m["to"], "seq": m["seq"]},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")
    return MAGIC + head + b"\n" + body


def read(data: bytes, box_private_key, sender_public_key: str) -> Package:
    """Decrypt, check the signature against the trusted sender's key, unpack."""
    from nacl.exceptions import BadSignatureError, CryptoError
    from nacl.public import SealedBox
    from nacl.signing import VerifyKey
    h = header(data)
    try:
        signed = SealedBox(box_private_key).decrypt(data[h["_body"]:])
    except CryptoError:
        raise PackageRefused("交换包无法解开：文件已损坏、被改动，或不是加密给本站点的，未导入") from None
    try:
        payload = VerifyKey(base64.b64decode(sender_public_key)).verify(signed)
    except (BadSignatureError, ValueError):
        raise PackageRefused(f"交换包的签名不是站点 {h.get('from')} 受信任的密钥所签，未导入（可能是冒充）") from None
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as z:
            m = json.loads(z.read("manifest.json"))
            units = [(u, z.read(f"units/{u['origin']}-{u['seq']}")) for u in m["units"]]
            audit = json.loads(z.read("audit.json"))
            files = {n[6:]: z.read(n) for n in z.namelist() if n.startswith("files/")}
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise PackageRefused(f"交换包内容不完整（{e}），未导入") from None
    for k in ("id", "from", "to", "seq"):
        if m.get(k) != h.get(k):
            raise PackageRefused("交换包封面与签名内容不一致（封面被改动），未导入")
    for digest, content in files.items():
        if hashlib.sha256(content).hexdigest() != digest:
            raise PackageRefused(f"交换包中的材料文件 {digest[:12]}… 与其哈希不符，未导入")
    return Package(m, units, audit, files)
