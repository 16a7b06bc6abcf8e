"""导入报案: a platform's accident reports (CSV or XLSX, cli.md "Accident report
format") through the shared import flow (ui/imports/dialog.py): columns mapped
and remembered per platform, a dry run that reports every row, the import in
one transaction off the GUI thread. Each new report becomes a case in 报案."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from claims.change import Change
from claims.i18n import _

from ..imports import dialog as base

COLUMNS = [
    ("report_no", "报案编号", True, ("报案编号", "报案号", "平台报案编号", "案件编号")),
    ("platform", "平台", True, ("平台", "平台名称")),
    ("industry", "行业", True, ("行业", "业务类型", "行业类别")),
    ("id_number", "身份证号码", True, ("身份证号", "身份证号码", "证件号码")),
    ("accident_at", "事故时间", True, ("事故时间", "出险时间", "事故发生时间")),
    ("place", "事故地点", True, ("事故地点", "出险地点", "地点")),
    ("account", "事故经过", True, ("事故经过", "出险经过", "经过", "事故描述")),
    ("body_parts", "受伤部位", False, ("受伤部位", "伤情部位")),
    ("order_no", "订单号", False, ("订单号", "订单编号", "运单号")),
    ("outcome", "结果", False, ("结果", "伤亡情况", "是否死亡")),
    ("reporter_name", "报案人", False, ("报案人", "报案人姓名")),
    ("reporter_relation", "报案人身份", False, ("报案人身份", "与伤者关系")),
    ("reporter_phone", "报案人电话", False, ("报案人电话", "联系电话")),
    ("reported_at", "报案时间", True, ("报案时间", "报案日期")),
]


class ReportImportDialog(base.ImportDialog):
    TITLE = "导入平台报案"
    KIND = "reports"
    STORE_METHOD = "import_reports"
    COLUMNS = COLUMNS

    def build_fields(self, lay) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("文件")))
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_btn)
        top.addWidget(QLabel(_("来源平台")))
        self.platform_box.setToolTip(_("列的对应关系按平台记住；文件中没有平台列时，所有行都记入此平台"))
        top.addWidget(self.platform_box)
        lay.addLayout(top)
        hint = QLabel(_("每条新报案登记为一件“报案”状态的案件，时限自报案时间起算；同一平台的同一报案编号只登记一次，"
                        "再次导入显示为“未变”。先检查（试运行），再导入。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#666")
        lay.addWidget(hint)

    def report_rows(self, report) -> list[tuple[int, str, str]]:
        return list(report.rows) or [(line, "rejected", msg) for line, msg in report.rejected]

    def change_for(self, report) -> Change:
        return Change(tables=frozenset({"cases", "case_events"}), ids=frozenset(),
                      summary=_("导入报案：") + report.summary())
