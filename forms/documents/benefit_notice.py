"""职业伤害保障待遇核定通知书 — to the worker (masked): items, totals in figures
and words, rule set and parameter sources, review rights."""
from forms import engine as E

CODE = "benefit_notice"
REVISION = "2026-1"
PERIOD = {"once": "一次性", "monthly": "按月"}


def layout(v, c):
    w = v.worker
    basis = f"劳动能力鉴定结论伤残 {v.disability_grade} 级" if v.disability_grade else ""
    if v.care_level:
        basis += f"、生活自理障碍程度为{v.care_level}"
    rows = [(str(i), it.name, it.formula, PERIOD.get(it.period, it.period),
             c.money(it.amount_fen) + ("/月" if it.period == "monthly" else ""))
            for i, it in enumerate(v.items, 1)]
    once = f"{c.money(v.once_total_fen)}　大写：{c.words(v.once_total_fen)}"
    monthly = f"{c.money(v.monthly_total_fen)}/月　大写：{c.words(v.monthly_total_fen)}（每月）"
    if not v.monthly_total_fen and not any(it.period == "monthly" for it in v.items):
        monthly = "无"
    totals = [("一次性待遇合计", once, "wide"), ("按月待遇合计", monthly, "wide")]
    if v.monthly_from and v.monthly_total_fen:
        totals.append(("按月支付起始", f"自 {c.date(v.monthly_from)} 起按月支付", "wide"))
    params = [(p.label, f"{p.value} {p.unit}", p.source, p.status.label) for p in v.parameters]
    out = [
        *c.title_block(v.notice_number),
        E.paragraph(f"{w.name}：", "plain"),
        E.paragraph(f"根据职业伤害确认结论书（{v.decision_number}）" + (f"及{basis}" if basis else "") +
                    f"，按规则集 {v.rule_set} 核定您（身份证号码 {c.id(w.id_number)}，案件编号 {v.case_number}）"
                    f"的职业伤害保障待遇如下："),
        E.section("一、核定项目"),
        E.table(["序号", "项目", "计算公式（所用数值）", "期限", "金额"], rows,
                [0.07, 0.22, 0.37, 0.1, 0.24], "CLLCR"),
        E.spacer(2),
        E.grid(totals, label_w=30 * E.mm),
        E.section("二、规则集及计算参数"),
        E.grid([("规则集", v.rule_set), ("核定日期", c.date(v.notice_date)),
                ("依据", v.rule_set_basis, "wide")], label_w=30 * E.mm),
        E.spacer(2),
        E.table(["参数", "取值", "来源", "状态"], params, [0.24, 0.18, 0.44, 0.14], "LRLC"),
    ]
    if v.unconfirmed:
        names = "、".join(f"{p.label}（{p.value} {p.unit}）" for p in v.unconfirmed)
        out += [E.spacer(3), E.note(
            f"本通知书使用了未确认的参数：{names}。这些数值尚未见于正式发布的官方文本，"
            "相关金额可能在取得官方数据后调整；调整后将重新核定并书面通知您，多退少补。",
            title="★ 重要提示：部分参数未确认", warn=True)]
    out += [
        E.section("三、收款人"),
        E.grid([("收款人", v.payee.name), ("与受伤人员关系", v.payee.relation or "本人"),
                ("开户银行", v.payee.bank, "wide"), ("银行账号", c.account(v.payee.account), "wide")],
               label_w=30 * E.mm),
        E.section("四、权利告知"),
        E.paragraph(c.review_rights(v.review_authority, v.court)),
        E.boxes([E.Box("签收人（签字）：", ["签收日期："], date=False),
                 E.Box(v.office.name, [v.office.address, "电话：" + v.office.phone], seal=True,
                       date=c.date(v.notice_date))], height_mm=40),
    ]
    return out
