# Helpers for the SIP tests of rgsd (tests/sip/*.sh); sourced, not run.
# shellcheck shell=bash disable=SC2034
#
# Everything runs on 127.0.0.1 with free ports: one rgsd on a scratch store, agents that are SIPp
# processes (they REGISTER, then answer, decline or let ring the offers rgsd sends them, through
# SIPp's out-of-call scenario), and callers that are SIPp processes too. Every process started
# here is stopped by its PID when the script ends. Cases and expectations come from
# tests/cli/lib.sh (tcase, run, expect_*, finish).

. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

RGSD=${RGSD:-$(dirname "$RGS")/rgsd}
SCN="$RGS_SOURCE_DIR/tests/sip/scenarios"
PIDS=()
SIP_PORT=""
RGSD_PID=""
declare -A AGENT_PID AGENT_PORT CREDENTIAL

_stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  # RGS_KEEP_LOGS=DIR keeps the logs and SIP traces of a run for a look afterwards.
  [ -n "${RGS_KEEP_LOGS:-}" ] && mkdir -p "$RGS_KEEP_LOGS" && cp -r "$TMP/." "$RGS_KEEP_LOGS/"
  rm -rf "$TMP"
}
trap _stop_all EXIT

# free_port: a port free for both UDP and TCP on 127.0.0.1.
free_port() {
  python3 -S - <<'PY'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 60000, 2)
    try:
        ok = True
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                ok = False
            s.close()
        if ok:
            print(p); break
    except OSError:
        pass
PY
}

# start_rgsd [YAML LINES...]: starts rgsd on a fresh port with the test's store; extra top-level
# settings may be given, and settings of its sip section in $SIP_SETTINGS (one per line); the
# digest challenges are those of $DIGEST_ALGORITHMS (default [MD5, SHA-256]; "rgsd" leaves rgsd's
# own default). Sets SIP_PORT, RGSD_PID and RGS_CONTROL.
start_rgsd() {
  local try i rtp l
  export RGS_CONTROL="$TMP/rgsd.sock"
  for try in 1 2 3; do   # a port another process took since it was found free: try others
    SIP_PORT=$(free_port)
    rtp=$(( (RANDOM % 300) * 100 + 30000 ))
    {
      echo "store: $RGS_STORE"
      echo "sip:"
      echo "  listen: sip:127.0.0.1:$SIP_PORT"
      # SIPp 3.6 answers only the first challenge, and only with MD5 (rgsd's default puts
      # SHA-256 first); tests/sip/auth.sh checks SHA-256 with its own client.
      [ "${DIGEST_ALGORITHMS:-}" = rgsd ] || echo "  digest_algorithms: ${DIGEST_ALGORITHMS:-[MD5, SHA-256]}"
      [ -n "${SIP_SETTINGS:-}" ] && printf '%s\n' "$SIP_SETTINGS" | sed 's/^/  /'
      echo "rtp:"
      echo "  address: 127.0.0.1"
      echo "  ports: $rtp-$((rtp + 98))"
      echo "control: $RGS_CONTROL"
      echo "reload_ms: 100"
      for l in "$@"; do echo "$l"; done
    } >"$TMP/rgsd.yaml"
    "$RGSD" --config "$TMP/rgsd.yaml" 2>>"$TMP/rgsd.log" &
    RGSD_PID=$!
    PIDS+=("$RGSD_PID")
    for i in $(seq 1 50); do
      [ -S "$RGS_CONTROL" ] && return 0
      kill -0 "$RGSD_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$RGSD_PID" 2>/dev/null
    wait "$RGSD_PID" 2>/dev/null
  done
  echo "rgsd did not start:" >&2
  cat "$TMP/rgsd.log" >&2
  return 1
}

# stop_rgsd: SIGTERM, and waits for it to exit (status in $RGSD_STATUS).
stop_rgsd() {
  kill -TERM "$RGSD_PID" 2>/dev/null
  wait "$RGSD_PID"
  RGSD_STATUS=$?
}

# wait_log REGEX [SECONDS]: waits until rgsd's log has a line matching REGEX; 1 on timeout.
wait_log() {
  local re=$1 limit=${2:-10} i
  for i in $(seq 1 $((limit * 20))); do
    grep -Eq -- "$re" "$TMP/rgsd.log" && return 0
    sleep 0.05
  done
  return 1
}

