#!/usr/bin/env bash
# Builds Sockdesk's release files into dist/ (make package), named after the version
# git gives (scripts/version.sh; VERSION below, PKGVER the .deb/.rpm form of it):
#   package.sh linux    sockdesk_PKGVER-1_amd64.deb, sockdesk-PKGVER-1.x86_64.rpm (nfpm)
#                       and sockdesk-VERSION-linux-amd64.tar.xz, all three holding the
#                       same files: binary, desktop entry, AppStream metainfo, icons
#   package.sh windows  sockdesk-VERSION-setup.exe (NSIS) and the two programs it
#                       installs: sockdesk-VERSION-windows-amd64.exe (the window) and
#                       sockdesk-cli-VERSION-windows-amd64.exe (the console twin)
#   package.sh darwin   sockdesk-VERSION-macos.dmg (on macOS only)
#   package.sh sums     SHA256SUMS over this version's files in dist/
#   package.sh files    lists this version's file names for the current platform set
# fyne package builds each program (release flags, fyne metadata, Windows resources)
# in a scratch copy of the source: it writes generated files beside the code and
# bumps FyneApp.toml's Build, and neither may touch the work tree. The version comes
# in on fyne's command line (--app-version, --app-build) and as -X stamps (GOFLAGS).
# shellcheck disable=SC2154 # version, numeric, build, pkgversion, date: set by eval below
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_VERSION=v1.7.4
APP_ID=io.github.sockdesk
GO=${GO:-go}
DIST=${DIST:-dist}
NFPM=${NFPM:-$($GO env GOPATH)/bin/nfpm}
eval "$(scripts/version.sh)" # version numeric build pkgversion commit date

deb_file="sockdesk_${pkgversion}-1_amd64.deb"
rpm_file="sockdesk-${pkgversion}-1.x86_64.rpm"
tar_file="sockdesk-$version-linux-amd64.tar.xz"
gui_file="sockdesk-$version-windows-amd64.exe"
cli_file="sockdesk-cli-$version-windows-amd64.exe"
setup_file="sockdesk-$version-setup.exe"
dmg_file="sockdesk-$version-macos.dmg"

fyne_cli() {
	local bin
	bin="$($GO env GOPATH)/bin/fyne"
	if ! "$bin" version 2>/dev/null | grep -q "cli version: $FYNE_VERSION"; then
		GOFLAGS='' $GO install "fyne.io/tools/cmd/fyne@$FYNE_VERSION" >&2
	fi
	echo "$bin"
}

# stage copies the source (tracked and untracked, not ignored, as they are in the
# work tree) to a scratch folder.
stage() {
	local dir f
	dir=$(mktemp -d)
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			if [ -e "$f" ]; then printf '%s\0' "$f"; fi
		done |
		tar -c -f - --null -T - | tar -x -f - -C "$dir"
	echo "$dir"
}

# fyne_package SRC OS [VAR=VALUE...] -- [FLAG...] runs fyne package for OS in SRC,
# in release mode, with the environment given and the version from git stamped into
# the binary and its metadata.
fyne_package() {
	local src=$1 os=$2 fyne goflags envs=()
	shift 2
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	fyne=$(fyne_cli)
	goflags=$(scripts/version.sh --goflags)
	(cd "$src" && env GOFLAGS="${GOFLAGS:-} $goflags" ${envs[@]+"${envs[@]}"} "$fyne" package -os "$os" --release \
		--name Sockdesk --app-id "$APP_ID" --app-version "$numeric" --app-build "$build" "$@")
}

