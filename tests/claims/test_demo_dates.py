"""The demo's dates are placed relative to a day (``as_of``, default today):
a demo made today must not show every open case as overdue, nor anything
dated in the future."""
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from claims.demo import PATHS, generate
from claims.store import CaseFilter

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 30)

# Every business date or time a demo writes (deadlines such as cases.due_on are
# not events and may lie ahead; created_at/updated_at are the machine's clock).
DATED = [("orders", "accepted_at"), ("orders", "finished_at"), ("daily_counts", "day"),
         ("enrollments", "start_on"), ("declarations", "declared_on"), ("fee_payments", "paid_on"),
         ("cases", "accident_at"), ("cases", "reported_at"), ("cases", "state_since"), ("case_events", "at"),
         ("decisions", "decided_on"), ("appraisals", "concluded_on"), ("benefit_payments", "due_on"),
         ("benefit_payments", "paid_on"), ("missing_notices", "issued_on"), ("missing_notices", "closed_on"),
         ("case_documents", "received_on")]


@pytest.fixture(scope="module", params=[AS_OF, date(2027, 1, 5)], ids=lambda d: d.isoformat())
def demo(request, tmp_path_factory):
    s = generate(tmp_path_factory.mktemp("asof") / "d.db", workers=300, seed=11, as_of=request.param)
    yield s, request.param
    s.close()


def test_nothing_is_dated_on_or_after_as_of(demo):
    s, as_of = demo
    for table, col in DATED:
        late = s.conn.execute(f"SELECT count(*), max({col}) FROM {table} WHERE substr({col}, 1, 10) >= ?",
                              (as_of.isoformat(),)).fetchone()
        assert late[0] == 0, f"{table}.{col} has {late[0]} values on or after {as_of} (latest {late[1]})"
    months = [r[0] for r in s.conn.execute("SELECT month FROM declarations")]
    assert months and max(months) < f"{as_of:%Y-%m}"


def test_open_cases_are_mostly_within_their_time_limit(demo):
    s, as_of = demo
    with_deadline = s.conn.execute("SELECT count(*) FROM cases WHERE due_on IS NOT NULL").fetchone()[0]
    overdue = s.count_cases(CaseFilter(due="overdue", today=as_of))  # the home screen's 已逾期案件
    soon = s.count_cases(CaseFilter(due="soon", today=as_of))        # and its 7 天内到期
    assert with_deadline >= 6  # cases at the pilot's rate, and one per state: a few open ones in a small demo
    assert 1 <= overdue < with_deadline - overdue   # a few red ones, most not
    assert soon >= 1
    assert with_deadline - overdue - soon >= with_deadline // 2  # most have more than a week left


def test_order_months_end_at_as_of_month(demo):
    s, as_of = demo
    # the platforms' reported counts (order records of older cases' days may lie before them)
    months = [r[0] for r in s.conn.execute("SELECT DISTINCT substr(day, 1, 7) FROM daily_counts"
                                           " WHERE source = 'imported' ORDER BY 1")]
    first = date(as_of.year - (as_of.month <= 6), (as_of.month - 7) % 12 + 1, 1)
    assert months[0] == f"{first:%Y-%m}" and months[-1] == f"{as_of:%Y-%m}" and len(months) == 7
    last_order = s.conn.execute("SELECT max(accepted_at) FROM orders").fetchone()[0]
    assert date.fromisoformat(last_order[:10]) < as_of
    starts = s.conn.execute("SELECT min(start_on), max(start_on) FROM enrollments").fetchone()
    assert "2022-07-01" <= starts[0] and starts[1] < f"{first:%Y-%m-%d}"  # since the pilot's start, before the orders
    recent = s.conn.execute("SELECT count(*) FROM enrollments WHERE start_on >= ?",
                            ((first - timedelta(days=130)).isoformat(),)).fetchone()[0]
    assert recent >= s.conn.execute("SELECT count(*) FROM enrollments").fetchone()[0] // 2  # most joined lately


