"""缴费对账单 — to the platform and the insurer (third parties)."""
from forms import engine as E

CODE = "reconciliation_statement"
REVISION = "2026-1"


def _diff(n: int) -> str:
    return f"{n:+,}" if n else "0"


def layout(v, c):
    p = v.platform
    rows = [(c.month(r.month), r.industry.label, f"{r.declared_orders:,}", f"{r.imported_orders:,}",
             _diff(r.difference), c.money(r.due_fen), c.money(r.paid_fen), c.money(r.outstanding_fen))
            for r in v.rows]
    s = lambda f: sum(f(r) for r in v.rows)  # noqa: E731
    total = ["合计", "", f"{s(lambda r: r.declared_orders):,}", f"{s(lambda r: r.imported_orders):,}",
             _diff(s(lambda r: r.difference)), c.money(s(lambda r: r.due_fen)),
             c.money(s(lambda r: r.paid_fen)), c.money(s(lambda r: r.outstanding_fen))]
    flagged = [f"{c.month(r.month)}{r.industry.label}" for r in v.rows if r.difference or r.outstanding_fen]
    period = f"{c.month(v.period_from)} 至 {c.month(v.period_to)}"
    return [
        *c.title_block(v.statement_number),
        E.grid([("平台企业", p.name, "wide"), ("统一社会信用代码", p.credit_code),
                ("统筹地区", f"{v.region_name}（{v.region_code}）"), ("对账期间", period),
                ("编制日期", c.date(v.prepared_on)), ("承办机构", v.insurer, "wide")], label_w=32 * E.mm),
        E.section("对账明细"),
        E.table(["月份", "行业", "申报单量", "导入单量", "差异", "应缴金额", "已缴金额", "欠缴金额"], rows,
                [0.12, 0.1, 0.125, 0.125, 0.09, 0.15, 0.15, 0.14], "CCRRRRRR", total=total),
        E.spacer(2),
        E.note("差异 = 申报单量 − 导入的订单记录单量；欠缴金额 = 应缴金额 − 已缴金额。"
               + ("需核对：" + "、".join(flagged) + "。" if flagged else "各月均一致。"),
               title="说明", warn=bool(flagged)),
        E.boxes([E.Box("编制人：" + E.blank(v.prepared_by, "　" * 6), date=c.date(v.prepared_on)),
                 E.Box("平台企业确认", seal=True), E.Box("承办机构", seal=True)], height_mm=34),
    ]
