#!/usr/bin/env bash
# Prints the path of a pinned Terraform or OpenTofu CLI, building it once from
# its Go module into a cache outside the repo and reusing it afterwards.
#
#   scripts/cli.sh terraform v1.16.4
#   scripts/cli.sh tofu v1.12.6
#
# It never downloads a binary: the source comes through the Go module proxy
# (GOPROXY as configured), the build is local. Progress goes to stderr, the
# path alone to stdout, so callers can write TF=$(scripts/cli.sh ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() { echo "usage: $0 terraform|tofu vX.Y.Z" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
name=$1 version=$2
case "$name" in
  terraform) module=github.com/hashicorp/terraform; main_pkg=. ;;
  tofu | opentofu) name=tofu; module=github.com/opentofu/opentofu; main_pkg=./cmd/tofu ;;
  *) usage ;;
esac
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "cli.sh: version must look like v1.2.3, got '$version'" >&2; exit 2; }

# A CLI of that version already on PATH, as GitHub's setup-terraform and
# setup-opentofu install them, is used as is.
if on_path=$(command -v "$name") && [[ $(bash "$here/cli-version.sh" "$on_path" || true) == "${version#v}" ]]; then
  echo "$on_path"
  exit 0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-alation/cli/$name-$version
bin=$cache/$name
if [[ -x $bin ]]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "cli.sh: Go is not on PATH; it builds $name $version from source (install Go 1.26 or later)." >&2; exit 1; }

log() { printf 'cli.sh: %s\n' "$*" >&2; }
log "building $name $version from $module@$version (once; about 5-10 minutes) into $cache"
start=$SECONDS

# The module cache is read-only, and the build edits go.mod: work in a copy.
if ! info=$(cd / && GOFLAGS=-mod=mod go mod download -json "$module@$version" 2>&1); then
  log "the Go module proxy cannot serve $module@$version:"
  printf '%s\n' "$info" >&2
  exit 1
fi
src_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$info")
[[ -d $src_dir ]] || { log "go mod download gave no source directory for $module@$version"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cli-$name-$version.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$src_dir"/. "$work"
chmod -R u+w "$work"
cd "$work"

# A module download leaves out nested modules. Terraform's go.mod points
# `replace` lines at some (remote-state backends, internal/legacy): drop those
# modules and the backends that import them. Local, http, inmem, remote and
# cloud backends stay; provider tests only use the local one.
missing=()
while read -r mod target; do
  [[ -d $target ]] || missing+=("$mod")
done < <(sed -n 's/^replace \([^ ]*\) => \(\.\/[^ ]*\)$/\1 \2/p' go.mod)
backend_init=internal/backend/init/init.go
for mod in "${missing[@]}"; do
  log "dropping nested module $mod (not in the module download)"
  grep -vF -e "replace $mod =>" -e "	$mod v" go.mod >go.mod.new && mv go.mod.new go.mod
  if [[ -f $backend_init ]]; then
    alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\) \"$mod\"$|\1|p" "$backend_init")
    if [[ -n $alias ]]; then
      grep -vE "^[[:space:]]*$alias \"|[^A-Za-z0-9_]$alias\.New\(" "$backend_init" >"$backend_init.new"
      mv "$backend_init.new" "$backend_init"
    fi
  fi
done

# Release builds set version.dev=no; without it the CLI reports X.Y.Z-dev,
# which tfversion checks read as older than X.Y.Z.
mkdir -p "$cache"
if ! GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X $module/version.dev=no" -o "$bin.tmp" "$main_pkg" >&2; then
  log "building $name $version failed (output above)"
  exit 1
fi
mv "$bin.tmp" "$bin"
log "built $name $(bash "$here/cli-version.sh" "$bin") in $((SECONDS - start)) s"
echo "$bin"
