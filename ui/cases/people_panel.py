"""伤亡与亲属 on a case: the end of the treatment period, the death, the
claimant, and the dependants with their payee and end of entitlement — each
entered and changed through its form (people_dialogs.py). Identifiers and
accounts are masked for roles that do not see them whole."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from claims.enums import DeathCause
from claims.errors import StaleRecord
from claims.i18n import _
from claims.monthly import dependant_end
from claims.parameters import ruleset_for
from claims.permissions import allowed

from ..conflict import show_stale
from ..errors import show_error
from ..sorting import make_sortable, source_row
from ..widgets import readonly_table
from . import common
from .people_dialogs import ClaimantDialog, DeathDialog, DependantDialog, TreatmentEndDialog


class PeoplePanel(QWidget):
    changed = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.case = None
        self._deps = []
        self.treatment = QLabel()
        self.death = QLabel()
        self.claimant = QLabel()
        self.claimant_account = QLabel()
        for lab in (self.treatment, self.death, self.claimant, self.claimant_account):
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.treatment_btn = QPushButton(_("医疗终结…"), clicked=lambda: self._form(TreatmentEndDialog))
        self.death_btn = QPushButton(_("登记死亡…"), clicked=lambda: self._form(DeathDialog))
        self.claimant_btn = QPushButton(_("申请人…"), clicked=lambda: self._form(ClaimantDialog))
        grid = QGridLayout()
        for r, (title, lab, btn) in enumerate(((_("医疗终结"), self.treatment, self.treatment_btn),
                                               (_("死亡"), self.death, self.death_btn),
                                               (_("申请人"), self.claimant, self.claimant_btn))):
            grid.addWidget(QLabel(title + _("：")), r, 0)
            grid.addWidget(lab, r, 1)
            grid.addWidget(btn, r, 2)
        grid.addWidget(QLabel(_("收款账户：")), 3, 0)
        grid.addWidget(self.claimant_account, 3, 1)
        grid.setColumnStretch(1, 1)
        self.table = readonly_table([_("姓名"), _("关系"), _("身份证号码或出生日期"), _("收款人及账户"), _("领取至")])
        self.table.doubleClicked.connect(lambda *_a: self.edit())
        make_sortable(self.table, "案件.供养亲属", ctx)
        self.add_btn = QPushButton(_("添加供养亲属…"), clicked=lambda: self._form(DependantDialog))
        self.edit_btn = QPushButton(_("修改…"), clicked=self.edit)
        self.remove_btn = QPushButton(_("删除"), clicked=self.remove)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#666")
        bar = QHBoxLayout()
        for b in (self.add_btn, self.edit_btn, self.remove_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addWidget(QLabel(_("供养亲属")))
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        self.table.itemSelectionChanged.connect(self.update_buttons)

    def _id(self, v: str) -> str:
        return self.ctx.id_text(v, self.case.id if self.case else None)

    def show_case(self, case) -> None:
        self.case = case
        s = self.ctx.store
        if case is None:
            self._deps = []
            self.table.setRowCount(0)
            return
        self.treatment.setText(case.treatment_end_on.isoformat() if case.treatment_end_on
                               else _("未登记（视为仍在治疗期）"))
        if case.dead:
            self.death.setText(_("{d}，{c}").format(d=case.death_date.isoformat(),
                                                   c=DeathCause(case.death_cause).label if case.death_cause else ""))
        else:
            self.death.setText(_("未登记"))
        self.death_btn.setText(_("修改死亡…") if case.dead else _("登记死亡…"))
        if case.claimant_name:
            acct = f"{case.claimant_bank} {self.ctx.account_text(case.claimant_account, case.id)}".strip()
            self.claimant.setText(_("{n}（{r}）{i}").format(n=case.claimant_name, r=case.claimant_relation,
                                                          i=self._id(case.claimant_id_number)))
            self.claimant_account.setText(acct or _("未登记"))
        else:
            self.claimant.setText(_("未登记（死亡案件的文书以申请人为收件人）"))
            self.claimant_account.setText("—")
        self._deps = s.dependants_of(case.id)
        until_age = ruleset_for(case.accident_at.date()).items["dependant_pension"].until_age
        self.table.setRowCount(len(self._deps))
        for r, d in enumerate(self._deps):
            end, why = dependant_end(d.relation.value, d.birth_date, d.end_on, d.end_reason, until_age)
            rel = d.relation.label + (_("（孤寡老人）") if d.lone_elder else _("（孤儿）") if d.orphan else "")
            payee = " ".join(x for x in (d.payee_name or d.name, d.payee_bank, self.ctx.account_text(d.payee_account, case.id)) if x)
            cells = [d.name, rel, self._id(d.id_number) if d.id_number else
                     (d.birth_date.isoformat() if d.birth_date else ""), payee,
                     f"{end.isoformat()}\n（{why}）" if end else _("长期")]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if not case.dead:
            self.empty.setText(_("本案未登记死亡。人员死亡的，先“登记死亡”，再登记申请人和供养亲属。"))
        elif not self._deps:
            self.empty.setText(_("尚未登记供养亲属：点“添加供养亲属…”逐一录入（配偶、子女、父母等）。"))
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        self.update_buttons()

    def update_buttons(self) -> None:
        ok = self.case is not None and allowed(self.ctx.actor.role, "case.transition")
        why = "" if ok else _("只有经办人、审核人或管理员可以登记")
        for b in (self.treatment_btn, self.death_btn, self.claimant_btn):
            b.setEnabled(ok)
            b.setToolTip(why)
        dead = ok and self.case.dead
        self.add_btn.setEnabled(dead)
        self.add_btn.setToolTip(why or ("" if dead else _("先登记死亡，再登记供养亲属")))
        picked = dead and self.table.currentRow() >= 0
        self.edit_btn.setEnabled(picked)
        self.remove_btn.setEnabled(picked)

    def selected(self):
        r = source_row(self.table)
        return self._deps[r] if 0 <= r < len(self._deps) else None

    def _form(self, cls, *args) -> None:
        if self.case is None:
            return
        got = cls.ask(self, self.ctx, self.case.id, *args)
        if got is not None:
            self.changed.emit(self.ctx.store.change("cases", "dependants", "benefit_payments", ids=[self.case.id],
                                                    summary=_("已保存")))

    def edit(self) -> None:
        d = self.selected()
        if d is not None and self.edit_btn.isEnabled():
            self._form(DependantDialog, d)

    def remove(self) -> None:
        d = self.selected()
        if d is None or not common.confirm(self, _("删除供养亲属"), _(
                "删除供养亲属 {n}（{r}）吗？删除后不再为其核定抚恤金；已有支付的不能删除，请改为填写领取终止日期。").format(
                n=d.name, r=d.relation.label)):
            return
        try:
            _d, change = self.ctx.store.remove_dependant(self.ctx.actor, d.id, expected_version=d.row_version)
        except StaleRecord as e:  # changed since the list was read: say so and show the latest
            show_stale(self, self.ctx.store, e)
            self.show_case(self.ctx.store.case(self.case.id, self.ctx.actor))
            return
        except Exception as e:  # noqa: BLE001 - the core's refusal, shown as it is
            show_error(self, e)
            return
        self.changed.emit(change)
