#!/bin/bash
# Black-box tests of the versioned store: get-, compare-, restore-revision, --revision,
# --expect-revision, and stores that are missing or not SQLite.
. "$(dirname "$0")/lib.sh"

plan revision \
  "get-revision: newest first, --last N, one revision, JSON fields, errors" \
  "reading as of a revision (get-* --revision N)" \
  "compare-revision A B: added, removed, changed, property by property; JSON" \
  "restore-revision N: a new revision equal to N; --whatif; errors" \
  "--expect-revision N on writing cmdlets: exit 6 and nothing written, or success" \
  "no-op writes add no revision" \
  "stores that are missing or not SQLite: exit 1"

ME=$(id -un)

# --- 1. get-revision ----------------------------------------------------------------------------

tcase revision-1.1 "a store with no revisions yet: get-revision on a missing store fails with exit 1"
run get-revision
expect_error 1 "$RGS_STORE"
[ -e "$RGS_STORE" ] && fail "a reading cmdlet created the store"

tcase revision-1.2 "five writes make revisions 1-5"
setup --pool pool3.example.com new-agentgroup Alpha --agent-alert-time 20
setup new-agentgroup Beta
setup set-agentgroup Alpha --agent-alert-time 40 --description "changed once"
setup new-queue Q --agent-group Alpha
setup remove-agentgroup Beta
expect_revision 5

tcase revision-1.3 "get-revision lists newest first, 'Name : value' blocks"
run get-revision
expect_ok
got=$(printf '%s' "$OUT" | sed -n 's/^Revision *: //p' | tr '\n' ' ')
[ "$got" = "5 4 3 2 1 " ] || fail "expected revisions 5 4 3 2 1, got '$got'"
expect_stdout_line "Summary  : created agent group 'Alpha'"
expect_stdout_line "Command  : rgs new-agentgroup Beta"

tcase revision-1.4 "--last 2 shows the newest two"
run get-revision --last 2
expect_ok
got=$(printf '%s' "$OUT" | sed -n 's/^Revision *: //p' | tr '\n' ' ')
[ "$got" = "5 4 " ] || fail "expected revisions 5 4, got '$got'"

tcase revision-1.5 "-o json: Revision, Time (UTC ISO-8601, Z), Actor (id -un), Role, Command, Summary"
run get-revision -o json
expect_ok
printf '%s' "$OUT" | python3 -S -c '
import json, re, sys
revs = json.load(sys.stdin)
me = sys.argv[1]
assert [r["Revision"] for r in revs] == [5, 4, 3, 2, 1], "order %r" % [r["Revision"] for r in revs]
for r in revs:
    assert sorted(r) == sorted(["Revision", "Time", "Actor", "Role", "Command", "Summary"]), "fields %r" % sorted(r)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", r["Time"]), "Time %r" % r["Time"]
    assert r["Actor"] == me, "Actor %r" % r["Actor"]
    assert r["Role"] == "administrator", "Role %r" % r["Role"]
assert revs[4]["Command"].startswith("rgs ") and "new-agentgroup Alpha" in revs[4]["Command"], revs[4]["Command"]
assert revs[0]["Command"] == "rgs remove-agentgroup Beta", revs[0]["Command"]
assert "Beta" in revs[0]["Summary"], revs[0]["Summary"]
' "$ME" 2>"$TMP/py.err" || fail "json fields: $(tail -1 "$TMP/py.err")"

tcase revision-1.6 "the Time is now, in UTC"
run get-revision 5 -o json
expect_ok
t=$(printf '%s' "$OUT" | sed -n 's/^  "Time": "\(.*\)",$/\1/p')
now=$(date -u +%s)
then=$(date -u -d "$t" +%s 2>/dev/null || echo 0)
[ $((now - then)) -ge 0 ] && [ $((now - then)) -lt 600 ] || fail "Time '$t' is not within 10 minutes of now (UTC)"

tcase revision-1.7 "get-revision N shows that revision only"
run get-revision 3
expect_ok
[ "$(printf '%s' "$OUT" | grep -c '^Revision')" = 1 ] || fail "expected one revision"
expect_stdout_line "Revision : 3"

tcase revision-1.8 "get-revision 99: exit 3; --last x: exit 2; surplus argument: exit 2"
run get-revision 99
expect_error 3 "99"
run get-revision --last x
expect_error 2 "--last" "x"
run get-revision 1 2
expect_error 2 "2"

