"""工作台: what needs doing today — cases due within 7 days and overdue, the
scale of the database at a glance."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout

from claims.i18n import _
from claims.store import CaseFilter

from ..html import grid, heading
from .base import Section
from .cases import due_text


class HomeSection(Section):
    title = "工作台"
    tables = frozenset({"cases", "workers", "declarations", "benefit_payments"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 16pt; font-weight: bold;")
        lay.addWidget(self.greeting)
        cards = QGridLayout()
        self.cards: dict[str, QLabel] = {}
        for i, (key, label) in enumerate([("overdue", _("已逾期案件")), ("soon", _("7 天内到期")),
                                          ("open", _("办理中案件")), ("approve", _("待审批支付")),
                                          ("workers", _("登记人员")), ("drafts", _("未提交的申报"))]):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            fl = QVBoxLayout(frame)
            num = QLabel("…")
            num.setStyleSheet("font-size: 20pt; font-weight: bold;")
            fl.addWidget(num)
            fl.addWidget(QLabel(label))
            cards.addWidget(frame, i // 3, i % 3)
            self.cards[key] = num
        lay.addLayout(cards)
        self.due_list = QLabel()
        self.due_list.setWordWrap(True)
        lay.addWidget(self.due_list, 1)
        lay.addStretch(0)
        self.refresh()

    def refresh(self, change=None):
        s = self.ctx.store
        today = date.today()
        q = s.conn.execute
        self.greeting.setText(_("{name}，您好").format(name=self.ctx.actor.label))
        self.cards["overdue"].setText(str(s.count_cases(CaseFilter(due="overdue"), actor=self.ctx.actor)))
        self.cards["soon"].setText(str(s.count_cases(CaseFilter(due="soon"), actor=self.ctx.actor)))
        self.cards["open"].setText(str(q("SELECT count(*) FROM cases WHERE state NOT IN ('closed','withdrawn')").fetchone()[0]))
        self.cards["approve"].setText(str(q("SELECT count(*) FROM benefit_payments WHERE status = 'prepared'").fetchone()[0]))
        self.cards["workers"].setText(f"{q('SELECT count(*) FROM workers').fetchone()[0]:,}")
        self.cards["drafts"].setText(str(q("SELECT count(*) FROM declarations WHERE status = 'draft'").fetchone()[0]))
        due = s.search_cases(CaseFilter(due="overdue"), limit=8, actor=self.ctx.actor) + \
            s.search_cases(CaseFilter(due="soon"), limit=8, actor=self.ctx.actor)
        self.due_list.setText(heading(_("需要尽快处理的案件")) + grid(
            [_("案件号"), _("状态"), _("时限")], [[c.number, c.state.label, due_text(c, today)] for c in due]))

    def badge(self) -> str:
        n = self.ctx.store.count_cases(CaseFilter(due="overdue"), actor=self.ctx.actor)
        return f"（{n}）" if n else ""
