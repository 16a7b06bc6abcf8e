"""职业伤害确认结论书 — to the worker and the platform (masked)."""
from forms import engine as E

CODE = "confirmation_decision"
REVISION = "2026-2"


def decision(v, c, reasons: list[str] | None = None) -> list:
    w, p = v.worker, v.platform
    n = iter("一二三四五六")
    out = [
        *c.title_block(v.decision_number),
        E.paragraph(f"{_addressees(v)}：", "plain"),
        E.paragraph(f"{_applicant(v)}于{c.date(v.applied_on)}提出"
                    + ("" if _applicant(v) == w.name else w.name) + f"职业伤害确认申请（案件编号 {v.case_number}），"
                    + (f"本机构于{c.date(v.accepted_on)}受理。" if v.accepted_on else "本机构予以受理。")
                    + "经调查核实，现将结论告知如下。"),
        E.grid([("死亡人员" if v.death_date else "受伤人员", w.name), ("身份证号码", c.id(w.id_number)),
                ("性别", w.gender), ("出生日期", c.date(w.birth_date)),
                ("平台企业", p.name, "wide"), ("统一社会信用代码", p.credit_code),
                ("行业", v.industry.label), ("事故时间", c.time(v.accident_at)),
                ("结论日期", c.date(v.decision_date)), ("事故地点", v.accident_place, "wide"),
                *([("死亡日期", c.date(v.death_date), "wide")] if v.death_date else [])]),
        E.section(f"{next(n)}、调查查明的事实"),
        E.paragraph(v.facts),
        E.section(f"{next(n)}、适用情形及依据"),
        E.grid([("适用情形", v.situation_label, "wide"), ("依据", v.legal_basis, "wide")]),
    ]
    if reasons:
        out += [E.section(f"{next(n)}、不予确认的理由"), *E.numbered(reasons)]
    out += [
        E.section(f"{next(n)}、结论"),
        E.paragraph(v.conclusion, "emph"),
        E.section(f"{next(n)}、权利告知"),
        E.paragraph(c.review_rights(v.review_authority, v.court)),
        E.boxes([E.Box("申请人签收：", ["签收日期："], date=False),
                 E.Box(v.office.name, seal=True, date=c.date(v.decision_date))], height_mm=38),
        E.spacer(2),
        E.paragraph(f"抄送：{p.name}", "plain"),
    ]
    return out


def _applicant(v) -> str:
    rel = v.applicant_relation
    if not v.applicant or rel in ("", "本人"):
        return v.applicant or v.worker.name
    if rel == "平台企业":
        return v.applicant
    return f"{v.applicant}（{v.worker.name}的{rel}）"


def _addressees(v) -> str:
    first = v.applicant or v.worker.name
    return first if first == v.platform.name else f"{first}、{v.platform.name}"


def layout(v, c):
    return decision(v, c)
