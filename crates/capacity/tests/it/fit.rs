//! The USL fit: scipy.optimize.curve_fit fixtures (scripts/reference/gen_capacity.py),
//! recovery of known parameters on simulated data, and the refusals.

use std::path::PathBuf;

use perfstat_capacity::usl::{self, NoPeak, UslParams};
use perfstat_capacity::{Aggregates, Error, Options, Run, RunData, analyze};
use perfstat_stats::Confidence;
use serde_json::Value;

fn fixtures() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/usl.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: f64, b: f64, rel: f64, what: &str) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-300),
        "{what}: {a} vs scipy {b} (relative {:e})",
        ((a - b) / b).abs()
    );
}

#[test]
fn matches_scipy_curve_fit() {
    let doc = fixtures();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 7);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let points: Vec<(f64, f64)> = floats(&c["levels"])
            .into_iter()
            .zip(floats(&c["throughput"]))
            .collect();
        let f = usl::fit(&points, Confidence::new(0.95).unwrap()).unwrap();
        let popt = floats(&c["popt"]);
        let perr = floats(&c["perr"]);
        let ests = [f.lambda, f.sigma, f.kappa];
        for (i, e) in ests.iter().enumerate() {
            close(e.estimate, popt[i], 1e-6, &format!("{name} popt[{i}]"));
            close(
                e.std_error.unwrap(),
                perr[i],
                1e-6,
                &format!("{name} perr[{i}]"),
            );
            let iv = floats(&c["intervals"][i]);
            let got = e.interval.unwrap();
            // Bounds near 0 (κ of a linear service) compare on the interval's width.
            let width = iv[1] - iv[0];
            assert!(
                (got.lower - iv[0]).abs() <= 1e-6 * width,
                "{name} lower[{i}]"
            );
            assert!(
                (got.upper - iv[1]).abs() <= 1e-6 * width,
                "{name} upper[{i}]"
            );
        }
        let pcov = c["pcov"].as_array().unwrap();
        let cov = f.covariance.unwrap();
        for i in 0..3 {
            let row = floats(&pcov[i]);
            for j in 0..3 {
                close(cov[i][j], row[j], 1e-6, &format!("{name} pcov[{i}][{j}]"));
            }
        }
        close(
            f.ssr,
            c["ssr"].as_f64().unwrap(),
            1e-6,
            &format!("{name} ssr"),
        );
        close(
            f.r_squared.unwrap(),
            c["r_squared"].as_f64().unwrap(),
            1e-9,
            &format!("{name} R²"),
        );
        match (&c["peak"], f.params.peak_load()) {
            (Value::Null, None) => {}
            (p, Some(n)) if !p.is_null() => {
                close(n, p["load"].as_f64().unwrap(), 1e-6, &format!("{name} N*"));
                close(
                    f.params.throughput(n),
                    p["throughput"].as_f64().unwrap(),
                    1e-6,
                    &format!("{name} X(N*)"),
                );
            }
            (p, n) => panic!("{name}: peak {p} vs {n:?}"),
        }
    }
}

