#!/usr/bin/env python3
"""Reference fixtures for crates/capacity: bounded Universal Scalability Law
fits by scipy.optimize.least_squares, the Amdahl comparison, predictions.

Usage: python3 scripts/reference/gen_capacity_bounded.py
       (writes crates/capacity/tests/fixtures/usl_bounded.json)

Model: X(N) = lam*N / (1 + sigma*(N-1) + kappa*N*(N-1)), least squares on
the throughputs (weighted by 1/sd^2 where a case has sd), bounds
lam >= 0, 0 <= sigma <= 1, 0 <= kappa <= 1 (R `usl`'s), by
least_squares(method="trf", bounds=...) with the analytic Jacobian and
ftol = xtol = gtol = 1e-15. TRF stays strictly inside the box, so a
parameter it leaves within 1e-9 of a bound (active_mask != 0) is held at the
bound and the others refitted with method="lm" (MINPACK) to machine
precision: that is the bounded optimum, recorded as popt.

Recorded: popt, the held parameters, the free parameters' standard errors
(pcov = s^2 (J_f^T J_f)^-1 with s^2 = SSR/(m-3)), the profile-likelihood
end of each held parameter's interval (profile SSR = SSR*(1 + t^2/(m-3)),
the other parameters refitted within the bounds, found by brentq), the
unbounded fit (curve_fit, as gen_capacity.py), Amdahl's fit (kappa = 0,
bounded sigma) with F = (SSR_A - SSR)/(SSR/(m-3)) and its p value, and
predictions with confidence and prediction intervals at given loads, and the
smallest load where the curve reaches 95 % of its peak with a delta-method
interval (gradient by central differences of a brentq root).
"""
import json, os

import numpy as np
import scipy
from scipy.optimize import brentq, least_squares
from scipy.stats import f as f_dist
from scipy.stats import t as student_t

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "capacity", "tests", "fixtures")
LO = np.array([0.0, 0.0, 0.0])
HI = np.array([np.inf, 1.0, 1.0])
TOL = dict(ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=100000)


def usl(n, lam, sigma, kappa):
    return lam * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))


def grad(n, lam, sigma, kappa):
    d = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0)
    xd = lam * n / d**2
    return np.column_stack([n / d, -xd * (n - 1.0), -xd * n * (n - 1.0)])


def start(n, x):
    A = np.column_stack([np.ones_like(n), n - 1.0, n * (n - 1.0)])
    ok = x > 0
    a, b, c = np.linalg.lstsq(A[ok], n[ok] / x[ok], rcond=None)[0]
    return np.array([1.0 / a, b / a, c / a])


def fit_free(n, x, sw, p0, free, bounded):
    """Least squares over the parameters where free is True, the others held at p0."""
    p0 = np.array(p0, dtype=float)
    idx = np.flatnonzero(free)

    def full(q):
        p = p0.copy()
        p[idx] = q
        return p

    fun = lambda q: sw * (x - usl(n, *full(q)))
    jac = lambda q: -(sw[:, None] * grad(n, *full(q)))[:, idx]
    q0 = p0[idx]
    if bounded:
        lo, hi = LO[idx], HI[idx]
        q0 = np.clip(q0, lo + 1e-12, np.minimum(hi - 1e-12, 1e300))
        r = least_squares(fun, q0, jac=jac, bounds=(lo, hi), method="trf", x_scale="jac", **TOL)
    else:
        r = least_squares(fun, q0, jac=jac, method="lm", **TOL)
    return full(r.x), float(r.fun @ r.fun), r


def bounded_fit(n, x, sw):
    p0 = np.clip(start(n, x), LO + 1e-9, [np.inf, 1 - 1e-9, 1 - 1e-9])
    if p0[0] <= 1e-9:
        p0[0] = (x / n).max()
    best = None
    for s in (p0, [(x / n).max(), 1e-6, 1e-9]):
        p, ssr, r = fit_free(n, x, sw, s, np.array([True] * 3), True)
        if best is None or ssr < best[1]:
            best = (p, ssr, r)
    p, ssr, r = best
    held = [None, None, None]
    for i in (1, 2):
        if abs(p[i] - LO[i]) < 1e-9:
            held[i] = 0.0
        elif abs(p[i] - HI[i]) < 1e-9:
            held[i] = 1.0
    q = p.copy()
    for i in (1, 2):
        if held[i] is not None:
            q[i] = held[i]
    free = np.array([h is None for h in held])
    popt, ssr, _ = fit_free(n, x, sw, q, free, False)
    return popt, ssr, held, free


def profile_end(n, x, sw, popt, ssr, i, bound, limit):
    """The far end of the profile-likelihood interval of parameter i held at bound."""
    others = np.array([j != i for j in range(3)])

    def prof(v):
        p = popt.copy()
        p[i] = v
        return fit_free(n, x, sw, p, others, True)[1] - limit

    other = 1.0 if bound == 0.0 else 0.0
    if prof(other) <= 0:
        return other
    return brentq(prof, bound, other, xtol=1e-300, rtol=1e-15, maxiter=500) if bound == 0.0 else brentq(
        prof, other, bound, xtol=1e-300, rtol=1e-15, maxiter=500)


