#!/bin/bash
# Black-box tests of agents' SIP credentials: set-, get-, remove-agentcredential, and their place
# in revisions and export archives.
. "$(dirname "$0")/lib.sh"

plan credential \
  "set-agentcredential: from a file, from standard input, many agents from --credential-file; one revision each" \
  "a password is never taken from the command line; no terminal and no file is a usage error" \
  "bad input: a URI without a user part, an empty password, a malformed credential file" \
  "get-agentcredential lists agents, realm and algorithms, never a hash; remove-agentcredential" \
  "history: compare-revision shows the change without hashes; restore-revision brings the old hashes back" \
  "export: no credentials unless --include-credentials; import restores them"

setup -q new-agentgroup Desk --agent sip:alice@example.com --agent sip:bob@example.com --pool pool-a
printf 'first secret\n' >"$TMP/pw"
HA1_MD5=$(printf 'alice:pool-a:first secret' | md5sum | cut -d' ' -f1)
HA1_SHA=$(printf 'alice:pool-a:first secret' | sha256sum | cut -d' ' -f1)

tcase credential-1.1 "set-agentcredential AGENT --password-file FILE: HA1 for MD5 and SHA-256, one revision"
run set-agentcredential sip:Alice@Example.com --password-file "$TMP/pw"
expect_ok
expect_revision 2
run get-revision --last 1 -o json
expect_json '[0].Summary="set the credential of agent '"'"'sip:alice@example.com'"'"'"'
[ "$(sqlite3 "$RGS_STORE" "SELECT ha1_md5 || ' ' || ha1_sha256 FROM agent_credentials WHERE rev_to IS NULL")" = "$HA1_MD5 $HA1_SHA" ] ||
  fail "the stored hashes are not H(alice:pool-a:password)"

tcase credential-1.2 "the same password again changes nothing; --password-file - reads standard input"
run set-agentcredential sip:alice@example.com --password-file "$TMP/pw"
expect_ok
expect_revision 2
printf 'bob pw\n' >"$TMP/bobpw"
run_stdin "$TMP/bobpw" set-agentcredential sip:bob@example.com --password-file -
expect_ok
expect_revision 3

tcase credential-1.3 "--credential-file: many agents in one revision, comments and blank lines skipped"
printf '# agent password\nsip:carol@example.com carol pw\n\nsip:dave@example.com\tdave-pw\n' >"$TMP/many"
run set-agentcredential --credential-file "$TMP/many"
expect_ok
expect_revision 4
run get-revision --last 1 -o json
expect_json '[0].Summary="set the credentials of 2 agents"'
[ "$(sqlite3 "$RGS_STORE" "SELECT ha1_md5 FROM agent_credentials WHERE aor = 'sip:carol@example.com'")" = \
  "$(printf 'carol:pool-a:carol pw' | md5sum | cut -d' ' -f1)" ] || fail "carol's password is not the rest of her line"

tcase credential-2.1 "a password on the command line is refused, as an argument or as --password"
for args in "sip:alice@example.com secret" "sip:alice@example.com --password secret"; do
  # shellcheck disable=SC2086
  run set-agentcredential $args
  expect_status 2
  expect_stderr_contains "a password is never taken from the command line"
done
expect_revision 4

tcase credential-2.2 "without a terminal and without --password-file: usage error naming the option"
run set-agentcredential sip:alice@example.com
expect_status 2
expect_stderr_contains "standard input is not a terminal" "--password-file"

tcase credential-2.3 "on a terminal the password is typed twice without echo; two different ones change nothing"
if python3 -c 'import pty' 2>/dev/null; then
  CMD="set-agentcredential on a pseudo-terminal"
  OUT=$(python3 - "$RGS" <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "set-agentcredential", "sip:erin@example.com"])
out = b""
def until(text):
    # Reads what rgs writes until `text` comes, for at most 10 s (select: a read never blocks).
    global out
    end = time.time() + 10
    while text not in out and time.time() < end:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
until(b"Password for")
os.write(fd, b"typed secret\n")
until(b"again")
os.write(fd, b"typed secret\n")
until(b"\xff")   # to the end
for _ in range(100):   # at most 10 s more for rgs to exit
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.1)
else:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), out.count(b"typed secret"))
EOF
)
  [ "$OUT" = "0 0" ] || fail "expected exit 0 and no echo of the password, got '$OUT'"
  [ "$(sqlite3 "$RGS_STORE" "SELECT ha1_sha256 FROM agent_credentials WHERE aor = 'sip:erin@example.com'")" = \
    "$(printf 'erin:pool-a:typed secret' | sha256sum | cut -d' ' -f1)" ] || fail "erin's typed password is not stored"
else
  fail "python3's pty module is needed"
fi

