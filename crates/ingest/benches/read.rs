//! Reading speed: a generated CSV of `timestamp,latency_ms,status,label` rows.

use std::{fmt::Write as _, hint::black_box};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use perfstat_ingest::{ReadOptions, read_reader};

/// `rows` rows of plausible load-test output, deterministic (a small LCG, no rand dependency).
fn generate(rows: usize) -> String {
    let mut text = String::with_capacity(rows * 32 + 64);
    text.push_str("timestamp,latency_ms,status,label\n");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..rows {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let latency = 20.0 + (state >> 40) as f64 / 1000.0;
        let status = if state.is_multiple_of(97) { 500 } else { 200 };
        let label = ["home", "search", "cart", "login", "api"][(state % 5) as usize];
        let _ = writeln!(
            text,
            "{},{latency:.3},{status},{label}",
            1_700_000_000_000u64 + i as u64
        );
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = generate(1_000_000);
    let mut group = c.benchmark_group("read_csv_1M");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    let metric = ReadOptions {
        metric: Some("latency_ms".into()),
        ..ReadOptions::default()
    };
    group.bench_function("metric", |b| {
        b.iter(|| read_reader("bench.csv", black_box(text.as_bytes()), &metric).map(|d| d.rows))
    });
    let by = ReadOptions {
        by: Some("label".into()),
        ..metric.clone()
    };
    group.bench_function("metric_by_label", |b| {
        b.iter(|| read_reader("bench.csv", black_box(text.as_bytes()), &by).map(|d| d.rows))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
