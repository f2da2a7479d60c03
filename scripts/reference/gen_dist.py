#!/usr/bin/env python3
"""Reference values for perfstat-stats `dist` and order-statistic intervals.

Writes crates/stats/tests/fixtures/dist.json. Deterministic: no randomness,
floats written with repr (full precision). Versions: scripts/reference/requirements.txt
(numpy 2.4.6, scipy 1.17.1).

    python3 scripts/reference/gen_dist.py
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import special, stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/tests/fixtures/dist.json"


def f(x):
    """A float for JSON; non-finite values as the strings "inf", "-inf", "nan"."""
    x = float(x)
    return x if np.isfinite(x) else repr(x)


def main():
    data = {"generator": "scripts/reference/gen_dist.py", "numpy": np.__version__, "scipy": scipy.__version__}

    xs = [-1e6, -40.0, -37.5, -30.0, -10.0, -5.0, -1.96, -0.5, 0.0, 0.3, 1.0, 2.5, 8.0, 20.0, 38.0]
    data["normal"] = [
        {"x": x, "cdf": f(stats.norm.cdf(x)), "sf": f(stats.norm.sf(x)),
         "logcdf": f(stats.norm.logcdf(x)), "logsf": f(stats.norm.logsf(x))}
        for x in xs
    ]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999]
    data["normal_ppf"] = [{"p": p, "ppf": f(stats.norm.ppf(p)), "isf": f(stats.norm.isf(p))} for p in ps]

    dfs = [1.0, 1.5, 2.0, 3.0, 4.5, 10.0, 30.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e9]
    tx = [0.0, 0.1, 0.7, 1.0, 1.96, 2.5, 4.0, 10.0, 100.0, 1e5]
    data["t_sf"] = [
        {"x": x, "df": df, "sf": f(stats.t.sf(x, df)), "cdf": f(stats.t.cdf(x, df))}
        for df in dfs for x in tx + [-1.0, -3.0]
        if stats.t.sf(x, df) > 1e-300
    ]
    tp = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.025, 0.05, 0.2, 0.4, 0.49, 0.5, 0.6, 0.9, 0.975, 0.9999]
    # scipy's t.ppf overflows (inf, or saturates near 1e154) where |t| > 1e150:
    # those rows are left out (the Rust tests check df = 1 there by its closed form).
    data["t_ppf"] = [
        {"p": p, "df": df, "ppf": f(stats.t.ppf(p, df))}
        for df in dfs for p in tp
        if np.isfinite(stats.t.ppf(p, df)) and abs(stats.t.ppf(p, df)) < 1e150
    ]

    chi = [(0.5, 1.0), (3.84, 1.0), (50.0, 1.0), (1e-3, 2.0), (5.99, 2.0), (200.0, 2.0),
           (10.0, 5.0), (100.0, 10.0), (2.0, 30.0), (1100.0, 1000.0), (900.0, 1000.0)]
    data["chi2"] = [{"x": x, "df": df, "sf": f(stats.chi2.sf(x, df)), "cdf": f(stats.chi2.cdf(x, df))} for x, df in chi]

    binom = []
    for n, p in [(10, 0.5), (30, 0.3), (200, 0.99), (1000, 0.5), (12345, 0.9), (10**6, 0.5), (10**7, 0.5),
                 (10**7, 0.999), (10**7, 0.01)]:
        mu = n * p
        sd = (n * p * (1 - p)) ** 0.5
        ks = sorted({max(0, min(n, int(mu + z * sd))) for z in (-6, -3, -1.96, -0.5, 0, 0.7, 2.2, 5)})
        for k in ks:
            binom.append({"k": k, "n": n, "p": p, "cdf": f(stats.binom.cdf(k, n, p)), "sf": f(stats.binom.sf(k, n, p))})
    data["binomial"] = binom

    data["betainc"] = [
        {"a": a, "b": b, "x": x, "value": f(special.betainc(a, b, x))}
        for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (5e6, 0.5, 0.9999995), (50.0, 60.0, 0.45), (1e4, 1e4, 0.495)]
    ]

    # Distribution-free quantile interval: 1-based order statistics (l, u) with
    # l - 1 = max{k in 0..n : P(B <= k) <= a/2}, u - 1 = min{k : P(B <= k) >= 1 - a/2}, B ~ Binomial(n, q).
    intervals = []
    for n, q, conf in [(10, 0.5, 0.95), (50, 0.5, 0.95), (100, 0.9, 0.95), (1000, 0.99, 0.99), (5000, 0.5, 0.9),
                       (10**5, 0.999, 0.95), (10**6, 0.5, 0.95), (10**7, 0.5, 0.95), (10**7, 0.99, 0.99),
                       (10**7, 0.999, 0.95)]:
        tail = (1.0 - conf) / 2.0
        cdf = lambda k: stats.binom.cdf(k, n, q)
        k = int(stats.binom.ppf(tail, n, q))
        while k >= 0 and cdf(k) > tail:
            k -= 1
        while k + 1 <= n and cdf(k + 1) <= tail:
            k += 1
        lower = k + 1 if k >= 0 else None
        k = int(stats.binom.ppf(1.0 - tail, n, q))
        while k > 0 and cdf(k - 1) >= 1.0 - tail:
            k -= 1
        while cdf(k) < 1.0 - tail:
            k += 1
        upper = k + 1 if k + 1 <= n else None
        intervals.append({"n": n, "q": q, "confidence": conf, "lower_rank": lower, "upper_rank": upper})
    data["order_stat_interval"] = intervals

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
