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


def required(columns: list[Column], given: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """{column: label} of the required columns, less those filled in otherwise (``given``)."""
    return {code: _(label) for code, label, req, _names in columns if req and code not in given}
