"""The default demo (2,000 workers, seed 1) looks like the pilot: orders a day
by industry as platforms report them, fees that follow from them, injuries
at the README's rate per 1,000 workers a month plus one case per missing
state, staff's steps on working days, pensions paid every month, and a
six-month payout-to-fee ratio per industry in the range the README gives."""
from datetime import date

import pytest

from claims.demo import PATHS, generate
from claims.demo_cases import CASE_RATE
from claims.stats import StatsFilter, month_index, month_of_index

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    s = generate(tmp_path_factory.mktemp("fig") / "d.db", workers=2000, seed=1, as_of=AS_OF)
    yield s
    s.close()


def test_orders_a_day_by_industry_as_platforms_report_them(demo):
    rows = demo.conn.execute("SELECT industry, orders FROM daily_counts WHERE source = 'imported'").fetchall()
    by = {}
    for ind, n in rows:
        by.setdefault(ind, []).append(n)
    median = {k: sorted(v)[len(v) // 2] for k, v in by.items()}
    assert 20 <= median["instant_delivery"] <= 45  # a courier: a few dozen
    assert 6 <= median["ride_hailing"] <= 18  # a driver: around a dozen
    assert 1 <= median["intra_city_freight"] <= 7  # freight: a few
    # a month's fees for 2,000 workers: tens of thousands of yuan, not a few thousand
    due = demo.conn.execute("SELECT sum(amount_due_fen) FROM declarations WHERE month = '2026-09'").fetchone()[0]
    assert 3_000_000 <= due <= 8_000_000


def test_cases_at_the_rate_plus_one_per_missing_state(demo):
    per_ind = dict(demo.conn.execute("SELECT industry, count(DISTINCT worker_id) FROM enrollments GROUP BY 1"))
    expected = sum(CASE_RATE.get(i, 0.5) * n for i, n in per_ind.items()) * 6 / 1000  # six months or so
    n = demo.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert set(demo.case_counts_by_state()) == set(PATHS)
    assert n <= expected + 2 + len(PATHS) + 2 + 2  # rate, rounding, one per state, the manager's two, death and re-appraisal
    assert n < 2000 * 12 / 1000 * 6  # nothing like one case per 80 workers a month


def test_staff_steps_fall_on_working_days(demo):
    cal = demo.calendar()
    days = [r[0] for r in demo.conn.execute(
        "SELECT decided_on FROM decisions UNION ALL SELECT concluded_on FROM appraisals"
        " UNION ALL SELECT paid_on FROM benefit_payments WHERE paid_on IS NOT NULL"
        " UNION ALL SELECT substr(at, 1, 10) FROM case_events e JOIN cases c ON c.id = e.case_id"
        " WHERE e.to_state IN ('accepted', 'confirmed', 'rejected', 'appraised', 'assessed', 'paid', 'closed')")]
    assert days and all(cal.is_working_day(date.fromisoformat(d[:10])) for d in days)


def test_monthly_benefits_are_paid_every_month_after_they_start(demo):
    series = demo.conn.execute(
        "SELECT case_id, series, min(period_month), max(period_month), count(*) FROM benefit_payments"
        " WHERE kind = 'monthly' AND status = 'approved' GROUP BY case_id, series").fetchall()
    assert len(series) >= 4  # three dependants' pensions, a grade 4 allowance
    for _case, _series, first, last, n in series:
        assert last == "2026-10" and n == month_index(last) - month_index(first) + 1


def test_six_month_payout_ratio_per_industry_is_plausible(demo):
    """README, “Demo data”: 40–150 % overall and for couriers; 0–200 % for the smaller industries
    (a case or none in six months)."""
    last = demo.stats_months()[1]
    v = demo.stats_view("ratio", StatsFilter(month_of_index(month_index(last) - 5), last))
    industries = {r[0]: r[3] for r in v.tables[2].rows}
    assert set(industries) >= {"出行", "即时配送", "同城货运"}
    assert all(x is None or 0 <= x <= 2.0 for x in industries.values()), industries
    assert industries["即时配送"] is not None and 0.4 <= industries["即时配送"] <= 1.5
    overall = v.tables[0].total[5]
    assert 0.4 <= overall <= 1.5
