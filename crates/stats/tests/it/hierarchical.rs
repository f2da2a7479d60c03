//! `perfstat_stats::hierarchical` (A/B over repeated runs) against
//! `tests/fixtures/hierarchical.json` (scripts/reference/gen_hierarchical.py: numpy/scipy), and
//! simulations with known effects: bootstrap coverage and the false-alarm rate at ICC 0.3.

use perfstat_stats::compare::{Direction, Pair, Verdict, VerdictConfig, welch_t};
use perfstat_stats::dist::{chi2_quantile, f_quantile};
use perfstat_stats::hierarchical::{
    RunStat, RunWarning, RunsComparison, RunsConfig, VarianceComponents, compare_runs,
};
use perfstat_stats::{Confidence, Estimate, Sample, Stat};
use rand::Rng;
use rand_pcg::Pcg64;
use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/hierarchical.json");
/// Sums of squares over a few hundred values and bisected quantiles: 1e-9 relative.
const REL: f64 = 1e-9;

fn close(got: f64, want: f64, tol: f64) -> bool {
    let scale = want.abs().max(1e-300);
    ((got - want) / scale).abs() <= tol
}

fn runs(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn check_est(fails: &mut Vec<String>, what: &str, got: &Stat<Estimate>, want: &Value) {
    match (got, want.as_array()) {
        (Ok(e), Some(w)) => {
            for (g, w, part) in [
                (e.estimate, &w[0], "estimate"),
                (e.lower, &w[1], "lower"),
                (e.upper, &w[2], "upper"),
            ] {
                if !close(g, f(w), REL) {
                    fails.push(format!("{what}.{part}: got {g}, want {w}"));
                }
            }
        }
        (Err(_), None) => {}
        (g, w) => fails.push(format!("{what}: got {g:?}, want {w:?}")),
    }
}

fn config(stat: RunStat, resamples: usize, seed: u64) -> RunsConfig {
    RunsConfig {
        stat,
        verdict: VerdictConfig::default(),
        seed,
        resamples,
        run_cost: None,
        target_effect: None,
        assumed_icc: None,
    }
}

fn named(runs: &[Vec<f64>]) -> Vec<(String, &[f64])> {
    runs.iter()
        .enumerate()
        .map(|(i, r)| (format!("run{}", i + 1), r.as_slice()))
        .collect()
}

fn compare(c: &[Vec<f64>], t: &[Vec<f64>], cfg: &RunsConfig) -> RunsComparison {
    let c = named(c);
    let t = named(t);
    let c: Vec<(&str, &[f64])> = c.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let t: Vec<(&str, &[f64])> = t.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    compare_runs(&c, &t, cfg).unwrap()
}

#[test]
fn quantiles_match_scipy() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    for row in doc["quantiles"]["chi2"].as_array().unwrap() {
        let got = chi2_quantile(f(&row[0]), f(&row[1])).unwrap();
        assert!(close(got, f(&row[2]), 1e-12), "chi2 {row}: {got}");
    }
    for row in doc["quantiles"]["f"].as_array().unwrap() {
        let got = f_quantile(f(&row[0]), f(&row[1]), f(&row[2])).unwrap();
        assert!(close(got, f(&row[3]), 1e-10), "F {row}: {got}");
    }
    assert!(chi2_quantile(0.0, 3.0).is_err() && f_quantile(0.5, 0.0, 1.0).is_err());
}

