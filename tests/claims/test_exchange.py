"""The exchange between sites (issue 18): packages signed and encrypted between
trusted sites, applied whole or not at all, replays that change nothing,
conflicts kept for a person, ownership, provisioning, the commands."""
import json

import pytest

from claims.errors import ClaimsError, StaleRecord
from claims.store import Actor, Store
from claims.store.base import _issue
from claims.store.exchange.package import PackageRefused

ADMIN = _issue(Actor("admin", role="admin"))
ID1 = "11010519491231002X"


def worker_data(store, wid, **changes):
    w = store._row("workers", wid)
    data = {k: w[k] for k in ("name", "id_number", "phone", "address", "bank_card", "bank_name",
                              "emergency_contact", "emergency_phone")}
    return {**data, **changes}


def edit(store, wid, **changes):
    return store.update_worker(ADMIN, wid, worker_data(store, wid, **changes))


def make_sites(tmp_path, names=("OFFA", "FLDB", "FLDC")):
    sites = {}
    for i, n in enumerate(names):
        s = Store(tmp_path / f"{n}.db", n, create=True)
        if i:
            s.set_site(ADMIN, name=f"外勤{n}", role="field")
        sites[n] = s
    for a in sites.values():
        for b in sites.values():
            if a is not b:
                a.trust_site(ADMIN, b.site_card())
    return sites


def send(a, b):
    data, _summary = a.export_package(ADMIN, b.site_id)
    return b.import_package(ADMIN, data)


def content(store, table):
    skip = {"row_version", "updated_at"}
    return sorted(tuple((k, v) for k, v in dict(r).items() if k not in skip)
                  for r in store.conn.execute(f"SELECT * FROM {table}"))


@pytest.fixture
def sites(tmp_path):
    s = make_sites(tmp_path)
    yield s
    for st in s.values():
        st.close()


def test_a_package_carries_what_the_other_site_lacks_and_a_replay_changes_nothing(sites):
    a, b = sites["OFFA"], sites["FLDB"]
    a.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    w, _ = a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    data, summary = a.export_package(ADMIN, "FLDB")
    assert summary["counts"] == {"platforms": 1, "workers": 1}
    r = b.import_package(ADMIN, data)
    assert r["tables"]["workers"]["added"] == 1 and not r["already"]
    assert b.worker_by_id_number(ID1).name == "张伟"
    assert [x.id for x in b.list_workers()] == [w.id] if hasattr(b, "list_workers") else True
    before = content(b, "workers"), b._audit_seq()
    again = b.import_package(ADMIN, data)
    assert again["already"] and (content(b, "workers"), b._audit_seq()) == before
    # until B acknowledges them, A sends its changes again: B skips them as already present
    data2, s2 = a.export_package(ADMIN, "FLDB")
    r2 = b.import_package(ADMIN, data2)
    assert s2["units"] == 2 and r2["units"] == 0 and r2["present_units"] == 2
    send(b, a)  # B's package acknowledges what it holds: A's next package is empty
    data3, s3 = a.export_package(ADMIN, "FLDB")
    assert s3["units"] == 0 and b.import_package(ADMIN, data3)["units"] == 0
    # the worker is found by the name search on the receiving site (its index is rebuilt there)
    from claims.store import WorkerFilter
    assert [x.id_number for x in b.search_workers(WorkerFilter(text="张"))] == [ID1] \
        if hasattr(b, "search_workers") else True


@pytest.mark.parametrize("how", ["byte", "untrusted", "addressee"])
def test_a_damaged_forged_or_misaddressed_package_is_refused_whole(sites, tmp_path, how, monkeypatch):
    a, b, c = sites["OFFA"], sites["FLDB"], sites["FLDC"]
    a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    data, _ = a.export_package(ADMIN, "FLDB")
    if how == "byte":
        i = len(data) // 2
        data = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
        target, message = b, "损坏、被改动"
    elif how == "untrusted":  # another database that calls itself OFFA, with its own key
        import os
        home = os.environ["ZHIBAOTONG_HOME"]
        monkeypatch.setenv("ZHIBAOTONG_HOME", str(tmp_path / "elsewhere"))
        fake = Store(tmp_path / "fake.db", "OFFA", create=True)
        fake.trust_site(ADMIN, b.site_card())
        fake.add_worker(ADMIN, {"name": "李四", "id_number": ID1, "phone": "13900000000"})
        data, _ = fake.export_package(ADMIN, "FLDB")
        monkeypatch.setenv("ZHIBAOTONG_HOME", home)
        target, message = b, "签名"
    else:
        target, message = c, "发给站点 FLDB"
    before = content(target, "workers"), target._audit_seq()
    with pytest.raises(PackageRefused, match=message):
        target.import_package(ADMIN, data)
    assert (content(target, "workers"), target._audit_seq()) == before


