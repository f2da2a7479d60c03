#!/usr/bin/env python3
"""Reference fixture for `perfstat_stats::compare` (the `perfstat ab` tests).

Writes crates/stats/tests/fixtures/compare.json: for each case the control and
treatment values (full repr precision) and
- welch_t: scipy.stats.ttest_ind(treatment, control, equal_var=False), with
  the mean-difference interval of its confidence_interval(CONFIDENCE);
- mann_whitney_u: scipy.stats.mannwhitneyu(treatment, control,
  alternative="two-sided") (default method="auto"; the method it chose);
- cohens_d / hedges_g with the Hedges & Olkin normal-approximation interval
  (see docs/numerics.md), computed here independently.
`null` where perfstat reports the statistic as undefined. Deterministic.

Usage: python3 scripts/reference/gen_compare.py
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

SEED = 20240612
CONFIDENCE = 0.95
OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/tests/fixtures/compare.json"


def mwu_method(t, c):
    # scipy 1.17 _mwu_choose_method: asymptotic if both > 8 or any ties
    ties = len(np.unique(np.concatenate([t, c]))) < len(t) + len(c)
    return "asymptotic" if (len(t) > 8 and len(c) > 8) or ties else "exact"


def effect_sizes(t, c):
    nt, nc = len(t), len(c)
    if nt < 2 or nc < 2:
        return None, None
    pooled = ((nt - 1) * np.var(t, ddof=1) + (nc - 1) * np.var(c, ddof=1)) / (nt + nc - 2)
    if pooled <= 0:
        return None, None
    d = (np.mean(t) - np.mean(c)) / math.sqrt(pooled)
    n = nt + nc
    se = math.sqrt(n / (nt * nc) + d * d / (2 * n))
    z = stats.norm.isf((1 - CONFIDENCE) / 2)
    j = 1 - 3 / (4 * n - 9)
    dd = {"estimate": float(d), "lower": float(d - z * se), "upper": float(d + z * se)}
    gg = {k: float(j * v) for k, v in dd.items()}
    return dd, gg


def expected(t, c):
    t, c = np.asarray(t), np.asarray(c)
    e = {}
    r = stats.ttest_ind(t, c, equal_var=False)
    if len(t) >= 2 and len(c) >= 2 and math.isfinite(r.statistic):
        ci = r.confidence_interval(CONFIDENCE)
        e["welch_t"] = {
            "statistic": float(r.statistic), "df": float(r.df), "p_value": float(r.pvalue),
            "mean_difference": {"estimate": float(np.mean(t) - np.mean(c)),
                                "lower": float(ci.low), "upper": float(ci.high)},
        }
    else:
        e["welch_t"] = None
    if len(np.unique(np.concatenate([t, c]))) == 1:
        e["mann_whitney_u"] = None
    else:
        r = stats.mannwhitneyu(t, c, alternative="two-sided")
        e["mann_whitney_u"] = {"statistic": float(r.statistic), "p_value": float(r.pvalue),
                               "method": mwu_method(t, c)}
    e["cohens_d"], e["hedges_g"] = effect_sizes(t, c)
    return e


def main():
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(SEED)
    cases = []

    def add(name, c, t):
        cases.append({"name": name, "control": [float(v) for v in c],
                      "treatment": [float(v) for v in t]})

    # continuous, no ties: exact for small, asymptotic for large
    for nc, nt in [(2, 2), (3, 8), (5, 4), (8, 8), (8, 50), (200, 5), (9, 9), (30, 40), (500, 600), (2000, 2000)]:
        add(f"normal_shift_{nc}x{nt}", rng.normal(100, 10, nc), rng.normal(104, 12, nt))
    for nc, nt in [(4, 6), (7, 300), (50, 60), (1000, 800)]:
        add(f"lognormal_{nc}x{nt}", 20 * rng.lognormal(0, 0.5, nc), 18 * rng.lognormal(0, 0.6, nt))
    add("identical_dist_100x100", rng.normal(50, 5, 100), rng.normal(50, 5, 100))
    add("separated_6x7", rng.normal(10, 1, 6), rng.normal(30, 1, 7))
    # ties (rounded latencies): asymptotic with tie correction, small and large
    for nc, nt in [(5, 6), (8, 8), (40, 30), (400, 500)]:
        add(f"rounded_ties_{nc}x{nt}", np.round(rng.lognormal(2, 0.3, nc)), np.round(rng.lognormal(2.1, 0.3, nt)))
    add("ties_within_one_small_3x4", [1.0, 2.0, 2.0], [3.0, 4.0, 5.0, 6.0])
    add("control_constant_5x5", [7.0] * 5, rng.normal(8, 1, 5))
    add("both_constant_diff_4x4", [7.0] * 4, [9.0] * 4)
    add("all_equal_3x3", [2.5] * 3, [2.5] * 3)
    add("single_control_1x5", [3.0], rng.normal(4, 1, 5))
    for case in cases:
        case["expected"] = expected(case["treatment"], case["control"])
    doc = {"generator": "scripts/reference/gen_compare.py", "numpy": np.__version__,
           "scipy": scipy.__version__, "seed": SEED, "confidence": CONFIDENCE, "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
