#!/usr/bin/env python3
"""Reference fixture for the rest of `perfstat ab` (crates/stats compare/ and adjust).

Writes crates/stats/tests/fixtures/ab.json:
- cases: control/treatment values and
  - fieller / delta: relative mean difference (mean_t - mean_c)/mean_c with
    its Fieller and delta-method intervals at CONFIDENCE, implemented here from
    the formulas in docs/numerics.md ("A/B comparison") with scipy's t.isf
    (null where Fieller's set is unbounded, g >= 1);
  - lag1_control: lag-1 autocorrelation of the control values in file order
    (sum (x_i - m)(x_{i+1} - m) / sum (x_i - m)^2, as statsmodels acf);
  - bimodality_treatment: (G1^2 + 1)/(G2 + 3(n-1)^2/((n-2)(n-3))) with
    scipy.stats.skew/kurtosis(bias=False);
  - mde: (z_{1-alpha/2} + z_{0.8}) sqrt(s_c^2/n_c + s_t^2/n_t) / |mean_c|.
- adjust: raw p-values with Holm (by hand, as
  statsmodels.stats.multitest.multipletests(method="holm")) and
  Benjamini-Hochberg (scipy.stats.false_discovery_control(method="bh")).
Deterministic.

Usage: python3 scripts/reference/gen_ab.py
"""

import json
import math
import pathlib

import numpy as np
import scipy
from scipy import stats

SEED = 20240613
CONFIDENCE = 0.95
ALPHA = 0.05
OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/tests/fixtures/ab.json"


def relative(t, c):
    a, b = float(np.mean(c)), float(np.mean(t))
    nc, nt = len(c), len(t)
    vc = float(np.var(c, ddof=1)) / nc
    vt = float(np.var(t, ddof=1)) / nt
    r = b / a
    wt, wc = vt, r * r * vc
    df = (wt + wc) ** 2 / (wt * wt / (nt - 1) + wc * wc / (nc - 1))
    q = float(stats.t.isf((1 - CONFIDENCE) / 2, df))
    se = math.sqrt(vt + r * r * vc) / abs(a)
    delta = {"estimate": r - 1, "lower": r - 1 - q * se, "upper": r - 1 + q * se, "df": df}
    lead = a * a - q * q * vc
    if lead <= 0:
        return None, delta
    disc = a * a * vt + b * b * vc - q * q * vc * vt
    half = q * math.sqrt(disc)
    r1, r2 = (a * b - half) / lead, (a * b + half) / lead
    fieller = {"estimate": r - 1, "lower": min(r1, r2) - 1, "upper": max(r1, r2) - 1, "df": df}
    return fieller, delta


def lag1(x):
    x = np.asarray(x)
    d = x - x.mean()
    return float(np.sum(d[:-1] * d[1:]) / np.sum(d * d))


def bimodality(x):
    n = len(x)
    g1 = stats.skew(x, bias=False)
    g2 = stats.kurtosis(x, bias=False)
    return float((g1 * g1 + 1) / (g2 + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))))


def mde(t, c):
    z = stats.norm.isf(ALPHA / 2) + stats.norm.isf(0.2)
    se = math.sqrt(np.var(c, ddof=1) / len(c) + np.var(t, ddof=1) / len(t))
    return float(z * se / abs(np.mean(c)))


def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    raw = p[order] * np.arange(m, 0, -1)
    adj = np.minimum(np.maximum.accumulate(raw), 1.0)
    out = np.empty(m)
    out[order] = adj
    return [float(v) for v in out]


def main():
    rng = np.random.default_rng(SEED)
    cases = []

    def add(name, c, t):
        c = [float(v) for v in c]
        t = [float(v) for v in t]
        tc, cc = np.asarray(t), np.asarray(c)
        fieller, delta = relative(tc, cc)
        cases.append({"name": name, "control": c, "treatment": t, "expected": {
            "fieller": fieller, "delta": delta, "lag1_control": lag1(cc),
            "bimodality_treatment": bimodality(tc), "mde": mde(tc, cc)}})

    add("normal_5pct_40x50", rng.normal(100, 10, 40), rng.normal(105, 12, 50))
    add("lognormal_latency_500x400", 20 * rng.lognormal(0, 0.5, 500), 21 * rng.lognormal(0, 0.5, 400))
    add("small_noisy_5x6", rng.normal(10, 4, 5), rng.normal(12, 3, 6))
    add("large_precise_5000x5000", rng.normal(250, 5, 5000), rng.normal(249, 5, 5000))
    add("throughput_negative_shift_30x30", rng.normal(1000, 50, 30), rng.normal(900, 80, 30))
    add("ar1_control_300x300", 50 + np.cumsum(rng.normal(0, 1, 300)) * 0.1 + rng.normal(0, 1, 300),
        rng.normal(50, 1, 300))
    add("bimodal_treatment_200x200", rng.normal(30, 3, 200),
        np.concatenate([rng.normal(20, 2, 100), rng.normal(40, 2, 100)]))
    add("unbounded_fieller_10x10", rng.normal(0.5, 3, 10), rng.normal(2, 3, 10))
    add("negative_control_mean_20x20", rng.normal(-50, 5, 20), rng.normal(-45, 5, 20))

    adjust = []

    def add_p(name, p):
        p = [float(v) for v in p]
        bh = [float(v) for v in stats.false_discovery_control(p, method="bh")]
        adjust.append({"name": name, "p": p, "holm": holm(p), "bh": bh})

    add_p("four", [0.01, 0.04, 0.03, 0.5])
    add_p("one", [0.03])
    add_p("ties", [0.02, 0.02, 0.02, 0.9, 0.001])
    add_p("clipped", [0.4, 0.6, 0.8, 0.9, 0.95, 1.0])
    add_p("random_50", rng.uniform(0, 1, 50) ** 3)
    add_p("tiny", [1e-12, 3e-10, 0.004, 0.2, 0.049])

    doc = {"generator": "scripts/reference/gen_ab.py", "numpy": np.__version__,
           "scipy": scipy.__version__, "seed": SEED, "confidence": CONFIDENCE, "alpha": ALPHA,
           "cases": cases, "adjust": adjust}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases, {len(adjust)} adjust cases)")


if __name__ == "__main__":
    main()
