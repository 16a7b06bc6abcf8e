"""职业伤害确认受理通知书 — to the applicant and the platform (masked)."""
from forms import engine as E

CODE = "acceptance_notice"
REVISION = "2026-1"


def layout(v, c):
    w, p = v.worker, v.platform
    applied = f"于{c.date(v.applied_on)}" if v.applied_on else ""
    due = f"，即于{c.date(v.decision_due)}前" if v.decision_due else ""
    return [
        *c.title_block(v.notice_number),
        E.paragraph(f"{v.addressee}、{p.name}：", "plain"),
        E.paragraph(f"{v.addressee}{applied}提出的{w.name}职业伤害确认申请（案件编号 {v.case_number}），"
                    f"材料齐全，符合受理条件，本机构于{c.date(v.accepted_on)}予以受理。"),
        E.grid([("案件编号", v.case_number), ("受理日期", c.date(v.accepted_on)),
                ("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("平台企业", p.name, "wide"),
                ("申请人", v.addressee), ("与受伤人员关系", v.applicant_relation),
                ("受理人", v.accepted_by), ("结论期限", c.date(v.decision_due))], label_w=30 * E.mm),
        E.paragraph(f"本机构将{v.clock_text}作出职业伤害确认结论{due}，并书面告知申请人和平台企业。"
                    "调查期间需要补充材料或说明情况的，本机构将另行通知，请予配合。"
                    "因等待公安机关、人民法院或其他机关的结论而中止办理的，中止期间不计入上述期限。"),
        E.grid([("承办机构", v.office.name, "wide"), ("地址", v.office.address, "wide"),
                ("联系电话", v.office.phone, "wide")], label_w=30 * E.mm),
        E.paragraph("特此通知。"),
        E.boxes([E.Box("申请人签收：", ["签收日期："], date=False),
                 E.Box(v.office.name, seal=True, date=c.date(v.accepted_on))], height_mm=34),
        E.paragraph(f"抄送：{p.name}", "plain"),
    ]
