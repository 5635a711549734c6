#!/usr/bin/env bash
# Benchmark of rgs commands on a large store (issue: foundation). Prints figures; asserts nothing.
#   bench/cli.sh            10,000 agent groups, 5,000 queues
# The single commands are timed twice: on the store file alone, and with rgsd serving the store
# (the deployed case: rgs then sends the command to rgsd's control socket, cli/forward.cc).
source "$(dirname "$0")/common.sh"
start=$(date +%s.%N)
"$seed" "$RGS_STORE" bench.example.com 10000 5000 0 2
echo "seeded 10,000 agent groups and 5,000 queues in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -h "$RGS_STORE" | cut -f1))"

export RGS_CONTROL=$work/none.sock   # no rgsd yet
echo "-- the store file alone"
"$time_it" "new-agentgroup (one command)" 101 -- "$rgs" -q new-agentgroup "Bench {i}" --agent "sip:x{i}@example.com"
"$time_it" "get-agentgroup NAME" 101 -- "$rgs" get-agentgroup "Group 5000"
"$time_it" "set-queue (one command)" 101 -- "$rgs" -q set-queue "Queue 42" --description "bench {i}"

echo "-- rgsd serving the store"
rgsd=$top/build/rgsd
sip_port=$(python3 -S -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'store: %s\nsip:\n  listen: sip:127.0.0.1:%s\ncontrol: %s\n' "$RGS_STORE" "$sip_port" "$work/rgsd.sock" >"$work/rgsd.yaml"
"$rgsd" --config "$work/rgsd.yaml" 2>"$work/rgsd.log" &
rgsd_pid=$!
trap 'kill -TERM $rgsd_pid 2>/dev/null; wait $rgsd_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -S "$work/rgsd.sock" ] && break; sleep 0.1; done
export RGS_CONTROL=$work/rgsd.sock
"$time_it" "new-agentgroup (one command), rgsd serving" 101 -- "$rgs" -q new-agentgroup "Served {i}" --agent "sip:y{i}@example.com"
"$time_it" "get-agentgroup NAME, rgsd serving" 101 -- "$rgs" get-agentgroup "Group 5000"
"$time_it" "set-queue (one command), rgsd serving" 101 -- "$rgs" -q set-queue "Queue 42" --description "served {i}"
echo "rgsd: $(grep -c 'now serving' "$work/rgsd.log") reloads while it ran ($(grep -o 'read in [0-9]* ms' "$work/rgsd.log" | tail -1)); CPU $(ps -o time= -p "$rgsd_pid")"
kill -TERM "$rgsd_pid"
wait "$rgsd_pid" 2>/dev/null
export RGS_CONTROL=$work/none.sock
echo "-- the store file alone"
"$time_it" "get-agentgroup -o json (all 10,000)" 11 -- "$rgs" get-agentgroup -o json
"$time_it" "--version (process start alone)" 101 -- "$rgs" --version
"$time_it" "true (spawning a process)" 101 -- true

# 1,000 inserts one command each, through rgs and through the sqlite3 shell on a copy of the store.
cp "$RGS_STORE" "$work/copy.db"
doc='{"OwnerPool":"bench.example.com","Name":"X","Description":"","AgentAlertTime":20,"ParticipationPolicy":"Informal","RoutingMethod":"Parallel","AgentsByUri":["sip:x@example.com"],"DistributionGroupAddress":null}'
t0=$(date +%s.%N)
for i in $(seq 1 1000); do "$rgs" -q new-agentgroup "Insert $i" --agent "sip:i$i@example.com"; done
t1=$(date +%s.%N)
for i in $(seq 1 1000); do
  sqlite3 "$work/copy.db" "PRAGMA synchronous=FULL; BEGIN IMMEDIATE; INSERT INTO revisions(rev,time,actor,role,command,summary) SELECT max(rev)+1,'t','a','administrator','c','s' FROM revisions; INSERT INTO objects(kind,guid,name,rev_from,doc) SELECT 'agentgroup','g$i','Insert $i',max(rev),'$doc' FROM revisions; COMMIT;"
done
t2=$(date +%s.%N)
rgs_s=$(echo "$t1 - $t0" | bc)
sql_s=$(echo "$t2 - $t1" | bc)
printf '%-48s rgs %.2f s, sqlite3 shell %.2f s, ratio %.2f\n' "1,000 inserts, one process each" "$rgs_s" "$sql_s" "$(echo "$rgs_s / $sql_s" | bc -l)"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
