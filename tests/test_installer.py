"""Issue 9: the bundle an office PC runs without Python.

Builds the one-folder bundle with `installer/build.py` into a temporary folder,
then runs the built executable the way a clerk's PC would: from an unrelated
folder, with no virtual environment or source tree on PATH/PYTHONPATH and a
fresh data folder. If the bundle lacked a data file, a font or a module, one
of these commands fails.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

import pytest

from tests.pdfcheck import fonts_not_embedded

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WINDOWS = sys.platform == "win32"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: pip install -e '.[build]' (the installer test needs it)")
    prebuilt = os.environ.get("ZHIBAOTONG_PREBUILT_DIST")
    if prebuilt:  # the Windows check (installer/windows/check.sh) built it once, with build.py, beforehand
        dist = Path(prebuilt)
        log = (dist / "build.log").read_text(encoding="utf-8")
        assert "bundle:" in log and " MB" in log, log
        return dist, log
    out = tmp_path_factory.mktemp("installer")
    proc = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"),
                           "--dist", str(out / "dist"), "--work", str(out / "work")],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert "bundle:" in proc.stdout and " MB" in proc.stdout, proc.stdout  # the build reports its size
    return out / "dist", proc.stdout


@pytest.fixture(scope="module")
def exe(built):
    dist, _log = built
    path = dist / "zhibaotong" / ("zhibaotong-cli.exe" if WINDOWS else "zhibaotong")
    assert path.is_file()
    return path


def clean_env(home: Path) -> dict[str, str]:
    """What a PC without Python has: system PATH only, no PYTHON* variables, no venv."""
    venv = Path(sys.prefix).resolve()
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and not Path(p).resolve().is_relative_to(venv) and not Path(p).resolve().is_relative_to(ROOT)]
    env = {"PATH": os.pathsep.join(path), "HOME": str(home), "ZHIBAOTONG_HOME": str(home / "data"),
           "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    for keep in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA", "APPDATA"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


@pytest.fixture(scope="module")
def run(exe, tmp_path_factory):
    cwd = tmp_path_factory.mktemp("office-pc")

    def _run(*args, timeout=120):
        return subprocess.run([str(exe), *map(str, args)], cwd=cwd, env=clean_env(cwd), capture_output=True,
                              text=True, encoding="utf-8", timeout=timeout)
    _run.cwd = cwd
    return _run


def test_version_from_pyproject(run):
    p = run("--version")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"职保通 {VERSION}"


def test_demo_list_and_print_a_benefit_notice(run):
    db = run.cwd / "d.db"
    p = run("demo", "--db", db, "--workers", 200)
    assert p.returncode == 0, p.stderr
    assert "人员 200" in p.stdout

    p = run("list", "cases", "--db", db, "--state", "assessed")
    assert p.returncode == 0, p.stderr
    case = p.stdout.split()[0]

    pdf = run.cwd / "out.pdf"
    p = run("print", "benefit_notice", "--db", db, "--id", case, "-o", pdf)
    log = run.cwd / "data" / "logs" / "zhibaotong.log"
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if p.returncode != 0 and ("尚未" in p.stderr or "not implemented" in p.stderr.lower()
                              or "No module named 'claims.printing'" in log_text):
        pytest.skip("print: the document builder is not there yet: " + p.stderr.strip())
    assert p.returncode == 0, p.stderr + log_text[-3000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert fonts_not_embedded(pdf) == []


def test_gui_starts_offscreen(exe, run, tmp_path):
    """The GUI half of the bundle (Qt platform plugin, ui package, fonts) loads:
    the program is still running (at the login dialog) after a few seconds, and
    nothing was logged as a failure."""
    db = tmp_path / "gui.db"
    assert run("init", "--db", db).returncode == 0
    gui = exe.with_name("zhibaotong.exe") if WINDOWS else exe
    home = tmp_path / "home"
    proc = subprocess.Popen([str(gui), "--db", str(db)], cwd=tmp_path, env=clean_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        time.sleep(4)
        alive = proc.poll() is None
    finally:
        proc.kill()
        _out, err = proc.communicate(timeout=30)
    log = home / "data" / "logs" / "zhibaotong.log"
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    assert alive, f"exit {proc.returncode}: {err[-3000:]}{log_text[-3000:]}"
    assert "Traceback" not in log_text and "ERROR" not in log_text, log_text[-3000:]
    assert "could not load the Qt platform plugin" not in err.lower(), err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the tarball is the Linux package")
def test_linux_tarball(built):
    dist, log = built
    tarball = dist / f"zhibaotong-{VERSION}-linux-x86_64.tar.gz"
    assert tarball.is_file(), log
    assert "compressed" in log
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        top = f"zhibaotong-{VERSION}"
        for member in ("zhibaotong", "zhibaotong.desktop", "zhibaotong.png", "install.sh",
                       "_internal/pyproject.toml", "_internal/resources/fonts/wqy-microhei.ttc",
                       "_internal/resources/icons/zhibaotong.svg"):
            assert f"{top}/{member}" in names, member
        assert tar.getmember(f"{top}/zhibaotong").mode & 0o111
        desktop = tar.extractfile(f"{top}/zhibaotong.desktop").read().decode("utf-8")
    assert "Name=职保通" in desktop and "Exec=zhibaotong" in desktop and "Icon=zhibaotong" in desktop


def test_bundle_carries_qtpdf_for_the_print_preview(built):
    dist, _log = built
    libs = [p.name for p in (dist / "zhibaotong").rglob("*") if "Qt6Pdf" in p.name or "QtPdf." in p.name]
    assert any("Qt6Pdf" in n for n in libs) and any(n.startswith("QtPdf.") for n in libs), libs


@pytest.mark.skipif(not WINDOWS, reason="opengl32sw.dll is Qt's Windows software OpenGL")
def test_windows_bundle_leaves_out_software_opengl(built):
    """20 MB that QtWidgets never loads: the program runs without it (the Windows check starts it)."""
    dist, _log = built
    assert not list((dist / "zhibaotong").rglob("opengl32sw.dll"))
    assert (dist / "zhibaotong" / "zhibaotong-cli.exe").is_file() and (dist / "zhibaotong" / "zhibaotong.exe").is_file()
