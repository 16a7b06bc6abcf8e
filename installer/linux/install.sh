#!/bin/sh
# Install the unpacked 职保通 bundle for the current user (or under PREFIX):
#   ./install.sh            -> ~/.local/lib/zhibaotong, ~/.local/bin/zhibaotong, menu entry and icon
#   ./install.sh /opt/local -> the same under /opt/local (run as root)
# Uninstall: remove those four paths. The user's data folder (~/.local/share/zhibaotong) is never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-"$HOME/.local"}
dest="$prefix/lib/zhibaotong"
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/256x256/apps"
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$here/zhibaotong" "$here/_internal" "$dest/"
ln -sf "$dest/zhibaotong" "$prefix/bin/zhibaotong"
cp "$here/zhibaotong.png" "$prefix/share/icons/hicolor/256x256/apps/zhibaotong.png"
sed "s|^Exec=.*|Exec=$dest/zhibaotong|" "$here/zhibaotong.desktop" > "$prefix/share/applications/zhibaotong.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$prefix/share/applications" || true
echo "已安装到 $dest（命令：$prefix/bin/zhibaotong）"
