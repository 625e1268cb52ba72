#!/usr/bin/env bash
# make install: copies a built provider into the implied local mirror that
# terraform init and tofu init search before any registry, under the address
# each CLI gives "alation-community/alation":
#
#   ~/.terraform.d/plugins/registry.terraform.io/alation-community/alation/VERSION/OS_ARCH/
#   ~/.terraform.d/plugins/registry.opentofu.org/alation-community/alation/VERSION/OS_ARCH/
#
# (%APPDATA%/terraform.d/plugins on Windows). OpenTofu reads that directory
# too, besides its own $XDG_DATA_HOME/opentofu/plugins.
#
#   scripts/install.sh bin/terraform-provider-alation 0.1.0
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 BINARY VERSION" >&2; exit 2; }
binary=$1 version=$2
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] ||
  { echo "install: '$version' is not a version Terraform accepts (X.Y.Z): make install VERSION=0.1.0" >&2; exit 2; }
[[ -x $binary ]] || { echo "install: no provider binary at $binary: run make build" >&2; exit 1; }

os_arch="$(go env GOOS)_$(go env GOARCH)"
plugins=$HOME/.terraform.d/plugins exe=""
if [[ $(go env GOOS) == windows ]]; then plugins=${APPDATA:?APPDATA is not set}/terraform.d/plugins exe=.exe; fi

echo "Installed terraform-provider-alation $version ($os_arch):"
for host in registry.terraform.io registry.opentofu.org; do
  dir=$plugins/$host/alation-community/alation/$version/$os_arch
  mkdir -p "$dir"
  # A new file rather than an overwrite: a CLI may be running the old one.
  cp "$binary" "$dir/.terraform-provider-alation_v$version$exe.tmp"
  mv -f "$dir/.terraform-provider-alation_v$version$exe.tmp" "$dir/terraform-provider-alation_v$version$exe"
  echo "  $dir/"
done
minor=${version%%[-+]*}; minor=${minor%.*}
cat <<MSG
Require it as source = "alation-community/alation", version = "~> $minor", then terraform init
(or tofu init). Reinstalling the same version changes its checksum: run terraform init -upgrade.
MSG
[[ $version == *-* ]] && echo "Note: $version is a pre-release; Terraform selects it only by an exact version = \"$version\"."
exit 0
