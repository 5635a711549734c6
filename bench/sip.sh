#!/usr/bin/env bash
# Benchmark of rgsd on the SIP path, with Kamailio as the yardstick (issue: rgsd benchmark).
# Prints figures; asserts nothing. Takes 10 to 15 minutes with the defaults.
#   bench/sip.sh
# 1. 1,000 SIPp callers waiting in a queue at once (rgsd answers them and sends them RTP), 1,000
#    registered agents signed out of a formal group: rgsd's memory per waiting call, its CPU.
# 2. SIPp callers -> rgsd -> SIPp agents that answer at once, calls held 1 s: the time from the
#    caller's INVITE to the agent's INVITE at 500 calls/s, then the highest rate with no failed
#    call (stepped search), rgsd's CPU and peak memory.
# 3. The yardstick, A/B with rgsd at each step: Kamailio as a stateful proxy (tm, record-route)
#    between the same SIPp caller and answerer, the same search; the ratio rgsd/Kamailio.
# Everything is on 127.0.0.1; /proc/loadavg is printed with each point (the machine is shared).
#
# Environment (defaults in brackets):
#   SIP_BENCH_SECONDS [30]      seconds of calls at each step
#   SIP_BENCH_RATES [250 500 750 1000 1500 2000 2500 3000 3500 4000 5000 6000 8000 10000 12000 14000 16000]
#   SIP_BENCH_LATENCY_RATE [500], SIP_BENCH_LATENCY_SECONDS [10]   the traced latency point
#   SIP_BENCH_WAITING [1000]    callers waiting at once (and agents registered, signed out)
#   SIP_BENCH_SETTLE [45]       seconds for the SIP stack's finished transactions to expire
#                               (64*T1 = 32 s) and their pages to go back to the system
#                               (jemalloc, 10 s more) before memory is read
#   SIP_BENCH_WAIT_CPU_SECONDS [10]  the window over which the waiting calls' CPU is measured
#   SIP_BENCH_GROUP_SIZE [100]  agents per agent group; each group has its queue and workflow and
#                               the callers are spread evenly over as many as the rate needs
#   SIP_BENCH_ROUTING [round-robin]  the groups' routing method (one offer per call)
#   SIP_BENCH_PAUSE [5]         seconds between points
#   SIP_BENCH_MAX_FAILED_PCT [0] failed calls a point may have and still count as clean, in % of
#                               its calls (a diagnostic: to see past a rare failure; 0 is the
#                               benchmark's rule)
#   SIP_BENCH_KEEP [0]          1: keep the work directory (logs, SIPp screens) and print its path
source "$(dirname "$0")/common.sh"

secs_per_point=${SIP_BENCH_SECONDS:-30}
rates=${SIP_BENCH_RATES:-250 500 750 1000 1500 2000 2500 3000 3500 4000 5000 6000 8000 10000 12000 14000 16000}
lat_rate=${SIP_BENCH_LATENCY_RATE:-500}
lat_secs=${SIP_BENCH_LATENCY_SECONDS:-10}
waiting=${SIP_BENCH_WAITING:-1000}
settle=${SIP_BENCH_SETTLE:-45}
wait_cpu_secs=${SIP_BENCH_WAIT_CPU_SECONDS:-10}
group_size=${SIP_BENCH_GROUP_SIZE:-100}
routing=${SIP_BENCH_ROUTING:-round-robin}
pause_secs=${SIP_BENCH_PAUSE:-5}
max_failed_pct=${SIP_BENCH_MAX_FAILED_PCT:-0}
hold_ms=1000
scen=$top/bench/sip
export RGS_POOL=bench.example.com
clk=$(getconf CLK_TCK)

# ---- processes: every one started here is remembered and stopped by its PID ----------------
pids=()
# ours PID [PARENT]: PID is running and a child of PARENT (default: this shell). PIDs are reused
# (pid_max may be 32768), so every signal checks first that it reaches what this script started.
ours() {
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  set -- "$1" "${2:-$$}" $st
  [ "$3" != Z ] && [ "$4" = "$2" ]
}
signal() { if ours "$2" "${3:-}"; then kill "-$1" "$2" 2>/dev/null || true; fi; }   # SIGNAL PID [PARENT]
cleanup() {
  local p
  for p in "${pids[@]}"; do signal TERM "$p"; done
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do ours "$p" && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do signal KILL "$p"; done
  if [ "${SIP_BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v sipp >/dev/null || { echo "sip.sh: sipp is missing (Debian package sip-tester; scripts/setup installs it)" >&2; exit 1; }
have_kamailio=1
# The yardstick is installed here, not by scripts/setup: only this benchmark needs it.
if ! command -v kamailio >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "   installing kamailio (Debian package) for the yardstick"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kamailio >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kamailio >/dev/null 2>&1; } || true
  systemctl disable --now kamailio >/dev/null 2>&1 || true   # Debian's service must not hold a port
fi
command -v kamailio >/dev/null || { have_kamailio=0; echo "kamailio is not installed (run as root to install it): the yardstick is skipped"; }
if [ $have_kamailio = 1 ] && pgrep -x kamailio >/dev/null; then
  echo "note: a Kamailio this script did not start is running (pids $(pgrep -x kamailio | tr '\n' ' ')); its CPU counts as other load" \
    "(Debian's service: systemctl disable --now kamailio)"
fi
# rgsd opens two sockets per waiting caller (RTP and RTCP) and keeps 256 descriptors for the rest.
# Root may raise the hard limit too (up to fs.nr_open); anyone else gets the hard limit.
need_fds=$((2 * waiting + 512))
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge "$need_fds" ] || ulimit -Hn "$need_fds" 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need_fds" ] ||
  echo "note: ulimit -n is $(ulimit -n), too few descriptors for $waiting waiting callers (rgsd answers the last ones 503)"

