#!/usr/bin/env python3
"""The pandas side of scripts/bench/formats.sh: the same statistics as `perfstat describe --by label`
reduced to what pandas is usually asked for — successful requests' latency percentiles per label.

    pandas_formats.py jmeter FILE
    pandas_formats.py k6 FILE
"""
import json
import sys

import pandas as pd

Q = [0.5, 0.9, 0.95, 0.99, 0.999]


def jmeter(path):
    df = pd.read_csv(path, usecols=["elapsed", "label", "success"], dtype={"label": "category"})
    ok = df[df["success"]]
    return ok.groupby("label", observed=True)["elapsed"].describe(percentiles=Q)


def k6(path):
    # pd.read_json(lines=True) would build a frame of all 9 points per request (nested tags): filter first.
    parts = []
    for chunk in pd.read_json(path, lines=True, chunksize=500_000):
        chunk = chunk[(chunk["type"] == "Point") & (chunk["metric"] == "http_req_duration")]
        data = pd.json_normalize(chunk["data"].tolist())
        parts.append(data[["value", "tags.name", "tags.expected_response"]])
    df = pd.concat(parts, ignore_index=True)
    ok = df[df["tags.expected_response"] == "true"]
    return ok.groupby("tags.name")["value"].describe(percentiles=Q)


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    result = {"jmeter": jmeter, "k6": k6}[kind](path)
    print(result.to_string())
