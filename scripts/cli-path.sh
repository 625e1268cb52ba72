#!/usr/bin/env bash
# Prints the binary of one CLI of the matrix, named as make test-matrix and
# make install-check name them:
#
#   path, terraform:path   the terraform on PATH
#   tofu:path              the tofu on PATH
#   terraform:v1.16.4      a pinned CLI, built once by scripts/cli.sh
#   tofu:v1.12.6
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

[[ $# -eq 1 ]] || { echo "usage: $0 path|terraform:path|tofu:path|terraform:vX.Y.Z|tofu:vX.Y.Z" >&2; exit 2; }
cli=$1
[[ $cli == path ]] && cli=terraform:path
name=${cli%%:*} version=${cli#*:}
case "$name" in terraform | tofu) ;; *) echo "cli-path.sh: unknown CLI '$1'" >&2; exit 2 ;; esac
if [[ $version == path ]]; then
  command -v "$name" || { echo "cli-path.sh: no $name on PATH" >&2; exit 1; }
else
  bash "$here/cli.sh" "$name" "$version"
fi
