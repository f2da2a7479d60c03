//! Times `analyze` on a generated history: `cargo run --release -p
//! perfstat-regress --example timing -- 10000 100` (runs, metrics); then
//! appending one run: a full recomputation against `analyze_resumable` with
//! the PELT states saved after the first analysis (through the bytes of a
//! cache file), checking that both give the same result.

#![allow(clippy::print_stdout)]
use std::fmt::Write as _;
use std::time::Instant;

use perfstat_regress::analyze::{Cache, Config, analyze, analyze_resumable};
use perfstat_regress::history::read_history;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(Ok(10_000), |s| s.parse())?;
    let metrics: usize = args.next().map_or(Ok(100), |s| s.parse())?;
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        #[allow(clippy::cast_precision_loss)]
        let u = ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        u
    };
    let mut csv = String::from("run");
    for m in 0..metrics {
        write!(csv, ",m{m}_latency_ms")?;
    }
    csv.push('\n');
    for r in 0..=runs {
        write!(csv, "{r}")?;
        for m in 0..metrics {
            // Pure noise for even metrics (PELT's worst case), a shift every
            // 500 runs for odd ones.
            let level = if m % 2 == 1 && (r / 500) % 2 == 1 {
                120.0
            } else {
                100.0
            };
            let z = (-2.0 * uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * uniform()).cos();
            write!(csv, ",{:.3}", level * (1.0 + 0.02 * z))?;
        }
        csv.push('\n');
    }
    let t0 = Instant::now();
    let appended = read_history(csv.as_bytes(), "generated")?;
    let mut history = appended.clone();
    history.runs.truncate(runs);
    for m in &mut history.metrics {
        m.values.truncate(runs);
    }
    let t1 = Instant::now();
    let analysis = analyze(&history, &Config::default())?;
    let t2 = Instant::now();
    let cps: usize = analysis.metrics.iter().map(|m| m.change_points.len()).sum();
    let exact: usize = analysis
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            m.change_points
                .iter()
                .filter(|c| i % 2 == 1 && c.index % 500 == 0)
                .count()
        })
        .sum();
    println!(
        "change points at a true shift (exact position): {exact}, elsewhere: {}",
        cps - exact
    );
    println!(
        "{runs} runs x {metrics} metrics: read {:.3} s, analyze {:.3} s ({cps} change points)",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64()
    );

    // Appending one run.
    let config = Config::default();
    let mut cache = Cache::default();
    let t3 = Instant::now();
    analyze_resumable(&history, &config, &mut cache)?;
    let t4 = Instant::now();
    let mut bytes = Vec::new();
    cache.write_to(&mut bytes)?;
    let t5 = Instant::now();
    let full = analyze(&appended, &config)?;
    let t6 = Instant::now();
    let mut cache = Cache::read_from(&mut bytes.as_slice())?;
    let t7 = Instant::now();
    let incremental = analyze_resumable(&appended, &config, &mut cache)?;
    let t8 = Instant::now();
    let same = format!("{full:?}") == format!("{incremental:?}");
    println!(
        "first analysis saving the PELT states {:.3} s, cache {:.1} MB written in {:.3} s",
        (t4 - t3).as_secs_f64(),
        bytes.len() as f64 / 1e6,
        (t5 - t4).as_secs_f64()
    );
    println!(
        "append one run: full {:.3} s; incremental {:.3} s (reading the cache {:.3} s + analysis {:.3} s), \
         {} of {metrics} metrics reused, {:.1}x faster, same result: {same}",
        (t6 - t5).as_secs_f64(),
        (t8 - t6).as_secs_f64(),
        (t7 - t6).as_secs_f64(),
        (t8 - t7).as_secs_f64(),
        cache.reused(),
        (t6 - t5).as_secs_f64() / (t8 - t6).as_secs_f64()
    );
    if !same {
        return Err("incremental result differs from the full recomputation".into());
    }
    Ok(())
}
