#!/usr/bin/env bash
# Benchmark: `perfstat ab` against pandas + numpy + scipy on the same two files.
#
#   scripts/bench/ab.sh [ROWS]        (default 5000000 per file)
#
# Generates bench-data/latency-ROWS.csv and a shifted copy (git-ignored),
# builds the release binary, then runs each tool 3 times under GNU time.
# The Python side bootstraps with 200 resamples (see ab_python.py) and prints
# its bootstrap time, from which 10 000 resamples can be extrapolated.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-5000000}
c=bench-data/latency-$rows.csv
t=bench-data/latency-$rows-shifted.csv
mkdir -p bench-data
[ -f "$c" ] || python3 scripts/bench/gen_latency_csv.py "$rows" "$c"
[ -f "$t" ] || awk -F, 'NR == 1 { print; next } { printf "%s,%.3f,%s,%s\n", $1, $2 * 1.03, $3, $4 }' "$c" > "$t"
cargo build --release --quiet
echo "files: $c, $t ($(du -h "$c" | cut -f1) each, $rows rows)"
printf '%-52s %10s %12s\n' tool wall_s peak_rss_MB
measure() {
  local name=$1; shift
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o bench-data/time.txt "$@" > bench-data/out.txt
    read -r wall rss < bench-data/time.txt
    printf '%-52s %10s %12.0f\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
  done
}
measure "perfstat ab (10 000 bootstrap resamples)" target/release/perfstat ab "$c" "$t" --metric latency_ms --format json
measure "pandas + numpy + scipy (200 bootstrap resamples)" python3 scripts/bench/ab_python.py "$c" "$t" 200
python3 - <<'PY'
import json
d = json.load(open("bench-data/out.txt"))
print(f"python bootstrap: {d['bootstrap_seconds']:.1f} s for {d['bootstrap_resamples']} resamples, "
      f"~{d['bootstrap_seconds_per_10000']:.0f} s per 10 000")
PY
