"""Details the printed documents carry that are kept on their own records: a
platform's registered company name (its name is the brand), a worker's account
on a platform (on the enrollment), and the date of a case's first diagnosis.
Each change is one audited update."""
from __future__ import annotations

from datetime import date

from ..change import Change
from ..errors import FieldError
from ..permissions import require, require_station
from ..timeutil import SHANGHAI, today
from .base import Actor, StoreBase

MAX = 100


def _clean(value: str, label: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > MAX:
        raise FieldError(label, f"太长（{len(value)} 字），最多 {MAX} 字")
    if any(ch in value for ch in "<>") or any(ord(ch) < 32 for ch in value):
        raise FieldError(label, "含有不能打印的字符")
    return value


def check_diagnosis_date(diagnosed_on: date, accident_day: date, latest: date | None = None) -> None:
    """A first diagnosis is on or after the accident day, and not after today (China
    time; ``latest``: the day of an action dated later, as a demo built ahead is)."""
    if diagnosed_on < accident_day:
        raise FieldError("初诊日期", f"不能早于事故日期 {accident_day.isoformat()}")
    if diagnosed_on > max(today(), latest or today()):
        raise FieldError("初诊日期", "不能晚于今天")


class DocumentFieldsMixin(StoreBase):
    def set_platform_legal_name(self, actor: Actor, platform_id: str, legal_name: str) -> Change:
        """The company's registered name, printed beside the platform's brand."""
        require(actor, "platform.write")
        name = _clean(legal_name, "企业名称")
        with self.atomic():
            self._update("platforms", platform_id, {"legal_name": name}, actor, what="平台")
        return self.change("platforms", ids=[platform_id], summary=f"平台企业名称：{name or '（未填）'}")

    def set_platform_account(self, actor: Actor, enrollment_id: str, account: str) -> Change:
        """The worker's account (rider / driver ID) on the platform of an enrollment."""
        require(actor, "worker.write")
        before = self._must("enrollments", enrollment_id, "参保记录")
        require_station(actor, before["station_id"], "参保登记")
        acc = "".join(_clean(account, "平台账号").split())
        with self.atomic():
            self._update("enrollments", enrollment_id, {"platform_account": acc}, actor, what="参保记录")
        return self.change("enrollments", "workers", ids=[before["worker_id"], enrollment_id],
                           summary=f"平台账号：{acc or '（未填）'}")

    def set_diagnosis_date(self, actor: Actor, case_id: str, diagnosed_on: date | None, *,
                           expected_version: int | None = None) -> Change:
        """The date of the first diagnosis (初诊 / 首次诊断), from the diagnosis certificate."""
        require(actor, "case.transition")
        c = self.case(case_id, actor)
        if diagnosed_on is not None:
            check_diagnosis_date(diagnosed_on, c.accident_at.astimezone(SHANGHAI).date())
        with self.atomic():
            self._update("cases", case_id, {"diagnosed_on": diagnosed_on.isoformat() if diagnosed_on else None},
                         actor, what="案件", expected_version=expected_version)
        return self.change("cases", ids=[case_id], summary=f"{c.number} 初诊日期")

    def account_on_platform(self, worker_id: str, platform_id: str, on: date | None = None) -> str:
        """The worker's account on the platform (the enrollment covering ``on`` first)."""
        rows = self.conn.execute(
            "SELECT platform_account, start_on, end_on FROM enrollments WHERE worker_id = ? AND platform_id = ?"
            " AND platform_account != '' ORDER BY start_on DESC", (worker_id, platform_id)).fetchall()
        day = on.isoformat() if on else None
        for acc, start, end in rows:
            if day is None or (start <= day and (end is None or day <= end)):
                return acc
        return rows[0][0] if rows else ""
