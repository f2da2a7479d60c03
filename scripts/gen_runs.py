#!/usr/bin/env python3
"""Generates the example repeated runs in data/runs/ (deterministic: fixed seed).

    python3 scripts/gen_runs.py

data/runs/control/run-1.csv … run-5.csv, data/runs/treatment/run-1.csv … run-5.csv — five load-test
runs of a service before and after a change, 400 requests each (`latency_ms`, log-normal). Each run
has its own level (a run effect of about 6 % standard deviation: warm caches, the neighbour's noise),
so requests within a run are correlated (ICC ≈ 0.2). The change makes the service 3 % slower: the
per-request test on one run of each calls almost anything a change, the run-level test sees the
3 % against the run-to-run spread. `perfstat ab --control data/runs/control --treatment
data/runs/treatment` compares them (reports/ab-runs).
"""
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RUNS, REQUESTS = 5, 400


def main():
    rng = np.random.default_rng(20261202)
    for arm, level in [("control", 100.0), ("treatment", 103.0)]:
        folder = os.path.join(ROOT, "data", "runs", arm)
        os.makedirs(folder, exist_ok=True)
        for i in range(1, RUNS + 1):
            run_level = level * np.exp(rng.normal(0.0, 0.06))
            values = run_level * rng.lognormal(0.0, 0.12, REQUESTS)
            with open(os.path.join(folder, f"run-{i}.csv"), "w") as f:
                f.write("latency_ms\n")
                f.writelines(f"{v:.3f}\n" for v in values)


if __name__ == "__main__":
    main()
