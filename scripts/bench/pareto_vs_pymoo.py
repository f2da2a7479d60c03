#!/usr/bin/env python3
"""Times perfstat's non-dominated sorting against pymoo's NonDominatedSorting on
the same data in the same run, and checks that the ranks are identical.

Usage: python3 scripts/bench/pareto_vs_pymoo.py [--quick] [--repeat R]

Builds `crates/pareto/examples/rank_file.rs` with --release, generates uniform
random points (numpy seed 2024 + size), writes them as raw little-endian f64,
runs `rank_file` (ranking time measured inside the binary, file I/O excluded)
and pymoo 0.6.2 (which calls moocore's compiled `pareto_rank`; time of `.do()`).
Both are single-threaded. Best of R runs each (default 1 for the big sizes).
"""
import argparse, os, subprocess, sys, tempfile, time

import numpy as np
import pymoo
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIZES = [(10_000, 2), (100_000, 2), (1_000_000, 2),
         (10_000, 3), (100_000, 3), (1_000_000, 3),
         (10_000, 4), (100_000, 4),
         (10_000, 5), (50_000, 5)]
QUICK = [(10_000, 2), (10_000, 3), (100_000, 3), (10_000, 4), (10_000, 5)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "perfstat-pareto",
                    "--example", "rank_file"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "rank_file")
    print(f"pymoo {pymoo.__version__}, numpy {np.__version__}; uniform random points in [0,1)^m")
    print(f"{'n':>9} {'m':>2} {'fronts':>6} {'perfstat s':>11} {'pymoo s':>9} {'speed-up':>8}  ranks")
    with tempfile.TemporaryDirectory() as tmp:
        for n, m in (QUICK if args.quick else SIZES):
            rng = np.random.default_rng(2024 + n + m)
            F = rng.random((n, m))
            path = os.path.join(tmp, "pts.f64")
            out = os.path.join(tmp, "ranks.u32")
            F.astype("<f8").tofile(path)
            ours = []
            for _ in range(args.repeat):
                res = subprocess.run([exe, path, str(m), "auto", out], check=True,
                                     capture_output=True, text=True).stdout.split()
                ours.append(float(res[3]))
            theirs = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                _, rank = NonDominatedSorting().do(F, return_rank=True)
                theirs.append(time.perf_counter() - t)
            mine = np.fromfile(out, dtype="<u4").astype(np.int64) - 1
            same = "identical" if np.array_equal(mine, rank) else "DIFFERENT"
            a, b = min(ours), min(theirs)
            print(f"{n:>9} {m:>2} {int(res[2]):>6} {a:>11.3f} {b:>9.3f} {b / a:>7.1f}x  {same}",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
