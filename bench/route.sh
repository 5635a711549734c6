#!/usr/bin/env bash
# The routing core's decision time (bench/route.cc, Google Benchmark): one decision with 10,000
# calls waiting and 5,000 agents in one group, for each routing method, beside the scan-based
# planner. Prints Google Benchmark's table.
. "$(dirname "$0")/common.sh"
cmake --build "$top/build" --target rgs-bench-route >/dev/null
"$top/build/bench/rgs-bench-route" --benchmark_min_time="${ROUTE_MIN_TIME:-0.5}" 2>&1 | grep -E "^(BM_|Benchmark|---)"
