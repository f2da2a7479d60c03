//! The rest of `perfstat ab`: relative difference, quantile differences,
//! verdict, diagnostics and p-value adjustment.
//!
//! Fixture `tests/fixtures/ab.json` from `scripts/reference/gen_ab.py`
//! (numpy/scipy; Fieller/delta intervals and Holm implemented there by hand,
//! BH by `scipy.stats.false_discovery_control`).

use perfstat_stats::adjust::{Adjustment, adjust};
use perfstat_stats::compare::diagnostics::{
    bimodality_coefficient, lag1_autocorrelation, minimum_detectable_effect,
};
use perfstat_stats::compare::{
    AbWarning, CompareConfig, Direction, Driver, Pair, QuantileBootstrap, TimeOrder, Verdict,
    VerdictConfig, compare, compare_in_order, quantile_differences, relative_mean_difference,
    relative_mean_difference_delta,
};
use perfstat_stats::{Confidence, Sample, Undefined};
use rand::Rng;
use rand_pcg::Pcg64;
use serde_json::Value;

/// Fieller and delta interval bounds against the Python implementation (relative).
const RELATIVE_REL: f64 = 1e-9;
/// Holm / BH adjusted p-values (relative).
const ADJUST_REL: f64 = 1e-14;
/// Lag-1 autocorrelation, bimodality coefficient, MDE (relative).
const DIAG_REL: f64 = 1e-9;

const FIXTURE: &str = include_str!("../fixtures/ab.json");

fn uniform(rng: &mut Pcg64) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

