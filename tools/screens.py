"""Screenshots of the real screens on a demo database, grabbed offscreen.

    python tools/screens.py --out /tmp/shots --size 1280x720 --size 1366x768
        every section (as each role) and every dialog, at each size; dialogs larger
        than the screen (less a taskbar of 40 px) are listed at the end
    python tools/screens.py --help-images resources/help
        the pictures of 帮助 › 使用说明 (one round per role), shipped with the program

Nothing here is part of the program: it drives the program's own windows."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USERS = {"agent": "agent123", "reviewer": "review123", "admin": "admin123", "zhanzhang": "station123"}
SECTIONS = ["home", "workers", "fees", "cases", "stats", "settings"]


def demo_store(folder: Path):
    from claims.demo import generate
    from claims.store import Store
    path = folder / "demo.db"
    if not path.exists():
        generate(path, workers=400, seed=3).close()
    return Store(path, "SHOT")


def window(store, username: str, size: tuple[int, int]):
    from ui.app import open_main_window
    win = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "screens", store=store,
                           actor=store.authenticate(username, USERS[username]))
    win.resize(*size)
    win.show()
    settle()
    return win


def settle(n: int = 8) -> None:
    from PySide6.QtWidgets import QApplication
    for _ in range(n):
        QApplication.processEvents()


def grab(widget, path: Path) -> None:
    settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))


def case_in(store, state: str):
    from claims.store import CaseFilter
    found = store.search_cases(CaseFilter(state=state), limit=1)
    return found[0] if found else None


def dialogs(win):
    """(name, factory) of every dialog a user opens from the sections."""
    from ui.cases.advances import AdvanceDialog
    from ui.cases.assessment import AssessmentDialog
    from ui.cases.decision import AppraisalDialog, DecisionDialog
    from ui.cases.documents import AttachDialog
    from ui.cases.intake import IntakeDialog
    from ui.cases.people_dialogs import ClaimantDialog, DeathDialog, DependantDialog, TreatmentEndDialog
    from ui.cases.report import ReportDialog
    from ui.fees.dialogs import NewDeclarationDialog
    from ui.login import LoginDialog
    from ui.workers.dialogs import EnrollDialog, OtherCoverDialog, PlatformDialog, StationDialog
    from ui.workers.worker_dialog import WorkerDialog
    ctx, s = win.ctx, win.ctx.store
    reported, investigating = case_in(s, "reported"), case_in(s, "investigating")
    appraisal, confirmed = case_in(s, "appraisal"), case_in(s, "confirmed") or case_in(s, "appraised")
    worker = s.search_workers(limit=1)[0]
    out = [("login_switch", lambda: LoginDialog(win, s, switching=True)),
           ("login_locked", lambda: LoginDialog(win, s, ctx.actor.username, locked=True)),
           ("worker_new", lambda: WorkerDialog(win, ctx)), ("worker_edit", lambda: WorkerDialog(win, ctx, worker)),
           ("enroll", lambda: EnrollDialog(win, ctx, worker)), ("other_cover", lambda: OtherCoverDialog(win, ctx, worker)),
           ("platform", lambda: PlatformDialog(win, ctx)), ("station", lambda: StationDialog(win, ctx)),
           ("report", lambda: ReportDialog(win, ctx)), ("declaration_new", lambda: NewDeclarationDialog(win, ctx))]
    if reported:
        out += [("intake", lambda: IntakeDialog(win, ctx, reported.id)),
                ("attach", lambda: AttachDialog(win, ctx, reported.id))]
    if investigating:
        out.append(("decision", lambda: DecisionDialog(win, ctx, investigating.id)))
    if appraisal:
        out.append(("appraisal", lambda: AppraisalDialog(win, ctx, appraisal.id)))
    if confirmed:
        out += [("assessment", lambda: AssessmentDialog(win, ctx, confirmed.id)),
                ("advance", lambda: AdvanceDialog(win, ctx, confirmed.id)),
                ("death", lambda: DeathDialog(win, ctx, confirmed.id)),
                ("claimant", lambda: ClaimantDialog(win, ctx, confirmed.id)),
                ("dependant", lambda: DependantDialog(win, ctx, confirmed.id)),
                ("treatment_end", lambda: TreatmentEndDialog(win, ctx, confirmed.id))]
    return out


def shoot_all(store, out: Path, size: tuple[int, int]) -> list[str]:
    tag, too_big = f"{size[0]}x{size[1]}", []
    usable = (size[0], size[1] - 40)  # a taskbar
    for user in USERS:
        win = window(store, user, size)
        for i, name in enumerate(SECTIONS):
            win.nav.setCurrentRow(i)
            sec = win.stack.currentWidget()
            settle(20)
            grab(win, out / tag / f"{user}_{i}_{name}.png")
            if name == "cases" and hasattr(sec, "tabs"):
                for t in range(1, sec.tabs.count()):
                    sec.tabs.setCurrentIndex(t)
                    grab(win, out / tag / f"{user}_{i}_{name}_tab{t}.png")
                sec.tabs.setCurrentIndex(0)
        if user == "agent":
            for name, make in dialogs(win):
                try:
                    dlg = make()
                except Exception as e:  # noqa: BLE001 - a dialog that cannot open here is listed, not fatal
                    too_big.append(f"{name}: 未能打开（{e}）")
                    continue
                dlg.show()
                settle()
                w, h = dlg.frameGeometry().width(), dlg.frameGeometry().height()
                if w > usable[0] or h > usable[1]:
                    too_big.append(f"{name}: {w}×{h} > {usable[0]}×{usable[1]}")
                grab(dlg, out / tag / f"dialog_{name}.png")
                if hasattr(dlg, "dirty"):
                    dlg.dirty = False
                dlg.done(0)
                dlg.deleteLater()
        win.idle_lock = None
        win.close()
        win.deleteLater()
        settle()
    return too_big


HELP = [  # (file, user, section index, what to show)
    ("zhanzhang_home.png", "zhanzhang", 0, None), ("zhanzhang_workers.png", "zhanzhang", 1, None),
    ("agent_cases.png", "agent", 3, None), ("agent_documents.png", "agent", 3, "documents"),
    ("reviewer_home.png", "reviewer", 0, None), ("reviewer_benefits.png", "reviewer", 3, "benefits"),
    ("admin_settings.png", "admin", 5, None), ("agent_intake.png", "agent", 3, "intake"),
]


def help_images(store, out: Path) -> None:
    from ui.cases.intake import IntakeDialog
    for file, user, index, what in HELP:
        win = window(store, user, (1280, 720))
        win.nav.setCurrentRow(index)
        sec = win.stack.currentWidget()
        settle(20)
        target = win
        if what in ("documents", "benefits"):
            c = (case_in(store, "assessed") or case_in(store, "paid")) if what == "benefits" else None
            if c is not None:
                sec.show_case(c.number)
                settle(30)
            sec.tabs.setCurrentWidget(getattr(sec, what))
        elif what == "intake":
            c = case_in(store, "reported")
            target = IntakeDialog(win, win.ctx, c.id)
            target.show()
        img = target.grab().scaledToWidth(960, mode=__import__("PySide6.QtCore", fromlist=["Qt"]).Qt
                                          .TransformationMode.SmoothTransformation)
        out.mkdir(parents=True, exist_ok=True)
        img.save(str(out / file), "PNG")
        shrink(out / file)
        if target is not win:
            target.done(0)
        win.close()
        win.deleteLater()
        settle()


def shrink(path: Path) -> None:
    """A palette of 256 colours: a screenshot stays sharp at a third of the size."""
    try:
        from PIL import Image
    except ImportError:
        return
    Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "zbt-shots")
    ap.add_argument("--size", action="append", default=[])
    ap.add_argument("--help-images", type=Path)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zbt-shots-db")
    args = ap.parse_args()
    os.environ.setdefault("ZHIBAOTONG_HOME", str(args.work / "home"))
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from ui.fonts import install_font
    install_font(app)
    args.work.mkdir(parents=True, exist_ok=True)
    store = demo_store(args.work)
    if args.help_images:
        help_images(store, args.help_images)
        return 0
    for size in args.size or ["1280x720", "1366x768"]:
        w, h = (int(x) for x in size.split("x"))
        for line in shoot_all(store, args.out, (w, h)):
            print("过大或未能打开：", line)
    print("已保存到", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
