#!/usr/bin/env python3
"""Change points of `perfstat regress` on generated families, scored as TCPDBench scores.

Families (lengths 80-400, seeded): steps, trends, random walks, seasonal, quantized (sticky
integer values), spikes, heavy tails (Student t, 3 df), multivariate (3-5 columns that change
together) and mixtures (trend + season + AR(1) noise + steps). A trend or a random walk has no
true change point (it is a drift); the other families have 0-3 level shifts.

Scores follow van den Burg & Williams (2020, "An Evaluation of Change Point Detection
Algorithms", TCPDBench analysis/scripts/metrics.py): F1 with a margin of 5 and the segment
covering, where index 0 counts as a change point of both the prediction and the truth (so a
detector that reports nothing scores F1 = 2/(2+k) on a series with k true changes). Here each
series has one "annotator", the generator's truth. The definitions are re-implemented below.

Peers, in the same run on the same series (z-scored first, as TCPDBench does):
- ruptures 1.1 `Pelt(model="l2", min_size=2, jump=5)` and `Binseg(model="l2", min_size=2,
  jump=5)`, penalty BIC = d·ln n (σ = 1 after z-scoring; ruptures has no default penalty,
  this is the one its documentation's examples use);
- Apache Otava 0.8 `compute_change_points(window_len=50, max_pvalue=0.001)` (its defaults),
  univariate only (a multivariate series: the union over columns).
perfstat: the release binary, one history CSV per series (`perfstat regress h.csv --format
json --fail-on never`), the per-metric `change_points` united.

    cargo build --release
    pip install ruptures apache-otava
    python3 scripts/bench/regress_families.py [--series 40] [--seed 1] [--noise 300]
"""
import argparse
import csv
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "release" / "perfstat"
MARGIN = 5


# ---- TCPDBench metrics (same definitions, own code) ----

def _true_positives(truth, pred, margin=MARGIN):
    pred = set(pred)
    tp = set()
    for t in sorted(truth):
        close = sorted((abs(t - x), x) for x in pred if abs(t - x) <= margin)
        if close:
            tp.add(t)
            pred.remove(close[0][1])
    return tp


def f1(truth, pred, margin=MARGIN):
    t = set(truth) | {0}
    x = set(pred) | {0}
    p = len(_true_positives(t, x, margin)) / len(x)
    r = len(_true_positives(t, x, margin)) / len(t)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _partition(cps, n):
    bounds = [0] + sorted(c for c in set(cps) if 0 < c < n) + [n]
    return [set(range(a, b)) for a, b in zip(bounds, bounds[1:]) if b > a]


def cover(truth, pred, n):
    s_true = _partition(truth, n)
    s_pred = _partition(pred, n)
    c = 0.0
    for r in s_true:
        c += len(r) * max(len(r & q) / len(r | q) for q in s_pred)
    return c / n


# ---- families ----

def _shifts(rng, n, kmax=3, gap=15):
    k = int(rng.integers(0, kmax + 1))
    out = []
    for _ in range(500):
        if len(out) == k:
            break
        c = int(rng.integers(10, n - 10))
        if all(abs(c - s) >= gap for s in out):
            out.append(c)
    return sorted(out)


def _level(rng, n, cps, lo=0.1, hi=0.4):
    lev = np.ones(n)
    for c in cps:
        lev[c:] *= 1 + rng.uniform(lo, hi) * rng.choice([-1, 1])
    return lev


def steps(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n)
    cv = rng.uniform(0.01, 0.05)
    x = 100 * _level(rng, n, cps) * (1 + cv * rng.standard_normal(n))
    return x[:, None], cps


def trends(rng):
    n = int(rng.integers(80, 401))
    t = np.arange(n)
    total = rng.uniform(0.2, 2.0) * rng.choice([-1, 1])
    cv = rng.uniform(0.002, 0.03)
    x = 100 * (1 + max(total, -0.8) * t / n) * (1 + cv * rng.standard_normal(n))
    if rng.random() < 0.5:  # a curved trend (growth)
        x = 100 * np.exp(rng.uniform(0.3, 2.0) * t / n) * (1 + cv * rng.standard_normal(n))
    return x[:, None], []


def random_walks(rng):
    n = int(rng.integers(80, 401))
    step = rng.uniform(0.005, 0.03)
    x = 100 * np.exp(np.cumsum(step * rng.standard_normal(n)))
    return x[:, None], []


def seasonal(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n, kmax=2, gap=24)
    period = int(rng.choice([7, 12, 24]))
    cv = rng.uniform(0.01, 0.03)
    amp = rng.uniform(0.02, 0.08)
    t = np.arange(n)
    x = 100 * _level(rng, n, cps, 0.2, 0.5) * (1 + amp * np.sin(2 * np.pi * t / period)
                                               + cv * rng.standard_normal(n))
    return x[:, None], cps


def quantized(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n)
    base = rng.uniform(3, 20)
    lev = base * _level(rng, n, cps, 0.25, 0.6)
    x = np.round(lev + rng.uniform(0.2, 0.6) * rng.standard_normal(n))
    return x[:, None], cps


def spikes(rng):
    x, cps = steps(rng)
    n = len(x)
    hit = rng.random(n) < 0.03
    x[hit, 0] *= rng.uniform(1.3, 2.0, hit.sum())
    return x, cps


def heavy_tails(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n)
    cv = rng.uniform(0.01, 0.03)
    x = 100 * _level(rng, n, cps, 0.15, 0.4) * (1 + cv * rng.standard_t(3, n))
    return x[:, None], cps