fn normal(rng: &mut Pcg64) -> f64 {
    let (u1, u2) = (uniform(rng), uniform(rng));
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn normals(rng: &mut Pcg64, n: usize, mean: f64, sd: f64) -> Vec<f64> {
    (0..n).map(|_| mean + sd * normal(rng)).collect()
}

fn lognormals(rng: &mut Pcg64, n: usize, median: f64, sigma: f64) -> Vec<f64> {
    (0..n)
        .map(|_| median * (sigma * normal(rng)).exp())
        .collect()
}

fn sample(v: Vec<f64>) -> Sample {
    Sample::new(v).expect("valid sample")
}

fn cfg(min_effect: f64, seed: u64, resamples: usize) -> CompareConfig {
    CompareConfig {
        verdict: VerdictConfig::new(
            0.05,
            min_effect,
            Direction::LowerIsBetter,
            Confidence::DEFAULT,
        )
        .expect("valid"),
        bootstrap: QuantileBootstrap { seed, resamples },
    }
}

#[test]
fn thirty_percent_shift_is_regressed() {
    let mut rng = Pcg64::new(1, 0);
    let c = sample(lognormals(&mut rng, 250, 100.0, 0.4));
    let t = sample(lognormals(&mut rng, 240, 130.0, 0.4));
    let pair = Pair {
        control: &c,
        treatment: &t,
    };
    let r = compare(pair, &cfg(0.02, 1, 2000));
    assert_eq!(r.verdict.verdict, Verdict::Regressed, "{}", r.verdict);
    // higher is better: the same data is an improvement... of the other way round
    let mut higher = cfg(0.02, 1, 2000);
    higher.verdict =
        VerdictConfig::new(0.05, 0.02, Direction::HigherIsBetter, Confidence::DEFAULT).unwrap();
    assert_eq!(compare(pair, &higher).verdict.verdict, Verdict::Improved);
}

#[test]
fn same_sample_twice_is_no_significant_change() {
    let mut rng = Pcg64::new(2, 0);
    let c = sample(lognormals(&mut rng, 300, 50.0, 0.5));
    let pair = Pair {
        control: &c,
        treatment: &c,
    };
    let r = compare(pair, &cfg(0.0, 2, 1000));
    assert_eq!(
        r.verdict.verdict,
        Verdict::NoSignificantChange,
        "{}",
        r.verdict
    );
    let r = compare(pair, &cfg(0.02, 2, 1000));
    assert_ne!(r.verdict.verdict, Verdict::Regressed);
    assert_ne!(r.verdict.verdict, Verdict::Improved);
}

#[test]
fn half_percent_shift_with_two_percent_margin_is_equivalent() {
    let mut rng = Pcg64::new(3, 0);
    let c = sample(normals(&mut rng, 20_000, 100.0, 5.0));
    let t = sample(normals(&mut rng, 20_000, 100.5, 5.0));
    let pair = Pair {
        control: &c,
        treatment: &t,
    };
    let r = compare(pair, &cfg(0.02, 3, 2000));
    assert_eq!(r.verdict.verdict, Verdict::Equivalent, "{}", r.verdict);
    // never equivalent without a margin
    let r0 = compare(pair, &cfg(0.0, 3, 2000));
    assert_ne!(r0.verdict.verdict, Verdict::Equivalent);
}

#[test]
fn skewed_data_are_driven_by_ranks_and_normal_by_means() {
    let mut rng = Pcg64::new(4, 0);
    let c = sample(lognormals(&mut rng, 400, 100.0, 1.0));
    let t = sample(lognormals(&mut rng, 400, 100.0, 1.0));
    let r = compare(
        Pair {
            control: &c,
            treatment: &t,
        },
        &cfg(0.0, 4, 500),
    );
    assert_eq!(
        r.verdict.driver,
        Some(Driver::Ranks),
        "{}",
        r.verdict.driver_reason
    );
    let c = sample(normals(&mut rng, 100, 100.0, 10.0));
    let t = sample(normals(&mut rng, 100, 100.0, 10.0));
    let r = compare(
        Pair {
            control: &c,
            treatment: &t,
        },
        &cfg(0.0, 4, 500),
    );
    assert_eq!(
        r.verdict.driver,
        Some(Driver::Means),
        "{}",
        r.verdict.driver_reason
    );
}

#[test]
fn constants_are_insufficient_or_decided_by_what_is_defined() {
    let a = sample(vec![7.0; 5]);
    let b = sample(vec![7.0; 6]);
    let r = compare(
        Pair {
            control: &a,
            treatment: &b,
        },
        &cfg(0.02, 0, 200),
    );
    assert_eq!(r.verdict.verdict, Verdict::InsufficientData);
    assert_eq!(r.welch_t.err(), Some(Undefined::ZeroVariance));
    assert_eq!(r.mann_whitney_u.err(), Some(Undefined::ZeroVariance));
    assert!(r.cohens_d.is_err() && r.relative_mean_difference.is_err());
    // Two different constants: Welch is undefined, the rank test decides.
    let c = sample(vec![7.0; 10]);
    let t = sample(vec![9.0; 10]);
    let r = compare(
        Pair {
            control: &c,
            treatment: &t,
        },
        &cfg(0.02, 0, 200),
    );
    assert!(r.welch_t.is_err());
    assert_eq!(r.verdict.driver, Some(Driver::Ranks));
    assert_eq!(r.verdict.verdict, Verdict::Regressed, "{}", r.verdict);
    // One value each: Welch undefined, nothing panics.
    let one = sample(vec![1.0]);
    let two = sample(vec![2.0]);
    let r = compare(
        Pair {
            control: &one,
            treatment: &two,
        },
        &cfg(0.02, 0, 200),
    );
    assert!(r.welch_t.is_err());
    assert!(!matches!(
        r.verdict.verdict,
        Verdict::Regressed | Verdict::Improved
    ));
}

#[test]
fn bootstrap_intervals_reproduce_contain_estimates_and_ignore_thread_count() {
    let mut rng = Pcg64::new(5, 0);
    let c = sample(lognormals(&mut rng, 3000, 100.0, 0.6));
    let t = sample(lognormals(&mut rng, 2500, 105.0, 0.6));
    let pair = Pair {
        control: &c,
        treatment: &t,
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| {
                quantile_differences(
                    pair,
                    &[0.5, 0.95, 0.99],
                    Confidence::DEFAULT,
                    QuantileBootstrap {
                        seed: 42,
                        resamples: 3000,
                    },
                )
                .expect("defined")
            })
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(1));
    for d in &one {
        let e = d.difference;
        assert!(e.lower <= e.estimate && e.estimate <= e.upper, "{d:?}");
        let r = d.relative.expect("defined");
        assert!(r.lower <= r.estimate && r.estimate <= r.upper, "{d:?}");
    }
    let other = quantile_differences(
        pair,
        &[0.5],
        Confidence::DEFAULT,
        QuantileBootstrap {
            seed: 43,
            resamples: 3000,
        },
    )
    .expect("defined");
    assert_ne!(one[0].difference, other[0].difference);
}

