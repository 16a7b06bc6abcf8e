"""Import workers and enrollments from a platform's export (cli.md format)."""
from __future__ import annotations

from typing import Callable, Iterable

from ..enums import Industry
from ..errors import ClaimsError, FieldError
from ..timeutil import parse_date
from .base import Actor, StoreBase
from .fees import Cancelled, ImportReport


class WorkerImportMixin(StoreBase):
    def import_workers(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                       file_name: str = "", progress: Callable[[int], None] | None = None,
                       cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Row by row: new / updated / unchanged / rejected. One transaction;
        a dry run or a cancel rolls everything back."""
        report = ImportReport(dry_run=dry_run)
        platforms = {p.name: p for p in self.platforms()}
        stations = {(s.platform_id, s.name): s.id for s in self.stations()}
        c = self.conn
        c.execute("BEGIN")
        try:
            for line, rec in rows:
                report.total += 1
                c.execute("SAVEPOINT row")
                try:
                    status, detail = self._import_worker_row(actor, line, rec, platforms, stations)
                    c.execute("RELEASE row")
                except (FieldError, ClaimsError) as e:
                    c.execute("ROLLBACK TO row")
                    c.execute("RELEASE row")
                    msg = e.message if isinstance(e, FieldError) and e.row else f"第 {line} 行：{e.message}"
                    report.rejected.append((line, msg))
                    report.note(line, "rejected", msg)
                    continue
                setattr(report, status, getattr(report, status) + 1)
                report.note(line, status, detail)
                if report.total % 2000 == 0:
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            self._log_import(actor, "workers", file_name, report)
            c.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        if progress:
            progress(report.total)
        return report

    def _import_worker_row(self, actor, line, rec, platforms, stations) -> tuple[str, str]:
        values, _warnings = self.normalize_worker(rec, line)
        pname = (rec.get("platform") or "").strip()
        if not pname:
            raise FieldError("平台", "不能为空", line)
        plat = platforms.get(pname)
        if plat is None:
            raise FieldError("平台", f"未登记的平台“{pname}”", line)
        try:
            ind = Industry.from_text(rec.get("industry") or "")
        except ValueError:
            raise FieldError("行业", f"未知行业“{rec.get('industry') or ''}”", line) from None
        if plat.industries and ind not in plat.industries:
            raise FieldError("行业", f"平台“{pname}”未登记{ind.label}行业", line)
        start = parse_date(rec.get("enrolled_on") or "", field="参保日期", row=line).isoformat()
        station_id = None
        sname = (rec.get("station") or "").strip()
        if sname:
            station_id = stations.get((plat.id, sname))
            if station_id is None:
                row = self._insert("stations", {"platform_id": plat.id, "name": sname}, actor)
                station_id = stations[(plat.id, sname)] = row["id"]
        existing = self.conn.execute("SELECT * FROM workers WHERE id_number = ?", (values["id_number"],)).fetchone()
        status = "new"
        if existing is None:
            wrow = self._insert("workers", values, actor, action="import")
            self._index_name(wrow)
            wid = wrow["id"]
        else:
            existing = dict(existing)
            wid = existing["id"]
            # an import never blanks what the clerk typed: empty cells keep the stored value
            changes = {k: v for k, v in values.items() if v and existing.get(k) != v}
            if changes:
                self._update("workers", wid, changes, actor, action="import")
                if "name" in changes:
                    self._index_name({**existing, **changes}, old=existing["name"])
                status = "updated"
            else:
                status = "unchanged"
        enr = self.conn.execute("SELECT id, station_id FROM enrollments WHERE worker_id=? AND platform_id=? "
                                "AND industry=? AND start_on=?", (wid, plat.id, ind.value, start)).fetchone()
        if enr is None:
            self._insert("enrollments", {"worker_id": wid, "platform_id": plat.id, "station_id": station_id,
                                         "industry": ind.value, "start_on": start, "status": "active",
                                         "source": "import"}, actor, action="import")
            if status == "unchanged":
                status = "updated"
        elif station_id and enr["station_id"] != station_id:
            self._update("enrollments", enr["id"], {"station_id": station_id}, actor, action="import")
            if status == "unchanged":
                status = "updated"
        return status, f"{values['name']} {pname} {ind.label}"