def case(name, n, x, sd=None, predict=()):
    n = np.array(n, dtype=float)
    x = np.array(x, dtype=float)
    sw = np.ones_like(n) if sd is None else 1.0 / np.array(sd, dtype=float)
    m = n.size
    dof = m - 3
    tq = float(student_t.ppf(0.975, dof))
    popt, ssr, held, free = bounded_fit(n, x, sw)
    J = sw[:, None] * grad(n, *popt)
    Jf = J[:, free]
    s2 = ssr / dof
    pcov_f = s2 * np.linalg.inv(Jf.T @ Jf)
    pcov = np.zeros((3, 3))
    pcov[np.ix_(free, free)] = pcov_f
    perr = [float(np.sqrt(pcov[i, i])) if free[i] else None for i in range(3)]
    limit = ssr * (1.0 + tq * tq / dof)
    profile = [None, None, None]
    for i in (1, 2):
        if held[i] is not None:
            profile[i] = float(profile_end(n, x, sw, popt, ssr, i, held[i], limit))
    # Unbounded fit, as gen_capacity.py.
    ub, ub_ssr, _ = fit_free(n, x, sw, start(n, x), np.array([True] * 3), False)
    # Amdahl: kappa = 0, sigma bounded.
    if held[2] == 0.0:
        am, am_ssr = popt, ssr
    else:
        am, am_ssr, _ = fit_free(n, x, sw, [popt[0], max(popt[1], 1e-9), 0.0], np.array([True, True, False]), True)
        if am[1] < 1e-9:  # sigma held at 0 too: lambda alone, to machine precision
            am, am_ssr, _ = fit_free(n, x, sw, [am[0], 0.0, 0.0], np.array([True, False, False]), False)
    F = max((am_ssr - ssr) / (ssr / dof), 0.0)
    preds = []
    for N in predict:
        g = (sw[:1, None] * 0 + grad(np.array([float(N)]), *popt))[0]
        var = float(g @ pcov @ g)
        est = float(usl(N, *popt))
        ci = [est - tq * np.sqrt(var), est + tq * np.sqrt(var)]
        pi = None if sd is not None else [est - tq * np.sqrt(var + s2), est + tq * np.sqrt(var + s2)]
        preds.append({"load": float(N), "throughput": est, "confidence": ci, "prediction": pi})
    saturation = None
    if held[2] is None and popt[2] > 0 and popt[1] < 1:
        def sat(p):
            lam, sig, kap = p
            ns = np.sqrt((1 - sig) / kap)
            target = 0.95 * usl(ns, *p)
            return brentq(lambda v: usl(v, *p) - target, 1e-12, ns, xtol=1e-300, rtol=1e-15, maxiter=500)
        ns = sat(popt)
        g = np.zeros(3)
        for i in range(3):
            if not free[i]:
                continue
            h = 1e-5 * abs(popt[i])
            up, dn = popt.copy(), popt.copy()
            up[i] += h
            dn[i] -= h
            g[i] = (sat(up) - sat(dn)) / (2 * h)
        half = tq * np.sqrt(g @ pcov @ g)
        saturation = {"load": float(ns), "lower": float(ns - half), "upper": float(ns + half)}
    return {
        "name": name,
        "saturation": saturation,
        "levels": n.tolist(),
        "throughput": x.tolist(),
        "sd": None if sd is None else list(map(float, sd)),
        "popt": popt.tolist(),
        "held": held,
        "perr": perr,
        "ssr": ssr,
        "t_quantile": tq,
        "profile_end": profile,
        "unbounded": ub.tolist(),
        "unbounded_ssr": ub_ssr,
        "amdahl": am.tolist(),
        "amdahl_ssr": am_ssr,
        "f_statistic": F,
        "f_p_value": float(f_dist.sf(F, 1, dof)),
        "predictions": preds,
    }


def simulated(levels, params, noise, seed, want):
    """The first seed from `seed` on whose unbounded fit satisfies want(popt)."""
    n = np.array(levels, dtype=float)
    for s in range(seed, seed + 1000):
        rng = np.random.default_rng(s)
        x = usl(n, *params) * (1.0 + noise * rng.standard_normal(n.size))
        ub, _, _ = fit_free(n, x, np.ones_like(n), start(n, x), np.array([True] * 3), False)
        if want(ub):
            return n.tolist(), x.tolist()
    raise SystemExit("no seed")


def main():
    cases = []
    # Near-linear: the unbounded kappa is negative (the curve bends upwards).
    n, x = simulated([1, 2, 4, 8, 16, 32, 48, 64], (3.2, 0.01, 0.0), 0.02, 10, lambda p: p[2] < 0)
    cases.append(case("near_linear", n, x, predict=(96, 128)))
    # Superlinear start: the unbounded sigma is negative.
    n, x = simulated([1, 2, 4, 8, 16, 32], (50.0, 0.0, 2e-4), 0.03, 20, lambda p: p[1] < 0 and p[2] > 0)
    cases.append(case("noisy_superlinear", n, x, predict=(48,)))
    # Retrograde with a zero throughput at the top level (both bounds matter unbounded).
    cases.append(case("retrograde_zero", [1, 2, 3, 4, 5, 6, 8], [100.0, 180.0, 210.0, 190.0, 150.0, 90.0, 0.0], predict=(7,)))
    # Retrograde, inside the box: bounded == unbounded.
    n, x = simulated([1, 2, 4, 8, 16, 32, 64], (50.0, 0.03, 5e-4), 0.02, 1, lambda p: 0 < p[1] < 1 and 0 < p[2] < 1)
    cases.append(case("retrograde_inside", n, x, predict=(128,)))
    # Replicates with a standard deviation per point (weighted), near-linear.
    n = [1, 1, 2, 2, 4, 4, 8, 8, 16, 16]
    rng = np.random.default_rng(40)
    tru = usl(np.array(n, dtype=float), 10.0, 0.0, 0.0)
    sd = 0.03 * tru
    x = tru + sd * rng.standard_normal(len(n))
    cases.append(case("weighted_replicates", n, x.tolist(), sd=sd.tolist(), predict=(32,)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "usl_bounded.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "confidence": 0.95, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
