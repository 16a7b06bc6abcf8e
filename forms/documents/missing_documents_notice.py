"""补正材料一次性告知书 — all missing documents in one notice (worker, masked)."""
from forms import engine as E

CODE = "missing_documents_notice"
REVISION = "2026-1"


def layout(v, c):
    rows = [(str(i), m.name, m.reason) for i, m in enumerate(v.items, 1)]
    return [
        *c.title_block(v.notice_number),
        E.paragraph(f"{v.addressee}：", "plain"),
        E.paragraph(f"您提交的职业伤害确认申请（案件编号 {v.case_number}，受伤人员 {v.worker.name}，"
                    f"身份证号码 {c.id(v.worker.id_number)}）经审查，材料尚不齐全。"
                    f"现将需要补正的全部材料一次性告知如下："),
        E.spacer(1),
        E.table(["序号", "需补正的材料", "需要的原因"], rows, [0.08, 0.36, 0.56], "CLL"),
        E.spacer(3),
        E.grid([("提交地点", v.submit_place, "wide"), ("截止日期", c.date(v.due_date), "wide"),
                ("逾期后果", v.consequence, "wide")], cols=4),
        E.spacer(2),
        E.note(f"以上为本案需补正的全部材料，承办机构不会再另行要求补充本告知书以外的材料。"
               f"请于{c.date(v.due_date)}前一并提交。如有疑问，请致电 {v.office.phone}。"),
        E.boxes([E.Box("承办机构：" + v.office.name, [v.office.address], seal=True,
                       date=c.date(v.notice_date)),
                 E.Box("申请人签收：")], height_mm=36),
    ]
