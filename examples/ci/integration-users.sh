#!/usr/bin/env bash
# The commands a pipeline runs for integration users, shared by the GitHub Actions and GitLab CI examples (and run by
# this repository's end-to-end tests against the org emulator, so the example stays true).
#
#   integration-users.sh check <org alias> <definitions folder> <summary.md>   # pull request: drift check, changes nothing
#   integration-users.sh apply <org alias> <definitions folder>                # merge: reconcile every definition
#
# check exits 0 when every user matches its definition, 3 when anything drifted (the Markdown summary is written for
# the pull request either way), 1 on an error. apply exits 0, or 68 when a definition failed (the others are done;
# re-run after fixing it).
set -uo pipefail

mode="${1:?check or apply}"
org="${2:?org alias}"
definitions="${3:?definitions folder}"

case "$mode" in
  check)
    summary="${4:?summary file}"
    sf integration-user check --target-org "$org" --definition-file "$definitions" --output-file "$summary" --force
    ;;
  apply)
    sf integration-user create --target-org "$org" --definition-file "$definitions"
    ;;
  *)
    echo "unknown mode $mode: check or apply" >&2
    exit 1
    ;;
esac