def test_parameters_cover_as_of_year_and_accidents_carry_orders(demo):
    s, as_of = demo
    years = {r[0] for r in s.conn.execute("SELECT substr(valid_from, 1, 4) FROM parameters WHERE name = 'benefit_base'")}
    assert {str(y) for y in range(2023, as_of.year + 1)} <= years
    assert not [g for g in s.parameter_gaps() if "待遇计发基数" in str(g)]  # 伤残/死亡待遇计发基数
    # a refusal's accident happened outside any order, and one confirmation rests on an override reason
    no_order = s.conn.execute("SELECT count(*) FROM cases WHERE order_no = '' AND id NOT IN (SELECT case_id FROM"
                              " decisions WHERE kind = 'refuse' OR override_reason != '')").fetchone()[0]
    assert no_order <= s.conn.execute("SELECT count(*) FROM cases").fetchone()[0] // 10


def test_a_small_demo_has_every_state_recently(tmp_path):
    s = generate(tmp_path / "small.db", workers=100, seed=2, as_of=AS_OF)
    assert set(s.case_counts_by_state()) == set(PATHS)
    assert s.count_cases(CaseFilter(due="overdue", today=AS_OF)) < s.conn.execute(
        "SELECT count(*) FROM cases WHERE due_on IS NOT NULL").fetchone()[0]
    s.close()


def test_the_as_of_month_is_left_out_on_its_first_day(demo_store):
    """The tests' own demo (conftest: as of 2025-11-01) keeps its 2025 months."""
    months = [r[0] for r in demo_store.conn.execute("SELECT DISTINCT substr(day, 1, 7) FROM daily_counts"
                                                    " WHERE source = 'imported' ORDER BY 1")]
    assert months == ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]


def zbt(*args, home):
    env = {"PATH": "/usr/bin:/bin", "ZHIBAOTONG_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, encoding="utf-8", timeout=300)


def test_same_seed_and_as_of_give_the_same_demo(tmp_path):
    seen = []
    for name in ("a.db", "b.db"):
        db = str(tmp_path / name)
        r = zbt("demo", "--db", db, "--workers", "200", "--seed", "5", "--as-of", AS_OF.isoformat(), home=tmp_path)
        assert r.returncode == 0, r.stderr
        workers = zbt("list", "workers", "--db", db, home=tmp_path)
        cases = zbt("list", "cases", "--db", db, "--format", "json", home=tmp_path)
        assert workers.returncode == cases.returncode == 0
        rows = [json.loads(line) for line in cases.stdout.splitlines()]
        seen.append((workers.stdout, [(c["number"], c["state"], c["accident_at"], c["due_on"]) for c in rows]))
    assert seen[0] == seen[1]
    assert seen[0][0].count("\n") == 200 and len(seen[0][1]) >= len(PATHS)
    assert all(c[2][:10] < AS_OF.isoformat() for c in seen[0][1])


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "30/11/2026", "yesterday"])
def test_bad_as_of_is_exit_2_in_chinese(tmp_path, bad):
    db = tmp_path / "x.db"
    r = zbt("demo", "--db", str(db), "--workers", "10", "--as-of", bad, home=tmp_path)
    assert r.returncode == 2
    assert "--as-of" in r.stderr and "不是有效的日期" in r.stderr and "Traceback" not in r.stderr
    assert not db.exists()


def test_a_demo_is_practice_data_kept_on_this_computer_but_what_is_done_after_is_recorded(demo):
    """The sample records are not changes to send to other sites (a million of them would
    also fill the memory while they were recorded); work done in the demo afterwards is."""
    from claims.store.base import Actor, _issue
    s, _as_of = demo
    outbox = lambda: s.conn.execute("SELECT count(*) FROM exchange_outbox").fetchone()[0]  # noqa: E731
    assert outbox() == 0
    s.add_platform(_issue(Actor("admin", role="admin")), name=f"练习平台{_as_of}", industries=["ride_hailing"])
    assert outbox() == 1