def test_the_same_person_registered_at_two_sites_ends_as_one_worker_with_one_conflict(sites):
    a, b = sites["OFFA"], sites["FLDB"]
    wa, _ = a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    wb, _ = b.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13987654321"})
    assert wa.id == wb.id  # the key comes from the ID number
    send(a, b)
    send(b, a)
    assert content(a, "workers") == content(b, "workers")
    assert a.conn.execute("SELECT count(*) FROM workers").fetchone()[0] == 1
    for s in (a, b):
        send(a, b), send(b, a)
    ca, cb = a.open_conflicts(), b.open_conflicts()
    assert len(ca) == 1 == len(cb) and ca[0]["id"] == cb[0]["id"]
    assert ca[0]["field"] == "phone" and {ca[0]["ours"], ca[0]["theirs"]} == {"13812345678", "13987654321"}
    # a person decides at B: the decision flows back to A, and the conflict is closed on both
    b.decide_conflict(ADMIN, cb[0]["id"], "13812345678")
    send(b, a)
    assert a._row("workers", wa.id)["phone"] == b._row("workers", wa.id)["phone"] == "13812345678"
    assert a.open_conflicts() == [] == b.open_conflicts()


def test_concurrent_edits_merge_field_by_field_and_a_form_open_over_the_row_is_refused(sites):
    a, b = sites["OFFA"], sites["FLDB"]
    w, _ = a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    send(a, b)
    opened = b._row("workers", w.id)["row_version"]
    edit(a, w.id, address="上海市徐汇区某路1号")
    edit(b, w.id, emergency_contact="李娜")
    send(a, b), send(b, a)
    for s in (a, b):
        row = s._row("workers", w.id)
        assert (row["address"], row["emergency_contact"]) == ("上海市徐汇区某路1号", "李娜")
    assert a.open_conflicts() == []  # different fields: no conflict
    with pytest.raises(StaleRecord):  # B's form was read before the package changed the row
        b.update_worker(ADMIN, w.id, worker_data(b, w.id, phone="13700000000"), expected_version=opened)


def test_a_field_site_cannot_send_changes_to_what_the_office_owns(sites):
    a, b = sites["OFFA"], sites["FLDB"]
    b.add_parameter(ADMIN, name="benefit_base", region="310000", valid_from="2030-07-01", value="9999.00",
                    status="confirmed", source="测试")
    assert b.conn.execute("SELECT count(*) FROM exchange_outbox WHERE origin = 'FLDB'").fetchone()[0]
    data, summary = b.export_package(ADMIN, "OFFA")
    assert summary["refused"] and "经办机构" in summary["refused"][0]  # the sender is told why
    a.import_package(ADMIN, data)
    assert not a.conn.execute("SELECT 1 FROM parameters WHERE value = '9999.00'").fetchone()


def test_packages_relayed_out_of_order_and_duplicated_still_converge(sites):
    a, b, c = sites["OFFA"], sites["FLDB"], sites["FLDC"]
    w, _ = a.add_worker(ADMIN, {"name": "王五", "id_number": ID1, "phone": "13812345678"})
    p1, _ = a.export_package(ADMIN, "FLDB")
    edit(a, w.id, address="一号")
    p2, _ = a.export_package(ADMIN, "FLDB")
    r = b.import_package(ADMIN, p2)  # the later package first: it carries everything not acknowledged
    assert r["gap"] == [1, 1]
    assert b.import_package(ADMIN, p1)["units"] == 0
    send(b, c)  # B relays A's changes to C
    assert content(c, "workers") == content(a, "workers")


def test_audit_verify_checks_every_sites_chain(sites):
    from claims.audit import verify_audit
    a, b = sites["OFFA"], sites["FLDB"]
    a.add_worker(ADMIN, {"name": "张伟", "id_number": ID1, "phone": "13812345678"})
    send(a, b)
    ok, message = verify_audit(b)
    assert ok, message
    assert "OFFA" in message
    b.conn.execute("UPDATE exchange_audit SET actor = 'mallory' WHERE origin = 'OFFA' AND seq = "
                   "(SELECT max(seq) FROM exchange_audit WHERE origin = 'OFFA')")
    ok, message = verify_audit(b)
    assert not ok and "OFFA" in message


def test_provisioning_a_laptop_gives_it_reference_data_and_its_agents_cases_only(tmp_path, demo_db):
    office = Store(demo_db, "X")
    out = tmp_path / "laptop.db"
    from claims.store.exchange.provision import provision
    agent_cases = {r[0] for r in office.conn.execute("SELECT DISTINCT case_id FROM case_events WHERE actor = 'agent'")}
    r = provision(office, ADMIN, "外勤笔记本", out, "agent")
    laptop = Store(out, "whatever")
    assert laptop.site_id == r["site"] and laptop.site_role == "field"
    assert {x[0] for x in laptop.conn.execute("SELECT id FROM cases")} == agent_cases
    assert laptop.conn.execute("SELECT count(*) FROM workers").fetchone()[0] == \
        office.conn.execute("SELECT count(*) FROM workers").fetchone()[0]
    from claims.audit import verify_audit
    ok, message = verify_audit(laptop, files=False)
    assert ok, message
    # the laptop edits an agent's case's worker; the office receives it
    wid = laptop.conn.execute("SELECT id FROM workers LIMIT 1").fetchone()[0]
    edit(laptop, wid, address="外勤更新的住址")
    data, summary = laptop.export_package(ADMIN, office.site_id)
    assert summary["units"] == 1
    office.import_package(ADMIN, data)
    assert office._row("workers", wid)["address"] == "外勤更新的住址"
    laptop.close()
    office.close()


