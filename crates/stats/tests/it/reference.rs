//! `describe` against numpy/scipy: the acceptance test of the statistics.
//!
//! The fixture `tests/fixtures/describe.json` is written by
//! `scripts/reference/gen_describe.py` (numpy and scipy versions recorded in
//! it). Cases with `"reference": "scaled"` (subnormals, magnitudes up to
//! `f64::MAX`: reliability cases 18 and 19) were computed by numpy/scipy on the
//! values times an exact power of two and scaled back, because numpy/scipy
//! overflow or underflow on the raw values. Every key of every case is compared with the named tolerance below;
//! `null` in the fixture must be an `Err` here and the other way round. All
//! mismatches are collected and reported together (case, n, key, got, want,
//! error).
//!
//! Set `PERFSTAT_REFERENCE_SUMMARY=1` to make the test fail with a table of
//! the largest error seen per key (to see how much of each tolerance is used).

use perfstat_stats::{Confidence, Description, PERCENTILE_LEVELS, Sample, describe};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Mean, min, max, median and percentiles (relative).
const MEAN_REL: f64 = 1e-12;
/// Order statistics (min, max, median, percentiles): relative.
const ORDER_STAT_REL: f64 = 1e-12;
/// Sample standard deviation (relative).
const STD_DEV_REL: f64 = 1e-10;
/// Student-t interval for the mean (relative, each bound).
const MEAN_CI_REL: f64 = 1e-9;
/// Binomial order-statistic interval for the median: picks data values, so exact.
const MEDIAN_CI_REL: f64 = 0.0;
/// Bias-corrected skewness and kurtosis (relative).
const SKEW_KURT_REL: f64 = 1e-8;
/// ... or absolute, for a skewness that is 0 but for rounding (a symmetric sample: 1e-17 either way).
const SKEW_KURT_ABS: f64 = 1e-15;
/// Shapiro–Wilk W (absolute).
const SW_W_ABS: f64 = 2e-5;
/// Shapiro–Wilk p-value (relative, 0.2 %).
const SW_P_REL: f64 = 2e-3;
/// Anderson–Darling A² (relative).
const AD_A2_REL: f64 = 1e-8;
/// Anderson–Darling p-value (relative): exp(1.29 − 5.7·A*² + …) amplifies the
/// A² error by up to 5.7·A*² ≤ 57 (capped at A*² = 10), so 1e-8 · 57 < 1e-6.
const AD_P_REL: f64 = 1e-6;
/// D'Agostino–Pearson K² statistic and p-value (relative).
const K2_REL: f64 = 1e-7;
/// Jarque–Bera statistic and p-value (relative).
const JB_REL: f64 = 1e-7;

const FIXTURE: &str = include_str!("../fixtures/describe.json");

/// Relative error, or the absolute error when the reference is exactly 0. Two values at most one
/// unit of the subnormal grid apart (2⁻¹⁰⁷⁴ ≈ 4.9e-324) count as equal: a subnormal result has
/// fewer than 53 significant bits, so one rounding step there is a large relative error.
fn rel_err(got: f64, want: f64) -> f64 {
    if (got - want).abs() <= f64::from_bits(1) && want.abs() < f64::MIN_POSITIVE {
        0.0
    } else if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    }
}

#[derive(Clone, Copy)]
enum Tol {
    Rel(f64),
    Abs(f64),
    /// Within the relative or within the absolute tolerance.
    RelOrAbs(f64, f64),
}

#[derive(Default)]
struct Checker {
    failures: Vec<String>,
    checked: usize,
    /// Largest error seen per key, with the case it was seen in.
    worst: BTreeMap<String, (f64, String)>,
}

