"""案卷目录 — for the archive (identifiers whole)."""
from forms import engine as E

CODE = "case_index"
REVISION = "2026-1"


def layout(v, c):
    w, rows, page = v.worker, [], 1
    for i, d in enumerate(v.documents, 1):
        n = d.pages or 0
        span = (f"{page}–{page + n - 1}" if n > 1 else str(page)) if n else ""
        rows.append((str(i), d.name, c.date(d.received_on), str(n) if n else "", span, d.note))
        page += n
    return [
        *c.title_block(v.case_number),
        E.grid([("案件编号", v.case_number), ("案件状态", v.state_label),
                ("受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("平台企业", v.platform.name, "wide"),
                ("立案日期", c.date(v.opened_on)), ("结案日期", c.date(v.closed_on)),
                ("保管期限", v.retention), ("文件总页数", str(page - 1))]),
        E.section("卷内文件目录"),
        E.table(["序号", "文件材料名称", "日期", "页数", "页码", "备注"], rows,
                [0.06, 0.36, 0.16, 0.07, 0.1, 0.25], "CLCRCL"),
        E.boxes([E.Box("立卷人：" + E.blank(v.compiled_by, "　" * 6), date=c.date(v.compiled_on)),
                 E.Box("检查人：")], height_mm=28),
    ]
