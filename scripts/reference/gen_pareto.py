#!/usr/bin/env python3
"""Reference fixtures for crates/pareto: ranks, crowding distances and hypervolumes
from pymoo 0.6.2 (which calls moocore), on deterministic data.

Usage: python3 scripts/reference/gen_pareto.py   (writes crates/pareto/tests/fixtures/*.json)

Each fixture: points in the objectives' own units with per-objective directions;
for pymoo, max objectives are negated (that is what perfstat does internally).
- ranks: NonDominatedSorting().do(F, return_rank=True)[1] (0-based)
- crowding: per front (indices ascending, as pymoo's RankAndCrowding passes
  them), get_crowding_function("cd").do(F[front]); inf -> null
- hypervolume: HV(ref_point=r)(F[first front]) for each reference point (given in
  own units; negated for max objectives)
"""
import json, os, sys

import numpy as np
import pymoo
from pymoo.indicators.hv import HV
from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "pareto", "tests", "fixtures")


def to_min(X, dirs):
    sign = np.array([1.0 if d == "min" else -1.0 for d in dirs])
    return X * sign, sign


def case(name, X, dirs, refs):
    F, sign = to_min(X, dirs)
    fronts, rank = NonDominatedSorting().do(F, return_rank=True)
    cd = get_crowding_function("cd")
    crowd = [None] * len(F)
    for front in fronts:
        front = np.sort(front)
        d = cd.do(F[front])
        for i, v in zip(front, d):
            crowd[int(i)] = None if np.isinf(v) else float(v)
    first = np.sort(fronts[0])
    hvs = []
    for r in refs:
        r = np.asarray(r, dtype=float)
        value = float(HV(ref_point=r * sign)(F[first]))
        hvs.append({"reference": r.tolist(), "value": value})
    data = {
        "name": name,
        "generator": f"scripts/reference/gen_pareto.py, pymoo {pymoo.__version__}, numpy {np.__version__}",
        "directions": dirs,
        "points": X.tolist(),
        "ranks": [int(x) for x in rank],
        "crowding": crowd,
        "hypervolume": hvs,
    }
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"{name}: n={len(X)} m={X.shape[1]} fronts={len(fronts)} front0={len(first)}")


def refs_for(X, dirs):
    """Worst corner + 10% of range (everything counts), and the median (only some points count)."""
    out = []
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    worst = [h + 0.1 * s if d == "min" else l - 0.1 * s for l, h, s, d in zip(lo, hi, span, dirs)]
    out.append(worst)
    out.append(np.median(X, axis=0).tolist())
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240604)
    for m, n in [(2, 300), (3, 300), (4, 250), (5, 150)]:
        dirs = ["min"] * m
        X = rng.random((n, m))
        case(f"uniform_m{m}", X, dirs, refs_for(X, dirs))
        # ties and exact duplicates: integer values 0..5
        X = rng.integers(0, 6, size=(n, m)).astype(float)
        case(f"ties_m{m}", X, dirs, refs_for(X, dirs))
        # mixed directions, realistic scales, some duplicated rows
        dirs = ["min", "max", "min", "max", "max"][:m]
        X = rng.random((n, m)) * np.array([0.01, 5000.0, 800.0, 1.0, 64.0])[:m]
        X[: n // 10] = X[n // 10 : 2 * (n // 10)]  # duplicates
        X = np.round(X, 3)
        case(f"mixed_m{m}", X, dirs, refs_for(X, dirs))
    # points on a simplex (large first front), 3 and 4 objectives
    for m, n in [(3, 200), (4, 200)]:
        X = rng.random((n, m))
        X = X / X.sum(axis=1, keepdims=True)
        dirs = ["min"] * m
        case(f"simplex_m{m}", X, dirs, refs_for(X, dirs))
    # a larger set with heavy ties for ranks (3 and 4 objectives)
    for m, n in [(3, 3000), (4, 2000)]:
        X = rng.integers(0, 20, size=(n, m)).astype(float)
        dirs = ["min", "max", "min", "max"][:m]
        case(f"ties_large_m{m}", X, dirs, refs_for(X, dirs))
    # degenerate: one objective constant (zero range) and tiny fronts
    X = np.column_stack([rng.random(40), np.full(40, 3.0), rng.random(40)])
    case("constant_column_m3", X, ["min", "min", "max"], refs_for(X, ["min", "min", "max"]))
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0], [3.0, 3.0], [4.0, 4.0]])
    case("tiny_m2", X, ["min", "min"], [[5.0, 5.0], [3.0, 3.0]])


if __name__ == "__main__":
    sys.exit(main())
