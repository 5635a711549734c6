#!/bin/bash
# rgsd with real phones: three headless baresip 1.0.0 (Debian's baresip-core) on 127.0.0.1, two
# agents of an informal group and a caller. The caller dials a workflow whose queue offers both
# agents (parallel); rgsd answers the caller, connects it to the agent who answers by re-INVITE
# (RFC 3725), audio flows both ways directly between the phones, the agent holds and resumes,
# the caller hangs up, and get-callrecord has the call. See /work/shared/notes/real-clients.md.
#
# What is observed, and how (nothing privileged, no packet capture):
# * SIP. Each baresip runs with -s: its log holds every message it sent and received, bodies
#   included, in the order it handled them. rgsd runs with sofia-sip's TPORT_DUMP: every message
#   rgsd received and sent, in the order rgsd handled them (sofia writes the bodies of received
#   messages only). tests/sip/bsctl.py (sip, dump) makes one line of each message.
# * Audio. baresip's own RTP statistics, asked over ctrl_tcp (`audio_debug`, bsctl.py audio):
#   packets received per RTP source address, the stream's direction and codecs. Every party has
#   its own RTP port range (rgsd its rtp.ports), so "the caller received N packets from ports of
#   agent1" says who sent them. Not used: baresip's sndfile recordings, because in 1.0.0 the
#   recording filter leaves the receive pipeline at the first re-INVITE (the -dec.wav stops
#   growing when rgsd connects the call, though RTP still arrives); and a UDP listener, which
#   cannot sit between two phones that send to each other directly.
# * Events. baresip's ctrl_tcp events (CALL_ESTABLISHED, CALL_CLOSED), kept by bsctl.py ctl, one
#   connection per baresip for the whole test.
# Every wait polls one of these, or rgsd's log, with a bound; none is a bare sleep. Every process
# is stopped by its PID when the script ends. RGS_KEEP_LOGS=DIR keeps the logs and traces in DIR.
. "$(dirname "$0")/lib.sh"

plan sip-baresip \
  "two baresip agents register with rgsd" \
  "a baresip caller is answered by rgsd and connected to one agent by re-INVITE (RFC 3725)" \
  "audio flows both ways, directly between the caller and the agent" \
  "the agent holds and resumes: the hold reaches the caller, audio flows both ways again after resume" \
  "the caller hangs up: rgsd ends the agent's call, and get-callrecord has the call" \
  "an anonymous workflow: rgsd relays the media, and the caller learns nothing of the agent"

BS="$RGS_SOURCE_DIR/tests/sip/bsctl.py"
FLOW=50   # packets (one second of 20 ms G.711) that prove a direction of audio flows

BS_PIDS=()   # the baresips and their bsctl.py helpers, stopped before rgsd

_baresip_exit() {
  local p
  # SIGTERM: baresip hangs up and un-registers, which needs rgsd still running; then lib.sh's
  # teardown stops rgsd (and RGS_KEEP_LOGS copies what is worth reading).
  for p in "${BS_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${BS_PIDS[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  if [ -n "${RGS_KEEP_LOGS:-}" ]; then mkdir -p "$RGS_KEEP_LOGS" && cp -r "$TMP/." "$RGS_KEEP_LOGS/"; fi
  _stop_all
}
trap _baresip_exit EXIT

if ! command -v baresip >/dev/null; then
  echo "baresip is not installed: scripts/setup installs it (Debian package baresip-core)" >&2
  exit 1
fi

# show LINE...: evidence, printed under the failure of the current case (and only then).
show() {
  [ "$CASE_FAILED" -eq 1 ] || return 0
  local l
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/    | /'; done
}

declare -A BS_SIP BS_LO BS_HI BS_TOK
TAKEN=()   # RTP port ranges already given out: "LO HI"

# rtp_range: a range of 20 ports starting at a free port, away from every range given out so far.
rtp_range() {
  local lo r a b clash
  for _ in $(seq 1 50); do
    lo=$(free_port)
    clash=0
    for r in "${TAKEN[@]}"; do
      read -r a b <<<"$r"
      [ "$lo" -le "$b" ] && [ $((lo + 19)) -ge "$a" ] && clash=1
    done
    [ $clash -eq 0 ] && { TAKEN+=("$lo $((lo + 19))"); echo "$lo"; return; }
  done
  echo 0
}

