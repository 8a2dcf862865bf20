#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages named on the command line that are not installed
# yet; does nothing when all are there, or when this is not a Debian-like system (then
# it says what to install by hand).
#   ensure-debs.sh PKG...               install the missing ones
#   ensure-debs.sh --cjk-font PKG       install PKG only if no CJK font is present at all
set -euo pipefail

if [ "${1:-}" = "--cjk-font" ]; then
	shift
	if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
		exit 0
	fi
fi

missing=()
for pkg in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$pkg")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-debs: not a Debian/Ubuntu system; install the equivalents of: ${missing[*]}" >&2
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
echo "ensure-debs: installing ${missing[*]}"
$sudo apt-get update -qq
# Another apt run (a second checkout's make, say) holds the lock for a while: wait.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	-o DPkg::Lock::Timeout=600 "${missing[@]}"
