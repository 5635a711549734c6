#!/bin/bash
# Black-box tests of the hours-of-business cmdlets: new-, get-, set-, remove-hoursofbusiness.
. "$(dirname "$0")/lib.sh"

plan hours \
  "new-hoursofbusiness: success, every day, closed, --custom, an empty object" \
  "usage errors: missing name, surplus argument, malformed HH:MM: exit 2" \
  "rules: open before close, no overlap, at most two ranges: exit 5; 24:00 accepted" \
  "duplicate names: exit 4" \
  "get-hoursofbusiness: by name, not found, json property names" \
  "set-hoursofbusiness: per day, --closed, --custom, errors, no-op" \
  "set-hoursofbusiness --instance: round trip, Lync alias, edits, refused documents" \
  "remove-hoursofbusiness: usage, not found, in use by a workflow"

# hline KEY VALUE: one line of the list output.
hline() { printf '%-15s : %s' "$1" "$2"; }
DAYS="Monday Tuesday Wednesday Thursday Friday Saturday Sunday"

# --- 1. new --------------------------------------------------------------------------------------

tcase hours-1.1 "new with two ranges on Monday: list output, nothing on stderr"
run new-hoursofbusiness Office --monday 08:00-12:00,13:00-17:00
expect_ok
expect_stdout_line "$(hline Name Office)"
expect_stdout_line "$(hline Custom False)"
expect_stdout_line "$(hline MondayHours1 'OpenTime=08:00; CloseTime=12:00')"
expect_stdout_line "$(hline MondayHours2 'OpenTime=13:00; CloseTime=17:00')"
expect_stdout_line "$(hline TuesdayHours1 '')"
expect_stdout_line "$(hline SundayHours2 '')"

tcase hours-1.2 "every day option sets its own day (json)"
run new-hoursofbusiness Week --monday 01:00-02:00 --tuesday 02:00-03:00 --wednesday 03:00-04:00 \
  --thursday 04:00-05:00 --friday 05:00-06:00 --saturday 06:00-07:00 --sunday 07:00-08:00,09:00-10:00 -o json
expect_ok
expect_json 'MondayHours1.OpenTime="01:00"' 'MondayHours1.CloseTime="02:00"' 'TuesdayHours1.OpenTime="02:00"' \
  'WednesdayHours1.OpenTime="03:00"' 'ThursdayHours1.OpenTime="04:00"' 'FridayHours1.OpenTime="05:00"' \
  'SaturdayHours1.OpenTime="06:00"' 'SundayHours1.OpenTime="07:00"' 'SundayHours2.OpenTime="09:00"' \
  'SundayHours2.CloseTime="10:00"' 'MondayHours2=null' 'SaturdayHours2=null'

tcase hours-1.3 "every day's property name, MondayHours1 ... SundayHours2, is in the json"
checks=()
for d in $DAYS; do checks+=("${d}Hours1?" "${d}Hours2?"); done
run get-hoursofbusiness Week -o json
expect_ok
expect_json "${checks[@]}" 'Custom=false' 'Name="Week"' 'Identity?'

tcase hours-1.4 "'closed' leaves a day closed"
run new-hoursofbusiness Closed1 --monday closed --tuesday 09:00-10:00 -o json
expect_ok
expect_json 'MondayHours1=null' 'MondayHours2=null' 'TuesdayHours1.OpenTime="09:00"'

tcase hours-1.5 "--custom true / false"
run new-hoursofbusiness Cust --custom true -o json
expect_ok
expect_json 'Custom=true'
run new-hoursofbusiness NotCust --custom false -o json
expect_ok
expect_json 'Custom=false'

tcase hours-1.6 "an empty hours object (no day) is accepted: every slot null"
run new-hoursofbusiness Never -o json
expect_ok
checks=()
for d in $DAYS; do checks+=("${d}Hours1=null" "${d}Hours2=null"); done
expect_json "${checks[@]}"

tcase hours-1.7 "--name instead of NAME"
run new-hoursofbusiness --name ByOption --friday 10:00-11:00
expect_ok
expect_stdout_line "$(hline Name ByOption)"

# --- 2. usage ------------------------------------------------------------------------------------

tcase hours-2.1 "no name: exit 2, nothing written"
r0=$(revision)
run new-hoursofbusiness --monday 08:00-17:00
expect_error 2 "name"
expect_revision "$r0"

tcase hours-2.2 "surplus argument: exit 2"
run new-hoursofbusiness Surplus extra
expect_error 2 "extra"

