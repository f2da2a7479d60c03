#!/usr/bin/env python3
"""Reference fixture for `perfstat_stats::hierarchical` (`perfstat ab` over repeated runs).

Writes crates/stats/tests/fixtures/hierarchical.json: seeded two-level data (runs of requests,
x_ij = mu + b_i + e_ij, lognormal request noise) and, per arm, computed here independently with
numpy/scipy:
- the one-way random-effects ANOVA: MSW, MSB, n0 = (N - sum n_i^2 / N)/(k - 1), sigma_W^2 = MSW
  with the chi2(N - k) interval, sigma_B^2 = (MSB - MSW)/n0 with the Satterthwaite interval
  (nu = (MSB - MSW)^2 / (MSB^2/(k-1) + MSW^2/(N-k)), scipy.stats.chi2.ppf), the ICC with the
  F interval of Searle (1971) (scipy.stats.f.ppf), the effective n = N/(1 + (n0 - 1) ICC);
- the per-run mean, median, p95, p99 (numpy.percentile, method="linear");
and per case Welch's t-test on the per-run statistic
(scipy.stats.ttest_ind(t, c, equal_var=False), its confidence_interval). `null` where perfstat
reports the value as undefined. Deterministic.

Usage: python3 scripts/reference/gen_hierarchical.py
"""

import json
import math
import pathlib

import numpy as np
from scipy import stats

SEED = 20261202
CONFIDENCE = 0.95
OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/stats/tests/fixtures/hierarchical.json"
STATS = {"mean": None, "median": 50, "p95": 95, "p99": 99}


def arm(rng, mu, sd_between, sd_within, sizes):
    runs = []
    for n in sizes:
        b = rng.normal(0.0, sd_between)
        runs.append([float(v) for v in mu + b + sd_within * rng.lognormal(0.0, 0.5, n)])
    return runs


def components(runs):
    a = 1.0 - CONFIDENCE
    k = len(runs)
    sizes = np.array([len(r) for r in runs], dtype=float)
    N = sizes.sum()
    means = np.array([np.mean(r) for r in runs])
    grand = np.concatenate([np.array(r) for r in runs]).mean()
    ssw = sum(((np.array(r) - m) ** 2).sum() for r, m in zip(runs, means))
    ssb = float((sizes * (means - grand) ** 2).sum())
    n0 = (N - (sizes**2).sum() / N) / (k - 1)
    dfw, dfb = N - k, k - 1
    msw, msb = ssw / dfw, ssb / dfb
    within = [msw, ssw / stats.chi2.ppf(1 - a / 2, dfw), ssw / stats.chi2.ppf(a / 2, dfw)]
    raw = (msb - msw) / n0
    if raw > 0:
        nu = (msb - msw) ** 2 / (msb**2 / dfb + msw**2 / dfw)
        between = [raw, nu * raw / stats.chi2.ppf(1 - a / 2, nu), nu * raw / stats.chi2.ppf(a / 2, nu)]
    else:
        between = None
    F = msb / msw
    fl = F / stats.f.ppf(1 - a / 2, dfb, dfw)
    fu = F / stats.f.ppf(a / 2, dfb, dfw)
    clip = lambda x: min(1.0, max(0.0, x))
    icc_of = lambda f: clip((f - 1) / (f + n0 - 1))
    rawp = max(raw, 0.0)
    icc = [rawp / (rawp + msw), icc_of(fl), icc_of(fu)]
    return {
        "n0": n0,
        "within": within,
        "between_raw": raw,
        "between": between,
        "icc": icc,
        "effective_n": N / (1 + (n0 - 1) * icc[0]),
    }


def run_stat(r, name):
    p = STATS[name]
    return float(np.mean(r)) if p is None else float(np.percentile(r, p, method="linear"))


def case(name, rng, c_sizes, t_sizes, sd_between, shift):
    c = arm(rng, 100.0, sd_between, 10.0, c_sizes)
    t = arm(rng, 100.0 + shift, sd_between, 10.0, t_sizes)
    out = {
        "name": name,
        "control": c,
        "treatment": t,
        "control_components": components(c),
        "treatment_components": components(t),
        "run_stats": {},
        "welch": {},
    }
    for s in STATS:
        cs = [run_stat(r, s) for r in c]
        ts = [run_stat(r, s) for r in t]
        out["run_stats"][s] = {"control": cs, "treatment": ts}
        res = stats.ttest_ind(ts, cs, equal_var=False)
        ci = res.confidence_interval(CONFIDENCE)
        out["welch"][s] = {
            "statistic": float(res.statistic),
            "df": float(res.df),
            "p_value": float(res.pvalue),
            "lower": float(ci.low),
            "upper": float(ci.high),
        }
    return out


def main():
    rng = np.random.default_rng(SEED)
    cases = [
        case("balanced_icc_high", rng, [40] * 5, [40] * 5, 6.0, 3.0),
        case("unbalanced", rng, [12, 30, 55, 21], [18, 44, 9], 3.0, -2.0),
        case("no_between_variance", rng, [25] * 6, [25] * 6, 0.0, 0.0),
    ]
    quantiles = {
        "chi2": [[p, df, float(stats.chi2.ppf(p, df))] for p, df in [(0.025, 3.0), (0.975, 7.5), (0.5, 200.0), (0.975, 1.0)]],
        "f": [[p, a, b, float(stats.f.ppf(p, a, b))] for p, a, b in [(0.025, 4.0, 195.0), (0.975, 4.0, 195.0), (0.5, 1.0, 1.0), (0.975, 2.5, 30.0)]],
    }
    doc = {"confidence": CONFIDENCE, "cases": cases, "quantiles": quantiles}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
