"""The store opens with its core and loads its other parts on first use
(claims/store/__init__.py): start-up stays light, and nothing a caller can
see depends on which parts are loaded."""
import ast
import subprocess
import sys
from pathlib import Path

from claims.store import REST, Actor, Store, complete_store

ROOT = Path(__file__).resolve().parents[2]
STORE_DIR = ROOT / "claims" / "store"
COOPERATIVE = {"__init__", "_after_migrate", "load_all_parts"}  # chains through super(), or (load_all_parts) a no-op in the base


def run(code: str) -> str:
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_no_name_is_defined_by_two_parts_so_loading_order_changes_nothing():
    owners: dict[str, list[str]] = {}
    for cls in complete_store().__mro__[1:]:
        for name in vars(cls):
            if not (name.startswith("__") and name.endswith("__")) or name == "__init__":
                owners.setdefault(name, []).append(cls.__name__)
    twice = {n: o for n, o in owners.items() if len(o) > 1 and n not in COOPERATIVE}
    assert not twice, f"defined by two parts of the store (which one runs would depend on what is loaded): {twice}"


def test_every_mixin_in_the_store_package_is_a_part_of_the_store():
    defined = set()
    for f in STORE_DIR.rglob("*.py"):
        for node in ast.parse(f.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Mixin"):
                defined.add(node.name)
    parts = {c.__name__ for c in complete_store().__mro__}
    assert defined - parts == set(), "a mixin neither in the core (Store's bases) nor in REST"
    assert len(REST) + len(Store.__bases__) - 1 <= len(defined)


def test_opening_and_the_home_figures_load_only_the_core_then_any_method_loads_the_rest(tmp_path):
    db = tmp_path / "x.db"
    s = Store(db, "T", create=True)  # creating seeds every part's shipped data: all parts loaded
    assert s.platforms() == [] and type(s).__mro__[1].__name__ == "ReceiveMixin"
    s.close()
    out = run(f"""
import sys
from claims.store import REST, Actor, CaseFilter, Store
s = Store({str(db)!r}, 'T')
admin = Actor('admin', role='admin')
s.counts(), s.case_lines(CaseFilter(), admin), s.approval_lines(admin), s.waiting_steps(admin)
s.draft_declarations(admin), s.count_workers(None, admin), s.calendar(), s.parameter_gaps(), s.office_unset()
s.import_problems('2026-01-01'), s.has_users()
print('before', type(s) is Store, sum('claims.store.' + m in sys.modules for m, _ in REST))
print(s.platforms(admin) == [], isinstance(s, Store), s.users() == [])
print('after', all('claims.store.' + m in sys.modules for m, _ in REST))
""")
    assert "before True 1" in out, out  # only document_fields, whose checks the cases use
    assert "True True True" in out and "after True" in out, out


def test_an_unknown_name_is_still_an_attribute_error(tmp_path):
    s = Store(tmp_path / "x.db", "T", create=True)
    try:
        for name in ("no_such_method", "__no_such_dunder__"):
            try:
                getattr(s, name)
            except AttributeError as e:
                assert name in str(e)
            else:
                raise AssertionError(f"{name} was found")
        assert not hasattr(s, "no_such_method")
        assert isinstance(s, Store) and s.platforms(Actor("admin", role="admin")) == []
    finally:
        s.close()
