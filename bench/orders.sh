#!/usr/bin/env bash
# Write-path benchmark (issue 8): `hishop serve` on a fresh store, a load generator on the same 2 cores.
# Rows: /healthz (the baseline), the cached web goods list, and signed durable order placement at 1, 16 and 64
# connections; rps, p50, p99, non-2xx, answers with code ≠ 0, and the ratio to /healthz of the same run.
# Afterwards every order answered with code 0 must be in the store (and no other), and `hishop db check` must pass.
# Orders are signed before each row starts (a fresh nonce and merchant_order_no each) and replayed, as in the issue's
# wrk method: the generator's own signing does not take the cores from serve during the row.
#
#   bench/orders.sh [SECONDS_PER_ROW] [BASELINE_REF] [--db POSTGRES_CONNECTION_STRING]   (default 10 s, no baseline)
#
# With BASELINE_REF (a commit, e.g. f3bcffc) that version's serve is measured first, the same way, in the same run.
# With --db (a role that may create databases, e.g. what .ci/postgres.sh prints) two more tables follow in the same
# run: this checkout on a fresh PostgreSQL database with one serve, and with two serve sharing the connections.
set -euo pipefail
cd "$(dirname "$0")/.."
positional=() pg_admin=
while [ $# -gt 0 ]; do
  case $1 in
    --db) pg_admin=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
seconds=${positional[0]:-10}
baseline=${positional[1]:-}
port=${BENCH_PORT:-5199}
. bench/lib.sh
urls="http://127.0.0.1:$port"
load() { loadgen "$urls" --seconds "$seconds" "$@"; }
# pg KEY: a field of the --db connection string; psql_admin: psql as that role.
pg() { tr ';' '\n' <<<"$pg_admin" | awk -F= -v k="$1" 'tolower($1) == tolower(k) { print substr($0, index($0, "=") + 1) }'; }
psql_admin() { local p; p=$(pg Port); PGPASSWORD=$(pg Password) psql -qtA -h "$(pg Host)" -p "${p:-5432}" -U "$(pg Username)" "$@"; }
count_orders() {
  if [ -n "${HISHOP_DB:-}" ]; then psql_admin -d "$(sed 's/.*Database=\([^;]*\).*/\1/' <<<"$HISHOP_DB")" -c 'SELECT COUNT(*) FROM orders'
  else python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM orders').fetchone()[0])" "$1/hishop.db"; fi
}

# bench TOOL_DLL LABEL [SERVES] [PROBE_DLL]: one table for one build of serve (SERVES processes on one database; 2 needs
# --db). The top-ups probe opens the store itself, so it is the same build's load generator (PROBE_DLL; this checkout's
# by default).
bench() {
  local tool=$1 label=$2 serves=${3:-1} probe=${4:-$generator} base_rps=
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

  urls="http://127.0.0.1:$port"
  dotnet "$tool" serve --data-dir "$data" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  if [ "$serves" -eq 2 ]; then
    dotnet "$tool" serve --data-dir "$data" --urls "http://127.0.0.1:$((port + 1))" >"$work/serve2.log" 2>&1 &
    serve_pid="$serve_pid $!"
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$((port + 1))/healthz" >/dev/null && break; sleep 0.2; done
    urls="$urls,http://127.0.0.1:$((port + 1))"
  fi
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
  # A baseline without a load generator of its own gets no probe: another build's store code would migrate its store.
  ( sleep 1; [ "$probe" != none ] || { echo "n/a n/a" >"$work/topup"; exit 0; }
    dotnet "$probe" topups "$data" demo@hishop.local $(( seconds * 2 )) \
      >"$work/topup" 2>>"$work/errors" || echo "FAILED" >"$work/topup" ) &
  local topup_pid=$!
  row "orders, and top-ups from another process" --connections 64 --orders "$app_id" "$api_key" "$sign_key" bench-sku
  wait "$topup_pid"

  local wal_mb answered orders_after slowest median check
  wal_mb=$(( $(stat -c %s "$data/hishop.db-wal" 2>/dev/null || echo 0) / 1048576 ))
  kill $serve_pid; wait $serve_pid 2>/dev/null || true; serve_pid=
  answered=$(grep -E 'order|warm-up' "$rows" | awk -F'|' '{gsub(/[ ,]/, "", $9); gsub(/[ ,]/, "", $8); gsub(/[ ,]/, "", $7); s += $9 - $8 - $7} END {print s}')
  orders_after=$(count_orders "$data")
  read -r slowest median <"$work/topup" || true
  check=$(hishop db check 2>&1 | tail -n 1)
  echo
  echo "- orders answered with code 0: $answered; orders in the store: $(( orders_after - orders_before ))"
  echo "- top-ups from another process during the last 64-connection burst ($(( seconds * 2 )), a quarter second apart): slowest $slowest ms, median $median ms"
  if [ -n "${HISHOP_DB:-}" ]; then echo "- \`hishop db check\`: $check"
  else echo "- WAL file at the end of the run: $wal_mb MB; \`hishop db check\`: $check"; fi
  [ "$answered" -eq $(( orders_after - orders_before )) ] || { echo "MISMATCH: answered orders and stored orders differ" >&2; return 1; }
}

echo "hishop serve (Release) and the load generator on one machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); ${seconds} s per row; $(date -u +%F)"
if [ -n "$baseline" ]; then
  baseline_dll=$(baseline_tool "$baseline")
  bench "$baseline_dll" "baseline $baseline" 1 "$(baseline_probe || echo none)"
fi
bench "$current_tool" "this checkout"
if [ -n "$pg_admin" ]; then
  # A fresh database per table, made and dropped with the --db role.
  for serves in 1 2; do
    name="hishop_bench_$serves"
    psql_admin -d "$(pg Database)" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
    export HISHOP_DB
    HISHOP_DB=$(sed "s/Database=[^;]*/Database=$name/" <<<"$pg_admin")
    bench "$current_tool" "this checkout on PostgreSQL, $serves serve" "$serves"
    unset HISHOP_DB
    psql_admin -d "$(pg Database)" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
  done
fi
[ -s "$work/errors" ] && { echo; echo "load generator errors:"; head -n 5 "$work/errors"; }
exit 0
