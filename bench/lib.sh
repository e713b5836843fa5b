# Shared by the load benchmarks (sourced): a work directory removed at exit together with a running serve and a
# baseline worktree, Release builds of the tool and the load generator, and the baseline's build.
work=$(mktemp -d)
serve_pid=
cleanup() {
  [ -n "$serve_pid" ] && kill $serve_pid 2>/dev/null # one pid, or two (orders.sh --db with two serve)
  wait 2>/dev/null
  git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/HiShopping.Tool -c Release --nologo -v quiet >/dev/null
dotnet build bench/HiShopping.Bench -c Release --nologo -v quiet >/dev/null
generator=bench/HiShopping.Bench/bin/Release/net10.0/HiShopping.Bench.dll
current_tool=src/HiShopping.Tool/bin/Release/net10.0/hishop.dll

# load ARGS…: the load generator's `load` mode. Fully compiled from its first call (no tiering): each row is a fresh
# process, and its first second ran tier-0 code that held up every connection at once (measured: a cluster of slow
# answers at the start of each row, up to 1 % of a row's orders, which is the p99 the table reports). Without tiering
# there is no dynamic PGO either: its steady code may be a little slower, the same for every build in a run.
# Socket completions run on the generator's epoll thread itself instead of hopping to a thread-pool worker, as wrk runs
# its event loop: the generator shares the two cores with serve, and this took about a third off its CPU per request
# (34–38 → 22–27 µs, measured with BENCH_CPU=1), leaving that time to serve. It changes nothing in serve.
loadgen() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_TieredCompilation=0 dotnet "$generator" load "$@"; }

# baseline_tool REF: builds that commit's tool in a worktree and prints the path of its hishop.dll. Its load generator is
# built too (baseline_probe), for what opens the baseline's store itself: a newer build's store code would migrate
# that store to its own schema under the baseline's serve.
baseline_tool() {
  git worktree add --detach "$work/baseline" "$1" >/dev/null 2>&1
  dotnet build "$work/baseline/src/HiShopping.Tool" -c Release --nologo -v quiet >/dev/null
  if [ -d "$work/baseline/bench/HiShopping.Bench" ]; then
    dotnet build "$work/baseline/bench/HiShopping.Bench" -c Release --nologo -v quiet >/dev/null || echo "baseline: its load generator did not build; no top-ups probe" >&2
  fi
  echo "$work/baseline/src/HiShopping.Tool/bin/Release/net10.0/hishop.dll"
}

# baseline_probe: the baseline's load generator (after baseline_tool), or nothing when that commit had none.
baseline_probe() {
  local probe="$work/baseline/bench/HiShopping.Bench/bin/Release/net10.0/HiShopping.Bench.dll"
  [ -f "$probe" ] && echo "$probe"
}

# serve_demo TOOL_DLL DATA_DIR PASSWORD: starts that tool's serve on $port (its pid in serve_pid), waits for /healthz,
# signs the demo merchant in, and sets auth to the Authorization header line for the load generator.
serve_demo() {
  dotnet "$1" serve --data-dir "$2" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local token
  token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/web/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"demo@hishop.local\",\"password\":\"$3\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])')
  auth="Authorization: Bearer $token"
}
