#!/usr/bin/env python3
"""The Python stack doing what `perfstat ab --metric latency_ms` does.

    python3 scripts/bench/ab_python.py CONTROL.csv TREATMENT.csv [RESAMPLES]

pandas.read_csv + numpy + scipy: the describe statistics of both samples,
Welch's t-test, Mann-Whitney U (asymptotic), Cohen's d, and naive bootstrap
intervals of the median/p95/p99 differences with RESAMPLES resamples
(default 200; 0 skips the bootstrap, as scripts/bench/ab.sh does for the ratio: a naive bootstrap of 10 000 resamples of 5 M values is hours of
numpy; the script prints its own bootstrap time so it can be extrapolated).
"""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

warnings.simplefilter("ignore")


def describe(x):
    xs = np.sort(x)
    q = np.percentile(xs, [25, 50, 75, 90, 95, 99, 99.9])
    stats.shapiro(x)
    stats.anderson(x, "norm")
    stats.normaltest(x)
    stats.jarque_bera(x)
    stats.skew(x, bias=False)
    stats.kurtosis(x, bias=False)
    med = q[1]
    np.median(np.abs(x - med))
    return xs, q


def main():
    resamples = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    c = pd.read_csv(sys.argv[1], usecols=["latency_ms"])["latency_ms"].to_numpy()
    t = pd.read_csv(sys.argv[2], usecols=["latency_ms"])["latency_ms"].to_numpy()
    cs, _ = describe(c)
    ts, _ = describe(t)
    welch = stats.ttest_ind(t, c, equal_var=False)
    mwu = stats.mannwhitneyu(t, c, alternative="two-sided", method="asymptotic")
    sp = np.sqrt(((len(t) - 1) * t.var(ddof=1) + (len(c) - 1) * c.var(ddof=1)) / (len(t) + len(c) - 2))
    d = (t.mean() - c.mean()) / sp
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    diffs = np.empty((resamples, 3))
    for i in range(resamples):
        rc = rng.choice(c, size=len(c), replace=True)
        rt = rng.choice(t, size=len(t), replace=True)
        diffs[i] = np.percentile(rt, [50, 95, 99]) - np.percentile(rc, [50, 95, 99])
    boot = time.perf_counter() - start
    lo, hi = np.percentile(diffs, [2.5, 97.5], axis=0) if resamples else (np.full(3, np.nan),) * 2
    print(json.dumps({
        "welch": [float(welch.statistic), float(welch.df), float(welch.pvalue)],
        "mwu": [float(mwu.statistic), float(mwu.pvalue)], "cohens_d": float(d),
        "median_diff_ci": [float(lo[0]), float(hi[0])],
        "bootstrap_resamples": resamples, "bootstrap_seconds": boot,
        "bootstrap_seconds_per_10000": boot / resamples * 10000 if resamples else None,
    }))


if __name__ == "__main__":
    main()