#[test]
fn components_and_run_statistics_match_numpy_scipy() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut fails = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let c = runs(&case["control"]);
        let t = runs(&case["treatment"]);
        for (arm, data) in [("control", &c), ("treatment", &t)] {
            let slices: Vec<&[f64]> = data.iter().map(Vec::as_slice).collect();
            let got = VarianceComponents::of(&slices, Confidence::DEFAULT);
            let want = &case[format!("{arm}_components")];
            let what = |k: &str| format!("{name}.{arm}.{k}");
            check_est(&mut fails, &what("within"), &got.within, &want["within"]);
            check_est(&mut fails, &what("between"), &got.between, &want["between"]);
            check_est(&mut fails, &what("icc"), &got.icc, &want["icc"]);
            for (k, g) in [
                ("n0", Ok(got.n0)),
                ("between_raw", got.between_raw),
                ("effective_n", got.effective_n),
            ] {
                let g = g.unwrap();
                if !close(g, f(&want[k]), REL) {
                    fails.push(format!("{}: got {g}, want {}", what(k), want[k]));
                }
            }
        }
        for stat in ["mean", "median", "p95", "p99"] {
            let s = RunStat::parse(stat).unwrap();
            let r = compare(&c, &t, &config(s, 50, 1));
            let want = &case["run_stats"][stat];
            for (arm, got) in [
                ("control", &r.control_runs),
                ("treatment", &r.treatment_runs),
            ] {
                for (g, w) in got.iter().zip(want[arm].as_array().unwrap()) {
                    if !close(g.stat, f(w), 1e-12) {
                        fails.push(format!("{name}.{stat}.{arm}: got {}, want {w}", g.stat));
                    }
                }
            }
            let w = &case["welch"][stat];
            let got = r.welch.as_ref().unwrap();
            let d = r.difference.welch.as_ref().unwrap();
            for (k, g) in [
                ("statistic", got.statistic),
                ("df", got.df),
                ("p_value", got.p_value),
                ("lower", d.lower),
                ("upper", d.upper),
            ] {
                if !close(g, f(&w[k]), 1e-9) {
                    fails.push(format!("{name}.{stat}.welch.{k}: got {g}, want {}", w[k]));
                }
            }
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

/// N(0, 1) by Box–Muller on 53-bit uniforms.
fn normal(rng: &mut Pcg64) -> f64 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// k runs of n requests: 100 + shift + b_i + e_ij, b ~ N(0, icc), e ~ N(0, 1 − icc).
fn simulate(rng: &mut Pcg64, k: usize, n: usize, icc: f64, shift: f64) -> Vec<Vec<f64>> {
    (0..k)
        .map(|_| {
            let b = icc.sqrt() * normal(rng);
            (0..n)
                .map(|_| 100.0 + shift + b + (1.0 - icc).sqrt() * normal(rng))
                .collect()
        })
        .collect()
}

/// Coverage of the 95 % bootstrap intervals of the difference and the ratio, and how often the
/// run-level verdict and a per-request Welch test call a change.
struct Sim {
    covered_difference: usize,
    covered_ratio: usize,
    run_level_calls: usize,
    per_request_calls: usize,
    comparisons: usize,
}

fn sim(comparisons: usize, k: usize, n: usize, icc: f64, shift: f64, resamples: usize) -> Sim {
    sim_stat(comparisons, (k, n), icc, shift, resamples, RunStat::Mean)
}

fn sim_stat(
    comparisons: usize,
    (k, n): (usize, usize),
    icc: f64,
    shift: f64,
    resamples: usize,
    stat: RunStat,
) -> Sim {
    let mut s = Sim {
        covered_difference: 0,
        covered_ratio: 0,
        run_level_calls: 0,
        per_request_calls: 0,
        comparisons,
    };
    for i in 0..comparisons {
        let mut rng = Pcg64::new(0x5eed, i as u128);
        let c = simulate(&mut rng, k, n, icc, 0.0);
        let t = simulate(&mut rng, k, n, icc, shift);
        let r = compare(&c, &t, &config(stat, resamples, i as u64));
        let d = r.difference.bootstrap.as_ref().unwrap();
        let q = r.ratio.bootstrap.as_ref().unwrap();
        s.covered_difference += usize::from(d.lower <= shift && shift <= d.upper);
        let ratio = (100.0 + shift) / 100.0;
        s.covered_ratio += usize::from(q.lower <= ratio && ratio <= q.upper);
        s.run_level_calls += usize::from(matches!(
            r.verdict.verdict,
            Verdict::Improved | Verdict::Regressed
        ));
        let pool = |x: &[Vec<f64>]| Sample::new(x.concat()).unwrap();
        let (pc, pt) = (pool(&c), pool(&t));
        let w = welch_t(
            Pair {
                control: &pc,
                treatment: &pt,
            },
            Confidence::DEFAULT,
        )
        .unwrap();
        s.per_request_calls += usize::from(w.p_value < 0.05);
    }
    s
}

fn pct(x: usize, of: usize) -> f64 {
    100.0 * x as f64 / of as f64
}

/// Fast in-suite version of the coverage and false-alarm checks (50 comparisons, 150 resamples).
#[test]
fn coverage_and_false_alarms_small() {
    let s = sim(50, 8, 20, 0.3, 0.0, 150);
    let cov = pct(s.covered_difference, s.comparisons);
    assert!((85.0..=100.0).contains(&cov), "coverage {cov}%");
    assert!(pct(s.per_request_calls, s.comparisons) >= 30.0);
    assert!(pct(s.run_level_calls, s.comparisons) <= 12.0);
}

/// The done-when check, run once in release: `cargo test --release -p perfstat-stats --test it
/// hierarchical::coverage_and_false_alarms_full -- --ignored --nocapture`.
#[test]
#[ignore = "about a minute in release; the figures are in docs/ab-runs.md"]
fn coverage_and_false_alarms_full() {
    for (k, n, icc, shift) in [
        (10, 50, 0.3, 0.5),
        (5, 50, 0.3, 0.5),
        (5, 50, 0.05, 0.2),
        (10, 20, 0.01, 0.1),
    ] {
        let s = sim(600, k, n, icc, shift, 1000);
        println!(
            "k = {k} runs/arm, n = {n}, ICC {icc}, shift {shift}: coverage difference {:.1}%, ratio {:.1}%",
            pct(s.covered_difference, s.comparisons),
            pct(s.covered_ratio, s.comparisons)
        );
        for covered in [s.covered_difference, s.covered_ratio] {
            assert!((93.0..=97.0).contains(&pct(covered, s.comparisons)));
        }
    }
    // The p95 of each run: the arms differ by a location shift, so the p95s differ by it too.
    let s = sim_stat(600, (10, 50), 0.3, 0.5, 1000, RunStat::P95);
    let cov = pct(s.covered_difference, s.comparisons);
    println!("k = 10 runs/arm, n = 50, ICC 0.3, shift 0.5, run p95: coverage difference {cov:.1}%");
    assert!((93.0..=97.0).contains(&cov));
    let s = sim(600, 5, 50, 0.3, 0.0, 1000);
    println!(
        "null, k = 5, n = 50, ICC 0.3: per-request Welch calls a change in {:.1}%, run-level verdict in {:.1}%",
        pct(s.per_request_calls, s.comparisons),
        pct(s.run_level_calls, s.comparisons)
    );
    assert!(pct(s.per_request_calls, s.comparisons) >= 30.0);
    assert!(pct(s.run_level_calls, s.comparisons) <= 6.0);
}

#[test]
fn warnings_have_numbers_and_one_run_is_insufficient() {
    let mut rng = Pcg64::new(3, 0);
    let c = simulate(&mut rng, 1, 30, 0.3, 0.0);
    let t = simulate(&mut rng, 1, 30, 0.3, 0.0);
    let mut cfg = config(RunStat::Mean, 100, 0);
    cfg.assumed_icc = Some(0.3);
    let r = compare(&c, &t, &cfg);
    assert_eq!(r.verdict.verdict, Verdict::InsufficientData);
    // 30 requests at ICC 0.3: 30/(1 + 29·0.3) = 3.09 independent ones.
    let one = r
        .warnings
        .iter()
        .find(|w| matches!(w, RunWarning::OneRun { arm: "control", .. }))
        .unwrap();
    assert!(
        one.to_string().contains("worth about 3.1 independent"),
        "{one}"
    );
    assert!(r.control_components.icc.is_err());

    let mut c = simulate(&mut rng, 6, 40, 0.5, 0.0);
    for v in &mut c[2] {
        *v += 25.0;
    }
    let t = simulate(&mut rng, 6, 40, 0.5, 0.0);
    let r = compare(&c, &t, &config(RunStat::Mean, 100, 0));
    let text: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, RunWarning::OutlierRun(o) if o.name == "run3")),
        "{text:?}"
    );
    assert!(
        r.warnings.iter().any(|w| matches!(
            w,
            RunWarning::HighIcc {
                arm: "treatment",
                ..
            }
        )),
        "{text:?}"
    );
}