# start_baresip NAME TONE_HZ ACCOUNT: starts a headless baresip in $TMP/NAME (config written there)
# with a sine tone as its microphone, the account line ACCOUNT (@RGSD@ is rgsd's host:port), a
# SIP trace in $TMP/NAME.log and its ctrl_tcp messages in $TMP/NAME.ev (through bsctl.py ctl,
# which sends what is written to $TMP/NAME.fifo). Waits until both are ready.
start_baresip() {
  local name=$1 hz=$2 account=${3//@RGSD@/127.0.0.1:$SIP_PORT} d="$TMP/$1" sip ctrl lo pid helper i
  mkdir -p "$d"
  for _ in 1 2 3; do   # a port another process took since it was found free: try others
    sip=$(free_port)
    ctrl=$(free_port)
    lo=$(rtp_range)
    cat >"$d/config" <<EOF
poll_method		epoll
sip_listen		127.0.0.1:$sip
call_local_timeout	120
call_max_calls		4
audio_path		/usr/share/baresip
audio_source		ausine,$hz
ausrc_srate		48000
ausrc_channels		2
audio_player		aubridge,nowhere
audio_alert		aubridge,nowhere
rtp_ports		$lo-$((lo + 19))
net_interface		127.0.0.1
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module			aubridge.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctrl
EOF
    printf '%s\n' "$account" >"$d/accounts"
    : >"$d/contacts"
    : >"$d.ev"
    rm -f "$d.fifo"
    mkfifo "$d.fifo"
    baresip -f "$d" -s -t 240 >"$d.log" 2>&1 </dev/null &   # -t: quits by itself at the latest
    pid=$!
    BS_PIDS+=("$pid")
    python3 "$BS" ctl "$ctrl" "$d.ev" "$d.fifo" 2>"$d.ctl.err" &
    helper=$!
    BS_PIDS+=("$helper")
    for i in $(seq 1 100); do
      if grep -q '"connected": true' "$d.ev" && grep -q "baresip is ready" "$d.log"; then
        BS_SIP[$name]=$sip
        BS_LO[$name]=$lo
        BS_HI[$name]=$((lo + 19))
        return 0
      fi
      kill -0 "$pid" 2>/dev/null && kill -0 "$helper" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$pid" "$helper" 2>/dev/null
    wait "$pid" "$helper" 2>/dev/null
  done
  echo "baresip $name did not start:" >&2
  tail -5 "$d.log" >&2
  return 1
}

# bs NAME COMMAND [PARAMS]: a ctrl_tcp command to baresip NAME; waits (5 s at most) for its
# response (bsctl.py logs it with the command's token, then in $BS_TOKEN). 1 when none came.
bs() {
  local name=$1 i
  shift
  BS_TOK[$name]=$((${BS_TOK[$name]:-0} + 1))
  BS_TOKEN="$name-${BS_TOK[$name]}"
  timeout 5 bash -c 'printf "%s\n" "$1" >"$2"' _ "$BS_TOKEN $*" "$TMP/$name.fifo" || return 1
  for i in $(seq 1 100); do
    grep -Eq "^\{\"response\": true.*\"token\": \"$BS_TOKEN\"" "$TMP/$name.ev" && return 0
    sleep 0.05
  done
  return 1
}

# audio NAME: baresip NAME's audio stream now, from `audio_debug`: $AU_DIR, $AU_ENC, $AU_DEC,
# $AU_TX, $AU_REMOTE, and per RTP source the packets received, in $TMP/NAME.audio ("rx ADDR N").
audio() {
  AU_DIR=- AU_ENC=- AU_DEC=- AU_TX=0 AU_REMOTE=-
  bs "$1" audio_debug || return 1
  python3 "$BS" audio "$TMP/$1.ev" "$BS_TOKEN" >"$TMP/$1.audio" || return 1
  AU_DIR=$(sed -n 's/^dir=//p' "$TMP/$1.audio")
  AU_ENC=$(sed -n 's/^enc=//p' "$TMP/$1.audio")
  AU_DEC=$(sed -n 's/^dec=//p' "$TMP/$1.audio")
  AU_TX=$(sed -n 's/^tx=//p' "$TMP/$1.audio")
  AU_REMOTE=$(sed -n 's/^remote=//p' "$TMP/$1.audio")
}

# rx_from NAME LO HI: RTP packets baresip NAME received from 127.0.0.1 ports LO-HI (as of its
# last `audio`).
rx_from() {
  awk -v lo="$2" -v hi="$3" '$1 == "rx" { n = split($2, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) s += $3 }
    END { print s + 0 }' "$TMP/$1.audio"
}

# rx_sources NAME: "ADDR=N ..." of its last `audio`, for evidence.
rx_sources() { awk '$1 == "rx" { printf "%s%s=%s", sep, $2, $3; sep = " " }' "$TMP/$1.audio"; }

# flow NAME LO HI [MIN] [SECONDS]: waits until baresip NAME has received MIN more RTP packets
# from ports LO-HI than when called. $FLOW_GOT is how many came; 1 on timeout.
flow() {
  local name=$1 lo=$2 hi=$3 min=${4:-$FLOW} limit=${5:-10} base end
  audio "$name"
  base=$(rx_from "$name" "$lo" "$hi")
  end=$((SECONDS + limit))
  FLOW_GOT=0
  while [ $SECONDS -le $end ]; do
    sleep 0.2
    audio "$name" || continue
    FLOW_GOT=$(($(rx_from "$name" "$lo" "$hi") - base))
    [ "$FLOW_GOT" -ge "$min" ] && return 0
  done
  return 1
}

# direction NAME REGEX [SECONDS]: waits until baresip NAME's audio stream direction matches.
direction() {
  local end=$((SECONDS + ${3:-5}))
  while [ $SECONDS -le $end ]; do
    audio "$1" && [[ "$AU_DIR" =~ ^($2)$ ]] && return 0
    sleep 0.1
  done
  return 1
}

# events NAME TYPE: how many ctrl_tcp events of TYPE baresip NAME sent.
events() { grep -c "\"type\": \"$2\"" "$TMP/$1.ev"; }

# wait_event NAME TYPE [N] [SECONDS]: waits until baresip NAME has sent N (default 1) events of TYPE.
wait_event() {
  local i
  for i in $(seq 1 $((${4:-10} * 20))); do
    [ "$(events "$1" "$2")" -ge "${3:-1}" ] && return 0
    sleep 0.05
  done
  return 1
}

# sip NAME: the SIP messages baresip NAME handled so far, one a line, in $TMP/NAME.sip.
sip() { python3 "$BS" sip "$TMP/$1.log" "127.0.0.1:${BS_SIP[$1]}" >"$TMP/$1.sip"; }

# wait_sip NAME REGEX [SECONDS]: waits until a message line of baresip NAME matches REGEX; the
# first matching line in $SIP_LINE.
wait_sip() {
  local end=$((SECONDS + ${3:-5}))
  SIP_LINE=""
  while [ $SECONDS -le $end ]; do
    sip "$1"
    SIP_LINE=$(grep -E -m1 -- "$2" "$TMP/$1.sip") && return 0
    sleep 0.1
  done
  return 1
}

# field LINE N: field N (1: "N in|out", 2: start line, 3: CSeq, 4: Call-ID, 5: sdp) of a message line.
field() { printf '%s\n' "$1" | awk -F ' [|] ' -v n="$2" '{ print $n }'; }
# sdp_port LINE / sdp_fmts LINE / sdp_dir LINE: from "sdp=ADDR:PORT FMT,FMT DIR".
sdp_port() { field "$1" 5 | sed -n 's/^sdp=[^ ]*:\([0-9]*\) .*/\1/p'; }
sdp_fmts() { field "$1" 5 | awk '{ print $2 }'; }
sdp_dir() { field "$1" 5 | awk '{ print $3 }'; }
codec_name() { case "$1" in 0) echo PCMU ;; 8) echo PCMA ;; *) echo "PT$1" ;; esac; }

