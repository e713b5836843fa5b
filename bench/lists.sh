#!/usr/bin/env bash
# Operator and order lists at scale (issue 9): a store with MERCHANTS merchants and ORDERS orders (a fifth of them the
# demo merchant's), measured three ways:
#   - the Web API's order list for the demo merchant under the load generator (16 connections, distinct requests);
#   - the CLI as an operator runs it (`hishop order list …`, `hishop merchant list`): wall time, process start included;
#   - this checkout only: every operator list straight through the services, one request at a time, as the local
#     console's page changes call them (`HiShopping.Bench lists`).
#
#   bench/lists.sh [SECONDS_PER_ROW] [MERCHANTS] [ORDERS] [BASELINE_REF]     (defaults 5, 10000, 1000000, none)
#
# With BASELINE_REF the same store is built and measured with that commit's tool first, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
merchants=${2:-10000}
orders=${3:-1000000}
baseline=${4:-}
port=${BENCH_PORT:-5197}
. bench/lib.sh
python3 bench/generate-catalog.py "$work/catalog.jsonl" 2000 2 words >/dev/null
load() { loadgen "http://127.0.0.1:$port" --connections 16 --seconds "$seconds" "$@"; }

# ms COMMAND…: the median wall time of three runs, in ms.
ms() {
  local runs=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    runs+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}

# bench TOOL_DLL LABEL
bench() {
  local tool=$1 label=$2 data="$work/data-${2// /-}"
  hishop() { dotnet "$tool" "$@" --data-dir "$data"; }
  hishop catalog import "$work/catalog.jsonl" >/dev/null
  hishop demo >"$work/demo"
  local started filled
  started=$(date +%s)
  python3 bench/fill-orders.py "$data/hishop.db" "$merchants" "$orders" >/dev/null
  filled=$(( $(date +%s) - started ))
  local check
  check=$(hishop db check 2>&1 | tail -n 1)

  # Request files: the demo merchant's orders by distinct page, cursor and keyword (an order number's first 14 characters).
  python3 - "$data/hishop.db" "$work" <<'PY'
import random, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
demo = con.execute("SELECT MIN(merchant_id) FROM orders").fetchone()[0]
ids = [r[0] for r in con.execute("SELECT id FROM orders WHERE merchant_id = ? ORDER BY random() LIMIT 20000", (demo,))]
nos = [r[0] for r in con.execute("SELECT order_no FROM orders WHERE merchant_id = ? ORDER BY random() LIMIT 20000", (demo,))]
rng = random.Random(5)
w = lambda name, lines: open(f"{work}/{name}.paths", "w").write("\n".join(lines))
w("pages", [f"/api/v1/web/orders?page={rng.randint(1, 2000)}" for _ in range(20000)])
w("cursors", [f"/api/v1/web/orders?cursor={i}" for i in ids])
w("keywords", [f"/api/v1/web/orders?keyword={n[:14]}" for n in nos])
w("statuses", [f"/api/v1/web/orders?status={s}&page={p}" for p in range(1, 4001) for s in ("paid", "processing", "shipped", "delivered", "cancelled")])
PY
  local password big
  password=$(awk '/^password:/ {print $2}' "$work/demo")
  big=demo@hishop.local

  echo
  echo "### $label"
  echo
  echo "store: $(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT COUNT(*) FROM merchants').fetchone()[0], 'merchants,', c.execute('SELECT COUNT(*) FROM orders').fetchone()[0], 'orders')" "$data/hishop.db") (filled in ${filled} s); \`hishop db check\`: $check"
  echo
  echo "| CLI (wall time, process start included) | ms |"
  echo "|-----------------------------------------|----|"
  echo "| hishop --version (process start alone)  | $(ms dotnet "$tool" --version) |"
  echo "| hishop order list                       | $(ms hishop order list) |"
  echo "| hishop order list --status shipped      | $(ms hishop order list --status shipped) |"
  echo "| hishop order list --merchant M          | $(ms hishop order list --merchant "$big") |"
  echo "| hishop order list --page 20000          | $(ms hishop order list --page 20000) |"
  echo "| hishop merchant list (all $merchants)      | $(ms hishop merchant list) |"

  serve_demo "$tool" "$data" "$password"
  load --seconds 2 >/dev/null 2>&1 # warm-up
  echo
  echo "Web API, the demo merchant's $(( orders / 5 ))-odd orders:"
  echo
  echo "| scenario                           | conns |       rps |  p50 ms |  p99 ms | non-2xx | code≠0  |   answers |"
  echo "|------------------------------------|-------|-----------|---------|---------|---------|---------|-----------|"
  load --label "/healthz" 2>>"$work/errors"
  load --label "orders page 1" --get /api/v1/web/orders --header "$auth" 2>>"$work/errors"
  load --label "orders by status, pages 1–4,000" --get-file "$work/statuses.paths" --header "$auth" 2>>"$work/errors"
  load --label "orders by cursor (keyset)" --get-file "$work/cursors.paths" --header "$auth" 2>>"$work/errors"
  load --label "orders random page 1–2,000" --get-file "$work/pages.paths" --header "$auth" 2>>"$work/errors"
  load --label "orders by keyword (a number's start)" --get-file "$work/keywords.paths" --header "$auth" 2>>"$work/errors"
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  last_data=$data
}

echo "Operator and order lists; hishop (Release) and the load generator on one machine: $(nproc) cores; ${seconds} s per row, 16 connections; $(date -u +%F)"
if [ -n "$baseline" ]; then
  bench "$(baseline_tool "$baseline")" "baseline $baseline"
fi
bench "$current_tool" "this checkout"
echo
echo "Every operator list through the services (this checkout; what the local console's page change costs):"
echo
dotnet "$generator" lists "$last_data" 200
[ -s "$work/errors" ] && { echo; echo "load generator errors:"; sort -u "$work/errors" | head -n 5; }
exit 0
