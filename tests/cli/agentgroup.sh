#!/bin/bash
# Black-box tests of the agent group cmdlets: new-, get-, set-, remove-agentgroup.
. "$(dirname "$0")/lib.sh"

plan agentgroup \
  "new-agentgroup: success, defaults, every property, exact output" \
  "new-agentgroup: usage errors (missing name or value, surplus argument, malformed value, not UTF-8): exit 2" \
  "new-agentgroup: ranges of AgentAlertTime (10-600, exit 5) and the warning above 180" \
  "new-agentgroup: duplicate names, case-insensitive: exit 4" \
  "get-agentgroup: by name, GUID, identity; list; not found; usage; every output format" \
  "set-agentgroup: every property, the agent list options, rename, no-op, errors" \
  "set-agentgroup --instance: YAML, JSON, stdin; edited and refused documents" \
  "remove-agentgroup: success, usage, not found, in use by a queue (--force)" \
  "--whatif on new, set and remove changes nothing" \
  "Lync aliases"

POOL=pool1.example.com
# agline KEY VALUE: one line of get-agentgroup's list output.
agline() { printf '%-24s : %s' "$1" "$2"; }

# --- 1. new-agentgroup: success -------------------------------------------------------------

tcase agentgroup-1.1 "new-agentgroup with defaults prints the new group, nothing on stderr"
run --pool "$POOL" new-agentgroup Sales
expect_ok
first=${OUT%%$'\n'*}
[[ "$first" =~ ^Identity\ +:\ service:ApplicationServer:$POOL/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "expected an Identity line first, got '$first'"
want="$(agline Parent "service:ApplicationServer:$POOL")
$(agline OwnerPool "$POOL")
$(agline Name Sales)
$(agline Description '')
$(agline AgentAlertTime 20)
$(agline ParticipationPolicy Informal)
$(agline RoutingMethod Parallel)
$(agline AgentsByUri '{}')
$(agline DistributionGroupAddress '')
"
[ "${OUT#*$'\n'}" = "$want" ] || fail "expected the default group in list form, got '$OUT'"
expect_revision 1

tcase agentgroup-1.2 "new-agentgroup sets every property (json output)"
run new-agentgroup --name Support --description "Tier 1 support" --agent-alert-time 30 \
  --participation-policy Formal --routing-method LongestIdle \
  --agent sip:c@example.com --agent sip:a@example.com,sip:b@example.com -o json
expect_ok
expect_json 'Name="Support"' 'Description="Tier 1 support"' 'AgentAlertTime=30' \
  'ParticipationPolicy="Formal"' 'RoutingMethod="LongestIdle"' \
  'AgentsByUri=["sip:c@example.com","sip:a@example.com","sip:b@example.com"]' \
  'DistributionGroupAddress=null' "Parent=\"service:ApplicationServer:$POOL\"" \
  "OwnerPool=\"$POOL\""

tcase agentgroup-1.3 "new-agentgroup keeps the agents in the order given"
run new-agentgroup Ordered --agent sip:z@example.com,sip:m@example.com --agent sip:a@example.com
expect_ok
expect_stdout_line "$(agline AgentsByUri '{sip:z@example.com, sip:m@example.com, sip:a@example.com}')"

tcase agentgroup-1.4 "participation policy informal, spelled in lower case"
run new-agentgroup Informal1 --participation-policy informal
expect_ok
expect_stdout_line "$(agline ParticipationPolicy Informal)"

tcase agentgroup-1.5 "participation policy formal, spelled in upper case"
run new-agentgroup Formal1 --participation-policy FORMAL
expect_ok
expect_stdout_line "$(agline ParticipationPolicy Formal)"

# rgs reads no directory: the address is kept, and every save says it is not expanded.
tcase agentgroup-1.6 "a distribution list is stored, with a warning that it is not expanded; with agents too"
run new-agentgroup Dl1 --distribution-group-address support@example.com
expect_warning "agent group 'Dl1': DistributionGroupAddress 'support@example.com' is stored but not expanded" \
  "(rgs reads no directory): its members are not agents of the group, which has none, so calls that reach it are disconnected"
expect_stdout_line "$(agline DistributionGroupAddress support@example.com)"
# Reference 1.2: whether both may be set is (U); rgs allows it.
run new-agentgroup Dl2 --distribution-group-address support@example.com --agent sip:a@example.com
expect_warning "agent group 'Dl2': DistributionGroupAddress 'support@example.com' is stored but not expanded"
expect_stderr_not_contains "which has none"
[ "$(printf '%s' "$ERR" | wc -l)" = 1 ] || fail "expected one warning line"

tcase agentgroup-1.7 "-q prints nothing and still creates the group"
run -q new-agentgroup Quiet1
expect_ok
expect_stdout_empty
run get-agentgroup Quiet1
expect_status 0

# --- 2. new-agentgroup: usage errors ------------------------------------------------------------

tcase agentgroup-2.1 "no name: exit 2"
r0=$(revision)
run new-agentgroup
expect_error 2 "name"
expect_revision "$r0"

tcase agentgroup-2.2 "surplus argument: exit 2, naming it"
run new-agentgroup Extra1 surplus
expect_error 2 "surplus"
run get-agentgroup Extra1
expect_status 3

tcase agentgroup-2.3 "--agent-alert-time with no value: exit 2"
run new-agentgroup NoValue --agent-alert-time
expect_error 2 "--agent-alert-time"

tcase agentgroup-2.4 "--agent-alert-time abc: exit 2, naming option and value"
run new-agentgroup Bad1 --agent-alert-time abc
expect_error 2 "--agent-alert-time" "abc"

tcase agentgroup-2.5 "--agent bob (not a SIP URI): exit 2, naming option and value"
run new-agentgroup Bad2 --agent bob
expect_error 2 "--agent" "bob"

tcase agentgroup-2.6 "--routing-method bogus: exit 2, naming option and value"
run new-agentgroup Bad3 --routing-method bogus
expect_error 2 "--routing-method" "bogus"

tcase agentgroup-2.7 "--participation-policy bogus: exit 2"
run new-agentgroup Bad4 --participation-policy sometimes
expect_error 2 "--participation-policy" "sometimes"

tcase agentgroup-2.8 "--distribution-group-address not an e-mail address: exit 2"
run new-agentgroup Bad5 --distribution-group-address not-an-address
expect_error 2 "--distribution-group-address" "not-an-address"

tcase agentgroup-2.9 "unknown option: exit 2"
run new-agentgroup Bad6 --colour blue
expect_error 2 "--colour"

tcase agentgroup-2.10 "NAME and a different --name: exit 2, not one silently chosen"
run new-agentgroup Twice1 --name Twice2
expect_error 2 "Twice"
run get-agentgroup Twice2
expect_status 3

tcase agentgroup-2.11 "nothing is written by a refused command"
r0=$(revision)
run new-agentgroup Bad7 --agent sip:a@example.com,bob
expect_error 2 "bob"
expect_revision "$r0"

tcase agentgroup-2.12 "an argument that is not UTF-8: exit 2, naming it, nothing written (not a crash)"
r0=$(revision)
run new-agentgroup Latin1 --description $'caf\xe9'
expect_error 2 "argument 4 (after --description) is not UTF-8 text (byte 0xe9 at position 4)"
run new-agentgroup $'Caf\xc3'
expect_error 2 "argument 2 is not UTF-8 text (byte 0xc3 at position 4)"
run new-agentgroup Utf8 --description=$'\xc0\xaf'   # an overlong "/"
expect_error 2 "argument 3 is not UTF-8 text"
expect_revision "$r0"
run new-agentgroup $'Caf\xc3\xa9' --description $'\xe2\x9c\x93 \xf0\x9f\x93\x9e'
expect_ok
run get-agentgroup $'Caf\xc3\xa9' -o json
expect_stdout_contains $'"Description": "\xe2\x9c\x93 \xf0\x9f\x93\x9e"'

# --- 3. new-agentgroup: ranges ------------------------------------------------------------------

tcase agentgroup-3.1 "alert time 9: exit 5, naming option and value"
run new-agentgroup Range9 --agent-alert-time 9
expect_error 5 "--agent-alert-time" "9" "10 to 600"

tcase agentgroup-3.2 "alert time 601: exit 5"
run new-agentgroup Range601 --agent-alert-time 601
expect_error 5 "--agent-alert-time" "601"

tcase agentgroup-3.3 "alert time 10 accepted, no warning"
run new-agentgroup Range10 --agent-alert-time 10
expect_ok
expect_stdout_line "$(agline AgentAlertTime 10)"

tcase agentgroup-3.4 "alert time 600 accepted, with a warning about 180"
run new-agentgroup Range600 --agent-alert-time 600
expect_status 0
expect_stdout_line "$(agline AgentAlertTime 600)"
expect_stderr_contains "rgs: warning: " "180"

tcase agentgroup-3.5 "alert time 180: no warning"
run new-agentgroup Range180 --agent-alert-time 180
expect_ok

tcase agentgroup-3.6 "alert time 181: a warning on stderr, nothing about it on stdout"
run new-agentgroup Range181 --agent-alert-time 181
expect_status 0
expect_stderr_contains "rgs: warning: agent group 'Range181'" "181" "180"
expect_stdout_not_contains "warning"

tcase agentgroup-3.7 "alert time -5: exit 5"
run new-agentgroup RangeNeg --agent-alert-time -5
expect_error 5 "--agent-alert-time" "-5"

tcase agentgroup-3.8 "alert time 99999999999 is out of range (exit 5), not 'not a whole number'"
run new-agentgroup RangeHuge --agent-alert-time 99999999999
expect_error 5 "--agent-alert-time" "99999999999"
expect_stderr_not_contains "not a whole number"

tcase agentgroup-3.9 "the same agent twice (any case): exit 5"
run new-agentgroup DupAgent --agent sip:a@example.com --agent sip:A@example.com
expect_error 5 "listed twice"

# The description had no limit at all.
tcase agentgroup-3.10 "a description of 4096 characters is taken, 4097 is exit 5 naming the option and the limit"
run new-agentgroup Desc4096 --description "$(printf '%*s' 4096 '' | tr ' ' d)"
expect_ok
r0=$(revision)
run new-agentgroup Desc4097 --description "$(printf '%*s' 4097 '' | tr ' ' d)"
expect_error 5 "--description (Description): is 4097 characters: at most 4096 allowed"
run set-agentgroup Desc4096 --description "$(printf '%*s' 4097 '' | tr ' ' d)"
expect_error 5 "is 4097 characters: at most 4096 allowed"
expect_revision "$r0"

# --- 4. duplicates ------------------------------------------------------------------------------

tcase agentgroup-4.1 "the same name again: exit 4, naming the group"
r0=$(revision)
run new-agentgroup Sales
expect_error 4 "agent group 'Sales' already exists"
expect_revision "$r0"

tcase agentgroup-4.2 "SALES after Sales: exit 4 (names are case-insensitive)"
run new-agentgroup SALES
expect_error 4 "already exists" "Sales"
run get-agentgroup -o csv
[ "$(printf '%s' "$OUT" | grep -ic ',sales,')" = 1 ] || fail "expected one group named Sales, got: $OUT"

# --- 5. get-agentgroup --------------------------------------------------------------------------

tcase agentgroup-5.1 "get-agentgroup NAME, in any case"
run get-agentgroup sAlEs
expect_ok
expect_stdout_line "$(agline Name Sales)"

tcase agentgroup-5.2 "get-agentgroup by GUID and by full identity, with and without service:"
run get-agentgroup Sales -o json
expect_status 0
identity=$(printf '%s' "$OUT" | sed -n 's/^  "Identity": "\(.*\)",$/\1/p')
guid=${identity##*/}
run get-agentgroup "$guid"
expect_ok
expect_stdout_line "$(agline Name Sales)"
run get-agentgroup "$identity"
expect_ok
expect_stdout_line "$(agline Name Sales)"
run get-agentgroup --identity "${identity#service:}"
expect_ok
expect_stdout_line "$(agline Name Sales)"

tcase agentgroup-5.3 "get-agentgroup without a name lists every group, 'Name : value' blocks"
run get-agentgroup
expect_ok
expect_stdout_line "$(agline Name Sales)"
expect_stdout_line "$(agline Name Support)"
[ "$(printf '%s' "$OUT" | grep -c '^Identity  *: ')" = "$(printf '%s' "$OUT" | grep -c '^Name  *: ')" ] ||
  fail "every block should have Identity and Name"
printf '%s' "$OUT" | grep -vq '^$\|^[A-Za-z]* *: ' && fail "a line is neither blank nor 'Name : value'"

tcase agentgroup-5.4 "not found: exit 3, naming the group"
run get-agentgroup Nobody
expect_error 3 "agent group 'Nobody' not found"

tcase agentgroup-5.5 "surplus argument: exit 2"
run get-agentgroup Sales Support
expect_error 2 "Support"

tcase agentgroup-5.6 "-o json of one group parses, with the Lync property names"
run get-agentgroup Support -o json
expect_ok
expect_json 'Identity?' 'Parent?' 'Name="Support"' 'AgentAlertTime=30' 'AgentsByUri[0]="sip:c@example.com"' \
  'len(AgentsByUri)=3'
cp "$TMP/.out" "$TMP/support.json"

tcase agentgroup-5.7 "-o json of the list parses as a list"
run get-agentgroup -o json
expect_ok
expect_json '[0].Name?' '[1].Name?'

tcase agentgroup-5.8 "-o yaml prints the Lync names and reads back to the same group"
run get-agentgroup Support -o yaml
expect_ok
expect_stdout_line "Name: Support"
expect_stdout_line "AgentAlertTime: 30"
expect_stdout_line "RoutingMethod: LongestIdle"
expect_stdout_line "  - sip:c@example.com"
cp "$TMP/.out" "$TMP/support.yaml"
r0=$(revision)
run set-agentgroup --instance "$TMP/support.yaml"
expect_ok
expect_revision "$r0"
run get-agentgroup Support -o json
same_json "$TMP/.out" "$TMP/support.json" || fail "the YAML read back differs from the JSON"

tcase agentgroup-5.9 "-o table has a header row and a rule"
run get-agentgroup -o table
expect_ok
hdr=$(printf '%s' "$OUT" | sed -n 1p)
[[ "$hdr" == Identity*Name*AgentAlertTime*RoutingMethod* ]] || fail "table header: '$hdr'"
printf '%s' "$OUT" | sed -n 2p | grep -q '^-[- ]*$' || fail "expected a rule under the header"
printf '%s' "$OUT" | grep -q 'Sales' || fail "expected the Sales row"

tcase agentgroup-5.10 "-o csv has a header row, agents joined with ';'"
run get-agentgroup Ordered -o csv
expect_ok
hdr=$(printf '%s' "$OUT" | sed -n 1p | tr -d '\r')
[ "$hdr" = "Identity,Parent,OwnerPool,Name,Description,AgentAlertTime,ParticipationPolicy,RoutingMethod,AgentsByUri,DistributionGroupAddress" ] ||
  fail "csv header: '$hdr'"
expect_stdout_contains ",Ordered,,20,Informal,Parallel,sip:z@example.com;sip:m@example.com;sip:a@example.com,"

tcase agentgroup-5.11 "-o with a bad format: exit 2"
run get-agentgroup -o xml
expect_error 2 "xml"

# --- 6. set-agentgroup --------------------------------------------------------------------------

tcase agentgroup-6.1 "set --description: no output, one new revision"
r0=$(revision)
run set-agentgroup Sales --description "Inside sales"
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-agentgroup Sales
expect_stdout_line "$(agline Description 'Inside sales')"

tcase agentgroup-6.2 "set --agent-alert-time 45"
run set-agentgroup Sales --agent-alert-time 45
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline AgentAlertTime 45)"

tcase agentgroup-6.3 "set --agent-alert-time 9 / 601: exit 5, unchanged"
r0=$(revision)
run set-agentgroup Sales --agent-alert-time 9
expect_error 5 "--agent-alert-time" "9"
run set-agentgroup Sales --agent-alert-time 601
expect_error 5 "--agent-alert-time" "601"
run set-agentgroup Sales --agent-alert-time abc
expect_error 2 "--agent-alert-time" "abc"
expect_revision "$r0"
run get-agentgroup Sales
expect_stdout_line "$(agline AgentAlertTime 45)"

tcase agentgroup-6.4 "set --agent-alert-time 200: a warning"
run set-agentgroup Range10 --agent-alert-time 200
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning: " "200"

tcase agentgroup-6.5 "set --participation-policy, both values"
run set-agentgroup Sales --participation-policy formal
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline ParticipationPolicy Formal)"
run set-agentgroup Sales --participation-policy Informal
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline ParticipationPolicy Informal)"

