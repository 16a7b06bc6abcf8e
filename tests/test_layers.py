"""The house rules of style.md: claims/ and forms/ never import Qt; claims never
imports reportlab or forms; forms never touches the database; only main.py imports ui."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def test_packages_exist():
    for p in ("claims", "forms", "ui"):
        assert modules(p), p


def test_claims_has_no_qt_reportlab_forms_or_ui():
    for f in modules("claims"):
        bad = imports(f) & {"PySide6", "shiboken6", "PyQt5", "PyQt6", "reportlab", "forms", "ui"}
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"


def test_forms_has_no_qt_database_or_ui():
    for f in modules("forms"):
        bad = imports(f) & {"PySide6", "shiboken6", "sqlite3", "sqlite_utils", "ui"}
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"
        assert "claims.store" not in f.read_text(encoding="utf-8"), f


def test_only_main_imports_ui():
    for f in list(ROOT.glob("*.py")) + modules("claims") + modules("forms") + modules("bench") + modules("installer"):
        if f.name == "main.py" and f.parent == ROOT:
            continue
        assert "ui" not in imports(f), f"{f.relative_to(ROOT)} imports ui"


def test_the_gui_gets_its_actor_from_the_login_only():
    """ui/ never makes an Actor, nor issues one: it gets the one the login returns
    (ui/context.py refuses any other at run time)."""
    for f in modules("ui"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in ("Actor", "_issue", "_actor_for"), \
                    f"{f.relative_to(ROOT)}:{node.lineno} makes an actor ({name})"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("claims"):
                assert not {a.name for a in node.names} & {"_issue", "_ISSUED"}, f"{f.relative_to(ROOT)}"
