#!/usr/bin/env bash
# Fault injection against rgs and rgsd (issue 14). Prints figures and one table; asserts nothing
# (the same faults are asserted, with smaller counts, by the ctest label `faults`).
#   bench/faults.sh
# 1. rgsd on 127.0.0.1 with an agent (a SIPp process, registered by the SIP tests' own helper, so
#    that it registers as they do) and a normal call through it; after the SIP stack's
#    transactions expired (64*T1 = 32 s), rgsd's resident memory.
# 2. At least 10,000 mutated UDP datagrams (bench/sipflood.py: truncated, headers missing or huge,
#    bad Content-Length, odd URI schemes, non-UTF-8, bad SIP versions, INVITEs never
#    acknowledged...), from valid REGISTER, INVITE, OPTIONS and BYE requests; what came back.
# 3. After the transactions expired again: rgsd alive, its memory (within 10 % of step 1, and each
#    flood's within 10 % of the flood's before), the agent still registered, a normal call still
#    connected, the configuration unchanged.
# 4. The fault tests (tests/faults/*.sh: SIGKILL of rgs and rgsd mid-write, a full disk, read-only
#    and corrupt stores, hostile archives), FAULTS_ROUNDS times.
#
# Environment (defaults in brackets):
#   FAULTS_DATAGRAMS [10000]  mutated datagrams sent
#   FAULTS_RATE [1000]        datagrams per second
#   FAULTS_SETTLE [34]        seconds for transactions to expire before memory is read
#   FAULTS_SETTLE2 [40]       seconds more (a BYE sent when an un-acknowledged INVITE ends
#                             lasts 32 s more) before the reading compared with the idle memory
#   FAULTS_SEED [1]           the mutations' random seed (the same seed sends the same corpus)
#   FAULTS_FLOODS [2]         floods sent one after another, each followed by the two waits
#   FAULTS_ROUNDS [1]         rounds of the fault tests (0: none)
#   FAULTS_KEEP [0]           1: keep the work directory (rgsd's log, the corpus sent) and print it
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/build/rgs" ] && [ -x "$top/build/rgsd" ] && [ -x "$top/build/bench/rgs-bench-seed" ] || "$top/scripts/setup"
export RGS=$top/build/rgs RGSD=${RGSD_WRAP:-$top/build/rgsd} RGS_SOURCE_DIR=$top
datagrams=${FAULTS_DATAGRAMS:-10000}
rate=${FAULTS_RATE:-1000}
settle=${FAULTS_SETTLE:-34}
settle2=${FAULTS_SETTLE2:-40}
seed=${FAULTS_SEED:-1}
floods=${FAULTS_FLOODS:-2}
rounds=${FAULTS_ROUNDS:-1}
[ "${FAULTS_KEEP:-0}" = 1 ] && export RGS_KEEP_LOGS=/tmp/rgs-faults-$$
# rgsd on 127.0.0.1, SIPp agents and callers, every process stopped by its PID on exit; canon.
. "$top/tests/faults/lib.sh"
command -v sipp >/dev/null || { echo "faults.sh: sipp is missing (scripts/setup installs it)" >&2; exit 1; }
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$RGSD_PID/status" 2>/dev/null; }
alive() { kill -0 "$RGSD_PID" 2>/dev/null && [ "$(sed 's/^.*) //' "/proc/$RGSD_PID/stat" | cut -c1)" != Z ]; }
live_objects() { sqlite3 "$RGS_STORE" "SELECT kind || ' ' || name || ' ' || doc FROM objects WHERE rev_to IS NULL ORDER BY 1"; }

