"""What the enrollment screens need beyond the basics: the platforms of a page
of workers in one query, and the column mapping remembered per platform for
imports."""
from __future__ import annotations

import json

from ..permissions import own_station
from .base import Actor, StoreBase

# Chinese labels of the other-cover kinds (the codes are stored in other_cover.kind).
OTHER_COVER_KINDS: dict[str, str] = {
    "union_mutual_aid": "工会互助保障",
    "commercial_accident": "商业意外险",
    "employer_liability": "雇主责任险",
}

# Shanghai's districts (shared/domain/parameters.md): station district codes.
SHANGHAI_DISTRICTS: list[tuple[str, str]] = [
    ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
    ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"),
    ("310113", "宝山区"), ("310114", "嘉定区"), ("310115", "浦东新区"), ("310116", "金山区"),
    ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"),
]


class EnrollmentExtraMixin(StoreBase):
    def platform_names_for(self, worker_ids, actor: Actor | None = None) -> dict[str, str]:
        """{worker id: "美团、饿了么"} for the given workers (one query per
        500 ids). A platform where every enrollment has ended is marked. For a
        station manager (``actor``) only the enrollments at their station count."""
        ids = list(dict.fromkeys(worker_ids))
        names: dict[str, list[str]] = {}
        station = own_station(actor)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = ("SELECT e.worker_id, p.name, max(e.status = 'active') AS active FROM enrollments e "
                 "JOIN platforms p ON p.id = e.platform_id "
                 f"WHERE e.worker_id IN ({','.join('?' * len(chunk))}) "
                 + ("AND e.station_id = ? " if station else "")
                 + "GROUP BY e.worker_id, p.name ORDER BY e.worker_id, active DESC, p.name")
            for wid, name, active in self.conn.execute(q, chunk + ([station] if station else [])):
                names.setdefault(wid, []).append(name if active else name + "（已终止）")
        return {wid: "、".join(v) for wid, v in names.items()}

    def import_mapping(self, platform: str, kind: str = "workers") -> dict[str, str] | None:
        """The column mapping last used for this platform's files ({their column: ours})."""
        r = self.conn.execute("SELECT mapping FROM import_mappings WHERE platform = ? AND kind = ?",
                              (platform, kind)).fetchone()
        return json.loads(r[0]) if r else None

    def save_import_mapping(self, platform: str, kind: str, mapping: dict[str, str]) -> None:
        """Remember a mapping (a preference, not a record: not audited)."""
        with self.atomic():
            self.conn.execute("INSERT INTO import_mappings (platform, kind, mapping) VALUES (?, ?, ?) "
                              "ON CONFLICT (platform, kind) DO UPDATE SET mapping = excluded.mapping",
                              (platform, kind, json.dumps(mapping, ensure_ascii=False, sort_keys=True)))
