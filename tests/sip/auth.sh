#!/bin/bash
# SIP digest authentication of agents (rgsd(8), AUTHENTICATION): challenges, SHA-256 and MD5
# answers, wrong passwords and agents without a credential refused and logged, credentials
# changed while rgsd runs, INVITEs from agents, and the per-source rate limit (last: it blocks
# 127.0.0.1, where every test runs from).
. "$(dirname "$0")/lib.sh"

plan sip-auth \
  "an unauthenticated REGISTER or PUBLISH for an agent gets 401: a SHA-256 then an MD5 challenge" \
  "the right password registers: SHA-256 (a raw UDP client), MD5 (SIPp and the raw client)" \
  "refused: a wrong password (403, logged with the source), an agent without a credential (403)" \
  "a new password applies without a restart; the old one is refused" \
  "sip.authenticate_invites: an agent's INVITE is challenged, then accepted and routed; trusted_peers: [] trusts no host" \
  "rate limit: after 5 failures in 60 s the source is refused, even with the right password; sip.auth_max_failures, sip.auth_max_tracked (a flood of sources keeps that many, the oldest forgotten)" \
  "configuration: trusted_peers prefixes and digest_algorithms are checked"

setup -q new-agentgroup Desk --agent sip:ann@example.com --agent sip:bea@example.com --agent sip:cid@example.com
setup -q new-queue Desk --agent-group Desk
setup -q new-workflow Desk --primary-uri sip:desk@example.com --default-action queue:Desk --active true
credential ann cid
REALM=$("$RGS" get-agentcredential sip:ann@example.com -o json | sed -n 's/.*"Realm": "\(.*\)".*/\1/p')

tcase sip-auth-7.1 "a bad trusted_peers prefix or digest algorithm is refused with file, line and key"
printf 'store: %s\nsip:\n  trusted_peers: [10.0.0.0/8, 10.1.0.0/33]\n' "$RGS_STORE" >"$TMP/bad.yaml"
CMD="rgsd --check-config (trusted_peers /33)"
ERR=$("$RGSD" --config "$TMP/bad.yaml" --check-config 2>&1); RC=$?
expect_status 2
expect_stderr_contains "bad.yaml:3:" "sip.trusted_peers: '10.1.0.0/33': the prefix length must be 0 to 32"
printf 'store: %s\nsip:\n  digest_algorithms: [MD5, SHA-1]\n' "$RGS_STORE" >"$TMP/bad2.yaml"
CMD="rgsd --check-config (digest_algorithms SHA-1)"
ERR=$("$RGSD" --config "$TMP/bad2.yaml" --check-config 2>&1); RC=$?
expect_status 2
expect_stderr_contains "sip.digest_algorithms: 'SHA-1' is not SHA-256 or MD5"
printf 'store: %s\nsip:\n  trusted_peers: [192.0.2.0/24, "2001:db8::/32"]\n  authenticate_invites: true\n' "$RGS_STORE" >"$TMP/good.yaml"
CMD="rgsd --check-config (prefixes, authenticate_invites)"
OUT=$("$RGSD" --config "$TMP/good.yaml" --check-config 2>&1); RC=$?
expect_status 0

start_rgsd || exit 1

# register USER PASSWORD [ALGORITHM] [ROUNDS]: tests/sip/digest.py; statuses in $STATUSES, the
# challenges in $CHALLENGES.
register() {
  CMD="digest.py REGISTER $1 ${3:-SHA-256}"
  OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/digest.py" "$SIP_PORT" "$@")
  RC=0
  STATUSES=$(printf '%s\n' "$OUT" | head -1)
  CHALLENGES=$(printf '%s\n' "$OUT" | tail -n +2)
}
raw() {   # CASE-NAME REQUEST: the final status rgsd answers with, in $OUT
  CMD="a raw request ($1)"
  OUT=$(printf '%s' "$2" | python3 "$RGS_SOURCE_DIR/tests/sip/rawsip.py" "$SIP_PORT")
  RC=0
}

# expect_challenges FIRST SECOND: the 401 held an FIRST then a SECOND challenge, both qop=auth.
expect_challenges() {
  local first second
  [ "$STATUSES" = "401" ] || fail "expected 401, got '$STATUSES'"
  first=$(printf '%s\n' "$CHALLENGES" | sed -n 1p)
  second=$(printf '%s\n' "$CHALLENGES" | sed -n 2p)
  [[ "$first" == "Digest realm=\"$REALM\", nonce=\""*"algorithm=$1, qop=\"auth\"" ]] || fail "first challenge: '$first'"
  [[ "$second" == *"algorithm=$2, qop=\"auth\"" && "$second" == *"opaque=\""* ]] || fail "second challenge: '$second'"
}

