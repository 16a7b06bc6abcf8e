"""材料接收凭证 — handed to the worker (masked)."""
from forms import engine as E

CODE = "document_receipt"
REVISION = "2026-1"


def layout(v, c):
    w = v.worker
    rows = [(str(i), d.name, "原件" if d.original else "复印件", str(d.copies),
             "" if d.pages is None else str(d.pages), c.date(d.received_on))
            for i, d in enumerate(v.documents, 1)]
    pages = sum(d.pages or 0 for d in v.documents)
    return [
        *c.title_block(v.receipt_number),
        E.grid([("案件编号", v.case_number), ("接收日期", c.date(v.received_on)),
                ("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("提交人", v.submitted_by), ("接收人", v.received_by)]),
        E.section("接收材料清单"),
        E.table(["序号", "材料名称", "原件/复印件", "份数", "页数", "接收日期"], rows,
                [0.07, 0.41, 0.13, 0.08, 0.08, 0.23], "CLCRRC",
                total=["", f"共 {len(rows)} 项", "", "", str(pages), ""]),
        E.spacer(2),
        E.note("本凭证仅证明上述材料已经接收，不代表申请已被受理。材料是否齐全、能否受理，"
               "以承办机构的受理通知或补正材料一次性告知书为准。"),
        E.spacer(2),
        E.grid([("承办机构", v.office.name, "wide"), ("地址", v.office.address, "wide"),
                ("电话", v.office.phone, "wide")]),
        E.boxes([E.Box("提交人（签字）："), E.Box("接收人（签字）："), E.Box("承办机构", seal=True, date=c.date(v.received_on))]),
    ]
