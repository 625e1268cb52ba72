#!/usr/bin/env bash
# make install-check: proves that make install is all a user needs for
# terraform init. For each CLI (named as in make test-matrix), in a fresh
# HOME with no CLI configuration (so no dev_overrides), init of a
# configuration that pins version = "~> X.Y" must install the provider from
# the local mirror make install wrote, and a plan against the Alation
# emulator must work. The registries are out of reach (a proxy that refuses
# every connection), so a CLI that tried one fails here.
#
#   scripts/install-check.sh path terraform:v1.5.7 tofu:v1.12.6 ...
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -gt 0 ]] || { echo "usage: $0 path|terraform:path|tofu:path|terraform:vX.Y.Z|tofu:vX.Y.Z ..." >&2; exit 2; }

# The CLIs first, from the real HOME's cache.
labels=() bins=()
for cli in "$@"; do
  bin=$(bash scripts/cli-path.sh "$cli")
  bins+=("$bin")
  labels+=("$(basename "$bin") $(bash scripts/cli-version.sh "$bin")")
done

work=$(mktemp -d "${TMPDIR:-/tmp}/install-check.XXXXXX")
fake_pid=""
cleanup() {
  if [[ -n $fake_pid ]]; then kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Go keeps its caches and settings under HOME: keep the real ones, so that
# the fresh HOME changes what the CLIs see and nothing of the build.
export GOCACHE GOMODCACHE GOPATH GOENV
GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH) GOENV=$(go env GOENV)
go build -o "$work/alationfake" ./internal/alationfake/cmd/alationfake

home=$work/home
mkdir -p "$home"
unset TF_CLI_CONFIG_FILE TOFU_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR XDG_CONFIG_HOME XDG_DATA_HOME
export HOME=$home CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
make -s install
version=$(make -s version)
minor=${version%%[-+]*}; minor=${minor%.*}

"$work/alationfake" -seed demo -addr 127.0.0.1:0 -addr-file "$work/url" >"$work/fake.env" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [[ -s $work/url ]] && break; sleep 0.05; done
[[ -s $work/url ]] || { echo "install-check: the emulator did not start:" >&2; cat "$work/fake.log" >&2; exit 1; }
# shellcheck source=/dev/null
. "$work/fake.env"

failed=0
for i in "${!bins[@]}"; do
  bin=${bins[$i]} label=${labels[$i]}
  dir=$work/cfg-$i
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    alation = {
      source  = "alation-community/alation"
      version = "~> $minor"
    }
  }
}

provider "alation" {}

resource "alation_table_sync" "orders" {
  datasource_id = 8
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDERS"
}
TF
  start=$SECONDS
  if ! init=$("$bin" -chdir="$dir" init -input=false -no-color 2>&1) ||
    ! grep -q "Installing alation-community/alation v$version" <<<"$init"; then
    echo "FAILED  $label: init did not install alation-community/alation $version from the local mirror:"
    sed 's/^/        /' <<<"$init"
    failed=1
    continue
  fi
  if ! plan=$("$bin" -chdir="$dir" plan -input=false -no-color 2>&1) || ! grep -q 'Plan: 1 to add' <<<"$plan"; then
    echo "FAILED  $label: plan against the emulator:"
    sed 's/^/        /' <<<"$plan"
    failed=1
    continue
  fi
  echo "ok      $label: init installed alation-community/alation $version (~> $minor) from the local mirror, plan: 1 to add ($((SECONDS - start)) s)"
done
exit $failed
