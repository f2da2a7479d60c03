#!/usr/bin/env python3
"""Reference fixtures for crates/capacity: Universal Scalability Law fits by
scipy.optimize.curve_fit on deterministic (load, throughput) points.

Usage: python3 scripts/reference/gen_capacity.py
       (writes crates/capacity/tests/fixtures/usl.json)

Model: X(N) = lam*N / (1 + sigma*(N-1) + kappa*N*(N-1)), unweighted least
squares, no bounds (method "lm", MINPACK), absolute_sigma=False, started from
the linearisation N/X = a + b(N-1) + cN(N-1), with the analytic Jacobian
(MINPACK's forward differences would put ~1e-7 of noise into pcov), and run
to machine precision
(ftol = xtol = gtol = 1e-15) so that the optimum, not scipy's stopping rule,
is compared. Recorded per case: popt, pcov, perr = sqrt(diag(pcov)), R^2,
t intervals at 95 % (scipy.stats.t.ppf(0.975, m - 3)), and the peak
N* = sqrt((1 - sigma)/kappa) with X(N*) when kappa > 0.
"""
import json, os

import numpy as np
import scipy
from scipy.optimize import curve_fit
from scipy.stats import t as student_t

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "capacity", "tests", "fixtures")


def usl(n, lam, sigma, kappa):
    return lam * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))


def usl_jac(n, lam, sigma, kappa):
    d = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0)
    xd = lam * n / d**2
    return np.column_stack([n / d, -xd * (n - 1.0), -xd * n * (n - 1.0)])


def start(n, x):
    A = np.column_stack([np.ones_like(n), n - 1.0, n * (n - 1.0)])
    a, b, c = np.linalg.lstsq(A, n / x, rcond=None)[0]
    return [1.0 / a, b / a, c / a]


def case(name, levels, params, noise, seed):
    rng = np.random.default_rng(seed)
    n = np.array(levels, dtype=float)
    x = usl(n, *params) * (1.0 + noise * rng.standard_normal(n.size))
    popt, pcov = curve_fit(usl, n, x, p0=start(n, x), jac=usl_jac, ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)
    resid = x - usl(n, *popt)
    ssr = float(resid @ resid)
    sst = float(((x - x.mean()) ** 2).sum())
    dof = n.size - 3
    perr = np.sqrt(np.diag(pcov))
    tq = float(student_t.ppf(0.975, dof))
    lam, sigma, kappa = popt
    peak = None
    if kappa > 0 and sigma < 1:
        ns = float(np.sqrt((1 - sigma) / kappa))
        peak = {"load": ns, "throughput": float(usl(ns, *popt))}
    return {
        "name": name,
        "true": list(params),
        "levels": n.tolist(),
        "throughput": x.tolist(),
        "popt": popt.tolist(),
        "pcov": pcov.tolist(),
        "perr": perr.tolist(),
        "ssr": ssr,
        "r_squared": 1 - ssr / sst,
        "t_quantile": tq,
        "intervals": [[float(p - tq * e), float(p + tq * e)] for p, e in zip(popt, perr)],
        "peak": peak,
    }


def main():
    cases = [
        case("retrograde", [1, 2, 4, 8, 16, 32, 64], (50.0, 0.03, 5e-4), 0.02, 1),
        case("six_levels", [1, 5, 10, 25, 50, 100], (10.0, 0.2, 0.01), 0.03, 2),
        case("amdahl", [1, 2, 4, 8, 16, 32, 64, 128], (100.0, 0.1, 0.0), 0.01, 3),
        case("linear", [1, 2, 4, 8, 16, 32], (20.0, 0.0, 0.0), 0.02, 4),
        case("four_levels", [2, 8, 32, 128], (5.0, 0.05, 1e-3), 0.02, 5),
        case("large_scale", [10, 50, 100, 200, 400, 800, 1600], (2000.0, 0.001, 2e-6), 0.015, 6),
        case("noisy", [1, 3, 9, 27, 81], (30.0, 0.08, 0.003), 0.08, 7),
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "usl.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "confidence": 0.95, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
