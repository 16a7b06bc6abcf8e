"""Import workers and enrollments from a platform's export (cli.md format).

Rows are checked one at a time in Python; new workers and enrollments are
staged and written in batches with ``executemany`` (style.md: plain
executemany inside one transaction on bulk paths), each batch audited in one
pass. Updates of existing rows are rare and go through ``_update``. Nothing is
written for a rejected row, so no per-row savepoint is needed.

An import never changes a registered person's name or ID number: the ID
number is what a row is matched by, and a row whose name differs from the
registered one is rejected with both names (a typo in the ID number would
otherwise rename somebody else); a changed name is corrected in the person's
record. Other changed details (phone, payee account, address) are applied,
audited like any change, and shown in the row report masked, old → new."""
from __future__ import annotations

from typing import Callable, Iterable

from ..enums import Industry
from ..industries import as_recorded
from ..errors import ClaimsError, FieldError
from ..i18n import _
from ..permissions import SM
from ..timeutil import now_iso, parse_date
from ..validators import check_date_range, check_text, mask_account, mask_id, mask_mobile
from .base import Actor, StoreBase, new_id
from .exchange.keys import worker_key
from .enrollment import name_grams
from .import_report import Cancelled, ImportLogMixin, ImportReport

FLUSH_EVERY = 2000  # rows between batch writes, progress reports and cancel checks
_WORKER_COLS = ("id", "created_at", "updated_at", "site_id", "row_version", "id_number", "id_rev", "name",
                "gender", "birth_date", "phone", "phone_rev", "bank_card", "address", "emergency_contact",
                "emergency_phone")
_ENROLL_COLS = ("id", "created_at", "updated_at", "site_id", "row_version", "worker_id", "platform_id",
                "station_id", "industry", "start_on", "status", "source")


class _Staged:
    """New workers and enrollments waiting for the next batch write. Later
    rows of the same file see them (a person listed twice is stored once)."""

    def __init__(self, store: StoreBase, actor: Actor):
        self.store, self.actor = store, actor
        self.workers: dict[str, dict] = {}      # id_number -> row
        self.enrollments: dict[tuple, dict] = {}  # (worker_id, platform_id, industry, start_on) -> row
        self.new_worker_ids: set[str] = set()
        self._ts: str | None = None

    def _common(self) -> dict:
        if self._ts is None:  # one time stamp per batch: the rows are written together
            self._ts = now_iso()
        return {"id": self._next_id(), "created_at": self._ts, "updated_at": self._ts,
                "site_id": self.store.site_id, "row_version": 1}

    def _next_id(self) -> str:
        return new_id()

    def add_worker(self, values: dict) -> dict:
        row = {**self._common(), **values, "id": worker_key(values["id_number"])}  # the natural key
        self.workers[values["id_number"]] = row
        self.new_worker_ids.add(row["id"])
        return row

    def add_enrollment(self, key: tuple, station_id: str | None) -> None:
        wid, pid, ind, start = key
        self.enrollments[key] = {**self._common(), "worker_id": wid, "platform_id": pid, "station_id": station_id,
                                 "industry": ind, "start_on": start, "status": "active", "source": "import"}

    def flush(self) -> None:
        c = self.store.conn
        if self.workers:
            rows = list(self.workers.values())
            base = c.execute("SELECT coalesce(max(rowid), 0) FROM workers").fetchone()[0]
            self.store._insert_workers_bulk(
                f"INSERT INTO workers (rowid, {', '.join(_WORKER_COLS)}) VALUES ({', '.join('?' * (len(_WORKER_COLS) + 1))})",
                [(base + i + 1, *(r[k] for k in _WORKER_COLS)) for i, r in enumerate(rows)],
                [(base + i + 1, r["id_number"], r["phone"]) for i, r in enumerate(rows)])
            c.executemany("INSERT OR IGNORE INTO worker_name_grams VALUES (?, ?)",
                          [(g, base + i + 1) for i, r in enumerate(rows) for g in name_grams(r["name"])])
            self.store.fill_name_keys(base + 1)
            self._audit("workers", rows)
        if self.enrollments:
            rows = list(self.enrollments.values())
            c.executemany(f"INSERT INTO enrollments ({', '.join(_ENROLL_COLS)}) "
                          f"VALUES ({', '.join('?' * len(_ENROLL_COLS))})",
                          [tuple(r[k] for k in _ENROLL_COLS) for r in rows])
            self._audit("enrollments", rows)
        self.workers.clear()
        self.enrollments.clear()
        self.new_worker_ids.clear()
        self._ts = None

    def _audit(self, table: str, rows: list[dict]) -> None:
        """One audit entry per row, as ``_insert`` writes it: the values given
        and the digest of the row as stored. When every column was given (or
        the missing ones default to NULL) the stored row is the row given, so
        it is not read back."""
        c = self.store.conn
        cols = [(r["name"], r["dflt_value"]) for r in c.execute(f"PRAGMA table_info({table})")]
        exact = all(name in rows[0] or dflt is None for name, dflt in cols)
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            if exact:
                stored = {r["id"]: {name: r.get(name) for name, _d in cols} for r in chunk}
            else:
                ids = [r["id"] for r in chunk]
                stored = {r["id"]: dict(r) for r in c.execute(
                    f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(ids))})", ids)}
            self.store._audit_many(self.actor, "import", table,
                                   [(r["id"], {k: [None, v] for k, v in r.items()}, stored[r["id"]]) for r in chunk])


