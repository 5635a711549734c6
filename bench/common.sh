# Shared by the benchmark scripts (sourced): builds if needed, names the tools, makes a work
# directory removed on exit, and prints the machine's load.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -x "$top/build/rgs" ] && [ -x "$top/build/bench/rgs-bench-seed" ] && [ -x "$top/build/bench/rgs-bench-time" ] ||
  "$top/scripts/setup"
rgs=$top/build/rgs
seed=$top/build/bench/rgs-bench-seed
time_it=$top/build/bench/rgs-bench-time
work=$(mktemp -d /tmp/rgs-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export RGS_STORE=$work/rgs.db
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
