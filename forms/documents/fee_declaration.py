"""职业伤害保障费缴费申报表 — filed with the tax authority (whole)."""
from claims.money import per_order_units_to_str
from forms import engine as E

CODE = "fee_declaration"
REVISION = "2026-1"


def layout(v, c):
    p = v.platform
    rows = [(ln.industry.label, f"{ln.orders:,}",
             per_order_units_to_str(ln.per_order_units) + ("（未确认）" if not ln.confirmed else ""),
             c.money(ln.amount_fen)) for ln in v.lines]
    orders = sum(ln.orders for ln in v.lines)
    out = [
        *c.title_block(v.declaration_number),
        E.grid([("平台企业名称", p.name, "wide"), ("统一社会信用代码", p.credit_code),
                ("所属期", c.month(v.month)), ("统筹地区", f"{v.region_name}（{v.region_code}）"),
                ("依据办法", v.rule_set, "wide")], label_w=32 * E.mm),
        E.section("分行业申报明细"),
        E.table(["行业", "订单数（单）", "每单缴费额（元）", "应缴金额"], rows, [0.25, 0.25, 0.22, 0.28],
                "LRRR", total=["合计", f"{orders:,}", "", c.money(v.total_fen)]),
        E.spacer(2),
        E.grid([("应缴合计（小写）", c.money(v.total_fen), "wide"),
                ("应缴合计（大写）", c.words(v.total_fen), "wide")], label_w=32 * E.mm),
    ]
    if any(not ln.confirmed for ln in v.lines):
        out += [E.spacer(2), E.note("标注“未确认”的每单缴费额尚未见于正式发布的文件，由管理员录入，"
                                    "据此计算的应缴金额可能调整。", title="提示", warn=True)]
    out += [
        E.spacer(2),
        E.grid([("申报人", v.declarant), ("联系电话", v.declarant_phone),
                ("申报日期", c.date(v.declared_on), "wide")], label_w=32 * E.mm),
        E.spacer(2),
        E.paragraph("本单位承诺：以上申报的订单数据真实、完整，与平台订单记录一致。", "plain"),
        E.boxes([E.Box("申报人（签字）："), E.Box("平台企业", seal=True),
                 E.Box("受理机关：", ["受理人："], seal=True)], height_mm=36),
    ]
    return out
