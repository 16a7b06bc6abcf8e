"""A form saved over a record someone changed meanwhile (here: a command-line
import run while the form was open) is refused; the user sees their values and
the database's side by side and decides — keep mine, or take theirs. Nothing is
ever overwritten without that choice."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from claims.store import Actor
from ui.conflict import ConflictDialog
from ui.context import AppContext
from ui.workers.worker_dialog import WorkerDialog
from claims.store.base import _issue


def logged_in(*args, **kw):
    """The actor a successful login hands the GUI (these tests make their users without passwords)."""
    return _issue(Actor(*args, **kw))


pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]

ROOT = Path(__file__).resolve().parents[2]
ADMIN = logged_in("admin", role="admin", display_name="管理员")
ID = "110101199003074514"


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch):
    """Closing a form with unsaved typing after the test: discard without asking."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def ctx(store):
    store.add_platform(ADMIN, name="美团", industries=["food_delivery"])
    return AppContext(store=store, actor=ADMIN, version="test")


def cli_import(db: Path, tmp_path: Path, phone: str, address: str = "") -> None:
    """Another program (the command-line import) changes the worker's mobile and address."""
    f = tmp_path / "w.csv"
    with f.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name", "id_number", "phone", "platform", "industry", "enrolled_on", "address"],
                                  ["张伟", ID, phone, "美团", "外卖", "2025-03-01", address]])
    r = subprocess.run([sys.executable, "main.py", "import-workers", str(f), "--db", str(db)], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr


def answer_conflict(qtbot, button: str, seen: dict, shot: str | None = None) -> None:
    """When the conflict dialog appears: note what it shows, then press ``button``."""
    def act():
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()),
                   None)
        if dlg is None:
            QTimer.singleShot(20, act)
            return
        t = dlg.table
        seen["header"] = [t.horizontalHeaderItem(j).text() for j in range(3)]
        seen["rows"] = {t.item(i, 0).text(): (t.item(i, 1).text(), t.item(i, 2).text()) for i in range(t.rowCount())}
        seen["text"] = " ".join(lbl.text() for lbl in dlg.findChildren(QLabel))
        if shot:
            dlg.grab().save(shot)
        getattr(dlg, button).click()
    QTimer.singleShot(0, act)


def open_worker(qtbot, ctx):
    w, _ = ctx.store.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13800138000",
                                        "address": "上海市黄浦区"})
    dlg = WorkerDialog(None, ctx, ctx.store.worker(w.id))
    qtbot.addWidget(dlg)
    dlg.show()
    return w, dlg


def test_a_save_over_a_concurrent_import_shows_both_versions_and_takes_theirs(qtbot, ctx, tmp_path, type_into):
    w, dlg = open_worker(qtbot, ctx)
    cli_import(ctx.store.path, tmp_path, "13900139000", "上海市徐汇区")  # while the form is open
    email = dlg.fields["emergency_contact"].widget
    email.setFocus()
    type_into(email, "李娜")
    seen = {}
    answer_conflict(qtbot, "take_btn", seen, shot="/tmp/zbt-conflict.png")
    dlg.try_save()
    assert seen["header"] == ["项目", "你的修改", "当前数据库中的值"]
    assert seen["rows"]["手机号码"] == ("13800138000", "13900139000")
    assert seen["rows"]["住址"] == ("上海市黄浦区", "上海市徐汇区")
    assert seen["rows"]["紧急联系人"] == ("李娜", "—")
    assert dlg.isVisible() and dlg.result_value is None  # nothing saved: the form shows the database's values
    assert dlg.value("phone") == "13900139000" and dlg.value("emergency_contact") == ""
    stored = ctx.store.worker(w.id)
    assert (stored.phone, stored.emergency_contact, stored.row_version) == ("13900139000", "", 2)
    # saving now goes over the version the form shows
    type_into(email, "李娜")
    dlg.try_save()
    assert dlg.result_value is not None
    stored = ctx.store.worker(w.id)
    assert (stored.phone, stored.emergency_contact, stored.row_version) == ("13900139000", "李娜", 3)


def test_keep_mine_saves_over_the_newer_version_after_seeing_it(qtbot, ctx, tmp_path, type_into):
    w, dlg = open_worker(qtbot, ctx)
    cli_import(ctx.store.path, tmp_path, "13900139000")
    dlg.fields["phone"].widget.setText("13700137000")
    seen = {}
    answer_conflict(qtbot, "keep_btn", seen)
    dlg.try_save()
    assert seen["rows"]["手机号码"] == ("13700137000", "13900139000")
    assert dlg.result_value is not None
    stored = ctx.store.worker(w.id)
    assert (stored.phone, stored.row_version) == ("13700137000", 3)
    history = ctx.store.conn.execute("SELECT actor FROM audit_log WHERE table_name = 'workers' AND record_id = ?"
                                     " ORDER BY seq", (w.id,)).fetchall()
    assert [h[0] for h in history][-2:][0].startswith("cli:") and history[-1][0] == "admin"


