"""参保证明 — to the worker (masked)."""
from forms import engine as E

CODE = "enrollment_certificate"
REVISION = "2026-1"


def layout(v, c):
    w = v.worker
    rows = [(str(i), cv.platform, cv.industry.label, c.date(cv.start), c.date(cv.end) if cv.end else "至今",
             f"{cv.days_covered:,}") for i, cv in enumerate(v.coverages, 1)]
    days = sum(cv.days_covered for cv in v.coverages)
    out = [
        *c.title_block(v.certificate_number),
        E.paragraph(f"兹证明 {w.name}（{w.gender}，身份证号码 {c.id(w.id_number)}）在本统筹地区参加"
                    "新就业形态就业人员职业伤害保障，参保情况如下："),
        E.table(["序号", "平台企业", "行业", "起始日期", "终止日期", "参保天数"], rows,
                [0.07, 0.35, 0.11, 0.17, 0.17, 0.13], "CLCCCR", total=["", "合计", "", "", "", f"{days:,}"]),
        E.spacer(3),
        E.paragraph("特此证明。"),
    ]
    if v.purpose:
        out.append(E.paragraph(f"本证明用于：{v.purpose}。"))
    out += [
        E.note("职业伤害保障按日参保：在平台接单的日期计入参保天数，由平台企业按单缴费，个人不缴费。"
               "本证明可凭页脚校验码向出具机构核验。"),
        E.spacer(2),
        E.boxes([E.Box(v.office.name, [v.office.address, "电话：" + v.office.phone], seal=True,
                       date=c.date(v.issued_on))], height_mm=40),
    ]
    return out
