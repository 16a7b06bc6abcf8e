"""职业伤害确认申请表 — filed with the authority (identifiers whole)."""
from forms import engine as E

CODE = "confirmation_application"
REVISION = "2026-1"


def layout(v, c):
    w, p = v.worker, v.platform
    return [
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
        E.boxes([E.Box("申请人（签字）：", ["本人承诺以上所填内容及所附材料真实。"])], height_mm=30),
        E.boxes([E.Box("平台企业意见：", seal=True)], height_mm=36),
        E.boxes([E.Box("受理意见：", ["经办人：", "负责人："]),
                 E.Box("承办机构（受理专用章）", seal=True)], height_mm=40),
    ]
