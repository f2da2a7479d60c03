#!/usr/bin/env python3
"""The peer of `perfstat pareto` in scripts/bench/pareto.sh: pandas reads the CSV written by
gen_pareto_csv.py, pymoo 0.6.2 sorts it into fronts (NonDominatedSorting, moocore's compiled
pareto_rank), and the ranks are written as JSON (one int per config).

Usage: python3 scripts/bench/pareto_python.py CONFIGS.csv
"""
import json
import sys

import pandas as pd
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

df = pd.read_csv(sys.argv[1])
F = df[["p95_latency_ms", "cost", "throughput_rps"]].to_numpy(copy=True)
F[:, 2] = -F[:, 2]  # throughput is maximised
_, rank = NonDominatedSorting().do(F, return_rank=True)
json.dump({"ids": len(df), "fronts": int(rank.max()) + 1, "rank": (rank + 1).tolist()}, sys.stdout)
