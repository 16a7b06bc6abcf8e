"""参保登记: the worker list with search as you type, filters, and the detail
of one person: enrollments on every platform, order activity, cases, other cover."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from claims.enums import EnrollmentStatus, Industry
from claims.i18n import _
from claims.store import WorkerFilter
from claims.validators import mask_account, mask_id, mask_mobile

from ..html import grid, heading, table, title
from ..table import Column
from .base import ListSection


class WorkersSection(ListSection):
    title = "参保登记"
    tables = frozenset({"workers", "enrollments", "other_cover", "orders", "cases"})
    search_hint = "按姓名、身份证号（全号或尾号）、手机号查找　Ctrl+F"

    def columns(self):
        return [
            Column(_("姓名"), lambda w: w.name, "name"),
            Column(_("身份证号码"), lambda w: self.id_text(w), "id_number"),
            Column(_("性别"), lambda w: "男" if w.gender == "male" else "女"),
            Column(_("出生日期"), lambda w: w.birth_date.isoformat(), "birth_date"),
            Column(_("手机号码"), lambda w: self.phone_text(w), "phone"),
        ]

    def id_text(self, w) -> str:
        return w.id_number if self.reveal(w) else mask_id(w.id_number)

    def phone_text(self, w) -> str:
        return w.phone if self.reveal(w) else mask_mobile(w.phone)

    def reveal(self, w) -> bool:
        return w.id in self.ctx.revealed

    def build_filters(self):
        store = self.ctx.store
        self.platform_box = self.add_filter(_("平台"), [(_("全部平台"), None)] + [(p.name, p.id) for p in store.platforms()])
        self.industry_box = self.add_filter(_("行业"), [(_("全部行业"), None)] + [(i.label, i.value) for i in Industry])
        self.status_box = self.add_filter(_("状态"), [(_("全部"), None)] + [(s.label, s.value) for s in EnrollmentStatus])
        self.filters.addStretch(1)

    def build_actions(self):
        self.reveal_btn = QPushButton(_("显示完整号码"))
        self.reveal_btn.setToolTip(_("显示此人的完整身份证号、手机号和银行账号（会记入审计日志）"))
        self.reveal_btn.clicked.connect(self.toggle_reveal)
        self.actions_bar.addWidget(self.reveal_btn)
        self.actions_bar.addStretch(1)

    def toggle_reveal(self):
        w = self.current()
        if w is None:
            return
        self.ctx.revealed.symmetric_difference_update({w.id})
        self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, 4))
        self._show(self.view.currentIndex().row())

    def on_select(self, w):
        self.reveal_btn.setEnabled(w is not None)
        if w is not None:
            self.reveal_btn.setText(_("隐藏号码") if self.reveal(w) else _("显示完整号码"))

    def filter(self) -> WorkerFilter:
        return WorkerFilter(text=self.search.text(), platform_id=self.platform_box.currentData(),
                            industry=self.industry_box.currentData(), status=self.status_box.currentData(),
                            sort=self.model.sort_code or "name", descending=self.model.descending)

    def fetch(self, offset, limit):
        return self.ctx.store.search_workers(self.filter(), offset=offset, limit=limit, actor=self.ctx.actor)

    def count(self):
        return self.ctx.store.count_workers(self.filter(), actor=self.ctx.actor)

    def empty_text(self):
        if self.ctx.store.count_workers() == 0:
            return "<p>" + _("还没有登记任何人员。可从“文件 › 导入人员”导入平台导出的名单，或新增人员。") + "</p>"
        return super().empty_text()

    def describe(self, w) -> str:
        s = self.ctx.store
        plat = {p.id: p.name for p in s.platforms()}
        stations = {st.id: st.name for st in s.stations()}
        show = self.reveal(w)
        parts = [title(w.name, f"{'男' if w.gender == 'male' else '女'}　{w.birth_date.isoformat()} 出生"),
                 table([(_("身份证号码"), w.id_number if show else mask_id(w.id_number)),
                        (_("手机号码"), w.phone if show else mask_mobile(w.phone)),
                        (_("银行账号"), (w.bank_card if show else mask_account(w.bank_card)) or "—"),
                        (_("住址"), w.address or "—"),
                        (_("紧急联系人"), f"{w.emergency_contact} {w.emergency_phone}".strip() or "—")])]
        ens = s.enrollments_of(w.id)
        parts.append(heading(_("参保登记（{n} 个平台）").format(n=len({e.platform_id for e in ens}))))
        parts.append(grid([_("平台"), _("站点"), _("行业"), _("起始"), _("终止"), _("状态"), _("来源")],
                          [[plat.get(e.platform_id, "?"), stations.get(e.station_id, "—"), e.industry.label,
                            e.start_on.isoformat(), e.end_on.isoformat() if e.end_on else "—", e.status.label,
                            "导入" if e.source == "import" else "手工"] for e in ens]))
        parts.append(heading(_("接单情况（按月）")))
        parts.append(grid([_("平台"), _("月份"), _("接单天数"), _("订单数")], [list(r) for r in s.order_days(w.id)[:12]]))
        from claims.store import CaseFilter
        cases = [c for c in s.search_cases(CaseFilter(text=w.id_number), limit=50)]
        parts.append(heading(_("案件")))
        parts.append(grid([_("案件号"), _("事故时间"), _("状态")],
                          [[c.number, c.accident_at.strftime("%Y-%m-%d %H:%M"), c.state.label] for c in cases]))
        parts.append(heading(_("其他保障")))
        parts.append(grid([_("类别"), _("名称"), _("承保机构"), _("保单号"), _("期间")],
                          [[o.kind, o.name, o.insurer, o.policy_no, f"{o.start_on or ''}—{o.end_on or ''}"]
                           for o in s.other_cover_of(w.id)]))
        return "".join(parts)
