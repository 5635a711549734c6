#!/bin/bash
# Every row of the cmdlet table (as `rgs help` lists it) has a working --help and a section
# `.SS NAME` in man/rgs.1 (STYLE.md §2).
. "$(dirname "$0")/lib.sh"

plan table \
  "rgs help lists the cmdlets" \
  "rgs CMDLET --help exits 0 for every cmdlet listed" \
  "man/rgs.1 has a '.SS CMDLET' section for every cmdlet listed"

MAN="$RGS_SOURCE_DIR/man/rgs.1"

tcase table-1.1 "rgs help lists cmdlets"
run help
expect_ok
# The lines under "Cmdlets:" up to the first blank line: "  name   summary".
CMDLETS=$(printf '%s' "$OUT" | awk '/^Cmdlets:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[ -n "$CMDLETS" ] || fail "no cmdlets found in 'rgs help'"
for c in $CMDLETS; do
  [[ "$c" =~ ^[a-z]+(-[a-z]+)?$ ]] || fail "'$c' is not a lower-case verb-noun"
done

n=0
for c in $CMDLETS; do
  n=$((n + 1))
  tcase "table-2.$n" "rgs $c --help"
  run "$c" --help
  expect_ok
  expect_stdout_contains "rgs $c" "--store"
done

n=0
for c in $CMDLETS; do
  n=$((n + 1))
  tcase "table-3.$n" "man/rgs.1 has .SS $c"
  CMD="grep -Fx '.SS $c' $MAN"
  if [ ! -f "$MAN" ]; then
    fail "$MAN does not exist"
  elif ! grep -Fxq ".SS $c" "$MAN"; then
    fail "expected a line '.SS $c' in $MAN"
  fi
done

finish
