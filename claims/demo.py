"""Realistic demo data. The same seed and the same ``as_of`` date give the same
data. Every date is placed relative to ``as_of`` (default: today in Shanghai):
order counts in the six months before it (and the days of its own month
before it), enrollments before and during that, cases whose open clocks are
mostly running, a few due soon and a few overdue on ``as_of``, and nothing
dated on or after it.

Workers, enrollments and the platforms' daily counts are written in bulk
(memory flat in N); order records only where they matter (claims/demo_orders.py);
cases go through the same store methods and lifecycle transitions as a
clerk's clicks (claims/demo_cases.py, claims/demo_benefits.py). The README
says what the figures rest on (orders a day, cases per 1,000 workers)."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Callable

from .demo_cases import PATHS, make_cases  # noqa: F401 - PATHS: the states a demo shows, imported by tests
from .demo_orders import OrderRecords, write_daily_counts
from .store import Actor, Store
from .store.enrollment import name_grams
from .store.exchange.keys import worker_key
from .timeutil import now, now_iso
from .validators import PILOT_START, credit_check_char, id_check_char

PLATFORMS = [  # name, industries, tier
    ("曹操出行", ["ride_hailing"]), ("滴滴出行", ["ride_hailing"]),
    ("美团", ["food_delivery", "instant_delivery"]), ("饿了么", ["food_delivery", "instant_delivery"]),
    ("达达", ["instant_delivery"]), ("闪送", ["instant_delivery"]), ("顺丰同城", ["instant_delivery"]),
    ("货拉拉", ["intra_city_freight"]), ("快狗打车", ["intra_city_freight"]), ("滴滴货运", ["intra_city_freight"]),
    ("满帮", ["intra_city_freight"]),
]
# The companies behind the brands (printed beside the brand on documents).
LEGAL_NAMES = {"曹操出行": "曹操出行有限公司", "滴滴出行": "北京小桔科技有限公司", "美团": "北京三快在线科技有限公司",
               "饿了么": "上海拉扎斯信息科技有限公司", "达达": "上海达达网络科技有限公司", "闪送": "北京同城必应科技有限公司",
               "顺丰同城": "杭州顺丰同城实业股份有限公司", "货拉拉": "深圳依时货拉拉科技有限公司",
               "快狗打车": "天津五八到家货运服务有限公司", "滴滴货运": "北京畅行信息技术有限公司", "满帮": "江苏满运软件科技有限公司"}
DISTRICTS = [("310101", "黄浦"), ("310104", "徐汇"), ("310105", "长宁"), ("310106", "静安"), ("310107", "普陀"),
             ("310109", "虹口"), ("310110", "杨浦"), ("310112", "闵行"), ("310113", "宝山"), ("310114", "嘉定"),
             ("310115", "浦东新区"), ("310116", "金山"), ("310117", "松江"), ("310118", "青浦"),
             ("310120", "奉贤"), ("310151", "崇明")]
# Registration areas of ID numbers: Shanghai and the provinces many riders come from.
AREAS = ["310101", "310104", "310107", "310110", "310112", "310115", "320102", "320311", "321302", "340104",
         "341202", "342401", "410105", "411502", "412702", "510104", "511602", "420102", "421002", "430102",
         "431102", "360102", "362201", "130102", "370102", "372901", "500101", "522101", "450102", "230102"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"
PHONE_PREFIX = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178", "180", "181", "182",
                "183", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199"]
FULL_MONTHS = 6  # full calendar months of orders before as_of's own month
ENROLL_MONTHS = 4  # most enrollments start in this many months before the first order month
LONG_TENURE = 0.3  # the others earlier, since the pilot's start (up to three years before)
DEMO_USERS = [  # username, display name, role, password
    ("admin", "系统管理员", "admin", "admin123"),
    ("agent", "李经办", "insurer_agent", "agent123"),
    ("reviewer", "王审核", "reviewer", "review123"),
    ("zhanzhang", "赵站长", "station_manager", "station123"),
]


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + rng.choice(["310000", "310115", "110108", "440300"]) + "".join(rng.choice(alphabet) for _ in range(9))
    return body + credit_check_char(body)


def id_number(rng: random.Random) -> str:
    birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 38 * 365))
    first = rng.choice(AREAS) + birth.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return first + id_check_char(first)


def person_name(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIX) + f"{rng.randrange(0, 10**8):08d}"


def bank_card(rng: random.Random) -> str:
    digits = "622202" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def month_start(d: date, back: int = 0) -> date:
    """The first day of d's month, ``back`` calendar months earlier."""
    k = d.year * 12 + d.month - 1 - back
    return date(k // 12, k % 12 + 1, 1)


def full_months(as_of: date, n: int = FULL_MONTHS) -> list[str]:
    """The n full calendar months before as_of's month, oldest first."""
    return [f"{month_start(as_of, b):%Y-%m}" for b in range(n, 0, -1)]


def order_months_for(as_of: date) -> list[str]:
    """The demo's order months: six full months, then as_of's own month (whose
    orders fall on the days before as_of only; none when as_of is the 1st)."""
    return full_months(as_of) + [f"{as_of:%Y-%m}"]


def generate(path, *, workers: int = 2000, seed: int = 1, site_id: str = "DEMO",
             order_months: list[str] | None = None, as_of: date | None = None,
             progress: Callable[[str], None] | None = None) -> Store:
    """A demo database at ``path``. Dates are placed relative to ``as_of``
    (default: today in Asia/Shanghai); nothing is dated on or after it.
    ``order_months`` (YYYY-MM) replaces the default order months (the
    benchmarks use one month); days on or after as_of are still left out."""
    as_of = as_of or now().date()
    rng = random.Random(seed)
    say = progress or (lambda _m: None)
    months = [m for m in (order_months or order_months_for(as_of)) if m + "-01" < as_of.isoformat()]
    first_order = min(month_start(as_of, FULL_MONTHS), date.fromisoformat(min(months) + "-01"))
    store = Store(path, site_id, create=True)
    # sample records for practice stay on this computer: not recorded as changes for other sites
    # (recording a million workers in one transaction would also hold them all in memory)
    store.capture_paused = True
    admin = Actor("demo:admin")
    say("平台与站点")
    platforms, stations = _platforms(store, rng, admin)
    say(f"人员 {workers} 名")
    _workers(store, rng, workers, platforms, stations, first_order, as_of)
    say("订单")
    write_daily_counts(store, rng, months, as_of)
    records = OrderRecords(store, rng)
    records.recent_sample(months, as_of)
    say("缴费申报")
    _declarations(store, rng, admin, platforms, full_months(as_of))
    say("案件")
    from .demo_benefits import add_benefit_cases, add_parameters
    add_parameters(store, admin, as_of)
    window_start = date.fromisoformat(min(months) + "-01")
    window_end = min(as_of, date.fromisoformat(month_start(date.fromisoformat(max(months) + "-28"), -1).isoformat()))
    make_cases(store, rng, as_of, window_start, records, person_name, [s.id for s in stations[:2]],
               window_days=(window_end - window_start).days)
    add_benefit_cases(store, rng, as_of, records)
    _users(store, admin, stations)
    store.conn.execute("ANALYZE")
    store.capture_paused = False
    return store


def _platforms(store: Store, rng: random.Random, actor: Actor):
    platforms, stations = {}, []
    for name, inds in PLATFORMS:
        p, _ = store.add_platform(actor, name=name, credit_code=credit_code(rng), industries=inds,
                                  contact_name=person_name(rng), contact_phone=phone(rng),
                                  legal_name=LEGAL_NAMES.get(name, ""))
        platforms[name] = p
        for code, dname in rng.sample(DISTRICTS, 3):
            s, _ = store.add_station(actor, platform_id=p.id, name=f"{dname}站", district=code,
                                     address=f"上海市{dname}{'区' if not dname.endswith('区') else ''}{rng.randrange(1, 999)}号",
                                     manager=person_name(rng))
            stations.append(s)
    return platforms, stations


def _workers(store: Store, rng: random.Random, n: int, platforms, stations, first_order: date, as_of: date) -> None:
    """Bulk path: plain executemany in one transaction. Most enrollments start
    in the four months before ``first_order``, the others earlier (since the
    pilot's start); an enrollment is recorded under the industry of its start
    day (外卖 started from 2025-07-01 is 即时配送: claims/industries.py)."""
    from .industries import as_recorded
    by_platform = {}
    for s in stations:
        by_platform.setdefault(s.platform_id, []).append(s)
    plats = list(platforms.values())
    weights = [5 if p.name in ("美团", "饿了么") else 2 for p in plats]
    c = store.conn
    ts = now_iso()
    pending: set[str] = set()  # ID numbers not yet flushed; earlier ones are checked in the unique index
    head = store.begin_write()
    rowid = c.execute("SELECT coalesce(max(rowid), 0) FROM workers").fetchone()[0]
    enroll_from = month_start(first_order, ENROLL_MONTHS)
    enroll_days = (first_order - enroll_from).days
    long_from = max(PILOT_START, month_start(first_order, 36))
    long_days = max(1, (enroll_from - long_from).days)
    wb, eb, gb = [], [], []
    for i in range(n):
        idn = id_number(rng)
        while idn in pending or c.execute("SELECT 1 FROM workers WHERE id_number = ?", (idn,)).fetchone():
            idn = id_number(rng)
        pending.add(idn)
        name = person_name(rng)
        ph = phone(rng)
        wid = worker_key(idn)  # the natural key (claims/store/exchange/keys.py)
        rng.getrandbits(128)  # the stream of random numbers stays as it was: the same seed, the same data
        rowid += 1
        wb.append((rowid, wid, ts, ts, store.site_id, idn, idn[::-1], name,
                   "male" if int(idn[16]) % 2 else "female", f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}", ph, ph[::-1],
                   bank_card(rng) if rng.random() < 0.8 else "", f"上海市{rng.choice(DISTRICTS)[1]}区某路{rng.randrange(1, 500)}弄"))
        gb.extend((g, rowid) for g in name_grams(name))
        for p in rng.choices(plats, weights) + (rng.choices(plats, weights) if rng.random() < 0.15 else []):
            st = rng.choice(by_platform[p.id])
            ind = rng.choice([i for i in p.industries])
            if rng.random() < LONG_TENURE:
                start = long_from + timedelta(days=rng.randrange(0, long_days))
            else:
                start = enroll_from + timedelta(days=rng.randrange(0, enroll_days))
            eb.append((uuid.UUID(int=rng.getrandbits(128)).hex, ts, ts, store.site_id, wid, p.id, st.id,
                       as_recorded(ind, start)[0].value, start.isoformat()))
        if len(wb) >= 5000:
            _flush_workers(store, wb, eb, gb)
            pending.clear()
    _flush_workers(store, wb, eb, gb)
    store.commit_write(head)  # signs the audit chain's new head (claims/store/anchor.py)


