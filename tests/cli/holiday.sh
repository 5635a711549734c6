#!/bin/bash
# Black-box tests of the holiday set cmdlets: new-, get-, set-, remove-holidayset.
. "$(dirname "$0")/lib.sh"

plan holiday \
  "new-holidayset: dates and date-times, printed as YYYY-MM-DDTHH:MM:SS" \
  "new-holidayset: usage errors (no holiday, no name, surplus, malformed): exit 2" \
  "rules: end before start (5), a holiday name twice in a set (4), duplicate set (4)" \
  "get-holidayset: by name, list, not found" \
  "set-holidayset: --add-holiday, --remove-holiday, --clear-holidays, --name" \
  "set-holidayset --instance: round trip, edits, refused documents" \
  "remove-holidayset: usage, not found, in use by a workflow"

sline() { printf '%-11s : %s' "$1" "$2"; }

# --- 1. new --------------------------------------------------------------------------------------

tcase holiday-1.1 "a set of one whole-day holiday: list output, nothing on stderr"
run new-holidayset Xmas --holiday "Christmas=2026-12-25/2026-12-26"
expect_ok
expect_stdout_line "$(sline Name Xmas)"
expect_stdout_line "$(sline HolidayList '{(Name=Christmas; StartDate=2026-12-25T00:00:00; EndDate=2026-12-26T00:00:00)}')"

tcase holiday-1.2 "several holidays, dates and date-times, in order (json)"
run new-holidayset Year --holiday "New Year=2027-01-01/2027-01-02" --holiday "Eve=2026-12-31T12:00/2027-01-01" \
  --holiday "Seconds=2026-07-14T08:30:00/2026-07-14T18:00:00" -o json
expect_ok
expect_json 'Name="Year"' 'len(HolidayList)=3' 'HolidayList[0].Name="New Year"' \
  'HolidayList[0].StartDate="2027-01-01T00:00:00"' 'HolidayList[0].EndDate="2027-01-02T00:00:00"' \
  'HolidayList[1].Name="Eve"' 'HolidayList[1].StartDate="2026-12-31T12:00:00"' 'HolidayList[1].EndDate="2027-01-01T00:00:00"' \
  'HolidayList[2].StartDate="2026-07-14T08:30:00"' 'HolidayList[2].EndDate="2026-07-14T18:00:00"'

tcase holiday-1.3 "29 February of a leap year is a date"
run new-holidayset Leap --holiday "Leap=2028-02-29/2028-03-01" -o json
expect_ok
expect_json 'HolidayList[0].StartDate="2028-02-29T00:00:00"'

tcase holiday-1.4 "--name instead of NAME"
run new-holidayset --name ByOption --holiday "Day=2026-05-01/2026-05-02"
expect_ok
expect_stdout_line "$(sline Name ByOption)"

# --- 2. usage ------------------------------------------------------------------------------------

tcase holiday-2.1 "no --holiday on create: exit 2, nothing written"
r0=$(revision)
run new-holidayset Empty
expect_error 2 "--holiday"
expect_revision "$r0"
run get-holidayset Empty
expect_status 3

tcase holiday-2.2 "no name: exit 2"
run new-holidayset --holiday "Day=2026-05-01/2026-05-02"
expect_error 2 "name"

tcase holiday-2.3 "surplus argument: exit 2"
run new-holidayset Surplus extra --holiday "Day=2026-05-01/2026-05-02"
expect_error 2 "extra"

tcase holiday-2.4 "malformed holidays: exit 2 naming the option, nothing written"
r0=$(revision)
for bad in "Day" "Day=2026-05-01" "=2026-05-01/2026-05-02" "Day=2026-13-01/2026-13-02" "Day=2026-02-30/2026-03-01" \
  "Day=2027-02-29/2027-03-01" "Day=26-05-01/26-05-02" "Day=2026-05-01T25:00/2026-05-02" "Day=2026-05-01T10:60/2026-05-02" \
  "Day=tomorrow/2026-05-02" "Day=2026-05-01/later" "Day=2026-05-01T10:00:30/2026-05-02"; do
  run new-holidayset Bad --holiday "$bad"
  expect_error 2 "--holiday"
done
expect_revision "$r0"
run get-holidayset Bad
expect_status 3

tcase holiday-2.5 "the malformed part is named in the message"
run new-holidayset Bad --holiday "Day=2026-13-01/2026-12-02"
expect_error 2 "--holiday" "2026-13-01"
run new-holidayset Bad --holiday "Day=2026-12-01/2026-12-32"
expect_error 2 "--holiday" "2026-12-32"

# --- 3. rules ------------------------------------------------------------------------------------

tcase holiday-3.1 "end before start: exit 5 naming the holiday, nothing written"
r0=$(revision)
run new-holidayset Bad --holiday "Backwards=2026-12-26/2026-12-25"
expect_error 5 "Backwards" "must end after it starts"
expect_revision "$r0"

