"""The shared-folder mode: one folder per site under a shared root (a network
share, a synchronised folder). Packages for site X are dropped in ``<root>/X/``;
each site picks up what is in its own folder, applies it, and moves it to
``<root>/X/applied/`` (a refused one to ``refused/``, with the reason beside it)."""
from __future__ import annotations

from pathlib import Path

from ...errors import ClaimsError
from ...private import private_dir, write_private
from .package import SUFFIX


def sync_folder(store, actor, root: Path, progress=None, cancelled=None) -> dict:
    """Pick up this site's packages, then drop one for every trusted site that has
    something it has not acknowledged. Returns what was done."""
    root = Path(root)
    if not root.is_dir():
        raise ClaimsError(f"共享文件夹不存在或无法访问：{root}")
    mine = private_dir(root / store.site_id)
    incoming = sorted(p for p in mine.glob(f"*{SUFFIX}") if p.is_file())
    peers = [r[0] for r in store.conn.execute("SELECT site FROM exchange_sites WHERE trusted = 1 ORDER BY site")]
    total, done = len(incoming) + len(peers), 0
    result = {"imported": [], "refused": [], "sent": []}
    for p in incoming:
        if cancelled and cancelled():
            break
        try:
            r = store.import_package(actor, p.read_bytes())
            target = private_dir(mine / "applied") / p.name
            p.replace(target)
            result["imported"].append((p.name, r))
        except ClaimsError as e:
            target = private_dir(mine / "refused") / p.name
            p.replace(target)
            write_private(target.with_suffix(".txt"), e.message.encode("utf-8"))
            result["refused"].append((p.name, e.message))
        done += 1
        if progress:
            progress(done, total)
    for site in peers:
        if cancelled and cancelled():
            break
        if store.pending_for(site):
            data, summary = store.export_package(actor, site)
            out = private_dir(root / site) / f"{store.site_id}-{summary['seq']:06d}{SUFFIX}"
            write_private(out, data)
            result["sent"].append((site, summary))
        done += 1
        if progress:
            progress(done, total)
    return result
