"""职保通 entry point: parse arguments, set up logging, then start the GUI or a
headless command. Heavy modules are imported only when needed."""
from __future__ import annotations

import logging
import os
import sys
from importlib import import_module
from pathlib import Path


def version() -> str:
    """The single source is pyproject.toml (beside main.py, or inside the
    bundle); an installed package's metadata is the fallback."""
    here = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))
    try:
        text = (here / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        text = ""
    # the [project] table's version line; a regular expression rather than tomllib, whose import
    # costs more than the rest of this function at every start
    import re
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = project and re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M)
    if found:
        return found.group(1)
    try:
        from importlib.metadata import version as v
        return v("zhibaotong")
    except Exception:  # noqa: BLE001 - neither source present
        return "0.0.0"


def setup_logging() -> Path:
    """The log names records and files: it is its owner's only, like everything else we write."""
    from claims.private import create_private, restrict
    from claims.settings import log_dir
    path = log_dir() / "zhibaotong.log"
    if not create_private(path):
        restrict(path)
    logging.basicConfig(filename=path, level=logging.INFO, encoding="utf-8",
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return path


def output_pipe_closed(e: OSError) -> bool:
    """Whether ``e`` is standard output's reader having gone away. Linux and macOS raise
    BrokenPipeError; Windows raises OSError with errno EINVAL (22) when writing to a pipe
    whose reader closed it, which is also what a bad file name raises: that one names
    the file, a write to the pipe does not, and standard output must be a pipe."""
    import errno
    import os
    import stat
    if isinstance(e, BrokenPipeError):
        return True
    if e.errno != errno.EINVAL or e.filename is not None:
        return False
    try:
        return stat.S_ISFIFO(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    if os.name == "posix":  # whatever the program creates (database, exports, printouts) is its owner's only
        os.umask(0o077)
    from claims.cli import build_parser, run
    args = build_parser(version()).parse_args(argv)
    log = setup_logging()
    if args.command is None:
        from ui.app import run_gui
        return run_gui(args, version(), log)
    try:
        code = run(args, renderer=lambda: import_module("forms.render"))
        if sys.stdout is not None:  # (None in the windowed zhibaotong.exe)
            sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return code
    except OSError as e:
        if not output_pipe_closed(e):
            logging.exception("unexpected failure in %s", args.command)
            print(f"意外错误，详情已记录在 {log}", file=sys.stderr)
            return 1
        # output piped into `head` (or `findstr`, `more`) that stopped reading: not a failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:  # noqa: BLE001 - the last resort: log the trace, say where it is
        logging.exception("unexpected failure in %s", args.command)
        print(f"意外错误，详情已记录在 {log}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