#[test]
fn order_statistic_bootstrap_agrees_with_naive_bootstrap_two_sample() {
    // The colleague's naive resampler (Bootstrap::two_sample_quantile_diff,
    // percentile) and ours must give the same interval up to Monte Carlo error.
    use perfstat_stats::bootstrap::{Bootstrap, Method};
    let mut rng = Pcg64::new(10, 0);
    let c = sample(lognormals(&mut rng, 300, 100.0, 0.5));
    let t = sample(lognormals(&mut rng, 250, 110.0, 0.5));
    let pair = Pair {
        control: &c,
        treatment: &t,
    };
    for p in [0.5, 0.95] {
        let naive = Bootstrap::new()
            .resamples(4000)
            .seed(1)
            .method(Method::Percentile)
            .two_sample_quantile_diff(c.sorted(), t.sorted(), p)
            .expect("defined");
        let fast = quantile_differences(
            pair,
            &[p],
            Confidence::DEFAULT,
            QuantileBootstrap {
                seed: 2,
                resamples: 4000,
            },
        )
        .expect("defined");
        let f = &fast[0];
        assert_eq!(f.difference.estimate, naive.estimate);
        let se = naive.std_error;
        assert!(
            (f.std_error / se - 1.0).abs() < 0.1,
            "p = {p}: {} vs {se}",
            f.std_error
        );
        assert!(
            (f.difference.lower - naive.interval.lower).abs() < 0.3 * se,
            "p = {p}"
        );
        assert!(
            (f.difference.upper - naive.interval.upper).abs() < 0.3 * se,
            "p = {p}"
        );
    }
}

#[test]
fn median_difference_interval_coverage() {
    // 200 seeded pairs of exponential samples (n = 80 and 60, scales 10 and
    // 12): the true median difference is (12 − 10)·ln 2. Deterministic.
    let mut rng = Pcg64::new(6, 0);
    let truth = 2.0 * std::f64::consts::LN_2;
    let mut covered = 0;
    for i in 0..200 {
        let c = sample((0..80).map(|_| -10.0 * uniform(&mut rng).ln()).collect());
        let t = sample((0..60).map(|_| -12.0 * uniform(&mut rng).ln()).collect());
        let d = quantile_differences(
            Pair {
                control: &c,
                treatment: &t,
            },
            &[0.5],
            Confidence::DEFAULT,
            QuantileBootstrap {
                seed: i,
                resamples: 1000,
            },
        )
        .expect("defined");
        if d[0].difference.lower <= truth && truth <= d[0].difference.upper {
            covered += 1;
        }
    }
    assert!((180..=198).contains(&covered), "covered {covered}/200");
}

#[test]
fn fieller_interval_coverage() {
    // 1000 seeded normal pairs (n = 15 and 25): the true relative difference
    // is 110/100 − 1 = 0.1. Expected 95 %; accept 93–97 %.
    let mut rng = Pcg64::new(7, 0);
    let (mut fieller, mut delta) = (0, 0);
    for _ in 0..1000 {
        let c = sample(normals(&mut rng, 15, 100.0, 30.0));
        let t = sample(normals(&mut rng, 25, 110.0, 20.0));
        let pair = Pair {
            control: &c,
            treatment: &t,
        };
        let f = relative_mean_difference(pair, Confidence::DEFAULT).expect("bounded");
        let d = relative_mean_difference_delta(pair, Confidence::DEFAULT).expect("defined");
        fieller += usize::from(f.estimate.lower <= 0.1 && 0.1 <= f.estimate.upper);
        delta += usize::from(d.estimate.lower <= 0.1 && 0.1 <= d.estimate.upper);
    }
    assert!(
        (930..=970).contains(&fieller),
        "Fieller covered {fieller}/1000"
    );
    assert!((900..=980).contains(&delta), "delta covered {delta}/1000");
}

#[test]
fn warnings_carry_their_numbers() {
    let mut rng = Pcg64::new(8, 0);
    // AR(1) with φ = 0.8 in the control, bimodal treatment, 5× sizes.
    let mut x = 0.0;
    let control: Vec<f64> = (0..1000)
        .map(|_| {
            x = 0.8 * x + normal(&mut rng);
            100.0 + x
        })
        .collect();
    let treatment: Vec<f64> = (0..150)
        .map(|i| if i % 2 == 0 { 80.0 } else { 120.0 } + normal(&mut rng))
        .collect();
    let (c, t) = (sample(control.clone()), sample(treatment.clone()));
    let r = compare_in_order(
        Pair {
            control: &c,
            treatment: &t,
        },
        TimeOrder {
            control: &control,
            treatment: &treatment,
        },
        &cfg(0.001, 0, 200),
    );
    let ac = r.warnings.iter().find_map(|w| match w {
        AbWarning::Autocorrelation {
            lag1, effective_n, ..
        } => Some((*lag1, *effective_n)),
        _ => None,
    });
    let (lag1, ess) = ac.expect("autocorrelation warning");
    assert!((0.7..0.9).contains(&lag1) && ess < 200.0, "{lag1} {ess}");
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, AbWarning::Bimodal { .. }))
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, AbWarning::UnequalSizes { .. }))
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, AbWarning::Underpowered { .. }))
    );
    for w in &r.warnings {
        assert!(!w.to_string().is_empty());
    }
}