tcase holiday-3.2 "end equal to start (an empty holiday): exit 5"
run new-holidayset Bad --holiday "Nothing=2026-12-26T10:00/2026-12-26T10:00"
expect_error 5 "Nothing"

tcase holiday-3.3 "a holiday name twice in a set (any case): exit 4"
r0=$(revision)
run new-holidayset Bad --holiday "Day=2026-05-01/2026-05-02" --holiday "DAY=2026-06-01/2026-06-02"
expect_error 4 "DAY" "already"
expect_revision "$r0"

tcase holiday-3.4 "the same set name: exit 4"
run new-holidayset xmas --holiday "Day=2026-05-01/2026-05-02"
expect_error 4 "holiday set 'Xmas' already exists"

# --- 4. get --------------------------------------------------------------------------------------

tcase holiday-4.1 "get by name, any case"
run get-holidayset YEAR
expect_ok
expect_stdout_line "$(sline Name Year)"

tcase holiday-4.2 "get lists every set"
run get-holidayset -o json
expect_ok
expect_json 'len()=4' '[0].HolidayList?'

tcase holiday-4.3 "not found: exit 3; surplus: exit 2"
run get-holidayset Nowhere
expect_error 3 "holiday set 'Nowhere' not found"
run get-holidayset Xmas Year
expect_error 2 "Year"

tcase holiday-4.4 "-o yaml prints the dates as YYYY-MM-DDTHH:MM:SS"
run get-holidayset Xmas -o yaml
expect_ok
expect_stdout_line "  - Name: Christmas"
expect_stdout_line "    StartDate: 2026-12-25T00:00:00"
expect_stdout_line "    EndDate: 2026-12-26T00:00:00"

# --- 5. set --------------------------------------------------------------------------------------

tcase holiday-5.1 "--add-holiday appends: no output, one revision"
r0=$(revision)
run set-holidayset Xmas --add-holiday "Boxing Day=2026-12-26/2026-12-27"
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-holidayset Xmas -o json
expect_json 'len(HolidayList)=2' 'HolidayList[1].Name="Boxing Day"' 'HolidayList[1].StartDate="2026-12-26T00:00:00"'

tcase holiday-5.2 "--add-holiday of a name already there: exit 4, unchanged"
r0=$(revision)
run set-holidayset Xmas --add-holiday "christmas=2027-12-25/2027-12-26"
expect_error 4 "christmas" "already"
expect_revision "$r0"

tcase holiday-5.3 "--add-holiday ending before it starts: exit 5; malformed: exit 2"
run set-holidayset Xmas --add-holiday "Bad=2026-12-26/2026-12-20"
expect_error 5 "Bad" "--add-holiday"
expect_stderr_not_contains "--holiday ("
run set-holidayset Xmas --add-holiday "Bad=2026-12-26"
expect_error 2 "--add-holiday"
expect_revision "$r0"

tcase holiday-5.4 "--remove-holiday NAME (any case)"
run set-holidayset Xmas --remove-holiday "BOXING DAY"
expect_ok
run get-holidayset Xmas -o json
expect_json 'len(HolidayList)=1' 'HolidayList[0].Name="Christmas"'

tcase holiday-5.5 "--remove-holiday of a holiday not in the set: exit 3, unchanged"
r0=$(revision)
run set-holidayset Xmas --remove-holiday Easter
expect_error 3 "--remove-holiday" "Easter"
expect_revision "$r0"

tcase holiday-5.6 "--clear-holidays: an empty set is allowed after creation"
run set-holidayset Leap --clear-holidays
expect_ok
run get-holidayset Leap -o json
expect_json 'HolidayList=[]'

tcase holiday-5.7 "--clear-holidays then --add-holiday in one command"
run set-holidayset ByOption --clear-holidays --add-holiday "Only=2026-08-15/2026-08-16"
expect_ok
run get-holidayset ByOption -o json
expect_json 'len(HolidayList)=1' 'HolidayList[0].Name="Only"'

tcase holiday-5.8 "--remove-holiday of the last holiday leaves an empty set"
run set-holidayset ByOption --remove-holiday Only
expect_ok
run get-holidayset ByOption -o json
expect_json 'HolidayList=[]'

tcase holiday-5.9 "--name renames; to a taken name: exit 4"
run set-holidayset ByOption --name Renamed
expect_ok
run get-holidayset Renamed
expect_status 0
run set-holidayset Renamed --name YEAR
expect_error 4 "already exists"

tcase holiday-5.10 "no IDENTITY: exit 2; not found: exit 3"
run set-holidayset --clear-holidays
expect_error 2
run set-holidayset Nowhere --clear-holidays
expect_error 3 "holiday set 'Nowhere' not found"

# --- 6. --instance -------------------------------------------------------------------------------

