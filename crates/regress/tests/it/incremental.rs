//! Incremental re-analysis (`analyze_resumable`): appending runs one at a
//! time, with the PELT state saved and reloaded between calls, gives exactly
//! the result of a full recomputation.

use perfstat_regress::changepoint::Detector;
use perfstat_regress::history::{History, Run, Series, Shape};
use perfstat_regress::{Cache, Config, analyze, analyze_resumable};

/// Deterministic standard normals (xorshift + Box–Muller).
fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| (-2.0 * u().ln()).sqrt() * (2.0 * std::f64::consts::PI * u()).cos())
        .collect()
}

/// Metrics: pure noise; shifts every `every` runs; spikes; a shift in the
/// last runs; an autocorrelated one; one with gaps; a constant one.
fn history(n: usize, every: usize, seed: u64) -> History {
    let mut metrics = Vec::new();
    let e = |k: u64| normals(n, seed * 10 + k);
    let noise: Vec<Option<f64>> = e(1)
        .iter()
        .map(|z| Some(100.0 * (1.0 + 0.02 * z)))
        .collect();
    let shifts: Vec<Option<f64>> = e(2)
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let level = if (i / every) % 2 == 1 { 125.0 } else { 100.0 };
            Some(level * (1.0 + 0.02 * z))
        })
        .collect();
    let spikes: Vec<Option<f64>> = e(3)
        .iter()
        .enumerate()
        .map(|(i, z)| Some(50.0 * (1.0 + 0.03 * z) * if i % 37 == 11 { 1.6 } else { 1.0 }))
        .collect();
    let late: Vec<Option<f64>> = e(4)
        .iter()
        .enumerate()
        .map(|(i, z)| Some(10.0 * (1.0 + 0.01 * z) * if i + 5 >= n { 1.3 } else { 1.0 }))
        .collect();
    let mut x = 0.0;
    let ar: Vec<Option<f64>> = e(5)
        .iter()
        .map(|z| {
            x = 0.8 * x + z;
            Some(1000.0 + 5.0 * x)
        })
        .collect();
    let gaps: Vec<Option<f64>> = e(6)
        .iter()
        .enumerate()
        .map(|(i, z)| (i % 9 != 4).then(|| 0.01 * (1.0 + 0.1 * z)))
        .collect();
    let constant = vec![Some(7.0); n];
    for (name, values) in [
        ("noise_latency_ms", noise),
        ("shifting_latency_ms", shifts),
        ("spiky_throughput_rps", spikes),
        ("late_shift_ms", late),
        ("autocorrelated_ms", ar),
        ("error_rate", gaps),
        ("constant", constant),
    ] {
        metrics.push(Series {
            name: name.to_owned(),
            values,
        });
    }
    History {
        key: "run".to_owned(),
        attributes: Vec::new(),
        runs: (0..n)
            .map(|i| Run {
                id: i.to_string(),
                attributes: Vec::new(),
                line: i as u64 + 2,
            })
            .collect(),
        metrics,
        shape: Shape::Wide,
        warnings: Vec::new(),
    }
}

fn prefix(h: &History, k: usize) -> History {
    let mut p = h.clone();
    p.runs.truncate(k);
    for m in &mut p.metrics {
        m.values.truncate(k);
    }
    p
}

/// Appends runs one at a time from `from` to `to`, saving and reloading the
/// cache as bytes each time; every result must equal the full analysis.
/// Returns how many metric analyses reused a saved state.
fn check(h: &History, config: &Config, from: usize, to: usize) -> usize {
    let mut bytes = Vec::new();
    let mut reused = 0;
    for k in from..=to {
        let mut cache = if bytes.is_empty() {
            Cache::default()
        } else {
            Cache::read_from(&mut bytes.as_slice()).unwrap()
        };
        let p = prefix(h, k);
        let inc = analyze_resumable(&p, config, &mut cache).unwrap();
        let full = analyze(&p, config).unwrap();
        // Debug text: NaN fields compare equal too.
        assert_eq!(format!("{inc:?}"), format!("{full:?}"), "run {k}");
        reused += cache.reused();
        bytes.clear();
        cache.write_to(&mut bytes).unwrap();
    }
    reused
}