#[test]
fn verdict_uses_direction_and_min_effect_and_plan_is_consistent() {
    let mut rng = Pcg64::new(4, 0);
    let c = simulate(&mut rng, 6, 30, 0.3, 0.0);
    let t = simulate(&mut rng, 6, 30, 0.3, 5.0);
    let mut cfg = config(RunStat::Median, 200, 0);
    assert_eq!(compare(&c, &t, &cfg).verdict.verdict, Verdict::Regressed);
    cfg.verdict =
        VerdictConfig::new(0.05, 0.0, Direction::HigherIsBetter, Confidence::DEFAULT).unwrap();
    let r = compare(&c, &t, &cfg);
    assert_eq!(r.verdict.verdict, Verdict::Improved);
    let q = r.ratio.bootstrap.as_ref().unwrap();
    assert!(q.lower > 1.0 && q.estimate > q.lower && q.estimate < q.upper);
    // A 5 % change whose 90 % interval lies inside ±10 %: equivalent at a 10 % minimum effect.
    cfg.verdict =
        VerdictConfig::new(0.05, 0.10, Direction::LowerIsBetter, Confidence::DEFAULT).unwrap();
    assert_eq!(compare(&c, &t, &cfg).verdict.verdict, Verdict::Equivalent);

    // The plan: more between-run variance needs more runs; with the mean, the run size follows
    // √(run cost·σ_W²/σ_B²).
    let mut cfg = config(RunStat::Mean, 50, 0);
    cfg.target_effect = Some(0.005);
    cfg.run_cost = Some(400.0);
    let low = compare(
        &simulate(&mut rng, 6, 30, 0.1, 0.0),
        &simulate(&mut rng, 6, 30, 0.1, 0.0),
        &cfg,
    );
    let high = compare(
        &simulate(&mut rng, 6, 30, 0.6, 0.0),
        &simulate(&mut rng, 6, 30, 0.6, 0.0),
        &cfg,
    );
    let (pl, ph) = (low.plan.unwrap(), high.plan.unwrap());
    assert!(ph.runs_per_arm > pl.runs_per_arm, "{pl:?} {ph:?}");
    assert!(ph.requests_per_run < pl.requests_per_run, "{pl:?} {ph:?}");
    let sw = 0.5
        * (low.control_components.within.as_ref().unwrap().estimate
            + low.treatment_components.within.as_ref().unwrap().estimate);
    let sb = 0.5
        * (low.control_components.between_raw.unwrap().max(0.0)
            + low.treatment_components.between_raw.unwrap().max(0.0));
    assert_eq!(
        pl.requests_per_run,
        (400.0 * sw / sb).sqrt().ceil() as usize
    );
}