# wait_more REGEX N [SECONDS]: waits until more than N lines of rgsd's log match REGEX.
wait_more() {
  local re=$1 n=$2 limit=${3:-10} i
  for i in $(seq 1 $((limit * 20))); do
    [ "$(log_count "$re")" -gt "$n" ] && return 0
    sleep 0.05
  done
  return 1
}

# expect_log REGEX [SECONDS]: the case fails unless rgsd logs a matching line in time.
expect_log() {
  wait_log "$1" "${2:-10}" || fail "expected rgsd to log /$1/"
}

# log_count REGEX: how many lines of rgsd's log match.
log_count() { grep -Ec -- "$1" "$TMP/rgsd.log"; }

# password NAME: the password the tests give agent sip:NAME@example.com.
password() { echo "pw-$1"; }

# credential NAME...: gives the agents sip:NAME@example.com that have none yet their password
# (rgs set-agentcredential, all in one revision) and, when rgsd runs, waits until it serves it.
credential() {
  local n lines=""
  for n in "$@"; do
    [ -n "${CREDENTIAL[$n]:-}" ] && continue
    lines+="sip:$n@example.com $(password "$n")"$'\n'
    CREDENTIAL[$n]=1
  done
  [ -z "$lines" ] && return 0
  printf '%s' "$lines" | "$RGS" -q set-agentcredential --credential-file - || { fail "set-agentcredential failed"; return 1; }
  [ -n "$RGSD_PID" ] && kill -0 "$RGSD_PID" 2>/dev/null || return 0
  local rev
  rev=$("$RGS" get-revision --last 1 -o json | sed -n 's/.*"Revision": \([0-9]*\).*/\1/p')
  wait_log "serving revision $rev of" 10 || fail "rgsd did not serve revision $rev (the credentials) within 10 s"
}

# agent NAME BEHAVIOUR [SIPP ARGS...]: starts agent sip:NAME@example.com (a SIPp process) that registers with
# rgsd and then handles every offer with tests/sip/scenarios/BEHAVIOUR.xml (answer, decline,
# noanswer, answer_bye). It authenticates with its password (given first if it has none).
# Waits for rgsd to log the registration.
agent() {
  local name=$1 behaviour=$2 port mport try i
  shift 2
  credential "$name"
  for try in 1 2 3; do
    port=$(free_port)
    mport=$(free_port)
    sipp 127.0.0.1:"$SIP_PORT" -sf "$SCN/agent.xml" -oocsf "$SCN/$behaviour.xml" -set user "$name" \
      -au "$name" -ap "$(password "$name")" -auth_uri example.com \
      -i 127.0.0.1 -p "$port" -mp "$mport" -m 1 -d 600000 -nostdin -timeout 300s \
      -trace_msg -message_file "$TMP/agent-$name.msg" -trace_err -error_file "$TMP/agent-$name.err" "$@" \
      >/dev/null 2>&1 &
    AGENT_PID[$name]=$!
    AGENT_PORT[$name]=$port
    PIDS+=("$!")
    # Registered when rgsd reports this process's address as the agent's contact.
    for i in $(seq 1 100); do
      kill -0 "${AGENT_PID[$name]}" 2>/dev/null || break   # a port taken meanwhile: try another
      "$RGS" get-agentstate --agent "sip:$name@example.com" -o json 2>/dev/null | grep -q "127.0.0.1:$port" && return 0
      sleep 0.1
    done
    kill -TERM "${AGENT_PID[$name]}" 2>/dev/null
  done
  fail "agent $name did not register"
}

# stop_agent NAME: stops the SIPp process of an agent (its registration stays until it expires
# or is removed with `unregister`).
stop_agent() { kill -TERM "${AGENT_PID[$1]}" 2>/dev/null; wait "${AGENT_PID[$1]}" 2>/dev/null; }

# sipp_once SCENARIO [ARGS...]: runs one short SIPp client exchange with rgsd; status in $RC.
N_SIPP=0
sipp_once() {
  local scenario=$1
  shift
  N_SIPP=$((N_SIPP + 1))
  CMD="sipp $scenario $*"
  timeout 60 sipp 127.0.0.1:"$SIP_PORT" -sf "$SCN/$scenario.xml" -i 127.0.0.1 -p "$(free_port)" -m 1 -nostdin \
    -timeout 50s -trace_msg -message_file "$TMP/sipp-$N_SIPP.msg" "$@" >"$TMP/sipp-$N_SIPP.out" 2>&1
  RC=$?
  ERR=$(grep -E "Failed call|Successful call" "$TMP/sipp-$N_SIPP.out" | tr -s ' ' | tr '\n' ';')
  LAST_MSG="$TMP/sipp-$N_SIPP.msg"
}

