#!/usr/bin/env bash
# Runs the provider's CLI-driven tests (./internal/provider, data sources
# included) once per CLI, stopping at the first failure:
#
#   scripts/test-matrix.sh path terraform:v1.5.7 tofu:v1.12.6 ...
#
# "path" is the Terraform on PATH, "tofu:path" the OpenTofu on PATH (as the
# GitHub workflow installs them); NAME:VERSION is a pinned CLI that
# scripts/cli.sh builds once and caches (scripts/cli-path.sh). Each run is
# labelled with its CLI and version and counts its skipped tests by reason;
# the last line sums them up.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -gt 0 ]] || { echo "usage: $0 path|terraform:path|tofu:path|terraform:vX.Y.Z|tofu:vX.Y.Z ..." >&2; exit 2; }
pkg=${MATRIX_PACKAGE:-./internal/provider/}
logs=$(mktemp -d "${TMPDIR:-/tmp}/test-matrix.XXXXXX")
summary=()
passed=0 skipped=0

for cli in "$@"; do
  bin=$(bash scripts/cli-path.sh "$cli")
  name=$(basename "$bin")
  label="$name $(bash scripts/cli-version.sh "$bin")"
  printf '\n==== test-matrix: %s (%s)\n' "$label" "$bin"
  env=(TF_ACC_TERRAFORM_PATH="$bin")
  # OpenTofu's init refuses the testing framework's default "-" namespace,
  # and resolves a provider named without a host (import-block steps) on its
  # own registry: serve the provider under that address.
  [[ $name == tofu ]] && env+=(TF_ACC_PROVIDER_NAMESPACE=hashicorp TF_ACC_PROVIDER_HOST=registry.opentofu.org)
  log=$logs/${label// /-}.log
  start=$SECONDS
  status=0
  env "${env[@]}" go test -count=1 -v $pkg ${GO_TEST_ARGS:-} >"$log" 2>&1 || status=$?
  secs=$((SECONDS - start))
  p=$(grep -c '^\s*--- PASS' "$log" || true)
  s=$(grep -c '^\s*--- SKIP' "$log" || true)
  f=$(grep -c '^\s*--- FAIL' "$log" || true)
  passed=$((passed + p)) skipped=$((skipped + s))
  line=$(printf '%-18s %4d s  %3d passed, %d failed, %3d skipped' "$label" "$secs" "$p" "$f" "$s")
  summary+=("$line")
  echo "test-matrix: $line"
  cli_name=Terraform; [[ $name == tofu ]] && cli_name=OpenTofu
  echo "test-matrix: $label: $(SKIP_SUMMARY_CLI=$cli_name bash scripts/skip-summary.sh "$log")"
  if [[ $status -ne 0 ]]; then
    # The failing tests with their output, then go test's own verdict.
    awk '/^=== RUN/{buf=""} {buf=buf $0 "\n"} /^\s*--- FAIL/{printf "%s", buf; buf=""}' "$log" | tail -n 200
    tail -n 5 "$log"
    echo "test-matrix: $label failed (full log: $log); later CLIs not run." >&2
    exit "$status"
  fi
  grep -E '^(ok|FAIL)\s' "$log" || true
done

printf '\n==== test-matrix summary\n'
printf '%s\n' "${summary[@]}"
rm -rf "$logs"
echo "matrix: $passed passed, 0 failed, $skipped skipped"
