#!/usr/bin/env bash
# Checks what `make package` built (make package-check), reading the files rather than
# trusting the build:
#   - SHA256SUMS verifies every release file;
#   - the .deb, the .rpm and the .tar.xz unpack to the same files, with the binary,
#     desktop entry, AppStream metainfo and every icon size in place; the package
#     metadata carries the version; desktop-file-validate and appstreamcli pass;
#   - the packaged binary says the stamped version, lists its charsets and sends a
#     datagram to itself over loopback (scripts/smoke-cli.sh);
#   - sockdesk.exe is a Windows GUI program, sockdesk-cli.exe a console one, both
#     PE32+ with resources and the same stamp; setup.exe is a Windows program;
#   - packaging left the work tree as it found it (TREE_BEFORE: `git status
#     --porcelain --untracked-files=all` from before `make package`).
#   check-packages.sh [TREE_BEFORE]
# shellcheck disable=SC2154 # version, pkgversion, commit, date: set by eval below
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
DIST=${DIST:-dist}
APP_ID=io.github.sockdesk
eval "$(scripts/version.sh)"

fail() {
	echo "check-packages: $*" >&2
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

deb="$DIST/sockdesk_${pkgversion}-1_amd64.deb"
rpm="$DIST/sockdesk-${pkgversion}-1.x86_64.rpm"
tarball="$DIST/sockdesk-$version-linux-amd64.tar.xz"
gui="$DIST/sockdesk-$version-windows-amd64.exe"
cli="$DIST/sockdesk-cli-$version-windows-amd64.exe"
setup="$DIST/sockdesk-$version-setup.exe"
for f in "$deb" "$rpm" "$tarball" "$gui" "$cli" "$setup" "$DIST/SHA256SUMS"; do
	[ -s "$f" ] || fail "$f is missing (make package builds it)"
done

# Checksums: every release file is listed and matches.
(cd "$DIST" && sha256sum --strict -c SHA256SUMS) || fail "SHA256SUMS does not match"
for f in "$deb" "$rpm" "$tarball" "$gui" "$cli" "$setup"; do
	grep -q "  ${f##*/}\$" "$DIST/SHA256SUMS" || fail "SHA256SUMS does not list ${f##*/}"
done
echo "check-packages: SHA256SUMS verifies all 6 release files"

# The three Linux archives hold the same files with the same modes.
mkdir -p "$work/deb" "$work/rpm" "$work/tar"
dpkg-deb -x "$deb" "$work/deb"
rpm2cpio "$rpm" | (cd "$work/rpm" && cpio -idm --quiet)
tar -xJf "$tarball" -C "$work/tar"
listing() { (cd "$1" && find . \( -type f -o -type l \) -printf '%m %p\n' | sort); }
listing "$work/deb" >"$work/deb.list"
for other in rpm tar; do
	listing "$work/$other" >"$work/$other.list"
	diff -u "$work/deb.list" "$work/$other.list" || fail "the .deb and the .$other hold different files"
done
root="$work/deb"
want=(
	"755 ./usr/bin/sockdesk"
	"644 ./usr/share/applications/$APP_ID.desktop"
	"644 ./usr/share/metainfo/$APP_ID.metainfo.xml"
	"644 ./usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
)
sizes=(16 22 24 32 48 64 128 256 512)
for n in "${sizes[@]}"; do
	want+=("644 ./usr/share/icons/hicolor/${n}x$n/apps/$APP_ID.png")
done
diff -u <(printf '%s\n' "${want[@]}" | sort) "$work/deb.list" || fail "the packages do not hold exactly the expected files"
for n in "${sizes[@]}"; do
	$GO run scripts/pngcheck.go --size "$n" "$root/usr/share/icons/hicolor/${n}x$n/apps/$APP_ID.png" >/dev/null
done
echo "check-packages: .deb, .rpm and .tar.xz hold the same ${#want[@]} files: binary, desktop entry, metainfo, ${#sizes[@]} icon sizes and the SVG"

# Package metadata.
[ "$(dpkg-deb -f "$deb" Package)" = sockdesk ] || fail "$deb: Package is not sockdesk"
[ "$(dpkg-deb -f "$deb" Version)" = "$pkgversion-1" ] || fail "$deb: Version is not $pkgversion-1"
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "$deb: Architecture is not amd64"
dpkg-deb -f "$deb" Depends | grep -q libgl1 || fail "$deb: Depends lacks libgl1"
got=$(rpm -qp --nosignature --qf '%{NAME} %{VERSION}-%{RELEASE} %{ARCH}' "$rpm" 2>/dev/null)
[ "$got" = "sockdesk $pkgversion-1 x86_64" ] || fail "$rpm says \"$got\", want \"sockdesk $pkgversion-1 x86_64\""
rpm -qp --nosignature --requires "$rpm" 2>/dev/null | grep -qx libX11 || fail "$rpm: Requires lacks libX11"
echo "check-packages: the .deb and the .rpm are sockdesk $pkgversion-1 for amd64/x86_64"

# The standard validators.
desktop-file-validate "$root/usr/share/applications/$APP_ID.desktop" || fail "desktop-file-validate failed"
appstreamcli validate --no-net "$root/usr/share/metainfo/$APP_ID.metainfo.xml" ||
	fail "appstreamcli validate failed"
grep -q "<release version=\"$pkgversion\" date=\"${date%%T*}\"/>" "$root/usr/share/metainfo/$APP_ID.metainfo.xml" ||
	fail "the metainfo's release is not $pkgversion of ${date%%T*}"
echo "check-packages: desktop-file-validate and appstreamcli validate pass"

# The packaged program: the stamped version, and its command line over loopback.
scripts/smoke-cli.sh "$root/usr/bin/sockdesk" "sockdesk $version (commit ${commit:0:12}, $date)"

# Windows: the window and the console twin, and the installer.
$GO run scripts/pecheck.go gui "$gui"
$GO run scripts/pecheck.go console "$cli"
for exe in "$gui" "$cli"; do
	if ! grep -aqF "$version" "$exe" || ! grep -aqF "$commit" "$exe"; then
		fail "$exe lacks the version stamp $version $commit"
	fi
done
[ "$(head -c 2 "$setup")" = MZ ] || fail "$setup is not a Windows executable"
echo "check-packages: both Windows programs carry the stamp $version; the installer is a Windows executable"

# Packaging wrote only to dist/ and scratch folders.
if [ $# -ge 1 ]; then
	git status --porcelain --untracked-files=all | diff -u "$1" - ||
		fail "packaging changed the work tree (above: - before, + after)"
	echo "check-packages: the work tree is as it was before packaging"
fi
