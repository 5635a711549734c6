#!/bin/bash
# Runs every example command of man/rgs.1, verbatim and in page order, on one fresh store, and
# checks that each exits with the status the page documents.
#
# The convention of the page (also described in a comment at the top of man/rgs.1):
#   - an example command is a line inside .EX/.EE that begins with "$ ";
#   - it continues on the next line when it ends with "\e" (a backslash), "|" or "&&", and on
#     following lines that begin with "> " (the shell's continuation prompt);
#   - it is expected to exit 0, unless it ends with the comment "# status N";
#   - every other line of an .EX/.EE block is output or file content and is not run;
#   - a comment line '.\" example-file: NAME' just before .EX makes that block the content of
#     the file NAME in the working directory, written before any command runs.
# The commands run one after another in one bash process (so that variables and exports carry
# over, as in a terminal), with the working directory the scratch directory, `rgs` on PATH,
# RGS_STORE a fresh store there, RGS_POOL=pool1.example.com, and the files the examples name:
# welcome.wav, music.wav, greeting.wma and the example files. $EDITOR edits non-interactively.
. "$(dirname "$0")/lib.sh"

plan man_examples \
  "man/rgs.1 holds examples, each marked as the convention says" \
  "every example command exits with its documented status, in page order, on one store"

PAGE="$RGS_SOURCE_DIR/man/rgs.1"
WORK="$TMP/work"
RES="$TMP/results"
mkdir -p "$WORK" "$RES" "$TMP/bin"
ln -s "$RGS" "$TMP/bin/rgs"
_wait_for_binary

# --- the example files, the commands, and a script that runs them -----------------------------

# extract.py PAGE WORK RES: writes the example files into WORK, RES/commands (one line per
# command: number, page line, expected status, first line of the command), and RES/run.sh.
cat >"$TMP/extract.py" <<'PY'
import os, re, shlex, sys

page, work, res = sys.argv[1:4]

def unroff(line):
    # The escapes this page uses inside .EX/.EE, back to the characters a terminal shows.
    out, i = [], 0
    named = {"aq": "'", "dq": '"', "ti": "~", "rs": "\\", "ha": "^", "lq": '"', "rq": '"', "em": "--"}
    while i < len(line):
        c = line[i]
        if c != "\\":
            out.append(c); i += 1; continue
        n = line[i + 1] if i + 1 < len(line) else ""
        if n == "-": out.append("-"); i += 2
        elif n == "e": out.append("\\"); i += 2
        elif n == "~": out.append(" "); i += 2
        elif n in "&:%": i += 2
        elif n == "(":
            out.append(named.get(line[i + 2:i + 4], "?")); i += 4
        elif n == "f":
            i += 3 if line[i + 2:i + 3] != "(" else 5
        else:
            raise SystemExit("man page line with an escape the extractor does not know: %r" % line)
    return "".join(out)

lines = open(page, encoding="utf-8").read().split("\n")
blocks = []            # (first page line, [lines], file name or None)
i = 0
while i < len(lines):
    if lines[i] == ".EX":
        name = None
        m = re.match(r'^\.\\"\s*example-file:\s*(\S+)\s*$', lines[i - 1]) if i else None
        if m: name = m.group(1)
        j = i + 1
        body = []
        while j < len(lines) and lines[j] != ".EE":
            if not lines[j].startswith('.\\"'):
                body.append((j + 1, lines[j]))
            j += 1
        blocks.append((i + 2, body, name))
        i = j
    i += 1

files = 0
commands = []          # (page line, text, expected)
for start, body, name in blocks:
    if name:
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write("".join(unroff(t) + "\n" for _, t in body))
        files += 1
        continue
    k = 0
    while k < len(body):
        lineno, raw = body[k]
        text = unroff(raw)
        if not text.startswith("$ "):
            k += 1; continue
        cmd = [text[2:]]
        k += 1
        while k < len(body):
            last = cmd[-1].rstrip()
            nxt = unroff(body[k][1])
            if last.endswith("\\") or last.endswith("|") or last.endswith("&&"):
                cmd.append(nxt); k += 1
            elif nxt.startswith("> "):
                cmd.append(nxt[2:]); k += 1
            else:
                break
        whole = "\n".join(cmd)
        m = re.search(r"#\s*status\s+(\d+)\s*$", whole)
        commands.append((lineno, whole, int(m.group(1)) if m else 0))