# --- 2. read as of a revision --------------------------------------------------------------------

tcase revision-2.1 "get-agentgroup NAME --revision 1 shows the old value"
run get-agentgroup Alpha --revision 1 -o json
expect_ok
expect_json 'AgentAlertTime=20' 'Description=""'
run get-agentgroup Alpha --revision 3 -o json
expect_json 'AgentAlertTime=40' 'Description="changed once"'

tcase revision-2.2 "a group removed later is visible as of an earlier revision"
run get-agentgroup Beta --revision 4
expect_ok
expect_stdout_contains "Beta"
run get-agentgroup Beta
expect_error 3 "Beta"

tcase revision-2.3 "before it existed: exit 3; list as of revision 1 has only Alpha"
run get-queue Q --revision 3
expect_error 3 "Q"
run get-agentgroup --revision 1
expect_ok
[ "$(printf '%s' "$OUT" | grep -c '^Name')" = 1 ] || fail "expected one group as of revision 1"

tcase revision-2.4 "--revision 99: exit 3; --revision x: exit 2"
run get-agentgroup Alpha --revision 99
expect_error 3 "99"
run get-agentgroup Alpha --revision x
expect_error 2 "--revision" "x"

# --- 3. compare-revision -------------------------------------------------------------------------

tcase revision-3.1 "compare-revision 1 5: added, removed and changed objects"
run compare-revision 1 5
expect_ok
expect_stdout_line "~ agent group 'Alpha'"
expect_stdout_line "+ queue 'Q'"
expect_stdout_not_contains "Beta"
printf '%s' "$OUT" | grep -q '^ *AgentAlertTime: 20 -> 40$' || fail "expected 'AgentAlertTime: 20 -> 40'"

tcase revision-3.2 "compare-revision 2 5: Beta removed"
run compare-revision 2 5
expect_ok
expect_stdout_line "- agent group 'Beta'"

tcase revision-3.3 "compare-revision 1 3 -o json: property by property"
run compare-revision 1 3 -o json
expect_ok
expect_json 'len()=2' '[0].Change="Changed"' '[0].Kind="agentgroup"' '[0].Name="Alpha"' '[0].Identity?' \
  'len([0].Properties)=2' '[0].Properties[0].Property="Description"' '[0].Properties[0].Before=""' \
  '[0].Properties[0].After="changed once"' '[0].Properties[1].Property="AgentAlertTime"' \
  '[0].Properties[1].Before=20' '[0].Properties[1].After=40' '[1].Change="Added"' '[1].Name="Beta"'

tcase revision-3.4 "compare-revision of a revision with itself: nothing"
run compare-revision 3 3
expect_ok
expect_stdout_empty

tcase revision-3.5 "no revision: exit 2; unknown: exit 3; malformed: exit 2; surplus: exit 2"
run compare-revision
expect_error 2
run compare-revision 1 99
expect_error 3 "99"
run compare-revision one 2
expect_error 2 "one"
run compare-revision 1 2 3
expect_error 2 "3"

# --- 4. restore-revision -------------------------------------------------------------------------

tcase revision-4.1 "restore-revision 2 --whatif shows the difference and writes nothing"
r0=$(revision)
run restore-revision 2 --whatif
expect_ok
expect_stdout_contains "What if" "agent group 'Alpha'" "AgentAlertTime" "agent group 'Beta'" "queue 'Q'"
expect_revision "$r0"
run get-queue Q
expect_status 0

tcase revision-4.2 "restore-revision 2 writes one revision whose configuration equals revision 2"
run restore-revision 2
expect_ok
expect_revision $((r0 + 1))
"$RGS" get-agentgroup -o json --revision 2 >"$TMP/then.json" 2>/dev/null
"$RGS" get-agentgroup -o json >"$TMP/now.json" 2>/dev/null
same_json "$TMP/then.json" "$TMP/now.json" || fail "agent groups differ from revision 2"
"$RGS" get-queue -o json --revision 2 >"$TMP/then.json" 2>/dev/null
"$RGS" get-queue -o json >"$TMP/now.json" 2>/dev/null
same_json "$TMP/then.json" "$TMP/now.json" || fail "queues differ from revision 2"
run get-revision --last 1 -o json
expect_json '[0].Command="rgs restore-revision 2"'

tcase revision-4.3 "compare-revision 2 and the new revision: nothing"
run compare-revision 2 "$(revision)"
expect_ok
expect_stdout_empty

