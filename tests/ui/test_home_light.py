"""The home screen fills its figures from plain rows: pydantic (a tenth of a second of
imports) stays unloaded until a screen needs models, whoever is logged in."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_home_figures_and_lists_need_no_pydantic(demo_db):
    code = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from claims.store import Actor, Store
from claims.store.base import _issue  # as a login issues an actor
from ui.context import AppContext
from ui.sections.home import HomeSection
s = Store({str(demo_db)!r}, "T")
sm = s.conn.execute("SELECT platform_id, station_id FROM cases WHERE station_id IS NOT NULL LIMIT 1").fetchone()
for actor in (Actor("admin", role="admin"), Actor("reviewer", role="reviewer"), Actor("agent", role="insurer_agent"),
              Actor("zz", role="station_manager", platform_id=sm[0], station_id=sm[1])):
    actor = _issue(actor)
    home = HomeSection(AppContext(store=s, actor=actor, version="t"))
    home.refresh()
    print(actor.role, home.cards["workers"].text(), home.tasks.rowCount(), home.due.rowCount(),
          home.tasks.item(0, 0).text())
print("pydantic" in sys.modules, flush=True)
os._exit(0)  # no teardown of widgets after the application at interpreter exit
"""
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert p.returncode == 0, p.stderr
    *lines, loaded = p.stdout.splitlines()
    assert loaded == "False"
    admin = lines[0].split()
    assert admin[1] == "300" and int(admin[2]) > 1 and int(admin[3]) > 0
    sm = lines[-1].split()
    assert sm[0] == "station_manager" and 0 < int(sm[1].replace(",", "")) < 300
