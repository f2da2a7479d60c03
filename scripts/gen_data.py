#!/usr/bin/env python3
"""Generates the example inputs in data/ (deterministic: fixed seed).

    python3 scripts/gen_data.py

data/run.csv — one load-test run as a per-request log: 3 000 requests to three
endpoints with log-normal latencies, a slow tail and a few timeouts.

data/control.csv, data/treatment.csv — the same service before and after a
change, 2 400 requests each: the change makes GET /search 12 % faster at the
median, leaves GET /item alone, and makes POST /order's tail heavier.
"""
import csv
import datetime
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def run_csv(path, rng):
    endpoints = {
        # name: (share, median ms, log-sd)
        "GET /products": (0.6, 42.0, 0.35),
        "GET /cart": (0.3, 65.0, 0.45),
        "POST /checkout": (0.1, 180.0, 0.55),
    }
    names = list(endpoints)
    shares = np.array([endpoints[n][0] for n in names])
    n = 3000
    t0 = 1_764_000_000_000
    ts = t0 + np.sort(rng.integers(0, 300_000, size=n))
    which = rng.choice(len(names), size=n, p=shares)
    rows = []
    for t, w in zip(ts, which):
        name = names[w]
        _, med, sd = endpoints[name]
        lat = rng.lognormal(np.log(med), sd)
        status = 200
        if rng.random() < 0.004:  # a rare slow path: GC pause or cold cache
            lat *= rng.uniform(4, 8)
        if rng.random() < 0.002:
            lat, status = 5000.0, 504
        rows.append((int(t), name, round(float(lat), 3), status))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["timestamp_ms", "endpoint", "latency_ms", "status"])
        w.writerows(rows)


def ab_csv(path, rng, endpoints, n, t0):
    """endpoints: name -> (share, median ms, log-sd, tail probability, tail factor)."""
    names = list(endpoints)
    shares = np.array([endpoints[e][0] for e in names])
    ts = t0 + np.sort(rng.integers(0, 600_000, size=n))
    which = rng.choice(len(names), size=n, p=shares)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["timestamp", "endpoint", "latency_ms"])
        for t, k in zip(ts, which):
            name = names[k]
            _, med, sd, tail_p, tail_f = endpoints[name]
            lat = rng.lognormal(np.log(med), sd)
            if rng.random() < tail_p:
                lat *= tail_f
            stamp = datetime.datetime.fromtimestamp(int(t) / 1000, datetime.timezone.utc)
            w.writerow([stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"), name, round(float(lat), 3)])


def main():
    rng = np.random.default_rng(20261125)
    run_csv(os.path.join(ROOT, "data", "run.csv"), rng)
    control = {
        "GET /search": (0.5, 95.0, 0.30, 0.01, 3.0),
        "GET /item": (0.35, 40.0, 0.25, 0.01, 3.0),
        "POST /order": (0.15, 210.0, 0.35, 0.01, 3.0),
    }
    treatment = {
        "GET /search": (0.5, 83.6, 0.30, 0.01, 3.0),
        "GET /item": (0.35, 40.0, 0.25, 0.01, 3.0),
        "POST /order": (0.15, 212.0, 0.35, 0.04, 3.5),
    }
    ab_csv(os.path.join(ROOT, "data", "control.csv"), rng, control, 2400, 1_764_000_000_000)
    ab_csv(os.path.join(ROOT, "data", "treatment.csv"), rng, treatment, 2400, 1_764_003_600_000)


if __name__ == "__main__":
    main()