tcase revision-4.4 "restore to the newest again (5): the queue comes back, nothing lost"
run restore-revision 5
expect_ok
run get-queue Q -o json
expect_status 0
expect_json "len(AgentGroupIDList)=1"
run compare-revision 5 "$(revision)"
expect_stdout_empty

tcase revision-4.5 "restore across a rename and a re-used name"
setup new-agentgroup Gamma --description original
rg=$(revision)
setup set-agentgroup Gamma --name Delta
setup new-agentgroup Gamma --description newcomer
run restore-revision "$rg"
expect_ok
run get-agentgroup Gamma -o json
expect_json 'Description="original"'
run get-agentgroup Delta
expect_status 3

tcase revision-4.6 "restore-revision to the current revision writes nothing"
r0=$(revision)
run restore-revision "$r0"
expect_ok
expect_revision "$r0"

tcase revision-4.7 "no revision: exit 2; unknown: exit 3; surplus: exit 2"
run restore-revision
expect_error 2
run restore-revision 99
expect_error 3 "99"
run restore-revision 1 2
expect_error 2 "2"
expect_revision "$r0"

# --- 5. --expect-revision ------------------------------------------------------------------------

tcase revision-5.1 "--expect-revision of an older revision: exit 6, nothing written"
r0=$(revision)
run --expect-revision $((r0 - 1)) new-agentgroup Late
expect_error 6 "$r0"
expect_revision "$r0"
run get-agentgroup Late
expect_status 3

tcase revision-5.2 "--expect-revision after the cmdlet, on set- and remove-: exit 6"
run set-agentgroup Alpha --description x --expect-revision 1
expect_error 6
run remove-agentgroup Alpha --expect-revision 1
expect_error 6
run restore-revision 1 --expect-revision 1
expect_error 6
expect_revision "$r0"

tcase revision-5.3 "--expect-revision equal to the store's: success"
run --expect-revision "$r0" new-agentgroup OnTime
expect_ok
expect_revision $((r0 + 1))

tcase revision-5.4 "--expect-revision abc: exit 2"
run --expect-revision abc new-agentgroup Never
expect_error 2 "--expect-revision"

# --- 6. no-op writes -----------------------------------------------------------------------------

tcase revision-6.1 "a set that changes nothing writes no revision"
r0=$(revision)
run set-agentgroup OnTime --agent-alert-time 20
expect_ok
run set-agentgroup OnTime --description ""
expect_ok
expect_revision "$r0"

tcase revision-6.2 "a set that changes and changes back in one command writes no revision"
run set-agentgroup OnTime --add-agent sip:a@example.com --remove-agent sip:a@example.com
[ "$RC" = 0 ] || [ "$RC" = 3 ] || fail "unexpected exit"
expect_revision "$r0"

tcase revision-6.3 "a refused command writes no revision"
run set-agentgroup OnTime --agent-alert-time 5
expect_error 5
expect_revision "$r0"

# --- 7. missing and foreign stores ---------------------------------------------------------------

tcase revision-7.1 "a reading cmdlet on a missing store: exit 1, clear message, no file made"
run get-agentgroup --store "$TMP/missing.db"
expect_error 1 "$TMP/missing.db" "does not exist"
[ -e "$TMP/missing.db" ] && fail "the store was created"

tcase revision-7.2 "a store that is not SQLite: exit 1 with a clear message, for reading and writing"
printf 'this is not a database, just some text\n%.0s' $(seq 1 100) >"$TMP/text.db"
cp "$TMP/text.db" "$TMP/text.orig"
run get-revision --store "$TMP/text.db"
expect_error 1 "$TMP/text.db" "not"
run new-agentgroup X --store "$TMP/text.db"
expect_error 1 "$TMP/text.db" "not"
cmp -s "$TMP/text.db" "$TMP/text.orig" || fail "the file was changed"

tcase revision-7.3 "a store that is a directory: exit 1"
mkdir "$TMP/dir.db"
run get-revision --store "$TMP/dir.db"
expect_error 1 "$TMP/dir.db"

tcase revision-7.4 "an empty file as the store: a write makes it a store"
: >"$TMP/empty.db"
run new-agentgroup E --store "$TMP/empty.db" --pool p.example.com -q
expect_ok
run get-revision --store "$TMP/empty.db" -o json
expect_json 'len()=1'

finish