tcase sip-auth-1.1 "an unauthenticated REGISTER gets 401 with a challenge per algorithm (here MD5 first), qop=auth"
register ann wrong-but-unused MD5 0
expect_challenges MD5 SHA-256
run get-agentstate --agent sip:ann@example.com -o json
expect_json "[0].Registered=false"

tcase sip-auth-1.2 "an unauthenticated PUBLISH for an agent gets 401"
raw publish "$(printf 'PUBLISH sip:ann@example.com SIP/2.0\nVia: SIP/2.0/UDP {local};branch={branch}\nFrom: <sip:ann@example.com>;tag=1\nTo: <sip:ann@example.com>\nCall-ID: %s@test\nCSeq: 1 PUBLISH\nEvent: presence\nExpires: 60\nMax-Forwards: 70\nContent-Type: application/pidf+xml\n\n<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:ann@example.com"><tuple id="t"><status><basic>closed</basic></status></tuple></presence>' \
  "$RANDOM$RANDOM")"
[ "$OUT" = 401 ] || fail "expected 401, got $OUT"

tcase sip-auth-2.1 "the right password with SHA-256 registers (200); nonce counts 1 and 2 on one nonce"
register ann "$(password ann)" SHA-256 2
[ "$STATUSES" = "401 200 200" ] || fail "expected '401 200 200', got '$STATUSES'"
run get-agentstate --agent sip:ann@example.com -o json
expect_json "[0].Registered=true"

tcase sip-auth-2.2 "the right password with MD5 registers (200), from the raw client and from SIPp"
register ann "$(password ann)" MD5
[ "$STATUSES" = "401 200" ] || fail "expected '401 200', got '$STATUSES'"
agent cid answer
expect_msg "$TMP/agent-cid.msg" "Authorization: Digest username=\"cid\""
expect_msg "$TMP/agent-cid.msg" "SIP/2.0 200 OK"

tcase sip-auth-3.1 "a wrong password is refused with 403 and logged with the source address"
register ann not-the-password SHA-256
[ "$STATUSES" = "401 403" ] || fail "expected '401 403', got '$STATUSES'"
expect_log "warning REGISTER for sip:ann@example.com from 127.0.0.1: authentication failed: wrong SHA-256 response"

tcase sip-auth-3.2 "an agent without a credential is refused with 403 at once, and the log says why"
register bea anything
[ "$STATUSES" = "403" ] || fail "expected 403, got '$STATUSES'"
expect_log "REGISTER for sip:bea@example.com from 127.0.0.1 refused: the agent has no credential"
run get-agentstate --agent sip:bea@example.com -o json
expect_json "[0].Registered=false"

tcase sip-auth-3.3 "an address that is no agent's is not challenged: 404"
register stranger anything
[ "$STATUSES" = "404" ] || fail "expected 404, got '$STATUSES'"

tcase sip-auth-4.1 "a new password applies while rgsd runs; the old one is then refused"
printf 'a new password\n' >"$TMP/newpw"
setup -q set-agentcredential sip:ann@example.com --password-file "$TMP/newpw"
rev=$("$RGS" get-revision --last 1 -o json | sed -n 's/.*"Revision": \([0-9]*\).*/\1/p')
expect_log "now serving revision $rev of"
register ann "a new password" SHA-256
[ "$STATUSES" = "401 200" ] || fail "new password: expected '401 200', got '$STATUSES'"
register ann "$(password ann)" MD5
[ "$STATUSES" = "401 403" ] || fail "old password: expected '401 403', got '$STATUSES'"

tcase sip-auth-5.1 "rgsd's default order: SHA-256 first (RFC 8760), MD5 second"
stop_rgsd
DIGEST_ALGORITHMS=rgsd SIP_SETTINGS=$'authenticate_invites: true\ntrusted_peers: []' start_rgsd || exit 1
register ann wrong-but-unused SHA-256 0
expect_challenges SHA-256 MD5

