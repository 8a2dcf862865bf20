#!/usr/bin/env bash
# Builds Sockdesk's installers into dist/ (make package):
#   package.sh linux     dist/sockdesk-VERSION-linux-amd64.tar.xz and sockdesk_VERSION_amd64.deb
#   package.sh windows   dist/sockdesk-VERSION-windows-amd64.exe and sockdesk-VERSION-setup.exe
# The fyne CLI packs the desktop entry, icon and (on Windows) version resources
# from FyneApp.toml. Windows is cross-compiled with mingw-w64 and wrapped by NSIS.
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_VERSION=v1.7.4
GO=${GO:-go}
DIST=${DIST:-dist}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
[ -n "$version" ] || { echo "package: no Version in FyneApp.toml" >&2; exit 1; }
mkdir -p "$DIST"

fyne_cli() {
	local bin
	bin="$($GO env GOPATH)/bin/fyne"
	if ! "$bin" version 2>/dev/null | grep -q "cli version: $FYNE_VERSION"; then
		GOFLAGS= $GO install "fyne.io/tools/cmd/fyne@$FYNE_VERSION" >&2
	fi
	echo "$bin"
}

# stage copies the source (tracked and untracked, not ignored) to a scratch folder:
# `fyne package` writes generated files next to the code while it builds, and they
# must not land in the work tree.
stage() {
	local dir
	dir=$(mktemp -d)
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dir"
	echo "$dir"
}

linux() {
	local fyne tarball
	fyne=$(fyne_cli)
	mkdir -p bin/release
	# Stripped of debug symbols: a third of the size, same code.
	$GO build -ldflags "-s -w" -o bin/release/sockdesk .
	"$fyne" package -os linux --exe bin/release/sockdesk --name Sockdesk --app-version "$version"
	tarball="$DIST/sockdesk-$version-linux-amd64.tar.xz"
	mv Sockdesk.tar.xz "$tarball"
	echo "$tarball"
	packaging/linux/make-deb.sh "$tarball" "$version" "$DIST"
}

windows() {
	local fyne src exe setup
	fyne=$(fyne_cli)
	src=$(stage)
	trap 'rm -rf "$src"' RETURN
	(cd "$src" && CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		"$fyne" package -os windows --name Sockdesk --app-version "$version" --release)
	exe="$DIST/sockdesk-$version-windows-amd64.exe"
	mv "$src/Sockdesk.exe" "$exe"
	echo "$exe"
	setup="$DIST/sockdesk-$version-setup.exe"
	makensis -V2 -DVERSION="$version" -DEXE="$PWD/$exe" -DOUTFILE="$PWD/$setup" packaging/windows/installer.nsi >&2
	echo "$setup"
}

case "${1:-}" in
linux) linux ;;
windows) windows ;;
*)
	echo "usage: package.sh linux|windows" >&2
	exit 2
	;;
esac