tcase credential-3.1 "a URI without a user part, an empty password, a malformed credential file"
run set-agentcredential sip:example.com --password-file "$TMP/pw"
expect_status 2
expect_stderr_contains "has no user part"
: >"$TMP/empty"
run set-agentcredential sip:alice@example.com --password-file "$TMP/empty"
expect_status 5
expect_stderr_contains "--password-file: the password is empty"
printf 'sip:carol@example.com x\nnot-a-uri pw\n' >"$TMP/bad"
run set-agentcredential --credential-file "$TMP/bad"
expect_status 5
expect_stderr_contains "--credential-file: $TMP/bad:2"
printf 'sip:carol@example.com\n' >"$TMP/nopw"
run set-agentcredential --credential-file "$TMP/nopw"
expect_status 5
expect_stderr_contains "$TMP/nopw:1: expected 'AGENT-URI PASSWORD'"
run set-agentcredential --password-file "$TMP/pw"
expect_status 2
run set-agentcredential sip:alice@example.com --password-file "$TMP"
expect_status 2
expect_revision 5

tcase credential-4.1 "get-agentcredential lists agents with realm and algorithms, never a hash"
run get-agentcredential -o json
expect_ok
expect_json "len()=5" '[0].Agent="sip:alice@example.com"' '[0].UserName="alice"' '[0].Realm="pool-a"' \
  '[0].Algorithms=["SHA-256","MD5"]' '[0].SetInRevision=2'
expect_stdout_not_contains "$HA1_MD5"
expect_stdout_not_contains "$HA1_SHA"
run get-agentcredential sip:bob@example.com
expect_ok
expect_stdout_contains "Agent         : sip:bob@example.com"
run get-agentcredential sip:frank@example.com
expect_status 3
expect_stderr_contains "agent 'sip:frank@example.com' has no credential"

tcase credential-4.2 "remove-agentcredential: one revision; then not found (3); missing AGENT (2)"
run remove-agentcredential sip:dave@example.com
expect_ok
expect_revision 6
run remove-agentcredential sip:dave@example.com
expect_status 3
run remove-agentcredential
expect_status 2

tcase credential-5.1 "compare-revision shows a credential change without its hashes"
printf 'second secret\n' >"$TMP/pw2"
setup -q set-agentcredential sip:alice@example.com --password-file "$TMP/pw2"
run compare-revision 6 7 -o json
expect_ok
expect_stdout_contains "sip:alice@example.com"
expect_stdout_not_contains "$HA1_MD5"
expect_stdout_not_contains "$(printf 'alice:pool-a:second secret' | md5sum | cut -d' ' -f1)"

tcase credential-5.2 "restore-revision brings back the credentials of then"
run restore-revision 5 --force
expect_ok
[ "$(sqlite3 "$RGS_STORE" "SELECT ha1_md5 FROM agent_credentials WHERE aor = 'sip:alice@example.com' AND rev_to IS NULL")" = "$HA1_MD5" ] ||
  fail "alice's first password is not back"
run get-agentcredential sip:dave@example.com
expect_ok

tcase credential-6.1 "export without --include-credentials holds no credentials"
setup -q new-queue Help --agent-group Desk
run export-configuration --file "$TMP/plain.zip"
expect_ok
python3 -c 'import sys, zipfile; sys.exit("credentials.yaml" in zipfile.ZipFile(sys.argv[1]).namelist())' "$TMP/plain.zip" ||
  fail "credentials.yaml is in a default export"
entries() { python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [sys.stdout.buffer.write(z.read(n)) for n in z.namelist() if len(sys.argv) < 3 or n == sys.argv[2]]' "$@"; }
entries "$TMP/plain.zip" | grep -q "$HA1_MD5" && fail "a hash is in a default export"

tcase credential-6.2 "export --include-credentials writes credentials.yaml; import restores them"
run export-configuration --file "$TMP/creds.zip" --include-credentials
expect_ok
entries "$TMP/creds.zip" credentials.yaml | grep -q "Ha1Md5: $HA1_MD5" || fail "credentials.yaml lacks alice's MD5 HA1"
RGS_STORE="$TMP/other.db" run import-configuration --file "$TMP/creds.zip" --pool pool-a
expect_ok
expect_stdout_contains "5 agent credential(s) set"
RGS_STORE="$TMP/other.db" run get-agentcredential -o json
expect_json "len()=5"
[ "$(sqlite3 "$TMP/other.db" "SELECT ha1_sha256 FROM agent_credentials WHERE aor = 'sip:alice@example.com'")" = "$HA1_SHA" ] ||
  fail "import did not restore alice's hashes"
RGS_STORE="$TMP/third.db" run import-configuration --file "$TMP/plain.zip" --pool pool-a
expect_ok
RGS_STORE="$TMP/third.db" run get-agentcredential -o json
expect_json "len()=0"

finish
