"""Build the installable bundle for the operating system this runs on.

    python installer/build.py [--dist DIR] [--work DIR] [--clean] [--no-archive]

1. PyInstaller (installer/zhibaotong.spec) makes the one-folder bundle
   DIST/zhibaotong/ with the executable zhibaotong (zhibaotong.exe and
   zhibaotong-cli.exe on Windows).
2. Prints its size, and what takes the most room.
3. Packs it:
   Linux/macOS  DIST/zhibaotong-<version>-<os>-<machine>.tar.gz (with the .desktop
                entry, the icon and install.sh on Linux), and prints its size.
   Windows      DIST/zhibaotong-<version>-setup.exe with Inno Setup (installer/windows/
                zhibaotong.iss) when ISCC.exe is found; otherwise prints the command.
The version comes from pyproject.toml, the single source.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
NAME = "zhibaotong"
MB = 1_000_000


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def executable(bundle: Path) -> Path:
    return bundle / (NAME + ".exe" if sys.platform == "win32" else NAME)


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def largest(bundle: Path, n: int = 10) -> list[tuple[int, str]]:
    """The biggest items one level inside _internal (and inside PySide6/Qt): what to look at first."""
    internal = bundle / "_internal"
    items: list[tuple[int, str]] = []
    for top in (internal, internal / "PySide6", internal / "PySide6" / "Qt"):
        if not top.is_dir():
            continue
        for child in top.iterdir():
            if child.name in ("PySide6", "Qt") and child.parent in (internal, internal / "PySide6"):
                continue  # listed by its parts
            if child.is_symlink():
                continue
            size = tree_size(child) if child.is_dir() else child.stat().st_size
            items.append((size, str(child.relative_to(bundle)).replace("\\", "/")))
    return sorted(items, reverse=True)[:n]


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> None:
    cmd = [sys.executable, "-m", "PyInstaller", str(INSTALLER / "zhibaotong.spec"), "--noconfirm",
           "--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    if clean:
        cmd.append("--clean")
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def strip_debug(bundle: Path) -> int:
    """Remove debug information where some was left in (a Python built from
    source, like pyenv's: libpython 23 MB -> 6 MB; kiwisolver 5 MB -> 0.2 MB).
    Libraries that wheels vendor in `<package>.libs/` are left alone: they were
    rewritten by auditwheel, and stripping numpy's OpenBLAS breaks it."""
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if not (strip and readelf) or not sys.platform.startswith("linux"):
        return 0
    targets = []
    for f in sorted((bundle / "_internal").rglob("*.so*")):
        if f.is_symlink() or not f.is_file() or any(p.endswith(".libs") for p in f.parts):
            continue
        sections = subprocess.run([readelf, "-S", "-W", str(f)], capture_output=True, text=True).stdout
        if ".debug_info" in sections:
            targets.append(f)
    before = sum(f.stat().st_size for f in targets)
    if targets:
        subprocess.run([strip, "--strip-debug", *map(str, targets)], check=True)
    return before - sum(f.stat().st_size for f in targets)


def make_tarball(bundle: Path, dist: Path, version: str) -> Path:
    system = "macos" if sys.platform == "darwin" else sys.platform.rstrip("0123456789")
    machine = platform.machine().lower().replace("amd64", "x86_64")
    top = f"{NAME}-{version}"
    out = dist / f"{top}-{system}-{machine}.tar.gz"
    extras: list[tuple[Path, str, int]] = []
    if system == "linux":
        extras = [(INSTALLER / "linux" / "zhibaotong.desktop", "zhibaotong.desktop", 0o644),
                  (INSTALLER / "linux" / "install.sh", "install.sh", 0o755),
                  (ROOT / "resources" / "icons" / "zhibaotong.png", "zhibaotong.png", 0o644)]

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top, filter=normalise)
        for src, name, mode in extras:
            info = normalise(tar.gettarinfo(str(src), arcname=f"{top}/{name}"))
            info.mode = mode
            with src.open("rb") as f:
                tar.addfile(info, f)
    return out


def find_iscc() -> str | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"), os.environ.get("LOCALAPPDATA")):
        if base:
            for sub in ("Inno Setup 6", "Programs/Inno Setup 6"):
                cand = Path(base) / sub / "ISCC.exe"
                if cand.is_file():
                    return str(cand)
    return None


def make_windows_setup(bundle: Path, dist: Path, version: str) -> Path | None:
    nums = ".".join((version.split(".") + ["0", "0", "0"])[:4])
    defines = [f"/DAppVersion={version}", f"/DAppVersionNumeric={nums}", f"/DSourceDir={bundle}",
               f"/DOutputDir={dist}", f"/DIconFile={ROOT / 'resources' / 'icons' / 'zhibaotong.ico'}"]
    script = INSTALLER / "windows" / "zhibaotong.iss"
    iscc = find_iscc()
    if not iscc:
        print("Inno Setup (ISCC.exe) not found; install Inno Setup 6 and run:\n  ISCC "
              + " ".join(f'"{d}"' for d in defines) + f' "{script}"')
        return None
    subprocess.run([iscc, "/Q", *defines, str(script)], check=True)
    return dist / f"{NAME}-{version}-setup.exe"


def robust_output() -> None:
    """Print Chinese whatever the console or pipe can take. On an English Windows, output
    into a pipe or a file is encoded with code page 1252, which has no Chinese: the first
    Chinese line raised UnicodeEncodeError after PyInstaller had finished, and Inno Setup
    never ran. UTF-8 (the CI logs, a modern terminal), anything unencodable replaced."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    robust_output()
    p = argparse.ArgumentParser(description="Build the 职保通 bundle for this operating system.")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    p.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default: build/)")
    p.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    p.add_argument("--no-archive", action="store_true", help="only the folder: no tarball or Windows setup")
    args = p.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    version = project_version()

    t0 = time.perf_counter()
    run_pyinstaller(dist, work, args.clean)
    bundle = dist / NAME
    exe = executable(bundle)
    if not exe.is_file():
        print(f"build failed: {exe} is missing", file=sys.stderr)
        return 1
    saved = strip_debug(bundle)
    built = time.perf_counter() - t0
    size = tree_size(bundle)
    files = sum(1 for f in bundle.rglob("*") if f.is_file())
    print(f"\n职保通 {version}: {exe}")
    print(f"bundle: {size / MB:.1f} MB in {files} files, built in {built:.0f} s"
          + (f" (after stripping debug information: -{saved / MB:.1f} MB)" if saved else ""))
    print("largest parts:")
    for n, rel in largest(bundle):
        print(f"  {n / MB:7.1f} MB  {rel}")

    if args.no_archive:
        return 0
    t1 = time.perf_counter()
    if sys.platform == "win32":
        setup = make_windows_setup(bundle, dist, version)
        if setup and setup.is_file():
            print(f"installer: {setup} {setup.stat().st_size / MB:.1f} MB ({time.perf_counter() - t1:.0f} s)")
    else:
        tarball = make_tarball(bundle, dist, version)
        print(f"tarball: {tarball} {tarball.stat().st_size / MB:.1f} MB compressed "
              f"({time.perf_counter() - t1:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
