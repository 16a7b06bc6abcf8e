"""职业伤害保障待遇垫付情况说明 — filed with the authority (identifiers whole):
who advanced what to whom and when, on what evidence, and what is repaid to the
advancer from the one-off benefits, in figures and words."""
from forms import engine as E

CODE = "advance_statement"
REVISION = "2026-1"


def layout(v, c):
    w = v.worker
    who = f"{w.name}（身份证号码 {c.id(w.id_number)}" + (f"，{c.date(v.death_date)}死亡" if v.death_date else "") + "）"
    out = [
        *c.title_block(v.statement_number),
        E.paragraph(f"{who}职业伤害一案（案件编号 {v.case_number}"
                    + (f"，确认结论书 {v.decision_number}" if v.decision_number else "") + "）"
                    "，在待遇核定前由下列单位或个人垫付了有关费用。现将垫付情况及偿还安排说明如下。"),
    ]
    for i, a in enumerate(v.advances, 1):
        out += [
            E.section(f"{'一二三四五六七八九十'[i - 1] if i <= 10 else i}、{a.advancer}垫付情况"),
            E.grid([("垫付方", a.advancer), ("垫付方类别", a.advancer_kind),
                    ("垫付日期", c.date(a.advanced_on)), ("垫付金额", c.money(a.amount_fen)),
                    ("垫付用途", a.purpose, "wide"), ("支付对象", a.paid_to, "wide"),
                    ("垫付凭证", a.evidence, "wide"),
                    ("应偿还金额", c.amount(a.repay_fen), "wide"),
                    ("收款人", a.payee.name), ("开户银行", a.payee.bank),
                    ("收款账号", c.account(a.payee.account), "wide"),
                    ("偿还支付编号", a.repayment_number), ("偿还日期", c.date(a.repaid_on))], label_w=30 * E.mm),
        ]
    out += [
        E.section("偿还安排"),
        E.grid([("待遇核定通知书", v.assessment_number), ("一次性待遇合计", c.money(v.once_total_fen)),
                ("偿还垫付合计（小写）", c.money(v.repay_total_fen), "wide"),
                ("偿还垫付合计（大写）", c.words(v.repay_total_fen), "wide"),
                ("扣除垫付后应付受益人", c.amount(v.worker_due_fen), "wide")], label_w=40 * E.mm),
        E.paragraph("上述垫付款从核定的一次性职业伤害保障待遇中直接偿还垫付方，其余部分支付给受益人。"
                    "垫付方已从受益人处收回的，不再重复偿还。"),
        E.boxes([E.Box("垫付方（签字或盖章）：", seal=True),
                 E.Box("受益人（签字）："),
                 E.Box("编制人：" + E.blank(v.compiled_by, "　" * 6), [v.office.name], seal=True,
                       date=c.date(v.compiled_on))], height_mm=38),
    ]
    return out
