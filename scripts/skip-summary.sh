#!/usr/bin/env bash
# Reads the output of go test -v (a file, or stdin) and prints one line
# counting the skipped tests by reason, with the tests' families:
#
#   30 skipped: 26 need Terraform >= 1.14.0 (TableSyncAction_*, TableSyncList_*), 2 need Terraform >= 1.12.0 (TableSync_identity, TableSync_importByIdentityNeverSyncs)
#
# A skip's reason is the last line the test logged before it ended (t.Skip's
# message); go test -v heads each test's output with === RUN/CONT/NAME.
# SKIP_SUMMARY_CLI names the CLI in version reasons (default Terraform).
set -euo pipefail
awk -v cli="${SKIP_SUMMARY_CLI:-Terraform}" '
  /^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
  /^[[:space:]]+[^[:space:]]+\.go:[0-9]+: / {
    msg = $0; sub(/^[[:space:]]+[^[:space:]]+\.go:[0-9]+: /, "", msg); last[cur] = msg; next
  }
  /^[[:space:]]*--- SKIP: / {
    name = $3; reason = (name in last) ? last[name] : "no reason given"
    # The same CLI-version skip, worded by terraform-plugin-testing or by our own harness.
    if (match(reason, /below minimum version [0-9.]+/)) {
      reason = "need " cli " >= " substr(reason, RSTART + 22, RLENGTH - 22)
    } else if (match(reason, /is older than [0-9.]+/)) {
      reason = "need " cli " >= " substr(reason, RSTART + 14, RLENGTH - 14)
    } else if (length(reason) > 120) {
      reason = substr(reason, 1, 117) "..."
    }
    # Tests are named Test[Acc]Family_case: three or more of a family are
    # shown as Family_*, fewer by name.
    short = name; sub(/^Test(Acc)?/, "", short)
    family = short; sub(/[_\/].*/, "", family)
    if (!(reason in count)) order[++n] = reason
    count[reason]++; total++
    key = reason SUBSEP family
    if (!(key in members)) fams[reason] = fams[reason] " " family
    members[key] = members[key] (members[key] == "" ? "" : ", ") short
    size[key]++
  }
  END {
    if (total == 0) { print "0 skipped"; exit }
    line = total " skipped:"
    for (i = 1; i <= n; i++) {
      r = order[i]; f = ""
      k = split(substr(fams[r], 2), list, " ")
      for (j = 1; j <= k; j++) {
        key = r SUBSEP list[j]
        f = f (j > 1 ? ", " : "") (size[key] > 2 ? list[j] "_*" : members[key])
      }
      line = line (i > 1 ? "," : "") " " count[r] " " r " (" f ")"
    }
    print line
  }
' "${1:--}"
