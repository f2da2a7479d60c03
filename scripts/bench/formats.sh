#!/usr/bin/env bash
# Benchmark: perfstat describe --by label (release) vs pandas on a generated JMeter JTL CSV and a k6 NDJSON.
#
#   scripts/bench/formats.sh [JTL_REQUESTS [K6_REQUESTS]]     (defaults 10000000 and 1000000)
#
# k6 writes 9 points per HTTP request (~330 bytes each), so 10 M requests are ~30 GB of NDJSON: the default
# for k6 is 1 M requests (9 M lines, ~3 GB); pass 10000000 to run the full size if the disk allows.
# Prints wall time (s), peak RSS (MB) and input MB/s for each tool; files go to ${BENCH_DIR:-/tmp/perfstat-bench}.
set -euo pipefail
cd "$(dirname "$0")/../.."
JTL_N=${1:-10000000}
K6_N=${2:-1000000}
DIR=${BENCH_DIR:-/tmp/perfstat-bench}
mkdir -p "$DIR"
cargo build --release -q -p perfstat-cli
BIN=target/release/perfstat
JTL="$DIR/jmeter-$JTL_N.jtl.csv"
K6="$DIR/k6-$K6_N.json"
[ -s "$JTL" ] || { python3 scripts/bench/gen_formats.py jmeter "$JTL_N" "$JTL.part" && mv "$JTL.part" "$JTL"; }
[ -s "$K6" ] || { python3 scripts/bench/gen_formats.py k6 "$K6_N" "$K6.part" && mv "$K6.part" "$K6"; }

measure() { # name file cmd...
  local name=$1 file=$2; shift 2
  local t
  t=$(mktemp)
  /usr/bin/time -o "$t" -f '%e %M' "$@" > /dev/null 2>&1
  local out secs kb bytes
  out=$(tail -1 "$t"); rm -f "$t"
  secs=${out% *}; kb=${out#* }
  bytes=$(stat -c %s "$file")
  awk -v n="$name" -v s="$secs" -v kb="$kb" -v b="$bytes" \
    'BEGIN { printf "%-36s %8.2f s %9.0f MB %9.1f MB/s\n", n, s, kb/1024, b/1e6/s }'
}

echo "JMeter JTL: $JTL_N requests, $(du -h "$JTL" | cut -f1); k6 NDJSON: $K6_N requests, $(du -h "$K6" | cut -f1)"
printf '%-36s %10s %12s %14s\n' tool wall "peak RSS" throughput
measure "perfstat describe --by label (jtl)" "$JTL" $BIN describe "$JTL" --by label --format json
measure "pandas read_csv + quantiles (jtl)" "$JTL" python3 scripts/bench/pandas_formats.py jmeter "$JTL"
measure "perfstat describe --by label (k6)" "$K6" $BIN describe "$K6" --by label --format json
measure "pandas read_json + quantiles (k6)" "$K6" python3 scripts/bench/pandas_formats.py k6 "$K6"
