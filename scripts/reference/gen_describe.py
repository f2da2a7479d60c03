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


SCALED_KEYS = ["mean", "std_dev", "min", "max", "median"]


def frexp_exponent(values):
    """k with max|x| * 2**k in [0.5, 1) (0 for all zeros): perfstat's exact scaling."""
    m = max(abs(v) for v in values)
    return 0 if m == 0.0 else -math.frexp(m)[1]


def unscale(v, k):
    """v * 2**-k, or None when it is beyond the f64 range (perfstat: undefined)."""
    if v is None:
        return None
    try:
        return math.ldexp(v, -k)
    except OverflowError:
        return None


def describe_scaled(values):
    """describe() of data near the ends of the f64 range, where numpy/scipy on the raw values
    overflow (1e160: JB and K^2 NaN; +-1e308: mean NaN, percentile -inf, Shapiro-Wilk NaN) or
    underflow (subnormals: std 0, skewness NaN). numpy/scipy are run on the values times the exact
    power of two 2**k that brings max|x| into [0.5, 1) (math.ldexp: exact for these inputs), and the
    location and scale results are multiplied back by 2**-k (null when that exceeds f64). Every
    statistic here is location/scale-equivariant or scale-invariant, so this is numpy/scipy's own
    answer as it would be without a bounded exponent."""
    k = frexp_exponent(values)
    xs = [math.ldexp(v, k) for v in values]
    e = describe(xs)
    for key in SCALED_KEYS:
        e[key] = unscale(e[key], k)
    e["percentiles"] = {p: unscale(v, k) for p, v in e["percentiles"].items()}
    for key in ["mean_ci", "median_ci"]:
        if e[key] is not None:
            lo, hi = unscale(e[key]["lower"], k), unscale(e[key]["upper"], k)
            e[key] = None if lo is None or hi is None else {"lower": lo, "upper": hi}
    if e["mad"] is not None:
        e["mad"]["mad"] = unscale(e["mad"]["mad"], k)
    return e


def extreme_cases(rng):
    """Reliability cases 18 and 19 and more data near the ends of the f64 range."""
    cases = []
    subnormal = [float(f"{d}e-320") for d in range(1, 10)] * 4 + [1e-320, 2e-320, 3e-320, 4e-320]
    cases.append(("subnormal_case18", subnormal))
    pattern = [float(d) for d in range(1, 8)] * 7 + [1.0]
    cases.append(("big160_case19", [float(f"{v:.0f}e160") for v in pattern]))
    cases.append(("big200_case19", [float(f"{v:.0f}e200") for v in pattern]))
    # Sorted, as perfstat sees them: in the file's alternating order scipy's third moment is exactly
    # 0, and scipy's skewtest then takes its special case y = 1 (a jump in K^2 that depends on the
    # summation order alone).
    cases.append(("mix_pm1e308_case19", [-1e308] * 50 + [1e308] * 50))
    cases.append(("dblmax_case19", [1.0, 2.0, -1e308] + [3.0] * 20 + [1.7976931348623157e308]))
    cases.append(("pm_max_pair", [-1.7976931348623157e308, 1.7976931348623157e308]))
    cases.append(("tiny_lognormal_1e-300", [float(v) for v in 1e-300 * rng.lognormal(0.0, 0.6, 100)]))
    cases.append(("huge_normal_5e307", [float(v) for v in 5e307 * rng.normal(0.0, 1.0, 200)]))
    cases.append(("subnormal_ramp", [math.ldexp(float(i), -1074) for i in range(1, 61)]))
    return [{"name": name, "distribution": "extreme", "reference": "scaled", "values": v}
            for name, v in cases]


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
    for c in extreme_cases(rng):
        c["expected"] = describe_scaled(c["values"])
        cases.append(c)
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
