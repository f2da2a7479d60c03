#!/usr/bin/env python3
"""Writes N configs with 3 objectives as CSV: id,p95_latency_ms,cost,throughput_rps.

Usage: python3 scripts/bench/gen_pareto_csv.py N OUT.csv

Uniform random objectives (numpy seed 2024 + N), 6 decimals; the three columns are
read as p95_latency_ms:min, cost:min, throughput_rps:max.
"""
import sys

import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(2024 + n)
F = rng.random((n, 3))
with open(out, "w") as f:
    f.write("id,p95_latency_ms,cost,throughput_rps\n")
    chunk = 200_000
    for s in range(0, n, chunk):
        block = F[s:s + chunk]
        ids = np.arange(s, s + len(block))
        f.write("".join(f"c{i},{a:.6f},{b:.6f},{c:.6f}\n" for i, (a, b, c) in zip(ids, block)))
