#!/usr/bin/env bash
# Benchmark of rgsd's media side (issue: media). Prints figures; asserts nothing.
#   bench/media.sh
# 1. MEDIA_BENCH_CALLERS callers (bench/sip/mohcallers.py) call a workflow whose welcome prompt is
#    text-to-speech and whose queue has no agent online: each hears the welcome, then music on
#    hold, for as long as it waits. Measured over a window once all are in: rgsd's CPU (% of one
#    core), the spacing of each stream's packets (deviation from 20 ms, kernel arrival times),
#    sequence and timestamp errors, memory per caller, and the time from the 200 OK to the
#    first packet (the welcome's).
# 2. The text-to-speech cache: text renderings rgsd did against prompts played to the callers
#    (rgsd renders each (text, language) once, when the revision loads).
# 3. Text-to-speech renderings per second (build/bench/rgs-bench-speak: espeak-ng, en-US).
# Everything is on 127.0.0.1; the load average is printed first (the machine may be shared).
#
# Environment (defaults in brackets):
#   MEDIA_BENCH_CALLERS [1000]   callers on music on hold at once
#   MEDIA_BENCH_RATE [200]       new calls per second
#   MEDIA_BENCH_WINDOW [10]      seconds measured once all are in
#   MEDIA_BENCH_SPEAK [50]       renderings timed by rgs-bench-speak
source "$(dirname "$0")/common.sh"
callers=${MEDIA_BENCH_CALLERS:-1000}
rate=${MEDIA_BENCH_RATE:-200}
window=${MEDIA_BENCH_WINDOW:-10}
speak=${MEDIA_BENCH_SPEAK:-50}
rgsd=$top/build/rgsd
[ -x "$top/build/bench/rgs-bench-speak" ] || "$top/scripts/setup"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((2 * callers + 200)) ] || ulimit -n $((2 * callers + 1024)) 2>/dev/null ||
  echo "note: ulimit -n is $(ulimit -n), too few descriptors for $callers callers"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
status_kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
control() { python3 "$top/tests/sip/status.py" "$work/rgsd.sock" "$1"; }

# ---- the configuration and rgsd --------------------------------------------------------------
"$rgs" -q --pool media.example.com new-agentgroup Away --agent sip:nobody@example.com
"$rgs" -q new-queue Hold --agent-group Away
"$rgs" -q new-workflow Hold --primary-uri sip:hold@example.com --active true --default-action queue:Hold \
  --default-prompt "text:Thank you for calling the help desk. All our agents are busy. Please hold."
port=$((15000 + RANDOM % 5000))
cat >"$work/rgsd.yaml" <<EOF
store: $RGS_STORE
sip: {listen: "sip:127.0.0.1:$port", max_calls: 1000000, probe_interval: 0}
control: $work/rgsd.sock
rtp: {address: 127.0.0.1, ports: "20000-39999"}
log_level: warning
EOF
"$rgsd" --config "$work/rgsd.yaml" >"$work/rgsd.log" 2>&1 &
rgsd_pid=$!
pids+=("$rgsd_pid")
for _ in $(seq 100); do [ -S "$work/rgsd.sock" ] && control Revision >/dev/null 2>&1 && break; sleep 0.1; done
control Revision >/dev/null || { echo "media.sh: rgsd did not start"; cat "$work/rgsd.log"; exit 1; }
sleep 2
idle_rss=$(status_kib "$rgsd_pid" VmRSS)
echo "== rgsd $("$rgsd" --version | cut -d' ' -f2): $callers callers at $rate/s on a text welcome, then music on hold"

# ---- 1. callers on hold ----------------------------------------------------------------------
python3 "$top/bench/sip/mohcallers.py" "$port" hold "$callers" "$rate" "$window" --ready "$work/window" \
  >"$work/callers.json" 2>"$work/callers.err" &
caller_pid=$!
pids+=("$caller_pid")
for _ in $(seq $(((callers / rate + 60) * 20))); do [ -e "$work/window" ] && break; kill -0 "$caller_pid" 2>/dev/null || break; sleep 0.05; done
[ -e "$work/window" ] || { echo "media.sh: the callers never all got in"; cat "$work/callers.err"; exit 1; }
c0=$(cpu_ticks "$rgsd_pid"); t0=$(now)
while [ -e "$work/window" ]; do sleep 0.05; done
c1=$(cpu_ticks "$rgsd_pid"); t1=$(now)
hold_rss=$(status_kib "$rgsd_pid" VmRSS)
wait "$caller_pid" || { echo "media.sh: mohcallers.py failed"; cat "$work/callers.err"; exit 1; }
hz=$(getconf CLK_TCK)
cpu=$(echo "scale=1; ($c1 - $c0) * 100 / $hz / ($t1 - $t0)" | bc)
renderings=$(control Renderings)   # since rgsd started: the revision's prompts, rendered when it loaded
played=$(control PromptsPlayed)
python3 - "$work/callers.json" "$cpu" "$idle_rss" "$hold_rss" "$callers" "$renderings" "$played" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
cpu, idle, hold, n, renderings, played = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
f, s = r["first_packet_ms"], r["spacing_dev_ms"]
print("   answered %d, failed %d; BYEs answered 200: %d" % (r["answered"], r["failed"], r["byes_ok"]))
print("   rgsd CPU over the window: %s %% of one core" % cpu)
print("   RTP received: %d packets/s (%d x 50 expected); sequence errors %d, timestamp errors %d, silent streams %d"
      % (r["pps"], n, r["seq_errors"], r["ts_errors"], r["streams_silent"]))
print("   packet spacing, deviation from 20 ms: p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (s["p50"] or 0, s["p99"] or 0, s["max"] or 0))
print("   200 OK to the first packet: p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (f["p50"] or 0, f["p99"] or 0, f["max"] or 0))
print("   memory: %.1f MiB idle, %.1f MiB with %d callers: %.1f KiB per caller" % (idle / 1024, hold / 1024, n, (hold - idle) / n))
hits = played - renderings
print("   text-to-speech cache: %d renderings for %d prompts played (hit rate %.1f %%)"
      % (renderings, played, 100.0 * hits / played if played else 0))
EOF

# ---- 3. renderings per second ------------------------------------------------------------------
echo "== text-to-speech: $speak distinct sentences, en-US"
"$top/build/bench/rgs-bench-speak" "$speak" en-US | python3 -c 'import json,sys
r = json.load(sys.stdin)
print("   %d renderings in %.2f s: %.1f per second (%.1f s of speech)" % (r["renderings"], r["seconds"], r["per_second"], r["audio_seconds"]))'
