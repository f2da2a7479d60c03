#!/usr/bin/env python3
"""Writes a Hive-partitioned Parquet dataset of per-request rows for benchmarks (deterministic).

    python3 scripts/bench/parquet_gen.py ROWS OUT_DIR [GENERATORS [PARTS]]

OUT_DIR/generator=G/part-P.parquet, GENERATORS (default 8) × PARTS (default 2) files of
ROWS / (GENERATORS × PARTS) rows each, row groups of 1 000 000 rows (deliberately not a multiple of
perfstat's 2^20-row slices), snappy-compressed (pyarrow's default). Columns, the shape of a load
generator's per-request log:

    timestamp  timestamp[ms]  request start, one generator's clock, increasing with jitter
    latency_ms float64        log-normal (median 50 ms), 3 decimals
    ttfb_ms    float64        time to first byte: a random part of latency_ms, full precision
    status     int16          200, or 500 for about 1 % of the rows
    bytes      int64          response size, 200 B to 64 KiB
    label      string         one of five endpoints (dictionary-encoded by pyarrow)
    trace_id   int64          a random 64-bit trace id (incompressible, like a request id)

Deterministic (numpy seed 7) for given ROWS, GENERATORS and PARTS.
"""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP = 1_000_000
BATCH = 1_000_000


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    generators = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    parts = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    files = generators * parts
    rng = np.random.default_rng(7)
    labels = pa.array(["home", "search", "cart", "checkout", "login"])
    schema = pa.schema(
        [
            ("timestamp", pa.timestamp("ms")),
            ("latency_ms", pa.float64()),
            ("ttfb_ms", pa.float64()),
            ("status", pa.int16()),
            ("bytes", pa.int64()),
            ("label", pa.string()),
            ("trace_id", pa.int64()),
        ]
    )
    start_ms = 1_764_000_000_000
    done = 0
    for f in range(files):
        g, p = divmod(f, parts)
        n = rows // files + (1 if f < rows % files else 0)
        d = os.path.join(out, f"generator={g}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"part-{p}.parquet")
        with pq.ParquetWriter(path + ".tmp", schema) as w:
            left = n
            t = start_ms + p * 10 * n
            while left > 0:
                m = min(BATCH, left)
                ts = t + np.cumsum(rng.integers(0, 20, size=m))
                t = int(ts[-1])
                lat = np.round(rng.lognormal(np.log(50.0), 0.6, size=m), 3)
                ttfb = lat * rng.random(m)
                status = np.where(rng.random(m) < 0.01, 500, 200).astype(np.int16)
                size = rng.integers(200, 65536, size=m)
                lab = labels.take(pa.array(rng.integers(0, 5, size=m)))
                trace = rng.integers(-(2**63), 2**63 - 1, size=m, dtype=np.int64)
                batch = pa.record_batch(
                    [pa.array(ts, pa.timestamp("ms")), lat, ttfb, status, size, lab, trace], schema=schema
                )
                w.write_batch(batch, row_group_size=ROW_GROUP)
                left -= m
        os.replace(path + ".tmp", path)
        done += n
    assert done == rows


if __name__ == "__main__":
    main()
