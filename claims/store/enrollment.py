"""Platforms, stations, workers, enrollments, other cover (the search: worker_search.py)."""
from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING

from ..enums import Industry
from ..industries import as_recorded
from ..errors import ClaimsError, FieldError, PermissionDenied
from ..change import Change
from ..lazy import lazy_import
from ..permissions import narrow, own_platform, own_station, require, require_station
from ..validators import (check_text, credit_code_problem, name_print_warning, normalize_bank_card, normalize_mobile,
                          parse_id_number)
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import Enrollment, OtherCover, Platform, Station, Worker

models = lazy_import("claims.models")

def _holder(raw, name: str, card: str, row=None) -> str:
    """户名 of the account: empty when it is the person themself (or there is no account)."""
    holder = check_text(raw, "户名", max_len=60, row=row)
    return "" if not card or holder == name else holder


def name_grams(name: str) -> set[str]:
    """Single characters and adjacent pairs of a name: any search of one or two
    characters is an exact index lookup; longer ones intersect pairs."""
    chars = [c for c in name if not c.isspace()]
    return set(chars) | {a + b for a, b in zip(chars, chars[1:])}


class EnrollmentMixin(StoreBase):
    # -- platforms & stations --------------------------------------------
    def add_platform(self, actor: Actor, *, name: str, credit_code: str = "", industries=(),
                     credit_override: str = "", contact_name: str = "", contact_phone: str = "",
                     tier: str = "", legal_name: str = "") -> tuple[Platform, Change]:
        require(actor, "platform.write")
        name = name.strip()
        if not name:
            raise FieldError("平台名称", "不能为空")
        code, warning = credit_code_problem(credit_code) if credit_code else ("", None)
        if warning and not credit_override.strip():
            raise FieldError("统一社会信用代码", f"{warning}；如确认无误，请填写“忽略校验的理由”后再保存")
        inds = [Industry(i).value for i in industries]
        if self.conn.execute("SELECT 1 FROM platforms WHERE name = ?", (name,)).fetchone():
            raise FieldError("平台名称", f"“{name}”已登记")
        with self.atomic():
            row = self._insert("platforms", {"name": name, "credit_code": code,
                                             "credit_override": credit_override.strip() if warning else "",
                                             "industries": json.dumps(inds), "tier": tier,
                                             "contact_name": contact_name, "contact_phone": contact_phone,
                                             "legal_name": " ".join(legal_name.split())}, actor)
        return self._platform(row), self.change("platforms", ids=[row["id"]], summary=f"登记平台 {name}")

    @staticmethod
    def _platform(row: dict) -> Platform:
        return models.Platform.from_row({**row, "industries": json.loads(row["industries"])})

    def platforms(self, actor: Actor | None = None) -> list[Platform]:
        """Every platform; for a station manager (``actor``) their own only."""
        own = own_platform(actor)
        q, args = "SELECT * FROM platforms", ()
        if own is not None:
            q, args = q + " WHERE id = ?", (own,)
        return [self._platform(dict(r)) for r in self.conn.execute(q + " ORDER BY name", args)]

    def platform_by_name(self, name: str) -> Platform | None:
        r = self.conn.execute("SELECT * FROM platforms WHERE name = ?", (name.strip(),)).fetchone()
        return self._platform(dict(r)) if r else None

    def platform(self, id_: str) -> Platform:
        return self._platform(self._must("platforms", id_, "平台"))

    def add_station(self, actor: Actor, *, platform_id: str, name: str, district: str = "",
                    address: str = "", manager: str = "") -> tuple[Station, Change]:
        require(actor, "platform.write")
        name = name.strip()
        if not name:
            raise FieldError("站点名称", "不能为空")
        if district and not re.fullmatch(r"\d{6}", district):
            raise FieldError("所在区", "应为六位行政区划代码，如 310115")
        self._must("platforms", platform_id, "平台")
        if self.conn.execute("SELECT 1 FROM stations WHERE platform_id = ? AND name = ?", (platform_id, name)).fetchone():
            raise FieldError("站点名称", f"该平台下已有站点“{name}”")
        with self.atomic():
            row = self._insert("stations", {"platform_id": platform_id, "name": name, "district": district,
                                            "address": address, "manager": manager}, actor)
        return models.Station.from_row(row), self.change("stations", ids=[row["id"]], summary=f"登记站点 {name}")

    def stations(self, platform_id: str | None = None, actor: Actor | None = None) -> list[Station]:
        """The stations (of a platform); for a station manager (``actor``) their own only."""
        where, args = [], []
        for col, val in (("platform_id", narrow(own_platform(actor), platform_id)),
                         ("id", own_station(actor))):
            if val:
                where.append(f"{col} = ?")
                args.append(val)
        q = "SELECT * FROM stations" + (" WHERE " + " AND ".join(where) if where else "")
        return [models.Station.from_row(dict(r)) for r in self.conn.execute(q + " ORDER BY name", args)]

    def station(self, id_: str) -> Station:
        return models.Station.from_row(self._must("stations", id_, "站点"))

    # -- workers ----------------------------------------------------------
    def normalize_worker(self, data: dict, row: int | None = None) -> tuple[dict, list[str]]:
        """Validate a worker's fields; returns the values to store and warnings."""
        name = check_text(data.get("name"), "姓名", max_len=30, row=row)
        if not name:
            raise FieldError("姓名", "不能为空", row)
        address = check_text(data.get("address"), "住址", max_len=200, row=row)
        contact = check_text(data.get("emergency_contact"), "紧急联系人", max_len=30, row=row)
        try:
            idn = parse_id_number(data.get("id_number") or "")
            phone = normalize_mobile(data.get("phone") or "")
        except FieldError as e:
            raise FieldError(e.field, e.detail, row) from None
        warnings = []
        odd = name_print_warning(name)
        if odd:
            warnings.append(odd)
        card = ""
        if data.get("bank_card"):
            try:
                card, w = normalize_bank_card(data["bank_card"])
            except FieldError as e:
                raise FieldError(e.field, e.detail, row) from None
            if w:
                warnings.append(w)
        ephone = (data.get("emergency_phone") or "").strip()
        if ephone:
            try:
                ephone = normalize_mobile(ephone, field="紧急联系人电话")
            except FieldError as e:
                raise FieldError(e.field, e.detail, row) from None
        return ({"id_number": idn.number, "id_rev": idn.number[::-1], "name": name, "gender": idn.gender,
                 "birth_date": idn.birth_date.isoformat(), "phone": phone, "phone_rev": phone[::-1],
                 "bank_card": card, "bank_name": check_text(data.get("bank_name"), "开户银行", max_len=60, row=row),
                 "bank_holder": _holder(data.get("bank_holder"), name, card, row),
                 "address": address, "emergency_contact": contact,
                 "emergency_phone": ephone}, warnings)

    def worker_by_id_number(self, id_number: str, actor: Actor | None = None) -> Worker | None:
        """The worker with that ID number; for a station manager (``actor``) only one enrolled at their
        station (anyone else is not found)."""
        r = self.conn.execute("SELECT * FROM workers WHERE id_number = ?", (id_number.strip().upper(),)).fetchone()
        if r is None or (own_station(actor) is not None and not self._at_station(r["id"], own_station(actor))):
            return None
        return models.Worker.from_row(dict(r))

    def _at_station(self, worker_id: str, station_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM enrollments WHERE worker_id = ? AND station_id = ?",
                                 (worker_id, station_id)).fetchone() is not None

    def worker(self, id_: str, actor: Actor | None = None) -> Worker:
        if actor is not None:
            self.check_worker_scope(actor, id_)
        return models.Worker.from_row(self._must("workers", id_, "人员"))

    def check_worker_scope(self, actor: Actor, worker_id: str) -> None:
        """A station manager reaches only workers enrolled at their station."""
        station = own_station(actor)
        if station is not None and not self._at_station(worker_id, station):
            raise PermissionDenied("站长只能查看本站点登记的人员")

    def probable_duplicates(self, values: dict, actor: Actor | None = None) -> list[Worker]:
        """People who may be the same (same name and birth date, or same phone); a station
        manager (``actor``) is shown those of their own station only."""
        station = own_station(actor)
        scope = " AND id IN (SELECT worker_id FROM enrollments WHERE station_id = ?)" if station else ""
        rows = self.conn.execute(
            "SELECT * FROM workers WHERE id_number != ? AND ((name = ? AND birth_date = ?) OR phone = ?)"
            + scope + " LIMIT 10",
            (values["id_number"], values["name"], values["birth_date"], values["phone"], *([station] if station else [])))
        return [models.Worker.from_row(dict(r)) for r in rows]

    def add_worker(self, actor: Actor, data: dict) -> tuple[Worker, Change]:
        require(actor, "worker.write")
        values, _ = self.normalize_worker(data)
        if self.worker_by_id_number(values["id_number"]):
            raise FieldError("身份证号码", "该号码的人员已登记，请打开已有记录")
        with self.atomic():
            row = self._insert("workers", values, actor)
            self._index_name(row)
        return models.Worker.from_row(row), self.change("workers", ids=[row["id"]], summary=f"登记人员 {values['name']}")

    def update_worker(self, actor: Actor, worker_id: str, data: dict, *,
                      expected_version: int | None = None) -> tuple[Worker, Change]:
        """Change a worker's details; ``expected_version``: the version the form was
        read at (a record changed meanwhile is refused with StaleRecord)."""
        require(actor, "worker.write")
        self.check_worker_scope(actor, worker_id)
        values, _ = self.normalize_worker(data)
        before = self._must("workers", worker_id, "人员")
        if values["id_number"] != before["id_number"] and self.worker_by_id_number(values["id_number"]):
            raise FieldError("身份证号码", "另一位人员已使用该号码")
        with self.atomic():
            row = self._update("workers", worker_id, values, actor, what="人员",
                               expected_version=before["row_version"] if expected_version is None else expected_version)
            if row["name"] != before["name"]:
                self._index_name(row, old=before["name"])
        return models.Worker.from_row(row), self.change("workers", ids=[worker_id], summary=f"修改人员 {row['name']}")

    def _index_name(self, row: dict, old: str | None = None) -> None:
        rowid = self.conn.execute("SELECT rowid FROM workers WHERE id = ?", (row["id"],)).fetchone()[0]
        if old is not None:
            self.conn.execute("DELETE FROM worker_name_grams WHERE worker_rowid = ?", (rowid,))
        self.conn.executemany("INSERT OR IGNORE INTO worker_name_grams VALUES (?, ?)",
                              [(g, rowid) for g in name_grams(row["name"])])
        self.fill_name_keys(rowid, rowid)

    def fill_name_keys(self, from_rowid: int, to_rowid: int | None = None) -> None:
        """The pinyin keys of workers written since ``from_rowid`` (one row, or a bulk insert)."""
        q = ("UPDATE workers SET name_pinyin = zbt_pinyin(name), name_initials = zbt_initials(name),"
             " name_sort = zbt_pinyin_sort(name)"
             " WHERE rowid >= ?" + (" AND rowid <= ?" if to_rowid is not None else ""))
        self.conn.execute(q, (from_rowid,) if to_rowid is None else (from_rowid, to_rowid))

    # -- enrollments ------------------------------------------------------
    def enroll(self, actor: Actor, *, worker_id: str, platform_id: str, industry: str,
               start_on: str, station_id: str | None = None, end_on: str | None = None,
               source: str = "manual", platform_account: str = "") -> tuple[Enrollment, Change]:
        require(actor, "worker.write")
        require_station(actor, station_id, "参保登记")
        given = Industry(industry)
        ind, mapped = as_recorded(given, start_on)  # 外卖 from 2025-07-01 is 即时配送, said in the summary
        plat = self.platform(platform_id)
        if plat.industries and ind not in plat.industries and given not in plat.industries:
            raise FieldError("行业", f"平台“{plat.name}”未登记{given.label}行业")
        if end_on and end_on < start_on:
            raise FieldError("终止日期", "不能早于起始日期")
        dup = self.conn.execute("SELECT 1 FROM enrollments WHERE worker_id=? AND platform_id=? AND industry=? "
                                "AND status='active' AND end_on IS NULL", (worker_id, platform_id, ind.value)).fetchone()
        if dup and not end_on:
            raise ClaimsError(f"该人员在“{plat.name}”的{ind.label}行业已有有效参保登记")
        with self.atomic():
            row = self._insert("enrollments", {"worker_id": worker_id, "platform_id": platform_id,
                                               "station_id": station_id, "industry": ind.value,
                                               "start_on": start_on, "end_on": end_on,
                                               "status": "active" if not end_on else "ended",
                                               "source": source,
                                               "platform_account": "".join(platform_account.split())}, actor)
        return models.Enrollment.from_row(row), self.change("enrollments", "workers", ids=[worker_id, row["id"]],
                                                     summary=f"参保登记 {plat.name} {ind.label}"
                                                     + (f"（{mapped}）" if mapped else ""))

    def end_enrollment(self, actor: Actor, enrollment_id: str, *, end_on: str,
                       expected_version: int | None = None) -> tuple[Enrollment, Change]:
        """The worker stops working for the platform in that industry: cover ends on `end_on`
        (the last day covered). The enrollment is kept, with its period, for the record."""
        require(actor, "worker.write")
        before = self._must("enrollments", enrollment_id, "参保记录")
        require_station(actor, before["station_id"], "参保登记")
        if before["end_on"] and before["status"] == "ended":
            raise ClaimsError(f"该参保已于 {before['end_on']} 终止")
        try:
            end = date.fromisoformat(end_on)
        except (TypeError, ValueError):
            raise FieldError("终止日期", f"“{end_on}”不是有效的日期（应为 YYYY-MM-DD）") from None
        if end_on < before["start_on"]:
            raise FieldError("终止日期", f"不能早于起始日期 {before['start_on']}")
        last_order = self.conn.execute(
            "SELECT max(accepted_at) FROM orders WHERE worker_id = ? AND platform_id = ? AND industry = ?",
            (before["worker_id"], before["platform_id"], before["industry"])).fetchone()[0]
        if last_order and last_order[:10] > end.isoformat():
            raise FieldError("终止日期", f"该人员在 {last_order[:10]} 仍有接单记录，终止日期不能早于此日")
        plat = self.platform(before["platform_id"])
        with self.atomic():
            row = self._update("enrollments", enrollment_id, {"end_on": end.isoformat(), "status": "ended"}, actor,
                               what="参保记录",
                               expected_version=before["row_version"] if expected_version is None else expected_version)
        return models.Enrollment.from_row(row), self.change(
            "enrollments", "workers", ids=[before["worker_id"], enrollment_id],
            summary=f"终止参保 {plat.name} {Industry(before['industry']).label}（{end.isoformat()}）")

    def enrollments_of(self, worker_id: str, actor: Actor | None = None) -> list[Enrollment]:
        """A worker's enrollments; for a station manager (``actor``) those at their station."""
        station = own_station(actor)
        q, args = "SELECT * FROM enrollments WHERE worker_id = ?", [worker_id]
        if station is not None:
            q += " AND station_id = ?"
            args.append(station)
        return [models.Enrollment.from_row(dict(r)) for r in self.conn.execute(q + " ORDER BY start_on", args)]

    def add_other_cover(self, actor: Actor, *, worker_id: str, kind: str, name: str, insurer: str = "",
                        policy_no: str = "", start_on: str | None = None, end_on: str | None = None):
        require(actor, "worker.write")
        self.check_worker_scope(actor, worker_id)
        if not name.strip():
            raise FieldError("保障名称", "不能为空")
        with self.atomic():
            row = self._insert("other_cover", {"worker_id": worker_id, "kind": kind, "name": name,
                                               "insurer": insurer, "policy_no": policy_no,
                                               "start_on": start_on, "end_on": end_on}, actor)
        return models.OtherCover.from_row(row), self.change("other_cover", ids=[worker_id],
                                                            summary=f"登记其他保障 {name.strip()}")

    def other_cover_of(self, worker_id: str) -> list[OtherCover]:
        return [models.OtherCover.from_row(dict(r)) for r in self.conn.execute(
            "SELECT * FROM other_cover WHERE worker_id = ? ORDER BY start_on", (worker_id,))]
