"""Realistic demo data. The same seed and the same ``as_of`` date give the same
data. Every date is placed relative to ``as_of`` (default: today in Shanghai):
orders in the six months before it, enrollments before that, cases whose open
clocks are mostly running, a few due soon and a few overdue on ``as_of``, and
nothing dated on or after it. Workers and orders are written in batches
(memory flat in N); cases go through the same store methods and lifecycle
transitions as a clerk's clicks."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterator

from . import checklist
from .clocks import clock_for, due_date
from .enums import CaseState
from .store import Actor, Store
from .store.enrollment import name_grams
from .store.exchange.keys import worker_key
from .timeutil import SHANGHAI, now, now_iso
from .validators import credit_check_char, id_check_char

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
ENROLL_MONTHS = 4  # enrollments start in this many months before the first order month
BODY = ["左腿", "右腿", "左臂", "右臂", "头部", "腰部", "胸部", "右手腕", "左脚踝", "肩部"]
PLACES = ["浦东新区张杨路与源深路路口", "徐汇区漕溪北路88号附近", "静安区南京西路1266号门口", "闵行区七宝镇漕宝路",
          "杨浦区国定路与政立路口", "长宁区中山公园地铁站旁", "普陀区曹杨路桥下", "宝山区友谊路商场停车场"]
HOSPITALS = ["上海市第六人民医院", "复旦大学附属中山医院", "上海交通大学医学院附属瑞金医院", "上海市第一人民医院",
             "复旦大学附属华山医院", "上海市东方医院"]
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
    months = order_months or order_months_for(as_of)
    first_order = min(month_start(as_of, FULL_MONTHS), date.fromisoformat(min(months) + "-01"))
    store = Store(path, site_id, create=True)
    admin = Actor("demo:admin")
    say("平台与站点")
    platforms, stations = _platforms(store, rng, admin)
    say(f"人员 {workers} 名")
    enrolled = _workers(store, rng, workers, platforms, stations, first_order)
    say("订单")
    _orders(store, rng, enrolled, months, as_of)
    say("缴费申报")
    _declarations(store, rng, admin, platforms, full_months(as_of))
    say("案件")
    from .demo_benefits import add_benefit_cases, add_parameters
    add_parameters(store, admin, as_of)
    _cases(store, rng, workers, as_of)
    add_benefit_cases(store, rng, as_of)
    _users(store, admin, stations)
    store.conn.execute("ANALYZE")
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


def _workers(store: Store, rng: random.Random, n: int, platforms, stations, first_order: date) -> list[tuple]:
    """Bulk path: plain executemany in one transaction. Returns a small sample
    (worker id, id_number, platform, industry) per 1,000 for the order generator
    is too little, so orders are generated from a stream instead (see _orders).
    Enrollments start in the four months before ``first_order``."""
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
            start = enroll_from + timedelta(days=rng.randrange(0, enroll_days))
            eb.append((uuid.UUID(int=rng.getrandbits(128)).hex, ts, ts, store.site_id, wid, p.id, st.id, ind.value,
                       start.isoformat()))
        if len(wb) >= 5000:
            _flush_workers(store, wb, eb, gb)
            pending.clear()
    _flush_workers(store, wb, eb, gb)
    store.commit_write(head)  # signs the audit chain's new head (claims/store/anchor.py)
    return []


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


def _order_stream(store: Store, rng: random.Random, months: list[str], as_of: date) -> Iterator[tuple]:
    ts = now_iso()
    seq = 0
    days_of = {}  # month -> the days (1-28) that fall before as_of
    for m in months:
        y, mo = map(int, m.split("-"))
        days_of[m] = [d for d in range(1, 29) if date(y, mo, d) < as_of]
    for wid, pid, ind, _district in _enrollment_pages(store.conn):
        for m in months:  # records keep their original industry (food_delivery too): only the fee lookup maps it
            days = days_of[m]
            if not days:
                continue
            y, mo = map(int, m.split("-"))
            k = rng.randint(1, 3)
            for day in rng.sample(days, min(k, len(days))):
                for _ in range(rng.randint(1, 3)):
                    seq += 1
                    start = datetime(y, mo, day, rng.randint(7, 21), rng.randrange(60), tzinfo=SHANGHAI)
                    fin = start + timedelta(minutes=rng.randint(12, 70))
                    yield (uuid.UUID(int=rng.getrandbits(128)).hex, ts, ts, store.site_id, pid, f"D{seq:010d}", ind,
                           wid, start.isoformat(), fin.isoformat() if rng.random() > 0.03 else None, "310000")


def _enrollment_pages(conn, page: int = 5000) -> Iterator[tuple]:
    """Every enrollment in rowid order, read a page at a time (memory flat in N)."""
    last = 0
    while rows := conn.execute("SELECT e.rowid, e.worker_id, e.platform_id, e.industry, s.district FROM enrollments e"
                               " LEFT JOIN stations s ON s.id = e.station_id WHERE e.rowid > ?"
                               " ORDER BY e.rowid LIMIT ?", (last, page)).fetchall():
        last = rows[-1][0]
        for row in rows:
            yield tuple(row)[1:]


def _orders(store: Store, rng: random.Random, _enrolled, months: list[str], as_of: date) -> None:
    from .store.seal import MOD, row_hash
    c = store.conn
    insert = ("INSERT INTO orders (id, created_at, updated_at, site_id, platform_id, order_no, industry,"
              " worker_id, accepted_at, finished_at, region) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    head = store.begin_write()
    batch, n, total = [], 0, 0
    for row in _order_stream(store, rng, months, as_of):
        batch.append(row)
        total += row_hash((*row[:4], 1, *row[4:]))  # the table's seal (claims/store/seal.py)
        if len(batch) >= 20000:
            c.executemany(insert, batch)
            n += len(batch)
            batch.clear()
    c.executemany(insert, batch)
    n += len(batch)
    c.execute("INSERT OR REPLACE INTO daily_counts (worker_id, platform_id, industry, region, day, orders, source)"
              " SELECT worker_id, platform_id, industry, region, substr(accepted_at, 1, 10), count(*), 'derived'"
              " FROM orders GROUP BY worker_id, platform_id, industry, substr(accepted_at, 1, 10)")
    store.seal_add_sum(Actor("demo:admin"), "orders", n, total % MOD, "演示订单")
    store.commit_write(head)


def _declarations(store: Store, rng: random.Random, actor: Actor, platforms, months: list[str]) -> None:
    """Declarations for the full months before as_of but the newest (which has
    records and no declaration yet); the one before it is still a draft for
    some platforms. Declared and paid by the 15th of the following month, so
    before as_of."""
    # pilot-2022 amounts were never published: the demo enters assumed ones, marked unconfirmed.
    for ind, units in (("ride_hailing", 100), ("food_delivery", 400), ("instant_delivery", 400),
                       ("intra_city_freight", 1500)):
        store.add_fee_rate(actor, industry=ind, region="310000", valid_from="2022-07-01", valid_to="2025-06-30",
                           amount_units=units, status="unconfirmed", source="演示数据（试点首期金额未公开，假定值）")
    for p in platforms.values():
        for m in months[:-1]:
            skew = {} if rng.random() < 0.7 else {
                l.industry.value: max(0, l.orders_recorded - rng.randint(1, 40)) for l in store.compute_lines(p.id, "310000", m)}
            d, _ = store.create_declaration(actor, p.id, "310000", m, skew)
            if m == months[-2] and rng.random() < 0.5:
                continue  # the latest month is still a draft for some platforms
            y, mo = map(int, m.split("-"))
            due = date(y + (mo == 12), mo % 12 + 1, 15)
            store.declare(actor, d.id, due - timedelta(days=rng.randint(1, 10)))
            if d.amount_due_fen and rng.random() < 0.85:
                part = d.amount_due_fen if rng.random() < 0.8 else d.amount_due_fen // 2
                store.record_fee_payment(actor, d.id, paid_on=due, amount_fen=part, reference=f"税票{rng.randrange(10**8):08d}")


# The path of lifecycle steps that leads to each state.
PATHS: dict[str, list[str]] = {
    "reported": [], "awaiting_documents": ["awaiting_documents"], "accepted": ["accepted"],
    "investigating": ["accepted", "investigating"], "withdrawn": ["withdrawn"],
    "suspended": ["accepted", "suspended"],
    "confirmed": ["accepted", "investigating", "confirm"], "rejected": ["accepted", "investigating", "reject"],
    "disputed": ["accepted", "investigating", "reject", "disputed"],
    "appraisal": ["accepted", "investigating", "confirm", "appraisal"],
    "appraised": ["accepted", "investigating", "confirm", "appraisal", "appraise"],
    "assessed": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess"],
    "paid": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess", "pay"],
    "closed": ["accepted", "investigating", "confirm", "appraisal", "appraise", "assess", "pay", "closed"],
}


# How the open cases with a clock stand on as_of, taken in turn: most within
# their time limit, some due within 7 days, a few overdue (home screen: 已逾期,
# 7 天内到期). Days left on as_of (due date minus as_of) for each kind:
DUE_MIX = ("ok", "ok", "soon", "ok", "overdue", "ok", "ok", "soon", "ok", "ok")
DAYS_LEFT = {"overdue": (-20, -1), "soon": (0, 7), "ok": (8, 400)}
REPORT_WITHIN = 7  # days from accident to report, at most (recent cases)
STEP_DAYS = (1, 12)  # days between lifecycle steps when fitting a recent case to its clock


def _cases(store: Store, rng: random.Random, n_workers: int, as_of: date) -> None:
    from .benefits import assessment_to_json, compute, parse_input

    agent = Actor("agent", role="insurer_agent", display_name="李经办")
    reviewer = Actor("reviewer", role="reviewer", display_name="王审核")
    n_cases = max(2 * len(PATHS), min(n_workers // 40, 3000))
    targets = list(PATHS) * (n_cases // len(PATHS) + 1)
    table = store.parameter_table()
    ws = store.conn.execute("SELECT e.worker_id, e.platform_id, e.station_id, e.industry FROM enrollments e"
                            " ORDER BY e.rowid LIMIT ?", (n_cases * 7,)).fetchall()
    picks = rng.sample(ws, min(n_cases, len(ws)))
    n_clock = 0
    overridden = False
    for i, pick in enumerate(picks):
        target = targets[i]
        if clock_for(target):  # open with a deadline: a recent accident, placed against the clock
            want = DUE_MIX[n_clock % len(DUE_MIX)]
            n_clock += 1
            pick, acc, order_no, reported_at, times = _recent_case(store, rng, [pick, *rng.sample(ws, min(5, len(ws)))],
                                                                   target, want, as_of)
        else:  # terminal or late states: any time in the order window that leaves room for the steps
            acc, order_no, reported_at, times = _older_case(store, rng, pick, target, as_of)
        wid, pid, sid, ind = pick
        if "reject" in PATHS[target]:  # a refusal: the accident happened outside any order
            acc, order_no = _outside_orders(store, wid, pid, acc), ""
        elif target == "confirmed" and not overridden:  # one confirmation the order records do not support
            acc, order_no, overridden = _outside_orders(store, wid, pid, acc), "", True
        traffic = rng.random() < 0.5
        case, _ = store.report_case(
            agent, worker_id=wid, platform_id=pid, industry=ind, station_id=sid, accident_at=acc,
            order_no=order_no, place=rng.choice(PLACES), hospital=rng.choice(HOSPITALS), diagnosed_on=acc.date(),
            body_parts="、".join(rng.sample(BODY, rng.randint(1, 2))),
            description=("送单途中在路口被右转车辆刮倒，摔伤后由路人拨打120送医。" if traffic
                         else "取餐时在商户门口湿滑台阶上滑倒，手部着地受伤。"),
            case_type="traffic" if traffic else "injury", reporter_name=person_name(rng),
            reporter_relation=rng.choice(["本人", "配偶", "站长"]), channel=rng.choice(["phone", "counter", "platform"]),
            reported_at=reported_at, allow_duplicate=True)
        _documents(store, agent, case, target)
        grade = rng.choice([None, 4, 7, 9, 10]) if target in ("appraised", "assessed", "paid", "closed") else None
        for step, t in zip(PATHS[target], times):
            _step(store, rng, case, step, t, agent, reviewer, table, grade, (compute, parse_input, assessment_to_json))


def _outside_orders(store: Store, worker_id: str, platform_id: str, acc: datetime) -> datetime:
    """``acc``, or an earlier time when no order of the worker was in progress."""
    t = acc - timedelta(hours=3)
    while store.orders_at(worker_id, t, platform_id)["in_progress"]:
        t -= timedelta(minutes=97)
    return t


# Why the one demo confirmation that the order records do not support stands.
OVERRIDE_REASON = ("交警出具的道路交通事故认定书载明事故发生时其正在送达订单，平台导出的订单记录漏传该单，"
                   "已函请平台补传；站长证言与骑手端截图一致")


def _documents(store: Store, agent: Actor, case, target: str) -> None:
    """The documents handed in with the report: every one the checklist asks of a case that
    has reached a decision; before the decision all but the last (the payee's bank card,
    wanted only for payment); for a case waiting for documents, all but the first two (the
    ID and the order record: the notice lists what is still missing); none for a case just
    reported or withdrawn at once."""
    required = checklist.required_documents(case)
    steps = PATHS[target]
    if "confirm" in steps or "reject" in steps:
        handed = required
    elif "accepted" in steps:
        handed = required[:-1]
    elif target == "awaiting_documents":
        handed = required[2:]
    else:
        return
    day = case.reported_at.astimezone(SHANGHAI).date()
    for i, d in enumerate(handed):
        store.add_document(agent, case.id, doc_type=d["code"], pages=(1, 2, 1, 3)[i % 4], received_on=day)


def _midpoint(order) -> datetime:
    acc, fin = datetime.fromisoformat(order[1]), datetime.fromisoformat(order[2])
    return acc + (fin - acc) / 2


def _at(d: date, rng: random.Random, first_hour: int = 9, last_hour: int = 17) -> datetime:
    return datetime.combine(d, time(rng.randint(first_hour, last_hour), rng.randrange(60)), SHANGHAI)


def _older_case(store: Store, rng: random.Random, pick, target: str, as_of: date):
    """An accident on one of the worker's orders (a plain time if the worker
    has none early enough), reported 2-30 hours later, each step 1-6 days after
    the one before: all of it before as_of."""
    wid, pid = pick[0], pick[1]
    steps = len(PATHS[target])
    span = timedelta(hours=30) + timedelta(days=6 * steps)
    cutoff = datetime.combine(as_of, time(0), SHANGHAI) - span
    orders = store.conn.execute("SELECT order_no, accepted_at, finished_at FROM orders WHERE worker_id = ?"
                                " AND platform_id = ? AND finished_at IS NOT NULL AND finished_at < ?"
                                " ORDER BY accepted_at", (wid, pid, cutoff.isoformat())).fetchall()
    if orders:
        o = rng.choice(orders)
        acc, order_no = _midpoint(o), o[0]
    else:  # a day in the order window (the demo's parameters start in 2023)
        window = (cutoff.date() - month_start(as_of, FULL_MONTHS)).days
        acc = datetime.combine(cutoff.date() - timedelta(days=rng.randint(1, max(1, window))), time(12), SHANGHAI)
        order_no = ""
    t = acc + timedelta(hours=rng.randint(2, 30))
    reported_at, times = t, []
    for _ in range(steps):
        t += timedelta(days=rng.randint(1, 6))
        times.append(t)
    return acc, order_no, reported_at, times


def _recent_case(store: Store, rng: random.Random, candidates: list, target: str, want: str, as_of: date):
    """A case that ends in ``target`` (a state with a clock) whose time limit
    stands as ``want`` on as_of. The clock starts on a date chosen for that
    (the report, the notice, the acceptance, the appraisal request or
    conclusion); the accident is on one of the worker's orders a few days
    earlier, trying a few workers until one has an order that fits; a plain
    time only when none of them has. Everything happens before as_of."""
    path = PATHS[target]
    n_pre = path.index("accepted") + 1 if clock_for(target)["from"] == "accepted" else len(path)
    post = len(path) - n_pre  # steps after the one that starts the clock (investigating)
    lo, hi = DAYS_LEFT[want]
    options = [a for a in (as_of - timedelta(days=k) for k in range(1 + post, 400))
               if lo <= (due_date(target, a, a) - as_of).days <= hi]
    start = rng.choice(options) if options else as_of - timedelta(days=1 + post)
    gaps = [rng.randint(1, 6) for _ in range(n_pre)]
    r_min, r_max = start - timedelta(days=STEP_DAYS[1] * n_pre), start - timedelta(days=STEP_DAYS[0] * n_pre)

    def report_days(acc: datetime) -> tuple[date, date]:
        """The days the report can fall on after an accident at ``acc``."""
        return (max((acc + timedelta(hours=2)).date(), r_min),
                min(acc.date() + timedelta(days=REPORT_WITHIN), r_max))

    def fits(order) -> bool:
        first, last = report_days(_midpoint(order))
        return first <= last

    nominal = start - timedelta(days=sum(gaps) + rng.randint(0, 1))
    lo_t = datetime.combine(r_min - timedelta(days=REPORT_WITHIN), time(0), SHANGHAI).isoformat()
    hi_t = datetime.combine(r_max + timedelta(days=1), time(0), SHANGHAI).isoformat()
    chosen = None
    for cand in candidates:
        rows = store.conn.execute(
            "SELECT order_no, accepted_at, finished_at FROM orders WHERE worker_id = ? AND platform_id = ?"
            " AND finished_at IS NOT NULL AND accepted_at >= ? AND accepted_at < ? ORDER BY accepted_at",
            (cand[0], cand[1], lo_t, hi_t)).fetchall()
        if usable := [o for o in rows if fits(o)]:
            o = min(usable, key=lambda o: (abs((_midpoint(o).date() - nominal).days), o[1]))
            chosen = cand, _midpoint(o), o[0]
            break
    if chosen is None:  # no worker tried has an order that fits: a plain time
        acc_day = min(max(nominal, r_min - timedelta(days=REPORT_WITHIN)), r_max)
        chosen = candidates[0], datetime.combine(acc_day, time(12), SHANGHAI), ""
    pick, acc, order_no = chosen
    first, last = report_days(acc)
    report_day = min(max(start - timedelta(days=sum(gaps)), first), last)
    if report_day == acc.date():
        room = int((datetime.combine(report_day, time(23, 59), SHANGHAI) - acc).total_seconds() // 60) - 120
        reported_at = acc + timedelta(minutes=120 + rng.randrange(max(1, min(room, 8 * 60))))
    else:
        reported_at = _at(report_day, rng, 8, 20)
    total = (start - report_day).days  # spread over the steps up to the clock's start, 1-12 days each
    while sum(gaps) != total:
        i = rng.randrange(n_pre)
        if sum(gaps) < total and gaps[i] < STEP_DAYS[1]:
            gaps[i] += 1
        elif sum(gaps) > total and gaps[i] > STEP_DAYS[0]:
            gaps[i] -= 1
    d, days = report_day, []
    for g in gaps:
        d += timedelta(days=g)
        days.append(d)
    for k in range(post):  # steps after the clock started: still before as_of
        room = (as_of - d).days - (post - k)
        d += timedelta(days=min(rng.randint(1, 6), room))
        days.append(d)
    return pick, acc, order_no, reported_at, [_at(x, rng) for x in days]


def _step(store, rng, case, step, t, agent, reviewer, table, grade, engine):
    compute, parse_input, to_json = engine
    if step == "confirm":
        evidence = store.decision_evidence(case.id)
        store.decide(reviewer, case.id, confirm=True, at=t, situation_code=(
            "order_route_traffic" if case.case_type == "traffic" else "order_task"),
            override_reason=OVERRIDE_REASON if evidence.problems(True) else "")
    elif step == "reject":
        store.decide(reviewer, case.id, confirm=False, at=t, reasons="事故发生时未处于接单状态，且非往返订单地点的合理路线")
    elif step == "appraise":
        store.record_appraisal(agent, case.id, grade=grade, care_level=None, at=t,
                               conclusion_no=f"沪劳鉴{t.year}第{rng.randrange(1000, 9999)}号", concluded_on=t.date())
    elif step == "assess":
        inp = parse_input({"region": "310000", "accident_date": case.accident_at.date().isoformat(),
                           "appraisal_date": t.date().isoformat(),
                           "outcome": "disability" if grade else "injury", "disability_grade": grade,
                           "medical": {"medical_expenses": f"{rng.randint(800, 30000)}.00",
                                       "hospital_days": rng.randint(0, 20)}})
        result = to_json(compute(inp, table))
        a, _ = store.save_assessment(agent, case.id, result, at=t)
        store.approve_assessment(reviewer, a.id)
    elif step == "pay":
        a = store.assessments_of(case.id)[-1]
        w = store.worker(case.worker_id)
        p, _ = store.prepare_payment(agent, a.id, kind="once", amount_fen=a.once_total_fen, payee=w.name,
                                     account=w.bank_card, due_on=t.date())
        store.approve_payment(reviewer, p.id, paid_on=t.date(), reference=f"银行流水{rng.randrange(10**8):08d}")
        store.transition(agent, case.id, CaseState.paid, "一次性待遇已支付", at=t)
    elif step == "awaiting_documents":  # one notice listing every missing document
        store.issue_missing_notice(agent, case.id, at=t)
    elif step == "disputed":
        store.transition(agent, case.id, CaseState.disputed, "申请人申请行政复议", at=t)
    else:
        store.transition(agent, case.id, CaseState(step), "", at=t)


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
