#!/bin/bash
# What an operator meets at the keyboard: the nearest valid name for a mistyped option, value
# or cmdlet; -o table within the terminal's width; the first run, with no store anywhere.
. "$(dirname "$0")/lib.sh"

plan operator \
  "a mistyped option, enumeration value or cmdlet: exit 2, naming the nearest valid one" \
  "-o table fits COLUMNS; --wide and other formats print everything" \
  "no store yet: the messages name --store and RGS_STORE and say whether a write could create it"

setup -q new-agentgroup Sales --agent sip:alice@example.com
setup -q new-queue Main --agent-group Sales
r0=$(revision)

# --- 1. did you mean ----------------------------------------------------------------------------

tcase operator-1.1 "an unknown option names the nearest option of the cmdlet"
run set-agentgroup Sales --agent-alert-tim 30
expect_error 2 "unknown option --agent-alert-tim; did you mean --agent-alert-time?" "see 'rgs set-agentgroup --help'"
run set-queue Main --overflow-candidat=oldest
expect_error 2 "unknown option --overflow-candidat; did you mean --overflow-candidate?"
run get-queue --show-al
expect_error 2 "did you mean --show-all?"
expect_revision "$r0"

tcase operator-1.2 "an option like none of the cmdlet's: no guess"
run set-queue Main --frobnicate 3
expect_error 2 "unknown option --frobnicate"
expect_stderr_not_contains "did you mean"
run get-queue -x
expect_error 2 "unknown option -x"
expect_stderr_not_contains "did you mean"

tcase operator-1.3 "an option of another cmdlet is unknown here"
run set-queue Main --routing-method serial
expect_error 2 "unknown option --routing-method"

tcase operator-1.4 "an unknown enumeration value names the words and the nearest one; nothing changes"
run set-agentgroup Sales --routing-method longest-idl
expect_error 2 "--routing-method: 'longest-idl' is not one of parallel, longest-idle, serial, round-robin, attendant; did you mean 'longest-idle'?"
run set-agentgroup Sales --participation-policy formel
expect_error 2 "did you mean 'formal'?"
run set-queue Main --overflow-candidate olderst
expect_error 2 "--overflow-candidate: 'olderst'" "did you mean 'oldest'?"
run -o tabel get-queue
expect_error 2 "--output: 'tabel' is not one of list, table, json, yaml, csv; did you mean 'table'?"
run -o xml get-queue
expect_error 2 "--output: 'xml' is not one of"
expect_stderr_not_contains "did you mean"
expect_revision "$r0"

tcase operator-1.5 "a mistyped boolean or day"
setup -q new-hoursofbusiness Office --monday 08:00-17:00
run set-hoursofbusiness Office --closed wednsday
expect_error 2 "--closed: 'wednsday'" "did you mean 'wednesday'?"
run new-workflow W --primary-uri sip:w@example.com --active ture
expect_error 2 "--active: 'ture' is not a boolean" "did you mean 'true'?"

tcase operator-1.6 "an unknown cmdlet names the nearest cmdlet"
run get-agentgrup
expect_error 2 "'get-agentgrup' is not an rgs cmdlet; did you mean 'get-agentgroup'?"
run Set-CsRgsQueu Main
expect_error 2 "did you mean 'set-queue'?"

# --- 2. table width -----------------------------------------------------------------------------

LONG="the sales team of the northern region, which answers every call about orders and invoices"
setup -q set-agentgroup Sales --description "$LONG"

# widest_line: the most characters (not bytes) on one line of $OUT.
widest_line() {
  printf '%s' "$OUT" | python3 -S -c 'import sys; print(max(len(l) for l in sys.stdin.buffer.read().decode().split("\n")))'
}

tcase operator-2.1 "COLUMNS=60: no line is wider, cut columns end in an ellipsis"
COLUMNS=60 run get-agentgroup -o table
expect_ok
[ "$(widest_line)" -le 60 ] || fail "a line is $(widest_line) characters wide"
expect_stdout_contains "…" "Name"
expect_stdout_not_contains "$LONG"
[ "$(printf '%s' "$OUT" | wc -l)" = 3 ] || fail "expected 3 lines (header, rule, one group)"

