#!/usr/bin/env python3
"""The Python stack doing what `perfstat describe DIR --metric latency_ms` does on a Parquet dataset.

    python3 scripts/bench/parquet_python.py DIR [COLUMN]

pyarrow reads only COLUMN (default latency_ms) of every file under DIR (a Hive-partitioned dataset,
`pyarrow.parquet.read_table(DIR, columns=[COLUMN])`), then numpy + scipy compute the same statistics
as `describe_python.py` (the CSV peer of scripts/bench/describe.sh), printed as JSON.
"""
import json
import os
import sys
import warnings

import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from describe_python import describe_stats  # noqa: E402

warnings.simplefilter("ignore")


def main():
    column = sys.argv[2] if len(sys.argv) > 2 else "latency_ms"
    table = pq.read_table(sys.argv[1], columns=[column])
    x = table.column(column).to_numpy()
    del table
    print(json.dumps(describe_stats(x)))


if __name__ == "__main__":
    main()