n=0
for pair in LongestIdle:LongestIdle longest-idle:LongestIdle Serial:Serial serial:Serial \
  Parallel:Parallel parallel:Parallel RoundRobin:RoundRobin round-robin:RoundRobin \
  Attendant:Attendant ATTENDANT:Attendant; do
  n=$((n + 1))
  tcase "agentgroup-6.6.$n" "set --routing-method ${pair%%:*}"
  run set-agentgroup Sales --routing-method "${pair%%:*}"
  expect_ok
  run get-agentgroup Sales
  expect_stdout_line "$(agline RoutingMethod "${pair##*:}")"
done

tcase agentgroup-6.7 "set --routing-method bogus: exit 2"
run set-agentgroup Sales --routing-method bogus
expect_error 2 "--routing-method" "bogus"

tcase agentgroup-6.8 "--add-agent appends, in order"
run set-agentgroup Sales --add-agent sip:b@example.com --add-agent sip:a@example.com
expect_ok
run set-agentgroup Sales --add-agent sip:c@example.com
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline AgentsByUri '{sip:b@example.com, sip:a@example.com, sip:c@example.com}')"

tcase agentgroup-6.9 "--add-agent of an agent already there (any case): exit 4"
r0=$(revision)
run set-agentgroup Sales --add-agent sip:A@example.com
expect_error 4 "sip:A@example.com"
expect_revision "$r0"

