#!/usr/bin/env bash
# Benchmark: `perfstat pareto` (CSV in, full JSON out) against pandas.read_csv + pymoo 0.6.2
# NonDominatedSorting on the same file, medians of 3 runs in the same run, and the ratio.
#
#   scripts/bench/pareto.sh [CONFIGS [BIG]]     (defaults 200000 and 1000000)
#
# CONFIGS × 3 objectives (p95_latency_ms:min, cost:min, throughput_rps:max; uniform random,
# gen_pareto_csv.py) against the peer (goal: ratio <= 0.5); the same count shaped as a trade-off
# (`plane`: a first front of about 14 % of the configs, where dominated_by cannot scan the
# front) against the peer; then BIG × 3 alone (goal: < 3 s and < 1 GB peak RSS, compact and
# pretty). perfstat writes `--compact` JSON (the pretty layout is also timed);
# the peer computes only the ranks. Needs pandas and pymoo (scripts/reference/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/lib.sh
n=${1:-200000}
big=${2:-1000000}
mkdir -p bench-data
for k in "$n" "$big"; do
  [ -f "bench-data/pareto-$k.csv" ] || python3 scripts/bench/gen_pareto_csv.py "$k" "bench-data/pareto-$k.csv"
done
plane=bench-data/pareto-plane-$n.csv
[ -f "$plane" ] || python3 scripts/bench/gen_pareto_csv.py "$n" "$plane" plane
cargo build --release --quiet -p perfstat-cli
bin=target/release/perfstat
objectives=(-o p95_latency_ms:min -o cost:min -o throughput_rps:max)
echo "file: bench-data/pareto-$n.csv ($(du -h "bench-data/pareto-$n.csv" | cut -f1), $n configs × 3)"
measure "perfstat pareto --format json --compact" $bin pareto "bench-data/pareto-$n.csv" "${objectives[@]}" --format json --compact
ours=$MEDIAN_S
echo "output: $(du -h bench-data/out.txt | cut -f1)"
measure "pandas.read_csv + pymoo NonDominatedSorting" python3 scripts/bench/pareto_python.py "bench-data/pareto-$n.csv"
peer=$MEDIAN_S
ratio "$ours" "$peer" 0.5
measure "perfstat pareto --format json (pretty)" $bin pareto "bench-data/pareto-$n.csv" "${objectives[@]}" --format json
ratio "$MEDIAN_S" "$peer" 0.5
echo "file: $plane ($(du -h "$plane" | cut -f1), $n configs × 3 near a plane: a large first front)"
measure "perfstat pareto --format json --compact (plane)" $bin pareto "$plane" "${objectives[@]}" --format json --compact
ours=$MEDIAN_S
measure "pandas.read_csv + pymoo NonDominatedSorting (plane)" python3 scripts/bench/pareto_python.py "$plane"
ratio "$ours" "$MEDIAN_S" 0.5
echo "file: bench-data/pareto-$big.csv ($(du -h "bench-data/pareto-$big.csv" | cut -f1), $big configs × 3)"
measure "perfstat pareto --format json --compact ($big)" $bin pareto "bench-data/pareto-$big.csv" "${objectives[@]}" --format json --compact
verdict() {
  awk -v s="$MEDIAN_S" -v m="$PEAK_MB" -v what="$1" 'BEGIN { printf "%s configs, %s: %.2f s (goal < 3 s), %.0f MB (goal < 1024 MB): %s\n", "'"$big"'", what, s, m, (s < 3 && m < 1024 ? "MET" : "NOT MET") }'
}
verdict "--compact"
measure "perfstat pareto --format json (pretty, $big)" $bin pareto "bench-data/pareto-$big.csv" "${objectives[@]}" --format json
verdict "pretty"
