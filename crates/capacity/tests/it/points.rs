//! Degradation, saturation, SLO-with-confidence and Little's law on runs with known answers.

use perfstat_capacity::{
    Aggregates, LittleVerdict, Options, Requests, Run, RunData, Workload, analyze,
};

/// Per-request runs of 60 s at `levels`: latencies around `base_ms(level)`
/// (a fixed spread), `fail(level)` failures per 1000 requests, throughput
/// from Little's law X = N / R.
fn runs(levels: &[f64], base_ms: impl Fn(f64) -> f64, fail: impl Fn(f64) -> u64) -> Vec<Run> {
    levels
        .iter()
        .map(|&n| {
            let r = base_ms(n);
            let total = (n / (r / 1000.0) * 60.0).round() as u64;
            let latencies: Vec<f64> = (0..total)
                .map(|i| r * (0.8 + 0.4 * ((i * 7919) % 1000) as f64 / 1000.0))
                .collect();
            let failed = total * fail(n) / 1000;
            Run {
                level: n,
                source: format!("run{n}.csv"),
                data: RunData::Requests(Requests {
                    latencies,
                    total,
                    failed: Some(failed),
                    duration_s: 60.0,
                }),
            }
        })
        .collect()
}

const LEVELS: [f64; 6] = [1.0, 5.0, 10.0, 25.0, 50.0, 100.0];

#[test]
fn p95_slo_crossed_at_a_known_level() {
    // p95 ≈ 1.18 × base: base 100 ms up to 10 users, 500 ms at 25, 900 ms beyond.
    let base = |n: f64| {
        if n <= 10.0 {
            100.0
        } else if n <= 25.0 {
            500.0
        } else {
            900.0
        }
    };
    let options = Options {
        slo_p95: Some(800.0),
        ..Options::default()
    };
    let a = analyze(&runs(&LEVELS, base, |_| 0), &options).unwrap();
    assert_eq!(a.degradation.p95_slo_crossed_at, Some(50.0));
    assert_eq!(a.degradation.errors_start_at, None);
    assert_eq!(a.degradation.level, Some(50.0));
    assert_eq!(a.highest_confident, Some(25.0));
    let l25 = &a.levels[3];
    assert_eq!(l25.slo.p95_ok, Some(true));
    assert_eq!(l25.slo.p95_ok_confident, Some(true));
    // Little: X·R = N exactly in these runs.
    for l in &a.levels {
        let little = l.little.unwrap();
        assert_eq!(little.verdict, LittleVerdict::Consistent, "{l:?}");
        assert!((little.ratio - 1.0).abs() < 0.02);
    }
}

#[test]
fn errors_start_at_a_known_level() {
    // 1 % failures up to 25 users, 8 % from 50 on; min success 95 %.
    let fail = |n: f64| if n >= 50.0 { 80 } else { 10 };
    let a = analyze(&runs(&LEVELS, |_| 100.0, fail), &Options::default()).unwrap();
    assert_eq!(a.degradation.errors_start_at, Some(50.0));
    assert_eq!(a.degradation.p95_slo_crossed_at, None);
    assert_eq!(a.degradation.level, Some(50.0));
    // Level 1 has only 600 requests, 6 failures: the Wilson upper bound is
    // below 5 %, so it is confidently fine; every level up to 25 too.
    assert_eq!(a.highest_confident, Some(25.0));
    let e = a.levels[4].error_rate.unwrap();
    assert!((e.estimate - 0.08).abs() < 1e-3);
    let iv = e.interval.unwrap();
    assert!(iv.lower < 0.08 && 0.08 < iv.upper);
}

#[test]
fn generator_bound_runs_are_flagged() {
    // At 100 users the clients only kept 60 requests in flight.
    let mut rs = runs(&LEVELS, |_| 100.0, |_| 0);
    if let RunData::Requests(r) = &mut rs[5].data {
        r.total = (r.total as f64 * 0.6) as u64;
        r.latencies.truncate(r.total as usize);
    }
    let a = analyze(&rs, &Options::default()).unwrap();
    assert_eq!(
        a.levels[5].little.unwrap().verdict,
        LittleVerdict::GeneratorBound
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.starts_with("level 100:") && n.contains("load generator"))
    );
}