tcase agentgroup-6.10 "--add-agent bob: exit 2"
run set-agentgroup Sales --add-agent bob
expect_error 2 "--add-agent" "bob"

tcase agentgroup-6.11 "--remove-agent removes one and keeps the order"
run set-agentgroup Sales --remove-agent sip:a@example.com
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline AgentsByUri '{sip:b@example.com, sip:c@example.com}')"

tcase agentgroup-6.12 "--remove-agent of a non-agent: exit 3, naming it"
run set-agentgroup Sales --remove-agent sip:nobody@example.com
expect_error 3 "sip:nobody@example.com"

tcase agentgroup-6.13 "--agents replaces the whole ordered list"
run set-agentgroup Sales --agents sip:y@example.com,sip:x@example.com
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline AgentsByUri '{sip:y@example.com, sip:x@example.com}')"

tcase agentgroup-6.14 "--agents '' empties the list"
run set-agentgroup Sales --agents ''
expect_ok
run get-agentgroup Sales
expect_stdout_line "$(agline AgentsByUri '{}')"

tcase agentgroup-6.15 "--agents with a malformed URI: exit 2"
run set-agentgroup Sales --agents sip:ok@example.com,bob
expect_error 2 "--agents" "bob"

tcase agentgroup-6.16 "--distribution-group-address set and cleared"
run set-agentgroup Informal1 --distribution-group-address sales@example.com
expect_warning "agent group 'Informal1': DistributionGroupAddress 'sales@example.com' is stored but not expanded"
run get-agentgroup Informal1
expect_stdout_line "$(agline DistributionGroupAddress sales@example.com)"
run set-agentgroup Informal1 --distribution-group-address ''
expect_ok
run get-agentgroup Informal1
expect_stdout_line "$(agline DistributionGroupAddress '')"

