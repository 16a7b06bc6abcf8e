"""职业伤害保障待遇申请表（伤残 / 死亡）— filed with the authority (identifiers whole)."""
from forms import engine as E

CODE = "benefit_application"
REVISION = "2026-3"

INSTRUCTIONS = [
    "本表由申请人用钢笔或签字笔填写，字迹工整清楚；打印的内容与事实不符的，划去后在旁边填写并签字确认。",
    "伤残待遇由受伤人员本人申请；死亡待遇由近亲属申请，“申请人”填写近亲属，“与死亡人员关系”填写亲属关系。",
    "供养亲属逐人填写，并附亲属关系证明、供养证明；无劳动能力的，附相应证明。",
    "收款账户须为申请人（或供养亲属的监护人）本人的银行账户。",
    "申请时应按“附送材料清单”提交材料，并在“已附”栏内打“√”。",
]


def layout(v, c):
    w, death = v.worker, v.kind.value == "death"
    kind = "死亡" if death else "伤残"
    who = "死亡人员" if death else "受伤人员"
    status = ("死亡日期", c.date(v.death_date) + (f"（{v.death_cause}）" if v.death_cause else "")) if death else \
        ("伤残等级", f"{v.disability_grade} 级" if v.disability_grade else "")
    out = [
        *E.cover(f"{c.title}（{kind}）", [("申请人", v.claimant_name), (who, w.name),
                                         (f"申请人与{who}关系", v.claimant_relation),
                                         ("申请人地址", v.claimant_address), ("联系电话", c.phone(v.claimant_phone)),
                                         ("填表日期", "　　　　年　　月　　日")],
                 INSTRUCTIONS, number=f"案件编号 {v.case_number}"),
        *c.title_block(v.case_number + "-DYSQ", title=f"{c.title}（{kind}）"),
        E.section(f"一、{who}"),
        E.grid([("姓名", w.name), ("性别", w.gender),
                ("出生日期", c.date(w.birth_date)), ("身份证号码", c.id(w.id_number)),
                ("确认结论书编号", v.decision_number), status,
                ("住址", w.address, "wide")], label_w=30 * E.mm),
        E.section("二、申请人"),
        E.grid([("姓名", v.claimant_name), ("与" + who + "关系", v.claimant_relation),
                ("身份证号码", c.id(v.claimant_id_number)), ("联系电话", c.phone(v.claimant_phone)),
                ("住址", v.claimant_address, "wide")],
               label_w=30 * E.mm),
    ]
    n = "三"
    if death or v.dependants:
        rows = []
        for d in v.dependants:
            extra = "\n（孤寡老人）" if d.lone_elder else "\n（孤儿）" if d.orphan else ""
            end = f"{c.date(d.until)}\n（{d.end_reason}）" if d.until else "长期"
            who = c.id(d.id_number) if d.id_number else f"（未办身份证）\n出生日期{c.date(d.birth_date)}"
            rows.append((d.name, d.relation.label + extra, who, d.basis, end))
        out += [E.section("三、供养亲属"),
                E.table(["姓名", "关系", "身份证号码", "供养依据", "领取终止"],
                        rows or [("无", "", "", "", "")], [0.11, 0.14, 0.24, 0.31, 0.2], "LCCLL")]
        n = "四"
    out += [
        E.section(f"{n}、申请项目及收款账户"),
        E.grid([("申请项目", "；".join(v.items_applied), "wide"),
                ("收款人", v.payee.name), ("与申请人关系", v.payee.relation or "本人"),
                ("开户银行", v.payee.bank, "wide"), ("银行账号", c.account(v.payee.account), "wide")],
               label_w=30 * E.mm),
        E.paragraph("本人承诺所填内容及所附材料真实，如有虚假，愿承担相应的法律责任。", "plain"),
        E.boxes([E.Box("申请人（签字）：", date=c.date(v.applied_on) if v.applied_on else True)], height_mm=24),
        E.boxes([E.Box("承办机构受理意见：", foot=["经办人：　　　　　　复核人："]),
                 E.Box("承办机构", seal=True)], widths=(0.62, 0.38), height_mm=30),
        *E.materials(v.materials),
    ]
    return out