#[test]
fn more_in_flight_than_users_is_excess_concurrency() {
    let consistent = analyze(&runs(&LEVELS, |_| 100.0, |_| 0), &Options::default()).unwrap();
    assert!(!consistent.excess_concurrency());
    // At 100 "users" each request took twice as long at the same throughput: 200 in flight.
    let mut rs = runs(&LEVELS, |_| 100.0, |_| 0);
    if let RunData::Requests(r) = &mut rs[5].data {
        r.latencies.iter_mut().for_each(|v| *v *= 2.0);
    }
    let a = analyze(&rs, &Options::default()).unwrap();
    assert_eq!(
        a.levels[5].little.unwrap().verdict,
        LittleVerdict::ExcessConcurrency
    );
    assert!(a.excess_concurrency());
}

#[test]
fn saturation_from_the_model_peak() {
    let usl = |n: f64| 100.0 * n / (1.0 + 0.05 * (n - 1.0) + 0.002 * n * (n - 1.0));
    let rows: Vec<Run> = [1.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0]
        .iter()
        .enumerate()
        .map(|(i, &n)| Run {
            level: n,
            source: format!("row {}", i + 1),
            data: RunData::Aggregates(Aggregates {
                throughput: usl(n) * (1.0 + if i % 2 == 0 { 0.004 } else { -0.004 }),
                p95: Some(100.0 + n),
                error_rate: Some(0.0),
                ..Aggregates::default()
            }),
        })
        .collect();
    let a = analyze(&rows, &Options::default()).unwrap();
    let peak = a.peak.as_ref().unwrap();
    let n_star = (0.95_f64 / 0.002).sqrt();
    assert!((peak.load.estimate / n_star - 1.0).abs() < 0.05);
    let s = a.saturation.unwrap();
    // X(16) = 95.4 % of the peak: the first level within 5 %.
    assert_eq!(s.level, Some(16.0));
    assert!(s.model_load > 8.0 && s.model_load < 16.0, "{s:?}");
    let x_at = usl(s.model_load);
    assert!((x_at / (0.95 * usl(n_star)) - 1.0).abs() < 0.02);
    // Aggregates have no intervals: nothing is confirmed.
    assert_eq!(a.highest_confident, None);
    // Twice the top level: beyond the peak, lower than the peak.
    let (n2, pred) = a.prediction.unwrap();
    assert_eq!(n2, 96.0);
    assert!(pred.estimate < peak.throughput.estimate);
}

#[test]
fn open_workload_has_no_fit_and_checks_the_offered_rate() {
    let rows: Vec<Run> = [10.0, 20.0, 40.0, 80.0]
        .iter()
        .map(|&rate| Run {
            level: rate,
            source: format!("rate {rate}"),
            data: RunData::Aggregates(Aggregates {
                throughput: rate.min(50.0),
                mean: Some(20.0),
                ..Aggregates::default()
            }),
        })
        .collect();
    let options = Options {
        workload: Workload::Open,
        ..Options::default()
    };
    let a = analyze(&rows, &options).unwrap();
    assert!(a.fit.is_err());
    assert_eq!(
        a.levels[3].little.unwrap().verdict,
        LittleVerdict::BelowOfferedRate
    );
    assert_eq!(
        a.levels[0].little.unwrap().verdict,
        LittleVerdict::Consistent
    );
}

