#!/usr/bin/env python3
"""Writes N configs with 3 objectives as CSV: id,p95_latency_ms,cost,throughput_rps.

Usage: python3 scripts/bench/gen_pareto_csv.py N OUT.csv [uniform|plane]

- uniform (default): uniform random objectives (numpy seed 2024 + N); a small first front
  (about a hundred configs at a million).
- plane: a trade-off, as real configurations give: latency and cost uniform over a triangle,
  throughput rising with both (p95 + cost - throughput = const, plus 2 % noise; seed 2025 + N):
  a large first front (about 27 000 of 200 000 configs).

6 decimals; the three columns are read as p95_latency_ms:min, cost:min, throughput_rps:max.
"""
import sys

import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
shape = sys.argv[3] if len(sys.argv) > 3 else "uniform"
if shape == "uniform":
    rng = np.random.default_rng(2024 + n)
    F = rng.random((n, 3))
elif shape == "plane":
    rng = np.random.default_rng(2025 + n)
    a = rng.random(n)
    b = rng.random(n) * (1 - a)
    e = rng.random(n) * 0.02
    F = np.column_stack([a + e, b + e, a + b - e])
else:
    sys.exit(f"unknown shape {shape!r}: uniform or plane")
with open(out, "w") as f:
    f.write("id,p95_latency_ms,cost,throughput_rps\n")
    chunk = 200_000
    for s in range(0, n, chunk):
        block = F[s:s + chunk]
        ids = np.arange(s, s + len(block))
        f.write("".join(f"c{i},{a:.6f},{b:.6f},{c:.6f}\n" for i, (a, b, c) in zip(ids, block)))
