#!/usr/bin/env bash
# `hishop db check` on a big ledger: peak memory (max RSS) and time.
# Goal (issue 13): 1,000,000 ledger entries with a peak under 100 MB (memory flat with the ledger's size).
#
#   bench/db-check.sh [ENTRIES] [BASELINE_REF]      (defaults 1000000, no baseline)
#
# With BASELINE_REF (a commit, e.g. 20f55a8) the same store is also checked by that version's tool, in the same
# run, so the two rows compare like with like on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-1000000}
baseline=${2:-}
limit_mb=100

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d)
trap 'git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

dotnet build src/HiShopping.Tool -c Release --nologo -v quiet >/dev/null
tool=src/HiShopping.Tool/bin/Release/net10.0/hishop.dll
if [ -n "$baseline" ]; then
  git worktree add --detach "$work/baseline" "$baseline" >/dev/null 2>&1
  dotnet build "$work/baseline/src/HiShopping.Tool" -c Release --nologo -v quiet >/dev/null
  baseline_tool="$work/baseline/src/HiShopping.Tool/bin/Release/net10.0/hishop.dll"
fi

# A store made by the baseline (when given) so both versions can open it; then one merchant's big ledger.
dotnet "${baseline_tool:-$tool}" demo --data-dir "$work/data" >/dev/null
python3 bench/fill-ledger.py "$work/data/hishop.db" demo@hishop.local "$entries"

run() { # label, tool
  /usr/bin/time -f '%M %e' -o "$work/time" dotnet "$2" db check --data-dir "$work/data" >"$work/out" 2>&1 && verdict=ok || verdict="exit $?"
  read -r rss_kb seconds < <(tail -n 1 "$work/time")
  printf '| %-26s | %9s | %9s | %-7s | %8s |\n' "$1" "$(( rss_kb / 1024 )) MB" "$seconds s" "$verdict" \
    "$( [ $(( rss_kb / 1024 )) -lt $limit_mb ] && echo ok || echo OVER)"
}

echo
echo "db check: $entries ledger entries for one merchant"
echo
printf '| %-26s | %9s | %9s | %-7s | %8s |\n' "tool" "peak RSS" "wall" "check" "< ${limit_mb} MB"
printf '|%s|%s|%s|%s|%s|\n' "----------------------------" "-----------" "-----------" "---------" "----------"
[ -n "$baseline" ] && run "baseline $baseline" "$baseline_tool"
run "this checkout" "$tool"
# The current tool migrates the store when it opens it; check it once more so the row is the steady state.
run "this checkout (again)" "$tool"