#[test]
fn appending_runs_equals_full_recomputation_small_blocks() {
    // Blocks of 16 from 32 runs on, so that many appends cross block limits.
    let config = Config {
        detector: Detector {
            block: 16,
            block_from: 32,
            ..Detector::default()
        },
        ..Config::default()
    };
    // Two seeds (shifts every 20 and 41 runs) over 10..=100 runs: 4 block limits past 32 (48, 64,
    // 80, 96) are crossed per seed, as with the blocks of 32 over 200 runs this test used before,
    // and every append is checked against the full analysis in the same way.
    for seed in [0, 3] {
        let h = history(100, 20 + 7 * seed as usize, seed);
        let reused = check(&h, &config, 10, 100);
        // 7 metrics × 68 appends past 32 runs, less the block changes and the
        // autocorrelated metric's inflated second pass (which is still reused
        // for its first pass).
        assert!(reused > 7 * 50, "seed {seed}: only {reused} reuses");
    }
}

#[test]
fn appending_runs_equals_full_recomputation_default_blocks() {
    let config = Config::default();
    let h = history(2100, 250, 9);
    // Crosses 2048 (the first blocked length) and stays in its block: from
    // 2049 runs on, every metric with 2048 values or more and a PELT reuses
    // its state (not the constant one, nor error_rate whose gaps leave it
    // under 2048 values).
    let reused = check(&h, &config, 2046, 2052);
    assert!(reused >= 5 * 4, "only {reused} reuses");
}

#[test]
fn a_changed_old_value_is_not_reused() {
    let config = Config {
        detector: Detector {
            block: 32,
            block_from: 64,
            ..Detector::default()
        },
        ..Config::default()
    };
    let h = history(200, 50, 3);
    let mut cache = Cache::default();
    analyze_resumable(&prefix(&h, 150), &config, &mut cache).unwrap();
    // Edit run 20 of one metric: its state no longer applies.
    let mut edited = prefix(&h, 151);
    edited.metrics[1].values[20] = Some(300.0);
    let inc = analyze_resumable(&edited, &config, &mut cache).unwrap();
    assert_eq!(
        format!("{inc:?}"),
        format!("{:?}", analyze(&edited, &config).unwrap())
    );
    // Every metric but the edited one and the constant one (no PELT at all).
    assert_eq!(cache.reused(), edited.metrics.len() - 2);
    // A corrupt cache file is an error, not a wrong result.
    let mut bytes = Vec::new();
    cache.write_to(&mut bytes).unwrap();
    bytes.truncate(bytes.len() / 2);
    assert!(Cache::read_from(&mut bytes.as_slice()).is_err());
    assert!(Cache::read_from(&mut &b"not a cache at all, not at all!!!!!!!!!"[..]).is_err());
}

#[test]
fn a_cache_claiming_huge_sizes_is_an_error_not_an_abort() {
    // Found by scripts/fuzz: a cache file whose run count n was 2^39 made `Resume::read_from`
    // allocate 4 TiB before reading, and the process aborted ("memory allocation failed").
    let config = Config::default();
    let csv = include_str!("../../../../data/history.csv");
    let h = perfstat_regress::history::read_history(csv.as_bytes(), "history.csv").unwrap();
    let mut cache = Cache::default();
    analyze_resumable(&h, &config, &mut cache).unwrap();
    let mut bytes = Vec::new();
    cache.write_to(&mut bytes).unwrap();
    // Magic (32), entry count (8), name length (8), name; then tag, key, beta, m, n.
    let name_len = u64::from_le_bytes(bytes[40..48].try_into().unwrap()) as usize;
    let state = 48 + name_len;
    assert_eq!(
        bytes[state..state + 8],
        1u64.to_le_bytes(),
        "a saved PELT state"
    );
    let corrupt = |field: usize, value: u64| {
        let mut corrupt = bytes.clone();
        let at = state + 8 * field;
        corrupt[at..at + 8].copy_from_slice(&value.to_le_bytes());
        Cache::read_from(&mut corrupt.as_slice())
    };
    // A huge run count n: the file ends long before n values.
    for n in [1u64 << 39, (1u64 << 40) - 1] {
        let e = corrupt(4, n).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof, "{e}");
    }
    // A huge block size m reads the file out of step: any result but an abort.
    let _ = corrupt(3, 1 << 39);
    // The cache itself still reads back.
    assert!(Cache::read_from(&mut bytes.as_slice()).is_ok());
}