def test_the_commands(tmp_path, capsys, monkeypatch):
    from claims.cli import build_parser, run
    parser = build_parser("test")

    def cli(*argv):  # two installations: each its own data folder (site id, key)
        db = argv[argv.index("--db") + 1]
        monkeypatch.setenv("ZHIBAOTONG_HOME", str(tmp_path / ("home-" + db[-4:-3])))
        args = parser.parse_args(list(argv))
        return run(args, lambda: None)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert cli("init", "--db", str(a)) == 0 and cli("init", "--db", str(b)) == 0
    capsys.readouterr()
    assert cli("site", "card", "--db", str(a), "-o", str(tmp_path / "a.card")) == 0
    assert cli("site", "card", "--db", str(b), "-o", str(tmp_path / "b.card")) == 0
    assert cli("site", "trust", str(tmp_path / "b.card"), "--db", str(a)) == 0
    out = capsys.readouterr().out
    assert "指纹" in out
    assert cli("site", "trust", str(tmp_path / "a.card"), "--db", str(b)) == 0
    sb = json.loads(open(tmp_path / "b.card", encoding="utf-8").read())["site"]
    assert cli("export", "--db", str(a), "--to", sb, "-o", str(tmp_path / "p.zbt")) == 0
    assert cli("import-package", str(tmp_path / "p.zbt"), "--db", str(b)) == 0
    capsys.readouterr()
    assert cli("import-package", str(tmp_path / "p.zbt"), "--db", str(b)) == 0
    assert "已经导入过" in capsys.readouterr().out
    assert cli("import-package", str(tmp_path / "p.zbt"), "--db", str(a)) == 2  # addressed to b
    assert "发给站点" in capsys.readouterr().err
    assert cli("site", "--db", str(a), "--format", "json") == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sites"][0]["site"] == sb and info["sites"][0]["sent"]["seq"] == 1
    assert cli("conflicts", "--db", str(a), "--format", "json") == 0
    assert capsys.readouterr().out == ""
    assert cli("export", "--db", str(a), "--to", "NOPE", "-o", str(tmp_path / "q.zbt")) == 2


def test_a_package_refused_for_unknown_sender_says_so(sites, tmp_path):
    a = sites["OFFA"]
    other = Store(tmp_path / "z.db", "ZZZZ", create=True)
    other.trust_site(ADMIN, a.site_card())
    data, _ = other.export_package(ADMIN, "OFFA")
    with pytest.raises(ClaimsError, match="尚未信任"):
        a.import_package(ADMIN, data)


@pytest.mark.parametrize("units", ["one unit", "a unit every 10 rows"])
def test_orders_imported_at_one_site_arrive_with_the_same_daily_counts(sites, tmp_path, units, monkeypatch):
    """Daily counts never travel: the receiving site counts the orders a package adds,
    as an order import does, and its orders table's seal still verifies. A large import
    hands its recorded changes to the outbox in several units as it goes (so that its
    memory does not grow with the file): they all arrive, and a dry run records none."""
    import csv

    from claims.store import orders

    from claims.audit import verify_audit
    from claims.tabular import read_rows
    a, b = sites["OFFA"], sites["FLDB"]
    a.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    a.add_worker(ADMIN, {"name": "王五", "id_number": ID1, "phone": "13812345678"})
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_no", "platform", "industry", "id_number", "accepted_at", "finished_at", "region"])
        for i in range(30):
            day = 1 + i % 3
            w.writerow([f"M{i:04d}", "美团", "instant_delivery", ID1, f"2025-08-0{day}T{8 + i % 10:02d}:00:00",
                        f"2025-08-0{day}T{8 + i % 10:02d}:30:00", "310000" if i % 4 else "310104"])
    if units != "one unit":
        monkeypatch.setattr(orders, "BATCH", 5)
        monkeypatch.setattr(a, "CAPTURE_ROWS", 10)

    def outbox():
        return a.conn.execute("SELECT count(*) FROM exchange_outbox").fetchone()[0]
    before = outbox()
    assert a.import_orders(ADMIN, read_rows(path), dry_run=True).new == 30
    assert outbox() == before
    assert a.import_orders(ADMIN, read_rows(path)).new == 30
    assert outbox() - before == (1 if units == "one unit" else 3)
    send(a, b)
    assert b.conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 30

    def daily(store):
        return sorted(tuple(r) for r in store.conn.execute(
            "SELECT day, region, orders, source FROM daily_counts ORDER BY day, region"))
    assert daily(b) == daily(a) and sum(r[2] for r in daily(b)) == 30
    ok, message = verify_audit(b)
    assert ok, message