impl Checker {
    fn number(
        &mut self,
        case: &str,
        n: usize,
        key: &str,
        got: Option<f64>,
        want: &Value,
        tol: Tol,
    ) {
        self.checked += 1;
        match (got, want.as_f64()) {
            (None, None) if want.is_null() => {}
            (Some(g), Some(w)) => {
                let (err, limit, kind) = match tol {
                    Tol::Rel(t) => (rel_err(g, w), t, "rel"),
                    Tol::Abs(t) => ((g - w).abs(), t, "abs"),
                    Tol::RelOrAbs(_, a) if (g - w).abs() <= a => ((g - w).abs(), a, "abs"),
                    Tol::RelOrAbs(r, _) => (rel_err(g, w), r, "rel"),
                };
                let worst = self
                    .worst
                    .entry(key.to_owned())
                    .or_insert((0.0, String::new()));
                if err > worst.0 || err.is_nan() {
                    *worst = (err, case.to_owned());
                }
                if err.is_nan() || err > limit {
                    self.failures.push(format!(
                        "{case} (n={n}) {key}: got {g:e}, want {w:e}, {kind} error {err:.3e} > {limit:e}"
                    ));
                }
            }
            (g, _) => self.failures.push(format!(
                "{case} (n={n}) {key}: got {}, want {want}",
                g.map_or_else(|| "undefined (Err)".to_owned(), |v| format!("{v:e}"))
            )),
        }
    }

    fn count(&mut self, case: &str, n: usize, key: &str, got: Option<usize>, want: &Value) {
        self.checked += 1;
        let want = want.as_u64().and_then(|w| usize::try_from(w).ok());
        if got != want {
            self.failures
                .push(format!("{case} (n={n}) {key}: got {got:?}, want {want:?}"));
        }
    }

    fn presence(&mut self, case: &str, n: usize, key: &str, got_ok: bool, want: &Value) -> bool {
        self.checked += 1;
        if got_ok == want.is_null() {
            self.failures.push(format!(
                "{case} (n={n}) {key}: got {}, want {}",
                if got_ok { "a value" } else { "undefined (Err)" },
                if want.is_null() {
                    "null".to_owned()
                } else {
                    want.to_string()
                }
            ));
            return false;
        }
        got_ok
    }
}

