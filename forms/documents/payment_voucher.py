"""待遇支付凭证 — to the worker and finance (masked)."""
from forms import engine as E

CODE = "payment_voucher"
REVISION = "2026-2"


def layout(v, c):
    w, pay = v.worker, v.payee
    if v.death_date:  # the worker died: named as the deceased, the payee by relation to them
        person = [("死者", f"{w.name}（{c.date(v.death_date)}死亡）"), ("身份证号码", c.id(w.id_number)),
                  ("申请人", v.claimant_name, "wide"),
                  ("收款人", pay.name), ("与死者关系", pay.relation)]
    else:
        person = [("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                  ("收款人", pay.name), ("与受伤人员关系", pay.relation or "本人")]
    rows = [(str(i), it.name, it.period, c.money(it.amount_fen)) for i, it in enumerate(v.items, 1)]
    return [
        *c.title_block(v.voucher_number or v.payment_number),
        E.grid([("支付编号", v.payment_number), ("案件编号", v.case_number), *person,
                ("开户银行", pay.bank, "wide"), ("收款账号", c.account(pay.account)),
                ("支付日期", c.date(v.paid_on)), ("交易流水号", v.reference, "wide")], label_w=30 * E.mm),
        E.section("支付明细"),
        E.table(["序号", "支付项目", "期间", "金额"], rows, [0.08, 0.44, 0.2, 0.28], "CLCR",
                total=["", "合计", "", c.money(v.total_fen)]),
        E.spacer(2),
        E.grid([("金额（小写）", c.money(v.total_fen), "wide"), ("金额（大写）", c.words(v.total_fen), "wide")],
               label_w=30 * E.mm),
        E.boxes([E.Box("制单人：" + E.blank(v.prepared_by, "　" * 6), date=c.date(v.paid_on)),
                 E.Box("审批人：" + E.blank(v.approved_by, "　" * 6)),
                 E.Box(v.office.name, seal=True)], height_mm=34),
    ]
