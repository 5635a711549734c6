#!/bin/bash
# The bash completion script the build makes from the cmdlet table (rgs __complete-script),
# sourced in bash and asked for completions as bash would ask for them.
. "$(dirname "$0")/lib.sh"

plan completion \
  "the script: the one the build installs is what rgs makes now; it loads in bash" \
  "cmdlet names and Lync aliases" \
  "each cmdlet's options and the global ones" \
  "the words of enumeration options"

SCRIPT="$(dirname "$RGS")/completion/rgs"

# complete WORD...: what the script offers for the last WORD (the one being typed), in $OUT.
complete_words() {
  CMD="completion of '$*'"
  OUT=$(bash --norc --noprofile -c '
    source "$1" || exit 3
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _rgs
    printf "%s\n" "${COMPREPLY[@]}"' bash "$SCRIPT" "$@" 2>"$TMP/.err")
  RC=$?
  ERR=$(cat "$TMP/.err")
}

# expect_offered WORD...: the completion offers exactly these words (in any order).
expect_offered() {
  local want got
  want=$(printf '%s\n' "$@" | sort)
  got=$(printf '%s' "$OUT" | sed '/^$/d' | sort)
  [ "$want" = "$got" ] || fail "expected the words '$(echo $want)', got '$(echo $got)'"
}

tcase completion-1.1 "the installed script is the one rgs makes from its table"
run __complete-script
expect_ok
if [ ! -f "$SCRIPT" ]; then
  fail "the build made no $SCRIPT"
elif ! printf '%s' "$OUT" | cmp -s - "$SCRIPT"; then
  fail "$SCRIPT differs from what 'rgs __complete-script' prints"
fi

tcase completion-1.2 "the script loads in bash and registers a completion for rgs"
CMD="bash -c 'source $SCRIPT; complete -p rgs'"
OUT=$(bash --norc --noprofile -c 'source "$1" && complete -p rgs' bash "$SCRIPT" 2>&1)
RC=$?
expect_status 0
expect_stdout_contains "-F _rgs" "rgs"

tcase completion-2.1 "a cmdlet prefix: every cmdlet that starts with it"
complete_words rgs set-q
expect_status 0
expect_offered set-queue
complete_words rgs get-queue
expect_offered get-queue get-queuestatistics get-queuestate

tcase completion-2.2 "a Lync alias prefix, and the cmdlet after global options"
complete_words rgs New-CsRgsQ
expect_offered New-CsRgsQueue
complete_words rgs --store "$TMP/s.db" -o json remove-w
expect_offered remove-workflow

tcase completion-2.3 "rgs help completes cmdlet names"
complete_words rgs help test-
expect_offered test-configuration test-workflow

tcase completion-3.1 "an option of set-queue"
complete_words rgs set-queue Sales --overflow-c
expect_offered --overflow-candidate
complete_words rgs set-queue Sales --agent-gr
expect_offered --agent-groups

tcase completion-3.2 "options of the cmdlet only, plus the global ones; an alias has its cmdlet's options"
complete_words rgs set-queue Sales --rout
expect_offered
complete_words rgs new-agentgroup X --rout
expect_offered --routing-method
complete_words rgs Set-CsRgsQueue Sales --timeout-t
expect_offered --timeout-threshold
complete_words rgs get-queue --wh
expect_offered --whatif

tcase completion-4.1 "the words of an enumeration option"
complete_words rgs set-agentgroup Sales --routing-method ""
expect_offered parallel longest-idle serial round-robin attendant
complete_words rgs set-agentgroup Sales --routing-method lo
expect_offered longest-idle
complete_words rgs set-queue Sales --overflow-candidate old
expect_offered oldest oldest-call

tcase completion-4.2 "--option=word, the output formats, booleans"
complete_words rgs set-agentgroup Sales --participation-policy = f
expect_offered formal
complete_words rgs get-queue -o t
expect_offered table
complete_words rgs set-workflow W --active ""
expect_offered true false

tcase completion-4.3 "an option's value is not taken for the cmdlet"
complete_words rgs --pool set-queue --overflow-c
expect_offered

finish
