#!/usr/bin/env bash
# Stands in for the go command while `fyne package -os windows` builds (it runs $GO):
# each `go build` fyne runs with -H=windowsgui in its -ldflags is followed by the
# same build without it, written to $CONSOLE_EXE. The console twin (sockdesk-cli.exe)
# thus gets the window build's resources (icon, version, manifest), fyne metadata,
# tags and C flags, and reuses every package the first build compiled: only main is
# linked twice. Any other go command passes straight through.
#   GO=scripts/go-console-twin.sh CONSOLE_EXE=/abs/sockdesk-cli.exe [REAL_GO=go] fyne package -os windows ...
set -euo pipefail
go=${REAL_GO:-go}
"$go" "$@"
[ "${1:-}" = build ] && [ -n "${CONSOLE_EXE:-}" ] || exit 0

args=()
gui=false
out=false
prev=""
for arg in "$@"; do
	case $prev in
	-ldflags)
		if [[ " $arg " == *" -H=windowsgui "* ]]; then
			gui=true
			arg=$(echo " $arg " | sed 's/ -H=windowsgui / /; s/^ *//; s/ *$//')
		fi
		;;
	-o)
		arg=$CONSOLE_EXE
		out=true
		;;
	esac
	args+=("$arg")
	prev=$arg
done
$gui || exit 0
$out || { echo "go-console-twin: the window build has no -o: nowhere to put the twin" >&2; exit 1; }
echo "go-console-twin: building the console twin $CONSOLE_EXE" >&2
exec "$go" "${args[@]}"
