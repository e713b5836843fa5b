# Shared by the load benchmarks (sourced): a work directory removed at exit together with a running serve and a
# baseline worktree, Release builds of the tool and the load generator, and the baseline's build.
work=$(mktemp -d)
serve_pid=
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  wait 2>/dev/null
  git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/HiShopping.Tool -c Release --nologo -v quiet >/dev/null
dotnet build bench/HiShopping.Bench -c Release --nologo -v quiet >/dev/null
generator=bench/HiShopping.Bench/bin/Release/net10.0/HiShopping.Bench.dll
current_tool=src/HiShopping.Tool/bin/Release/net10.0/hishop.dll

# baseline_tool REF: builds that commit's tool in a worktree and prints the path of its hishop.dll.
baseline_tool() {
  git worktree add --detach "$work/baseline" "$1" >/dev/null 2>&1
  dotnet build "$work/baseline/src/HiShopping.Tool" -c Release --nologo -v quiet >/dev/null
  echo "$work/baseline/src/HiShopping.Tool/bin/Release/net10.0/hishop.dll"
}
