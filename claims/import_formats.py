"""The columns of the import files (shared/cli.md): our column name, its
Chinese label, whether it is required, and names platforms commonly use for
it in their own exports (matched by the import dialogs). The command line
and the dialogs read the same lists, so a file missing a required column is
refused the same way by both."""
from __future__ import annotations

from .i18n import _

# (our column, Chinese label, required, common names in platform exports)
Column = tuple[str, str, bool, tuple[str, ...]]

WORKER_COLUMNS: list[Column] = [
    ("name", "姓名", True, ("姓名", "名字", "骑手姓名", "司机姓名", "人员姓名")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "身份证", "证件号码", "公民身份号码")),
    ("phone", "手机号码", True, ("手机", "手机号", "手机号码", "联系电话", "电话")),
    ("platform", "平台", True, ("平台", "平台名称", "所属平台")),
    ("station", "站点", False, ("站点", "站点名称", "所属站点", "配送站")),
    ("industry", "行业", True, ("行业", "行业类别", "所属行业")),
    ("enrolled_on", "参保日期", True, ("参保日期", "起始日期", "参保起始日期", "开始日期")),
    ("bank_card", "银行账号", False, ("银行卡号", "银行账号", "银行卡", "收款账号")),
    ("address", "住址", False, ("地址", "住址", "居住地址", "联系地址")),
]

ORDER_COLUMNS: list[Column] = [
    ("order_no", "订单号", True, ("订单号", "订单编号", "运单号", "单号")),
    ("platform", "平台", True, ("平台", "平台名称")),
    ("industry", "行业", True, ("行业", "业务类型", "行业类别")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码", "骑手身份证", "司机身份证")),
    ("accepted_at", "接单时间", True, ("接单时间", "接单时刻", "开始时间")),
    ("finished_at", "完成时间", False, ("完成时间", "送达时间", "结束时间")),
    ("region", "地区代码", True, ("地区代码", "统筹地区", "行政区划代码")),
]

DAILY_COUNT_COLUMNS: list[Column] = [
    ("platform", "平台", True, ("平台", "平台名称")),
    ("industry", "行业", True, ("行业", "业务类型")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码")),
    ("day", "日期", True, ("日期", "接单日期", "业务日期")),
    ("orders", "单量", True, ("单量", "订单数", "接单量", "日单量")),
    ("region", "地区代码", True, ("地区代码", "统筹地区")),
]


# Accident reports a platform sends in bulk (import-reports; cli.md "Accident report format")
REPORT_COLUMNS: list[Column] = [
    ("report_no", "报案编号", True, ("报案编号", "报案号", "事故编号")),
    ("platform", "平台", True, ("平台", "平台名称")),
    ("industry", "行业", True, ("行业", "业务类型")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码")),
    ("accident_at", "事故时间", True, ("事故时间", "出险时间")),
    ("place", "事故地点", True, ("事故地点", "出险地点")),
    ("account", "事故经过", True, ("事故经过", "经过", "情况说明")),
    ("body_parts", "受伤部位", False, ("受伤部位", "伤情部位")),
    ("order_no", "订单号", False, ("订单号", "运单号")),
    ("outcome", "伤亡情况", False, ("伤亡情况", "结果")),
    ("reporter_name", "报案人", False, ("报案人",)),
    ("reporter_relation", "报案人与本人关系", False, ("关系",)),
    ("reporter_phone", "报案人电话", False, ("报案人电话", "联系电话")),
    ("reported_at", "报案时间", True, ("报案时间",)),
]

# What each column holds, for the import templates (帮助 › 导入模板)
DESCRIPTIONS: dict[str, str] = {
    "name": "与身份证一致的姓名", "id_number": "18 位居民身份证号码（末位可为 X）",
    "phone": "11 位手机号码", "platform": "平台名称，与本程序登记的平台名称一致",
    "station": "站点名称（可不填）", "industry": "出行、外卖、即时配送或同城货运",
    "enrolled_on": "参保起始日期，如 2025-07-01", "bank_card": "收款银行卡号（可不填）",
    "address": "居住地址（可不填）", "order_no": "平台的订单号",
    "accepted_at": "接单时间，如 2025-09-03 14:05:00（北京时间）",
    "finished_at": "完成时间；取消或未完成的订单留空", "region": "接单所在统筹地区的六位代码，上海为 310000",
    "day": "日期，如 2025-09-03", "orders": "当日接单数（整数）", "report_no": "平台自己的报案编号，同一平台不重复",
    "accident_at": "事故时间，如 2025-09-03 14:05（北京时间），不晚于报案时间", "place": "事故发生的地点",
    "account": "事故经过（不限字数）", "body_parts": "受伤部位，用“、”分隔", "outcome": "受伤或死亡（默认受伤）",
    "reporter_name": "报案人姓名（默认平台）", "reporter_relation": "报案人与受伤人员的关系",
    "reporter_phone": "报案人电话", "reported_at": "报案时间，不晚于现在",
}


def required(columns: list[Column], given: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """{column: label} of the required columns, less those filled in otherwise (``given``)."""
    return {code: _(label) for code, label, req, _names in columns if req and code not in given}
