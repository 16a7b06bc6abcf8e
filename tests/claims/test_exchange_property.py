"""Three sites edit at random and exchange packages in random orders, some
dropped, some delivered twice: once everything is delivered, every site holds
the same data and the same conflicts (each recorded once), and replaying every
package again changes nothing."""
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.store import Actor, Store
from claims.store.base import _issue

ADMIN = _issue(Actor("admin", role="admin"))
SITES = ("OFFA", "FLDB", "FLDC")
BASE_IDS = ("11010519491231002X", "110105194912310038", "110105194912310046")
NEW_IDS = ("110105198001010024", "110105198001010032")
FIELDS = {"address": ("甲路1号", "乙路2号", "丙路3号"), "emergency_contact": ("李娜", "王芳", "赵敏"),
          "phone": ("13811110000", "13922220000", "13733330000")}
_template: dict = {}


def _build_template() -> Path:
    if "dir" in _template:
        return _template["dir"]
    d = Path(tempfile.mkdtemp(prefix="zbt-prop-"))
    os.environ["ZHIBAOTONG_HOME"] = str(d / "home")  # the keys of the three sites live here for the whole module
    stores = {n: Store(d / f"{n}.db", n, create=True) for n in SITES}
    for n, s in stores.items():
        if n != "OFFA":
            s.set_site(ADMIN, name=n, role="field")
    for a in stores.values():
        for b in stores.values():
            if a is not b:
                a.trust_site(ADMIN, b.site_card())
    for i, idn in enumerate(BASE_IDS):
        stores["OFFA"].add_worker(ADMIN, {"name": f"基准{i}", "id_number": idn, "phone": f"1360000000{i}"})
    for _ in range(2):
        for a in stores.values():
            for b in stores.values():
                if a is not b:
                    data, _s = a.export_package(ADMIN, b.site_id)
                    b.import_package(ADMIN, data)
    for s in stores.values():
        s.close()
    _template["dir"] = d
    return d


def _open_copy() -> dict:
    src = _build_template()
    os.environ["ZHIBAOTONG_HOME"] = str(src / "home")
    d = Path(tempfile.mkdtemp(prefix="zbt-prop-run-"))
    out = {}
    for n in SITES:
        for suffix in ("", ".anchor"):
            if (src / f"{n}.db{suffix}").exists():
                shutil.copy2(src / f"{n}.db{suffix}", d / f"{n}.db{suffix}")
        out[n] = Store(d / f"{n}.db", n)
    return out


def _edit(store, idn, field, value):
    w = store.worker_by_id_number(idn)
    if w is None:
        return
    row = store._row("workers", w.id)
    data = {k: row[k] for k in ("name", "id_number", "phone", "address", "bank_card", "bank_name",
                                "emergency_contact", "emergency_phone")}
    data[field] = value
    store.update_worker(ADMIN, w.id, data)


def _register(store, idn, phone):
    if store.worker_by_id_number(idn) is None:
        store.add_worker(ADMIN, {"name": "新登记", "id_number": idn, "phone": phone})


def _snapshot(store):
    rows = {}
    for t in ("workers", "enrollments", "platforms"):
        rows[t] = sorted(tuple((k, v) for k, v in dict(r).items() if k != "row_version")
                         for r in store.conn.execute(f"SELECT * FROM {t}"))
    rows["conflicts"] = sorted(tuple(r) for r in store.conn.execute(
        "SELECT id, table_name, record_id, field, value_a, site_a, status FROM exchange_conflicts"))
    return rows


site = st.sampled_from(SITES)
edit = st.tuples(st.just("edit"), site, st.sampled_from(BASE_IDS + NEW_IDS), st.sampled_from(sorted(FIELDS)),
                 st.integers(0, 2))
register = st.tuples(st.just("register"), site, st.sampled_from(NEW_IDS), st.integers(0, 2))
send = st.tuples(st.just("send"), site, site, st.sampled_from(["deliver", "drop", "twice", "later"]))


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(edit, register, send), min_size=4, max_size=18))
def test_three_sites_converge_whatever_the_order_of_delivery(steps):
    stores = _open_copy()
    delivered: list[tuple[str, bytes]] = []
    held: list[tuple[str, bytes]] = []  # packages that arrive late, after later ones
    try:
        for step in steps:
            if step[0] == "edit":
                _, s, idn, field, v = step
                _edit(stores[s], idn, field, FIELDS[field][v])
            elif step[0] == "register":
                _, s, idn, v = step
                _register(stores[s], idn, FIELDS["phone"][v])
            else:
                _, a, b, how = step
                if a == b:
                    continue
                data, _s = stores[a].export_package(ADMIN, b)
                if how == "drop":
                    continue
                if how == "later":
                    held.append((b, data))
                    continue
                stores[b].import_package(ADMIN, data)
                delivered.append((b, data))
                if how == "twice":
                    assert stores[b].import_package(ADMIN, data)["already"]
        for b, data in held:  # the late ones arrive now, after the packages that followed them
            stores[b].import_package(ADMIN, data)
            delivered.append((b, data))
        for _ in range(3):  # everything delivered: every pair exchanges until nothing is left
            for a in SITES:
                for b in SITES:
                    if a != b:
                        data, _s = stores[a].export_package(ADMIN, b)
                        stores[b].import_package(ADMIN, data)
                        delivered.append((b, data))
        snaps = {n: _snapshot(s) for n, s in stores.items()}
        assert snaps["OFFA"] == snaps["FLDB"] == snaps["FLDC"]
        ids = [c[0] for c in snaps["OFFA"]["conflicts"]]
        assert len(ids) == len(set(ids))  # each conflict once
        for c in snaps["OFFA"]["conflicts"]:  # a real conflict: the value that lost differs from what stands
            assert c[3] in FIELDS or c[3] == "*"
        before = {n: (snaps[n], stores[n]._audit_seq()) for n in SITES}
        for b, data in delivered:  # replaying every package changes nothing
            assert stores[b].import_package(ADMIN, data)["already"]
        assert {n: (_snapshot(s), s._audit_seq()) for n, s in stores.items()} == before
    finally:
        for s in stores.values():
            s.close()