tcase agentgroup-6.17 "--name renames; the old name is then not found"
run set-agentgroup Formal1 --name Formal2
expect_ok
run get-agentgroup Formal2
expect_status 0
run get-agentgroup Formal1
expect_status 3

tcase agentgroup-6.18 "--name to another group's name (other case): exit 4"
run set-agentgroup Formal2 --name SUPPORT
expect_error 4 "already exists"

tcase agentgroup-6.19 "a change of case of its own name is allowed"
run set-agentgroup Formal2 --name FORMAL2
expect_ok
run get-agentgroup formal2
expect_stdout_line "$(agline Name FORMAL2)"

tcase agentgroup-6.20 "a set that changes nothing writes no revision"
r0=$(revision)
run set-agentgroup Support --agent-alert-time 30
expect_ok
expect_revision "$r0"

tcase agentgroup-6.21 "no IDENTITY: exit 2"
run set-agentgroup --description x
expect_error 2

tcase agentgroup-6.22 "surplus argument: exit 2"
run set-agentgroup Sales Support --description x
expect_error 2 "Support"

tcase agentgroup-6.23 "not found: exit 3"
run set-agentgroup Nobody --description x
expect_error 3 "agent group 'Nobody' not found"

tcase agentgroup-6.24 "--description with no value: exit 2"
run set-agentgroup Sales --description
expect_error 2 "--description"