def multivariate(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n)
    d = int(rng.integers(3, 6))
    cols = []
    for _ in range(d):
        lev = np.ones(n)
        for c in cps:
            if rng.random() < 0.7:
                lev[c:] *= 1 + rng.uniform(0.05, 0.3) * rng.choice([-1, 1])
        cv = rng.uniform(0.01, 0.04)
        cols.append(rng.uniform(10, 1000) * lev * (1 + cv * rng.standard_normal(n)))
    return np.column_stack(cols), cps


def mixtures(rng):
    n = int(rng.integers(80, 401))
    cps = _shifts(rng, n, kmax=2, gap=24)
    t = np.arange(n)
    e = np.zeros(n)
    phi = rng.uniform(0.0, 0.5)
    z = rng.standard_normal(n)
    for i in range(n):
        e[i] = (phi * e[i - 1] if i else 0.0) + z[i]
    cv = rng.uniform(0.005, 0.02)
    x = 100 * _level(rng, n, cps, 0.2, 0.5) * (1 + rng.uniform(-0.3, 0.3) * t / n
                                               + rng.uniform(0, 0.04) * np.sin(2 * np.pi * t / 12)
                                               + cv * e)
    return x[:, None], cps


FAMILIES = [("steps", steps), ("trends", trends), ("random_walks", random_walks),
            ("seasonal", seasonal), ("quantized", quantized), ("spikes", spikes),
            ("heavy_tails", heavy_tails), ("multivariate", multivariate), ("mixtures", mixtures)]


# ---- detectors ----

def run_perfstat(x, extra=()):
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "h.csv"
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["run"] + [f"m{j}" for j in range(x.shape[1])])
            for i, row in enumerate(x):
                w.writerow([i] + [repr(float(v)) for v in row])
        out = subprocess.run([str(BIN), "regress", str(path), "--format", "json", "--fail-on",
                              "never", *extra], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"perfstat failed: {out.stderr}")
    doc = json.loads(out.stdout)
    found = set()
    for m in doc["metrics"]:
        found.update(cp["index"] for cp in m["change_points"])
    return sorted(found)


def _z(x):
    sd = x.std(axis=0)
    sd[sd == 0] = 1
    return (x - x.mean(axis=0)) / sd


def run_ruptures(x, algo):
    import ruptures as rpt
    z = _z(x)
    n, d = z.shape
    cls = rpt.Pelt if algo == "pelt" else rpt.Binseg
    bkps = cls(model="l2", min_size=2, jump=5).fit(z).predict(pen=d * np.log(n))
    return [b for b in bkps if b < n]


def run_otava(x):
    from otava.analysis import compute_change_points
    found = set()
    for j in range(x.shape[1]):
        cps, _ = compute_change_points(list(map(float, x[:, j])), window_len=50, max_pvalue=0.001)
        found.update(cp.index for cp in cps)
    return sorted(found)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=40, help="series per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noise", type=int, default=300, help="pure-noise 300-run series")
    ap.add_argument("--perfstat-args", default="", help="extra regress flags")
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"{BIN} not found: run `cargo build --release` first")
    extra = a.perfstat_args.split()
    dets = {"perfstat": lambda x: run_perfstat(x, extra),
            "pelt": lambda x: run_ruptures(x, "pelt"),
            "binseg": lambda x: run_ruptures(x, "binseg")}
    try:
        import otava.analysis  # noqa: F401
        dets["otava"] = run_otava
    except ImportError:
        print("otava: not installed (pip install apache-otava)")
    names = list(dets)
    print(f"seed {a.seed}, {a.series} series per family, F1 (margin {MARGIN}) / cover, "
          "TCPDBench definitions")
    print(f"{'family':13s} " + " ".join(f"{n:>15s}" for n in names) + "   zero")
    totals = {n: [] for n in names + ["zero"]}
    secs = {n: 0.0 for n in names}
    for fi, (fam, gen) in enumerate(FAMILIES):
        rng = np.random.default_rng([a.seed, fi])
        data = [gen(rng) for _ in range(a.series)]
        cells = []
        for name in names:
            fs, cs = [], []
            t0 = time.perf_counter()
            for x, truth in data:
                pred = dets[name](x)
                fs.append(f1(truth, pred))
                cs.append(cover(truth, pred, len(x)))
            secs[name] += time.perf_counter() - t0
            totals[name].append((np.mean(fs), np.mean(cs)))
            cells.append(f"{np.mean(fs):.3f} / {np.mean(cs):.3f}")
        zf = np.mean([f1(t, []) for _, t in data])
        zc = np.mean([cover(t, [], len(x)) for x, t in data])
        totals["zero"].append((zf, zc))
        print(f"{fam:13s} " + " ".join(f"{c:>15s}" for c in cells) + f"   {zf:.3f} / {zc:.3f}",
              flush=True)
    print(f"{'mean':13s} " + " ".join(
        f"{np.mean([v[0] for v in totals[n]]):.3f} / {np.mean([v[1] for v in totals[n]]):.3f}"
        .rjust(15) for n in names) + "   " +
        f"{np.mean([v[0] for v in totals['zero']]):.3f} / {np.mean([v[1] for v in totals['zero']]):.3f}")
    print("seconds       " + " ".join(f"{secs[n]:>15.1f}" for n in names))
    rng = np.random.default_rng([a.seed, 99])
    hits = sum(1 for _ in range(a.noise)
               if run_perfstat((100 * (1 + 0.02 * rng.standard_normal(300)))[:, None], extra))
    print(f"pure noise: {hits} of {a.noise} 300-run series with a change point "
          f"({hits / max(a.noise, 1):.1%})")


if __name__ == "__main__":
    main()