linux() {
	local src work root bin
	src=$(stage)
	work=$(mktemp -d)
	trap 'rm -rf "$src" "$work"' RETURN
	fyne_package "$src" linux --
	mkdir -p "$work/fyne"
	tar -xJf "$src/Sockdesk.tar.xz" -C "$work/fyne"
	bin=$(find "$work/fyne" -path '*/bin/sockdesk' -type f)
	[ -n "$bin" ] || { echo "package: no bin/sockdesk in fyne's archive" >&2; return 1; }

	root="$work/root"
	install -Dm0755 "$bin" "$root/usr/bin/sockdesk"
	install -Dm0644 "packaging/linux/$APP_ID.desktop" "$root/usr/share/applications/$APP_ID.desktop"
	mkdir -p "$root/usr/share/metainfo"
	sed -e "s/@VERSION@/$pkgversion/" -e "s/@DATE@/${date%%T*}/" \
		"packaging/linux/$APP_ID.metainfo.xml.in" >"$root/usr/share/metainfo/$APP_ID.metainfo.xml"
	$GO run scripts/icons.go resources/icon.png resources/icon.svg "$APP_ID" "$root"

	mkdir -p "$DIST"
	ROOT="$root" PKG_VERSION="$pkgversion" "$NFPM" pkg --config packaging/linux/nfpm.yaml \
		--packager deb --target "$DIST/$deb_file" >&2
	ROOT="$root" PKG_VERSION="$pkgversion" "$NFPM" pkg --config packaging/linux/nfpm.yaml \
		--packager rpm --target "$DIST/$rpm_file" >&2
	# The same tree for other distributions: tar -xJf FILE -C ~/.local --strip-components=1
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$date" \
		-cJf "$DIST/$tar_file" -C "$root" usr
	printf '%s\n' "$DIST/$deb_file" "$DIST/$rpm_file" "$DIST/$tar_file"
}

windows() {
	local src
	src=$(stage)
	trap 'rm -rf "$src"' RETURN
	# With an executable already there fyne builds once (with the resources) instead
	# of building, adding the resources and building again.
	: >"$src/sockdesk.exe"
	fyne_package "$src" windows CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		GO="$PWD/scripts/go-console-twin.sh" REAL_GO="$GO" CONSOLE_EXE="$src/sockdesk-cli.exe" \
		-- --exe sockdesk.exe
	mkdir -p "$DIST"
	cp "$src/Sockdesk.exe" "$DIST/$gui_file"
	cp "$src/sockdesk-cli.exe" "$DIST/$cli_file"
	makensis -V2 -DVERSION="$version" -DNUMERIC="$numeric" -DBUILD="$build" \
		-DGUI_EXE="$PWD/$DIST/$gui_file" -DCLI_EXE="$PWD/$DIST/$cli_file" \
		-DOUTFILE="$PWD/$DIST/$setup_file" packaging/windows/installer.nsi >&2
	printf '%s\n' "$DIST/$gui_file" "$DIST/$cli_file" "$DIST/$setup_file"
}

darwin() {
	local src dmg
	src=$(stage)
	trap 'rm -rf "$src"' RETURN
	fyne_package "$src" darwin --
	dmg="$src/dmg"
	mkdir -p "$dmg" "$DIST"
	cp -R "$src/Sockdesk.app" "$dmg/"
	ln -s /Applications "$dmg/Applications"
	hdiutil create -volname Sockdesk -srcfolder "$dmg" -ov -format UDZO "$DIST/$dmg_file" >&2
	echo "$DIST/$dmg_file"
}

# files lists this version's release files that exist in dist/.
files() {
	local f
	for f in "$deb_file" "$rpm_file" "$tar_file" "$gui_file" "$cli_file" "$setup_file" "$dmg_file"; do
		[ -e "$DIST/$f" ] && echo "$f"
	done
	return 0
}

sums() {
	local list
	list=$(files)
	[ -n "$list" ] || { echo "package: nothing for $version in $DIST to sum" >&2; return 1; }
	# shellcheck disable=SC2086 # one name per word; the names have no spaces
	(cd "$DIST" && sha256sum $list >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
	echo "$DIST/SHA256SUMS"
}

case "${1:-}" in
linux | windows | darwin | sums | files) "$1" ;;
*)
	echo "usage: package.sh linux|windows|darwin|sums|files" >&2
	exit 2
	;;
esac