def _flush_workers(store: Store, wb, eb, gb):
    c = store.conn
    store._insert_workers_bulk(
        "INSERT INTO workers (rowid, id, created_at, updated_at, site_id, id_number, id_rev, name, gender,"
        " birth_date, phone, phone_rev, bank_card, address, bank_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        " CASE WHEN ?13 != '' THEN '中国工商银行上海市分行' ELSE '' END)", wb, [(w[0], w[5], w[10]) for w in wb])
    c.executemany("INSERT OR IGNORE INTO enrollments (id, created_at, updated_at, site_id, worker_id, platform_id,"
                  " station_id, industry, start_on, source, platform_account) VALUES (?,?,?,?,?,?,?,?,?,'import',"
                  " 'SH' || upper(substr(?1, 1, 8)))", eb)
    c.executemany("INSERT OR IGNORE INTO worker_name_grams VALUES (?, ?)", gb)
    store.fill_name_keys(min(w[0] for w in wb)) if wb else None
    actor = Actor("demo:admin")
    store._audit_rows(actor, "import", "workers", [w[1] for w in wb])
    store._audit_rows(actor, "import", "enrollments", [e[0] for e in eb])
    wb.clear(), eb.clear(), gb.clear()


def _declarations(store: Store, rng: random.Random, actor: Actor, platforms, months: list[str]) -> None:
    """Declarations for the full months before as_of but the newest (which has
    counts and no declaration yet); the one before it is still a draft for
    some platforms. Most platforms declare what the counts say, some a little
    less (the reconciliation's differences); declared and paid on working days
    by the 15th of the following month, so before as_of; a few pay half, or
    nothing yet."""
    # pilot-2022 amounts were never published: the demo enters assumed ones, marked unconfirmed.
    for ind, units in (("ride_hailing", 100), ("food_delivery", 400), ("instant_delivery", 400),
                       ("intra_city_freight", 1500)):
        store.add_fee_rate(actor, industry=ind, region="310000", valid_from="2022-07-01", valid_to="2025-06-30",
                           amount_units=units, status="unconfirmed", source="演示数据（试点首期金额未公开，假定值）")
    cal = store.calendar()
    for p in platforms.values():
        for m in months[:-1]:
            skew = {} if rng.random() < 0.7 else {
                l.industry.value: max(0, round(l.orders_recorded * (1 - rng.uniform(0.002, 0.03))))
                for l in store.compute_lines(p.id, "310000", m)}
            d, _ = store.create_declaration(actor, p.id, "310000", m, skew)
            if m == months[-2] and rng.random() < 0.5:
                continue  # the latest month is still a draft for some platforms
            y, mo = map(int, m.split("-"))
            y, mo = y + (mo == 12), mo % 12 + 1
            declared = cal.on_working_day(date(y, mo, rng.randint(2, 8)))
            store.declare(actor, d.id, declared)
            paid_on = cal.on_working_day(declared + timedelta(days=rng.randint(1, 4)))
            luck = rng.random()
            if d.amount_due_fen and luck < 0.97:
                part = d.amount_due_fen if luck < 0.92 else d.amount_due_fen // 2
                store.record_fee_payment(actor, d.id, paid_on=paid_on, amount_fen=part,
                                         reference=f"税票{rng.randrange(10**8):08d}")


def _users(store: Store, actor: Actor, stations) -> None:
    from argon2 import PasswordHasher

    ph = PasswordHasher()
    st = stations[0]
    with store.atomic():
        for username, display, role, pw in DEMO_USERS:
            store._insert("users", {"username": username, "display_name": display, "role": role,
                                    "platform_id": st.platform_id if role == "station_manager" else None,
                                    "station_id": st.id if role == "station_manager" else None,
                                    "password_hash": ph.hash(pw)}, actor)