# --- 7. set-agentgroup --instance ----------------------------------------------------------------

tcase agentgroup-7.1 "the printed JSON fed back from a file changes nothing"
run get-agentgroup Support -o json
cp "$TMP/.out" "$TMP/s.json"
r0=$(revision)
run set-agentgroup --instance "$TMP/s.json"
expect_ok
expect_stdout_empty
expect_revision "$r0"

tcase agentgroup-7.2 "the printed YAML fed back on stdin changes nothing"
run get-agentgroup Support -o yaml
cp "$TMP/.out" "$TMP/s.yaml"
run_stdin "$TMP/s.yaml" set-agentgroup --instance -
expect_ok
expect_revision "$r0"
run get-agentgroup Support -o json
same_json "$TMP/.out" "$TMP/s.json" || fail "the group changed"

tcase agentgroup-7.3 "the printed list (-o json of all groups, one group) is accepted too"
run get-agentgroup Support -o json
run_stdin "$TMP/s.json" set-agentgroup Support --instance -
expect_ok
expect_revision "$r0"

tcase agentgroup-7.4 "an edited YAML document (AgentAlertTime changed) is applied"
sed 's/^AgentAlertTime: 30$/AgentAlertTime: 55/' "$TMP/s.yaml" >"$TMP/s2.yaml"
run set-agentgroup --instance "$TMP/s2.yaml"
expect_ok
expect_revision $((r0 + 1))
run get-agentgroup Support
expect_stdout_line "$(agline AgentAlertTime 55)"

