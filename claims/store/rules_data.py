"""Rules an administrator corrects, each over its shipped default and audited:
the holiday calendar (per year; ``calendar()`` is what every deadline is
counted with) and the wording of the situations a decision cites (per rule
set and code; a decision already issued keeps its own copy)."""
from __future__ import annotations

import json
from datetime import date, timedelta

from ..change import Change
from ..clocks import HORIZON_DAYS, WHERE_TO_ENTER, Calendar, CalendarYear, merged_calendar, shipped_calendar
from ..enums import ParamStatus
from ..errors import FieldError, StaleRecord
from ..i18n import _
from ..lazy import lazy_import
from ..permissions import require
from .base import Actor, StoreBase

sit = lazy_import("claims.situations")  # a decision's wording: not needed to open a file


def _dates(values, year: int, label: str) -> list[str]:
    out = set()
    for v in values:
        t = str(v).strip()
        if not t:
            continue
        try:
            d = date.fromisoformat(t)
        except ValueError:
            raise FieldError(label, _("“{t}”不是有效的日期（应为 YYYY-MM-DD）").format(t=t)) from None
        if d.year != year:
            raise FieldError(label, _("{d} 不在 {y} 年").format(d=t, y=year))
        out.add(d.isoformat())
    return sorted(out)


class RulesDataMixin(StoreBase):
    _calendar_cache: Calendar | None = None

    # -- holiday calendar ------------------------------------------------------
    def calendar(self) -> Calendar:
        if self._calendar_cache is None:
            rows = self.conn.execute("SELECT year, status, source, holidays, workdays FROM holiday_calendar").fetchall()
            self._calendar_cache = merged_calendar({
                r[0]: {"status": r[1], "source": r[2], "holidays": json.loads(r[3]), "workdays": json.loads(r[4])}
                for r in rows})
        return self._calendar_cache

    def calendar_year_for_edit(self, year: int) -> tuple[CalendarYear | None, int]:
        """One year as it stands in the file now, and the version a form passes back
        to ``set_calendar_year`` (0: the year was never entered, the shipped one applies)."""
        r = self.conn.execute("SELECT status, source, holidays, workdays, row_version FROM holiday_calendar"
                              " WHERE year = ?", (year,)).fetchone()
        if r is None:
            return shipped_calendar().years.get(year), 0
        return CalendarYear.from_data(year, {"status": r[0], "source": r[1], "holidays": json.loads(r[2]),
                                             "workdays": json.loads(r[3])}, origin="database"), r[4]

    def calendar_versions(self) -> dict[int, int]:
        """The version of every year entered in this file (a year not listed: 0)."""
        return dict(self.conn.execute("SELECT year, row_version FROM holiday_calendar").fetchall())

    def set_calendar_year(self, actor: Actor, year: int, *, holidays, workdays, status: str,
                          source: str, expected_version: int | None = None) -> Change:
        """Enter or correct one year's public holidays and make-up working days
        (administrators; audited). The database's year replaces the shipped one.
        ``expected_version``: the version the form read (``calendar_year_for_edit``;
        0 = not entered yet); a year changed or entered meanwhile is refused with StaleRecord."""
        require(actor, "parameter.write")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise FieldError(_("年份"), _("应为 2000–2100 之间的年份"))
        hol = _dates(holidays, year, _("法定节假日"))
        work = _dates(workdays, year, _("调休上班日"))
        both = set(hol) & set(work)
        if both:
            raise FieldError(_("调休上班日"), _("{d} 同时列为节假日和上班日").format(d="、".join(sorted(both))))
        weekday_work = [d for d in work if date.fromisoformat(d).weekday() < 5]
        if weekday_work:
            raise FieldError(_("调休上班日"), _("{d} 本来就是工作日：调休上班日应为周六或周日").format(d="、".join(weekday_work)))
        if not hol:
            raise FieldError(_("法定节假日"), _("至少应有元旦、春节等法定节假日"))
        status = ParamStatus(status).value
        if not source.strip():
            raise FieldError(_("来源"), _("请注明来源（如国务院办公厅通知的文号）"))
        values = {"status": status, "source": source.strip(), "holidays": json.dumps(hol), "workdays": json.dumps(work)}
        with self.atomic():
            row = self.conn.execute("SELECT * FROM holiday_calendar WHERE year = ?", (year,)).fetchone()
            self._check_stored("holiday_calendar", row, expected_version, _("节假日安排"))
            if row:
                self._update("holiday_calendar", row["id"], values, actor, what=_("节假日"))
                rid = row["id"]
            else:
                rid = self._insert("holiday_calendar", {"year": year, **values}, actor)["id"]
        self._calendar_cache = None
        return self.change("holiday_calendar", ids=[rid], summary=_("已保存 {y} 年节假日安排").format(y=year))

    def calendar_problems(self, today: date) -> tuple[list[str], list[str]]:
        """(errors, warnings) about the years deadlines need from ``today``: a
        missing year is an error; a year still unconfirmed is a warning."""
        cal = self.calendar()
        last = today + timedelta(days=HORIZON_DAYS)
        errors = [_("缺少 {y} 年的节假日安排：涉及该年的时限无法计算，请管理员在“{w}”中录入").format(y=y, w=WHERE_TO_ENTER)
                  for y in cal.missing(today, last)]
        warnings = [_("{y} 年的节假日安排尚未确认：国务院办公厅通知发布后请在“{w}”中核对").format(y=y, w=WHERE_TO_ENTER)
            for y in range(today.year, last.year + 1) if y in cal.years and cal.years[y].status != "confirmed"]
        return errors, warnings

    # -- situations --------------------------------------------------------------
    def _situation_overrides(self, rule_set: str) -> dict[str, dict]:
        return {r["code"]: dict(r) for r in self.conn.execute(
            "SELECT code, wording, article, status, source FROM situation_texts WHERE rule_set = ?", (rule_set,))}

    def situations(self, rule_set: str) -> list[sit.Situation]:
        return sit.situations_of(rule_set, self._situation_overrides(rule_set))

    def situations_on(self, accident_day: date) -> list[sit.Situation]:
        return self.situations(sit.rule_set_on(accident_day))

    def situation(self, rule_set: str, code: str) -> sit.Situation | None:
        return next((s for s in self.situations(rule_set) if s.code == code), None)

    def situation_for_edit(self, rule_set: str, code: str) -> tuple[sit.Situation | None, int]:
        """A situation as it stands in the file now, and the version a form passes back
        to ``set_situation_text`` (0: never corrected, the shipped wording applies)."""
        r = self.conn.execute("SELECT code, wording, article, status, source, row_version FROM situation_texts"
                              " WHERE rule_set = ? AND code = ?", (rule_set, code)).fetchone()
        found = next((s for s in sit.situations_of(rule_set, {code: dict(r)} if r else {}) if s.code == code), None)
        return found, r["row_version"] if r else 0

    def _check_stored(self, table: str, row, expected_version: int | None, what: str) -> None:
        """For rows that may not exist yet (a shipped default stands in): version 0 is
        "not stored"; anything else must match the row (StaleRecord otherwise)."""
        if expected_version is None or (row is None and expected_version == 0):
            return
        if row is None:  # rows here are never deleted: only a forged file gets here
            raise StaleRecord(table, "", expected_version, 0, {}, what)
        try:
            self.check_version(table, dict(row), expected_version, what)
        except StaleRecord:
            self._calendar_cache = None  # what this program held may be older than the file
            raise

    def set_situation_text(self, actor: Actor, rule_set: str, code: str, *, wording: str, article: str,
                           status: str, source: str, expected_version: int | None = None) -> Change:
        """Correct a situation's wording or article to the official text
        (administrators; audited). Decisions already issued keep their text.
        ``expected_version``: the version the form read (``situation_for_edit``; 0 = the
        shipped text); a text corrected meanwhile is refused with StaleRecord."""
        require(actor, "parameter.write")
        if self.situation(rule_set, code) is None:
            raise FieldError(_("情形"), _("没有这一情形"))
        wording, article = " ".join(wording.split()), " ".join(article.split())
        if not wording:
            raise FieldError(_("措辞"), _("不能为空"))
        if not article.startswith("第"):
            raise FieldError(_("条款"), _("应写作“第十条第一款第（一）项”这样的条款"))
        sit.check_basis(wording + article)
        if not source.strip():
            raise FieldError(_("来源"), _("请注明依据的文本（如办法原文的出处）"))
        values = {"wording": wording, "article": article, "status": ParamStatus(status).value, "source": source.strip()}
        with self.atomic():
            row = self.conn.execute("SELECT * FROM situation_texts WHERE rule_set = ? AND code = ?",
                                    (rule_set, code)).fetchone()
            self._check_stored("situation_texts", row, expected_version, _("确认情形"))
            if row:
                self._update("situation_texts", row["id"], values, actor, what=_("确认情形"))
                rid = row["id"]
            else:
                rid = self._insert("situation_texts", {"rule_set": rule_set, "code": code, **values}, actor)["id"]
        return self.change("situation_texts", ids=[rid], summary=_("已更正确认情形的措辞"))
