#!/usr/bin/env bash
# Regenerates the example reports in reports/ from the data in data/.
# Run from anywhere: bash scripts/regen-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# PERFSTAT_PROFILE=dev uses the debug build that `cargo test` already made (CI does, to skip a release
# build): the reports are byte-identical, since no result depends on the optimisation level.
if [ "${PERFSTAT_PROFILE:-release}" = dev ]; then
  cargo build --quiet --locked
  bin=target/debug/perfstat
else
  cargo build --release --quiet --locked
  bin=target/release/perfstat
fi

# perfstat ab: the example A/B test (data/control.csv, data/treatment.csv, from scripts/gen_data.py).
"$bin" ab data/control.csv data/treatment.csv --metric latency_ms --out reports/ab --force > /dev/null
"$bin" ab data/control.csv data/treatment.csv --metric latency_ms --by endpoint --out reports/ab-by-endpoint --force > /dev/null

# perfstat ab over repeated runs: five runs per arm (data/runs, from scripts/gen_runs.py).
"$bin" ab --control data/runs/control --treatment data/runs/treatment --out reports/ab-runs --force > /dev/null

# perfstat describe: one load-test run per endpoint (data/run.csv).
"$bin" describe data/run.csv --metric latency_ms --by endpoint --out reports/describe --force > /dev/null

# perfstat pareto: the LLM-serving sweep (data/configs.json, from scripts/gen_configs.py).
"$bin" pareto data/configs.json \
  --constraint "p95_latency_ms<=900" \
  --reference cost_per_1k_tokens=0.01,p95_latency_ms=2000,quality_score=0.5,throughput_tokens_per_s=0 \
  --out reports/pareto --force > /dev/null

# perfstat regress: the nightly report over 90 nights (data/history.csv, from scripts/gen_history.py);
# exit 1 is expected (the last night is a latency regression).
"$bin" regress data/history.csv --out reports/nightly --force > /dev/null || [ $? -eq 1 ]

# perfstat capacity: simulated JMeter runs at 6 load levels (data/capacity, from scripts/gen_capacity.py).
"$bin" capacity $(for n in 01 05 10 25 50 80; do echo "--level ${n#0} data/capacity/users-$n.jtl.gz"; done) \
  --slo-p95 200ms --out reports/capacity --force > /dev/null 2>&1

# perfstat capacity on a published table (Gunther's ray tracer, R usl's `raytracer`): the bounded
# fit holds κ at 0 where the unbounded one has κ < 0, with predictions beyond the data.
"$bin" capacity data/capacity/raytracer.txt --predict 96 128 \
  --out reports/capacity-raytracer --force > /dev/null 2>&1
