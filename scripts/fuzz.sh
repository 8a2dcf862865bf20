#!/usr/bin/env bash
# make fuzz: run each of netio's fuzz targets for a bounded time.
#
#   scripts/fuzz.sh FUZZTIME MINIMIZETIME TARGET...
#
# A target fails when go test fails and wrote a failing input to
# netio/testdata/fuzz/TARGET/ (commit it with the fix). Go 1.26's fuzz coordinator
# can also fail a run at the very end of -fuzztime with a bare "context deadline
# exceeded" and no input (go.dev/issue/75804, fixed in Go 1.27); that is reported
# and not counted as a failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
GO=${GO:-go}
fuzztime=$1 minimize=$2
shift 2
failed=()
for target in "$@"; do
	dir=netio/testdata/fuzz/$target
	before=$(ls "$dir" 2>/dev/null)
	out=$(mktemp)
	echo "== $target ($fuzztime)"
	if "$GO" test ./netio -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" 2>&1 | tee "$out"; then
		rm -f "$out"
		continue
	fi
	if [ "$(ls "$dir" 2>/dev/null)" = "$before" ] && grep -q '^    context deadline exceeded$' "$out"; then
		echo "== $target: no failing input; the coordinator's own deadline (go.dev/issue/75804), not a failure"
	else
		failed+=("$target")
	fi
	rm -f "$out"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: failed: ${failed[*]} (failing inputs are in netio/testdata/fuzz/)"
	exit 1
fi
echo "fuzz: all targets passed"
