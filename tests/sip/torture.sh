#!/bin/bash
# The 49 torture messages of RFC 4475 (tests/sip/rfc4475/, byte for byte as the RFC publishes
# them) sent at a live rgsd, each with the answer the RFC gives for it (the table below); where
# the RFC lets an element drop a message, or where no answer can be addressed, the drop is checked
# and rgsd must answer an OPTIONS right after.
#
# What is changed in a message before it is sent: over UDP, only the host and port of the top
# Via's sent-by, which become the sending socket's 127.0.0.1:port (tests/sip/rawsip.py --file),
# since rgsd sends a response to the sent-by address (RFC 3261 18.2.2) and the RFC's hosts are not
# reachable here; over TCP, only a top Via's TLS, which becomes TCP (the answer comes back on the
# connection, and rgsd's SIP stack drops a request whose Via names another transport). Request-URIs are
# left as they are: rgsd answers whatever host they name.
. "$(dirname "$0")/lib.sh"

plan sip-torture \
  "RFC 4475 3.1.1: valid messages are answered as any other request" \
  "RFC 4475 3.1.2: invalid messages get the RFC's error response, or are dropped where the RFC says so" \
  "RFC 4475 3.2 to 3.4: transaction and application-layer semantics, RFC 2543 syntax"

# Two agents, so that REGISTERs for their addresses are judged on their contacts (RFC 4475
# 3.3.12 to 3.3.14) rather than refused as strangers; no workflow: every INVITE is for an
# address rgsd does not serve (404), so that no call starts.
setup -q new-agentgroup Torture --agent sip:user@example.com --agent sip:watson@example.com
# Agents authenticate (rgsd.8, AUTHENTICATION): watson has a credential, so a REGISTER for him
# that parses well is challenged (401), the answer a digest registrar gives before "success".
printf 'torture\n' >"$TMP/watson.pw"
setup -q set-agentcredential sip:watson@example.com --password-file "$TMP/watson.pw"
start_rgsd || exit 1

DIR="$RGS_SOURCE_DIR/tests/sip/rfc4475"

# group  file  section  transport  expected  why: the RFC's words for that section, or rgsd's rule
# The transport is the one the top Via names: UDP, or TCP for a Via of TCP or TLS (rgsd's stack
# answers a request whose Via names a stream transport over a stream, so a datagram with such a
# Via gets its answer sent over TCP to the Via's address, where nobody listens).
TABLE='
1 wsinv.dat      3.1.1.1  udp 481  valid; its To has a tag of a dialog rgsd does not know (RFC 3261 12.2.2)
1 intmeth.dat    3.1.1.2  tcp drop valid; the RFC gives 501, but the SIP stack ends a header at the escaped NUL in To (rgsd.8; 1.90 without it)
1 esc01.dat      3.1.1.3  udp 404  valid INVITE; no workflow at that address
1 escnull.dat    3.1.1.4  udp 400  parses; rgsd refuses contacts with an escaped NUL in the user part
1 esc02.dat      3.1.1.5  tcp 501  valid; the method is RE%47IST%45R, not REGISTER
1 lwsdisp.dat    3.1.1.6  udp 200  valid OPTIONS
1 longreq.dat    3.1.1.7  tcp 404  valid INVITE; no workflow at that address
1 dblreq.dat     3.1.1.8  udp 404  the REGISTER (j.user is no agent); the trailing INVITE is ignored
1 semiuri.dat    3.1.1.9  udp 200  valid OPTIONS
1 transports.dat 3.1.1.10 udp 200  valid OPTIONS
1 mpart01.dat    3.1.1.11 udp 405  valid MESSAGE; rgsd does not serve MESSAGE (Allow lists what it does)
1 unreason.dat   3.1.1.12 udp drop a response that matches no transaction (RFC 3261 18.1.2)
1 noreason.dat   3.1.1.13 udp drop a response that matches no transaction (RFC 3261 18.1.2)
2 badinv01.dat   3.1.2.1  udp drop "should respond with a 400"; the Via cannot be parsed, so no answer can be sent
2 clerr.dat      3.1.2.2  udp 400  over UDP, "respond with a 400 Bad Request"
2 ncl.dat        3.1.2.3  udp 400  "should respond with an error"
2 scalar02.dat   3.1.2.4  tcp 400  "400 Bad Request due to the CSeq error"
2 scalarlg.dat   3.1.2.5  udp drop a response: "simply discard it"
2 quotbal.dat    3.1.2.6  udp 400  "should return a 400 Bad Request"
2 ltgtruri.dat   3.1.2.7  udp 400  "should respond with a 400 Bad Request"
2 lwsruri.dat    3.1.2.8  udp drop "should respond with a 400"; the Request-Line cannot be parsed, so it is no request
2 lwsstart.dat   3.1.2.9  udp 404  "an element that is liberal ... may ignore these extra SP characters"
2 trws.dat       3.1.2.10 tcp 200  "an element that is liberal ... may ignore these extra SP characters"
2 escruri.dat    3.1.2.11 udp 400  "reject this request with a 400 Bad Request"
2 baddate.dat    3.1.2.12 udp 404  "could ignore this value altogether if it was not going to use the Date"
2 regbadct.dat   3.1.2.13 udp 400  "respond with a 400 Bad Request"
2 badaspec.dat   3.1.2.14 udp 200  "elements attempting to be liberal may ignore the spaces"
2 baddn.dat      3.1.2.15 udp 400  "should respond with a 400 Bad Request"
2 badvers.dat    3.1.2.16 udp 505  "respond with a 505 Version Not Supported"
2 mismatch01.dat 3.1.2.17 udp 400  "will respond with a 400 Bad Request"
2 mismatch02.dat 3.1.2.18 udp 400  "a 400 Bad Request is also acceptable" (the SIP stack checks CSeq first)
2 bigcode.dat    3.1.2.19 udp drop a response: "simply discard it"
3 badbranch.dat  3.2.1    udp 200  valid OPTIONS: the branch is only the magic cookie
3 insuf.dat      3.3.1    udp 400  "must respond with a 400 Bad Request"
3 unkscm.dat     3.3.2    tcp 416  "respond with a 416 Unsupported URI Scheme"
3 novelsc.dat    3.3.3    tcp 416  "respond with a 416 Unsupported URI Scheme"
3 unksm2.dat     3.3.4    udp 400  "a registrar would reject this request with a 400"
3 bext01.dat     3.3.5    tcp 420  "respond with a 420 (Bad Extension)"; the TLS of its Via is sent as TCP, the transport used
3 invut.dat      3.3.6    udp 415  "an endpoint ... would reject it with a 415"
3 regaut01.dat   3.3.7    tcp 404  the Authorization is ignored; j.user is no agent
3 multi01.dat    3.3.8    udp 400  "must respond with a 400 Bad Request"
3 mcl01.dat      3.3.9    udp 400  "must respond with a 400 Bad Request"
3 bcast.dat      3.3.10   udp drop a response that matches no transaction
3 zeromf.dat     3.3.11   udp 200  "an endpoint should process the request"
3 cparam01.dat   3.3.12   udp 401  "this REGISTER should succeed": it parses, and is challenged
3 cparam02.dat   3.3.13   udp 401  "this REGISTER should succeed": it parses, and is challenged
3 regescrt.dat   3.3.14   udp 400  rgsd refuses a contact with embedded headers (it would send them on)
3 sdp01.dat      3.3.15   udp 406  Accept names no SDP: "could respond with a 406 Not Acceptable"
3 inv2543.dat    3.4.1    udp 400  rgsd needs a Contact to reach the caller (RFC 3261 8.1.1.8); RFC 2543 had none
'