class WorkerImportMixin(ImportLogMixin, StoreBase):
    def import_workers(self, actor: Actor, rows: Iterable[tuple[int, dict]], *, dry_run: bool = False,
                       file_name: str = "", progress: Callable[[int], None] | None = None,
                       cancel: Callable[[], bool] | None = None) -> ImportReport:
        """Row by row: new / updated / unchanged / rejected. One transaction;
        a dry run, a cancel or an unexpected error rolls everything back."""
        report = ImportReport(dry_run=dry_run)
        platforms = {p.name: p for p in self.platforms()}
        stations = {(s.platform_id, s.name): s.id for s in self.stations()}
        with self.import_transaction(dry_run=dry_run):
            staged = _Staged(self, actor)
            for line, rec in rows:
                report.total += 1
                try:
                    status, detail = self._import_worker_row(actor, line, rec, platforms, stations, staged)
                except (FieldError, ClaimsError) as e:
                    msg = e.message if isinstance(e, FieldError) and e.row else f"第 {line} 行：{e.message}"
                    report.rejected.append((line, msg))
                    report.note(line, "rejected", msg)
                else:
                    setattr(report, status, getattr(report, status) + 1)
                    report.note(line, status, detail)
                if report.total % FLUSH_EVERY == 0:
                    staged.flush()
                    self.capture_checkpoint(actor, report.total)
                    if progress:
                        progress(report.total)
                    if cancel and cancel():
                        raise Cancelled()
            staged.flush()
            if cancel and cancel():
                raise Cancelled()
            self._log_import(actor, "workers", file_name, report)
        if progress:
            progress(report.total)
        return report

    def _import_worker_row(self, actor, line, rec, platforms, stations, staged: _Staged) -> tuple[str, str]:
        values, warnings = self.normalize_worker(rec, line)
        pname = (rec.get("platform") or "").strip()
        if not pname:
            raise FieldError("平台", "不能为空", line)
        plat = platforms.get(pname)
        if plat is None:
            raise FieldError("平台", f"未登记的平台“{pname}”", line)
        own = actor.role == SM
        if own and plat.id != actor.platform_id:
            raise FieldError(_("平台"), _("站长只能导入本平台的人员，不能导入“{p}”的").format(p=pname), line)
        try:
            ind = Industry.from_text(rec.get("industry") or "")
        except ValueError:
            raise FieldError("行业", f"未知行业“{rec.get('industry') or ''}”", line) from None
        start = check_date_range(parse_date(rec.get("enrolled_on") or "", field="参保日期", row=line),
                                 _("参保日期"), row=line).isoformat()
        given, (ind, mapped) = ind, as_recorded(ind, start)  # 外卖 from 2025-07-01 is 即时配送
        if plat.industries and ind not in plat.industries and given not in plat.industries:
            raise FieldError("行业", f"平台“{pname}”未登记{given.label}行业", line)
        mapped = f"（{mapped}）" if mapped else ""
        sname = check_text(rec.get("station"), _("站点"), max_len=50, row=line)
        station_id = stations.get((plat.id, sname)) if sname else None
        if own:
            if sname and station_id != actor.station_id:
                raise FieldError(_("站点"), _("站长只能导入本站点的人员，不能导入“{s}”的").format(s=sname), line)
            station_id = actor.station_id
        pending = staged.workers.get(values["id_number"])
        existing = pending
        if existing is None:
            found = self.conn.execute("SELECT * FROM workers WHERE id_number = ?", (values["id_number"],)).fetchone()
            existing = dict(found) if found is not None else None
        if existing is not None and existing["name"] != values["name"]:
            raise FieldError(_("姓名"), _("“{new}”与已登记的“{old}”不一致（身份证号码 {i}）：导入不更改已登记人员的"
                                        "姓名，此行未导入；如确属更名，请在人员记录中修改").format(
                new=values["name"], old=existing["name"], i=mask_id(values["id_number"])), line)
        # every check is done: from here on the row is accepted and written
        if sname and station_id is None:
            row = self._insert("stations", {"platform_id": plat.id, "name": sname}, actor, action="import")
            station_id = stations[(plat.id, sname)] = row["id"]
        status, notes = "unchanged", list(warnings)
        if existing is None:
            wid = staged.add_worker(values)["id"]
            status = "new"
        else:
            wid = existing["id"]
            # an import never blanks what the clerk typed: empty cells keep the stored value
            changes = {k: v for k, v in values.items() if v and existing.get(k) != v}
            if changes:
                notes[:0] = [_changed(k, existing.get(k), v) for k, v in changes.items() if k in _SHOWN]
                if pending is not None:  # listed earlier in this file, not yet written
                    pending.update(changes)
                else:
                    self._update("workers", wid, changes, actor, action="import")
                status = "updated"
        key = (wid, plat.id, ind.value, start)
        enr = staged.enrollments.get(key)
        detail = "；".join([f"{values['name']} {pname} {ind.label}{mapped}", *notes])
        if enr is None and wid not in staged.new_worker_ids:
            r = self.conn.execute("SELECT id, station_id FROM enrollments WHERE worker_id=? AND platform_id=? "
                                  "AND industry=? AND start_on=?", key).fetchone()
            if r is not None and station_id and r["station_id"] != station_id:
                self._update("enrollments", r["id"], {"station_id": station_id}, actor, action="import")
                status = "updated" if status == "unchanged" else status
            if r is not None:
                return status, detail
        if enr is None:
            staged.add_enrollment(key, station_id)
            status = "updated" if status == "unchanged" else status
        elif station_id and enr["station_id"] != station_id:
            enr["station_id"] = station_id
            status = "updated" if status == "unchanged" else status
        return status, detail


# the changes of a registered person a row report shows (identifiers masked as on screen)
_SHOWN = {"phone": ("手机号码", mask_mobile), "bank_card": ("银行账号", mask_account),
          "address": ("住址", str), "emergency_contact": ("紧急联系人", str),
          "emergency_phone": ("紧急联系人电话", mask_mobile)}


def _changed(key: str, old, new) -> str:
    label, show = _SHOWN[key]
    return _("{f}：{o} → {n}").format(f=_(label), o=show(old) if old else _("（空）"), n=show(new))