// ------------------------------------------------------------- fixtures ---

fn rel_err(got: f64, want: f64) -> f64 {
    if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn check(fails: &mut Vec<String>, what: &str, got: f64, want: &Value, tol: f64) {
    match want.as_f64() {
        Some(w) if rel_err(got, w) <= tol => {}
        _ => fails.push(format!("{what}: got {got:e}, want {want}")),
    }
}

#[test]
fn fixture_relative_and_diagnostics() {
    let doc: Value = serde_json::from_str(FIXTURE).expect("fixture");
    let conf = Confidence::new(doc["confidence"].as_f64().expect("confidence")).expect("valid");
    let alpha = doc["alpha"].as_f64().expect("alpha");
    let mut fails = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let cv = floats(&case["control"]);
        let tv = floats(&case["treatment"]);
        let (c, t) = (sample(cv.clone()), sample(tv.clone()));
        let pair = Pair {
            control: &c,
            treatment: &t,
        };
        let e = &case["expected"];
        for (key, got) in [
            ("fieller", relative_mean_difference(pair, conf)),
            ("delta", relative_mean_difference_delta(pair, conf)),
        ] {
            match (got, e[key].is_null()) {
                (Ok(r), false) => {
                    for (k, g) in [
                        ("estimate", r.estimate.estimate),
                        ("lower", r.estimate.lower),
                        ("upper", r.estimate.upper),
                    ] {
                        check(
                            &mut fails,
                            &format!("{name} {key}.{k}"),
                            g,
                            &e[key][k],
                            RELATIVE_REL,
                        );
                    }
                    check(
                        &mut fails,
                        &format!("{name} {key}.df"),
                        r.df,
                        &e[key]["df"],
                        RELATIVE_REL,
                    );
                    assert!(
                        r.estimate.lower <= r.estimate.estimate
                            && r.estimate.estimate <= r.estimate.upper
                    );
                }
                (Err(_), true) => {}
                (got, _) => fails.push(format!("{name} {key}: got {got:?}, want {}", e[key])),
            }
        }
        check(
            &mut fails,
            &format!("{name} lag1"),
            lag1_autocorrelation(&cv).expect("defined"),
            &e["lag1_control"],
            DIAG_REL,
        );
        check(
            &mut fails,
            &format!("{name} bimodality"),
            bimodality_coefficient(&t).expect("defined"),
            &e["bimodality_treatment"],
            DIAG_REL,
        );
        check(
            &mut fails,
            &format!("{name} mde"),
            minimum_detectable_effect(pair, alpha).expect("defined"),
            &e["mde"],
            DIAG_REL,
        );
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn fixture_adjusted_p_values() {
    let doc: Value = serde_json::from_str(FIXTURE).expect("fixture");
    let mut fails = Vec::new();
    for case in doc["adjust"].as_array().expect("adjust") {
        let p = floats(&case["p"]);
        for (key, method) in [
            ("holm", Adjustment::Holm),
            ("bh", Adjustment::BenjaminiHochberg),
        ] {
            let got = adjust(&p, method).expect("valid");
            let want = floats(&case[key]);
            assert_eq!(got.len(), want.len());
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                if rel_err(*g, *w) > ADJUST_REL {
                    fails.push(format!(
                        "{key} case {} [{i}]: got {g:e}, want {w:e}",
                        case["name"]
                    ));
                }
            }
            // monotone in the raw p-values, never below them, at most 1
            for i in 0..p.len() {
                assert!(got[i] >= p[i] && got[i] <= 1.0);
                for j in 0..p.len() {
                    if p[i] <= p[j] {
                        assert!(got[i] <= got[j], "{key}: not monotone");
                    }
                }
            }
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}
