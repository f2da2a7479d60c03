#!/usr/bin/env python3
"""Generates data/history.csv: 90 nightly load-test summaries for `perfstat regress`.

Deterministic (fixed seed, standard library only). Columns: night (date),
commit, p95_latency_ms, throughput_rps, error_rate, cost_per_run, answer_quality.

Injected, so the report has something to find:
- p95_latency_ms: +25 % from night 40 (a confirmed shift), a single-run spike
  (+60 %) on night 20, and +30 % tonight (night 89: a regression, and an
  unconfirmed candidate shift);
- throughput_rps: −12 % from night 65 (a confirmed shift);
- cost_per_run: −25 % tonight (an improvement);
- error_rate: missing on nights 33 and 34 (gaps, not zeros).

    python3 scripts/gen_history.py            # writes data/history.csv
"""
import datetime
import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "history.csv"
NIGHTS = 90


def main():
    rng = random.Random(20240517)
    start = datetime.date(2024, 1, 1)
    rows = ["night,commit,p95_latency_ms,throughput_rps,error_rate,cost_per_run,answer_quality"]
    for i in range(NIGHTS):
        night = (start + datetime.timedelta(days=i)).isoformat()
        commit = "%07x" % rng.getrandbits(28)
        lat = 182.0 * (1.25 if i >= 40 else 1.0) * (1 + 0.03 * rng.gauss(0, 1))
        if i == 20:
            lat *= 1.6
        if i == NIGHTS - 1:
            lat = 182.0 * 1.25 * 1.30 * (1 + 0.03 * rng.gauss(0, 1))
        thr = 1450.0 * (0.88 if i >= 65 else 1.0) * (1 + 0.02 * rng.gauss(0, 1))
        err = 0.004 * (1 + 0.12 * rng.gauss(0, 1))
        cost = 0.84 * (0.75 if i == NIGHTS - 1 else 1.0) * (1 + 0.015 * rng.gauss(0, 1))
        quality = 0.912 * (1 + 0.006 * rng.gauss(0, 1))
        err_cell = "" if i in (33, 34) else "%.5f" % err
        rows.append(f"{night},{commit},{lat:.2f},{thr:.1f},{err_cell},{cost:.4f},{quality:.4f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(rows) + "\n")
    print(f"wrote {OUT} ({NIGHTS} nights)")


if __name__ == "__main__":
    main()
