"""供养亲属抚恤金支付明细 — to the family (masked): per dependant the monthly
pension, from when and until when, the payee and account, and the months paid."""
from forms import engine as E

CODE = "pension_schedule"
REVISION = "2026-1"
NUMBERS = "一二三四五六七八九十"


def layout(v, c):
    w = v.deceased
    out = [
        *c.title_block(v.schedule_number),
        E.paragraph(f"{v.claimant or '　'}：", "plain"),
        E.paragraph(f"{w.name}（身份证号码 {c.id(w.id_number)}）于{c.date(v.death_date)}因职业伤害死亡。"
                    f"根据待遇核定通知书（{v.assessment_number or '　'}），其供养亲属按月领取供养亲属抚恤金，"
                    f"明细如下（案件编号 {v.case_number}）。"),
    ]
    for i, d in enumerate(v.dependants, 1):
        until = f"{c.date(d.until)}（{d.end_reason}）" if d.until else "长期（领取条件消失时停发）"
        rows = [(c.month(pm.month), c.money(pm.amount_fen), pm.status, c.date(pm.paid_on) or "—")
                for pm in d.payments]
        head = NUMBERS[i - 1] if i <= 10 else str(i)
        out += [
            E.section(f"{head}、{d.name}（{d.relation.label}）"),
            E.grid([("姓名", d.name), ("与死者关系", d.relation.label),
                    ("身份证号码", c.id(d.id_number) if d.id_number else ""), ("每月金额", c.money(d.monthly_fen)),
                    ("起始月份", c.month(d.from_month) if d.from_month else ""), ("领取至", until),
                    ("收款人", d.payee.name + (f"（{d.payee.relation}）" if d.payee.relation not in ("", "本人") else "")),
                    ("开户银行", d.payee.bank), ("收款账号", c.account(d.payee.account), "wide")], label_w=30 * E.mm),
        ]
        if rows:
            out.append(E.table(["月份", "金额", "状态", "支付日期"], rows, [0.25, 0.25, 0.25, 0.25], "CRCC"))
    out += [
        E.spacer(2),
        E.grid([("每月合计", c.amount(v.monthly_total_fen), "wide")], label_w=30 * E.mm),
        E.paragraph("供养亲属抚恤金按月支付至领取条件消失时止：子女、孙子女、兄弟姐妹年满18周岁（在校或无劳动能力的除外），"
                    "再婚、被他人收养或死亡等。领取条件发生变化的，请在30日内告知本机构。"),
        E.boxes([E.Box("签收人（签字）：", ["签收日期："], date=False),
                 E.Box(v.office.name, [v.office.address, "电话：" + v.office.phone], seal=True,
                       date=c.date(v.prepared_on))], height_mm=38),
    ]
    return out
