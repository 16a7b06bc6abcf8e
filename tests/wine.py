"""Whether the tests run as a Windows program under Wine (installer/windows/check.sh)."""
import os


def _under_wine() -> bool:
    if os.name != "nt":
        return False
    import ctypes
    try:
        return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")
    except OSError:
        return False


UNDER_WINE = _under_wine()
# Wine 8 emulates the byte-range locks of SQLite's WAL index so that a connection waiting
# for the write lock never sees it released: it waits its whole busy timeout and fails,
# even with the plain apsw module. On Windows itself this is still to be checked.
WAL_LOCKS = "Wine 8 never shows a waiting SQLite connection the write lock released (to check on Windows itself)"
# The 100,000-row import test measures time and memory at scale: the Linux run does that; under
# Wine, on CI's two cores beside the Linux run, it alone took four of the Windows check's minutes.
AT_SCALE = "100,000 rows: time and memory at scale are measured by the Linux run (4 minutes under Wine)"
