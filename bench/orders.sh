#!/usr/bin/env bash
# Write-path benchmark (issue 8): `hishop serve` on a fresh store, a load generator on the same 2 cores.
# Rows: /healthz (the baseline), the cached web goods list, and signed durable order placement at 1, 16 and 64
# connections; rps, p50, p99, non-2xx, answers with code ≠ 0, and the ratio to /healthz of the same run.
# Afterwards every order answered with code 0 must be in the store (and no other), and `hishop db check` must pass.
#
#   bench/orders.sh [SECONDS_PER_ROW] [BASELINE_REF]      (default 10 s, no baseline)
#
# With BASELINE_REF (a commit, e.g. f3bcffc) that version's serve is measured first, the same way, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
baseline=${2:-}
port=${BENCH_PORT:-5199}
. bench/lib.sh
load() { dotnet "$generator" load "http://127.0.0.1:$port" --seconds "$seconds" "$@"; }
count_orders() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM orders').fetchone()[0])" "$1/hishop.db"; }

# bench TOOL_DLL LABEL: one table for one build of serve.
bench() {
  local tool=$1 label=$2 base_rps=
  local data="$work/data-${2// /-}" rows="$work/rows-${2// /-}"
  hishop() { dotnet "$tool" "$@" --data-dir "$data"; }

  # A merchant with keys, credit to spare, no rate limit, and a SKU with deep stock.
  hishop demo >"$work/demo"
  local app_id api_key sign_key password token
  app_id=$(awk '/^App ID:/ {print $3}' "$work/demo")
  api_key=$(awk '/^API key:/ {print $3}' "$work/demo")
  sign_key=$(awk '/^sign key:/ {print $3}' "$work/demo")
  password=$(awk '/^password:/ {print $2}' "$work/demo")
  printf '%s\n' '{"type":"category","category_id":"bench","name":"Bench"}' \
    '{"type":"goods","goods_id":"bench-goods","category_id":"bench","title":"Bench goods","skus":[{"sku_id":"bench-sku","price":"0.01","stock":10000000}]}' \
    >"$work/bench.jsonl"
  hishop catalog import "$work/bench.jsonl" >/dev/null
  hishop credit topup --merchant demo@hishop.local --amount 1000000000.00 --memo bench >/dev/null
  hishop app rate-limit --merchant demo@hishop.local --rps 0 >/dev/null

  dotnet "$tool" serve --data-dir "$data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/web/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"demo@hishop.local\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])')
  local orders_before
  orders_before=$(count_orders "$data")

  # Warm-up (not in the table): the JIT and the caches of both processes, and the first batches of orders.
  load --connections 16 --seconds 2 >/dev/null 2>&1
  load --connections 16 --seconds 2 --orders "$app_id" "$api_key" "$sign_key" bench-sku --label warm-up >>"$rows" 2>/dev/null

  echo
  echo "### $label"
  echo
  echo "| scenario                           | conns |       rps |  p50 ms |  p99 ms | non-2xx | code≠0  |   answers | ratio to /healthz |"
  echo "|------------------------------------|-------|-----------|---------|---------|---------|---------|-----------|-------------------|"
  row() { # label, then load arguments; prints the row with the ratio to the healthz row
    local line rps
    line=$(load --label "$1" "${@:2}" 2>>"$work/errors")
    rps=$(echo "$line" | awk -F'|' '{gsub(/[ ,]/, "", $4); print $4}')
    [ -z "$base_rps" ] && base_rps=$rps
    echo "$line $(awk -v r="$rps" -v b="$base_rps" 'BEGIN { printf "%17.2f |", r / b }')"
    echo "$line" >>"$rows"
  }
  row "/healthz (baseline)" --connections 64
  row "web goods list (cached)" --connections 64 --get /api/v1/web/goods --header "Authorization: Bearer $token"
  for c in 1 16 64; do
    row "signed order placement (durable)" --connections "$c" --orders "$app_id" "$api_key" "$sign_key" bench-sku
  done
  # Writers in other processes (the CLI) next to the busy serve: top-ups from a process of their own during one more
  # 64-connection burst (a row of its own: that process's start-up takes CPU from the load).
  ( sleep 1; dotnet "$generator" topups "$data" demo@hishop.local $(( seconds * 2 )) \
      >"$work/topup" 2>>"$work/errors" || echo "FAILED" >"$work/topup" ) &
  local topup_pid=$!
  row "orders, and top-ups from another process" --connections 64 --orders "$app_id" "$api_key" "$sign_key" bench-sku
  wait "$topup_pid"

  local wal_mb answered orders_after slowest median check
  wal_mb=$(( $(stat -c %s "$data/hishop.db-wal" 2>/dev/null || echo 0) / 1048576 ))
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  answered=$(grep -E 'order|warm-up' "$rows" | awk -F'|' '{gsub(/[ ,]/, "", $9); gsub(/[ ,]/, "", $8); gsub(/[ ,]/, "", $7); s += $9 - $8 - $7} END {print s}')
  orders_after=$(count_orders "$data")
  read -r slowest median <"$work/topup"
  check=$(hishop db check 2>&1 | tail -n 1)
  echo
  echo "- orders answered with code 0: $answered; orders in the store: $(( orders_after - orders_before ))"
  echo "- top-ups from another process during the last 64-connection burst ($(( seconds * 2 )), a quarter second apart): slowest $slowest ms, median $median ms"
  echo "- WAL file at the end of the run: $wal_mb MB; \`hishop db check\`: $check"
  [ "$answered" -eq $(( orders_after - orders_before )) ] || { echo "MISMATCH: answered orders and stored orders differ" >&2; return 1; }
}

echo "hishop serve (Release) and the load generator on one machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); ${seconds} s per row; $(date -u +%F)"
if [ -n "$baseline" ]; then
  bench "$(baseline_tool "$baseline")" "baseline $baseline"
fi
bench "$current_tool" "this checkout"
[ -s "$work/errors" ] && { echo; echo "load generator errors:"; head -n 5 "$work/errors"; }
exit 0