#[test]
fn bootstrap_is_seeded_and_thread_independent() {
    let mut rng = Pcg64::new(5, 0);
    let c = simulate(&mut rng, 4, 25, 0.3, 0.0);
    let t = simulate(&mut rng, 5, 25, 0.3, 1.0);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| compare(&c, &t, &config(RunStat::P95, 300, 9)))
    };
    assert_eq!(run(1), run(2));
    assert_ne!(
        run(1).difference.bootstrap,
        compare(&c, &t, &config(RunStat::P95, 300, 10))
            .difference
            .bootstrap
    );
}

/// Extreme and degenerate inputs: no panic, and every defined number is finite (a JSON null
/// always comes from an `Err` with its reason).
#[test]
fn extreme_runs_give_finite_numbers_or_reasons() {
    let big = f64::MAX / 2.0;
    type Arms = (Vec<Vec<f64>>, Vec<Vec<f64>>);
    let cases: Vec<Arms> = vec![
        (
            vec![vec![big, -big, big], vec![big; 3]],
            vec![vec![-big; 2], vec![big, big]],
        ),
        (vec![vec![1.0]; 3], vec![vec![1.0]; 3]),
        (vec![vec![5.0; 4]; 2], vec![vec![5.0; 4]; 2]),
        (
            vec![vec![0.0, 0.0], vec![0.0, 1e-310]],
            vec![vec![1e-310; 3], vec![0.0]],
        ),
    ];
    for (c, t) in cases {
        for stat in [RunStat::Mean, RunStat::P99] {
            let r = compare(&c, &t, &config(stat, 50, 0));
            let ests = [
                &r.difference.bootstrap,
                &r.difference.welch,
                &r.ratio.bootstrap,
                &r.ratio.welch,
                &r.control_components.within,
                &r.control_components.between,
                &r.control_components.icc,
                &r.treatment_components.icc,
            ];
            for e in ests.into_iter().flatten() {
                assert!(
                    e.estimate.is_finite() && e.lower.is_finite() && e.upper.is_finite(),
                    "{e:?} in {c:?} / {t:?}"
                );
            }
            assert!(r.control_estimate.is_finite() && r.treatment_estimate.is_finite());
            for x in [
                &r.control_components.effective_n,
                &r.control_components.between_raw,
            ]
            .into_iter()
            .flatten()
            {
                assert!(x.is_finite());
            }
        }
    }
}

