#!/usr/bin/env bash
# Benchmark of export and import (issue: export/import): 2,000 workflows, 4,000 queues, 4,000
# agent groups with 20,000 agents, 100 holiday sets and 50 audio files. Prints figures.
source "$(dirname "$0")/common.sh"
"$seed" "$work/a.db" pool-a.example.com 4000 4000 2000 5 100 50
echo "source store: $(du -h "$work/a.db" | cut -f1)"

t0=$(now)
/usr/bin/time -f "%M" -o "$work/export.mem" "$rgs" --store "$work/a.db" export-configuration --file "$work/a.zip"
t1=$(now)
/usr/bin/time -f "%M" -o "$work/import.mem" "$rgs" --store "$work/b.db" --pool pool-b.example.com -q \
  import-configuration --file "$work/a.zip" --overwrite-owner --replace-existing-rgs-settings
t2=$(now)
printf '%-44s %6.2f s   peak RSS %6.1f MiB   archive %s\n' "export-configuration" "$(secs "$t0" "$t1")" \
  "$(echo "$(cat "$work/export.mem") / 1024" | bc -l)" "$(du -h "$work/a.zip" | cut -f1)"
printf '%-44s %6.2f s   peak RSS %6.1f MiB\n' "import-configuration (empty store)" "$(secs "$t1" "$t2")" \
  "$(echo "$(cat "$work/import.mem") / 1024" | bc -l)"

# The yardstick: the sqlite3 shell loading the same rows (the imported store's tables as SQL).
sqlite3 "$work/b.db" .dump > "$work/dump.sql"
t3=$(now)
sqlite3 "$work/c.db" < "$work/dump.sql"
t4=$(now)
import_s=$(secs "$t1" "$t2")
load_s=$(secs "$t3" "$t4")
printf '%-44s %6.2f s   import / sqlite3 = %.2f\n' "sqlite3 shell loading the same rows" "$load_s" "$(echo "$import_s / $load_s" | bc -l)"

t5=$(now)
"$rgs" --store "$work/b.db" -q import-configuration --file "$work/a.zip" --overwrite-owner --replace-existing-rgs-settings
t6=$(now)
printf '%-44s %6.2f s   (revision %s: nothing to write)\n' "the same import again" "$(secs "$t5" "$t6")" \
  "$("$rgs" --store "$work/b.db" get-revision --last 1 -o csv | tail -1 | cut -d, -f1)"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