tcase agentgroup-7.5 "an edited JSON document on stdin (agents reversed, policy changed) is applied"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["AgentsByUri"].reverse(); d["ParticipationPolicy"] = "Informal"; d["AgentAlertTime"] = 60
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$TMP/s.json" "$TMP/s3.json"
run_stdin "$TMP/s3.json" set-agentgroup --instance -
expect_ok
run get-agentgroup Support
expect_stdout_line "$(agline AgentsByUri '{sip:b@example.com, sip:a@example.com, sip:c@example.com}')"
expect_stdout_line "$(agline ParticipationPolicy Informal)"
expect_stdout_line "$(agline AgentAlertTime 60)"

tcase agentgroup-7.6 "an unknown property: exit 5, file:line:column, nothing written"
cp "$TMP/s.yaml" "$TMP/bad1.yaml"
echo "Colour: blue" >>"$TMP/bad1.yaml"
line=$(wc -l <"$TMP/bad1.yaml")
r0=$(revision)
run set-agentgroup --instance "$TMP/bad1.yaml"
expect_error 5 "$TMP/bad1.yaml:$line:1:" "Colour"
expect_revision "$r0"

tcase agentgroup-7.7 "a wrong type (a list for AgentAlertTime): exit 5, file:line:column"
sed 's/"AgentAlertTime": 30/"AgentAlertTime": [30]/' "$TMP/s.json" >"$TMP/bad2.json"
line=$(grep -n '"AgentAlertTime"' "$TMP/bad2.json" | cut -d: -f1)
run set-agentgroup --instance "$TMP/bad2.json"
expect_error 5 "$TMP/bad2.json:$line:3:" "AgentAlertTime"
expect_revision "$r0"

