"""撤回申请确认书 — to the applicant (masked): the application withdrawn, when,
at whose request, and what follows."""
from forms import engine as E

CODE = "withdrawal_confirmation"
REVISION = "2026-1"


def layout(v, c):
    w, p = v.worker, v.platform
    applied = f"于{c.date(v.applied_on)}" if v.applied_on else ""
    return [
        *c.title_block(v.confirmation_number),
        E.paragraph(f"{v.addressee}：", "plain"),
        E.paragraph(f"您{applied}提出的{w.name}{v.application}（案件编号 {v.case_number}），"
                    f"经您于{c.date(v.withdrawn_on)}申请撤回，本机构予以确认。"),
        E.grid([("案件编号", v.case_number), ("撤回日期", c.date(v.withdrawn_on)),
                ("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("平台企业", p.name, "wide"), ("撤回的申请", v.application, "wide"),
                ("申请撤回人", v.addressee), ("与受伤人员关系", v.addressee_relation),
                ("撤回理由", v.reason, "wide")], label_w=30 * E.mm),
        E.paragraph(v.effect),
        E.grid([("承办机构", v.office.name, "wide"), ("地址", v.office.address, "wide"),
                ("联系电话", v.office.phone, "wide")], label_w=30 * E.mm),
        E.paragraph("特此确认。"),
        E.boxes([E.Box("申请撤回人签收：", ["签收日期："], date=False),
                 E.Box(v.office.name, seal=True, date=c.date(v.withdrawn_on))], height_mm=34),
    ]
