#!/usr/bin/env python3
"""Reference values for perfstat_regress::drift::trend.

Theil-Sen slope, intercept and 95 % slope interval from scipy.stats.theilslopes (method
"separate"); Mann-Kendall S, Var S, tau, z and p with the Hamed & Rao (1998) correction from
pymannkendall.hamed_rao_modification_test. Series: a noisy trend, white noise, an AR(1)
(phi 0.7) series, a random walk, integer (tied) values with a trend, a constant-ish series.
Writes crates/regress/tests/fixtures/drift.json. Deterministic.

    pip install -r scripts/reference/requirements.txt
    python3 scripts/reference/gen_drift.py
"""
import json
import pathlib

import numpy as np
import pymannkendall as mk
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/regress/tests/fixtures/drift.json"


def series():
    rng = np.random.default_rng(20261202)
    out = {}
    n = 60
    out["trend"] = 100 + 0.3 * np.arange(n) + rng.standard_normal(n)
    out["noise"] = 50 + rng.standard_normal(80)
    e = rng.standard_normal(120)
    ar = np.zeros(120)
    for i in range(120):
        ar[i] = (0.7 * ar[i - 1] if i else 0) + e[i]
    out["ar1"] = 10 + ar
    out["random_walk"] = 100 + np.cumsum(rng.standard_normal(150))
    out["ties"] = np.round(5 + 0.02 * np.arange(90) + 0.6 * rng.standard_normal(90))
    out["short"] = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0])
    return out


def main():
    cases = []
    for name, y in series().items():
        y = [float(v) for v in y]
        ts = stats.theilslopes(y)
        hr = mk.hamed_rao_modification_test(y)
        cases.append({
            "name": name,
            "y": y,
            "slope": float(ts.slope),
            "intercept": float(ts.intercept),
            "slope_low": float(ts.low_slope),
            "slope_high": float(ts.high_slope),
            "s": float(hr.s),
            "var_s": float(hr.var_s),
            "tau": float(hr.Tau),
            "z": float(hr.z),
            "p_value": float(hr.p),
        })
    OUT.write_text(json.dumps({
        "generator": "scripts/reference/gen_drift.py",
        "numpy": np.__version__, "scipy": scipy.__version__,
        "pymannkendall": getattr(mk, "__version__", "1.4.3"),
        "cases": cases,
    }, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