tcase agentgroup-7.8 "a wrong type on stdin (text for AgentAlertTime): exit 5, <stdin>:line:column"
sed 's/^AgentAlertTime: 30$/AgentAlertTime: soon/' "$TMP/s.yaml" >"$TMP/bad3.yaml"
line=$(grep -n '^AgentAlertTime' "$TMP/bad3.yaml" | cut -d: -f1)
run_stdin "$TMP/bad3.yaml" set-agentgroup --instance -
expect_error 5 "<stdin>:$line:1:" "AgentAlertTime"
expect_revision "$r0"

tcase agentgroup-7.9 "an out-of-range value in a document: exit 5, nothing written"
sed 's/^AgentAlertTime: 30$/AgentAlertTime: 601/' "$TMP/s.yaml" >"$TMP/bad4.yaml"
run set-agentgroup --instance "$TMP/bad4.yaml"
expect_error 5 "AgentAlertTime" "601"
expect_revision "$r0"

tcase agentgroup-7.10 "a document that is not YAML: exit 5 with file:line:column"
printf 'Name: [unclosed\n' >"$TMP/bad5.yaml"
run set-agentgroup --instance "$TMP/bad5.yaml"
expect_error 5 "$TMP/bad5.yaml:"

tcase agentgroup-7.11 "--instance together with a property option: exit 2"
run set-agentgroup --instance "$TMP/s.yaml" --description x
expect_error 2 "--instance"

tcase agentgroup-7.12 "--instance naming a group that does not exist: exit 3"
sed 's/^Name: Support$/Name: Ghost/; /^Identity:/d' "$TMP/s.yaml" >"$TMP/ghost.yaml"
run set-agentgroup --instance "$TMP/ghost.yaml"
expect_error 3 "Ghost"

tcase agentgroup-7.13 "a document of one group applied to another: exit 5"
run set-agentgroup Sales --instance "$TMP/s.yaml"
expect_error 5 "Identity"
expect_revision "$r0"

# The second document was silently dropped: its change was lost without a word.
tcase agentgroup-7.14 "a file with a second YAML document: exit 5 naming the file and the line, nothing written"
{ cat "$TMP/s.yaml"; echo "---"; sed 's/^AgentAlertTime: 30$/AgentAlertTime: 40/' "$TMP/s.yaml"; } >"$TMP/two.yaml"
line=$(($(wc -l <"$TMP/s.yaml") + 1))
run set-agentgroup --instance "$TMP/two.yaml"
expect_error 5 "$TMP/two.yaml: line $line: a second YAML document begins here"
run_stdin "$TMP/two.yaml" set-agentgroup --instance -
expect_error 5 "<stdin>: line $line: a second YAML document"
expect_revision "$r0"

tcase agentgroup-7.15 "a description of more than 4096 characters in a document: exit 5, file:line:column"
sed "s/^Description: .*\$/Description: $(printf '%*s' 5000 '' | tr ' ' d)/" "$TMP/s.yaml" >"$TMP/long.yaml"
line=$(grep -n '^Description' "$TMP/long.yaml" | cut -d: -f1)
run set-agentgroup --instance "$TMP/long.yaml"
expect_error 5 "$TMP/long.yaml:$line:1: Description: is 5000 characters: at most 4096 allowed"
expect_revision "$r0"

tcase agentgroup-7.16 "a document cannot change OwnerPool: exit 5, only import-configuration --overwrite-owner does"
sed "s/^OwnerPool: .*\$/OwnerPool: other.example.com/" "$TMP/s.yaml" >"$TMP/owner.yaml"
grep -qx "OwnerPool: other.example.com" "$TMP/owner.yaml" || fail "the test document has no OwnerPool line"
run set-agentgroup --instance "$TMP/owner.yaml"
expect_error 5 "OwnerPool: is '$POOL'; only import-configuration --overwrite-owner changes it"
expect_revision "$r0"

# --- 8. remove-agentgroup -----------------------------------------------------------------------

