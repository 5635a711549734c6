#!/bin/bash
# Requests a hostile or careless peer sends, each with the answer RFC 3261 (and RFC 4475's
# torture cases) gives, and rgsd still serving afterwards: contacts rgsd could not reach, URI
# schemes it does not serve, registrations of addresses that are not its agents' (a workflow's
# own among them), methods it does not serve.
. "$(dirname "$0")/lib.sh"

plan sip-hostile \
  "INVITE: an unknown Contact scheme, embedded headers, a Request-URI scheme rgsd does not serve" \
  "REGISTER: only agents' addresses, never a workflow's; sip or sips contacts only; an agent's only with its password" \
  "methods rgsd does not serve: 405 with Allow; a message too large: 413"

setup -q new-agentgroup Desk --agent sip:ann@example.com
setup -q new-queue Desk --agent-group Desk
setup -q new-workflow Desk --primary-uri sip:desk@example.com --default-action queue:Desk --active true
start_rgsd || exit 1

# send CASE-NAME EXPECTED-STATUS < request: the final status rgsd answers with.
send() {
  CMD="a crafted request ($1)"
  OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT")
  RC=0
  [ "$OUT" = "$2" ] || fail "expected $2, got $OUT"
}
request() {   # METHOD REQUEST-URI TO CONTACT [EXTRA HEADER LINES]
  printf '%s %s SIP/2.0\nVia: SIP/2.0/UDP {local};branch={branch}\nFrom: <sip:x@example.com>;tag=1\nTo: <%s>\nCall-ID: %s@test\nCSeq: 1 %s\nContact: <%s>\nMax-Forwards: 70\n%s\n' \
    "$1" "$2" "$3" "$RANDOM$RANDOM" "$1" "$4" "${5:-}"
}
sdp='Content-Type: application/sdp

v=0
o=x 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 4000 RTP/AVP 0
'

tcase sip-hostile-1.1 "an INVITE whose Contact has an unknown scheme is refused (400), and rgsd goes on"
request INVITE sip:desk@example.com sip:desk@example.com "xyz:a@127.0.0.1:35131" "$sdp" | send xyz-contact 400
kill -0 "$RGSD_PID" 2>/dev/null || fail "rgsd died"
tcase sip-hostile-1.2 "an INVITE whose Contact embeds a header (RFC 4475 ?Route=) is refused (400)"
request INVITE sip:desk@example.com sip:desk@example.com "sip:a@127.0.0.1?Route=%3Csip:example.com%3E" "$sdp" | send route-contact 400
tcase sip-hostile-1.3 "an INVITE to a scheme rgsd does not serve is refused (416)"
request INVITE "im:desk@example.com" sip:desk@example.com "sip:a@127.0.0.1" "$sdp" | send im-ruri 416
tcase sip-hostile-1.4 "after all that, a normal call still reaches the queue"
agent ann answer
call desk caller 300
expect_status 0

tcase sip-hostile-2.1 "REGISTER of an address that is not an agent's: 404"
request REGISTER sip:example.com sip:stranger@example.com "sip:stranger@127.0.0.1:5999" | send stranger 404
tcase sip-hostile-2.2 "REGISTER of a workflow's own address: 403"
request REGISTER sip:example.com sip:desk@example.com "sip:desk@127.0.0.1:5999" | send workflow 403
tcase sip-hostile-2.3 "REGISTER with an isbn: To (RFC 4475 3.3.4): 400; with a name: Contact: 400"
request REGISTER sip:example.com "isbn:2983792873" "sip:a@127.0.0.1:5999" | send isbn-to 400
request REGISTER sip:example.com sip:ann@example.com "name:John_Smith" | send name-contact 400
tcase sip-hostile-2.4 "REGISTER with an escaped NUL in the Contact's user (RFC 4475): 400"
request REGISTER sip:example.com sip:ann@example.com "sip:%00@127.0.0.1:5999" | send nul-contact 400
tcase sip-hostile-2.5 "an impostor's REGISTER for an agent without credentials: 401, the agent's contact kept"
request REGISTER sip:example.com sip:ann@example.com "sip:ann@127.0.0.1:5999" | send impostor 401
run get-agentstate --agent sip:ann@example.com -o json
expect_json "[0].Registered=true"
expect_stdout_contains "127.0.0.1:${AGENT_PORT[ann]}"

tcase sip-hostile-2.6 "PUBLISH of presence for an address that is not an agent's: 404"
request PUBLISH sip:stranger@example.com sip:stranger@example.com "sip:stranger@127.0.0.1:5999" 'Event: presence
Expires: 60
Content-Type: application/pidf+xml

<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:stranger@example.com"><tuple id="t"><status><basic>open</basic></status></tuple></presence>' | send publish-stranger 404

tcase sip-hostile-3.1 "a MESSAGE gets 405 with Allow, not 200"
request MESSAGE sip:desk@example.com sip:desk@example.com "sip:x@127.0.0.1:5999" 'Content-Type: text/plain

hello' | send message 405

tcase sip-hostile-3.2 "a request larger than sip.max_message_size (16384 bytes) gets 413 Request Entity Too Large"
request OPTIONS sip:desk@example.com sip:desk@example.com "sip:x@127.0.0.1:5999" "X-Padding: $(head -c 20000 /dev/zero | tr '\0' a)
" | send too-large 413

tcase sip-hostile-3.3 "an INFO outside any dialog gets 405: keys are read from INFO in a caller's dialog only"
request INFO sip:desk@example.com sip:desk@example.com "sip:x@127.0.0.1:5999" 'Content-Type: application/dtmf-relay

Signal=5' | send info 405
kill -0 "$RGSD_PID" 2>/dev/null || fail "rgsd died"

finish
