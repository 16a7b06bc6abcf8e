"""工作台: what needs doing today — my tasks by role (cases waiting for me,
assessments and payments waiting for my approval), cases due within 7 days
and overdue, and the scale of the database at a glance. Double-click a row
to open the case."""
from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from claims.i18n import _
from claims.store import CaseFilter

from ..cases.deadline import due_color, due_text
from ..sorting import SORT_ROLE, make_sortable
from ..widgets import readonly_table
from .base import Section
from claims.timeutil import today as china_today

USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole, without building the `Qt` enums before the first paint
# Qt.ItemDataRole.ForegroundRole: a colour set as data, not with setForeground(), whose QColor -> QBrush
# conversion makes PySide6 build the `Qt` enums (~20 ms) while the home figures are being filled in
FOREGROUND_ROLE = 9

class HomeSection(Section):
    title = "工作台"
    tables = frozenset({"cases", "workers", "declarations", "benefit_payments", "assessments"})

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 16pt; font-weight: bold;")
        lay.addWidget(self.greeting)
        cards = QGridLayout()
        self.cards: dict[str, QLabel] = {}
        own = ctx.actor.role == "station_manager"  # a station manager's figures are their station's and platform's
        for i, (key, label) in enumerate([("overdue", _("已逾期案件")), ("soon", _("7 天内到期")),
                                          ("mine", _("我的待办")), ("approve", _("待我审批")),
                                          ("workers", _("本站人员") if own else _("登记人员")),
                                          ("drafts", _("本平台未提交的申报") if own else _("未提交的申报"))]):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            fl = QVBoxLayout(frame)
            num = QLabel("…")
            num.setStyleSheet("font-size: 20pt; font-weight: bold;")
            fl.addWidget(num)
            fl.addWidget(QLabel(label))
            cards.addWidget(frame, 0, i)
            self.cards[key] = num
        lay.addLayout(cards)
        self.alerts = QLabel()
        self.alerts.setWordWrap(True)
        self.alerts.setStyleSheet("color: #b9770e")
        lay.addWidget(self.alerts)
        lists = QHBoxLayout()
        # the task's words give way (elided, whole in the tooltip): the case number and deadline stay on screen
        self.tasks = readonly_table([_("事项"), _("案件号"), _("时限")], alternate=True, stretch=0)
        self.due = readonly_table([_("案件号"), _("状态"), _("时限")], alternate=True)
        for table, head in ((self.tasks, _("我的待办")), (self.due, _("需要尽快处理的案件（逾期与 7 天内到期）"))):
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            h = QLabel(head)
            h.setStyleSheet("font-size: 12pt; font-weight: bold;")
            bl.addWidget(h)
            bl.addWidget(table, 1)
            lists.addWidget(box, 3 if table is self.tasks else 2)
            table.itemDoubleClicked.connect(lambda it, t=table: self.open_case(t.item(it.row(), 0).data(USER_ROLE)))
        lay.addLayout(lists, 1)
        hint = QLabel(_("双击一行打开案件。"))
        hint.setStyleSheet("color: #666")
        lay.addWidget(hint)
        self.greeting.setText(_("{name}，您好").format(name=ctx.actor.label))
        # None until the first fill, which the main window asks for just after its first paint
        # (MainWindow._after_first_paint): the clerk sees the window at once, the figures a moment later.
        self.overdue_count: int | None = None

    def make_sortable(self) -> None:
        """Header clicks sort the two lists (ui/sorting.py). Called by the main window once the
        figures are on screen: the sorter's first use of a `Qt` enum costs ~20-40 ms."""
        for table, key in ((self.tasks, "工作台.待办"), (self.due, "工作台.到期")):
            make_sortable(table, key, self.ctx)

    def refresh(self, change=None):
        """Figures and lists from plain rows (claims/store/home_queries.py): no models to build."""
        s, actor = self.ctx.store, self.ctx.actor
        today = china_today()
        overdue_f, soon_f = CaseFilter(due="overdue", today=today), CaseFilter(due="soon", today=today)
        assessments, payments = s.approval_lines(actor)
        rows = self.task_rows(s.waiting_steps(actor), assessments, payments, today)
        self.overdue_count = s.count_cases(overdue_f, actor=actor)
        self.cards["overdue"].setText(str(self.overdue_count))
        self.cards["soon"].setText(str(s.count_cases(soon_f, actor=actor)))
        self.cards["mine"].setText(str(len(rows)))
        self.cards["approve"].setText(str(len(assessments) + len(payments)))
        self.cards["workers"].setText(f"{s.count_workers(actor=actor):,}")  # a station manager's: their station's
        self.cards["drafts"].setText(str(s.draft_declarations(actor)))
        self._fill(self.tasks, rows, _("暂无待办事项。新的报案请到“案件”中点“报案…”（Ctrl+N）登记。"))
        text = self.alert_text(today)
        self.alerts.setText(text)
        self.alerts.setStyleSheet("color: #c0392b" if "✖" in text else "color: #b9770e")
        due = sorted(s.case_lines(overdue_f, actor) + s.case_lines(soon_f, actor), key=lambda c: c.due_on)
        self._fill(self.due, [(c.number, [c.number, c.state.label, due_cell(c, today)], due_color(c, today))
                              for c in due], _("没有逾期或 7 天内到期的案件。"))
        self.badge_changed.emit()

    def alert_text(self, today: date) -> str:
        """Imports with problems and figures missing for open cases, so nothing waits unseen."""
        from datetime import timedelta
        s, lines = self.ctx.store, []
        kinds = {"workers": _("人员"), "orders": _("订单"), "daily_counts": _("日单量")}
        for at, kind, name, rejected, total in s.import_problems((today - timedelta(days=30)).isoformat()):
            lines.append(_("⚠ {d} 导入{k}“{f}”：{r} / {t} 行被拒绝，请核对后重新导入").format(
                d=at[:10], k=kinds.get(kind, kind), f=name or "—", r=rejected, t=total))
        unset = s.office_unset()
        if unset:
            who = "" if self.ctx.actor.role == "admin" else _("管理员")
            lines.append(_("⚠ 经办机构的{f}尚未填写，打印件上印的是占位文字，请{who}在“设置 › 经办机构”中填写").format(
                f="、".join(unset), who=who))
        errors, warnings = s.calendar_problems(today)
        lines += [_("✖ {m}").format(m=m) for m in errors] + [_("⚠ {m}").format(m=m) for m in warnings]
        gaps = s.parameter_gaps()
        if gaps:
            lines.append(_("⚠ {n} 件办理中的案件缺少待遇计发参数（如 {g}），请管理员在“设置 › 参数表”中录入").format(
                n=len(gaps), g=gaps[0]))
        return "\n".join(lines)

    def task_rows(self, cases: list, assessments: list, payments: list, today: date) -> list[tuple]:
        """(case number, cells, colour) for each task of the user: approvals first, then the cases
        whose next step (claims/next_step.py) this user can take — so a station manager's list
        holds documents to collect, and what waits for someone else's approval is not listed."""
        from claims.money import format_yuan  # (decimal: only when there are amounts to show)
        rows, actor = [], self.ctx.actor
        for a in assessments:
            rows.append((a.case_number, [_("批准或退回待遇核定 {a}（一次性 {o}）").format(
                a=a.number, o=format_yuan(a.amount_fen)), a.case_number, ""], None))
        for p in payments:
            what = _("一次性") if p.kind == "once" else p.period_month
            rows.append((p.case_number, [_("审批支付 {p}（{w}，{a}）").format(p=p.number, w=what, a=format_yuan(p.amount_fen)),
                                         p.case_number, p.due_on.isoformat() if p.due_on else ""], None))
        for c, step in cases:
            if step is None or step.kind in ("assessment", "payment") or not step.can(actor)[0]:
                continue
            text = step.what + (_("（{n}）").format(n=step.note) if step.note and "退回" in step.note else "")
            rows.append((c.number, [text, c.number, due_cell(c, today)], due_color(c, today)))
        return rows

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple], empty: str) -> None:
        table.clearSpans()
        if not rows:  # the empty state says so (and what to do), rather than a blank table
            table.setRowCount(1)
            table.setSpan(0, 0, 1, table.columnCount())
            it = QTableWidgetItem(empty)
            it.setData(FOREGROUND_ROLE, QColor("#666"))
            table.setItem(0, 0, it)
            return
        table.setRowCount(len(rows))
        for r, (number, cells, color) in enumerate(rows):
            for col, cell in enumerate(cells):
                text, value = cell if isinstance(cell, tuple) else (cell, None)
                it = QTableWidgetItem(text)
                it.setData(USER_ROLE, number)
                if value is not None:  # sorted by this, not by the words ("逾期 3 天" before "剩 2 天")
                    it.setData(SORT_ROLE, value)
                it.setToolTip(text)
                if color is not None and col == len(cells) - 1:
                    it.setData(FOREGROUND_ROLE, color)
                table.setItem(r, col, it)

    def open_case(self, number: str | None) -> None:
        win = self.window()
        if not number or not hasattr(win, "section") or not hasattr(win, "nav"):
            return
        from ..main_window import SECTIONS
        index = next(i for i, s in enumerate(SECTIONS) if s[0] == "cases")
        win.nav.setCurrentRow(index)
        win.section(index).show_case(number)

    def badge(self) -> str:
        n = self.overdue_count
        return f"（{n}）" if n else ""


def due_cell(c, today: date) -> tuple[str, str | None]:
    """A deadline as shown, with the date it sorts by."""
    return due_text(c, today), c.due_on.isoformat() if c.due_on else None
