"""职业伤害报案回执 — handed to the worker (masked)."""
from forms import engine as E

CODE = "report_receipt"
REVISION = "2026-2"


def layout(v, c):
    w, p = v.worker, v.platform
    steps = [s.text + (f"（截止{c.date(s.due)}）" if s.due else "") for s in v.next_steps]
    return [
        *c.title_block(v.receipt_number or v.case_number),
        E.paragraph(f"{v.reporter_name}：", "plain"),
        E.paragraph(f"您于{c.time(v.reported_at)}以{v.channel.label}方式报告的职业伤害事故已登记，"
                    f"案件编号 {v.case_number}。本回执仅证明报案已登记，不代表已受理职业伤害确认申请；"
                    "请妥善保管，办理后续事项时出示。"),
        E.section("一、报案信息"),
        E.grid([("案件编号", v.case_number), ("报案时间", c.time(v.reported_at)),
                ("报案方式", v.channel.label), ("报案人", v.reporter_name),
                ("与伤者关系", v.reporter_relation), ("联系电话", c.phone(v.reporter_phone))]),
        E.section("二、伤者及事故"),
        E.grid([("姓名", w.name), ("身份证号码", c.id(w.id_number)),
                ("平台企业", p.name, "wide"), ("站点", p.station), ("行业", v.industry.label),
                ("事故时间", c.time(v.accident_at)), ("事故地点", v.accident_place)]),
        E.section("三、后续办理"),
        *E.numbered(steps),
        E.section("四、请准备以下材料"),
        E.numbered_columns(v.documents_to_prepare),
        E.boxes([E.Box("承办机构：" + v.office.name, ["地址：" + v.office.address, "联系电话：" + v.office.phone,
                                                  "经办人：" + E.blank(v.handler, "　" * 6) + "　　（签字）"],
                       date=False),
                 E.Box("", seal=True, date=c.date(v.reported_at))], widths=(0.66, 0.34), height_mm=28),
    ]
