#!/usr/bin/env bash
# Benchmark: `perfstat describe` against pandas + numpy + scipy on the same file.
#
#   scripts/bench/describe.sh [ROWS]        (default 10000000)
#
# Generates bench-data/latency-ROWS.csv once (git-ignored), builds the release
# binary, then runs each tool 3 times under GNU time, printing wall time and
# peak RSS. Needs python3 with pandas, numpy, scipy
# (pip install -r scripts/reference/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-10000000}
file=bench-data/latency-$rows.csv
mkdir -p bench-data
[ -f "$file" ] || python3 scripts/bench/gen_latency_csv.py "$rows" "$file"
cargo build --release --quiet
echo "file: $file ($(du -h "$file" | cut -f1), $rows rows)"
printf '%-44s %10s %12s\n' tool wall_s peak_rss_MB
measure() {
  local name=$1; shift
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o bench-data/time.txt "$@" > /dev/null
    read -r wall rss < bench-data/time.txt
    printf '%-44s %10s %12.0f\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
  done
}
measure "perfstat describe --format json" target/release/perfstat describe "$file" --metric latency_ms --format json
measure "pandas.read_csv + numpy + scipy" python3 scripts/bench/describe_python.py "$file"