with open(os.path.join(res, "commands"), "w", encoding="utf-8") as f:
    for n, (lineno, whole, want) in enumerate(commands, 1):
        f.write("%d\t%d\t%d\t%s\n" % (n, lineno, want, whole.split("\n")[0]))
with open(os.path.join(res, "run.sh"), "w", encoding="utf-8") as f:
    f.write("# generated from %s\n" % page)
    for n, (lineno, whole, want) in enumerate(commands, 1):
        f.write("{\n%s\n} >%s 2>%s\n" % (whole, shlex.quote("%s/out.%d" % (res, n)), shlex.quote("%s/err.%d" % (res, n))))
        f.write("__rc=$?; echo $__rc >%s; (exit $__rc)\n" % shlex.quote("%s/rc.%d" % (res, n)))
print("%d %d" % (files, len(commands)))
PY

tcase man_examples-1.1 "man/rgs.1 has example commands and example files"
counts=$(python3 -S "$TMP/extract.py" "$PAGE" "$WORK" "$RES" 2>"$TMP/extract.err")
rc=$?
CMD="extract.py $PAGE"
RC=$rc
ERR=$(cat "$TMP/extract.err")
if [ "$rc" -ne 0 ]; then
  fail "could not extract the examples"
else
  read -r NFILES NCMDS <<<"$counts"
  [ "${NCMDS:-0}" -ge 50 ] || fail "expected at least 50 example commands, found ${NCMDS:-0}"
  [ -s "$WORK/menu.yaml" ] || fail "no example file menu.yaml (QUESTION FILES)"
  [ -s "$WORK/agents.yaml" ] || fail "no example file agents.yaml (AGENT STATE FILES)"
fi

# The audio files the examples import: 16 kHz 16-bit mono, 8 kHz 8-bit stereo, and a WMA header.
python3 -S - "$WORK" <<'PY'
import os, sys, wave
work = sys.argv[1]
for name, rate, channels, width in (("welcome.wav", 16000, 1, 2), ("music.wav", 8000, 2, 1)):
    w = wave.open(os.path.join(work, name), "wb")
    w.setnchannels(channels); w.setsampwidth(width); w.setframerate(rate)
    w.writeframes(bytes(rate * channels * width // 4))
    w.close()
with open(os.path.join(work, "greeting.wma"), "wb") as f:   # the ASF header GUID, then nothing
    f.write(bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + bytes(64))
PY
# $EDITOR for "$ $EDITOR FILE": changes the description of the document it is given.
cat >"$TMP/bin/edit" <<'SH'
#!/bin/sh
exec sed -i 's/^Description: .*/Description: edited by the man page example/' "$@"
SH
chmod +x "$TMP/bin/edit"

# --- run them ----------------------------------------------------------------------------------

if [ -s "$RES/run.sh" ]; then
  (
    cd "$WORK" || exit 1
    export PATH="$TMP/bin:$PATH" RGS_STORE="$WORK/store.db" RGS_POOL=pool1.example.com EDITOR="$TMP/bin/edit"
    unset RGS_OUTPUT NO_COLOR
    bash "$RES/run.sh" </dev/null >/dev/null 2>"$RES/runner.err"
  )
fi

[ -f "$RES/commands" ] || : >"$RES/commands"
while IFS=$'\t' read -r n lineno want first; do
  tcase "man_examples-2.$n" "man/rgs.1:$lineno"
  CMD="man/rgs.1:$lineno: $first"
  ERR=$(cat "$RES/err.$n" 2>/dev/null)
  if [ ! -f "$RES/rc.$n" ]; then
    RC="(not run)"
    fail "the example was not run: an earlier example ended the shell"
    continue
  fi
  RC=$(cat "$RES/rc.$n")
  expect_status "$want"
done <"$RES/commands"

finish
