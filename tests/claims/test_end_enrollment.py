"""A worker leaves a platform: the enrollment ends on a date, stays on record, and the
end can be taken back as a slip (编辑 › 撤销)."""
import pytest

from claims.audit import verify_audit
from claims.errors import ClaimsError, FieldError, PermissionDenied
from claims.store import Actor

CLERK = Actor("clerk", role="insurer_agent")
ZHANG = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13812345678"}


@pytest.fixture
def enrolled(store):
    p, _ = store.add_platform(CLERK, name="美团", industries=["food_delivery"])
    w, _ = store.add_worker(CLERK, ZHANG)
    e, _ = store.enroll(CLERK, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2026-03-01")
    return store, w, e


def test_ending_an_enrollment_keeps_it_with_its_period(enrolled):
    s, w, e = enrolled
    ended, change = s.end_enrollment(CLERK, e.id, end_on="2026-11-30")
    assert ended.end_on.isoformat() == "2026-11-30" and ended.status.value == "ended"
    assert [x.id for x in s.enrollments_of(w.id)] == [e.id]  # kept, not deleted
    assert change.summary == "终止参保 美团 即时配送（2026-11-30）"  # 外卖 is 即时配送 since 2025-07-01
    assert verify_audit(s)[0]
    with pytest.raises(ClaimsError, match="已于 2026-11-30 终止"):
        s.end_enrollment(CLERK, e.id, end_on="2026-12-01")


def test_an_end_is_checked_against_the_start_and_the_orders(enrolled):
    s, w, e = enrolled
    with pytest.raises(FieldError, match="终止日期：不能早于起始日期 2026-03-01"):
        s.end_enrollment(CLERK, e.id, end_on="2026-02-28")
    with pytest.raises(FieldError, match="终止日期：“2026-02-30”不是有效的日期"):
        s.end_enrollment(CLERK, e.id, end_on="2026-02-30")
    s.import_orders(Actor("admin", role="admin"), [(2, {
        "order_no": "MT1", "platform": "美团", "industry": "外卖", "id_number": ZHANG["id_number"],
        "accepted_at": "2026-10-15T12:00", "finished_at": "2026-10-15T12:30", "region": "310000"})])
    with pytest.raises(FieldError, match="2026-10-15 仍有接单记录"):
        s.end_enrollment(CLERK, e.id, end_on="2026-10-01")
    assert s.enrollments_of(w.id)[0].end_on is None  # nothing changed by the refusals


def test_an_end_entered_by_mistake_is_undone(enrolled):
    s, w, e = enrolled
    _x, change = s.end_enrollment(CLERK, e.id, end_on="2026-11-30")
    s.undo(CLERK, change)
    back = s.enrollments_of(w.id)[0]
    assert back.end_on is None and back.status.value == "active"


def test_a_station_manager_ends_only_their_own_stations_enrollments(enrolled):
    s, _w, e = enrolled
    with pytest.raises(PermissionDenied):
        s.end_enrollment(Actor("zz", role="station_manager", station_id="another"), e.id, end_on="2026-11-30")