/// A deterministic noise, uniform in [-1, 1] (splitmix64).
fn noise(seed: u64, count: usize) -> Vec<f64> {
    let mut s = seed;
    (0..count)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            ((z >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

fn simulated(params: UslParams, levels: &[f64], rel_noise: f64, seed: u64) -> Vec<(f64, f64)> {
    levels
        .iter()
        .zip(noise(seed, levels.len()))
        .map(|(&n, e)| (n, params.throughput(n) * (1.0 + rel_noise * e)))
        .collect()
}

/// 95 % intervals miss the truth 5 % of the time: over 40 simulated runs each
/// parameter's interval must hold it at least 34 times (P(fewer) < 1 %), and
/// the peak must be within 5 % every time.
#[test]
fn recovers_known_parameters_and_peak() {
    let truth = UslParams {
        lambda: 40.0,
        sigma: 0.04,
        kappa: 0.0008,
    };
    let true_peak = truth.peak_load().unwrap();
    let x_true = truth.throughput(true_peak);
    let levels = [1.0, 5.0, 10.0, 20.0, 35.0, 50.0, 75.0, 100.0];
    let mut covered = [0; 3];
    for seed in 1..=40 {
        let f = usl::fit(&simulated(truth, &levels, 0.02, seed), Confidence::DEFAULT).unwrap();
        for (k, (e, t)) in [
            (f.lambda, truth.lambda),
            (f.sigma, truth.sigma),
            (f.kappa, truth.kappa),
        ]
        .into_iter()
        .enumerate()
        {
            covered[k] += usize::from(e.interval.unwrap().contains(t));
        }
        let peak = f.peak().unwrap();
        assert!(
            (peak.load.estimate / true_peak - 1.0).abs() < 0.05,
            "seed {seed}: N* {} vs {true_peak}",
            peak.load.estimate
        );
        assert!((peak.throughput.estimate / x_true - 1.0).abs() < 0.05);
        let iv = peak.load.interval.unwrap();
        assert!(iv.lower < peak.load.estimate && peak.load.estimate < iv.upper);
        assert!(f.r_squared.unwrap() > 0.99);
    }
    assert!(
        covered.iter().all(|&c| c >= 34),
        "coverage {covered:?} of 40"
    );
}

/// κ = 0 in truth: κ's estimate is tiny and no peak is claimed. (With noise
/// proportional to throughput, the unweighted intervals of κ exclude 0 in
/// ~20 % of these runs; the peak they imply lies far beyond the levels
/// measured, which `peak()` refuses as an extrapolation.)
#[test]
fn linear_scaling_gives_no_peak() {
    let truth = UslParams {
        lambda: 25.0,
        sigma: 0.0,
        kappa: 0.0,
    };
    let levels = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
    let mut peaks = 0;
    for seed in 1..=40 {
        let f = usl::fit(&simulated(truth, &levels, 0.01, seed), Confidence::DEFAULT).unwrap();
        assert!(
            f.params.kappa.abs() < 1e-4,
            "seed {seed}: κ = {}",
            f.params.kappa
        );
        match f.peak() {
            Ok(_) => peaks += 1,
            Err(e) => assert!(
                matches!(
                    e,
                    NoPeak::KappaNotPositive
                        | NoPeak::KappaIntervalIncludesZero
                        | NoPeak::BeyondRange { .. }
                ),
                "seed {seed}: {e:?}"
            ),
        }
    }
    assert_eq!(peaks, 0, "invented peaks");
    // The noise-free line: κ = 0 exactly, no peak.
    let exact: Vec<(f64, f64)> = levels.iter().map(|&n| (n, 25.0 * n)).collect();
    let f = usl::fit(&exact, Confidence::DEFAULT).unwrap();
    assert!(f.params.kappa.abs() < 1e-12);
    assert!(f.peak().is_err());
}

fn table_runs(points: &[(f64, f64)]) -> Vec<Run> {
    points
        .iter()
        .enumerate()
        .map(|(i, &(n, x))| Run {
            level: n,
            source: format!("row {}", i + 1),
            data: RunData::Aggregates(Aggregates {
                throughput: x,
                ..Aggregates::default()
            }),
        })
        .collect()
}

#[test]
fn two_levels_are_refused_with_a_clear_message() {
    let err = analyze(
        &table_runs(&[(1.0, 10.0), (2.0, 19.0)]),
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(err, Error::TooFewLevels { got: 2, need: 3 });
    let text = err.to_string();
    assert!(text.contains("got 2, need at least 3"), "{text}");
    assert!(text.contains("3 parameters"), "{text}");
}

#[test]
fn three_levels_fit_without_intervals_or_peak() {
    let a = analyze(
        &table_runs(&[(1.0, 10.0), (4.0, 30.0), (16.0, 50.0)]),
        &Options::default(),
    )
    .unwrap();
    let f = a.fit.as_ref().unwrap();
    assert_eq!(f.dof, 0);
    assert!(f.kappa.interval.is_none());
    assert!(a.peak.is_err());
    assert!(a.saturation.is_none());
    assert!(a.notes.iter().any(|n| n.contains("3 levels")));
}

#[test]
fn replicates_are_points_and_give_the_level_interval() {
    let a = analyze(
        &table_runs(&[
            (1.0, 10.0),
            (2.0, 19.0),
            (2.0, 19.5),
            (4.0, 30.0),
            (8.0, 44.0),
        ]),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(a.levels.len(), 4);
    let two = &a.levels[1];
    assert_eq!(two.replicates, vec![19.0, 19.5]);
    assert_eq!(two.throughput.estimate, 19.25);
    // mean ± t(0.975, 1)·s/√2 with s = 0.25·√2: half-width 12.706204736174694 × 0.25.
    let iv = two.throughput.interval.unwrap();
    assert!((iv.upper - 19.25 - 12.706_204_736_174_694 * 0.25).abs() < 1e-9);
    let f = a.fit.as_ref().unwrap();
    assert_eq!(f.points, 5);
    assert_eq!(f.dof, 2);
    // The fit of the five points equals the fit of the same points given directly.
    let direct = usl::fit_with(
        &[
            (1.0, 10.0),
            (2.0, 19.0),
            (2.0, 19.5),
            (4.0, 30.0),
            (8.0, 44.0),
        ],
        &usl::FitOptions::bounded(Confidence::DEFAULT),
    )
    .unwrap();
    assert_eq!(f.params, direct.params);
    // Residual and efficiency per level: the level's mean against X̂.
    let m = two.model.unwrap();
    assert!((m.residual - (19.25 - f.params.throughput(2.0))).abs() < 1e-12);
    assert!((m.efficiency - 19.25 / (2.0 * 10.0)).abs() < 1e-12);
    assert_eq!(a.efficiency_base, Some((10.0, true)));
}

#[test]
fn invalid_levels_are_errors() {
    let err = analyze(
        &table_runs(&[(0.0, 10.0), (2.0, 19.0), (4.0, 30.0)]),
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidLevel { .. }), "{err}");
    let err = analyze(
        &table_runs(&[(1.0, f64::NAN), (2.0, 19.0), (4.0, 30.0)]),
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidAggregate {
                quantity: "throughput",
                ..
            }
        ),
        "{err}"
    );
}

fn bounded_fixtures() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/usl_bounded.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn bounded_fit_matches_scipy_least_squares() {
    let doc = bounded_fixtures();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let points: Vec<(f64, f64)> = floats(&c["levels"])
            .into_iter()
            .zip(floats(&c["throughput"]))
            .collect();
        let weights = c["sd"]
            .as_array()
            .map(|sd| sd.iter().map(|s| s.as_f64().unwrap().powi(-2)).collect());
        let opts = usl::FitOptions {
            bounded: true,
            weights,
            confidence: Confidence::new(0.95).unwrap(),
        };
        let f = usl::fit_with(&points, &opts).unwrap();
        let popt = floats(&c["popt"]);
        let ests = [f.lambda, f.sigma, f.kappa];
        for i in 0..3 {
            let held = c["held"][i].as_f64();
            assert_eq!(f.at_bound[i], held, "{name} held[{i}]");
            if let Some(b) = held {
                assert_eq!(ests[i].estimate, b, "{name} popt[{i}] at its bound");
                assert_eq!(ests[i].std_error, None, "{name} perr[{i}]");
                let iv = ests[i].interval.unwrap();
                let end = c["profile_end"][i].as_f64().unwrap();
                let (lo, hi) = if b == 0.0 { (b, end) } else { (end, b) };
                assert_eq!(
                    if b == 0.0 { iv.lower } else { iv.upper },
                    b,
                    "{name} [{i}]"
                );
                close(
                    iv.lower.max(1e-300),
                    lo.max(1e-300),
                    1e-6,
                    &format!("{name} lower[{i}]"),
                );
                close(iv.upper, hi, 1e-6, &format!("{name} profile[{i}]"));
            } else {
                close(
                    ests[i].estimate,
                    popt[i],
                    1e-6,
                    &format!("{name} popt[{i}]"),
                );
                let perr = c["perr"][i].as_f64().unwrap();
                close(
                    ests[i].std_error.unwrap(),
                    perr,
                    1e-6,
                    &format!("{name} perr[{i}]"),
                );
            }
        }
        close(
            f.ssr,
            c["ssr"].as_f64().unwrap(),
            1e-6,
            &format!("{name} ssr"),
        );
        let ub = usl::fit_with(
            &points,
            &usl::FitOptions {
                bounded: false,
                ..opts.clone()
            },
        )
        .unwrap();
        for (i, v) in floats(&c["unbounded"]).into_iter().enumerate() {
            close(
                ub.params.to_array()[i],
                v,
                1e-6,
                &format!("{name} unbounded[{i}]"),
            );
        }
        let cmp = f.compare_amdahl().unwrap();
        let am = floats(&c["amdahl"]);
        close(cmp.amdahl.lambda, am[0], 1e-6, &format!("{name} amdahl λ"));
        if am[1] == 0.0 {
            assert_eq!(cmp.amdahl.sigma, 0.0, "{name} amdahl σ");
        } else {
            close(cmp.amdahl.sigma, am[1], 1e-6, &format!("{name} amdahl σ"));
        }
        assert_eq!(cmp.amdahl.kappa, 0.0);
        close(
            cmp.amdahl_ssr,
            c["amdahl_ssr"].as_f64().unwrap(),
            1e-6,
            &format!("{name} amdahl ssr"),
        );
        let fs = c["f_statistic"].as_f64().unwrap();
        let got = cmp.f_statistic.unwrap();
        assert!(
            (got - fs).abs() <= 1e-6 * fs.max(1e-3),
            "{name} F {got} vs {fs}"
        );
        let p = c["f_p_value"].as_f64().unwrap();
        assert!(
            (cmp.p_value.unwrap() - p).abs() <= 1e-6 * p.max(1e-3),
            "{name} p"
        );
        match c["saturation"].as_object() {
            Some(sat) => {
                let got = f.model_saturation(0.05).unwrap();
                let iv = got.interval.unwrap();
                let (lo, hi) = (
                    sat["lower"].as_f64().unwrap(),
                    sat["upper"].as_f64().unwrap(),
                );
                close(
                    got.estimate,
                    sat["load"].as_f64().unwrap(),
                    1e-6,
                    &format!("{name} Ns"),
                );
                // The reference gradient is by central differences: 1e-6 of the width.
                assert!((iv.lower - lo).abs() <= 1e-6 * (hi - lo), "{name} Ns lower");
                assert!((iv.upper - hi).abs() <= 1e-6 * (hi - lo), "{name} Ns upper");
            }
            None => assert_eq!(f.model_saturation(0.05), None, "{name} no peak"),
        }
        for pr in c["predictions"].as_array().unwrap() {
            let n = pr["load"].as_f64().unwrap();
            let got = f.predict(n);
            close(
                got.estimate,
                pr["throughput"].as_f64().unwrap(),
                1e-6,
                &format!("{name} X({n})"),
            );
            let ci = floats(&pr["confidence"]);
            let iv = got.interval.unwrap();
            close(iv.lower, ci[0], 1e-6, &format!("{name} ci lower {n}"));
            close(iv.upper, ci[1], 1e-6, &format!("{name} ci upper {n}"));
            match pr["prediction"].as_array() {
                Some(_) => {
                    let pi = floats(&pr["prediction"]);
                    let got = f.prediction_interval(n).unwrap();
                    close(got.lower, pi[0], 1e-6, &format!("{name} pi lower {n}"));
                    close(got.upper, pi[1], 1e-6, &format!("{name} pi upper {n}"));
                }
                None => assert_eq!(f.prediction_interval(n), None, "{name} weighted"),
            }
        }
    }
}

fn fixture_case(name: &str) -> Value {
    bounded_fixtures()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone()
}

#[test]
fn analysis_is_bounded_by_default_and_warns_at_a_bound() {
    let c = fixture_case("near_linear");
    let mut runs = table_runs(
        &floats(&c["levels"])
            .into_iter()
            .zip(floats(&c["throughput"]))
            .collect::<Vec<_>>(),
    );
    // Mean latencies consistent with Little's law (R = N/X), in ms.
    for r in &mut runs {
        if let RunData::Aggregates(a) = &mut r.data {
            a.mean = Some(1000.0 * r.level / a.throughput);
        }
    }
    let opts = Options {
        predict: vec![96.0, 128.0],
        ..Options::default()
    };
    let a = analyze(&runs, &opts).unwrap();
    let f = a.fit.as_ref().unwrap();
    assert_eq!(f.at_bound, [None, None, Some(0.0)]);
    let popt = floats(&c["popt"]);
    close(f.params.lambda, popt[0], 1e-6, "λ");
    let u = a.unbounded_fit.as_ref().unwrap();
    close(
        u.params.kappa,
        floats(&c["unbounded"])[2],
        1e-6,
        "unbounded κ",
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.starts_with("κ is at its bound 0 (unbounded fit: -1.3705e-5)")),
        "{:?}",
        a.notes
    );
    // κ held at 0 is Amdahl's law: F = 0, p = 1.
    let cmp = a.amdahl.as_ref().unwrap();
    assert_eq!((cmp.f_statistic, cmp.p_value), (Some(0.0), Some(1.0)));
    assert!(a.peak.is_err());
    // Predictions with Little's law response time in ms: R = N/X̂(N).
    let preds = &a.predictions;
    assert_eq!(preds.len(), 2);
    let want = c["predictions"][1].clone();
    close(
        preds[1].throughput.estimate,
        want["throughput"].as_f64().unwrap(),
        1e-6,
        "X(128)",
    );
    let pi = floats(&want["prediction"]);
    close(
        preds[1].prediction_interval.unwrap().upper,
        pi[1],
        1e-6,
        "PI(128)",
    );
    let r = preds[1].response_time.unwrap();
    close(
        r.estimate,
        1000.0 * 128.0 / preds[1].throughput.estimate,
        1e-12,
        "R(128)",
    );
    let ci = floats(&want["confidence"]);
    close(
        r.interval.unwrap().lower,
        1000.0 * 128.0 / ci[1],
        1e-6,
        "R lower",
    );

    // --fit unbounded: the unconstrained fit, its κ < 0 warned about with where it blows up.
    let a = analyze(
        &runs,
        &Options {
            fit_method: perfstat_capacity::FitMethod::Unbounded,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(a.unbounded_fit.is_none());
    assert!(a.fit.as_ref().unwrap().params.kappa < 0.0);
    assert!(
        a.notes.iter().any(
            |n| n.starts_with("κ = -1.3705e-5 < 0: the curve bends upwards")
                && n.contains("goes to infinity at N ≈")
        ),
        "{:?}",
        a.notes
    );
}

#[test]
fn a_stddev_per_row_weighs_the_fit() {
    let c = fixture_case("weighted_replicates");
    let runs: Vec<Run> = floats(&c["levels"])
        .into_iter()
        .zip(floats(&c["throughput"]))
        .zip(floats(&c["sd"]))
        .enumerate()
        .map(|(i, ((n, x), sd))| Run {
            level: n,
            source: format!("row {}", i + 1),
            data: RunData::Aggregates(Aggregates {
                throughput: x,
                throughput_sd: Some(sd),
                ..Aggregates::default()
            }),
        })
        .collect();
    let a = analyze(&runs, &Options::default()).unwrap();
    let f = a.fit.as_ref().unwrap();
    assert!(f.weighted);
    assert_eq!(f.points, 10);
    assert_eq!(a.levels.len(), 5);
    close(f.params.kappa, floats(&c["popt"])[2], 1e-6, "weighted κ");
    assert_eq!(f.at_bound[1], Some(0.0));
    assert!(a.notes.iter().any(|n| n.starts_with("σ is at its bound 0")));
}

#[test]
fn per_request_replicates_are_pooled_with_the_runs_spread_as_interval() {
    let req = |level: f64, total: u64, failed: u64, secs: f64, lat: f64| Run {
        level,
        source: format!("run-{level}-{total}"),
        data: RunData::Requests(perfstat_capacity::Requests {
            latencies: vec![lat; usize::try_from(total - failed).unwrap()],
            total,
            failed: Some(failed),
            duration_s: secs,
        }),
    };
    let runs = vec![
        req(1.0, 100, 0, 10.0, 100.0),
        req(2.0, 190, 2, 10.0, 105.0),
        req(2.0, 200, 0, 10.0, 100.0),
        req(4.0, 350, 5, 10.0, 114.0),
        req(8.0, 440, 10, 10.0, 182.0),
    ];
    let a = analyze(&runs, &Options::default()).unwrap();
    let two = &a.levels[1];
    assert_eq!(two.replicates, vec![19.0, 20.0]);
    assert_eq!(two.throughput.estimate, 19.5);
    assert_eq!(two.requests, Some(390));
    assert_eq!(two.failed, Some(2));
    assert_eq!(two.duration_s, Some(20.0));
    assert_eq!(two.source, "run-2-190 + run-2-200");
    let e = two.error_rate.unwrap();
    assert!((e.estimate - 2.0 / 390.0).abs() < 1e-15);
    // The mean latency pools both runs' successful requests: (188·105 + 200·100)/388.
    let mean = (188.0 * 105.0 + 200.0 * 100.0) / 388.0;
    assert!((two.mean_latency.unwrap() - mean).abs() < 1e-9);
    assert_eq!(a.fit.as_ref().unwrap().points, 5);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 10, ..Default::default() })]

    /// On any table (zeros and retrograde points included) the bounded fit is inside the box and
    /// no worse than the unbounded optimum projected onto the box; when no bound is active, it is
    /// the unbounded fit. (It can be better than the unbounded fit: on such tables the unbounded
    /// iteration may stop in a local minimum outside the box, which the search over the faces
    /// avoids — the saved regression case is one.)
    #[test]
    fn bounded_fit_is_feasible_and_optimal(
        xs in proptest::collection::vec(0.0f64..200.0, 4..8),
    ) {
        let points: Vec<(f64, f64)> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| (f64::from(1u32 << i.min(20)), x))
            .collect();
        proptest::prop_assume!(points.iter().any(|p| p.1 > 0.0));
        let Ok(b) = usl::fit_with(&points, &usl::FitOptions::bounded(Confidence::DEFAULT)) else {
            return Ok(());
        };
        let p = b.params;
        proptest::prop_assert!(p.lambda >= 0.0 && (0.0..=1.0).contains(&p.sigma) && (0.0..=1.0).contains(&p.kappa));
        if let Ok(u) = usl::fit_with(&points, &usl::FitOptions::unbounded(Confidence::DEFAULT)) {
            let q = u.params;
            let clamped = UslParams {
                lambda: q.lambda.max(0.0),
                sigma: q.sigma.clamp(0.0, 1.0),
                kappa: q.kappa.clamp(0.0, 1.0),
            };
            let tol = 1e-9 * (b.ssr.abs() + 1e-300);
            proptest::prop_assert!(b.ssr <= b.ssr_at(clamped) + tol, "{} > {}", b.ssr, b.ssr_at(clamped));
            if b.at_bound.iter().all(Option::is_none) {
                proptest::prop_assert_eq!(b.params, u.params);
            }
        }
    }
}

#[test]
fn prediction_loads_are_finite_and_positive() {
    use perfstat_capacity::parse_load;
    assert_eq!(parse_load(" 96 "), Ok(96.0));
    assert_eq!(parse_load("0.5"), Ok(0.5));
    for bad in ["0", "-3", "inf", "NaN", "ten"] {
        assert_eq!(
            parse_load(bad),
            Err(format!("expected a positive number, found {bad:?}"))
        );
    }
}
