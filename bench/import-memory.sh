#!/usr/bin/env bash
# Import benchmark: peak memory (max RSS) and time of `hishop catalog import` on a large synthetic catalog.
# Goal (issue 4): 100,000 goods with 1,000,000 SKUs under 300 MB peak memory.
#
#   bench/import-memory.sh [GOODS] [SKUS_PER_GOODS]      (defaults 100000 10)
set -euo pipefail
cd "$(dirname "$0")/.."
goods=${1:-100000}
per=${2:-10}
limit_mb=300

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/HiShopping.Tool -c Release --nologo -v quiet >/dev/null
tool=src/HiShopping.Tool/bin/Release/net10.0/hishop.dll

python3 bench/generate-catalog.py "$work/catalog.jsonl" "$goods" "$per"
size_mb=$(( $(stat -c %s "$work/catalog.jsonl") / 1024 / 1024 ))

run() { # label, then the hishop arguments
  local label=$1; shift
  /usr/bin/time -f '%M %e' -o "$work/time" dotnet "$tool" "$@" --data-dir "$work/data" >"$work/out" 2>"$work/err" || true
  read -r rss_kb seconds < <(tail -n 1 "$work/time")
  printf '| %-22s | %9s | %12s | %9s | %10s |\n' "$label" "$(( rss_kb / 1024 )) MB" "$seconds s" \
    "$(awk -v n="$goods" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')" "$( [ $(( rss_kb / 1024 )) -lt $limit_mb ] && echo ok || echo OVER)"
}

echo "catalog: $goods goods x $per SKUs = $(( goods * per )) SKUs, ${size_mb} MB of JSON Lines"
echo
printf '| %-22s | %9s | %12s | %9s | %10s |\n' "run" "peak RSS" "wall time" "goods/s" "< ${limit_mb} MB"
printf '|%s|%s|%s|%s|%s|\n' "------------------------" "-----------" "--------------" "-----------" "------------"
run "import (fresh store)" catalog import "$work/catalog.jsonl"
run "import again (no-op)" catalog import "$work/catalog.jsonl"
run "export" catalog export --out "$work/export.jsonl"

# Issue 15: one 300 MB record must be skipped with its line number, not read into memory.
python3 - "$work/huge.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"type":"category","category_id":"huge-c","name":"Huge"}\n')
    f.write('{"type":"goods","goods_id":"huge-g","category_id":"huge-c","title":"Huge","description":"')
    chunk = "x" * (1 << 20)
    for _ in range(300):
        f.write(chunk)
    f.write('","skus":[{"sku_id":"huge-s","price":"1.00"}]}\n')
    f.write('{"type":"goods","goods_id":"after-g","category_id":"huge-c","title":"After","skus":[{"sku_id":"after-s","price":"1.00"}]}\n')
PY
goods=1
run "one 300 MB record" catalog import "$work/huge.jsonl"
grep -q "larger than 1 MiB" "$work/err" && echo "(the 300 MB record was rejected: $(grep -o 'line [0-9]*: the record is larger than 1 MiB' "$work/err"))"
