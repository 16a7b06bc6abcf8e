"""installer/build.py prints Chinese (its description, the bundle line) whatever the code page
of the pipe it writes into: on an English Windows that is cp1252, where printing 职保通 raised
UnicodeEncodeError after PyInstaller had finished, so Inno Setup never ran."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_build_script_prints_chinese_into_a_cp1252_pipe():
    env = dict(os.environ, PYTHONIOENCODING="cp1252")  # what an English Windows gives a pipe
    r = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--help"], capture_output=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert "职保通" in r.stdout.decode("utf-8")
