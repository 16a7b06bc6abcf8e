"""职业伤害确认申请表 — filed with the authority (identifiers whole): a cover
page with the 填表说明 (as the national 工伤认定申请表 has), the form, and the
list of documents sent with it."""
from forms import engine as E

CODE = "confirmation_application"
REVISION = "2026-2"

INSTRUCTIONS = [
    "本表由申请人用钢笔或签字笔填写，字迹工整清楚；打印的内容与事实不符的，划去后在旁边填写并签字确认。",
    "申请人为受伤人员本人的，“与受伤人员关系”填“本人”；近亲属申请的，填写亲属关系；平台企业申请的，由平台企业盖章。",
    "“事故经过”填写事故发生的时间、地点，当时执行的订单任务，事故原因，受伤部位及程度，就诊情况。",
    "“平台账号”填写受伤人员在平台注册的骑手、司机或配送员账号。",
    "申请时应按本表所附“附送材料清单”提交材料，并在“已附”栏内打“√”；复印件须注明“与原件一致”并签字。",
    "平台企业意见栏由平台企业填写并盖章；受理意见栏由承办机构填写。",
]


def layout(v, c):
    w, p = v.worker, v.platform
    return [
        *E.cover(c.title, [("申请人", v.applicant_name), ("受伤人员", w.name),
                           ("申请人与受伤人员关系", v.applicant_relation), ("申请人地址", v.applicant_address),
                           ("联系电话", c.phone(v.applicant_phone)), ("填表日期", "　　　　年　　月　　日")],
                 INSTRUCTIONS, number=f"案件编号 {v.case_number}"),
        *c.title_block(v.case_number + "-SQ"),
        E.section("一、申请人"),
        E.grid([("申请人", v.applicant_name), ("与伤者关系", v.applicant_relation),
                ("联系电话", c.phone(v.applicant_phone)), ("申请日期", c.date(v.applied_on))]),
        E.section("二、受伤人员"),
        E.grid([("姓名", w.name), ("性别", w.gender),
                ("出生日期", c.date(w.birth_date)), ("身份证号码", c.id(w.id_number)),
                ("联系电话", c.phone(w.phone)), ("平台账号", v.platform_account),
                ("住址", w.address, "wide")]),
        E.section("三、平台企业"),
        E.grid([("平台名称", p.name, "wide"), ("统一社会信用代码", p.credit_code), ("行业", v.industry.label),
                ("站点", p.station, "wide")]),
        E.section("四、订单与事故"),
        E.grid([("订单号", v.order_number, "wide"),
                ("接单时间", c.time(v.order_accepted_at)), ("完成时间", c.time(v.order_finished_at) or "未完成"),
                ("事故时间", c.time(v.accident_at)), ("初诊日期", c.date(v.diagnosis_date)),
                ("事故地点", v.accident_place, "wide"), ("事故原因", v.accident_cause, "wide"),
                ("受伤部位", v.body_parts, "wide"), ("就诊医院", v.hospital, "wide")]),
        *E.free_text("五、事故经过（时间、地点、所执行的订单任务、事故原因、受伤部位及程度）", v.account),
        E.paragraph("本人承诺以上所填内容及所附材料真实，如有虚假，愿承担相应的法律责任。", "plain"),
        E.boxes([E.Box("申请人（签字）：")], height_mm=26),
        E.boxes([E.Box("平台企业意见：", seal=True)], height_mm=36),
        E.boxes([E.Box("受理意见：", ["经办人：", "负责人："]),
                 E.Box("承办机构（受理专用章）", seal=True)], height_mm=40),
        *E.materials(v.materials),
    ]
