#!/usr/bin/env python3
"""Generates data/configs.json: an LLM-serving configuration sweep (deterministic).

    python3 scripts/gen_configs.py

A 70B-parameter model served on H100 80 GB GPUs at $3.00 per GPU-hour, swept over
batch size (max concurrent sequences), precision (fp16, fp8, int4 weight-only),
tensor parallelism (1, 2, 4 GPUs) and gpu_memory_utilization (the share of GPU
memory the server may use; the rest of it after the weights is KV cache).
Configurations whose weights do not fit in the memory share are left out, as a
real sweep would see them fail to start: 42 configurations remain.

Metrics per configuration (a simple but plausible performance model plus
measurement noise from a fixed seed):

- throughput_tokens_per_s (max): generated tokens per second, all GPUs;
- p95_latency_ms (min): 95th percentile of request latency (48 output tokens);
- cost_per_1k_tokens (min): dollars per 1 000 generated tokens = GPU-hours / tokens;
- quality_score (max): benchmark accuracy in [0, 1], set by the precision (the
  same weights give the same answers whatever the batch size).

Six configurations were benchmarked five times: their p95_latency_ms and
throughput_tokens_per_s are arrays of the five runs (repeated measurements);
cost is then computed from the mean throughput.

Only the Python standard library is used.
"""
import json
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

GPU_MEMORY_GB = 80.0
GPU_PRICE_PER_HOUR = 3.00
PARAMS_B = 70.0
OUTPUT_TOKENS = 48

# precision: (bytes per parameter, compute speed vs fp16 at large batches, quality score)
PRECISIONS = {
    "fp16": (2.0, 1.00, 0.812),
    "fp8": (1.0, 1.90, 0.806),
    "int4": (0.5, 0.85, 0.781),  # weight-only: dequantisation costs compute
}
BATCH_SIZES = [4, 16, 32, 64, 128]
TENSOR_PARALLEL = [1, 2, 4]
GPU_MEMORY_UTILIZATION = [0.80, 0.92]
# Configurations measured five times (repeated measurements).
REPEATED = {
    "bs16-fp8-tp2-gmu0.92",
    "bs32-int4-tp2-gmu0.92",
    "bs32-fp8-tp4-gmu0.90",
    "bs4-fp8-tp2-gmu0.80",
    "bs16-fp16-tp4-gmu0.90",
    "bs64-int4-tp4-gmu0.90",
}


def model(batch, precision, tp, gmu):
    """Noise-free throughput (tokens/s) and p95 latency (ms), or None if it does not fit."""
    bytes_per_param, speedup, _ = PRECISIONS[precision]
    weights_gb = PARAMS_B * bytes_per_param / tp
    usable = GPU_MEMORY_GB * gmu
    kv_gb = usable - weights_gb - 4.0  # activations and CUDA graphs
    if kv_gb < 2.0:
        return None
    # KV cache per sequence (fp16 KV, 70B GQA, ~2k context): 0.33 GB over tp GPUs.
    kv_per_seq = 0.33 / tp
    concurrent = min(batch, kv_gb / kv_per_seq)
    # Time per output token: weight reads at ~3 TB/s (memory-bound at small
    # batches), a compute term growing with the batch, all-reduce overhead.
    tpot_ms = weights_gb / 3.0 + 0.42 * concurrent / (tp * speedup) + 0.8 * tp ** 0.5
    ttft_ms = 35.0 + 500.0 * (concurrent / 128.0) / (tp * speedup)
    mean_latency = ttft_ms + OUTPUT_TOKENS * tpot_ms
    # Queueing when the KV cache cannot hold the whole batch.
    queue = max(1.0, batch / concurrent)
    p95 = 0.8 * mean_latency * queue ** 0.6
    throughput = concurrent * 1000.0 / tpot_ms
    return throughput, p95


def main():
    rng = random.Random(20240611)
    configs = []
    for batch in BATCH_SIZES:
        for precision in PRECISIONS:
            for tp in TENSOR_PARALLEL:
                # The memory share only matters where memory is tight (tp <= 2).
                for gmu in GPU_MEMORY_UTILIZATION if tp <= 2 else [0.90]:
                    m = model(batch, precision, tp, gmu)
                    if m is None:
                        continue
                    throughput, p95 = m
                    cid = f"bs{batch}-{precision}-tp{tp}-gmu{gmu:.2f}"
                    if cid in REPEATED:
                        tps = [round(throughput * rng.gauss(1.0, 0.04), 1) for _ in range(5)]
                        lat = [round(p95 * rng.gauss(1.0, 0.06), 1) for _ in range(5)]
                        mean_tps = sum(tps) / len(tps)
                    else:
                        tps = round(throughput * rng.gauss(1.0, 0.02), 1)
                        lat = round(p95 * rng.gauss(1.0, 0.03), 1)
                        mean_tps = tps
                    cost = tp * GPU_PRICE_PER_HOUR / 3600.0 / mean_tps * 1000.0
                    configs.append(
                        {
                            "id": cid,
                            "params": {
                                "batch_size": batch,
                                "precision": precision,
                                "tensor_parallel": tp,
                                "gpu_memory_utilization": gmu,
                            },
                            "metrics": {
                                "cost_per_1k_tokens": round(cost, 7),
                                "p95_latency_ms": lat,
                                "quality_score": PRECISIONS[precision][2],
                                "throughput_tokens_per_s": tps,
                            },
                        }
                    )
    doc = {
        "objectives": [
            {"name": "cost_per_1k_tokens", "direction": "min"},
            {"name": "p95_latency_ms", "direction": "min"},
            {"name": "quality_score", "direction": "max"},
            {"name": "throughput_tokens_per_s", "direction": "max"},
        ],
        "configs": configs,
    }
    path = os.path.join(ROOT, "data", "configs.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"wrote {path}: {len(configs)} configs")


if __name__ == "__main__":
    main()
