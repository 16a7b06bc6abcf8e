"""政策测算 (policy what-if): a scenario of changed rules (scenario.py), run
on the stored history beside what happened (engine.py), and shown as tables
for the screen, the XLSX export and the printed report (views.py). Nothing in
the live data changes."""
from __future__ import annotations

from .engine import ASSUMED, CaseDiff, Cell, Result, run
from .scenario import Scenario, describe, parse, parse_text

__all__ = ["ASSUMED", "CaseDiff", "Cell", "Result", "Scenario", "describe", "parse", "parse_text", "run"]
