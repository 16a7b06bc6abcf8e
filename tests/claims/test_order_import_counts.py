"""An order import keeps the daily counts equal to a recount of the stored orders,
whatever the batches, however often pending counts go to the temp tables, and when
a file overlaps what is stored; the orders table's seal still verifies."""
import csv
import random
import sqlite3

import pytest

from claims.audit import verify_audit
from claims.store import Actor
from claims.store import order_counts, orders
from claims.tabular import read_rows
from claims.validators import id_check_char

ADMIN = Actor("test:admin", role="admin")


def idn(seq: int) -> str:
    first17 = f"31010419900101{seq:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def shop(store):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery", "instant_delivery"])
    store.add_platform(ADMIN, name="货拉拉", industries=["intra_city_freight"])
    for i in range(1, 9):
        store.add_worker(ADMIN, {"name": f"骑手{i}", "id_number": idn(i), "phone": f"138123456{i:02d}"})
    return store


def order_rows(n, seed):
    rng = random.Random(seed)
    for i in range(n):
        plat, ind = rng.choice([("美团", "food_delivery"), ("美团", "instant_delivery"), ("货拉拉", "intra_city_freight")])
        day, hour = rng.randint(1, 6), rng.randint(0, 22)
        yield [f"O{i:05d}", plat, ind, idn(rng.randint(1, 8)), f"2025-07-{day:02d}T{hour:02d}:10:00",
               f"2025-07-{day:02d}T{hour:02d}:40:00", rng.choice(["310000", "310000", "320100"])]


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_no", "platform", "industry", "id_number", "accepted_at", "finished_at", "region"])
        w.writerows(rows)
    return path


def recount(store):
    return sorted(tuple(r) for r in store.conn.execute(
        "SELECT worker_id, platform_id, industry, substr(accepted_at, 1, 10), count(*) FROM orders"
        " GROUP BY 1, 2, 3, 4"))


def counts(store):
    return sorted(tuple(r) for r in store.conn.execute(
        "SELECT worker_id, platform_id, industry, day, orders FROM daily_counts WHERE orders > 0"))


@pytest.mark.parametrize("pending", [order_counts.PENDING, 7])  # all in memory / to the temp tables every few
def test_daily_counts_equal_a_recount_of_the_orders(shop, tmp_path, monkeypatch, pending):
    monkeypatch.setattr(order_counts, "PENDING", pending)
    monkeypatch.setattr(orders, "BATCH", 50)
    rows = list(order_rows(600, seed=3))
    first = shop.import_orders(ADMIN, read_rows(write(tmp_path / "a.csv", rows[:400])), file_name="a.csv")
    assert first.new == 400
    assert counts(shop) == recount(shop)
    # overlapping: 200 already stored, 200 new, in another order
    again = rows[200:]
    random.Random(5).shuffle(again)
    second = shop.import_orders(ADMIN, read_rows(write(tmp_path / "b.csv", again)), file_name="b.csv")
    assert (second.new, second.unchanged) == (200, 200)
    assert counts(shop) == recount(shop)
    regions = dict(((r[0], r[1], r[2], r[3]), r[4]) for r in shop.conn.execute(
        "SELECT worker_id, platform_id, industry, day, region FROM daily_counts"))
    assert set(regions.values()) <= {"310000", "320100"}
    ok, problems = verify_audit(shop)
    assert ok, problems


def test_an_import_puts_the_connection_back_as_it_was(shop, tmp_path):
    from claims.store import Cancelled
    pragmas = lambda: [shop.conn.execute(f"PRAGMA {p}").fetchone()[0]  # noqa: E731
                       for p in ("foreign_keys", "cache_size", "temp.cache_size")]
    before = pragmas()
    assert before[0] == 1
    path = write(tmp_path / "a.csv", list(order_rows(30, seed=1)))
    shop.import_orders(ADMIN, read_rows(path))
    assert pragmas() == before
    with pytest.raises(Cancelled):
        shop.import_orders(ADMIN, read_rows(path), cancel=lambda: True)
    assert pragmas() == before
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced again: a worker that does not exist
        shop.conn.execute("INSERT INTO daily_counts (worker_id, platform_id, industry, region, day, orders)"
                          " VALUES ('nobody', 'nowhere', 'food_delivery', '310000', '2025-07-01', 1)")


def test_a_worker_days_count_is_in_its_smallest_region_whatever_the_file_order(shop, tmp_path):
    """Sites receiving the same orders in another order must agree (the region is the
    recount's: the smallest of the day's orders)."""
    rows = list(order_rows(300, seed=5))
    rows.sort(key=lambda r: r[6], reverse=True)  # 320100 first: the file order would pick the larger region
    shop.import_orders(ADMIN, read_rows(write(tmp_path / "a.csv", rows)), file_name="a.csv")
    want = sorted(tuple(r) for r in shop.conn.execute(
        "SELECT worker_id, platform_id, industry, substr(accepted_at, 1, 10), min(region) FROM orders GROUP BY 1, 2, 3, 4"))
    got = sorted(tuple(r) for r in shop.conn.execute(
        "SELECT worker_id, platform_id, industry, day, region FROM daily_counts WHERE orders > 0"))
    assert got == want