# Free 127.0.0.1 ports (UDP and TCP, each with the 3 above it for SIPp's media), below the kernel's
# ephemeral ports and rgsd's RTP range, so that nothing else is handed one during the run. The
# SIPp processes facing rgsd and those facing Kamailio have ports of their own, so that one
# daemon's late retransmissions never reach the other's test.
read -r p_rgsd1 p_rgsd2 p_kam p_uas p_uas_k p_caller p_caller_k p_reg p_cmedia p_umedia < <(python3 - <<'EOF'
import random, socket
def free(p):
    for port in range(p, p + 4):
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
            finally:
                s.close()
    return True
ports = []
while len(ports) < 10:
    p = random.randrange(10000, 19996, 4)
    if p not in ports and free(p):
        ports.append(p)
print(*ports)
EOF
)

# ---- measuring ---------------------------------------------------------------------------------
cpu_ticks() {   # PID... -> utime+stime summed, in clock ticks
  local t=0 p v
  for p in "$@"; do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || v=0
    t=$((t + ${v:-0}))
  done
  echo $t
}
status_kib() { if ours "$1"; then awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; else echo 0; fi; }
mib() { echo "scale=1; $1 / 1024" | bc; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
pct() { printf '%.1f' "$(echo "scale=3; 100 * $1 / ($clk * $2)" | bc)"; }   # ticks, seconds -> % of one core
ms_per_call() { [ "$2" -gt 0 ] && printf '%.3f' "$(echo "scale=4; 1000 * $1 / $clk / $2" | bc)" || echo "n/a"; }   # ticks, calls
thread_ticks() {   # PID -> "TID ticks" per thread, sorted for join
  local t
  for t in /proc/"$1"/task/*; do echo "${t##*/} $(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"; done | sort
}
udp_drops() {   # PORT... -> datagrams dropped so far on the 127.0.0.1 UDP sockets bound to each port
  local p out=()
  for p in "$@"; do
    out+=("$(awk -v p="$(printf ':%04X' "$p")" 'index($2, p) == 9 {d += $NF} END {print d + 0}' /proc/net/udp)")
  done
  echo "${out[*]}"
}
daemon_pids() {   # rgsd: itself; Kamailio: the main process and its workers
  if [ "$1" = rgsd ]; then echo "$rgsd_pid"; else echo "$kam_pid $(pgrep -P "$kam_pid" | tr '\n' ' ')"; fi
}

# Reads a SIPp final screen: successful failed created retrans timeouts unexpected elapsed_s
sipp_stats() {
  [ -f "$1" ] || { echo "0 0 0 0 0 0 0"; return; }
  python3 - "$1" <<'EOF'
import re, sys
txt = open(sys.argv[1], errors="replace").read()
def cum(name):
    m = re.findall(r"^\s*" + name + r"\s*\|[^|]*\|\s*(\S+)", txt, re.M)
    return m[-1] if m else "0"
el = [int(x) for x in cum("Elapsed Time").split(":")] if ":" in cum("Elapsed Time") else [0, 0, 0, 0]
elapsed = el[0] * 3600 + el[1] * 60 + el[2] + el[3] / 1e6
created = int(cum("Outgoing calls created")) + int(cum("Incoming calls created"))
retrans = timeouts = unexpected = 0
table = txt.split("Messages  Retrans")[-1] if "Messages  Retrans" in txt else ""
for line in table.splitlines():
    if "-" * 10 + ">" not in line and "<" + "-" * 10 not in line:
        if "Test Terminated" in line or "Statistics Screen" in line:
            break
        continue
    head, after = re.split(r"-{10}>|<-{10}", line, maxsplit=1)
    toks = after.split()
    if not head.strip():
        toks = toks[1:]   # "  ----------> INVITE  20 0 0": the message name follows the arrow
    nums = [int(t) for t in toks if t.isdigit()]
    if len(nums) > 1: retrans += nums[1]
    if len(nums) > 2: timeouts += nums[2]
    if len(nums) > 3: unexpected += nums[3]
print(cum("Successful call"), cum("Failed call"), created, retrans, timeouts, unexpected, "%.1f" % elapsed)
EOF
}

# INVITE sent by the caller -> INVITE received by the agent, matched on "Caller N" in From.
latency() {
  [ -f "$1" ] && [ -f "$2" ] || { echo "0 - - -"; return; }
  python3 - "$1" "$2" <<'EOF'
import datetime, re, sys
head = re.compile(r"^-{47} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)$", re.M)
def firsts(path, direction):
    txt = open(path, errors="replace").read()
    parts = head.split(txt)
    out = {}
    for i in range(1, len(parts) - 1, 2):
        body = parts[i + 1].lstrip("\n")
        if not body.startswith("UDP message " + direction):
            continue
        msg = body.split("\n\n", 1)[1] if "\n\n" in body else ""
        if not msg.startswith("INVITE "):
            continue
        m = re.search(r'^From: "Caller (\d+)"', msg, re.M)
        if not m or m.group(1) in out:
            continue
        out[m.group(1)] = datetime.datetime.strptime(parts[i], "%Y-%m-%d %H:%M:%S.%f").timestamp()
    return out
sent, got = firsts(sys.argv[1], "sent"), firsts(sys.argv[2], "received")
d = sorted((got[k] - sent[k]) * 1000 for k in sent if k in got)
if not d:
    print("0 0 0 0")
else:
    print(len(d), "%.2f" % d[len(d) // 2], "%.2f" % d[min(len(d) - 1, int(len(d) * 0.99))], "%.2f" % d[-1])
EOF
}

# ---- SIPp ----------------------------------------------------------------------------------------
# sipp_start NAME SECONDS ARGS...: SIPp in the background, bounded by -timeout and by timeout(1);
# sets sipp_pid (timeout's PID, which passes signals on).
sipp_start() {
  local name=$1 t=$2
  shift 2
  timeout -k 5 $((t + 15)) sipp "$@" -i 127.0.0.1 -nostdin -timeout "${t}s" \
    -trace_err -error_file "$work/$name.err" >"$work/$name.out" 2>&1 &
  sipp_pid=$!
  pids+=("$sipp_pid")
}
child_of() { pgrep -P "$1" | head -1 || true; }
# Ends an answering SIPp that has not finished by itself (SIGUSR1: SIPp's smooth exit).
sipp_end() {
  local p=$1 c
  for _ in $(seq 50); do ours "$p" || break; sleep 0.2; done
  if ours "$p"; then
    c=$(child_of "$p"); [ -z "$c" ] || signal USR1 "$c" "$p"
    for _ in $(seq 25); do ours "$p" || break; sleep 0.2; done
    signal TERM "$p"
  fi
  wait "$p" 2>/dev/null || true
}
# What a SIPp error log says: its events counted by kind, and the first one in full.
first_errors() {
  [ -s "$1" ] || return 0
  python3 - "$1" "${2:-12}" <<'PY'
import collections, re, sys
txt = open(sys.argv[1], errors="replace").read()
events = re.split(r"\d{4}-\d\d-\d\d\t[\d:.]+\t[\d.]+: ", txt)[1:]
kinds = collections.Counter(re.sub(r"\d+", "N", e.split("'")[0].split("\n")[0]).strip()[:70] for e in events)
name = sys.argv[1].rsplit("/", 1)[-1].rsplit(".", 1)[0]
for k, n in kinds.most_common(4):
    print("      %s: %d x %s" % (name, n, k))
if events:
    print("\n".join("        | " + l.rstrip("\r") for l in events[0].rstrip().split("\n")[: int(sys.argv[2])]))
PY
}

# ---- the store ----------------------------------------------------------------------------------
groups_made=0
agents_registered=0
# credentials FIRST LAST PREFIX: agents PREFIX<FIRST..LAST>@example.com get the password "bench"
# (one set-agentcredential, one revision, for them all), before the group that makes rgsd take
# their REGISTERs.
credentials() {
  seq -f "sip:$3%.0f@example.com bench" "$1" "$2" | "$rgs" -q set-agentcredential --credential-file -
}
make_groups() {   # up to $1 groups: "Group g" (agents g*M+1..(g+1)*M), "Queue g", workflow sip:help<g>
  local g list
  while [ "$groups_made" -lt "$1" ]; do
    g=$groups_made
    list=$(seq -s, -f 'sip:agent%.0f@example.com' $((g * group_size + 1)) $(((g + 1) * group_size)))
    credentials $((g * group_size + 1)) $(((g + 1) * group_size)) agent
    "$rgs" -q new-agentgroup "Group $g" --routing-method "$routing" --agent "$list"
    "$rgs" -q new-queue "Queue $g" --agent-group "Group $g"
    "$rgs" -q new-workflow "Workflow $g" --primary-uri "sip:help$g@example.com" --default-action "queue:Queue $g" --active true
    groups_made=$((g + 1))
  done
}
# In lists of 2,000 agents: one argument of 10,000 would pass the kernel's limit (128 KiB).
credentials 1 "$waiting" wagent
"$rgs" -q new-agentgroup Waiting --participation-policy formal --routing-method "$routing" \
  --agent "$(seq -s, -f 'sip:wagent%.0f@example.com' 1 "$((waiting < 2000 ? waiting : 2000))")"
for ((first = 2001; first <= waiting; first += 2000)); do
  "$rgs" -q set-agentgroup Waiting --add-agent "$(seq -s, -f 'sip:wagent%.0f@example.com' "$first" "$((first + 1999 < waiting ? first + 1999 : waiting))")"
done
"$rgs" -q new-queue "Waiting queue" --agent-group Waiting
"$rgs" -q new-workflow "Waiting workflow" --primary-uri sip:wait@example.com --default-action "queue:Waiting queue" --active true
printf 'SEQUENTIAL\nwait;\n' >"$work/wait.csv"

# register NAME FIRST LAST PREFIX: agents PREFIX<FIRST..LAST> register with the answerer as Contact.
register() {
  local name=$1
  python3 "$scen/register.py" "$sip_port" "127.0.0.1:$p_uas" "$4" "$2" "$3" bench >"$work/$name.out" 2>&1 ||
    { echo "sip.sh: agents $4$2..$4$3 did not all register"; sed 's/^/   /' "$work/$name.out"; exit 1; }
}
# agents_ready SOCK COUNT: waits (up to 20 s) until rgsd says COUNT agents can take a call (it
# reads the store every 250 ms; agents still in a call from the last point are busy).
agents_ready() {
  local n=0
  for _ in $(seq 100); do
    n=$("$rgs" get-agentstate --control "$1" -o json | python3 -c 'import json,sys; print(sum(a["CanTakeCall"] for a in json.load(sys.stdin)))')
    [ "$n" -ge "$2" ] && return 0
    sleep 0.2
  done
  echo "   note: only $n of $2 agents can take a call after 20 s"
}
# Agents for rate R: groups enough that 1.25 R agents are free at once (a call holds its agent ~1 s).
agents_for() {
  local want=$(((($1 * 5 / 4) + group_size - 1) / group_size))
  make_groups "$want"
  # rgsd's registrar takes only the agents of the revision it serves: wait until it serves these.
  for _ in $(seq 100); do
    "$rgs" get-agentstate --control "$rgsd_sock" --group "Group $((want - 1))" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if [ $((want * group_size)) -gt "$agents_registered" ]; then
    register "reg-$1" $((agents_registered + 1)) $((want * group_size)) agent
    agents_registered=$((want * group_size))
  fi
  agents_ready "$rgsd_sock" "$agents_registered"
  { echo SEQUENTIAL; seq -f 'help%.0f;' 0 $((want - 1)); } >"$work/wf-$1.csv"
  wf_csv=$work/wf-$1.csv
}

# ---- the daemons ----------------------------------------------------------------------------------
start_rgsd() {   # NAME PORT -> rgsd_pid, rgsd_sock, sip_port
  # No liveness probe: SIPp's callers do not answer an OPTIONS in the middle of their scenario.
  cat >"$work/$1.yaml" <<EOF
store: $RGS_STORE
pool: bench.example.com
sip: {listen: "sip:127.0.0.1:$2", max_calls: 1000000, probe_interval: 0, digest_algorithms: [MD5, SHA-256]}   # SIPp: MD5 first
control: $work/$1.sock
rtp: {address: 127.0.0.1, ports: "20000-39999"}
log_level: ${SIP_BENCH_LOG_LEVEL:-warning}
EOF
  "$top/build/rgsd" --config "$work/$1.yaml" >"$work/$1.log" 2>&1 &
  rgsd_pid=$!
  pids+=("$rgsd_pid")
  rgsd_sock=$work/$1.sock
  sip_port=$2
  for _ in $(seq 100); do [ -S "$rgsd_sock" ] && return 0; ours "$rgsd_pid" || break; sleep 0.1; done
  echo "sip.sh: rgsd did not start:"; cat "$work/$1.log"; exit 1
}
stop_pid() {
  signal TERM "$1"
  for _ in $(seq 75); do ours "$1" || break; sleep 0.2; done
  signal KILL "$1"
  wait "$1" 2>/dev/null || true
}
start_kamailio() {
  mkdir -p "$work/kamailio"
  kamailio -DD -E -m 4096 -M 16 -x tlsf -f "$top/bench/kamailio.cfg" -l "udp:127.0.0.1:$p_kam" \
    -A "ANSWERER=\"sip:127.0.0.1:$p_uas_k\"" -Y "$work/kamailio" -w "$work/kamailio" >"$work/kamailio.log" 2>&1 &
  kam_pid=$!
  pids+=("$kam_pid")
  for _ in $(seq 100); do
    awk -v p="$(printf ':%04X' "$p_kam")" 'index($2, p) == 9 {f = 1} END {exit !f}' /proc/net/udp &&
      [ "$(pgrep -P "$kam_pid" | wc -l)" -ge 2 ] && { sleep 0.5; return 0; }
    ours "$kam_pid" || break
    sleep 0.1
  done
  echo "sip.sh: kamailio did not start:"; tail -20 "$work/kamailio.log"; exit 1
}

# ---- one point -----------------------------------------------------------------------------------
# point TARGET RATE SECONDS [trace]: callers at RATE for SECONDS through TARGET (rgsd or kamailio) to
# the answering SIPp. Prints three lines; returns 0 when the point is clean.
declare -A best best_quiet
point() {
  local target=$1 rate=$2 s=$3 trace=${4:-} n=$(($2 * $3)) port scenario csv uas caller c_pid u_pid
  local t0 t1 d0 d1 v c_ticks=0 u_ticks=0 before after tr_c=() tr_u=() cport aport drops0 drops1 threads=""
  if [ "$target" = rgsd ]; then port=$sip_port scenario=caller.xml csv=$wf_csv cport=$p_caller aport=$p_uas
  else
    port=$p_kam scenario=uac.xml csv=$work/proxied.csv cport=$p_caller_k aport=$p_uas_k
    printf 'SEQUENTIAL\nhelp0;\n' >"$csv"
  fi
  if [ -n "$trace" ]; then
    tr_c=(-trace_msg -message_file "$work/$target-$rate-caller.msg")
    tr_u=(-trace_msg -message_file "$work/$target-$rate-agents.msg")
  fi
  before=$(load)
  sipp_start "$target-$rate-agents" $((s + 40)) -sf "$scen/uas.xml" -p "$aport" -mp "$p_umedia" -m "$n" \
    -recv_timeout 10000 "${tr_u[@]}"
  uas=$sipp_pid
  sleep 0.3
  if ! ours "$uas"; then
    echo "sip.sh: the answering SIPp did not start (port $aport):"; first_errors "$work/$target-$rate-agents.err"; exit 1
  fi
  read -ra dp <<<"$(daemon_pids "$target")"
  [ "$target" = rgsd ] && thread_ticks "$rgsd_pid" >"$work/threads0"
  drops0=$(udp_drops "$port" "$cport" "$aport")
  d0=$(cpu_ticks "${dp[@]}")
  t0=$(now)
  d1=$d0 t1=$t0
  sipp_start "$target-$rate-callers" $((s + 30)) "127.0.0.1:$port" -sf "$scen/$scenario" -inf "$csv" \
    -p "$cport" -mp "$p_cmedia" -m "$n" -r "$rate" -l $((rate * 4)) -d $hold_ms -recv_timeout 10000 "${tr_c[@]}"
  caller=$sipp_pid
  while ours "$caller"; do
    [ -n "${c_pid:-}" ] || c_pid=$(child_of "$caller")
    [ -n "${u_pid:-}" ] || u_pid=$(child_of "$uas")
    # The last reading before each SIPp exits (the answerer ends before the callers).
    [ -n "${c_pid:-}" ] && ours "$c_pid" "$caller" && v=$(cpu_ticks "$c_pid") && [ "$v" -gt "$c_ticks" ] && c_ticks=$v
    [ -n "${u_pid:-}" ] && ours "$u_pid" "$uas" && v=$(cpu_ticks "$u_pid") && [ "$v" -gt "$u_ticks" ] && u_ticks=$v
    d1=$(cpu_ticks "${dp[@]}")
    t1=$(now)
    sleep 0.2
  done
  if [ "$target" = rgsd ]; then
    thread_ticks "$rgsd_pid" >"$work/threads1"
    threads=$(join "$work/threads0" "$work/threads1" | awk -v w="$(secs "$t0" "$t1")" -v c="$clk" \
      '{printf "%d\n", 100 * ($3 - $2) / c / w}' | sort -rn | head -4 | paste -sd/ -)
  fi
  wait "$caller" || true
  sipp_end "$uas"
  read -ra drops1 <<<"$(udp_drops "$port" "$cport" "$aport")"
  read -ra drops0 <<<"$drops0"
  after=$(load)
  local wall cpu ok fail retrans tmo unexp el ufail uretrans utmo uunexp clean=0 note=""
  wall=$(secs "$t0" "$t1")
  cpu=$((d1 - d0))
  read -r ok fail _ retrans tmo unexp el < <(sipp_stats "$work/$target-$rate-callers.out")
  read -r _ ufail _ uretrans utmo uunexp _ < <(sipp_stats "$work/$target-$rate-agents.out")
  # SIPp kept the rate if the last call ended within a little of N/R + the hold time.
  local late
  late=$(echo "$el - $s - $hold_ms / 1000" | bc)
  # Clean: no failed call on either side (or within SIP_BENCH_MAX_FAILED_PCT), every call done, in time.
  if [ "$(echo "($fail + $ufail) * 100 <= $max_failed_pct * $n" | bc)" = 1 ] && [ $((ok + fail)) = "$n" ] &&
    [ "$(echo "$late < 2 + $s / 20" | bc)" = 1 ]; then clean=1; fi
  [ $((n - ok - fail)) = 0 ] || note+=" $((n - ok - fail)) calls not completed;"
  [ "$(echo "$late < 2 + $s / 20" | bc)" = 1 ] || note+=" SIPp fell behind the rate by ${late} s;"
  local mem=""
  [ "$target" = rgsd ] && mem=" (threads $threads%), RSS $(mib "$(status_kib "$rgsd_pid" VmRSS)") MiB"
  printf '%-8s %6d calls/s: %s\n' "$target" "$rate" \
    "$ok/$n calls ok, $fail failed, retrans $retrans (agents: $ufail failed, retrans $uretrans), timeouts $((tmo + utmo)), unexpected $((unexp + uunexp))"
  printf '%-8s %6s          %s\n' "" "" \
    "$target CPU $(pct "$cpu" "$wall")% ($(ms_per_call "$cpu" "$n") ms/call)$mem; callers' SIPp $(pct "$c_ticks" "$wall")%, agents' SIPp $(pct "$u_ticks" "$wall")%"
  printf '%-8s %6s          %s\n' "" "" \
    "UDP datagrams dropped (receive buffer full): $target $((drops1[0] - drops0[0])), callers $((drops1[1] - drops0[1])), agents $((drops1[2] - drops0[2])); load before $before, after $after${note:+;$note}"
  if [ "$clean" = 0 ]; then
    first_errors "$work/$target-$rate-callers.err"
    first_errors "$work/$target-$rate-agents.err" 3
  fi
  last_n=$n last_retrans=$((retrans + uretrans)) point_load=$before last_fail=$((fail + ufail))
  if [ "$(echo "($fail + $ufail) * 100 > $max_failed_pct * $n" | bc)" = 1 ]; then last_why="$fail failed calls, $ufail at the agents"
  elif [ $((ok + fail)) != "$n" ]; then last_why="$((n - ok - fail)) calls not completed"
  else last_why="the callers fell $late s behind the rate"; fi
  last_cpu_text="$(pct "$cpu" "$wall")% of a core ($(ms_per_call "$cpu" "$n") ms/call)"
  [ "$clean" = 1 ]
}

echo "== rgsd $("$top/build/rgsd" --version | cut -d' ' -f2), $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -1)$([ $have_kamailio = 1 ] && echo ", $(kamailio -v | head -1 | cut -d' ' -f2-3)"); $secs_per_point s per point, calls held $((hold_ms / 1000)) s"

# ---- 1. callers waiting in a queue ---------------------------------------------------------------
echo "== $waiting callers waiting in a queue (RTP from rgsd to each), $waiting agents registered and signed out"
start_rgsd rgsd-waiting "$p_rgsd1"
register reg-waiting 1 "$waiting" wagent
echo "   registered $waiting agents; waiting $settle s for the SIP stack's finished transactions to expire"
sleep "$settle"
idle_rss=$(status_kib "$rgsd_pid" VmRSS)
idle_fds=$(ls "/proc/$rgsd_pid/fd" | wc -l)
ramp_rate=200
ramp=$(((waiting + ramp_rate - 1) / ramp_rate))
wait_hold=$((ramp + 2 + settle + wait_cpu_secs + 15))
t_entry=$(now)
sipp_start waiting-callers $((wait_hold + ramp + 60)) "127.0.0.1:$sip_port" -sf "$scen/wait.xml" -inf "$work/wait.csv" \
  -p "$p_caller" -mp "$p_cmedia" -m "$waiting" -r "$ramp_rate" -l "$waiting" -d $((wait_hold * 1000)) -recv_timeout 20000
wcaller=$sipp_pid
queue_waiting() { "$rgs" get-queuestate --control "$rgsd_sock" -o json | python3 -c 'import json,sys; print(sum(q["Waiting"] for q in json.load(sys.stdin) if q["Queue"] == "Waiting queue"))'; }
w=0
for _ in $(seq $(((ramp + 30) * 5))); do w=$(queue_waiting); [ "$w" -ge "$waiting" ] && break; sleep 0.2; done
t_all=$(now)
printf '   %s calls waiting %.1f s after the first INVITE\n' "$w" "$(secs "$t_entry" "$t_all")"
sleep 2
early_rss=$(status_kib "$rgsd_pid" VmRSS)
[ "$settle" -le 2 ] || sleep $((settle - 2))
c0=$(cpu_ticks "$rgsd_pid"); r0=$(udp_drops "$p_cmedia"); t0=$(now)
sleep "$wait_cpu_secs"
c1=$(cpu_ticks "$rgsd_pid"); r1=$(udp_drops "$p_cmedia"); t1=$(now)
wait_rss=$(status_kib "$rgsd_pid" VmRSS)
wait_fds=$(ls "/proc/$rgsd_pid/fd" | wc -l)
w_end=$(queue_waiting)
wait_secs=$(secs "$t0" "$t1")
wait_cpu=$(pct $((c1 - c0)) "$wait_secs")
rtp_pps=$(echo "($r1 - $r0) / $wait_secs" | bc)
per_call=$(echo "scale=1; ($wait_rss - $idle_rss) / $waiting" | bc)
per_call_early=$(echo "scale=1; ($early_rss - $idle_rss) / $waiting" | bc)
wait "$wcaller" || true
read -r wok wfail _ wretrans wtmo wunexp _ < <(sipp_stats "$work/waiting-callers.out")
echo "   rgsd idle (agents registered): VmRSS $(mib "$idle_rss") MiB, $idle_fds descriptors"
echo "   with $w_end waiting:           VmRSS $(mib "$wait_rss") MiB, $wait_fds descriptors; 2 s after the last answer $(mib "$early_rss") MiB"
echo "   RTP reaching the callers' media port: $rtp_pps packets/s ($waiting x 50 expected)"
echo "memory per waiting call: $per_call KiB (${per_call_early} KiB 2 s after answering, while the SIP transactions linger)"
echo "rgsd CPU with $w_end callers waiting: $wait_cpu% of one core (load $(load))"
echo "   the waiting callers: $wok ok, $wfail failed, retrans $wretrans, timeouts $wtmo, unexpected $wunexp"
[ "$wfail" = 0 ] || first_errors "$work/waiting-callers.err"
stop_pid "$rgsd_pid"
waiting_log=$work/rgsd-waiting.log

# ---- 2 and 3. calls to agents through rgsd, and through Kamailio ----------------------------------
echo "== callers -> rgsd -> agents answering at once (agents in groups of $group_size, $routing; 1.25 x rate agents registered)"
start_rgsd rgsd "$p_rgsd2"
targets=(rgsd)
if [ $have_kamailio = 1 ]; then start_kamailio; targets+=(kamailio); fi
run_c0=$(cpu_ticks "$rgsd_pid")
run_calls=0

echo "-- INVITE -> agent's INVITE at $lat_rate calls/s ($lat_secs s, messages traced)"
agents_for "$lat_rate"
declare -A lat
for t in "${targets[@]}"; do
  if point "$t" "$lat_rate" "$lat_secs" trace; then :; fi
  [ "$t" = rgsd ] && run_calls=$((run_calls + last_n))
  read -r ln lmed lp99 lmax < <(latency "$work/$t-$lat_rate-caller.msg" "$work/$t-$lat_rate-agents.msg")
  lat[$t]="median $lmed ms, p99 $lp99 ms, max $lmax ms ($ln calls matched)"
  echo "invite->agent invite at $lat_rate/s ($t): ${lat[$t]}"
  rm -f "$work/$t-$lat_rate-caller.msg" "$work/$t-$lat_rate-agents.msg"
  sleep "$pause_secs"
done

echo "-- stepped search, $secs_per_point s per point, rgsd and Kamailio in turn$([ "$max_failed_pct" = 0 ] || echo "; NOTE: a point with up to $max_failed_pct% failed calls counts as clean")"
declare -A done_ last_load peak_cpu quiet_broken stop_rate
for t in "${targets[@]}"; do best[$t]=0; best_quiet[$t]=0; done_[$t]=0; quiet_broken[$t]=0; done
rgsd_end() {   # the search for rgsd is over: read its CPU and peak memory, and stop it
  rgsd_hwm=$(status_kib "$rgsd_pid" VmHWM)
  run_cpu=$(($(cpu_ticks "$rgsd_pid") - run_c0))
  rgsd_alive=yes
  ours "$rgsd_pid" || rgsd_alive="NO (it exited: $(tail -1 "$work/rgsd.log"))"
  stop_pid "$rgsd_pid"
}
for r in $rates; do
  any=0
  for t in "${targets[@]}"; do
    [ "${done_[$t]}" = 0 ] || continue
    any=1
    [ "$t" = rgsd ] && agents_for "$r"
    ok_point=0
    point "$t" "$r" "$secs_per_point" && ok_point=1
    [ "$t" = rgsd ] && run_calls=$((run_calls + last_n))
    if [ $ok_point = 1 ]; then
      best[$t]=$r
      last_load[$t]=$point_load
      peak_cpu[$t]=$last_cpu_text
      if [ "$last_retrans" = 0 ] && [ "$last_fail" = 0 ] && [ "${quiet_broken[$t]}" = 0 ]; then best_quiet[$t]=$r; else quiet_broken[$t]=1; fi
    else
      done_[$t]=1
      stop_rate[$t]="$r calls/s: $last_why"
      # A daemon whose search is over does not run beside the other one's next points.
      if [ "$t" = rgsd ]; then rgsd_end; else stop_pid "$kam_pid"; fi
    fi
    sleep "$pause_secs"
  done
  [ $any = 1 ] || break
done
[ "${done_[rgsd]}" = 1 ] || rgsd_end

# ---- summary -------------------------------------------------------------------------------------
clean_rate() {   # TARGET -> the clean rate, in words
  if [ "${done_[$1]}" = 0 ]; then echo "${best[$1]} calls/s (no failure up to the last step)"
  elif [ "${best[$1]}" = 0 ]; then echo "none (stopped at the first step, ${stop_rate[$1]})"
  else echo "${best[$1]} calls/s (stopped at ${stop_rate[$1]})"; fi
}
echo "rgsd clean rate: $(clean_rate rgsd) (load ${last_load[rgsd]:-n/a}); rgsd CPU there ${peak_cpu[rgsd]:-n/a}"
ratio=n/a
if [ $have_kamailio = 1 ]; then
  echo "kamailio clean rate: $(clean_rate kamailio) (load ${last_load[kamailio]:-n/a}); Kamailio CPU there ${peak_cpu[kamailio]:-n/a}"
  [ "${best[kamailio]}" -gt 0 ] && ratio=$(printf '%.2f' "$(echo "scale=4; ${best[rgsd]} / ${best[kamailio]}" | bc)")
  echo "ratio: $ratio"
fi
echo "rgsd CPU over the run: $(printf '%.1f' "$(echo "scale=2; $run_cpu / $clk" | bc)") s for $run_calls calls ($(ms_per_call "$run_cpu" "$run_calls") ms/call); peak memory (VmHWM) $(mib "$rgsd_hwm") MiB; running until stopped: $rgsd_alive"
warnings=$(cat "$waiting_log" "$work/rgsd.log" | grep -c . || true)
echo "rgsd log lines at level warning or above: $warnings"
[ "$warnings" = 0 ] || cat "$waiting_log" "$work/rgsd.log" | sed -E 's/^[0-9T:.-]+Z //; s/call [0-9]+/call N/g' | sort | uniq -c | sort -rn | head -5 | sed 's/^/   /'
echo
echo "== summary"
row() { printf '  %-48s %s\n' "$1" "$2"; }
rule="no failed call"
[ "$max_failed_pct" = 0 ] || rule="<= $max_failed_pct% failed calls"
row "rgsd clean rate ($rule)" "$(clean_rate rgsd)"
if [ $have_kamailio = 1 ]; then
  row "kamailio clean rate ($rule)" "$(clean_rate kamailio)"
  row "ratio rgsd/kamailio" "$ratio"
fi
row "no failed call, no retransmission: rgsd" "${best_quiet[rgsd]} calls/s"
[ $have_kamailio = 1 ] && row "no failed call, no retransmission: kamailio" "${best_quiet[kamailio]} calls/s"
row "INVITE -> agent INVITE at $lat_rate/s, rgsd" "${lat[rgsd]}"
[ $have_kamailio = 1 ] && row "INVITE -> callee INVITE at $lat_rate/s, kamailio" "${lat[kamailio]}"
row "rgsd CPU at its clean rate" "${peak_cpu[rgsd]:-n/a}"
row "rgsd CPU over the search" "$(ms_per_call "$run_cpu" "$run_calls") ms/call"
row "rgsd peak memory (VmHWM)" "$(mib "$rgsd_hwm") MiB"
row "memory per waiting call ($waiting waiting)" "$per_call KiB"
row "rgsd CPU with $waiting callers waiting" "$wait_cpu% of one core"
row "load at the end" "$(load)"
