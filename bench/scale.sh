#!/usr/bin/env bash
# Reads at scale (issue 9): `hishop serve` on a store with 100,000 goods (2 SKUs each, titles from a shopping
# vocabulary) and one merchant with 1,000,000 ledger entries; the load generator on the same 2 cores, 16 connections.
# Every search and range request is distinct (a file of paths taken in turn), so the result cache cannot hide a query.
#
#   bench/scale.sh [SECONDS_PER_ROW] [GOODS] [ENTRIES] [BASELINE_REF]     (defaults 8, 100000, 1000000, none)
#
# With BASELINE_REF the same store is built and measured with that commit's tool first, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
goods=${2:-100000}
entries=${3:-1000000}
baseline=${4:-}
port=${BENCH_PORT:-5198}
. bench/lib.sh
python3 bench/generate-catalog.py "$work/catalog.jsonl" "$goods" 2 words
load() { loadgen "http://127.0.0.1:$port" --connections 16 --seconds "$seconds" "$@"; }

# The request paths: distinct keywords (words, pairs in either order, prefixes) and pages; category pages; ledger pages.
python3 - "$work" "$goods" "$entries" <<'PY'
import json, random, sys, urllib.parse
work, goods, entries = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words, categories = set(), []
for line in open(f"{work}/catalog.jsonl", encoding="utf-8"):
    r = json.loads(line)
    if r["type"] == "goods":
        words.update(w for w in r["title"].split() if w.isalpha())
    else:
        categories.append(r["category_id"])
words = sorted(words)
keywords = set(words) | {w[:4] for w in words if len(w) > 5}
while len(keywords) < 15000:
    a, b = rng.sample(words, 2)
    keywords.add(f"{a} {b}")
paths = [f"/api/v1/web/goods?keyword={urllib.parse.quote(k)}&page={p}" for k in sorted(keywords) for p in (1, 2)]
rng.shuffle(paths)
open(f"{work}/search.paths", "w").write("\n".join(paths))
cats = [f"/api/v1/web/goods?category_id={c}&sort={s}&page={p}&min_price={lo}00&max_price={lo + 300}00"
        for c in categories for s in ("price_asc", "price_desc") for p in range(1, 6) for lo in range(0, 900, 10)]
rng.shuffle(cats)
open(f"{work}/category.paths", "w").write("\n".join(cats))
day = 86_400_000
open(f"{work}/ranges.paths", "w").write("\n".join(
    f"/api/v1/web/credit/transactions?from={(d0 := rng.randint(1, 725))}&to={d0 + 2}".replace(f"from={d0}", "from=DAY" + str(d0)).replace(f"to={d0 + 2}", "to=DAY" + str(d0 + 2))
    for _ in range(20000)))
open(f"{work}/random-pages.paths", "w").write("\n".join(f"/api/v1/web/credit/transactions?page={rng.randint(1, 2000)}" for _ in range(20000)))
open(f"{work}/cursors.paths", "w").write("\n".join(f"/api/v1/web/credit/transactions?cursor={rng.randint(2, entries)}" for _ in range(20000)))
PY
# Ranges as dates: DAYn = n days ago.
python3 - "$work/ranges.paths" <<'PY'
import re, sys, datetime
p = sys.argv[1]; today = datetime.date.today()
text = re.sub(r"DAY(\d+)", lambda m: (today - datetime.timedelta(days=int(m.group(1)))).isoformat(), open(p).read())
# from is the older day: swap so that from <= to
lines = []
for line in text.splitlines():
    f, t = re.findall(r"\d{4}-\d{2}-\d{2}", line)
    lo, hi = sorted([f, t])
    lines.append(f"/api/v1/web/credit/transactions?from={lo}&to={hi}")
open(p, "w").write("\n".join(lines))
PY

# bench TOOL_DLL LABEL
bench() {
  local tool=$1 label=$2 data="$work/data-${2// /-}"
  hishop() { dotnet "$tool" "$@" --data-dir "$data"; }
  local started
  started=$(date +%s)
  hishop catalog import "$work/catalog.jsonl" >/dev/null
  local imported=$(( $(date +%s) - started ))
  hishop demo >"$work/demo"
  python3 bench/fill-ledger.py "$data/hishop.db" demo@hishop.local "$entries" >/dev/null
  local check
  check=$(hishop db check 2>&1 | tail -n 1)
  local password
  password=$(awk '/^password:/ {print $2}' "$work/demo")
  serve_demo "$tool" "$data" "$password"
  # Warm-up: /healthz, then searches and category pages that are not measured (page 3; page 6), so each path has run
  # before its row and no measured answer is in the result cache.
  load --seconds 2 >/dev/null 2>&1
  sed 's/&page=[12]$/\&page=3/' "$work/search.paths" >"$work/warm-search.paths"
  sed 's/&page=[1-5]&/\&page=6\&/' "$work/category.paths" >"$work/warm-category.paths"
  load --seconds 2 --get-file "$work/warm-search.paths" --header "$auth" >/dev/null 2>&1
  load --seconds 2 --get-file "$work/warm-category.paths" --header "$auth" >/dev/null 2>&1

  echo
  echo "### $label"
  echo
  echo "store: $goods goods (import ${imported} s), $entries ledger entries for one merchant; \`hishop db check\`: $check"
  echo
  echo "| scenario                           | conns |       rps |  p50 ms |  p99 ms | non-2xx | code≠0  |   answers |"
  echo "|------------------------------------|-------|-----------|---------|---------|---------|---------|-----------|"
  load --label "/healthz" 2>>"$work/errors"
  load --label "keyword search (distinct)" --get-file "$work/search.paths" --header "$auth" 2>>"$work/errors"
  load --label "category + price range + sort" --get-file "$work/category.paths" --header "$auth" 2>>"$work/errors"
  load --label "transactions page 1" --get /api/v1/web/credit/transactions --header "$auth" 2>>"$work/errors"
  load --label "transactions type=TOPUP page 1" --get "/api/v1/web/credit/transactions?type=TOPUP" --header "$auth" 2>>"$work/errors"
  load --label "transactions 3-day range (distinct)" --get-file "$work/ranges.paths" --header "$auth" 2>>"$work/errors"
  load --label "transactions by cursor (keyset)" --get-file "$work/cursors.paths" --header "$auth" 2>>"$work/errors"
  load --label "transactions random page 1–2,000" --get-file "$work/random-pages.paths" --header "$auth" 2>>"$work/errors"
  load --label "GET /credit (totals, 30-day chart)" --get /api/v1/web/credit --header "$auth" 2>>"$work/errors"
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  echo
  echo "distinct paths: $(wc -l <"$work/search.paths") searches, $(wc -l <"$work/category.paths") category pages, $(wc -l <"$work/ranges.paths") ranges, $(wc -l <"$work/cursors.paths") cursors (a row with fewer answers than paths repeated none)"
}

echo "hishop serve (Release) and the load generator on one machine: $(nproc) cores; ${seconds} s per row, 16 connections; $(date -u +%F)"
if [ -n "$baseline" ]; then
  bench "$(baseline_tool "$baseline")" "baseline $baseline"
fi
bench "$current_tool" "this checkout"
[ -s "$work/errors" ] && { echo; echo "load generator errors:"; sort -u "$work/errors" | head -n 5; }
exit 0
