#!/usr/bin/env bash
# Benchmark: `perfstat describe` against pandas + numpy + scipy on the same file, medians of 3
# runs in the same run, the ratio (goal <= 0.15) and perfstat's peak RSS per value (goal <= 12),
# and the ratio of CPU times (user + sys) for information.
#
#   scripts/bench/describe.sh [ROWS]        (default 10000000)
#
# Generates bench-data/latency-ROWS.csv once (4 columns, git-ignored), builds the release
# binary. Needs python3 with pandas, numpy, scipy (pip install -r scripts/reference/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
rows=${1:-10000000}
file=bench-data/latency-$rows.csv
mkdir -p bench-data
[ -f "$file" ] || python3 scripts/bench/gen_latency_csv.py "$rows" "$file"
cargo build --release --quiet -p perfstat-cli
echo "file: $file ($(du -h "$file" | cut -f1), $rows rows)"
measure "perfstat describe --format json" target/release/perfstat describe "$file" --metric latency_ms --format json
ours=$MEDIAN_S
ours_cpu=$MEDIAN_CPU_S
awk -v m="$PEAK_MB" -v n="$rows" 'BEGIN { b = m * 1048576 / n; printf "perfstat peak RSS: %.1f bytes per value (goal <= 12): %s\n", b, (b <= 12 ? "MET" : "NOT MET") }'
measure "pandas.read_csv + numpy + scipy" python3 scripts/bench/describe_python.py "$file"
ratio "$ours" "$MEDIAN_S" 0.15
# On a loaded machine the wall times are inflated unevenly; the CPU times less so.
awk -v a="$ours_cpu" -v b="$MEDIAN_CPU_S" 'BEGIN { printf "CPU time ratio perfstat / peer = %.3f (for information)\n", a / b }'
