//! Criterion benchmarks of the ranking algorithms.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use perfstat_pareto::{Algorithm, Points, rank_with};
use std::hint::black_box;

/// Deterministic uniform points in [0, 1) (xorshift64*).
fn uniform(n: usize, m: usize, seed: u64) -> Points {
    let mut s = seed.max(1);
    let data = (0..n * m)
        .map(|_| {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect();
    // invariant: n * m values and m > 0, all finite.
    Points::from_min(data, m).unwrap_or_else(|_| unreachable!())
}

fn bench_rank(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank");
    group.sample_size(10);
    for &(n, m) in &[
        (10_000, 2),
        (10_000, 3),
        (10_000, 4),
        (100_000, 3),
        (10_000, 5),
    ] {
        let points = uniform(n, m, 42);
        group.bench_with_input(
            BenchmarkId::new(format!("auto_m{m}"), n),
            &points,
            |b, p| b.iter(|| rank_with(black_box(p), Algorithm::Auto)),
        );
        if m == 3 {
            group.bench_with_input(BenchmarkId::new("dc_m3", n), &points, |b, p| {
                b.iter(|| rank_with(black_box(p), Algorithm::DivideAndConquer))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_rank);
criterion_main!(benches);
