#!/usr/bin/env python3
"""The Python stack doing what `perfstat describe --metric latency_ms` does.

    python3 scripts/bench/describe_python.py FILE.csv

pandas.read_csv + numpy + scipy: the same statistics as the describe
contract, printed as JSON so the two outputs can be compared.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from scipy import stats

warnings.simplefilter("ignore")


def median_ci(x_sorted, conf=0.95):
    n = len(x_sorted)
    a = (1 - conf) / 2
    b = stats.binom(n, 0.5)
    # l-1 = largest k with cdf(k) <= a ; u-1 = smallest k with cdf(k) >= 1-a
    k_lo = int(b.ppf(a))
    if b.cdf(k_lo) > a:
        k_lo -= 1
    k_hi = int(b.ppf(1 - a))
    lo, hi = k_lo + 1, k_hi + 1
    if lo < 1 or hi > n:
        return None
    return [float(x_sorted[lo - 1]), float(x_sorted[hi - 1])]


def describe_stats(x):
    """The describe statistics of the values x (a numpy array), as a dict for JSON."""
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
    return out


def main():
    x = pd.read_csv(sys.argv[1], usecols=["latency_ms"])["latency_ms"].to_numpy()
    print(json.dumps(describe_stats(x)))


if __name__ == "__main__":
    main()