#[test]
fn degradation_below_the_highest_level_is_what_fails_a_gate() {
    let options = Options {
        slo_p95: Some(800.0),
        ..Options::default()
    };
    // p95 above 800 ms from 50 users, the top is 100: degrades inside the range.
    let base = |n: f64| if n < 50.0 { 100.0 } else { 900.0 };
    let a = analyze(&runs(&LEVELS, base, |_| 0), &options).unwrap();
    assert_eq!(a.highest_level(), Some(100.0));
    assert_eq!(a.degradation.level, Some(50.0));
    assert!(a.degrades_below_highest_level());
    // Only the top level breaks the objective: the test reached the limit.
    let base = |n: f64| if n < 100.0 { 100.0 } else { 900.0 };
    let a = analyze(&runs(&LEVELS, base, |_| 0), &options).unwrap();
    assert_eq!(a.degradation.level, Some(100.0));
    assert!(!a.degrades_below_highest_level());
    // Errors from 25 users on degrade too; nothing breaks: no degradation.
    let a = analyze(
        &runs(&LEVELS, |_| 100.0, |n| if n >= 25.0 { 100 } else { 0 }),
        &options,
    )
    .unwrap();
    assert_eq!(a.degradation.level, Some(25.0));
    assert!(a.degrades_below_highest_level());
    let a = analyze(&runs(&LEVELS, |_| 100.0, |_| 0), &options).unwrap();
    assert_eq!(a.degradation.level, None);
    assert!(!a.degrades_below_highest_level());
}

#[test]
fn slo_objectives_are_judged_in_milliseconds_on_the_level_intervals() {
    use perfstat_capacity::Error;
    use perfstat_stats::slo::SloStatus;
    // The same runs in seconds: p95 ≈ 1.18 × base.
    let base = |n: f64| if n < 50.0 { 100.0 } else { 900.0 };
    let mut rs = runs(&LEVELS, base, |n| if n >= 25.0 { 30 } else { 0 });
    for r in &mut rs {
        if let RunData::Requests(q) = &mut r.data {
            q.latencies.iter_mut().for_each(|v| *v /= 1000.0);
        }
    }
    let options = Options {
        slos: vec![
            "p95<800ms".parse().unwrap(),
            "error_rate<2%".parse().unwrap(),
            "throughput>=200/s".parse().unwrap(),
        ],
        latency_unit_s: Some(1.0),
        ..Options::default()
    };
    let a = analyze(&rs, &options).unwrap();
    let p95: Vec<SloStatus> = a.levels.iter().map(|l| l.slos[0].status).collect();
    use SloStatus::{Fail, Pass};
    assert_eq!(p95, [Pass, Pass, Pass, Pass, Fail, Fail]);
    let l1 = &a.levels[0];
    let p = l1.percentile(0.95).unwrap();
    assert!((l1.slos[0].estimate - 1000.0 * p.estimate).abs() < 1e-9);
    assert_eq!(a.levels[3].slos[1].status, Fail); // 3 % errors at 25 users
    // Throughput N/R: 10, 50, 100, 250/s up to 25 users (R = 100 ms), then 55.6 and
    // 111/s (R = 900 ms): a floor met from 25 on and broken at 50.
    let c = &a.degradation.slos[2];
    assert_eq!((c.judged_from, c.crossed_at), (25.0, Some(50.0)));
    assert!(!c.never_met());
    assert_eq!(a.degradation.slos[0].crossed_at, Some(50.0));
    assert_eq!(a.degradation.slos[1].crossed_at, Some(25.0));
    assert_eq!(a.degradation.level, Some(25.0));
    assert_eq!(a.highest_confident, None); // the floor is not met up to 10, errors from 25
    // Without the error objective, 25 users meets every objective with confidence.
    let options = Options {
        slos: vec![options.slos[0].clone(), options.slos[2].clone()],
        min_success: 0.0,
        ..options
    };
    let a = analyze(&rs, &options).unwrap();
    assert_eq!(a.highest_confident, Some(25.0));
    // Levels below the floor's first level are not counted for the gate.
    assert!(
        a.counted_slo_results()
            .iter()
            .all(|(l, r)| r.objective.text != "throughput>=200/s" || l.level >= 25.0)
    );
    // An error rate needs failures; a generic input does not say which failed.
    for r in &mut rs {
        if let RunData::Requests(q) = &mut r.data {
            q.failed = None;
        }
    }
    let options = Options {
        slos: vec!["error_rate<1%".parse().unwrap()],
        ..Options::default()
    };
    assert!(matches!(
        analyze(&rs, &options),
        Err(Error::Objective { .. })
    ));
}
