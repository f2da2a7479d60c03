#!/usr/bin/env python3
"""Writes a large per-request CSV for benchmarks (deterministic).

    python3 scripts/bench/gen_latency_csv.py ROWS OUT.csv

Columns: timestamp_ms,latency_ms,status,label — int, float with 3 decimals,
int, one of five labels; log-normal latencies (the shape of deps.md §5).
"""
import sys

import numpy as np


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    rng = np.random.default_rng(7)
    labels = np.array(["home", "search", "cart", "checkout", "login"])
    chunk = 1_000_000
    with open(out, "w") as f:
        f.write("timestamp_ms,latency_ms,status,label\n")
        t = 1_764_000_000_000
        for start in range(0, rows, chunk):
            m = min(chunk, rows - start)
            ts = t + start + np.arange(m)
            lat = np.round(rng.lognormal(np.log(50.0), 0.6, size=m), 3)
            status = np.where(rng.random(m) < 0.01, 500, 200)
            lab = labels[rng.integers(0, 5, size=m)]
            lines = [f"{a},{b:.3f},{c},{d}\n" for a, b, c, d in zip(ts.tolist(), lat.tolist(), status.tolist(), lab.tolist())]
            f.writelines(lines)


if __name__ == "__main__":
    main()