# ---- 1. rgsd, an agent, a normal call ----------------------------------------------------------
setup -q --pool faults.example.com new-agentgroup Desk --agent sip:ann@example.com
setup -q new-queue Desk --agent-group Desk
setup -q new-workflow Desk --primary-uri sip:desk@example.com --default-action queue:Desk --active true
# The flood's INVITEs go to a workflow of their own and its REGISTERs to an agent of their own,
# so that the agent of the normal call is not offered the flood's callers.
setup -q new-agentgroup Flood --agent sip:zed@example.com
setup -q new-queue Flood --agent-group Flood
setup -q new-workflow Flood --primary-uri sip:flood@example.com --default-action queue:Flood --active true
start_rgsd || exit 1
tcase faults-1 "an agent registers and a caller is connected to it"
agent ann answer
call desk caller 300
expect_status 0
before_call=$RC
live_objects >"$TMP/objects.before"
echo "   waiting $settle s for the transactions of that call to expire"
sleep "$settle"
rss_before=$(rss_kb)
echo "   rgsd's resident memory before the flood: $rss_before kB"

# ---- 2. the flood (FAULTS_FLOODS times, the same corpus) ----------------------------------------
rss_after_floods=()
survived_flood=1
for flood in $(seq 1 "$floods"); do
tcase faults-2 "$datagrams mutated datagrams (flood $flood of $floods)"
t0=$(date +%s.%N)
python3 "$top/bench/sipflood.py" "$SIP_PORT" "$datagrams" "$rate" "$TMP/corpus.txt" "$seed" zed flood desk >"$TMP/flood-$flood.json" ||
  fail "sipflood.py failed"
t1=$(date +%s.%N)
alive || fail "rgsd died during the flood"
rss_peak=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$RGSD_PID/status" 2>/dev/null)
echo "   sent in $(echo "$t1 - $t0" | bc) s; rgsd's peak resident memory so far: $rss_peak kB"
python3 - "$TMP/flood-$flood.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("   %-16s %7s %9s %9s %11s" % ("mutation", "sent", "4xx-6xx", "1xx/2xx", "no answer"))
for k, row in sorted(r["by_kind"].items()):
    print("   %-16s %7d %9d %9d %11d" % (k, row["sent"], row["answered"], row["accepted"], row["unanswered"]))
print("   final statuses: " + ", ".join("%s x%d" % (c, n) for c, n in sorted(r["statuses"].items())))
EOF

# ---- 3. afterwards -----------------------------------------------------------------------------
echo "   waiting $settle s for the flood's transactions to expire (un-acknowledged INVITEs end then)"
sleep "$settle"
tcase faults-3 "rgsd alive, memory back, the agent registered, a normal call connected, nothing lost"
alive || { survived_flood=0; fail "rgsd died after the flood (its log: $TMP/rgsd.log)"; }
rss_after=$(rss_kb)
# A call the flood left un-acknowledged ends after 32 s and its BYE's transaction lasts 32 s more:
# a second reading shows whether what remains is still expiring.
if [ "$settle2" -gt 0 ]; then
  sleep "$settle2"
  echo "   rgsd's resident memory after $settle s: $rss_after kB; $settle2 s later (read as 'after'):"
  rss_after=$(rss_kb)
  echo "   calls rgsd holds then: $(python3 "$top/tests/sip/status.py" "$RGS_CONTROL" Calls 2>/dev/null || echo unknown)"
fi
rss_after_floods+=("$rss_after")
done
registered=0
"$RGS" get-agentstate --agent sip:ann@example.com -o json 2>/dev/null | grep -q "127.0.0.1:${AGENT_PORT[ann]}" && registered=1
[ $registered = 1 ] || fail "the agent's registration was lost or replaced"
call desk caller 300
after_call=$RC
[ "$after_call" = 0 ] || survived_flood=0
[ "$after_call" = 0 ] || fail "the normal call after the flood failed (SIPp status $after_call)"
live_objects >"$TMP/objects.after"
lost=$(comm -23 "$TMP/objects.before" "$TMP/objects.after" | wc -l)
[ "$lost" = 0 ] || fail "$lost configuration objects lost or changed"
[ $registered = 1 ] || lost=$((lost + 1))
within=$(echo "${rss_after:-0} <= ${rss_before:-0} * 1.10" | bc)
echo "   rgsd's resident memory: $rss_before kB before, $rss_after kB after ($(echo "scale=1; (${rss_after:-0} - ${rss_before:-0}) * 100 / ${rss_before:-1}" | bc) %," \
  "$([ "$within" = 1 ] && echo within || echo NOT within) 10 %)"
