#!/usr/bin/env bash
# Says which version this checkout builds, from git: the nearest v* tag, the commits
# since it, the commit and its date. Release builds, FyneApp metadata, the Windows
# version resource and the Linux packages all take their version from here, so
# FyneApp.toml's Version is never typed by hand.
#   version.sh            KEY=VALUE lines for eval:
#                           version     git describe without the "v": 0.2.0, 0.2.0-3-gabc1234[-dirty]
#                                       (no tag yet: 0.0.0-N-gHASH, N = all commits)
#                           numeric     x.y.z for FyneApp, Windows and NSIS: 0.2.0
#                           build       the number of commits (always grows): fyne's --app-build
#                           pkgversion  for .deb and .rpm: 0.2.0, 0.2.0+3.gabc1234[.dirty]
#                           commit      the full hash;  date  the commit's date, UTC RFC 3339
#   version.sh --ldflags  the -X flags that stamp internal/version (empty outside git)
#   version.sh --goflags  the same as GOFLAGS fields (-ldflags=-X=...), which fyne passes on
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=github.com/sockdesk/sockdesk/internal/version

if ! git rev-parse --git-dir >/dev/null 2>&1; then
	case "${1:-}" in
	--ldflags | --goflags) exit 0 ;; # an unstamped build says "dev"
	esac
	echo "version.sh: not a git checkout: the version comes from git tags" >&2
	exit 1
fi

commit=$(git rev-parse HEAD)
date=$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd)
build=$(git rev-list --count HEAD)
if described=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	version=${described#v}
else
	dirty=""
	git diff --quiet HEAD -- 2>/dev/null || dirty="-dirty"
	version="0.0.0-$build-g$(git rev-parse --short=7 HEAD)$dirty"
fi

# Split "1.2.3[-rc1][-N-gHASH][-dirty]" into its parts.
rest=$version
dirty=""
if [[ $rest == *-dirty ]]; then
	dirty=.dirty
	rest=${rest%-dirty}
fi
since=""
if [[ $rest =~ ^(.*)-([0-9]+)-g([0-9a-f]+)$ ]]; then
	rest=${BASH_REMATCH[1]}
	since="${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}"
fi
if ! [[ $rest =~ ^([0-9]+\.[0-9]+\.[0-9]+)(-[0-9A-Za-z.]+)?$ ]]; then
	echo "version.sh: tag v$rest is not vMAJOR.MINOR.PATCH[-PRERELEASE]" >&2
	exit 1
fi
numeric=${BASH_REMATCH[1]}
# A pre-release sorts before its release in dpkg and rpm with "~".
pkgversion=$numeric${BASH_REMATCH[2]:+~${BASH_REMATCH[2]#-}}
if [ -n "$since$dirty" ]; then
	pkgversion="$pkgversion+${since:-0}$dirty"
fi

case "${1:-}" in
--ldflags)
	echo "-X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date"
	;;
--goflags)
	echo "-ldflags=-X=$pkg.Version=$version -ldflags=-X=$pkg.Commit=$commit -ldflags=-X=$pkg.Date=$date"
	;;
"")
	printf '%s=%s\n' version "$version" numeric "$numeric" build "$build" pkgversion "$pkgversion" \
		commit "$commit" date "$date"
	;;
*)
	echo "usage: version.sh [--ldflags | --goflags]" >&2
	exit 2
	;;
esac
