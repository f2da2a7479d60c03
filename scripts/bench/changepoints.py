#!/usr/bin/env python3
"""Change-point evaluation of `perfstat regress` against Apache Otava.

Generates series with known shifts (as issue 5 defines them: lengths 40-300,
0-3 shifts of +-5..40 % at least 10 runs apart and at least 6 runs from
either end, Gaussian noise with CV 1-5 %, 1 % of runs a +50 % single-run
spike) and pure-noise series (300 runs, 2 % noise), runs perfstat (release
binary, `perfstat regress --format json`, all series as the columns of one
wide CSV) and, when installed (`pip install apache-otava`), Otava's
`compute_change_points(window_len=50, max_pvalue=0.001)` on the same series.

Prints precision, recall and F1 (a detection within 2 runs of a true shift
counts; each true shift matches at most one detection), the share of pure-noise
series with any change point, and run times. Deterministic (seeded).

    cargo build --release
    python3 scripts/bench/changepoints.py [--series 500] [--seed 1] [--noise 200]
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
TOL = 2


def gen_series(rng, n=None):
    n = n or int(rng.integers(40, 301))
    k = int(rng.integers(0, 4))
    shifts = []
    for _ in range(200):
        if len(shifts) == k:
            break
        c = int(rng.integers(6, n - 6))
        if all(abs(c - s) >= 10 for s in shifts):
            shifts.append(c)
    shifts.sort()
    level = np.ones(n)
    for c in shifts:
        mag = rng.uniform(0.05, 0.40) * rng.choice([-1, 1])
        level[c:] *= 1 + mag
    cv = rng.uniform(0.01, 0.05)
    x = 100 * level * (1 + cv * rng.standard_normal(n))
    spikes = rng.random(n) < 0.01
    x[spikes] *= 1.5
    return x, shifts


def score(found, truth):
    tp = 0
    used = set()
    for t in truth:
        for j, f in enumerate(found):
            if j not in used and abs(f - t) <= TOL:
                used.add(j)
                tp += 1
                break
    return tp, len(found) - tp, len(truth) - tp


def run_perfstat(series):
    rows = max(len(s) for s in series)
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "h.csv"
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["run"] + [f"s{i}" for i in range(len(series))])
            for r in range(rows):
                w.writerow([r] + [repr(float(s[r])) if r < len(s) else "" for s in series])
        t0 = time.perf_counter()
        out = subprocess.run([str(BIN), "regress", str(path), "--format", "json", "--fail-on", "never"],
                             capture_output=True, text=True)
        dt = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"perfstat failed: {out.stderr}")
    doc = json.loads(out.stdout)
    found = [[cp["index"] for cp in m["change_points"]] for m in doc["metrics"]]
    return found, dt


def run_otava(series):
    try:
        from otava.analysis import compute_change_points
    except ImportError:
        return None, None
    found = []
    t0 = time.perf_counter()
    for s in series:
        cps, _ = compute_change_points(list(map(float, s)), window_len=50, max_pvalue=0.001)
        found.append(sorted(cp.index for cp in cps))
    return found, time.perf_counter() - t0


def report(name, found, truths, seconds):
    tp = fp = fn = 0
    for f, t in zip(found, truths):
        a, b, c = score(f, t)
        tp, fp, fn = tp + a, fp + b, fn + c
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{name:9s} F1 {f1:.3f}  precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})  {seconds:.2f} s")
    return f1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--noise", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"{BIN} not found: run `cargo build --release` first")
    rng = np.random.default_rng(a.seed)
    data = [gen_series(rng) for _ in range(a.series)]
    series = [d[0] for d in data]
    truths = [d[1] for d in data]
    print(f"{a.series} series with shifts (seed {a.seed}, {sum(map(len, truths))} true shifts), tolerance ±{TOL} runs")
    found, dt = run_perfstat(series)
    report("perfstat", found, truths, dt)
    ofound, odt = run_otava(series)
    if ofound is None:
        print("otava     not installed (pip install apache-otava)")
    else:
        report("otava", ofound, truths, odt)

    noise = [100 * (1 + 0.02 * rng.standard_normal(300)) for _ in range(a.noise)]
    found, dt = run_perfstat(noise)
    share = sum(1 for f in found if f) / len(noise)
    print(f"pure noise ({a.noise} series x 300 runs, 2 %): perfstat {share:.1%} with any change point ({dt:.2f} s)")
    ofound, odt = run_otava(noise)
    if ofound is not None:
        oshare = sum(1 for f in ofound if f) / len(noise)
        print(f"pure noise: otava {oshare:.1%} with any change point ({odt:.2f} s)")


if __name__ == "__main__":
    main()