def test_back_to_the_form_keeps_what_was_typed_and_saves_nothing(qtbot, ctx, tmp_path):
    w, dlg = open_worker(qtbot, ctx)
    cli_import(ctx.store.path, tmp_path, "13900139000")
    dlg.fields["phone"].widget.setText("13700137000")
    answer_conflict(qtbot, "back_btn", {})
    dlg.try_save()
    assert dlg.value("phone") == "13700137000" and dlg.result_value is None
    assert ctx.store.worker(w.id).phone == "13900139000"


def test_the_conflict_dialog_names_who_changed_the_record(qtbot, ctx, tmp_path):
    w, dlg = open_worker(qtbot, ctx)
    cli_import(ctx.store.path, tmp_path, "13900139000")
    seen = {}
    answer_conflict(qtbot, "back_btn", seen)
    dlg.fields["phone"].widget.setText("13700137000")
    dlg.try_save()
    assert "命令行操作" in seen["text"] and "第 1 版" in seen["text"] and "第 2 版" in seen["text"]


def test_a_save_while_another_program_writes_too_long_says_so_calmly(qtbot, ctx, monkeypatch):
    """The wait for the write lock runs out: a calm message through the one error function,
    never the crash dialog; the form stays open with what was typed, and saves once the other is done."""
    import ui.errors
    shown, crashed = [], []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(ui.errors, "show_crash", lambda *a: crashed.append(a))
    w, dlg = open_worker(qtbot, ctx)
    ctx.store.conn.execute("PRAGMA busy_timeout = 200")
    code = ("import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.readline()\nc.execute('ROLLBACK')\n")
    other = subprocess.Popen([sys.executable, "-c", code, str(ctx.store.path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert other.stdout.readline().strip() == "locked"
    try:
        dlg.fields["phone"].widget.setText("13700137000")
        dlg.try_save()
    finally:
        other.communicate("\n")
    assert shown == [("请稍候", "另一任务正在写入数据库，请稍候再试")] and crashed == []
    assert dlg.isVisible() and dlg.value("phone") == "13700137000"
    assert ctx.store.worker(w.id).phone == "13800138000"
    dlg.try_save()
    assert dlg.result_value is not None and ctx.store.worker(w.id).phone == "13700137000"


def changed_elsewhere(path):
    """Another program's connection to the same file (another user's PC, a command)."""
    from claims.store import Store
    return Store(path, "OTHER")


def test_the_per_order_amount_form_shows_both_versions_and_takes_theirs(qtbot, demo_db):
    from claims.store import Store
    from ui.fees.rates import RateDialog
    s = Store(demo_db, "T")
    ctx = AppContext(store=s, actor=ADMIN, version="t")
    rate = s.fee_rates()[0]
    dlg = RateDialog(None, ctx, rate)
    qtbot.addWidget(dlg)
    dlg.show()
    other = changed_elsewhere(demo_db)
    other.update_fee_rate(ADMIN, rate.id, source="另一位管理员更正的文号")
    dlg.source.setText("我填写的来源")
    seen = {}
    answer_conflict(qtbot, "take_btn", seen)
    dlg.try_save()
    assert seen["rows"]["来源"] == ("我填写的来源", "另一位管理员更正的文号")
    assert dlg.source.text() == "另一位管理员更正的文号" and dlg.result_value is None
    dlg.amount.setText("0.05")
    dlg.try_save()
    assert dlg.result_value is not None and s.fee_rate(rate.id).source == "另一位管理员更正的文号"


def test_the_declared_counts_form_and_the_parameter_form_refuse_a_stale_save(qtbot, demo_db):
    from claims.store import Store
    from ui.fees.dialogs import DeclaredCountDialog
    from ui.settings.params_tab import ParameterDialog
    s = Store(demo_db, "T")
    ctx = AppContext(store=s, actor=ADMIN, version="t")
    other = changed_elsewhere(demo_db)
    decl = next(d for d in s.declarations(limit=1000) if d.status.value == "draft" and d.lines)
    dlg = DeclaredCountDialog(None, ctx, decl)
    qtbot.addWidget(dlg)
    ind = decl.lines[0].industry.value
    other.set_declared_counts(ADMIN, decl.id, {ind: decl.lines[0].orders_declared + 7})
    dlg.spins[ind][0].setValue(decl.lines[0].orders_declared + 1)
    seen = {}
    answer_conflict(qtbot, "keep_btn", seen)
    dlg.try_save()
    label = decl.lines[0].industry.label
    assert seen["rows"][label] == (f"{decl.lines[0].orders_declared + 1:,}", f"{decl.lines[0].orders_declared + 7:,}")
    assert dlg.result_value is not None
    assert s.declaration(decl.id).lines[0].orders_declared == decl.lines[0].orders_declared + 1
    param = s.parameters()[0]
    pd = ParameterDialog(None, ctx, param)
    qtbot.addWidget(pd)
    other.update_parameter(ADMIN, param.id, value=str(param.value), status=param.status.value,
                           source="别处改过的来源", valid_from=param.valid_from.isoformat(),
                           valid_to=param.valid_to.isoformat() if param.valid_to else None)
    pd.source.setText("我的来源")
    seen = {}
    answer_conflict(qtbot, "take_btn", seen)
    pd.save()
    assert seen["rows"]["来源"] == ("我的来源", "别处改过的来源")
    assert pd.source.text() == "别处改过的来源" and pd.change is None