/// The outlier rule: outside the (1 − 0.05/k) prediction interval of the other runs, computed here
/// by brute force (leave one out) and compared with the warning's interval.
#[test]
fn outlier_run_rule_by_brute_force() {
    let runs_with_means = |means: &[f64]| -> Vec<Vec<f64>> {
        means.iter().map(|m| vec![m - 1.0, *m, m + 1.0]).collect()
    };
    // Five ordinary runs (6 % run-to-run spread): no warning (a median/MAD rule flagged the last).
    let ordinary = runs_with_means(&[99.58, 96.80, 101.1, 100.4, 109.7]);
    let r = compare(&ordinary, &ordinary, &config(RunStat::Mean, 20, 0));
    assert!(
        !r.warnings
            .iter()
            .any(|w| matches!(w, RunWarning::OutlierRun(_)))
    );
    let means = [10.0, 10.5, 9.5, 10.2, 20.0];
    let odd = runs_with_means(&means);
    let r = compare(&odd, &ordinary, &config(RunStat::Mean, 20, 0));
    let found: Vec<_> = r
        .warnings
        .iter()
        .filter_map(|w| match w {
            RunWarning::OutlierRun(o) => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let o = found[0];
    assert_eq!((o.arm, o.name.as_str()), ("control", "run5"));
    let others = &means[..4];
    let m = others.iter().sum::<f64>() / 4.0;
    let sd = (others.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 3.0).sqrt();
    // t_{3, 0.995} = 5.840909309733355 (scipy.stats.t.ppf(0.995, 3)).
    let half = 5.840909309733355 * sd * (1.25f64).sqrt();
    assert!(
        (o.others.lower - (m - half)).abs() < 1e-9 && (o.others.upper - (m + half)).abs() < 1e-9
    );
    assert!((o.level - 0.99).abs() < 1e-15);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Any finite runs (1–4 per arm, 1–6 values each, from subnormals to ±f64::MAX/4): no panic,
    /// and whatever is defined is finite.
    #[test]
    fn any_runs_compare_without_panic(
        c in proptest::collection::vec(proptest::collection::vec(value(), 1..6), 1..4),
        t in proptest::collection::vec(proptest::collection::vec(value(), 1..6), 1..4),
        stat in proptest::sample::select(vec![RunStat::Mean, RunStat::Median, RunStat::P99]),
    ) {
        let r = compare(&c, &t, &config(stat, 20, 1));
        for e in [&r.difference.bootstrap, &r.ratio.welch, &r.control_components.icc]
            .into_iter()
            .flatten()
        {
            proptest::prop_assert!(e.lower.is_finite() && e.upper.is_finite());
        }
        if let Ok(p) = &r.plan {
            proptest::prop_assert!(p.runs_per_arm >= 2);
        }
    }
}

fn value() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::prelude::*;
    prop_oneof![
        -1e3..1e3f64,
        Just(0.0),
        Just(5e-324),
        Just(f64::MAX / 4.0),
        Just(-f64::MAX / 4.0),
    ]
}
