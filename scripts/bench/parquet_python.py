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

import numpy as np
import pyarrow.parquet as pq
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from describe_python import median_ci  # noqa: E402

warnings.simplefilter("ignore")


def main():
    column = sys.argv[2] if len(sys.argv) > 2 else "latency_ms"
    table = pq.read_table(sys.argv[1], columns=[column])
    x = table.column(column).to_numpy()
    del table
    n = len(x)
    xs = np.sort(x)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1))
    q = np.percentile(xs, [25, 50, 75, 90, 95, 99, 99.9])
    t = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
    sw = stats.shapiro(x)
    ad = stats.anderson(x, "norm")
    k2 = stats.normaltest(x)
    jb = stats.jarque_bera(x)
    iqr = q[2] - q[0]
    med = q[1]
    mad = float(np.median(np.abs(x - med)))
    out = {
        "n": n, "mean": mean, "std_dev": sd, "min": float(xs[0]), "max": float(xs[-1]),
        "median": float(med), "skewness": float(stats.skew(x, bias=False)),
        "kurtosis": float(stats.kurtosis(x, bias=False)),
        "percentiles": dict(zip(["p90", "p95", "p99", "p99.9"], map(float, q[3:]))),
        "mean_ci": [mean - t, mean + t], "median_ci": median_ci(xs),
        "shapiro_wilk": [float(sw.statistic), float(sw.pvalue)],
        "anderson_darling": float(ad.statistic),
        "dagostino_pearson": [float(k2.statistic), float(k2.pvalue)],
        "jarque_bera": [float(jb.statistic), float(jb.pvalue)],
        "tukey_high_severe": int(np.sum(x > q[2] + 3 * iqr)),
        "mad_count": int(np.sum(np.abs(0.6745 * (x - med) / mad) > 3.5)) if mad > 0 else None,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
