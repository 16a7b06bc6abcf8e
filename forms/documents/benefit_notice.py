"""职业伤害保障待遇核定通知书 — to the worker, or a death case's claimant (masked):
items with the months they are paid, totals in figures and words, a death
case's dependants, the measure and parameter sources, what is unconfirmed
(one plain sentence), payee, review rights."""
from forms import engine as E

CODE = "benefit_notice"
REVISION = "2026-2"
NUMBERS = "一二三四五六七八"


def _period(it, c) -> str:
    if it.period == "once":
        return "一次性"
    text = "按月"
    if it.from_month:
        text += f"\n{c.month(it.from_month)}起"
        if it.until_month:
            text += f"\n至{c.month(it.until_month)}止"
    return text


def _unconfirmed(v) -> str:
    notes = list(v.unconfirmed_notes) or [f"{p.label}（{p.value} {p.unit}）" for p in v.unconfirmed]
    if not notes:
        return ""
    return ("本通知书中以下内容所依据的标准尚未见于正式发布的文件：" + "；".join(notes) +
            "。如正式标准与此不同，我们将重新核定并书面通知您，多退少补。")


def layout(v, c):
    w = v.worker
    death = v.outcome.value == "death"
    sec = iter(NUMBERS)
    rows = []
    for i, it in enumerate(v.items, 1):
        formula = it.formula
        rows.append((str(i), it.name, formula, _period(it, c),
                     c.money(it.amount_fen) + ("/月" if it.period == "monthly" else "")))
    once = f"{c.money(v.once_total_fen)}　大写：{c.words(v.once_total_fen)}"
    monthly = f"{c.money(v.monthly_total_fen)}/月　大写：{c.words(v.monthly_total_fen)}（每月）"
    if not v.monthly_total_fen and not any(it.period == "monthly" for it in v.items):
        monthly = "无"
    totals = [("一次性待遇合计", once, "wide"), ("按月待遇合计", monthly, "wide")]
    if v.monthly_from and v.monthly_total_fen:
        totals.append(("按月支付起始", f"自{c.month(f'{v.monthly_from:%Y-%m}')}起按月支付", "wide"))
    measure = v.rule_set_name or "职业伤害保障试点办法"
    if death:
        intro = (f"根据职业伤害确认结论书（{v.decision_number or '　　　　'}），{w.name}（身份证号码 {c.id(w.id_number)}）"
                 f"已于{c.date(v.death_date)}死亡" + (f"（{v.death_cause}）" if v.death_cause else "") +
                 f"。按{measure}的规定，核定其职业伤害保障死亡待遇如下（案件编号 {v.case_number}）：")
    else:
        basis = f"劳动能力鉴定结论伤残 {v.disability_grade} 级" if v.disability_grade else ""
        if v.care_level:
            basis += f"、生活自理障碍程度为{v.care_level}"
        intro = (f"根据职业伤害确认结论书（{v.decision_number or '　　　　'}）" + (f"及{basis}" if basis else "") +
                 f"，按{measure}的规定，核定您（身份证号码 {c.id(w.id_number)}，案件编号 {v.case_number}）"
                 "的职业伤害保障待遇如下：")
    out = [
        *c.title_block(v.notice_number),
        E.paragraph(f"{v.addressee or w.name}：", "plain"),
        E.paragraph(intro),
        E.section(f"{next(sec)}、核定项目"),
        E.table(["序号", "项目", "计算公式（所用数值）", "期限", "金额"], rows,
                [0.06, 0.21, 0.35, 0.16, 0.22], "CLLCR"),
        E.spacer(2),
        E.grid(totals, label_w=30 * E.mm),
    ]
    if death and v.dependants:
        drows = []
        for d in v.dependants:
            months = (f"{c.month(d.from_month)}起" if d.from_month else "") + (
                f"，至{c.date(d.until)}止（{d.end_reason}）" if d.until else "，长期")
            payee = d.payee or None
            who = (payee.name + ("" if payee.name == d.name else f"（{payee.relation}）")) if payee else d.name
            drows.append((d.name, d.relation.label, c.money(d.monthly_fen) if d.monthly_fen is not None else "—",
                          months.lstrip("，"), "\n".join(x for x in (who, payee.bank if payee else "", c.account(payee.account) if payee else "") if x)))
        out += [E.section(f"{next(sec)}、供养亲属抚恤金"),
                E.table(["姓名", "关系", "每月金额", "发放期间", "收款人及账户"], drows,
                        [0.12, 0.1, 0.14, 0.32, 0.32], "LCRLL")]
    params = [(p.label, f"{p.value} {p.unit}", p.source, p.status.label) for p in v.parameters]
    out += [
        E.section(f"{next(sec)}、计算依据及参数"),
        E.grid([("依据办法", measure, "wide"), ("文件", v.rule_set_basis or "—", "wide"),
                ("核定日期", c.date(v.notice_date)),
                ("死亡日期", c.date(v.death_date)) if death else ("伤残等级", f"{v.disability_grade} 级"
                                                                if v.disability_grade else "—")],
               label_w=30 * E.mm),
        E.spacer(2),
        E.table(["参数", "取值", "来源", "状态"], params, [0.24, 0.18, 0.44, 0.14], "LRLC"),
    ]
    note = _unconfirmed(v)
    if note:
        out += [E.spacer(3), E.note(note, title="★ 重要提示：部分标准尚未确认", warn=True)]
    out += [
        E.section(f"{next(sec)}、收款人"),
        E.grid([("收款人", v.payee.name), ("与死者关系" if death else "与受伤人员关系", v.payee.relation or "本人"),
                ("开户银行", v.payee.bank, "wide"), ("银行账号", c.account(v.payee.account), "wide")],
               label_w=30 * E.mm),
        E.section(f"{next(sec)}、权利告知"),
        E.paragraph(c.review_rights(v.review_authority, v.court)),
        E.boxes([E.Box("签收人（签字）：", ["签收日期："], date=False),
                 E.Box(v.office.name, [v.office.address, "电话：" + v.office.phone], seal=True,
                       date=c.date(v.notice_date))], height_mm=40),
    ]
    return out
