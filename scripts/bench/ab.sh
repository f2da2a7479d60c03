#!/usr/bin/env bash
# Benchmark: `perfstat ab` (its defaults, 10 000 bootstrap resamples included) against
# pandas + numpy + scipy without a bootstrap (ab_python.py ... 0) on the same two files,
# medians of 3 runs in the same run, and the ratio (goal <= 0.1).
#
#   scripts/bench/ab.sh [ROWS]        (default 2000000 per file)
#
# Generates bench-data/latency-ROWS.csv and a copy 3 % slower (git-ignored), builds the release
# binary. Needs pandas, numpy, scipy.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
rows=${1:-2000000}
c=bench-data/latency-$rows.csv
t=bench-data/latency-$rows-shifted.csv
mkdir -p bench-data
[ -f "$c" ] || python3 scripts/bench/gen_latency_csv.py "$rows" "$c"
[ -f "$t" ] || awk -F, 'NR == 1 { print; next } { printf "%s,%.3f,%s,%s\n", $1, $2 * 1.03, $3, $4 }' "$c" > "$t"
cargo build --release --quiet -p perfstat-cli
echo "files: $c, $t ($(du -h "$c" | cut -f1) each, $rows rows)"
measure "perfstat ab (10 000 bootstrap resamples)" target/release/perfstat ab "$c" "$t" --metric latency_ms --format json
ours=$MEDIAN_S
measure "pandas + numpy + scipy (no bootstrap)" python3 scripts/bench/ab_python.py "$c" "$t" 0
ratio "$ours" "$MEDIAN_S" 0.1