# register NAME / unregister NAME / publish NAME BASIC ACTIVITY
# SIPp computes a digest over sip:HOST:PORT of rgsd unless -auth_uri names the Request-URI (with
# "sip:" left out), which rgsd requires (RFC 2617 3.2.2.5).
unregister() { sipp_once unregister -set user "$1" -au "$1" -ap "$(password "$1")" -auth_uri example.com; }
publish() {
  sipp_once publish -set user "$1" -set basic "$2" -set activity "$3" -au "$1" -ap "$(password "$1")" \
    -auth_uri "$1@example.com"
}

# call SERVICE SCENARIO [HOLD_MS] [ARGS...]: one caller to sip:SERVICE@example.com, in the
# foreground; $RC is SIPp's status (0: the scenario ran to its end).
call() {
  local service=$1 scenario=$2 hold=${3:-1000}
  shift 3 2>/dev/null || shift $#
  sipp_once "$scenario" -s "$service" -mp "$(free_port)" -d "$hold" "$@"
}

# call_bg SERVICE SCENARIO HOLD_MS: the same in the background; its PID in $CALL_PID, its
# output file in $CALL_OUT. Collect it with `wait_call PID`.
call_bg() {
  local service=$1 scenario=$2 hold=$3
  N_SIPP=$((N_SIPP + 1))
  timeout 90 sipp 127.0.0.1:"$SIP_PORT" -sf "$SCN/$scenario.xml" -s "$service" -i 127.0.0.1 -p "$(free_port)" \
    -mp "$(free_port)" -m 1 -d "$hold" -nostdin -timeout 80s -trace_msg -message_file "$TMP/sipp-$N_SIPP.msg" \
    >"$TMP/sipp-$N_SIPP.out" 2>&1 &
  CALL_PID=$!
  CALL_MSG="$TMP/sipp-$N_SIPP.msg"
  PIDS+=("$CALL_PID")
}

# wait_call PID: waits for a background caller; its status in $RC.
wait_call() {
  wait "$1"
  RC=$?
}

# reject STATUS SERVICE [video]: a caller whose INVITE must get final response STATUS.
reject() {
  local status=$1 service=$2 sdp="m=audio [media_port] RTP/AVP 0 101"
  [ "${3:-}" = video ] && sdp="m=video [media_port] RTP/AVP 31"
  sed -e "s/@STATUS@/$status/" -e "s|@SDP@|$sdp|" "$SCN/caller_reject.xml" >"$TMP/reject-$status.xml"
  N_SIPP=$((N_SIPP + 1))
  CMD="sipp caller expecting $status for $service"
  timeout 60 sipp 127.0.0.1:"$SIP_PORT" -sf "$TMP/reject-$status.xml" -s "$service" -i 127.0.0.1 -p "$(free_port)" \
    -mp "$(free_port)" -m 1 -nostdin -timeout 20s -trace_msg -message_file "$TMP/sipp-$N_SIPP.msg" \
    >"$TMP/sipp-$N_SIPP.out" 2>&1
  RC=$?
  LAST_MSG="$TMP/sipp-$N_SIPP.msg"
}

# expect_msg FILE REGEX: a SIPp message trace holds a line matching REGEX.
expect_msg() { grep -Eq -- "$2" "$1" || fail "expected the SIP trace $(basename "$1") to hold /$2/"; }

# invites_to NAME: how many INVITEs agent NAME received.
invites_to() {
  local n
  n=$(grep -c "^INVITE sip:$1@" "$TMP/agent-$1.msg" 2>/dev/null)
  echo "${n:-0}"
}

# records: the call records as JSON in $OUT (via rgs get-callrecord), after rgsd wrote them.
records() {
  # Call records are written in batches, at most reload_ms apart: wait (bounded) until rgsd has
  # written everything it was given.
  local i
  for i in $(seq 1 100); do
    [ -S "${RGS_CONTROL:-}" ] && kill -0 "${RGSD_PID:-0}" 2>/dev/null || break   # rgsd stopped: all written
    [ "$(python3 "$RGS_SOURCE_DIR/tests/sip/status.py" "$RGS_CONTROL" Unwritten 2>/dev/null)" = 0 ] && break
    sleep 0.05
  done
  run get-callrecord -o json "$@"
}
