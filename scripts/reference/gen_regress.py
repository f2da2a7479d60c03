#!/usr/bin/env python3
"""Reference fixture for perfstat-regress: baseline window statistics and the
prediction-interval t test, computed with numpy and scipy.

Writes crates/regress/tests/fixtures/regress_window.json. Deterministic.

    python3 scripts/reference/gen_regress.py
"""
import json
import pathlib

import numpy as np
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/regress/tests/fixtures/regress_window.json"


def case(name, history, window, direction):
    values = [v for v in history[:-1] if v is not None][-window:]
    x = history[-1]
    a = np.array(values, dtype=float)
    n = len(a)
    mean = float(np.mean(a))
    median = float(np.median(a))
    sd = float(np.std(a, ddof=1))
    t = (x - mean) / (sd * np.sqrt(1.0 + 1.0 / n))
    upper = float(stats.t.sf(t, n - 1))
    lower = float(stats.t.cdf(t, n - 1))
    p_worse = upper if direction == "lower_is_better" else lower
    return {
        "name": name,
        "history": history,
        "window": window,
        "direction": direction,
        "baseline": {"n": n, "mean": mean, "median": median, "std_dev": sd},
        "change": {"absolute": x - mean, "relative": (x - mean) / mean},
        "t": float(t),
        "p_worse": p_worse,
    }


def main():
    rng = np.random.default_rng(20240601)
    cases = []
    lat = list(np.round(100 * (1 + 0.02 * rng.standard_normal(20)), 6))
    cases.append(case("latency_plus_30", lat + [float(np.mean(lat[-7:]) * 1.3)], 7, "lower_is_better"))
    thr = list(np.round(1000 * (1 + 0.01 * rng.standard_normal(12)), 4))
    cases.append(case("throughput_minus_20", thr + [float(np.mean(thr[-7:]) * 0.8)], 7, "higher_is_better"))
    gappy = [float(v) for v in np.round(50 + rng.standard_normal(15), 5)]
    gappy[10] = None
    gappy[13] = None
    cases.append(case("gaps_skipped", gappy + [52.5], 5, "lower_is_better"))
    big = [1e9 + float(v) for v in np.round(rng.standard_normal(9), 6)]
    cases.append(case("large_offset", big + [1e9 + 3.0], 7, "lower_is_better"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "scripts/reference/gen_regress.py", "numpy": np.__version__,
                               "cases": cases}, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
