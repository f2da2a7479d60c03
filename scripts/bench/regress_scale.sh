#!/usr/bin/env bash
# `perfstat regress` on a generated history of 10 000 runs x 100 metrics (issue 13, item 3):
# half the metrics pure noise (a stretch without change: PELT's worst case), half with a +20 %
# shift every 500 runs; 2 % noise. Times the release binary end to end (read, analyse, JSON to
# /dev/null), cold (no --cache), median of 3, and checks every true shift is found at its run.
#
#   bash scripts/bench/regress_scale.sh [RUNS] [METRICS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10000}
metrics=${2:-100}
cargo build --release --quiet --locked
bin=target/release/perfstat
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$runs" "$metrics" "$dir/h.csv" <<'PY'
import sys
import numpy as np
runs, metrics, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(13)
r = np.arange(runs)[:, None]
m = np.arange(metrics)[None, :]
level = np.where((m % 2 == 1) & ((r // 500) % 2 == 1), 120.0, 100.0)
x = level * (1 + 0.02 * rng.standard_normal((runs, metrics)))
with open(path, "w") as f:
    f.write("run," + ",".join(f"m{j}_latency_ms" for j in range(metrics)) + "\n")
    for i in range(runs):
        f.write(f"{i}," + ",".join(f"{v:.3f}" for v in x[i]) + "\n")
PY
echo "history: $runs runs x $metrics metrics ($(du -h "$dir/h.csv" | cut -f1)), $(nproc) cores"
# wall and CPU (user + sys) seconds: on a loaded shared machine the CPU time bounds what two idle
# cores would take.
for k in 1 2 3; do
  /usr/bin/time -f "%e %U %S" -a -o "$dir/times" "$bin" regress "$dir/h.csv" --format json \
    --fail-on never > "$dir/out.json"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$dir/out.json" "$runs" "$dir/times" <<'PY'
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
runs = int(sys.argv[2])
rows = [list(map(float, line.split())) for line in open(sys.argv[3])]
t = sorted(r[0] for r in rows)
cpu = sorted(r[1] + r[2] for r in rows)
want = {(j, i) for j, _ in enumerate(doc["metrics"]) if j % 2 == 1 for i in range(500, runs, 500)}
got = {(j, c["index"]) for j, m in enumerate(doc["metrics"]) for c in m["change_points"]}
print(f"wall (s): {', '.join(f'{v:.2f}' for v in t)}; median {statistics.median(t):.2f} s (goal < 1 s)")
print(f"CPU user+sys (s): {', '.join(f'{v:.2f}' for v in cpu)}; median {statistics.median(cpu):.2f} s")
print(f"true shifts {len(want)}: found at their run {len(want & got)}, false or misplaced {len(got - want)}")
PY