# The allocator keeps the metadata of its largest heap (jemalloc never returns it): the first
# flood's peak raises the floor once. Each later flood must leave no more than the one before.
for ((i = 1; i < ${#rss_after_floods[@]}; i++)); do
  a=${rss_after_floods[i - 1]} b=${rss_after_floods[i]}
  echo "   after flood $i: $a kB; after flood $((i + 1)): $b kB ($(echo "scale=1; (${b:-0} - ${a:-0}) * 100 / ${a:-1}" | bc) %," \
    "$([ "$(echo "${b:-0} <= ${a:-0} * 1.10" | bc)" = 1 ] && echo within || echo NOT within) 10 %)"
done
finish_sip=$FAILED
[ "$CASE_FAILED" = 0 ] || finish_sip=$((finish_sip + 1))
stop_rgsd

# ---- 4. the fault tests ------------------------------------------------------------------------
t_injected=0 t_survived=0 t_failed=0
for r in $(seq 1 "$rounds"); do
  for script in "$top"/tests/faults/*.sh; do
    [ "$(basename "$script")" = lib.sh ] && continue
    s0=$(date +%s.%N)
    out=$(bash "$script" 2>&1)
    line=$(printf '%s\n' "$out" | sed -n 's/^# faults: \([0-9]*\) injected, \([0-9]*\) survived$/\1 \2/p')
    result=$(printf '%s\n' "$out" | tail -1)
    read -r i s <<<"${line:-0 0}"
    t_injected=$((t_injected + i)) t_survived=$((t_survived + s))
    case "$result" in *" 0 failed") ;; *) t_failed=$((t_failed + 1)); printf '%s\n' "$out" | grep '^FAIL' | head -5 ;; esac
    printf '   round %d %-22s %4d faults, %4d survived, %s, %.1f s\n' "$r" "$(basename "$script" .sh)" "$i" "$s" "$result" \
      "$(echo "$(date +%s.%N) - $s0" | bc)"
    printf '%s\n' "$out" | grep -E '^# [0-9]+ kills' | sed 's/^#/     /'
  done
done

# ---- the table -----------------------------------------------------------------------------------
read -r sent answered accepted unanswered < <(python3 -c 'import json, sys
rs = [json.load(open(f)) for f in sys.argv[1:]]
print(*(sum(r[k] for r in rs) for k in ("sent", "answered", "accepted", "unanswered")))' "$TMP"/flood-*.json)
echo
echo "== faults.sh: $floods flood(s) of $datagrams datagrams at $rate/s, seed $seed; $rounds round(s) of tests/faults"
printf '%-52s %10s\n' "faults injected (the floods; kills, full disks, read-only," "" \
  "  corrupt stores and hostile archives of tests/faults)" "$((floods + t_injected))" \
  "survived" "$((survived_flood * floods + t_survived))" \
  "bad inputs tried (datagrams)" "$sent" \
  "rejected cleanly (a 4xx-6xx answer)" "$answered" \
  "  not answered (dropped: see the table above)" "$unanswered" \
  "  answered 1xx/2xx (still a valid request)" "$accepted" \
  "items lost (configuration objects, registrations)" "$lost"
echo "rgsd: $([ "$survived_flood" = 1 ] && echo "alive and routing" || echo "DEAD or not routing"); normal call before $before_call," \
  "after $after_call (SIPp status, 0 = connected); memory $rss_before -> $rss_after kB (peak $rss_peak kB)"
[ "$t_failed" = 0 ] || echo "fault test scripts with failures: $t_failed"
[ "$finish_sip" = 0 ] || echo "flood checks failed: see the FAIL lines above"
[ -n "${RGS_KEEP_LOGS:-}" ] && echo "work directory kept: $RGS_KEEP_LOGS (corpus.txt: every datagram sent)"
exit 0