tcase operator-2.2 "--wide, or no terminal and no COLUMNS: every value whole"
COLUMNS=60 run get-agentgroup -o table --wide
expect_ok
expect_stdout_contains "$LONG"
expect_stdout_not_contains "…"
run get-agentgroup -o table
expect_ok
expect_stdout_contains "$LONG"
COLUMNS=abc run get-agentgroup -o table
expect_stdout_contains "$LONG"

tcase operator-2.3 "a table that fits is not cut"
COLUMNS=1000 run get-agentgroup -o table
expect_ok
expect_stdout_contains "$LONG"

tcase operator-2.4 "-o json, yaml, list and csv ignore COLUMNS"
for f in json yaml list csv; do
  run get-agentgroup -o $f
  wide=$OUT
  COLUMNS=30 run get-agentgroup -o $f
  expect_ok
  [ "$OUT" = "$wide" ] || fail "-o $f changed with COLUMNS=30"
  expect_stdout_contains "$LONG"
done

# --- 3. first run -------------------------------------------------------------------------------

mkdir -p "$TMP/home"
DEFAULT=/var/lib/rgs/rgs.db

tcase operator-3.1 "a read of a store that does not exist, in a folder that exists: a write creates it"
run --store "$TMP/new.db" get-queue
expect_error 1 "store '$TMP/new.db' does not exist (a writing cmdlet creates it)" "--store" "RGS_STORE"
[ -e "$TMP/new.db" ] && fail "a read created the store"

tcase operator-3.2 "a read where no write could create the store does not claim one would"
run --store "$TMP/no/such/folder/s.db" get-queue
expect_error 1 "a writing cmdlet cannot create it: folder '$TMP/no/such/folder' does not exist" \
  "that is the store --store names" "--store PATH or RGS_STORE"
expect_stderr_not_contains "a writing cmdlet creates it"
RGS_STORE="$TMP/no/such/folder/s.db" run get-queue
expect_error 1 "that is the store RGS_STORE names"

tcase operator-3.3 "a write where the folder is missing: exit 1, naming --store and RGS_STORE"
run --store "$TMP/no/such/folder/s.db" new-queue Q
expect_error 1 "cannot create store '$TMP/no/such/folder/s.db'" "--store PATH or RGS_STORE"

tcase operator-3.4 "no RGS_STORE (unset or empty), a new HOME: the default store, and what to do"
for unset in "env -u RGS_STORE" "env RGS_STORE="; do
  CMD="$unset HOME=$TMP/home rgs get-queue"
  $unset HOME="$TMP/home" "$RGS" get-queue </dev/null >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
  if [ ! -e "$DEFAULT" ]; then
    expect_error 1 "store '$DEFAULT' does not exist" "that is the default store" "--store PATH or RGS_STORE"
    if [ -d "$(dirname "$DEFAULT")" ]; then
      expect_stderr_contains "(a writing cmdlet creates it)"
    else
      expect_stderr_contains "a writing cmdlet cannot create it: folder '$(dirname "$DEFAULT")' does not exist"
      expect_stderr_not_contains "a writing cmdlet creates it"
    fi
  else
    # This machine has a store at the default path: a read must then not call it missing.
    expect_stderr_not_contains "does not exist"
  fi
done
[ -e "$TMP/home/rgs.db" ] && fail "a store was made in HOME"

tcase operator-3.5 "no RGS_STORE and no /var/lib/rgs: a write fails naming --store and RGS_STORE, and makes nothing"
if [ ! -e "$(dirname "$DEFAULT")" ]; then
  CMD="env -u RGS_STORE HOME=$TMP/home rgs new-queue Q"
  env -u RGS_STORE HOME="$TMP/home" "$RGS" new-queue Q </dev/null >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
  expect_error 1 "cannot create store '$DEFAULT'" "that is the default store; name another with --store PATH or RGS_STORE"
  [ -e "$(dirname "$DEFAULT")" ] && fail "the write made $(dirname "$DEFAULT")"
else
  # The folder exists here: a write would create the store there, so check the same message
  # where the folder is certainly missing instead.
  run --store "$TMP/missing/rgs.db" new-queue Q
  expect_error 1 "cannot create store '$TMP/missing/rgs.db'" "that is the store --store names"
fi

finish
