#!/usr/bin/env bash
# Runs an installed or packaged sockdesk's command line the way a person would:
# --version, charsets, and one datagram over loopback from `udp send` to
# `udp listen`. make package-check runs it on the .deb's binary; the release
# workflow on the macOS .app's (Windows has the same steps in PowerShell).
#   smoke-cli.sh PATH/TO/sockdesk [EXPECTED_VERSION_LINE]
set -euo pipefail
bin=$1
fail() {
	echo "smoke-cli: $*" >&2
	exit 1
}
out=$(mktemp)
trap 'rm -f "$out"; [ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true' EXIT

line=$("$bin" --version 2>/dev/null) || fail "$bin --version failed"
if [ $# -ge 2 ]; then
	[ "$line" = "$2" ] || fail "--version printed \"$line\", want \"$2\""
fi
"$bin" charsets 2>/dev/null | grep -q '^GBK' || fail "charsets does not list GBK"

# Listen on a free loopback port for one datagram; the listening event names the port.
"$bin" udp listen --bind 127.0.0.1 --port 0 --count 1 --timeout 30s --json >"$out" 2>/dev/null &
pid=$!
port=""
for _ in $(seq 150); do
	port=$(sed -n 's/.*"event":"listening".*"local":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$out")
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || fail "udp listen ended before listening: $(cat "$out")"
	sleep 0.2
done
[ -n "$port" ] || fail "udp listen did not say where it listens within 30s"
message="smoke-$$"
"$bin" udp send --to "127.0.0.1:$port" "$message" >/dev/null 2>&1 || fail "udp send failed"
wait "$pid" || fail "udp listen exited with status $?"
pid=""
grep -q "\"event\":\"received\".*\"text\":\"$message\"" "$out" || fail "udp listen did not show \"$message\": $(cat "$out")"
echo "smoke-cli: $line; charsets listed; a datagram went from udp send to udp listen on 127.0.0.1:$port"
