#!/usr/bin/env bash
# Benchmark: `perfstat describe DIR --metric latency_ms` on a Hive-partitioned Parquet dataset larger
# than perfstat's memory, against pyarrow (only the needed column) + numpy + scipy in the same run.
#
#   scripts/bench/parquet.sh [ROWS]        (default 100000000; RUNS=3 runs of each by default)
#
# Generates bench-data/parquet-ROWS/generator=G/part-P.parquet once (8 × 2 files, git-ignored;
# scripts/bench/parquet_gen.py, needs python3 with numpy, pyarrow, scipy: pip install pyarrow), builds
# the release binary with the `parquet` feature (polars: 10+ minutes cold), then runs each side RUNS
# times under /usr/bin/time -v and prints wall, user+sys CPU and peak RSS per run, their medians, the
# ratio perfstat / peer of the medians, the dataset's size on disk and decoded, and the load average.
# At 100 M rows the dataset is ~2.6 GB on disk; remove bench-data/parquet-* afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-100000000}
runs=${RUNS:-3}
dir=bench-data/parquet-$rows
mkdir -p bench-data
if [ ! -d "$dir" ]; then
  python3 scripts/bench/parquet_gen.py "$rows" "$dir.tmp"
  mv "$dir.tmp" "$dir"
fi
cargo build --release --quiet -p perfstat-cli --features parquet

files=$(find "$dir" -name '*.parquet' | wc -l)
disk=$(du -sb "$dir" | cut -f1)
python3 - "$dir" <<'PY'
import glob, sys
import pyarrow.parquet as pq
rows = groups = decoded = metric = 0
for f in glob.glob(f"{sys.argv[1]}/**/*.parquet", recursive=True):
    m = pq.ParquetFile(f).metadata
    rows += m.num_rows
    groups += m.num_row_groups
    for g in range(m.num_row_groups):
        rg = m.row_group(g)
        decoded += rg.total_byte_size
        for c in range(rg.num_columns):
            if rg.column(c).path_in_schema == "latency_ms":
                metric += rg.column(c).total_compressed_size
print(f"rows {rows}, row groups {groups}, uncompressed column data {decoded / 1e6:.0f} MB, "
      f"latency_ms on disk {metric / 1e6:.0f} MB, latency_ms as f64 {rows * 8 / 1e6:.0f} MB")
PY
echo "dataset: $dir, $files files, $(awk -v b="$disk" 'BEGIN { printf "%.0f MB", b / 1e6 }') on disk"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: RUNS runs under /usr/bin/time -v (stdout to bench-data/parquet-out-NAME.json);
# leaves the medians in $WALL, $CPU (user+sys) and the largest peak RSS in $RSS_MB.
run() {
  local name=$1; shift
  local walls=() cpus=() rss_max=0
  for i in $(seq "$runs"); do
    /usr/bin/time -v -o bench-data/parquet-time.txt "$@" > "bench-data/parquet-out-$name.json"
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
      for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s }' bench-data/parquet-time.txt)
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' bench-data/parquet-time.txt)
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' bench-data/parquet-time.txt)
    walls+=("$wall"); cpus+=("$cpu")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    printf '%-44s run %d %8.2f s wall %8.2f s user+sys %7.0f MB peak RSS\n' "$name" "$i" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
  done
  local mid=$(( (runs + 1) / 2 ))
  WALL=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p")
  CPU=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p")
  RSS_MB=$(echo "$rss_max / 1024" | bc -l)
  printf '%-44s median %.2f s wall, %.2f s user+sys, peak RSS %.0f MB\n' "$name" "$WALL" "$CPU" "$RSS_MB"
}

run perfstat target/release/perfstat describe "$dir" --metric latency_ms --format json
ours=("$WALL" "$CPU" "$RSS_MB")
awk -v m="$RSS_MB" -v n="$rows" -v d="$disk" 'BEGIN {
  printf "perfstat peak RSS: %.1f bytes per value; %.2f of the dataset on disk\n", m * 1048576 / n, m * 1048576 / d }'
run pyarrow+numpy+scipy python3 scripts/bench/parquet_python.py "$dir" latency_ms
awk -v a="${ours[0]}" -v b="$WALL" -v c="${ours[1]}" -v d="$CPU" -v e="${ours[2]}" -v f="$RSS_MB" 'BEGIN {
  printf "ratio perfstat / peer: wall %.3f, user+sys %.3f, peak RSS %.3f\n", a / b, c / d, e / f }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The two answers agree (same n, quantiles by the same linear rule).
python3 - bench-data/parquet-out-perfstat.json bench-data/parquet-out-pyarrow+numpy+scipy.json <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["samples"][0]
peer = json.load(open(sys.argv[2]))
for k in ["n", "mean", "median"]:
    print(f"{k:>8}: perfstat {ours[k]!r:>22} peer {peer[k]!r:>22}")
for k in ["p95", "p99", "p99.9"]:
    print(f"{k:>8}: perfstat {ours['percentiles'][k]!r:>22} peer {peer['percentiles'][k]!r:>22}")
assert ours["n"] == peer["n"], "different n"
PY
