import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Settings and logs go to a temporary folder, never the user's own."""
    monkeypatch.setenv("ZHIBAOTONG_HOME", str(tmp_path_factory.mktemp("home")))


# The demo places its dates relative to a day (default: today). The tests pin
# that day, so their demo has orders in 2025-05 … 2025-10 whatever today is.
DEMO_AS_OF = date(2025, 11, 1)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    from claims.demo import generate
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    generate(path, workers=300, seed=7, as_of=DEMO_AS_OF).close()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A private copy of a small demo database (each test may change it)."""
    dest = tmp_path / "demo.db"
    shutil.copy2(demo_template, dest)
    return dest


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
