"""Time in China, whatever the PC's clock zone: with the process time zone set to
UTC, New York, UTC−12 or UTC+14, a case reported now is decided on a date no
earlier than its report, its deadline lies ahead, and the screens' default dates
are today in China. (UTC−12 and UTC+14 between them are on another date than China
at every hour, so a local "today" anywhere would be caught.)"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = r'''
import json, sys, time
from datetime import date, timedelta
from claims.store import Actor, Store
from claims.timeutil import SHANGHAI, now, today
from claims.enums import CaseState as S
A = Actor("admin", role="admin")
s = Store(sys.argv[1], "TZ", create=True)
p, _ = s.add_platform(A, name="美团", industries=["instant_delivery"])
w, _ = s.add_worker(A, {"name": "李强", "id_number": "310104198506150015", "phone": "13812345678"})
c, _ = s.report_case(A, worker_id=w.id, platform_id=p.id, industry="instant_delivery",
                     accident_at=now() - timedelta(hours=2), description="摔倒", case_type="injury")
for t in (S.accepted, S.investigating):
    s.transition(A, c.id, t)
d, _ = s.decide(A, c.id, confirm=True, situation_code="order_task", override_reason="测试", legal_basis="办法")
c = s.case(c.id)
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.forms import date_edit, pydate
from ui.cases.deadline import due_text
print(json.dumps({"local_date": date.today().isoformat(), "china": today().isoformat(),
                  "reported": c.reported_at.astimezone(SHANGHAI).date().isoformat(),
                  "decided": d.decided_on.isoformat(), "due": c.due_on.isoformat() if c.due_on else "",
                  "edit_default": pydate(date_edit().date()).isoformat(), "due_text": due_text(c, today())}))
'''


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Etc/GMT+12", "Pacific/Kiritimati"])
def test_dates_are_china_dates_in_any_process_time_zone(tmp_path, zone):
    env = {**os.environ, "TZ": zone, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "tz.db")], env=env, cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["reported"] == got["china"] and got["decided"] >= got["reported"]
    assert got["edit_default"] == got["china"]
    assert got["due"] == "" or got["due"] >= got["china"]
    assert "已逾期" not in got["due_text"] and "剩 -" not in got["due_text"]  # no negative durations
