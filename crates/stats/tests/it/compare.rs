//! `compare` (the `perfstat ab` tests) against scipy.
//!
//! Fixture `tests/fixtures/compare.json` from `scripts/reference/gen_compare.py`.
//! `null` in the fixture must be an `Err` here and the other way round.

use perfstat_stats::compare::{Pair, cohens_d, hedges_g, mann_whitney_u, welch_t};
use perfstat_stats::{Confidence, Estimate, Sample, Stat};
use serde_json::Value;

/// Welch t statistic (relative).
const WELCH_T_REL: f64 = 1e-9;
/// Welch–Satterthwaite df (relative).
const WELCH_DF_REL: f64 = 1e-9;
/// Welch two-sided p-value (relative).
const WELCH_P_REL: f64 = 1e-7;
/// Mean-difference estimate and Welch interval bounds (relative).
const MEAN_DIFF_REL: f64 = 1e-8;
/// Mann–Whitney p-value (relative); U itself must be exact.
const MWU_P_REL: f64 = 1e-6;
/// Cohen's d, Hedges' g and their interval bounds (relative).
const EFFECT_REL: f64 = 1e-9;

const FIXTURE: &str = include_str!("../fixtures/compare.json");

fn rel_err(got: f64, want: f64) -> f64 {
    if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    }
}

fn values(v: &Value) -> Sample {
    let xs = v
        .as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect();
    Sample::new(xs).expect("valid sample")
}

fn check(fails: &mut Vec<String>, case: &str, key: &str, got: f64, want: &Value, tol: f64) {
    let Some(w) = want.as_f64() else {
        fails.push(format!("{case} {key}: got {got:e}, want {want}"));
        return;
    };
    let err = rel_err(got, w);
    if err.is_nan() || err > tol {
        fails.push(format!(
            "{case} {key}: got {got:e}, want {w:e}, rel error {err:.3e} > {tol:e}"
        ));
    }
}

fn presence<T>(
    fails: &mut Vec<String>,
    case: &str,
    key: &str,
    got: &Stat<T>,
    want: &Value,
) -> bool {
    if got.is_ok() == want.is_null() {
        fails.push(format!(
            "{case} {key}: got {}, want {want}",
            if got.is_ok() {
                "a value"
            } else {
                "undefined (Err)"
            }
        ));
        return false;
    }
    got.is_ok()
}

fn check_estimate(
    fails: &mut Vec<String>,
    case: &str,
    key: &str,
    got: &Estimate,
    want: &Value,
    tol: f64,
) {
    check(
        fails,
        case,
        &format!("{key}.estimate"),
        got.estimate,
        &want["estimate"],
        tol,
    );
    check(
        fails,
        case,
        &format!("{key}.lower"),
        got.lower,
        &want["lower"],
        tol,
    );
    check(
        fails,
        case,
        &format!("{key}.upper"),
        got.upper,
        &want["upper"],
        tol,
    );
}

#[test]
fn compare_matches_scipy() {
    let doc: Value = serde_json::from_str(FIXTURE).expect("fixture is valid JSON");
    let confidence =
        Confidence::new(doc["confidence"].as_f64().expect("confidence")).expect("level");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    let mut fails = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let control = values(&case["control"]);
        let treatment = values(&case["treatment"]);
        let pair = Pair {
            control: &control,
            treatment: &treatment,
        };
        let e = &case["expected"];

        let w = welch_t(pair, confidence);
        if presence(&mut fails, name, "welch_t", &w, &e["welch_t"])
            && let Ok(w) = w
        {
            let ew = &e["welch_t"];
            check(
                &mut fails,
                name,
                "welch_t.statistic",
                w.statistic,
                &ew["statistic"],
                WELCH_T_REL,
            );
            check(
                &mut fails,
                name,
                "welch_t.df",
                w.df,
                &ew["df"],
                WELCH_DF_REL,
            );
            check(
                &mut fails,
                name,
                "welch_t.p_value",
                w.p_value,
                &ew["p_value"],
                WELCH_P_REL,
            );
            check_estimate(
                &mut fails,
                name,
                "mean_difference",
                &w.mean_difference,
                &ew["mean_difference"],
                MEAN_DIFF_REL,
            );
        }

        let u = mann_whitney_u(pair);
        if presence(&mut fails, name, "mann_whitney_u", &u, &e["mann_whitney_u"])
            && let Ok(u) = u
        {
            let eu = &e["mann_whitney_u"];
            if eu["statistic"].as_f64() != Some(u.statistic) {
                fails.push(format!(
                    "{name} mann_whitney_u.statistic: got {}, want {}",
                    u.statistic, eu["statistic"]
                ));
            }
            if eu["method"].as_str() != Some(u.method.as_str()) {
                fails.push(format!(
                    "{name} mann_whitney_u.method: got {}, want {}",
                    u.method.as_str(),
                    eu["method"]
                ));
            }
            check(
                &mut fails,
                name,
                "mann_whitney_u.p_value",
                u.p_value,
                &eu["p_value"],
                MWU_P_REL,
            );
        }

        for (key, got) in [
            ("cohens_d", cohens_d(pair, confidence)),
            ("hedges_g", hedges_g(pair, confidence)),
        ] {
            if presence(&mut fails, name, key, &got, &e[key])
                && let Ok(est) = got
            {
                check_estimate(&mut fails, name, key, &est, &e[key], EFFECT_REL);
            }
        }
    }
    assert!(
        fails.is_empty(),
        "{} mismatches against scipy {}:\n{}",
        fails.len(),
        doc["scipy"],
        fails.join("\n")
    );
}
