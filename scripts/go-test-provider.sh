#!/usr/bin/env bash
# make test's run of the provider's package: go test -v "$@", streamed less
# the noise (one line per test as it ends), then one line counting skipped
# tests by reason, then go test's own ok/FAIL lines, last, as CI reads them.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp "${TMPDIR:-/tmp}/go-test-provider.XXXXXX")
trap 'rm -f "$log"' EXIT

go test -v "$@" 2>&1 | tee "$log" |
  grep --line-buffered -vE '^(=== (RUN|PAUSE|CONT|NAME)|\s+--- (PASS|SKIP)|PASS$|FAIL$|(ok|FAIL)\s)'
status=${PIPESTATUS[0]}
bash "$here/skip-summary.sh" "$log"
grep -E '^(ok|FAIL)(\s|$)' "$log"
exit "$status"