fn check_case(c: &mut Checker, name: &str, d: &Description, e: &Value) {
    let n = d.n;
    c.count(name, n, "n", Some(d.n), &e["n"]);
    c.number(
        name,
        n,
        "mean",
        Some(d.mean),
        &e["mean"],
        Tol::Rel(MEAN_REL),
    );
    c.number(
        name,
        n,
        "std_dev",
        d.std_dev.ok(),
        &e["std_dev"],
        Tol::Rel(STD_DEV_REL),
    );
    c.number(
        name,
        n,
        "min",
        Some(d.min),
        &e["min"],
        Tol::Rel(ORDER_STAT_REL),
    );
    c.number(
        name,
        n,
        "max",
        Some(d.max),
        &e["max"],
        Tol::Rel(ORDER_STAT_REL),
    );
    c.number(
        name,
        n,
        "median",
        Some(d.median),
        &e["median"],
        Tol::Rel(ORDER_STAT_REL),
    );
    for ((key, _), got) in PERCENTILE_LEVELS.iter().zip(d.percentiles) {
        let want = &e["percentiles"][*key];
        c.number(
            name,
            n,
            &format!("percentiles.{key}"),
            Some(got),
            want,
            Tol::Rel(ORDER_STAT_REL),
        );
    }
    c.number(
        name,
        n,
        "skewness",
        d.skewness.ok(),
        &e["skewness"],
        Tol::RelOrAbs(SKEW_KURT_REL, SKEW_KURT_ABS),
    );
    c.number(
        name,
        n,
        "kurtosis",
        d.kurtosis.ok(),
        &e["kurtosis"],
        Tol::RelOrAbs(SKEW_KURT_REL, SKEW_KURT_ABS),
    );

    for (key, got, tol) in [
        ("mean_ci", d.mean_ci, MEAN_CI_REL),
        ("median_ci", d.median_ci, MEDIAN_CI_REL),
    ] {
        if c.presence(name, n, key, got.is_ok(), &e[key])
            && let Ok(i) = got
        {
            c.number(
                name,
                n,
                &format!("{key}.lower"),
                Some(i.lower),
                &e[key]["lower"],
                Tol::Rel(tol),
            );
            c.number(
                name,
                n,
                &format!("{key}.upper"),
                Some(i.upper),
                &e[key]["upper"],
                Tol::Rel(tol),
            );
        }
    }

    let sw = &e["shapiro_wilk"];
    if c.presence(name, n, "shapiro_wilk", d.shapiro_wilk.is_ok(), sw)
        && let Ok(r) = d.shapiro_wilk
    {
        c.number(
            name,
            n,
            "shapiro_wilk.statistic",
            Some(r.statistic),
            &sw["statistic"],
            Tol::Abs(SW_W_ABS),
        );
        c.number(
            name,
            n,
            "shapiro_wilk.p_value",
            Some(r.p_value),
            &sw["p_value"],
            Tol::Rel(SW_P_REL),
        );
        if sw["approximate"].as_bool() != Some(r.approximate) {
            c.failures.push(format!(
                "{name} (n={n}) shapiro_wilk.approximate: got {}",
                r.approximate
            ));
        }
    }
    let ad = &e["anderson_darling"];
    if c.presence(name, n, "anderson_darling", d.anderson_darling.is_ok(), ad)
        && let Ok(r) = d.anderson_darling
    {
        c.number(
            name,
            n,
            "anderson_darling.statistic",
            Some(r.statistic),
            &ad["statistic"],
            Tol::Rel(AD_A2_REL),
        );
        c.number(
            name,
            n,
            "anderson_darling.p_value",
            r.p_value.ok(),
            &ad["p_value"],
            Tol::Rel(AD_P_REL),
        );
    }
    for (key, got, tol) in [
        ("dagostino_pearson", d.dagostino_pearson, K2_REL),
        ("jarque_bera", d.jarque_bera, JB_REL),
    ] {
        if c.presence(name, n, key, got.is_ok(), &e[key])
            && let Ok(r) = got
        {
            c.number(
                name,
                n,
                &format!("{key}.statistic"),
                Some(r.statistic),
                &e[key]["statistic"],
                Tol::Rel(tol),
            );
            c.number(
                name,
                n,
                &format!("{key}.p_value"),
                Some(r.p_value),
                &e[key]["p_value"],
                Tol::Rel(tol),
            );
        }
    }

    let t = &e["tukey"];
    c.count(
        name,
        n,
        "tukey.low_severe",
        Some(d.tukey.low_severe),
        &t["low_severe"],
    );
    c.count(
        name,
        n,
        "tukey.low_mild",
        Some(d.tukey.low_mild),
        &t["low_mild"],
    );
    c.count(
        name,
        n,
        "tukey.high_mild",
        Some(d.tukey.high_mild),
        &t["high_mild"],
    );
    c.count(
        name,
        n,
        "tukey.high_severe",
        Some(d.tukey.high_severe),
        &t["high_severe"],
    );
    if c.presence(name, n, "mad", d.mad.is_ok(), &e["mad"]) {
        c.count(
            name,
            n,
            "mad.count",
            d.mad.ok().map(|m| m.count),
            &e["mad"]["count"],
        );
    }
}

#[test]
fn describe_matches_numpy_scipy() {
    let doc: Value = serde_json::from_str(FIXTURE).expect("fixture is valid JSON");
    let confidence =
        Confidence::new(doc["confidence"].as_f64().expect("confidence")).expect("level");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 70, "fixture has {} cases", cases.len());
    let mut checker = Checker::default();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let values: Vec<f64> = case["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .collect();
        let sample = Sample::new(values).expect("finite, non-empty");
        let d = describe(&sample, confidence);
        check_case(&mut checker, name, &d, &case["expected"]);
    }
    let mut summary = String::new();
    for (key, (err, case)) in &checker.worst {
        let _ = writeln!(summary, "  {key:32} {err:.3e}  ({case})");
    }
    assert!(
        checker.failures.is_empty(),
        "{} of {} checks failed against numpy {} / scipy {}:\n{}\nlargest errors per key:\n{summary}",
        checker.failures.len(),
        checker.checked,
        doc["numpy"],
        doc["scipy"],
        checker.failures.join("\n"),
    );
    assert!(
        std::env::var_os("PERFSTAT_REFERENCE_SUMMARY").is_none(),
        "all {} checks passed; largest errors per key:\n{summary}",
        checker.checked
    );
}
