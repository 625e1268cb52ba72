#!/usr/bin/env bash
# Checks every example the docs show: terraform fmt, then terraform validate
# against the provider built from this tree (through a dev override, so
# nothing is downloaded). Each provider example is a configuration of its
# own; each resource or data source folder is one configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/alation-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

go build -o "$work/bin/terraform-provider-alation" .
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "alation-community/alation" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

terraform fmt -check -recursive -diff examples/ scripts/demo/

units=()
for f in examples/provider/*.tf; do units+=("$f"); done
for d in examples/resources/*/ examples/data-sources/*/ examples/ephemeral-resources/*/ examples/list-resources/*/ examples/pipeline/; do [ -d "$d" ] && units+=("${d%/}"); done

# Examples show features of newer CLIs (import by identity, queries): they
# are validated with the pinned latest Terraform that make examples passes
# in, or with the terraform on PATH.
tf=${TERRAFORM_LATEST_CLI:-terraform}
echo "validating with Terraform $(bash scripts/cli-version.sh "$tf")"

# Action examples show a real DDL resource (Snowflake), whose provider this
# offline check cannot install: fmt above checks them, and the same
# configuration with terraform_data in its place runs in the action's tests.
for d in examples/actions/*/; do [ -d "$d" ] && echo "fmt     ${d%/} (validated by TestAccTableSyncAction_*)"; done

failed=0
for unit in "${units[@]}"; do
  dir="$work/cfg/$(echo "$unit" | tr '/.' '__')"
  mkdir -p "$dir"
  if [ -d "$unit" ]; then cp "$unit"/* "$dir/"; else cp "$unit" "$dir/"; fi
  validate=(validate -no-color)
  # Queries (.tfquery.hcl) are validated with -query (Terraform 1.14+).
  if compgen -G "$dir/*.tfquery.hcl" >/dev/null; then validate+=(-query); fi
  if ! grep -qs required_providers "$dir"/*.tf; then
    printf 'terraform {\n  required_providers {\n    alation = {\n      source = "alation-community/alation"\n    }\n  }\n}\n' >"$dir/versions.tf"
  fi
  if out=$("$tf" -chdir="$dir" "${validate[@]}" 2>&1); then
    echo "ok      $unit"
  else
    echo "FAILED  $unit"; echo "$out" | grep -v -e 'dev_overrides' -e 'Provider development overrides' | sed 's/^/        /'
    failed=1
  fi
done
exit $failed
