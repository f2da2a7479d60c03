#!/usr/bin/env python3
"""Reference fixture for `perfstat_stats::describe`.

Writes crates/stats/tests/fixtures/describe.json: for each case the input
values (full repr precision) and every statistic of the `describe` contract
computed with numpy/scipy (versions recorded in the file; pinned in
requirements.txt). A statistic that perfstat reports as undefined (`Err`) is
`null` here. Deterministic: fixed seed, fixed case order.

Usage: python3 scripts/reference/gen_describe.py
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

SEED = 20240611
CONFIDENCE = 0.95
SIZES = [1, 2, 3, 4, 5, 7, 8, 10, 20, 50, 100, 500, 1000, 5000]
PERCENTILES = [("p50", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p99.9", 99.9)]
OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/tests/fixtures/describe.json"


def draw(rng, dist, n):
    if dist == "normal":
        return rng.normal(100.0, 15.0, n)
    if dist == "lognormal":
        return 20.0 * rng.lognormal(0.0, 0.6, n)
    if dist == "bimodal":
        fast = rng.normal(10.0, 1.0, n)
        slow = rng.normal(25.0, 2.0, n)
        return np.where(rng.random(n) < 0.7, fast, slow)
    if dist == "pareto":
        return 5.0 * (rng.pareto(1.5, n) + 1.0)
    if dist == "rounded":
        # latencies logged to 0.1 ms: many ties
        return np.round(12.0 * rng.lognormal(0.0, 0.3, n), 1)
    raise ValueError(dist)


def fin(v):
    """A float, or None for NaN/inf (perfstat: undefined)."""
    v = float(v)
    return v if math.isfinite(v) else None


def median_ci(xs, confidence):
    """[x_(l), x_(u)] (1-based) with B ~ Binomial(n, 1/2), alpha = 1 - confidence:
    l - 1 = largest k in 0..n with cdf(k) <= alpha/2,
    u - 1 = smallest k with cdf(k) >= 1 - alpha/2; None if l < 1 or u > n."""
    n = len(xs)
    tail = (1.0 - confidence) / 2.0
    cdf = stats.binom.cdf(np.arange(n + 1), n, 0.5)
    below = np.nonzero(cdf <= tail)[0]
    l = (below[-1] + 1) if below.size else 0
    above = np.nonzero(cdf >= 1.0 - tail)[0]
    u = above[0] + 1
    if l < 1 or u > n:
        return None
    return {"lower": float(xs[l - 1]), "upper": float(xs[u - 1])}


def ad_p_value(a2, n):
    """D'Agostino & Stephens (1986) Table 4.9 on A*2 = A2 (1 + 0.75/n + 2.25/n^2),
    capped at A*2 = 10 as R nortest::ad.test; undefined for n < 8."""
    if n < 8:
        return None
    a = a2 * (1.0 + 0.75 / n + 2.25 / n**2)
    if a < 0.2:
        return -math.expm1(-13.436 + 101.14 * a - 223.73 * a**2)
    if a < 0.34:
        return -math.expm1(-8.318 + 42.796 * a - 59.938 * a**2)
    if a < 0.6:
        return math.exp(0.9177 - 4.279 * a - 1.38 * a**2)
    if a < 10.0:
        return math.exp(1.2937 - 5.709 * a + 0.0186 * a**2)
    return math.exp(1.2937 - 5.709 * 10.0 + 0.0186 * 100.0)


def describe(values):
    x = np.asarray(values, dtype=np.float64)
    xs = np.sort(x)
    n = len(x)
    constant = bool(xs[0] == xs[-1])
    e = {"n": n}
    e["mean"] = float(np.mean(x))
    e["std_dev"] = float(np.std(x, ddof=1)) if n >= 2 else None
    e["min"] = float(xs[0])
    e["max"] = float(xs[-1])
    e["median"] = float(np.median(x))
    e["skewness"] = fin(stats.skew(x, bias=False)) if n >= 3 and not constant else None
    e["kurtosis"] = fin(stats.kurtosis(x, bias=False)) if n >= 4 and not constant else None
    e["percentiles"] = {k: float(np.percentile(x, q, method="linear")) for k, q in PERCENTILES}
    if n >= 2 and not constant:
        lo, hi = stats.t.interval(CONFIDENCE, n - 1, loc=np.mean(x), scale=stats.sem(x))
        e["mean_ci"] = {"lower": float(lo), "upper": float(hi)}
    else:
        e["mean_ci"] = None
    e["median_ci"] = median_ci(xs, CONFIDENCE)

    if n >= 3 and not constant:
        r = stats.shapiro(x)
        e["shapiro_wilk"] = {"statistic": float(r.statistic), "p_value": float(r.pvalue),
                             "approximate": n > 5000}
    else:
        e["shapiro_wilk"] = None
    if n >= 2 and not constant:
        a2 = float(stats.anderson(x, "norm", method="interpolate").statistic)
        e["anderson_darling"] = {"statistic": a2, "p_value": ad_p_value(a2, n)}
    else:
        e["anderson_darling"] = None
    if n >= 8 and not constant:
        r = stats.normaltest(x)
        e["dagostino_pearson"] = {"statistic": fin(r.statistic), "p_value": fin(r.pvalue)}
        if e["dagostino_pearson"]["statistic"] is None:
            e["dagostino_pearson"] = None
    else:
        e["dagostino_pearson"] = None
    if n >= 2 and not constant:
        r = stats.jarque_bera(x)
        e["jarque_bera"] = {"statistic": float(r.statistic), "p_value": float(r.pvalue)}
    else:
        e["jarque_bera"] = None

    q1, q3 = np.percentile(x, [25.0, 75.0], method="linear")
    iqr = q3 - q1
    e["tukey"] = {
        "low_severe": int(np.sum(x < q1 - 3.0 * iqr)),
        "low_mild": int(np.sum((x < q1 - 1.5 * iqr) & (x >= q1 - 3.0 * iqr))),
        "high_mild": int(np.sum((x > q3 + 1.5 * iqr) & (x <= q3 + 3.0 * iqr))),
        "high_severe": int(np.sum(x > q3 + 3.0 * iqr)),
    }
    med = np.median(x)
    mad = np.median(np.abs(x - med))
    if mad == 0.0:
        e["mad"] = None
    else:
        e["mad"] = {"count": int(np.sum(np.abs(0.6745 * (x - med) / mad) > 3.5)), "mad": float(mad)}
    return e


def main():
    warnings.simplefilter("ignore")  # scipy's n > 5000 and small-sample warnings
    rng = np.random.default_rng(SEED)
    cases = []
    for dist in ["normal", "lognormal", "bimodal", "pareto", "rounded"]:
        for n in SIZES:
            values = [float(v) for v in draw(rng, dist, n)]
            cases.append({"name": f"{dist}_n{n}", "distribution": dist, "values": values})
    # beyond Royston's validated range: W on all data, p marked approximate
    cases.append({"name": "normal_n6000", "distribution": "normal",
                  "values": [float(v) for v in draw(rng, "normal", 6000)]})
    # large offset relative to spread (cancellation check)
    cases.append({"name": "offset_normal_n100", "distribution": "normal+1e6",
                  "values": [float(v) for v in 1e6 + rng.normal(0.0, 1.0, 100)]})
    for n in [1, 2, 5, 20]:
        cases.append({"name": f"constant_n{n}", "distribution": "constant", "values": [3.25] * n})
    for c in cases:
        c["expected"] = describe(c["values"])
    doc = {
        "generator": "scripts/reference/gen_describe.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "seed": SEED,
        "confidence": CONFIDENCE,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=None, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
