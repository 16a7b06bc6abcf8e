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
