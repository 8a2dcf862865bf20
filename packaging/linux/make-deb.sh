#!/usr/bin/env bash
# Builds a .deb from the archive `fyne package -os linux` made, so that
# `apt install ./sockdesk_VERSION_amd64.deb` installs Sockdesk with its menu entry.
#   make-deb.sh FYNE_TARBALL VERSION OUTDIR
set -euo pipefail
tarball=$1 version=$2 outdir=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -xJf "$tarball" -C "$work"
src="$work/sockdesk/usr/local"
root="$work/root"
install -Dm0755 "$src/bin/sockdesk" "$root/usr/bin/sockdesk"
install -Dm0644 "$src/share/applications/io.github.sockdesk.desktop" "$root/usr/share/applications/io.github.sockdesk.desktop"
install -Dm0644 "$src/share/pixmaps/io.github.sockdesk.png" "$root/usr/share/pixmaps/io.github.sockdesk.png"
install -Dm0644 "$src/share/pixmaps/io.github.sockdesk.png" "$root/usr/share/icons/hicolor/512x512/apps/io.github.sockdesk.png"

mkdir -p "$root/DEBIAN"
size=$(du -sk "$root/usr" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: sockdesk
Version: $version
Architecture: amd64
Maintainer: Sockdesk developers <sockdesk@users.noreply.github.com>
Installed-Size: $size
Depends: libc6, libgl1, libx11-6, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1
Recommends: fonts-noto-cjk | fonts-wqy-microhei
Section: net
Priority: optional
Homepage: https://github.com/sockdesk/sockdesk
Description: workbench for UDP and TCP sockets (网络调试助手)
 Send and receive UDP datagrams, broadcast, connect as a TCP client, run a
 TCP server for many clients, with the charset (UTF-8, GBK, GB18030, Big5,
 Shift_JIS, EUC-KR, ...) chosen per session. Desktop app and command line.
CONTROL

mkdir -p "$outdir"
out="$outdir/sockdesk_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out"
