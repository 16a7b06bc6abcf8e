"""劳动能力鉴定申请表 — filed with the appraisal committee (identifiers whole)."""
from reportlab.lib.units import mm

from forms import engine as E

CODE = "appraisal_application"
REVISION = "2026-2"

INSTRUCTIONS = [
    "本表由申请人用钢笔或签字笔填写，字迹工整清楚；一式两份，一份交劳动能力鉴定委员会，一份留存。",
    "申请劳动能力鉴定，应当在职业伤害确认后、伤情相对稳定或医疗期满时提出。",
    "请在照片栏粘贴被鉴定人近期一寸免冠照片。",
    "申请时应提交：职业伤害确认结论书，有效的诊断证明、病历及检查资料，身份证件。",
    "鉴定委员会填写栏由劳动能力鉴定委员会填写，申请人请勿填写。",
]


def layout(v, c):
    w, p = v.worker, v.platform
    return [
        *E.cover(c.title, [("申请人", v.applicant_name), ("被鉴定人", w.name),
                           ("申请人与被鉴定人关系", v.applicant_relation), ("联系电话", c.phone(v.applicant_phone)),
                           ("确认结论书编号", v.decision_number), ("填表日期", "　　　　年　　月　　日")],
                 INSTRUCTIONS, number=f"案件编号 {v.case_number}"),
        *c.title_block(v.case_number + "-JD"),
        E.paragraph(f"{v.committee}：", "plain"),
        E.section("一、被鉴定人"),
        E.photo_beside([("姓名", w.name), ("性别", w.gender), ("出生日期", c.date(w.birth_date)),
                        ("联系电话", c.phone(w.phone)), ("身份证号码", c.id(w.id_number), "wide"),
                        ("住址", w.address, "wide"), ("平台企业", p.name, "wide"),
                        ("站点", p.station), ("行业", v.industry.label)]),
        E.section("二、职业伤害确认及治疗情况"),
        E.grid([("确认结论书编号", v.decision_number), ("结论日期", c.date(v.decision_date)),
                ("事故日期", c.date(v.accident_date)), ("受伤部位", v.injured_parts),
                ("治疗医院", v.hospital, "wide")], label_w=30 * mm),
        *E.free_text("三、治疗经过", v.treatment_summary),
        E.section("四、申请人"),
        E.grid([("申请人", v.applicant_name), ("与被鉴定人关系", v.applicant_relation),
                ("联系电话", c.phone(v.applicant_phone)), ("申请日期", c.date(v.applied_on))], label_w=30 * mm),
        E.paragraph("本人承诺所提供材料真实。", "plain"),
        E.boxes([E.Box("申请人（签字）：")], height_mm=22),
        E.section("五、鉴定委员会填写"),
        E.grid([("受理日期", "　　　年　　月　　日"), ("受理编号", ""),
                ("伤残等级", "第 ____ 级"), ("生活自理障碍程度", "")], label_w=34 * mm),
        E.boxes([E.Box("鉴定结论：", foot=["经办人：　　　　　　复核人："]), E.Box(v.committee, seal=True)],
                widths=(0.62, 0.38), height_mm=32),
    ]
