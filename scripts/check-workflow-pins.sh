#!/usr/bin/env bash
# make workflow-check: the GitHub workflows must test the CLIs the GNUmakefile
# pins, and run the golangci-lint and goreleaser it pins, so that changing a
# pin there and not here (or the reverse) fails .ci/run; the README and the
# Registry's index page must name the CLI versions tested.
set -euo pipefail
cd "$(dirname "$0")/.."

pin() { sed -n "s/^$1 *?= *\(.*\)$/\1/p" GNUmakefile | sed 's/.*@//'; }
oldest=$(pin TERRAFORM_OLDEST) actions=$(pin TERRAFORM_ACTIONS) latest=$(pin TERRAFORM_LATEST) tofu=$(pin OPENTOFU_LATEST)
golangci=$(pin GOLANGCI_LINT) goreleaser=$(pin GORELEASER)
test=.github/workflows/test.yml release=.github/workflows/release.yml
failed=0
fail() { echo "workflow-check: $*" >&2; failed=1; }

# The acceptance matrix, one "{ cli: NAME, version: "X.Y.Z" }" per line.
want=$(printf '%s\n' "terraform ${oldest#v}" "terraform ${actions#v}" "terraform ${latest#v}" "tofu ${tofu#v}" | sort)
have=$(sed -n 's/^ *- { *cli: *\([a-z]*\), *version: *"\([^"]*\)" *}.*/\1 \2/p' "$test" | sort)
[[ $have == "$want" ]] || fail "$test's acceptance matrix tests
$(sed 's/^/  /' <<<"$have")
but the GNUmakefile pins (TERRAFORM_OLDEST, TERRAFORM_ACTIONS, TERRAFORM_LATEST, OPENTOFU_LATEST)
$(sed 's/^/  /' <<<"$want")"

# Every other Terraform a job installs is the latest (docs, examples, make test).
while read -r v; do
  [[ $v == "${latest#v}" ]] || fail "$test installs Terraform $v where the GNUmakefile's TERRAFORM_LATEST is ${latest#v}"
done < <(sed -n 's/^ *terraform_version: *"\([0-9][^"]*\)".*/\1/p' "$test")

lint=$(sed -n '/golangci-lint-action@/,/version:/s/^ *version: *\(v[^ ]*\).*/\1/p' "$test")
[[ $lint == "$golangci" ]] || fail "$test runs golangci-lint ${lint:-(unpinned)}; the GNUmakefile's GOLANGCI_LINT is $golangci"
rel=$(sed -n '/goreleaser-action@/,/version:/s/^ *version: *\(v[^ ]*\).*/\1/p' "$release")
[[ $rel == "$goreleaser" ]] || fail "$release runs goreleaser ${rel:-(unpinned)}; the GNUmakefile's GORELEASER is $goreleaser"

# The docs name the versions tested: they move with the pins.
for doc in README.md templates/index.md.tmpl; do
  for v in "$oldest" "$actions" "$latest" "$tofu"; do
    grep -qF "${v#v}" "$doc" || fail "$doc does not name ${v#v}, a CLI version the GNUmakefile pins: update its list of CLIs tested"
  done
done

[[ $failed -eq 0 ]] && echo "workflow-check: the workflows test terraform ${oldest#v}, ${actions#v}, ${latest#v} and tofu ${tofu#v}, with golangci-lint $golangci and goreleaser $goreleaser, as the GNUmakefile pins"
exit $failed
