#!/usr/bin/env bash
# Benchmark of the call simulator (issue: workflows): test-workflow on a store of 2,000
# workflows, 4,000 queues, 4,000 agent groups and 20,000 agents. Prints figures; asserts nothing.
source "$(dirname "$0")/common.sh"
start=$(date +%s.%N)
"$seed" "$RGS_STORE" bench.example.com 4000 4000 2000 5
echo "seeded 2,000 workflows, 4,000 queues, 4,000 agent groups, 20,000 agents in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -h "$RGS_STORE" | cut -f1))"
"$time_it" "test-workflow (open, queue, 5 agents)" 101 -- "$rgs" test-workflow "Workflow 1234" --at 2026-11-24T10:00:00Z
"$time_it" "test-workflow -o json" 101 -- "$rgs" test-workflow "Workflow 77" --at 2026-11-24T10:00:00Z -o json
"$time_it" "test-configuration (whole store)" 5 -- "$rgs" test-configuration
"$time_it" "--version (process start alone)" 101 -- "$rgs" --version
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