tcase hours-2.3 "malformed times: 8:00, 25:00, 08:60, 24:30, 08:00 alone, words: exit 2 naming option and value"
r0=$(revision)
for bad in 8:00-12:00 25:00-26:00 08:00-25:00 08:60-09:00 08:00-08:61 24:30-24:45 08:00 08.00-12.00 morning; do
  run new-hoursofbusiness Bad --monday "$bad"
  expect_error 2 "--monday" "$bad"
done
expect_revision "$r0"
run get-hoursofbusiness Bad
expect_status 3

tcase hours-2.4 "malformed time on another day names that day's option"
run new-hoursofbusiness Bad --sunday 9:00-10:00
expect_error 2 "--sunday" "9:00-10:00"

tcase hours-2.5 "--custom maybe: exit 2"
run new-hoursofbusiness Bad --custom maybe
expect_error 2 "--custom" "maybe"

tcase hours-2.6 "--monday without a value: exit 2"
run new-hoursofbusiness Bad --monday
expect_error 2 "--monday"

# --- 3. rules ------------------------------------------------------------------------------------

tcase hours-3.1 "close before open: exit 5 naming the day, nothing written"
r0=$(revision)
run new-hoursofbusiness Bad --monday 12:00-08:00
expect_error 5 "--monday" "MondayHours1" "12:00-08:00"
expect_revision "$r0"

tcase hours-3.2 "open equal to close: exit 5"
run new-hoursofbusiness Bad --tuesday 09:00-09:00
expect_error 5 "--tuesday" "TuesdayHours1"

tcase hours-3.3 "the second range overlapping the first: exit 5"
run new-hoursofbusiness Bad --wednesday 08:00-12:00,11:00-13:00
expect_error 5 "--wednesday" "overlaps"
run new-hoursofbusiness Bad --wednesday 13:00-17:00,08:00-13:30
expect_error 5 "overlaps"

tcase hours-3.4 "ranges that touch ([08:00,12:00) and [12:00,17:00)) are accepted"
run new-hoursofbusiness Touch --thursday 08:00-12:00,12:00-17:00
expect_ok

tcase hours-3.5 "three ranges in a day: exit 5"
r0=$(revision)
run new-hoursofbusiness Bad --friday 08:00-09:00,10:00-11:00,12:00-13:00
expect_error 5 "--friday" "3 ranges"
expect_revision "$r0"

tcase hours-3.6 "24:00 as a close time is accepted; 00:00-24:00 is the whole day"
run new-hoursofbusiness AllDay --saturday 00:00-24:00 --sunday 20:00-24:00 -o json
expect_ok
expect_json 'SaturdayHours1.OpenTime="00:00"' 'SaturdayHours1.CloseTime="24:00"' 'SundayHours1.CloseTime="24:00"'

tcase hours-3.7 "24:00 as an open time is refused: exit 5"
run new-hoursofbusiness Bad --saturday 24:00-24:00
expect_error 5 "--saturday"

# --- 4. duplicates -------------------------------------------------------------------------------

tcase hours-4.1 "the same name: exit 4, nothing written"
r0=$(revision)
run new-hoursofbusiness Office --monday 09:00-10:00
expect_error 4 "hours of business 'Office' already exists"
expect_revision "$r0"

tcase hours-4.2 "another case of the name: exit 4"
run new-hoursofbusiness OFFICE
expect_error 4 "already exists"

# --- 5. get --------------------------------------------------------------------------------------

tcase hours-5.1 "get by name in any case"
run get-hoursofbusiness office
expect_ok
expect_stdout_line "$(hline Name Office)"
expect_stdout_line "$(hline MondayHours2 'OpenTime=13:00; CloseTime=17:00')"

tcase hours-5.2 "get lists every object"
run get-hoursofbusiness
expect_ok
expect_stdout_line "$(hline Name Office)"
expect_stdout_line "$(hline Name Never)"

tcase hours-5.3 "not found: exit 3"
run get-hoursofbusiness Nowhere
expect_error 3 "hours of business 'Nowhere' not found"

tcase hours-5.4 "surplus argument: exit 2"
run get-hoursofbusiness Office Week
expect_error 2 "Week"

tcase hours-5.5 "-o yaml shows the day properties"
run get-hoursofbusiness Office -o yaml
expect_ok
expect_stdout_line "MondayHours1:"
expect_stdout_line "TuesdayHours1: null"
expect_stdout_line "SundayHours2: null"

# --- 6. set --------------------------------------------------------------------------------------

