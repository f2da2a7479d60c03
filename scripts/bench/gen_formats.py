#!/usr/bin/env python3
"""Generates large load-test result files for scripts/bench/formats.sh.

    gen_formats.py jmeter N OUT   # JMeter JTL CSV, default columns, N samples (5 labels, ~1% failures)
    gen_formats.py k6 N OUT       # k6 --out json NDJSON, N HTTP requests (9 Points each, as k6 writes)

Latencies are log-normal; the values are seeded, so files are reproducible.
"""
import random
import sys
from datetime import datetime, timedelta, timezone

LABELS = ["GET /api/items", "GET /api/items/{id}", "POST /api/orders", "GET /api/user", "DELETE /api/cart"]
TZ = timezone(timedelta(hours=1))


def jmeter(n, out):
    rnd = random.Random(42)
    w = out.write
    w("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,"
      "bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n")
    t = 1741944413000
    buf = []
    for i in range(n):
        t += rnd.randint(0, 2)
        label = LABELS[i % 5]
        elapsed = int(rnd.lognormvariate(3.0 + 0.3 * (i % 5), 0.5))
        if rnd.random() < 0.01:
            code, msg, ok = "500", "Internal Server Error", "false"
        else:
            code, msg, ok = "200", "OK", "true"
        buf.append(f"{t},{elapsed},{label},{code},{msg},Thread Group 1-{i % 50 + 1},text,{ok},,"
                   f"{1300 + i % 97},178,50,50,http://localhost:8080{label.split(' ')[1]},{max(elapsed - 2, 0)},0,{i % 3}\n")
        if len(buf) == 10000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))


def k6(n, out):
    rnd = random.Random(7)
    w = out.write
    start = datetime(2025, 3, 14, 10, 26, 53, tzinfo=TZ)
    names = ["http_reqs", "http_req_duration", "http_req_blocked", "http_req_connecting",
             "http_req_tls_handshaking", "http_req_sending", "http_req_waiting", "http_req_receiving",
             "http_req_failed"]
    kinds = {"http_reqs": ("counter", "default"), "http_req_failed": ("rate", "default")}
    declared = set()
    buf = []
    for i in range(n):
        label = LABELS[i % 5]
        url = "http://localhost:8080" + label.split(" ")[1]
        method = label.split(" ")[0]
        dur = rnd.lognormvariate(3.0 + 0.3 * (i % 5), 0.5)
        failed = rnd.random() < 0.01
        status = "500" if failed else "200"
        time = (start + timedelta(microseconds=i * 100 + rnd.randint(0, 99))).isoformat(timespec="microseconds")
        tags = (f'{{"expected_response":"{"false" if failed else "true"}","group":"","method":"{method}",'
                f'"name":"{url}","proto":"HTTP/1.1","scenario":"default","status":"{status}","url":"{url}"}}')
        sending, receiving = dur * 0.01, dur * 0.05
        values = [1, dur, 0.0021, 0, 0, sending, dur - sending - receiving, receiving, 1 if failed else 0]
        for name, v in zip(names, values):
            if name not in declared:
                declared.add(name)
                kind, contains = kinds.get(name, ("trend", "time"))
                buf.append(f'{{"type":"Metric","data":{{"name":"{name}","type":"{kind}","contains":"{contains}",'
                           f'"thresholds":[],"submetrics":null}},"metric":"{name}"}}\n')
            buf.append(f'{{"metric":"{name}","type":"Point","data":{{"time":"{time}","value":{v:.6f},'
                       f'"tags":{tags}}}}}\n')
        if len(buf) >= 20000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))


def main():
    kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "w", buffering=1 << 20) as out:
        {"jmeter": jmeter, "k6": k6}[kind](n, out)


if __name__ == "__main__":
    main()
