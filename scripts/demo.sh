#!/usr/bin/env bash
# make demo: build the provider and the Alation emulator, apply a real
# Terraform configuration against the emulator through a dev override, change
# its triggers to show an in-place re-sync, then clean everything up.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/alation-demo.XXXXXX")
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

step "Building the provider and the Alation emulator"
go build -o "$work/bin/terraform-provider-alation" -ldflags "-X main.version=demo" .
go build -o "$work/alationfake" ./internal/alationfake/cmd/alationfake

step "Starting the Alation emulator on a loopback port"
"$work/alationfake" -seed demo -addr 127.0.0.1:0 -addr-file "$work/url" >"$work/fake.env" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
[ -s "$work/url" ] || { echo "the emulator did not start:" >&2; cat "$work/fake.log" >&2; exit 1; }
# The emulator prints the environment to export, as shell commands.
# shellcheck source=/dev/null
. "$work/fake.env"
echo "Alation emulator at $ALATION_BASE_URL"

# A dev override makes Terraform use the binary just built, with no registry
# and no terraform init.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "alation-community/alation" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
mkdir -p "$work/tf" && cp scripts/demo/main.tf "$work/tf/"
terraform=${TERRAFORM:-terraform}
tf() { "$terraform" -chdir="$work/tf" "$@" 2> >(grep -v -e 'Provider development overrides' -e 'dev_overrides' -e '^ *- alation-community' -e 'The behavior may therefore' -e 'published releases' -e '^[│╷╵ ]*$' >&2); }

step "terraform apply: sync two tables right after their (pretend) DDL"
tf apply -auto-approve -no-color -compact-warnings | grep -E '^(data.alation_datasource|alation_table_sync|Apply complete)'
step "What Alation returned, now in Terraform state"
tf output -no-color

step "The DDL changes: new triggers re-sync ORDERS in place"
tf apply -auto-approve -no-color -compact-warnings -var 'orders_ddl=alter table ORDERS add STATUS varchar' | grep -E '^(  # alation|alation_table_sync|Apply complete)' || true
tf output -no-color orders

step "Cleaning up: destroy makes no API call, the catalog keeps the tables"
tf destroy -auto-approve -no-color -compact-warnings | grep -E '^(alation_table_sync|Destroy complete)'

# Actions need Terraform 1.14 or later: show them when this CLI has them.
version=$("$terraform" version -json 2>/dev/null | sed -n 's/^[[:space:]]*"terraform_version": "\([0-9.]*\)".*/\1/p')
if [ "$(printf '%s\n1.14.0\n' "$version" | sort -V | head -1)" = "1.14.0" ]; then
  rm -rf "$work/tf" && mkdir -p "$work/tf" && cp scripts/demo/action/main.tf "$work/tf/"
  actions='^(terraform_data|Action|Apply complete)'
  step "Terraform $version has actions: the DDL resource's lifecycle triggers alation_table_sync"
  tf apply -auto-approve -no-color -compact-warnings | grep -E "$actions"
  step "The DDL changes: the update triggers the action again"
  tf apply -auto-approve -no-color -compact-warnings -var 'returns_ddl=alter table main.sales.returns add reason string' | grep -E "$actions"
  step "A sync by hand: terraform apply -invoke"
  tf apply -auto-approve -no-color -compact-warnings -invoke=action.alation_table_sync.returns | grep -E "$actions"
  tf destroy -auto-approve -no-color -compact-warnings >/dev/null
else
  step "Terraform $version has no actions (1.14 or later): TERRAFORM=\$(scripts/cli.sh terraform v1.16.4) make demo shows them"
fi
echo
echo "Done. Run 'make test' for the full suite."