tcase hours-6.1 "set --tuesday: no output, one revision"
r0=$(revision)
run set-hoursofbusiness Office --tuesday 10:00-18:00
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-hoursofbusiness Office -o json
expect_json 'TuesdayHours1.OpenTime="10:00"' 'TuesdayHours1.CloseTime="18:00"' 'MondayHours1.OpenTime="08:00"'

tcase hours-6.2 "set --monday with one range replaces both of Monday's ranges"
run set-hoursofbusiness Office --monday 07:00-11:00
expect_ok
run get-hoursofbusiness Office -o json
expect_json 'MondayHours1.OpenTime="07:00"' 'MondayHours2=null'

tcase hours-6.3 "--closed DAY closes a day; repeatable and comma-separated"
run set-hoursofbusiness Week --closed monday --closed Tuesday,wednesday
expect_ok
run get-hoursofbusiness Week -o json
expect_json 'MondayHours1=null' 'TuesdayHours1=null' 'WednesdayHours1=null' 'ThursdayHours1.OpenTime="04:00"'

tcase hours-6.4 "--sunday closed on set closes both of Sunday's ranges"
run set-hoursofbusiness Week --sunday closed
expect_ok
run get-hoursofbusiness Week -o json
expect_json 'SundayHours1=null' 'SundayHours2=null'

tcase hours-6.5 "--closed moonday: exit 2, nothing written"
r0=$(revision)
run set-hoursofbusiness Week --closed moonday
expect_error 2 "--closed" "moonday"
expect_revision "$r0"

tcase hours-6.6 "--custom true on set"
run set-hoursofbusiness Week --custom true
expect_ok
run get-hoursofbusiness Week
expect_stdout_line "$(hline Custom True)"

tcase hours-6.7 "rule breaches on set: exit 5, unchanged"
r0=$(revision)
run set-hoursofbusiness Office --friday 17:00-09:00
expect_error 5 "--friday" "FridayHours1"
run set-hoursofbusiness Office --friday 08:00-12:00,10:00-14:00
expect_error 5 "overlaps"
run set-hoursofbusiness Office --friday 08:00-09:00,10:00-11:00,12:00-13:00
expect_error 5 "3 ranges"
run set-hoursofbusiness Office --friday 8:00-9:00
expect_error 2 "--friday"
expect_revision "$r0"

tcase hours-6.8 "a set that changes nothing writes no revision"
r0=$(revision)
run set-hoursofbusiness Office --tuesday 10:00-18:00
expect_ok
expect_revision "$r0"

tcase hours-6.9 "no IDENTITY: exit 2; not found: exit 3; surplus: exit 2"
run set-hoursofbusiness --monday closed
expect_error 2
run set-hoursofbusiness Nowhere --monday closed
expect_error 3 "hours of business 'Nowhere' not found"
run set-hoursofbusiness Office Week --monday closed
expect_error 2 "Week"

tcase hours-6.10 "--name renames; to a taken name: exit 4"
run set-hoursofbusiness ByOption --name Renamed
expect_ok
run get-hoursofbusiness Renamed
expect_status 0
run set-hoursofbusiness Renamed --name office
expect_error 4 "already exists"

# --- 7. --instance -------------------------------------------------------------------------------

tcase hours-7.1 "get -o yaml fed back changes nothing (no revision)"
run get-hoursofbusiness Office -o json
cp "$TMP/.out" "$TMP/office.json"
run get-hoursofbusiness Office -o yaml
cp "$TMP/.out" "$TMP/office.yaml"
r0=$(revision)
run set-hoursofbusiness --instance "$TMP/office.yaml"
expect_ok
expect_revision "$r0"
run get-hoursofbusiness Office -o json
same_json "$TMP/.out" "$TMP/office.json" || fail "the object changed"

tcase hours-7.2 "the json on stdin changes nothing"
run_stdin "$TMP/office.json" set-hoursofbusiness --instance -
expect_ok
expect_revision "$r0"

tcase hours-7.3 "the empty object round-trips too"
run get-hoursofbusiness Never -o yaml
cp "$TMP/.out" "$TMP/never.yaml"
r0=$(revision)
run set-hoursofbusiness --instance "$TMP/never.yaml"
expect_ok
expect_revision "$r0"

