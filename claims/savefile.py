"""Saving a file the user named — an export, a workbook, a reconciliation, a PDF —
all or nothing, readable by its owner only (claims/private.py), in one place for
the GUI and the headless commands.

The content is written to a temporary file beside the target, which then
replaces the target in one step (``os.replace``): a failure or a cancel leaves
the old file as it was and nothing half-written behind.

On Windows a file that Excel or a PDF reader holds open cannot be replaced
(``PermissionError``). The new content is then kept under a free name beside it
(``月报 (2).pdf``) and ``FileInUse`` says so in plain Chinese, naming both
files. A target marked read-only is treated the same way on every system
(Windows refuses to replace it; elsewhere we refuse, rather than overwrite a
file its owner protected).
"""
from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ClaimsError
from .i18n import _


class FileInUse(ClaimsError):
    """The target could not be replaced; ``kept`` is where the new content is (or None)."""

    def __init__(self, target: Path, kept: Path | None):
        self.target, self.kept = target, kept
        msg = _("“{name}”正被其他程序打开（如 Excel 或 PDF 阅读器）或为只读，无法覆盖。"
                "请关闭该文件后重试，或换一个文件名。").format(name=target.name)
        if kept is not None:
            msg += _("这次的结果已另存为“{kept}”（同一文件夹）。").format(kept=kept.name)
        super().__init__(msg)


def _temp_name(target: Path) -> Path:
    return target.with_name(f"{target.name}.{os.getpid()}.part")


def free_name(target: Path) -> Path:
    """``name (2).ext``, ``name (3).ext``, … : the first that does not exist."""
    n = 2
    while True:
        cand = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not cand.exists():
            return cand
        n += 1


def _read_only(path: Path) -> bool:
    try:
        return not os.stat(path).st_mode & stat.S_IWUSR
    except OSError:
        return False


def commit(tmp: Path, target: Path) -> Path:
    """Put the finished ``tmp`` in place of ``target``; returns ``target``.
    Raises FileInUse (the content kept under a free name) when the target is held."""
    try:
        if _read_only(target):
            raise PermissionError(13, "read-only", str(target))
        os.replace(tmp, target)
        return target
    except PermissionError:
        kept = None
        for _attempt in range(5):  # another program may take the free name meanwhile
            cand = free_name(target)
            try:
                os.replace(tmp, cand)
                kept = cand
                break
            except PermissionError:
                continue
            except OSError:
                break
        raise FileInUse(target, kept) from None


@contextmanager
def saving(target: str | Path) -> Iterator[Path]:
    """``with saving(path) as tmp:`` write the whole file to ``tmp``; on leaving the block
    it replaces ``path`` (see ``commit``). On any error, ``tmp`` is removed and ``path``
    is untouched. A folder that cannot be written, a full disk and the like raise a
    ClaimsError naming the place."""
    from .private import create_private, restrict, track, untrack
    target = Path(target)
    tmp = _temp_name(target)
    track(tmp)  # removed at exit too, should the program stop half-way
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not create_private(tmp):  # left over from an earlier failure
            restrict(tmp)
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(2, "nothing written", str(tmp))
        try:
            restrict(commit(tmp, target))
        except FileInUse as e:
            if e.kept is not None:
                restrict(e.kept)
            raise
    except FileInUse:
        raise
    except PermissionError:
        raise ClaimsError(_("无法在“{d}”中保存文件：没有写入权限，请换一个文件夹。").format(d=target.parent)) from None
    except OSError as e:  # a full disk, a removed USB stick, a name the system refuses
        from .errors import database_problem
        raise database_problem(e, target) or ClaimsError(
            _("无法保存“{p}”：{e}").format(p=target, e=e.strerror or e)) from None
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        untrack(tmp)


def save_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` all or nothing; returns ``target``."""
    with saving(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)
