#!/usr/bin/env bash
# Regenerates the example reports in reports/ from the data in data/.
# Run from anywhere: bash scripts/regen-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
bin=target/release/perfstat

# perfstat pareto: the LLM-serving sweep (data/configs.json, from scripts/gen_configs.py).
"$bin" pareto data/configs.json \
  --constraint "p95_latency_ms<=900" \
  --reference cost_per_1k_tokens=0.01,p95_latency_ms=2000,quality_score=0.5,throughput_tokens_per_s=0 \
  --out reports/pareto > /dev/null
