#!/usr/bin/env python3
"""Turns a load test's per-request CSV (latency_ms, ok) into tonight's one-row
summary for `perfstat regress --current`: night, commit, p95_latency_ms,
throughput_rps, error_rate. Standard library only.

    python3 summarize.py requests.csv NIGHT COMMIT DURATION_S > tonight.csv
"""
import csv
import sys


def p95(values):
    v = sorted(values)
    pos = 0.95 * (len(v) - 1)  # numpy's default (type 7)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def main():
    path, night, commit, duration = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    lat = [float(r["latency_ms"]) for r in rows]
    errors = sum(1 for r in rows if r["ok"] != "1")
    w = csv.writer(sys.stdout)
    w.writerow(["night", "commit", "p95_latency_ms", "throughput_rps", "error_rate"])
    w.writerow([night, commit, f"{p95(lat):.2f}", f"{len(rows) / duration:.1f}", f"{errors / len(rows):.5f}"])


if __name__ == "__main__":
    main()
