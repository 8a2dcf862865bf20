#!/usr/bin/env bash
# Checks what `make package` built (make package-check): the .deb unpacks into a
# scratch root with the binary, desktop entry and icon where they belong, and the
# binary runs; the Windows programs are 64-bit GUI executables with resources.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
DIST=${DIST:-dist}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)

deb="$DIST/sockdesk_${version}_amd64.deb"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
for f in usr/bin/sockdesk usr/share/applications/io.github.sockdesk.desktop \
	usr/share/pixmaps/io.github.sockdesk.png usr/share/icons/hicolor/512x512/apps/io.github.sockdesk.png; do
	[ -s "$root/$f" ] || { echo "check-packages: $deb lacks /$f" >&2; exit 1; }
done
[ -x "$root/usr/bin/sockdesk" ] || { echo "check-packages: /usr/bin/sockdesk is not executable" >&2; exit 1; }
grep -q '^Exec=sockdesk' "$root/usr/share/applications/io.github.sockdesk.desktop"
grep -q '^Icon=io.github.sockdesk' "$root/usr/share/applications/io.github.sockdesk.desktop"
[ "$(dpkg-deb -f "$deb" Package)" = sockdesk ] && [ "$(dpkg-deb -f "$deb" Version)" = "$version" ]
# The packaged program works: its command line lists the charsets.
LC_ALL=en_US.UTF-8 "$root/usr/bin/sockdesk" charsets 2>/dev/null | grep -q '^GBK'
echo "check-packages: $deb installs /usr/bin/sockdesk, its desktop entry and icon; the binary runs"

for exe in "$DIST/sockdesk-$version-windows-amd64.exe" "$DIST/sockdesk-$version-setup.exe"; do
	[ -s "$exe" ] || { echo "check-packages: $exe missing" >&2; exit 1; }
done
$GO run scripts/pecheck.go "$DIST/sockdesk-$version-windows-amd64.exe"
# The installer is a Windows program too (32-bit is NSIS's own stub, which is fine).
head -c 2 "$DIST/sockdesk-$version-setup.exe" | grep -q MZ
echo "check-packages: the Windows installer is a Windows executable"
