"""Realistic demo data. The same seed gives the same data. Workers and orders
are written in batches (memory flat in N); cases go through the same store
methods and lifecycle transitions as a clerk's clicks."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Callable, Iterator

from .enums import CaseState
from .store import Actor, Store
from .store.enrollment import name_grams
from .timeutil import SHANGHAI, now_iso
from .validators import credit_check_char, id_check_char

PLATFORMS = [  # name, industries, tier
    ("曹操出行", ["ride_hailing"]), ("滴滴出行", ["ride_hailing"]),
    ("美团", ["food_delivery", "instant_delivery"]), ("饿了么", ["food_delivery", "instant_delivery"]),
    ("达达", ["instant_delivery"]), ("闪送", ["instant_delivery"]), ("顺丰同城", ["instant_delivery"]),
    ("货拉拉", ["intra_city_freight"]), ("快狗打车", ["intra_city_freight"]), ("滴滴货运", ["intra_city_freight"]),
    ("满帮", ["intra_city_freight"]),
]
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
MONTHS = ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]
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


def generate(path, *, workers: int = 2000, seed: int = 1, site_id: str = "DEMO",
             order_months: list[str] | None = None, progress: Callable[[str], None] | None = None) -> Store:
    rng = random.Random(seed)
    say = progress or (lambda _m: None)
    store = Store(path, site_id, create=True)
    admin = Actor("demo:admin")
    say("平台与站点")
    platforms, stations = _platforms(store, rng, admin)
    say(f"人员 {workers} 名")
    enrolled = _workers(store, rng, workers, platforms, stations)
    say("订单")
    _orders(store, rng, enrolled, order_months or MONTHS)
    say("缴费申报")
    _declarations(store, rng, admin, platforms)
    say("案件")
    _parameters(store, admin)
    _cases(store, rng, workers)
    _users(store, admin, stations)
    store.conn.execute("ANALYZE")
    return store


def _platforms(store: Store, rng: random.Random, actor: Actor):
    platforms, stations = {}, []
    for name, inds in PLATFORMS:
        p, _ = store.add_platform(actor, name=name, credit_code=credit_code(rng), industries=inds,
                                  contact_name=person_name(rng), contact_phone=phone(rng))
        platforms[name] = p
        for code, dname in rng.sample(DISTRICTS, 3):
            s, _ = store.add_station(actor, platform_id=p.id, name=f"{dname}站", district=code,
                                     address=f"上海市{dname}{'区' if not dname.endswith('区') else ''}{rng.randrange(1, 999)}号",
                                     manager=person_name(rng))
            stations.append(s)
    return platforms, stations


def _workers(store: Store, rng: random.Random, n: int, platforms, stations) -> list[tuple]:
    """Bulk path: plain executemany in one transaction. Returns a small sample
    (worker id, id_number, platform, industry) per 1,000 for the order generator
    is too little, so orders are generated from a stream instead (see _orders)."""
    by_platform = {}
    for s in stations:
        by_platform.setdefault(s.platform_id, []).append(s)
    plats = list(platforms.values())
    weights = [5 if p.name in ("美团", "饿了么") else 2 for p in plats]
    c = store.conn
    ts = now_iso()
    pending: set[str] = set()  # ID numbers not yet flushed; earlier ones are checked in the unique index
    c.execute("BEGIN")
    rowid = c.execute("SELECT coalesce(max(rowid), 0) FROM workers").fetchone()[0]
    wb, eb, gb = [], [], []
    for i in range(n):
        idn = id_number(rng)
        while idn in pending or c.execute("SELECT 1 FROM workers WHERE id_number = ?", (idn,)).fetchone():
            idn = id_number(rng)
        pending.add(idn)
        name = person_name(rng)
        ph = phone(rng)
        wid = uuid.UUID(int=rng.getrandbits(128)).hex
        rowid += 1
        wb.append((rowid, wid, ts, ts, store.site_id, idn, idn[::-1], name,
                   "male" if int(idn[16]) % 2 else "female", f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}", ph, ph[::-1],
                   bank_card(rng) if rng.random() < 0.8 else "", f"上海市{rng.choice(DISTRICTS)[1]}区某路{rng.randrange(1, 500)}弄"))
        gb.extend((g, rowid) for g in name_grams(name))
        for p in rng.choices(plats, weights) + (rng.choices(plats, weights) if rng.random() < 0.15 else []):
            st = rng.choice(by_platform[p.id])
            ind = rng.choice([i for i in p.industries])
            start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 120))
            eb.append((uuid.UUID(int=rng.getrandbits(128)).hex, ts, ts, store.site_id, wid, p.id, st.id, ind.value,
                       start.isoformat()))
        if len(wb) >= 5000:
            _flush_workers(store, wb, eb, gb)
            pending.clear()
    _flush_workers(store, wb, eb, gb)
    c.execute("COMMIT")
    return []


def _flush_workers(store: Store, wb, eb, gb):
    c = store.conn
    c.executemany("INSERT INTO workers (rowid, id, created_at, updated_at, site_id, id_number, id_rev, name, gender,"
                  " birth_date, phone, phone_rev, bank_card, address) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", wb)
    c.executemany("INSERT OR IGNORE INTO enrollments (id, created_at, updated_at, site_id, worker_id, platform_id,"
                  " station_id, industry, start_on, source) VALUES (?,?,?,?,?,?,?,?,?,'import')", eb)
    c.executemany("INSERT OR IGNORE INTO worker_name_grams VALUES (?, ?)", gb)
    actor = Actor("demo:admin")
    store._audit_rows(actor, "import", "workers", [w[1] for w in wb])
    store._audit_rows(actor, "import", "enrollments", [e[0] for e in eb])
    wb.clear(), eb.clear(), gb.clear()


def _order_stream(store: Store, rng: random.Random, months: list[str]) -> Iterator[tuple]:
    ts = now_iso()
    seq = 0
    for wid, pid, ind, _district in _enrollment_pages(store.conn):
        for m in months:
            y, mo = map(int, m.split("-"))
            if ind == "food_delivery" and m >= "2025-07":
                pass  # records keep their original industry; only the fee lookup maps it
            for day in rng.sample(range(1, 29), rng.randint(1, 3)):
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


def _orders(store: Store, rng: random.Random, _enrolled, months: list[str]) -> None:
    from .store.seal import MOD, row_hash
    c = store.conn
    insert = ("INSERT INTO orders (id, created_at, updated_at, site_id, platform_id, order_no, industry,"
              " worker_id, accepted_at, finished_at, region) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    c.execute("BEGIN")
    batch, n, total = [], 0, 0
    for row in _order_stream(store, rng, months):
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
    c.execute("COMMIT")


def _declarations(store: Store, rng: random.Random, actor: Actor, platforms) -> None:
    # pilot-2022 amounts were never published: the demo enters assumed ones, marked unconfirmed.
    for ind, units in (("ride_hailing", 100), ("food_delivery", 400), ("instant_delivery", 400),
                       ("intra_city_freight", 1500)):
        store.add_fee_rate(actor, industry=ind, region="310000", valid_from="2022-07-01", valid_to="2025-06-30",
                           amount_units=units, status="unconfirmed", source="演示数据（试点首期金额未公开，假定值）")
    for p in platforms.values():
        for m in MONTHS[:-1]:
            skew = {} if rng.random() < 0.7 else {
                l.industry.value: max(0, l.orders_recorded - rng.randint(1, 40)) for l in store.compute_lines(p.id, "310000", m)}
            d, _ = store.create_declaration(actor, p.id, "310000", m, skew)
            if m == MONTHS[-2] and rng.random() < 0.5:
                continue  # the latest month is still a draft for some platforms
            y, mo = map(int, m.split("-"))
            due = date(y + (mo == 12), mo % 12 + 1, 15)
            store.declare(actor, d.id, due - timedelta(days=rng.randint(1, 10)))
            if d.amount_due_fen and rng.random() < 0.85:
                part = d.amount_due_fen if rng.random() < 0.8 else d.amount_due_fen // 2
                store.record_fee_payment(actor, d.id, paid_on=due, amount_fen=part, reference=f"税票{rng.randrange(10**8):08d}")


def _parameters(store: Store, actor: Actor) -> None:
    """benefit_base and death_base are not published: the demo enters assumed
    figures, clearly marked, so that its assessments can be shown."""
    for year, base in ((2023, "7309.80"), (2024, "7384.20"), (2025, "7460.40"), (2026, "7460.40")):
        for name in ("benefit_base", "death_base"):
            store.add_parameter(actor, name=name, region="310000", valid_from=f"{year}-01-01",
                                valid_to=f"{year}-12-31", value=base, status="unconfirmed",
                                source="演示数据（假定为上年全口径平均工资的60%）")


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


def _cases(store: Store, rng: random.Random, n_workers: int) -> None:
    from .benefits import assessment_to_json, compute, parse_input

    agent = Actor("agent", role="insurer_agent", display_name="李经办")
    reviewer = Actor("reviewer", role="reviewer", display_name="王审核")
    n_cases = max(2 * len(PATHS), min(n_workers // 40, 3000))
    targets = list(PATHS) * (n_cases // len(PATHS) + 1)
    table = store.parameter_table()
    ws = store.conn.execute("SELECT e.worker_id, e.platform_id, e.station_id, e.industry FROM enrollments e"
                            " ORDER BY e.rowid LIMIT ?", (n_cases * 7,)).fetchall()
    picks = rng.sample(ws, min(n_cases, len(ws)))
    for i, (wid, pid, sid, ind) in enumerate(picks):
        target = targets[i]
        orders = store.conn.execute("SELECT order_no, accepted_at, finished_at FROM orders WHERE worker_id = ?"
                                    " AND platform_id = ? AND finished_at IS NOT NULL ORDER BY accepted_at LIMIT 20",
                                    (wid, pid)).fetchall()
        if orders:
            o = rng.choice(orders)
            acc = datetime.fromisoformat(o[1]) + (datetime.fromisoformat(o[2]) - datetime.fromisoformat(o[1])) / 2
            order_no = o[0]
        else:
            acc = datetime(2025, rng.randint(5, 9), rng.randint(1, 28), 12, tzinfo=SHANGHAI)
            order_no = ""
        traffic = rng.random() < 0.5
        t = acc + timedelta(hours=rng.randint(2, 30))
        case, _ = store.report_case(
            agent, worker_id=wid, platform_id=pid, industry=ind, station_id=sid, accident_at=acc,
            order_no=order_no, place=rng.choice(PLACES), hospital=rng.choice(HOSPITALS),
            body_parts="、".join(rng.sample(BODY, rng.randint(1, 2))),
            description=("送单途中在路口被右转车辆刮倒，摔伤后由路人拨打120送医。" if traffic
                         else "取餐时在商户门口湿滑台阶上滑倒，手部着地受伤。"),
            case_type="traffic" if traffic else "injury", reporter_name=person_name(rng),
            reporter_relation=rng.choice(["本人", "配偶", "站长"]), channel=rng.choice(["phone", "counter", "platform"]),
            reported_at=t, allow_duplicate=True)
        grade = rng.choice([None, 4, 7, 9, 10]) if target in ("appraised", "assessed", "paid", "closed") else None
        for step in PATHS[target]:
            t += timedelta(days=rng.randint(1, 6))
            _step(store, rng, case, step, t, agent, reviewer, table, grade, (compute, parse_input, assessment_to_json))


def _step(store, rng, case, step, t, agent, reviewer, table, grade, engine):
    compute, parse_input, to_json = engine
    if step == "confirm":
        store.decide(reviewer, case.id, confirm=True, at=t, situation_code=(
            "order_route_traffic" if case.case_type == "traffic" else "order_task"),
            legal_basis="《新就业形态就业人员职业伤害保障办法（试行）》第十条")
    elif step == "reject":
        store.decide(reviewer, case.id, confirm=False, at=t, reasons="事故发生时未处于接单状态，且非往返订单地点的合理路线",
                     legal_basis="《新就业形态就业人员职业伤害保障办法（试行）》第十一条")
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
    for username, display, role, pw in DEMO_USERS:
        store._insert("users", {"username": username, "display_name": display, "role": role,
                                "platform_id": st.platform_id if role == "station_manager" else None,
                                "station_id": st.id if role == "station_manager" else None,
                                "password_hash": ph.hash(pw)}, actor)
