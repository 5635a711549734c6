#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang-14, in build-fuzz/) and runs each for SECONDS
# (default 600), one after the other. Each run starts from the committed corpus and crash
# reproducers and from what earlier runs found (bench/out/fuzz/NAME/corpus, kept between runs);
# an input that fails is written to bench/out/fuzz/NAME/ (crash-*, leak-*, timeout-*, oom-*) and
# ends that target's run. Prints one table: target, seconds run, executions, exec/s, corpus size
# (inputs libFuzzer kept), crashes. Exits 1 when any target failed.
#   bench/fuzz.sh [SECONDS]          run as: flock /tmp/rgs-build.lock bench/fuzz.sh 600
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
targets=(${FUZZ_TARGETS:-archive import document sip sdp wav})   # FUZZ_TARGETS: a subset, e.g. to run two at once
build=$top/build-fuzz
out=$top/bench/out/fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRGS_FUZZ=ON -DRGS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target fuzz

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $seconds s per target"
rows=()
failed=0
for name in "${targets[@]}"; do
  dir=$out/$name
  mkdir -p "$dir/corpus"
  before=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  seeds=("$top/tests/fuzz/corpus/$name")
  [ -d "$top/tests/fuzz/regressions/$name" ] && seeds+=("$top/tests/fuzz/regressions/$name")
  case $name in
    document | import) dict=(-dict="$top/tests/fuzz/document.dict") ;;
    *) dict=() ;;
  esac
  start=$(date +%s)
  # New inputs go to the first folder only: the committed ones are read, never written.
  "$build/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$dir/" "$dir/corpus" "${seeds[@]}" >"$dir/log" 2>&1 || true
  ran=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  corpus=$(grep -o 'corp: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  after=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  crashes=$((after - before))
  [ "$crashes" -gt 0 ] && failed=1
  rows+=("$(printf '%-10s %8s %12s %8s %8s %8s' "$name" "$ran" "${execs:-?}" "${rate:-?}" "${corpus:-?}" "$crashes")")
done

printf '%-10s %8s %12s %8s %8s %8s\n' target seconds executions exec/s corpus crashes
printf '%s\n' "${rows[@]}"
if [ "$failed" = 1 ]; then
  echo "failing inputs (and logs) are in $out/NAME/; replay one with build-fuzz/fuzz/NAME_fuzz FILE"
  exit 1
fi