# ---- the configuration, rgsd and the phones ---------------------------------------------------

setup -q new-agentgroup Desk --agent sip:agent1@127.0.0.1 --agent sip:agent2@127.0.0.1
setup -q new-queue Help --agent-group Desk
setup -q new-workflow Helpdesk --primary-uri sip:help@example.com --default-action queue:Help --active true
# The agents' phones authenticate their REGISTERs with these passwords (auth_user, auth_pass).
printf 'sip:agent1@127.0.0.1 pw-agent1\nsip:agent2@127.0.0.1 pw-agent2\n' >"$TMP/credentials"
setup -q set-agentcredential --credential-file "$TMP/credentials"

# Only the MD5 challenge: baresip 1.0.0 (libre 2.0) does not register when a SHA-256 one comes too.
DIGEST_ALGORITHMS="[MD5]" TPORT_DUMP="$TMP/rgsd.dump" start_rgsd || exit 1
RGSD_RTP=$(sed -n 's/^  ports: //p' "$TMP/rgsd.yaml")
RGSD_LO=${RGSD_RTP%-*}
RGSD_HI=${RGSD_RTP#*-}
TAKEN+=("$((RGSD_LO - 20)) $RGSD_HI")

# The caller prefers PCMA and offers PCMU too; the agents take what is offered, in its order.
# Distinct tones, so that a recording or a listener could tell the parties apart.
start_baresip agent1 1000 '"Agent One" <sip:agent1@@RGSD@>;auth_user=agent1;auth_pass=pw-agent1;answermode=auto;regint=300' || exit 1
start_baresip agent2 1600 '"Agent Two" <sip:agent2@@RGSD@>;auth_user=agent2;auth_pass=pw-agent2;answermode=auto;regint=300' || exit 1
start_baresip caller 700 '"Caller One" <sip:caller1@@RGSD@>;regint=0;audio_codecs=pcma,pcmu' || exit 1

# ---- 1. registration ---------------------------------------------------------------------------

tcase sip-baresip-1.1 "both baresip agents REGISTER: get-agentstate shows them at their contacts, able to take calls"
for a in agent1 agent2; do
  ok=0
  for i in $(seq 1 100); do
    run get-agentstate --agent "sip:$a@127.0.0.1" -o json
    if [[ "$OUT" == *"@127.0.0.1:${BS_SIP[$a]}\""* ]]; then ok=1; break; fi
    sleep 0.1
  done
  [ $ok -eq 1 ] || fail "$a did not register from 127.0.0.1:${BS_SIP[$a]}"
  expect_json "[0].Registered=true" "[0].CanTakeCall=true"
done
show "$(grep -E 'registered|error|warning' "$TMP/rgsd.log")"

# ---- 2. answer and connect -----------------------------------------------------------------------

tcase sip-baresip-2.1 "the caller dials the workflow; rgsd answers 200 with its own media"
bs caller dial "sip:help@127.0.0.1:$SIP_PORT" || fail "ctrl_tcp dial got no response"
CMD="baresip caller: dial sip:help@127.0.0.1:$SIP_PORT"
wait_event caller CALL_ESTABLISHED 1 10 || fail "the caller's call was not established within 10 s"
sip caller
INVITE=$(grep -E -m1 '^[0-9]+ out [|] INVITE sip:help@' "$TMP/caller.sip")
CALL_ID=$(field "$INVITE" 4)
CSEQ=$(field "$INVITE" 3 | awk '{ print $1 }')
ANSWER=$(grep -E -m1 "^[0-9]+ in [|] SIP/2.0 200 [^|]* [|] $CSEQ INVITE [|] " "$TMP/caller.sip")
port=$(sdp_port "$ANSWER")
[ -n "$ANSWER" ] || fail "no 200 to the caller's INVITE in its trace"
[ -n "$port" ] && [ "$port" -ge "$RGSD_LO" ] && [ "$port" -le "$RGSD_HI" ] ||
  fail "the 200 does not offer rgsd's media (port '$port', rgsd's rtp.ports $RGSD_RTP)"
expect_log "call [0-9]+ from sip:caller1@127.0.0.1[^ ]* to workflow 'Helpdesk'"
show "$INVITE" "$ANSWER"
if [ -z "$CALL_ID" ] || [ "$(events caller CALL_ESTABLISHED)" -eq 0 ]; then
  show "$(tail -5 "$TMP/rgsd.log")"
  finish   # nothing else can be checked
fi
ANSWER_CODEC=$(sdp_fmts "$ANSWER" | cut -d, -f1)

tcase sip-baresip-2.2 "both agents are offered the call (parallel); exactly one keeps it"
CMD="rgsd: offer to sip:agent1@127.0.0.1 and sip:agent2@127.0.0.1"
expect_log "connected to sip:agent[12]@127.0.0.1" 10
WINNER=$(grep -Eo "connected to sip:agent[12]@127.0.0.1" "$TMP/rgsd.log" | head -1 | sed 's/.*sip:\(agent[12]\)@.*/\1/')
if [ -z "$WINNER" ]; then
  fail "rgsd connected no agent"
  show "$(grep -E 'call 1' "$TMP/rgsd.log")"
  finish
fi
OTHER=agent1
[ "$WINNER" = agent1 ] && OTHER=agent2
wait_event "$WINNER" CALL_ESTABLISHED 1 5 || fail "$WINNER has no established call"
[ "$(events "$WINNER" CALL_CLOSED)" -eq 0 ] || fail "$WINNER's call was closed"
# The other agent answered too, or not yet: rgsd cancels its offer, or ends it with BYE.
for i in $(seq 1 50); do
  [ "$(events "$OTHER" CALL_ESTABLISHED)" -le "$(events "$OTHER" CALL_CLOSED)" ] && break
  sleep 0.1
done
[ "$(events "$OTHER" CALL_ESTABLISHED)" -le "$(events "$OTHER" CALL_CLOSED)" ] ||
  fail "$OTHER still has a call 5 s after rgsd connected $WINNER"
show "$(grep -E 'call 1' "$TMP/rgsd.log")"

tcase sip-baresip-2.3 "rgsd re-INVITEs the caller with the agent's session description, and the caller accepts it"
CMD="rgsd: re-INVITE to the caller"
wait_sip caller "^[0-9]+ in [|] INVITE [^|]* [|] [0-9]+ INVITE [|] $CALL_ID [|] sdp=[^-]" 5 ||
  fail "the caller received no re-INVITE with SDP in its call"
REINVITE=$SIP_LINE
RCSEQ=$(field "$REINVITE" 3 | awk '{ print $1 }')
port=$(sdp_port "$REINVITE")
[ -n "$port" ] && [ "$port" -ge "${BS_LO[$WINNER]}" ] && [ "$port" -le "${BS_HI[$WINNER]}" ] ||
  fail "the re-INVITE's media is not $WINNER's (port '$port', $WINNER's rtp_ports ${BS_LO[$WINNER]}-${BS_HI[$WINNER]})"
[ "$(sdp_dir "$REINVITE")" = sendrecv ] || fail "the re-INVITE's media is $(sdp_dir "$REINVITE"), not sendrecv"
wait_sip caller "^[0-9]+ out [|] SIP/2.0 200 [^|]* [|] $RCSEQ INVITE [|] $CALL_ID [|] sdp=[^-]" 5 ||
  fail "the caller did not answer the re-INVITE 200 with SDP"
CALLER_ACCEPT=$SIP_LINE
show "$REINVITE" "$CALLER_ACCEPT"

tcase sip-baresip-2.4 "rgsd sends that re-INVITE only after the caller's ACK of its 200 (RFC 3261 14.1)"
CMD="rgsd's SIP dump (TPORT_DUMP)"
if [ ! -s "$TMP/rgsd.dump" ]; then
  fail "rgsd wrote no TPORT_DUMP file: the order it handled messages in is unknown"
else
  python3 "$BS" dump "$TMP/rgsd.dump" >"$TMP/rgsd.sip"
  ack=$(grep -E -m1 "^[0-9]+ in [|] ACK [^|]* [|] $CSEQ ACK [|] $CALL_ID [|]" "$TMP/rgsd.sip")
  reinvite=$(grep -E -m1 "^[0-9]+ out [|] INVITE [^|]* [|] $RCSEQ INVITE [|] $CALL_ID [|]" "$TMP/rgsd.sip")
  if [ -z "$ack" ] || [ -z "$reinvite" ]; then
    fail "rgsd's dump lacks the caller's ACK ('$ack') or the re-INVITE ('$reinvite')"
  elif [ "${ack%% *}" -gt "${reinvite%% *}" ]; then
    fail "rgsd sent the re-INVITE (message ${reinvite%% *}) before it received the caller's ACK (message ${ack%% *})"
  fi
  show "$(grep -F "$CALL_ID" "$TMP/rgsd.sip" | head -6)"
fi

tcase sip-baresip-2.5 "connecting keeps the codec rgsd and the caller agreed on ($(codec_name "$ANSWER_CODEC"))"
CMD="codecs of the caller's call"
first=$(sdp_fmts "$REINVITE" | cut -d, -f1)
[ "$first" = "$ANSWER_CODEC" ] ||
  fail "rgsd answered the caller with $(codec_name "$ANSWER_CODEC"), its re-INVITE prefers $(codec_name "$first")"
[ "$(sdp_fmts "$CALLER_ACCEPT" | cut -d, -f1)" = "$ANSWER_CODEC" ] ||
  fail "the caller accepted the re-INVITE with $(codec_name "$(sdp_fmts "$CALLER_ACCEPT" | cut -d, -f1)")"
audio caller
[ "$AU_ENC" = "$(codec_name "$ANSWER_CODEC")" ] && [ "$AU_DEC" = "$AU_ENC" ] ||
  fail "the caller now encodes $AU_ENC and decodes $AU_DEC"
caller_codec="encode $AU_ENC, decode $AU_DEC"
audio "$WINNER"
[ "$AU_ENC" = "$(codec_name "$ANSWER_CODEC")" ] && [ "$AU_DEC" = "$AU_ENC" ] ||
  fail "$WINNER encodes $AU_ENC and decodes $AU_DEC"
show "$ANSWER" "$REINVITE" "$CALLER_ACCEPT" "caller: $caller_codec; $WINNER: encode $AU_ENC, decode $AU_DEC"

# ---- 3. audio ------------------------------------------------------------------------------------

tcase sip-baresip-3.1 "the caller receives the agent's RTP directly, and no more of rgsd's"
CMD="baresip caller: audio_debug (RTP received per source)"
audio caller
from_rgsd=$(rx_from caller "$RGSD_LO" "$RGSD_HI")
flow caller "${BS_LO[$WINNER]}" "${BS_HI[$WINNER]}" ||
  fail "the caller received $FLOW_GOT RTP packets from $WINNER in 10 s (expected $FLOW)"
[ "$(rx_from caller "$RGSD_LO" "$RGSD_HI")" -le $((from_rgsd + 2)) ] ||
  fail "rgsd still sends RTP to the connected caller ($from_rgsd, then $(rx_from caller "$RGSD_LO" "$RGSD_HI") packets)"
[ "${AU_REMOTE##*:}" -ge "${BS_LO[$WINNER]}" ] && [ "${AU_REMOTE##*:}" -le "${BS_HI[$WINNER]}" ] ||
  fail "the caller sends its RTP to $AU_REMOTE, not to $WINNER"
echo "# caller: dir=$AU_DIR, $AU_TX RTP packets sent to $AU_REMOTE; received per source: $(rx_sources caller)"

tcase sip-baresip-3.2 "the agent receives the caller's RTP directly"
CMD="baresip $WINNER: audio_debug (RTP received per source)"
flow "$WINNER" "${BS_LO[caller]}" "${BS_HI[caller]}" ||
  fail "$WINNER received $FLOW_GOT RTP packets from the caller in 10 s (expected $FLOW)"
echo "# $WINNER: dir=$AU_DIR, $AU_TX RTP packets sent to $AU_REMOTE; received per source: $(rx_sources "$WINNER")"

# ---- 4. hold and resume ----------------------------------------------------------------------------

tcase sip-baresip-4.1 "the agent holds (re-INVITE sendonly): rgsd answers recvonly or inactive"
sip "$WINNER"
n_before=$(grep -c . "$TMP/$WINNER.sip")
bs "$WINNER" hold || fail "ctrl_tcp hold got no response"
CMD="baresip $WINNER: hold"
wait_sip "$WINNER" "^[0-9]+ out [|] INVITE [^|]* [|] [0-9]+ INVITE [|] [^|]* [|] sdp=[^ ]* [^ ]* (sendonly|inactive)$" 5 ||
  fail "$WINNER sent no hold re-INVITE"
HOLD=$SIP_LINE
HCSEQ=$(field "$HOLD" 3 | awk '{ print $1 }')
wait_sip "$WINNER" "^[0-9]+ in [|] SIP/2.0 [0-9]+ [^|]* [|] $HCSEQ INVITE [|] [^|]* [|] sdp=[^-]" 5 ||
  fail "rgsd did not answer the hold re-INVITE with SDP within 5 s"
HOLD_ANSWER=$SIP_LINE
[[ "$(field "$HOLD_ANSWER" 2)" == "SIP/2.0 200 "* ]] || fail "rgsd answered the hold $(field "$HOLD_ANSWER" 2)"
[[ "$(sdp_dir "$HOLD_ANSWER")" =~ ^(recvonly|inactive)$ ]] ||
  fail "rgsd answered the hold offer ($(sdp_dir "$HOLD")) with $(sdp_dir "$HOLD_ANSWER") (RFC 3264 6.1: recvonly or inactive)"
show "$WINNER's trace:" "$HOLD" "$HOLD_ANSWER"
if [ "$CASE_FAILED" -eq 1 ] && [ -s "$TMP/rgsd.dump" ]; then
  python3 "$BS" dump "$TMP/rgsd.dump" >"$TMP/rgsd.sip"
  show "rgsd's dump from the hold on:" "$(sed -n "/ $HCSEQ INVITE /,\$p" "$TMP/rgsd.sip" | grep -v REGISTER | head -7)"
fi

tcase sip-baresip-4.2 "the hold reaches the caller: re-INVITE sendonly or inactive, the caller's stream holds, it stops sending"
CMD="baresip caller after $WINNER's hold"
wait_sip caller "^[0-9]+ in [|] INVITE [^|]* [|] [0-9]+ INVITE [|] $CALL_ID [|] sdp=[^ ]* [^ ]* (sendonly|inactive)$" 5 ||
  fail "the caller received no re-INVITE putting it on hold"
CALLER_HOLD=$SIP_LINE
direction caller "recvonly|inactive" 5 || fail "the caller's stream is $AU_DIR, not recvonly or inactive"
# The caller now sends nothing: the agent must not receive more than a few packets (in flight)
# from it within the next second. (A bounded wait for something that must not happen.)
flow "$WINNER" "${BS_LO[caller]}" "${BS_HI[caller]}" 5 1 &&
  fail "the agent still received $FLOW_GOT RTP packets from the caller in 1 s of hold"
show "${CALLER_HOLD:-(no hold re-INVITE at the caller; its last messages:)}" "$(tail -4 "$TMP/caller.sip")"

tcase sip-baresip-4.3 "the agent resumes: both streams are sendrecv again"
bs "$WINNER" resume || fail "ctrl_tcp resume got no response"
CMD="baresip $WINNER: resume"
direction "$WINNER" sendrecv 5 || fail "$WINNER's stream is $AU_DIR after resume"
direction caller sendrecv 5 || fail "the caller's stream is $AU_DIR after resume"
sip "$WINNER"
sip caller
show "$WINNER:" "$(sed -n "$((n_before + 1)),\$p" "$TMP/$WINNER.sip" | grep -v REGISTER)" "caller:" "$(tail -6 "$TMP/caller.sip")"

tcase sip-baresip-4.4 "after resume audio flows both ways again"
CMD="audio_debug after resume"
flow caller "${BS_LO[$WINNER]}" "${BS_HI[$WINNER]}" ||
  fail "after resume the caller received $FLOW_GOT RTP packets from $WINNER in 10 s (expected $FLOW)"
flow "$WINNER" "${BS_LO[caller]}" "${BS_HI[caller]}" ||
  fail "after resume $WINNER received $FLOW_GOT RTP packets from the caller in 10 s (expected $FLOW)"
show "caller: $(rx_sources caller)" "$WINNER: $(rx_sources "$WINNER")"

# ---- 5. hang-up and record -----------------------------------------------------------------------

tcase sip-baresip-5.1 "the caller hangs up: rgsd ends the agent's call with BYE"
closed=$(events "$WINNER" CALL_CLOSED)
bs caller hangup || fail "ctrl_tcp hangup got no response"
CMD="baresip caller: hangup"
wait_event caller CALL_CLOSED 1 5 || fail "the caller's call did not close"
expect_log "call [0-9]+: the caller hung up" 5
wait_event "$WINNER" CALL_CLOSED $((closed + 1)) 5 || fail "$WINNER's call did not close"
wait_sip "$WINNER" "^[0-9]+ in [|] BYE " 5 || fail "$WINNER received no BYE"

tcase sip-baresip-5.2 "get-callrecord: the call, answered by $WINNER through Helpdesk and Help"
for i in $(seq 1 50); do   # records are written in batches, at most reload_ms apart
  run get-callrecord -o json
  [[ "$OUT" == *"$CALL_ID"* ]] && break
  sleep 0.1
done
expect_status 0
w=0
o=1
[ "$WINNER" = agent2 ] && w=1 o=0
expect_json "len()=1" "[0].CallId=\"$CALL_ID\"" "[0].Workflow=\"Helpdesk\"" "[0].Outcome=\"Answered\"" \
  "[0].Agent=\"sip:$WINNER@127.0.0.1\"" "[0].Detail=\"the caller hung up\"" "[0].Answered?" \
  "len([0].Queues)=1" "[0].Queues[0].Queue=\"Help\"" "[0].Queues[0].Outcome=\"Answered\"" \
  "[0].Queues[0].Agent=\"sip:$WINNER@127.0.0.1\"" "len([0].Queues[0].Offers)=2" \
  "[0].Queues[0].Offers[$w].Agent=\"sip:$WINNER@127.0.0.1\"" "[0].Queues[0].Offers[$w].Result=\"Answered\"" \
  "[0].Queues[0].Offers[$o].Agent=\"sip:$OTHER@127.0.0.1\"" "[0].Queues[0].Offers[$o].Result=\"Cancelled\""
show "$OUT"

# ---- 6. an anonymous workflow: rgsd relays the media ---------------------------------------------

tcase sip-baresip-6.1 "an anonymous workflow: the agent is offered rgsd's relay and the caller gets no re-INVITE"
setup -q new-workflow Hidden --primary-uri sip:hidden@example.com --default-action queue:Help --active true \
  --anonymous true
rev=$("$RGS" get-revision --last 1 -o json | sed -n 's/.*"Revision": \([0-9]*\).*/\1/p')
expect_log "now serving revision $rev of"
mark=$(wc -c <"$TMP/caller.log")
established=$(events caller CALL_ESTABLISHED)
bs caller dial "sip:hidden@127.0.0.1:$SIP_PORT" || fail "ctrl_tcp dial got no response"
CMD="baresip caller: dial sip:hidden@127.0.0.1:$SIP_PORT"
wait_event caller CALL_ESTABLISHED $((established + 1)) 10 || fail "the caller's call was not established within 10 s"
expect_log "answered by sip:agent[12]@127.0.0.1; connected \(media relayed: anonymous workflow\)" 10
HIDDEN=$(grep -Eo "answered by sip:agent[12]@127.0.0.1; connected \(media relayed" "$TMP/rgsd.log" | head -1 |
  sed 's/.*sip:\(agent[12]\)@.*/\1/')
[ -n "$HIDDEN" ] || { show "$(tail -5 "$TMP/rgsd.log")"; finish; }
sip caller
HCALL_ID=$(field "$(grep -E '^[0-9]+ out [|] INVITE sip:hidden@' "$TMP/caller.sip" | tail -1)" 4)
wait_sip "$HIDDEN" "^[0-9]+ in [|] INVITE [^|]* [|] [0-9]+ INVITE [|] [^|]* [|] sdp=" 5 || fail "$HIDDEN got no INVITE"
port=$(sdp_port "$(grep -E '^[0-9]+ in [|] INVITE ' "$TMP/$HIDDEN.sip" | tail -1)")
[ -n "$port" ] && [ "$port" -ge "$RGSD_LO" ] && [ "$port" -le "$RGSD_HI" ] ||
  fail "the offer to $HIDDEN is not rgsd's relay (port '$port', rgsd's rtp.ports $RGSD_RTP)"
[ "$(grep -Ec "^[0-9]+ in [|] INVITE [^|]* [|] [0-9]+ INVITE [|] $HCALL_ID [|]" "$TMP/caller.sip")" = 0 ] ||
  fail "the caller received a re-INVITE in the anonymous call"
show "$(grep -F "$HCALL_ID" "$TMP/caller.sip")"

tcase sip-baresip-6.2 "audio flows both ways through rgsd's relay"
CMD="audio_debug and rgsd's status (RelayedToAgents, RelayedToCallers)"
audio caller
before_direct=$(rx_from caller "${BS_LO[$HIDDEN]}" "${BS_HI[$HIDDEN]}")   # from the first, direct call
flow "$HIDDEN" "$RGSD_LO" "$RGSD_HI" || fail "$HIDDEN received $FLOW_GOT RTP packets from rgsd's relay in 10 s"
flow caller "$RGSD_LO" "$RGSD_HI" || fail "the caller received $FLOW_GOT RTP packets from rgsd in 10 s"
read -r to_agents to_callers < <(python3 "$RGS_SOURCE_DIR/tests/sip/status.py" "$RGS_CONTROL" RelayedToAgents \
  RelayedToCallers | paste -sd' ')
[ "${to_agents:-0}" -ge "$FLOW" ] && [ "${to_callers:-0}" -ge "$FLOW" ] ||
  fail "rgsd relayed $to_agents packets to the agent and $to_callers to the caller (at least $FLOW each expected)"
[[ "${AU_REMOTE##*:}" -ge "$RGSD_LO" && "${AU_REMOTE##*:}" -le "$RGSD_HI" ]] ||
  fail "the caller sends its RTP to $AU_REMOTE, not to rgsd"
[ "$(rx_from caller "${BS_LO[$HIDDEN]}" "${BS_HI[$HIDDEN]}")" -eq "$before_direct" ] ||
  fail "the caller received RTP from $HIDDEN's own ports"
show "relayed: $to_agents to the agent, $to_callers to the caller" "caller: $(rx_sources caller)" \
  "$HIDDEN: $(rx_sources "$HIDDEN")"

tcase sip-baresip-6.3 "the agent holds: rgsd's relay answers it (recvonly or inactive), the caller hears of nothing"
bs "$HIDDEN" hold || fail "ctrl_tcp hold got no response"
CMD="baresip $HIDDEN: hold"
wait_sip "$HIDDEN" "^[0-9]+ in [|] SIP/2.0 200 [^|]* [|] [0-9]+ INVITE [|] [^|]* [|] sdp=[^ ]* [^ ]* (recvonly|inactive)$" 5 ||
  fail "rgsd did not answer $HIDDEN's hold with recvonly or inactive"
# A bounded wait for something that must not happen: no re-INVITE reaches the caller.
wait_sip caller "^[0-9]+ in [|] INVITE [^|]* [|] [0-9]+ INVITE [|] $HCALL_ID [|]" 1 &&
  fail "the agent's hold reached the caller: $SIP_LINE"
bs "$HIDDEN" resume || fail "ctrl_tcp resume got no response"
direction "$HIDDEN" sendrecv 5 || fail "$HIDDEN's stream is $AU_DIR after resume"

tcase sip-baresip-6.4 "nothing the caller received names the agent or its address"
CMD="the caller's log of the anonymous call"
tail -c +$((mark + 1)) "$TMP/caller.log" >"$TMP/caller.hidden.log"
leak=$(grep -Ein "agent[12]|Agent (One|Two)|:(${BS_SIP[agent1]}|${BS_SIP[agent2]})\b" "$TMP/caller.hidden.log" | head -3)
[ -z "$leak" ] || fail "the caller's log names an agent: $leak"
for p in $(sed -n 's/^m=audio \([0-9]*\) .*/\1/p' "$TMP/caller.hidden.log"); do
  [ "$p" -ge "$RGSD_LO" ] && [ "$p" -le "$RGSD_HI" ] && continue
  [ "$p" -ge "${BS_LO[caller]}" ] && [ "$p" -le "${BS_HI[caller]}" ] && continue   # its own offers
  fail "the caller's log has media at port $p, neither rgsd's nor its own"
done
bs caller hangup || fail "ctrl_tcp hangup got no response"
wait_event caller CALL_CLOSED $(($(events caller CALL_ESTABLISHED))) 5 || fail "the caller's call did not close"
show "$(grep -c . "$TMP/caller.hidden.log") lines of the caller's log checked"

finish
