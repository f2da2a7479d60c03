//! `describe` on extreme finite data (subnormals, magnitudes up to `f64::MAX`, one value, ties), and
//! every `null` in their JSON with its reason (the walker is `util::nulls_without_reason`).
//!
//! Reliability cases 18 (subnormal values) and 19 (large magnitudes) are here, with their input files
//! in `tests/data/reliability/`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{Inputs, nulls_without_reason, perfstat};

fn data(case: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reliability")
        .join(case)
        .join(file)
}

/// `perfstat describe FILE --format json [extra]`: exit 0 and the document.
fn describe(file: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&OsStr> = vec![OsStr::new("describe"), file.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    args.extend(["--format", "json"].map(OsStr::new));
    let out = perfstat().args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The checks every described sample must pass: each null has a reason, each reason is true of the
/// numbers, no p-value without its statistic.
fn assert_sound(doc: &Value, what: &str) {
    let missing = nulls_without_reason(doc);
    assert!(
        missing.is_empty(),
        "{what}: nulls without a reason: {missing:?}\n{doc:#}"
    );
    for s in doc["samples"].as_array().unwrap() {
        for key in ["mean", "min", "max", "median"] {
            assert!(s[key].is_f64(), "{what}: {key} is {}", s[key]);
        }
        for (k, p) in s["percentiles"].as_object().unwrap() {
            assert!(p.is_f64(), "{what}: percentile {k} is {p}");
        }
        let constant = s["min"] == s["max"];
        for (key, why) in s["reasons"].as_object().unwrap() {
            let why = why.as_str().unwrap();
            if why.contains("all values are equal") {
                assert!(
                    constant,
                    "{what}: {key}: {why:?}, but min {} max {}",
                    s["min"], s["max"]
                );
            }
        }
        if !constant && s["n"].as_u64().unwrap() >= 2 {
            assert!(
                s["std_dev"].as_f64().is_some_and(|v| v > 0.0)
                    || s["reasons"]["std_dev"]
                        .as_str()
                        .is_some_and(|r| r.contains("floating-point range")),
                "{what}: std_dev {} of non-constant data",
                s["std_dev"]
            );
        }
        for (name, t) in s["normality"].as_object().unwrap() {
            if t.is_object() {
                assert!(
                    t["statistic"].is_f64(),
                    "{what}: {name} statistic {}",
                    t["statistic"]
                );
            }
        }
    }
}

fn sample(doc: &Value) -> &Value {
    &doc["samples"][0]
}

#[test]
fn case_18_subnormal_values_have_their_statistics() {
    let doc = describe(&data("18-subnormal-values", "subnormal.csv"), &[]);
    assert_sound(&doc, "subnormal.csv");
    let s = sample(&doc);
    // Exact (Fraction) reference, rounded: mean 4.75e-320, std dev (n − 1) 2.619e-320. numpy gives
    // the mean but std 0.0 (the squares underflow); scipy's skewness, kurtosis, JB and K² are NaN.
    assert_eq!(s["mean"], 4.75e-320);
    assert_eq!(s["std_dev"], 2.619e-320);
    assert_eq!(s["median"], 4.5e-320);
    let m = s["mean_ci"].as_object().expect("mean_ci");
    assert!(m["lower"].as_f64().unwrap() < 4.75e-320 && m["upper"].as_f64().unwrap() > 4.75e-320);
    // Scale-invariant statistics equal those of the same pattern at ordinary scale.
    let inputs = Inputs::new();
    let ordinary = inputs.file(
        "ordinary.csv",
        pattern_csv(&[1, 2, 3, 4, 5, 6, 7, 8, 9], 40),
    );
    let o = describe(&ordinary, &[]);
    assert_same_shape(s, sample(&o), 1e-3, "subnormal vs ordinary");
    assert!(
        s["reasons"].as_object().unwrap().is_empty(),
        "{}",
        s["reasons"]
    );
}

/// A one-column CSV of `pattern` repeated to `n` values.
fn pattern_csv(pattern: &[i32], n: usize) -> String {
    let mut text = String::from("x\n");
    for v in pattern.iter().cycle().take(n) {
        text.push_str(&format!("{v}\n"));
    }
    text
}

/// Skewness, kurtosis and the normality statistics of `a` and `b` agree to `rel` (relative).
fn assert_same_shape(a: &Value, b: &Value, rel: f64, what: &str) {
    let close = |x: &Value, y: &Value, key: &str| {
        let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
        assert!(
            (x - y).abs() <= rel * y.abs().max(1.0),
            "{what}: {key}: {x} vs {y}"
        );
    };
    close(&a["skewness"], &b["skewness"], "skewness");
    close(&a["kurtosis"], &b["kurtosis"], "kurtosis");
    for test in [
        "shapiro_wilk",
        "anderson_darling",
        "dagostino_pearson",
        "jarque_bera",
    ] {
        for key in ["statistic", "p_value"] {
            close(
                &a["normality"][test][key],
                &b["normality"][test][key],
                &format!("{test}.{key}"),
            );
        }
    }
}

#[test]
fn case_19_large_magnitudes_have_their_statistics() {
    let case = "19-large-magnitude-nulls";
    let inputs = Inputs::new();
    let ordinary = describe(
        &inputs.file("ordinary.csv", pattern_csv(&[1, 2, 3, 4, 5, 6, 7], 50)),
        &[],
    );
    for file in ["big160.csv", "big200.csv"] {
        let doc = describe(&data(case, file), &[]);
        assert_sound(&doc, file);
        let s = sample(&doc);
        // 1e160·x and 1e200·x: JB and K² were null (no reason, or "all values are equal").
        assert_same_shape(s, sample(&ordinary), 1e-9, file);
        assert!(
            s["reasons"].as_object().unwrap().is_empty(),
            "{file}: {}",
            s["reasons"]
        );
    }

    // ±1e308, 50 each: numpy's percentile is -inf, np.median 0.
    let doc = describe(&data(case, "mix.csv"), &[]);
    assert_sound(&doc, "mix.csv");
    let s = sample(&doc);
    assert_eq!(s["median"], 0.0);
    assert_eq!(s["mean"], 0.0);
    assert_eq!(s["percentiles"]["p50"], 0.0);
    assert_eq!(s["std_dev"], 1.005_037_815_259_212e308);
    let ci = &s["mean_ci"];
    let half = ci["upper"].as_f64().expect("mean_ci.upper");
    assert_eq!(ci["lower"].as_f64(), Some(-half));
    // t(0.975, 99)·s/√n = 1.9842169515086827 · 1.005037815259212e308 / 10
    assert!(
        (half / 1.994_213_070_022_706_5e307 - 1.0).abs() < 1e-12,
        "{half:e}"
    );
    assert!(s["normality"]["shapiro_wilk"]["statistic"].is_f64());
    assert_eq!(s["outliers"]["mad"]["count"], 0);

    // 1, 2, −1e308, twenty 3s, f64::MAX.
    let doc = describe(&data(case, "dblmax.csv"), &[]);
    assert_sound(&doc, "dblmax.csv");
    let s = sample(&doc);
    assert_eq!(s["median"], 3.0);
    assert!(s["normality"]["shapiro_wilk"]["statistic"].is_f64());
    assert!(s["normality"]["dagostino_pearson"]["statistic"].is_f64());
    assert!(s["normality"]["jarque_bera"]["statistic"].is_f64());
    // The MAD is 0 (most values are 3): that reason is true.
    assert_eq!(
        s["reasons"]["outliers.mad"],
        "the median absolute deviation is zero"
    );
}

/// One line per value.
fn csv(values: &[f64]) -> String {
    let mut text = String::from("x\n");
    for v in values {
        text.push_str(&format!("{v:e}\n"));
    }
    text
}

#[test]
fn every_null_has_a_reason_on_extreme_inputs() {
    let max = f64::MAX;
    let tiny = f64::from_bits(1);
    let mut battery: Vec<(&str, Vec<f64>)> = vec![
        ("one value", vec![42.0]),
        ("two values", vec![1.0, 2.0]),
        ("three values", vec![1.0, 2.0, 4.0]),
        ("constant", vec![3.25; 30]),
        ("constant subnormal", vec![tiny; 12]),
        ("subnormal pair", vec![tiny, 2.0 * tiny]),
        (
            "two subnormals and zero",
            vec![0.0, tiny, tiny, 0.0, 0.0, tiny, 0.0, tiny, tiny],
        ),
        ("±MAX pair", vec![-max, max]),
        (
            "MAX and −MAX",
            vec![-max, -max, max, 0.0, 1.0, max, max, -max, 2.0],
        ),
        ("all MAX", vec![max; 10]),
        (
            "huge mixed signs",
            vec![1e308, -1e308, 1.5e308, -1.7e308, 1e300, 0.0, -1e-300, 7.0],
        ),
        (
            "subnormal and huge",
            vec![tiny, 1e308, tiny, 1e-310, 1.0, tiny, 1e308, tiny],
        ),
        ("heavy ties", [vec![5.0; 95], vec![6.0; 5]].concat()),
        (
            "ties and one outlier",
            [vec![1.0; 60], vec![1e300]].concat(),
        ),
        (
            "nearly constant",
            [vec![1.0; 50], vec![1.0 + f64::EPSILON]].concat(),
        ),
        ("negative zero", vec![-0.0, 0.0, -0.0, 0.0, 1e-320]),
    ];
    battery.push((
        "ramp near MAX",
        (0..200).map(|i| max - f64::from(i) * 1e292).collect(),
    ));
    let inputs = Inputs::new();
    for (i, (what, values)) in battery.iter().enumerate() {
        let file = inputs.file(&format!("b{i}.csv"), csv(values));
        let doc = describe(&file, &[]);
        assert_sound(&doc, what);
        // An SLO with too few values for its interval: null bounds with reasons too.
        let doc = describe(&file, &["--slo", "p99<800ms", "--slo", "mean<1h"]);
        assert_sound(&doc, &format!("{what} with --slo"));
    }
}

#[test]
fn a_standard_deviation_beyond_f64_is_null_with_its_reason() {
    let inputs = Inputs::new();
    let file = inputs.file("pm.csv", csv(&[-f64::MAX, f64::MAX]));
    let doc = describe(&file, &[]);
    let s = sample(&doc);
    // √2·f64::MAX is not a number an f64 can hold.
    assert!(s["std_dev"].is_null());
    assert_eq!(
        s["reasons"]["std_dev"],
        "beyond the floating-point range (magnitude above 1.8e308)"
    );
    assert_eq!(s["median"], 0.0);
    assert_eq!(s["mean"], 0.0);
    assert!(s["mean_ci"].is_null() && s["reasons"]["mean_ci"].is_string());
}

#[test]
fn one_duration_grammar_for_slo_and_bucket() {
    let inputs = Inputs::new();
    let file = inputs.file("lat.csv", pattern_csv(&[100, 120, 140, 110], 400));
    // `p95<1h` was rejected before (the SLO grammar had no hours); a bare number is ms.
    let doc = describe(
        &file,
        &["--slo", "p95<1h", "--slo", "p95<800us", "--slo", "p95<800"],
    );
    let slos = sample(&doc)["slos"].as_array().unwrap().clone();
    let thresholds: Vec<f64> = slos
        .iter()
        .map(|s| s["threshold"].as_f64().unwrap())
        .collect();
    assert_eq!(thresholds, [3_600_000.0, 0.8, 800.0]);
    assert_eq!(slos[0]["status"], "pass");
    assert_eq!(slos[1]["status"], "fail");
    // `--bucket 100us` was rejected before (the warm-up grammar had no us).
    let mut text = String::from("timeStamp,elapsed,label,responseCode,success\n");
    for i in 0..50u64 {
        text.push_str(&format!(
            "{},{},GET /a,200,true\n",
            1_741_944_413_000 + i,
            5 + i % 3
        ));
    }
    let jtl = inputs.file("run.jtl", text);
    let doc = describe(&jtl, &["--bucket", "100us"]);
    assert_eq!(doc["inputs"][0]["throughput_timeline"]["bucket_s"], 1e-4);
    let doc = describe(&jtl, &["--bucket", "1h"]);
    assert_eq!(doc["inputs"][0]["throughput_timeline"]["bucket_s"], 3600.0);
}
