import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Programs the tests start write UTF-8 into their pipes, as main.py does (Windows' would be its ANSI code page)
os.environ.setdefault("PYTHONIOENCODING", "utf-8")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Session fixtures run before the per-test home below: they too must never reach the user's own folder.
os.environ["ZHIBAOTONG_HOME"] = tempfile.mkdtemp(prefix="zbt-test-home-")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Settings and logs go to a temporary folder, never the user's own."""
    monkeypatch.setenv("ZHIBAOTONG_HOME", str(tmp_path_factory.mktemp("home")))


# The demo places its dates relative to a day (default: today). The tests pin
# that day, so their demo has orders in 2025-05 … 2025-10 whatever today is.
DEMO_AS_OF = date(2025, 11, 1)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo database, made in a home of its own (its site key is kept there)."""
    from claims.demo import generate
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    home, os.environ["ZHIBAOTONG_HOME"] = os.environ["ZHIBAOTONG_HOME"], str(path.parent / "home")
    try:
        generate(path, workers=300, seed=7, as_of=DEMO_AS_OF).close()
    finally:
        os.environ["ZHIBAOTONG_HOME"] = home
    return path


def copy_installation(src: Path, dest: Path, home: Path | None = None) -> Path:
    """A database moved as a whole: the file, its signed anchor, its attachments,
    and the site key into the current home (as on the computer that made it)."""
    from claims.settings import data_dir
    shutil.copy2(src, dest)
    for suffix in (".anchor", ".keys"):
        if src.with_name(src.name + suffix).exists():
            shutil.copy2(src.with_name(src.name + suffix), dest.with_name(dest.name + suffix))
    files = src.with_name(src.stem + ".files")
    if files.exists():
        shutil.copytree(files, dest.with_name(dest.stem + ".files"), dirs_exist_ok=True)
    keys = (home or src.parent / "home") / "keys"
    if keys.exists():
        shutil.copytree(keys, data_dir() / "keys", dirs_exist_ok=True)
    return dest


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A private copy of a small demo database (each test may change it)."""
    return copy_installation(demo_template, tmp_path / "demo.db")


@pytest.fixture
def demo_store(demo_db):
    from claims.store import Store
    s = Store(demo_db, "TEST")
    yield s
    s.close()


@pytest.fixture
def store(tmp_path):
    from claims.store import Store
    s = Store(tmp_path / "t.db", "TEST", create=True)
    yield s
    s.close()
