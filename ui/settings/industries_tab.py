"""行业: the pilot's industries as data. Everyone sees the list (name, since
when, a merger, the documents its cases need beyond the common list, status,
source); an administrator adds an industry — code, Chinese name, per-order
amount in force from a date, its document checklist — and every screen,
import, declaration, statistic and document offers it at once."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from claims import industries as I
from claims.errors import FieldError
from claims.i18n import _
from claims.permissions import allowed
from claims.store.fees import parse_per_order
from claims.store.industries import CODE_RE
from claims.timeutil import today as china_today

from ..fees.common import AMBER, Col, RowsModel
from ..forms import FormDialog, date_edit, pydate
from ..sorting import make_sortable

COLS = [
    Col(_("行业"), lambda d: d.name),
    Col(_("导入代码"), lambda d: d.code),
    Col(_("起始"), lambda d: d.since),
    Col(_("并入"), lambda d: _("{d} 起并入{i}").format(d=d.merged_on, i=I.label(d.merged_into)) if d.merged_into else "—"),
    Col(_("该行业另需的材料"), lambda d: "、".join(x["name"] for x in d.documents) or "—"),
    Col(_("状态"), lambda d: _("已确认") if d.status == "confirmed" else _("未确认"),
        color=lambda d: AMBER if d.status != "confirmed" else None),
    Col(_("来源"), lambda d: d.source),
]


def parse_documents(text: str) -> list[dict]:
    """One document a line: “名称” or “名称：为什么需要”."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, reason = line.replace(":", "：").partition("：")
        out.append({"name": name.strip(), "reason": reason.strip()})
    return out


class IndustryDialog(FormDialog):
    field_keys = {"行业代码": "code", "行业名称": "name", "每单金额": "amount", "金额起始日期": "amount_from",
                  "材料清单": "documents", "来源": "source"}

    def __init__(self, parent, ctx):
        super().__init__(parent, ctx, _("新增行业"))
        self.name = self.add("name", _("行业名称"), QLineEdit(), required=True, hint=_("如 家政服务"))
        self.code = self.add("code", _("导入代码"), QLineEdit(), required=True,
                             hint=_("小写英文字母、数字或下划线，如 housekeeping；导入文件的“行业”列可写代码或名称"))
        self.amount = self.add("amount", _("每单金额（元）"), QLineEdit(), required=True,
                               hint=_("最多四位小数，例如 0.05"))
        self.start = self.add("amount_from", _("金额起始日期"), date_edit(date(china_today().year + 1, 1, 1)))
        self.docs = QPlainTextEdit()
        self.docs.setPlaceholderText(_("每行一项：材料名称：为什么需要\n例如：家政服务合同：核实事故发生时是否在提供平台派单的服务"))
        self.docs.setTabChangesFocus(True)
        self.docs.setFixedHeight(90)
        self.add("documents", _("该行业另需的材料"), self.docs,
                 hint=_("通用材料（身份证、订单记录、诊断证明等）不必重复"))
        self.status = QComboBox()
        self.status.addItem(_("未确认"), "unconfirmed")
        self.status.addItem(_("已确认"), "confirmed")
        self.add("status", _("状态"), self.status)
        self.source = self.add("source", _("来源"), QLineEdit(), required=True, empty=_("请注明来源"),
                               hint=_("文件号，或“管理员录入，待核实”"))
        self.finish()

    def problems(self) -> dict[str, str]:
        out = {}
        code = self.code.text().strip()
        if code and not CODE_RE.fullmatch(code):
            out["code"] = _("应为 3–32 位小写英文字母、数字或下划线，以字母开头")
        elif code in I.registry():
            out["code"] = _("已经存在")
        if self.name.text().strip() in {d.name for d in I.registry().values()}:
            out["name"] = _("已经存在")
        if self.amount.text().strip():
            try:
                parse_per_order(self.amount.text())
            except FieldError as e:
                out["amount"] = e.detail
        return out

    def save(self):
        return self.ctx.store.add_industry(
            self.ctx.actor, code=self.code.text().strip(), name=self.name.text().strip(),
            per_order=self.amount.text(), amount_from=pydate(self.start.date()).isoformat(),
            documents=parse_documents(self.docs.toPlainText()), status=self.status.currentData(),
            source=self.source.text().strip())


class IndustriesTab(QWidget):
    def __init__(self, ctx, changed, parent=None):
        super().__init__(parent)
        self.ctx, self.changed = ctx, changed
        self.may_edit = allowed(ctx.actor.role, "industry.write")
        self.model = RowsModel(COLS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        make_sortable(self.view, "设置.行业", ctx)
        self.add_btn = QPushButton(_("新增行业…"))
        self.add_btn.clicked.connect(self.add)
        self.add_btn.setEnabled(self.may_edit)
        if not self.may_edit:
            self.add_btn.setToolTip(_("只有管理员可以新增行业"))
        note = QLabel(_("新增的行业立即出现在人员登记、导入、缴费申报、统计和文书中；每单金额另可在“缴费 › 每单金额”中调整。"
                        "已有行业不能删除或改名，以免已登记的记录失去含义。"))
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")
        bar = QHBoxLayout()
        bar.addWidget(self.add_btn)
        bar.addWidget(note, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(list(I.registry().values()))
        self.view.resizeColumnsToContents()

    def add(self) -> None:
        out = IndustryDialog.ask(self, self.ctx)
        if out:
            self.reload()
            self.changed.emit(out[1])
