"""中止（确认）通知书 — to the applicant and the platform (masked): why the
clock stops, from when, and what resumes it."""
from forms import engine as E

CODE = "suspension_notice"
REVISION = "2026-1"


def layout(v, c):
    w, p = v.worker, v.platform
    left = f"中止时本案办理期限尚余 {v.days_left} {v.days_unit}。" if v.days_left is not None else ""
    return [
        *c.title_block(v.notice_number),
        E.paragraph(f"{v.addressee}、{p.name}：", "plain"),
        E.paragraph(f"{w.name}职业伤害确认一案（案件编号 {v.case_number}）"
                    + (f"，本机构于{c.date(v.accepted_on)}受理" if v.accepted_on else "")
                    + f"。因{v.reason}，本机构决定自{c.date(v.suspended_on)}起中止办理。"),
        E.grid([("案件编号", v.case_number), ("中止日期", c.date(v.suspended_on)),
                ("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("平台企业", p.name, "wide"),
                ("中止原因", v.reason, "wide"), ("恢复办理", v.resumes_when, "wide")], label_w=30 * E.mm),
        E.paragraph(f"中止期间不计入作出职业伤害确认结论的期限。{left}"
                    "中止的原因消除后，本机构恢复办理，剩余期限继续计算。请申请人在取得有关结论后及时提交本机构。"),
        E.grid([("承办机构", v.office.name, "wide"), ("地址", v.office.address, "wide"),
                ("联系电话", v.office.phone, "wide")], label_w=30 * E.mm),
        E.paragraph("特此通知。"),
        E.boxes([E.Box("申请人签收：", ["签收日期："], date=False),
                 E.Box(v.office.name, seal=True, date=c.date(v.suspended_on))], height_mm=34),
        E.paragraph(f"抄送：{p.name}", "plain"),
    ]