tcase agentgroup-8.1 "remove-agentgroup: no output, one revision, then not found"
r0=$(revision)
run remove-agentgroup Quiet1
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-agentgroup Quiet1
expect_status 3

tcase agentgroup-8.2 "no IDENTITY: exit 2"
run remove-agentgroup
expect_error 2

tcase agentgroup-8.3 "surplus argument: exit 2, nothing removed"
run remove-agentgroup Range10 Range180
expect_error 2 "Range180"
run get-agentgroup Range10
expect_status 0

tcase agentgroup-8.4 "not found: exit 3"
run remove-agentgroup Nobody
expect_error 3 "agent group 'Nobody' not found"

tcase agentgroup-8.5 "in use by a queue, without --force: exit 5 naming the queue, nothing removed"
setup new-agentgroup InUse
setup new-queue UsesIt --agent-group InUse
r0=$(revision)
run remove-agentgroup InUse
expect_error 5 "queue 'UsesIt'" "--force"
expect_revision "$r0"
run get-agentgroup InUse
expect_status 0

tcase agentgroup-8.6 "in use by a queue, with --force: removed, with a warning naming the queue"
run remove-agentgroup InUse --force
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning: " "queue 'UsesIt'"
expect_revision $((r0 + 1))
run get-agentgroup InUse
expect_status 3

tcase agentgroup-8.7 "remove by identity"
run get-agentgroup Range180 -o json
identity=$(printf '%s' "$OUT" | sed -n 's/^  "Identity": "\(.*\)",$/\1/p')
run remove-agentgroup "$identity"
expect_ok
run get-agentgroup Range180
expect_status 3

# --- 9. --whatif --------------------------------------------------------------------------------

tcase agentgroup-9.1 "new-agentgroup --whatif: exit 0, prints the addition, writes nothing"
r0=$(revision)
run new-agentgroup WhatIf1 --agent sip:w@example.com --whatif
expect_ok
expect_stdout_contains "What if" "agent group 'WhatIf1'"
expect_revision "$r0"
run get-agentgroup WhatIf1
expect_status 3

tcase agentgroup-9.2 "set-agentgroup --whatif: prints the property change, writes nothing"
run set-agentgroup Range10 --agent-alert-time 90 --whatif
expect_ok
expect_stdout_contains "What if" "Range10" "AgentAlertTime" "90"
expect_revision "$r0"
run get-agentgroup Range10
expect_stdout_line "$(agline AgentAlertTime 200)"

tcase agentgroup-9.3 "set-agentgroup --whatif -o json: the change as JSON"
run set-agentgroup Range10 --agent-alert-time 90 --whatif -o json
expect_ok
expect_json '[0].Change="Changed"' '[0].Name="Range10"' '[0].Properties[0].Property="AgentAlertTime"' \
  '[0].Properties[0].Before=200' '[0].Properties[0].After=90'
expect_revision "$r0"

tcase agentgroup-9.4 "remove-agentgroup --whatif: prints the removal, removes nothing"
run remove-agentgroup Range10 --whatif
expect_ok
expect_stdout_contains "What if" "Range10"
expect_revision "$r0"
run get-agentgroup Range10
expect_status 0

tcase agentgroup-9.5 "--whatif of a refused command still fails"
run new-agentgroup Sales --whatif
expect_error 4 "already exists"

# --- 10. Lync aliases ---------------------------------------------------------------------------

tcase agentgroup-10.1 "New-CsRgsAgentGroup creates a group"
run New-CsRgsAgentGroup Alias1 --agent-alert-time 25
expect_ok
expect_stdout_line "$(agline AgentAlertTime 25)"

tcase agentgroup-10.2 "get-csrgsagentgroup, Set-CsRgsAgentGroup, REMOVE-CSRGSAGENTGROUP"
run get-csrgsagentgroup Alias1
expect_ok
expect_stdout_line "$(agline Name Alias1)"
run Set-CsRgsAgentGroup Alias1 --routing-method serial
expect_ok
run get-agentgroup Alias1
expect_stdout_line "$(agline RoutingMethod Serial)"
run REMOVE-CSRGSAGENTGROUP Alias1
expect_ok
run get-agentgroup Alias1
expect_status 3

finish