tcase holiday-6.1 "get -o yaml fed back changes nothing"
run get-holidayset Year -o json
cp "$TMP/.out" "$TMP/year.json"
run get-holidayset Year -o yaml
cp "$TMP/.out" "$TMP/year.yaml"
r0=$(revision)
run set-holidayset --instance "$TMP/year.yaml"
expect_ok
expect_revision "$r0"
run get-holidayset Year -o json
same_json "$TMP/.out" "$TMP/year.json" || fail "the set changed"

tcase holiday-6.2 "the json on stdin changes nothing; an empty set round-trips too"
run_stdin "$TMP/year.json" set-holidayset --instance -
expect_ok
expect_revision "$r0"
run get-holidayset Leap -o yaml
cp "$TMP/.out" "$TMP/leap.yaml"
run set-holidayset --instance "$TMP/leap.yaml"
expect_ok
expect_revision "$r0"

tcase holiday-6.3 "an edited document (one holiday dropped, one date moved) is applied"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["HolidayList"].pop(2); d["HolidayList"][0]["EndDate"] = "2027-01-03T00:00:00"
json.dump(d, open(sys.argv[2], "w"), indent=2)
d["HolidayList"][1]["EndDate"] = "2026-12-30T00:00:00"
json.dump(d, open(sys.argv[3], "w"), indent=2)
d["HolidayList"][1]["EndDate"] = "2027-01-01T00:00:00"; d["HolidayList"][1]["Name"] = "new year"
json.dump(d, open(sys.argv[4], "w"), indent=2)' "$TMP/year.json" "$TMP/year2.json" "$TMP/bad1.json" "$TMP/bad2.json"
run set-holidayset --instance "$TMP/year2.json"
expect_ok
expect_revision $((r0 + 1))
run get-holidayset Year -o json
expect_json 'len(HolidayList)=2' 'HolidayList[0].EndDate="2027-01-03T00:00:00"'

tcase holiday-6.4 "a document with a holiday ending before it starts: exit 5 with file:line, unchanged"
r0=$(revision)
run set-holidayset --instance "$TMP/bad1.json"
expect_error 5 "$TMP/bad1.json:" "Eve"
expect_revision "$r0"

tcase holiday-6.5 "a document with a holiday name twice: refused, unchanged"
run set-holidayset --instance "$TMP/bad2.json"
[ "$RC" = 4 ] || [ "$RC" = 5 ] || fail "expected exit 4 or 5"
expect_stdout_empty
expect_stderr_contains "new year"
expect_revision "$r0"

tcase holiday-6.6 "a malformed date or an unknown property in a document: exit 5 with file:line:column"
sed 's/"2027-01-03T00:00:00"/"January 3rd"/' "$TMP/year2.json" >"$TMP/bad3.json"
run set-holidayset --instance "$TMP/bad3.json"
expect_error 5 "$TMP/bad3.json:" "EndDate"
{ cat "$TMP/year.yaml"; echo "Country: FR"; } >"$TMP/bad4.yaml"
line=$(wc -l <"$TMP/bad4.yaml")
run set-holidayset --instance "$TMP/bad4.yaml"
expect_error 5 "$TMP/bad4.yaml:$line:1:" "Country"
expect_revision "$r0"

tcase holiday-6.7 "--instance with a property option: exit 2"
run set-holidayset --instance "$TMP/year.yaml" --clear-holidays
expect_error 2 "--instance"

# --- 7. remove -----------------------------------------------------------------------------------

tcase holiday-7.1 "remove: no output, one revision, then not found"
r0=$(revision)
run remove-holidayset Leap
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-holidayset Leap
expect_status 3

tcase holiday-7.2 "no IDENTITY / surplus: exit 2; not found: exit 3"
run remove-holidayset
expect_error 2
run remove-holidayset Xmas Year
expect_error 2 "Year"
run remove-holidayset Nowhere
expect_error 3 "holiday set 'Nowhere' not found"

tcase holiday-7.3 "a set used by a workflow: exit 5 without --force, naming the workflow"
setup new-queue HQ
setup new-workflow SetUser --primary-uri sip:set-user@example.com --holiday-set Xmas \
  --holiday-action terminate --default-action queue:HQ --active true
r0=$(revision)
run remove-holidayset Xmas
expect_error 5 "workflow 'SetUser'" "--force"
expect_revision "$r0"

tcase holiday-7.4 "with --force it goes, with a warning naming the workflow"
run remove-holidayset Xmas --force
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning:" "workflow 'SetUser'"
run get-holidayset Xmas
expect_status 3

tcase holiday-7.5 "Lync aliases New-CsRgsHolidaySet / Get- / Remove-"
run New-CsRgsHolidaySet AliasS --holiday "D=2026-05-08/2026-05-09"
expect_ok
run get-csrgsholidayset aliass
expect_ok
run Remove-CsRgsHolidaySet AliasS
expect_ok

finish
