#!/bin/bash
# man/rgs.1 against the cmdlet table: for every cmdlet a section naming its alias and exactly
# its options; exit statuses as cli/exit_status.cc gives them; the global options
# (tests/cli/man_table.py does the comparing).
. "$(dirname "$0")/lib.sh"

plan man \
  "rgs __cmdlets describes the cmdlet table" \
  "man/rgs.1 matches it: sections, aliases, options, exit statuses, global options" \
  "the comparison finds drift: a page with an option taken out, and one with a status added"

MAN="$RGS_SOURCE_DIR/man/rgs.1"
CHECK="$RGS_SOURCE_DIR/tests/cli/man_table.py"

tcase man-1.1 "rgs __cmdlets: every cmdlet rgs help lists, with options and exit statuses"
run __cmdlets
expect_ok
printf '%s' "$OUT" >"$TMP/cmdlets.json"
expect_json 'cmdlets[0].name="new-agentgroup"' 'cmdlets[0].alias="New-CsRgsAgentGroup"' 'exit_statuses=[0,1,2,3,4,5,6,7]'
listed=$("$RGS" help | awk '/^Cmdlets:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
described=$(python3 -S -c 'import json, sys; print("\n".join(c["name"] for c in json.load(open(sys.argv[1]))["cmdlets"]))' "$TMP/cmdlets.json")
[ "$listed" = "$described" ] || fail "rgs help and rgs __cmdlets list different cmdlets"
printf '%s' "$OUT" | grep -q '"--overflow-candidate"' || fail "set-queue's options are missing"

tcase man-2.1 "man/rgs.1 documents every cmdlet, option and exit status, and nothing else"
CMD="python3 man_table.py cmdlets.json $MAN"
OUT=$(python3 -S "$CHECK" "$TMP/cmdlets.json" "$MAN" 2>&1)
RC=$?
expect_status 0
expect_stdout_empty

tcase man-3.1 "an option missing from a section is found"
# set-queue's --overflow-candidate taken out of the page: synopsis and item.
CMD="man_table.py on a page without --overflow-candidate"
sed '/^\.SS set-queue$/,/^\.SS remove-queue$/s/overflow\\-candidate/overflow\\-candidatz/g' "$MAN" >"$TMP/drift.1"
OUT=$(python3 -S "$CHECK" "$TMP/cmdlets.json" "$TMP/drift.1" 2>&1)
RC=$?
expect_status 1
expect_stdout_contains "set-queue: takes --overflow-candidate, which its section does not name" \
  "set-queue: its section names --overflow-candidatz, which it does not take"

tcase man-3.2 "an exit status rgs never gives, or one it gives left out, is found"
python3 -S -c '
import json, sys
t = json.load(open(sys.argv[1])); t["exit_statuses"].append(9)
json.dump(t, open(sys.argv[2], "w"))' "$TMP/cmdlets.json" "$TMP/more.json"
OUT=$(python3 -S "$CHECK" "$TMP/more.json" "$MAN" 2>&1)
RC=$?
expect_status 1
expect_stdout_contains "EXIT STATUS lists [0, 1, 2, 3, 4, 5, 6, 7]; cli/exit_status.cc gives [0, 1, 2, 3, 4, 5, 6, 7, 9]"
sed 's/^6 busy or revision conflict\.$/8 busy or revision conflict./' "$MAN" >"$TMP/drift.2"
OUT=$(python3 -S "$CHECK" "$TMP/cmdlets.json" "$TMP/drift.2" 2>&1)
RC=$?
expect_status 1
expect_stdout_contains "its section gives exit status 8, which rgs never gives"

finish