tcase hours-7.4 "an edited document (Wednesday opened) is applied"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["WednesdayHours1"] = {"Name": "Morning", "OpenTime": "09:00", "CloseTime": "11:30"}
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$TMP/office.json" "$TMP/office2.json"
run set-hoursofbusiness --instance "$TMP/office2.json"
expect_ok
expect_revision $((r0 + 1))
run get-hoursofbusiness Office -o json
expect_json 'WednesdayHours1.OpenTime="09:00"' 'WednesdayHours1.CloseTime="11:30"' 'WednesdayHours1.Name="Morning"'

tcase hours-7.5 "the Lync alias MondayTimeRange1 is accepted in a document"
cat >"$TMP/alias.yaml" <<'EOF'
Name: Never
MondayTimeRange1:
  OpenTime: "06:00"
  CloseTime: "07:00"
SundayTimeRange2:
  OpenTime: "22:00"
  CloseTime: "23:00"
EOF
run set-hoursofbusiness --instance "$TMP/alias.yaml"
expect_ok
run get-hoursofbusiness Never -o json
expect_json 'MondayHours1.OpenTime="06:00"' 'MondayHours1.CloseTime="07:00"' 'SundayHours2.OpenTime="22:00"'

tcase hours-7.6 "a document with an unknown property: exit 5 with file:line:column"
r0=$(revision)
{ cat "$TMP/office.yaml"; echo "Holidays: none"; } >"$TMP/bad1.yaml"
line=$(wc -l <"$TMP/bad1.yaml")
run set-hoursofbusiness --instance "$TMP/bad1.yaml"
expect_error 5 "$TMP/bad1.yaml:$line:1:" "Holidays"
expect_revision "$r0"

tcase hours-7.7 "a document with 8:00 (malformed) or close before open: exit 5, naming the property"
# office.json has Monday 07:00-11:00 only; each bad document sets MondayHours2.
badday() {
  python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["MondayHours2"] = {"Name": None, "OpenTime": sys.argv[3], "CloseTime": sys.argv[4]}
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$TMP/office.json" "$1" "$2" "$3"
}
badday "$TMP/bad2.json" 8:00 12:00
run set-hoursofbusiness --instance "$TMP/bad2.json"
expect_error 5 "$TMP/bad2.json:" "MondayHours2"
badday "$TMP/bad3.json" 18:00 17:00
run set-hoursofbusiness --instance "$TMP/bad3.json"
expect_error 5 "MondayHours2"
expect_revision "$r0"

tcase hours-7.8 "a document with overlapping ranges: exit 5"
badday "$TMP/bad4.json" 10:00 12:00
run set-hoursofbusiness --instance "$TMP/bad4.json"
expect_error 5 "overlaps"
expect_revision "$r0"

tcase hours-7.9 "--instance with a property option: exit 2"
run set-hoursofbusiness --instance "$TMP/office.yaml" --monday closed
expect_error 2 "--instance"

tcase hours-7.10 "--instance of a missing file: exit 1"
run set-hoursofbusiness --instance "$TMP/missing.yaml"
expect_error 1 "missing.yaml"

# --- 8. remove -----------------------------------------------------------------------------------

tcase hours-8.1 "remove: no output, one revision, then not found"
r0=$(revision)
run remove-hoursofbusiness Touch
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-hoursofbusiness Touch
expect_status 3

tcase hours-8.2 "no IDENTITY / surplus: exit 2; not found: exit 3"
run remove-hoursofbusiness
expect_error 2
run remove-hoursofbusiness AllDay Cust
expect_error 2 "Cust"
run remove-hoursofbusiness Nowhere
expect_error 3 "hours of business 'Nowhere' not found"

tcase hours-8.3 "hours used by a workflow: exit 5 without --force, naming the workflow"
setup new-queue HQ
setup new-workflow HoursUser --primary-uri sip:hours-user@example.com --business-hours Office \
  --default-action queue:HQ --active true
r0=$(revision)
run remove-hoursofbusiness Office
expect_error 5 "workflow 'HoursUser'" "--force"
expect_revision "$r0"
run get-hoursofbusiness Office
expect_status 0

tcase hours-8.4 "with --force it goes, with a warning naming the workflow"
run remove-hoursofbusiness Office --force
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning:" "workflow 'HoursUser'"
run get-hoursofbusiness Office
expect_status 3

tcase hours-8.5 "Lync aliases New-CsRgsHoursOfBusiness / Get- / Remove-"
run New-CsRgsHoursOfBusiness AliasH --monday 09:00-17:00
expect_ok
run Get-CsRgsHoursOfBusiness aliash
expect_ok
expect_stdout_line "$(hline Name AliasH)"
run Remove-CsRgsHoursOfBusiness AliasH
expect_ok

finish
