# Compares man/rgs.1 with the cmdlet table as `rgs __cmdlets` prints it (tests/cli/man.sh):
# prints one line per difference and exits 1 when there is any.
#   - every cmdlet has a section .SS NAME that names its Lync alias, if it has one;
#   - a cmdlet's options (but the global ones) are exactly those its section names in its
#     synopsis (.SY ... .YS) or as an item heading (the line after .TP or .TQ);
#   - each "Exit status:" paragraph gives only statuses rgs gives;
#   - EXIT STATUS lists exactly the statuses ExitStatus() gives (cli/exit_status.cc);
#   - GLOBAL OPTIONS describes exactly the global options (and --version).
# Usage: python3 man_table.py CMDLETS.json MAN_PAGE
import json
import re
import sys

table = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().replace('\\-', '-').replace('\\~', ' ').split('\n')
OPTION = re.compile(r'(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9])')
problems = []


def section(title, level):
    out, on = [], False
    for line in lines:
        if line.startswith('.SH ') or (level == 'SS' and line.startswith('.SS ')):
            if on:
                break
            on = line == '.%s %s' % (level, title)
            continue
        if on:
            out.append(line)
    return out


def headings(sec):
    found = set()
    for i, line in enumerate(sec[:-1]):
        if line.startswith('.TP') or line.startswith('.TQ'):
            found.update(OPTION.findall(sec[i + 1]))
    return found


def long_names(options):
    return {n for o in options for n in o['names'] if n.startswith('--')}


global_options = long_names(o for c in table['cmdlets'] for o in c['options'] if o['global'])

for c in table['cmdlets']:
    name = c['name']
    sec = section(name, 'SS')
    if not sec:
        problems.append('%s: no section .SS %s' % (name, name))
        continue
    synopsis, in_synopsis = set(), False
    for line in sec:
        if line.startswith('.SY'):
            in_synopsis = True
        elif line.startswith('.YS'):
            in_synopsis = False
        elif in_synopsis:
            synopsis.update(OPTION.findall(line))
    documented = (synopsis | headings(sec)) - global_options
    real = long_names(o for o in c['options'] if not o['global'])
    for n in sorted(real - documented):
        problems.append('%s: takes %s, which its section does not name' % (name, n))
    for n in sorted(documented - real):
        problems.append('%s: its section names %s, which it does not take' % (name, n))
    body = '\n'.join(sec)
    if c['alias'] and c['alias'] not in body:
        problems.append('%s: its section does not name its alias %s' % (name, c['alias']))
    m = re.search(r'Exit status:(.*?)\n\.PP\n', body + '\n.PP\n', re.S)
    if not m:
        problems.append('%s: its section has no "Exit status:" paragraph' % name)
        continue
    for status in re.findall(r'(?:^|;)\s*(\d+)\s', m.group(1)):
        if int(status) not in table['exit_statuses']:
            problems.append('%s: its section gives exit status %s, which rgs never gives' % (name, status))

exit_section = section('EXIT STATUS', 'SH')
documented = set()
for i, line in enumerate(exit_section[:-1]):
    m = re.match(r'\.B (\d+)$', exit_section[i + 1])
    if line.startswith('.TP') and m:
        documented.add(int(m.group(1)))
if documented != set(table['exit_statuses']):
    problems.append('EXIT STATUS lists %s; cli/exit_status.cc gives %s' % (sorted(documented), table['exit_statuses']))

described = headings(section('GLOBAL OPTIONS', 'SH'))
for n in sorted(global_options - described):
    problems.append('GLOBAL OPTIONS: does not describe %s' % n)
for n in sorted(described - global_options - {'--version'}):
    problems.append('GLOBAL OPTIONS: describes %s, which is not a global option' % n)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