# alive: rgsd still runs and answers an OPTIONS with 200.
alive() {
  kill -0 "$RGSD_PID" 2>/dev/null || { fail "rgsd died"; return; }
  local got
  got=$(printf 'OPTIONS sip:user@example.com SIP/2.0\nVia: SIP/2.0/UDP {local};branch={branch}\nFrom: <sip:x@example.com>;tag=1\nTo: <sip:user@example.com>\nCall-ID: alive-%s@test\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n\n' \
    "$RANDOM$RANDOM" | python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT")
  [ "$got" = 200 ] || fail "after it, an OPTIONS got $got instead of 200"
}

declare -A seen
n=0
while read -r group file section transport expected why; do
  [ -n "$group" ] || continue
  n=$((n + 1))
  seen[$group]=$(( ${seen[$group]:-0} + 1 ))
  tcase "sip-torture-$group.${seen[$group]}" "$file (RFC 4475 $section): $expected, $why"
  opts=(--file "$DIR/$file")
  [ "$transport" = tcp ] && opts+=(--tcp)
  CMD="rawsip.py ${opts[*]}"
  RC=0
  if [ "$expected" = drop ]; then
    OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT" "${opts[@]}" --wait 1)
    [ "$OUT" = none ] || fail "expected no answer, got $OUT"
    alive
  else
    OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT" "${opts[@]}")
    [ "$OUT" = "$expected" ] || fail "expected $expected, got $OUT"
    kill -0 "$RGSD_PID" 2>/dev/null || fail "rgsd died"
  fi
done <<<"$TABLE"

tcase sip-torture-1.90 "intmeth without its escaped NUL: 501 with Allow; a method with + and \` is a token (RFC 3261 25.1)"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"\\\0", b"\\0"))' \
  "$DIR/intmeth.dat" "$TMP/intmeth-nonul.dat"
CMD="rawsip.py --file intmeth-nonul.dat --tcp --header Allow"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT" --file "$TMP/intmeth-nonul.dat" --tcp --header Allow); RC=0
[ "$OUT" = "501 INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PUBLISH, REFER, NOTIFY" ] || fail "got '$OUT'"

tcase sip-torture-3.90 "bext01: the 420 lists both unknown extensions in Unsupported (RFC 3261 8.2.2.3)"
CMD="rawsip.py --file bext01.dat --tcp --header Unsupported"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT" --file "$DIR/bext01.dat" --tcp --header Unsupported); RC=0
[ "$OUT" = "420 nothingSupportsThis, nothingSupportsThisEither" ] || fail "got '$OUT'"

tcase sip-torture-3.99 "all 49 messages were sent, and rgsd still answers"
[ "$n" = 49 ] || fail "the table has $n messages, not 49"
[ "$(ls "$DIR"/*.dat | wc -l)" = 49 ] || fail "tests/sip/rfc4475 has not 49 messages"
alive

finish
