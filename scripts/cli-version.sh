#!/usr/bin/env bash
# Prints the version a Terraform or OpenTofu binary reports ("1.12.6"), from
# `version -json`: the plain form's first line can be a CLI-configuration
# warning, on stdout under OpenTofu.
set -euo pipefail
"$1" version -json 2>/dev/null | sed -n 's/^[[:space:]]*"terraform_version": "\([^"]*\)".*/\1/p'