tcase sip-auth-5.2 "authenticate_invites: an INVITE from an agent gets 401; trusted_peers: [] refuses other INVITEs (403)"
invite() {   # FROM-USER
  printf 'INVITE sip:desk@example.com SIP/2.0\nVia: SIP/2.0/UDP {local};branch={branch}\nFrom: <sip:%s@example.com>;tag=1\nTo: <sip:desk@example.com>\nCall-ID: %s@test\nCSeq: 1 INVITE\nContact: <sip:%s@{local}>\nMax-Forwards: 70\nContent-Type: application/sdp\n\nv=0\no=x 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n' \
    "$1" "$RANDOM$RANDOM" "$1"
}
raw invite-agent "$(invite ann)"
[ "$OUT" = 401 ] || fail "an agent's INVITE: expected 401, got $OUT"
raw invite-stranger "$(invite stranger)"
[ "$OUT" = 403 ] || fail "an INVITE from an untrusted host: expected 403, got $OUT"

tcase sip-auth-5.3 "authenticate_invites: the agent's INVITE sent again with the right digest is accepted and routed"
CMD="digest.py ann INVITE sip:desk@example.com"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/digest.py" "$SIP_PORT" ann "a new password" MD5 1 INVITE sip:desk@example.com)
RC=0
STATUSES=$(printf '%s\n' "$OUT" | head -1)
[ "$STATUSES" = "401 200 200" ] || fail "expected '401 200 200' (challenge, call answered, BYE), got '$STATUSES'"
records --last 1
expect_json "[0].Workflow=\"Desk\"" "[0].Queues[0].Queue=\"Desk\""

tcase sip-auth-5.4 "a digest whose uri is not the Request-URI is answered 400 (RFC 2617 3.2.2.5), not counted as a failure"
CMD="digest.py ann INVITE sip:desk@example.com, uri sip:other@example.com"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/digest.py" "$SIP_PORT" ann "a new password" MD5 1 INVITE sip:desk@example.com \
  sip:other@example.com)
RC=0
STATUSES=$(printf '%s\n' "$OUT" | head -1)
[ "$STATUSES" = "401 400" ] || fail "expected '401 400', got '$STATUSES'"
expect_log "INVITE for sip:ann@example.com from 127.0.0.1 refused: digest uri 'sip:other@example.com' is not the Request-URI 'sip:desk@example.com'"

tcase sip-auth-6.1 "5 failures within 60 s: the source is refused (403) for a while, even with the right password"
for i in 1 2 3 4 5; do
  register ann "wrong $i" MD5
  [ "$STATUSES" = "401 403" ] || fail "failure $i: expected '401 403', got '$STATUSES'"
done
expect_log "5 failures within 60 s: 127.0.0.1 is refused for 120 s"
register ann "a new password" SHA-256
[ "$STATUSES" = "403" ] || fail "expected 403 while refused, got '$STATUSES'"
expect_log "REGISTER for sip:ann@example.com from 127.0.0.1 refused: too many failed authentications"

# Four sources (loopback addresses) fail twice each against a table of three: each is refused
# after its second failure, the table never holds more than three, and the first source, the
# oldest, is forgotten when the fourth arrives: it is challenged again, not refused.
tcase sip-auth-6.2 "sip.auth_max_tracked: 3 sources kept of 4 failing ones, the oldest forgotten"
stop_rgsd
SIP_SETTINGS=$'auth_max_failures: 2\nauth_max_tracked: 3' start_rgsd || exit 1
auth_sources() { python3 "$RGS_SOURCE_DIR/tests/sip/status.py" "$RGS_CONTROL" AuthSources; }
for n in 2 3 4 5; do
  for i in 1 2; do
    DIGEST_SOURCE=127.0.0.$n register ann "wrong $n.$i" MD5
    [ "$STATUSES" = "401 403" ] || fail "127.0.0.$n, failure $i: expected '401 403', got '$STATUSES'"
  done
  expect_log "2 failures within 60 s: 127.0.0.$n is refused for 120 s"
  [ "$(auth_sources)" = "$((n < 4 ? n - 1 : 3))" ] || fail "after 127.0.0.$n: AuthSources is $(auth_sources)"
done
DIGEST_SOURCE=127.0.0.5 register ann "a new password" MD5
[ "$STATUSES" = "403" ] || fail "127.0.0.5 (kept): expected 403 while refused, got '$STATUSES'"
DIGEST_SOURCE=127.0.0.2 register ann "a new password" MD5
[ "$STATUSES" = "401 200" ] || fail "127.0.0.2 (forgotten): expected '401 200', got '$STATUSES'"

finish
