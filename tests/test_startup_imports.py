"""What opening the program loads before its window can appear (bench/startup.py
measures the time; these keep the slow modules from creeping back)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(code: str) -> set[str]:
    p = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                       cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    return set(p.stdout.split())


def test_opening_a_database_loads_no_pydantic_sqlite_utils_or_numpy(tmp_path):
    from claims.store import Store
    Store(tmp_path / "x.db", "T", create=True).close()  # creating one seeds the parameter tables: pydantic
    mods = loaded_after(f"from claims.store import Store\ns = Store({str(tmp_path / 'x.db')!r}, 'T')\n"
                        f"print(s.counts(), s.meta_get('last_backup'))\ns.close()")
    assert not {"pydantic", "sqlite_utils", "numpy", "claims.benefits"} & mods


def test_models_load_on_first_use_and_still_validate_strictly(tmp_path):
    code = (f"from claims.store import Actor, Store\n"
            f"s = Store({str(tmp_path / 'x.db')!r}, 'T', create=True)\n"
            f"p, change = s.add_platform(Actor('admin', role='admin'), name='美团', industries=['food_delivery'])\n"
            f"assert type(p).__name__ == 'Platform' and p.industries[0].label == '外卖', p\n"
            f"assert change.tables == frozenset({{'platforms'}}) and p.id in change.ids\n"
            f"from claims.models import Platform\n"
            f"import pydantic\n"
            f"try:\n"
            f"    Platform.model_validate({{**p.model_dump(), 'name': 5}})\n"
            f"    raise SystemExit('a number was accepted as a name')\n"
            f"except pydantic.ValidationError:\n"
            f"    pass\n")
    assert "pydantic" in loaded_after(code)


def test_the_main_window_shows_its_figures_with_the_stores_core_only(tmp_path):
    """bench/startup.py's "ready": what the first screen loads. The store's other parts, the list
    sections' widgets and OpenSSL wait until after the figures (the parts: until the window is idle)."""
    from claims import settings
    from claims.store import Store
    db = tmp_path / "x.db"
    Store(db, settings.site_id(), create=True).close()  # (the installation's site id is made once, at its first start)
    code = f"""
import argparse, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from claims.store import Store
from claims.store.base import Actor, _issue
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from importlib import import_module
app = QApplication([])
ui_app = import_module("ui.app")
args = argparse.Namespace(db={str(db)!r}, demo=False, command=None)
store = ui_app.open_store(args)
window = ui_app.open_main_window(args, "t", store=store, actor=_issue(Actor("admin", role="admin")))
seen = {{}}
def ready():
    seen["core only"] = type(store) is Store
    seen["loaded"] = [m for m in ("claims.store.decisions", "claims.store.payments", "ui.sections.listing", "_hashlib",
                                  "pydantic") if m in sys.modules]
    QTimer.singleShot(0, app.quit)
window.sections[0].badge_changed.connect(ready)
window.show()
app.exec()
print(seen)
"""
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    assert "{'core only': True, 'loaded': []}" in p.stdout, p.stdout
