//! Theil–Sen and the Hamed–Rao Mann–Kendall test against scipy and pymannkendall
//! (fixture from `scripts/reference/gen_drift.py`).

use perfstat_regress::drift::trend;
use serde_json::Value;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn trend_equals_scipy_and_pymannkendall() {
    let doc: Value = serde_json::from_str(include_str!("../fixtures/drift.json")).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y: Vec<f64> = c["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let t = trend(&y).unwrap();
        let want = |k: &str| c[k].as_f64().unwrap();
        assert!(
            close(t.slope, want("slope"), 1e-12),
            "{name} slope {}",
            t.slope
        );
        assert!(
            close(t.intercept, want("intercept"), 1e-12),
            "{name} intercept"
        );
        assert!(
            close(t.slope_low, want("slope_low"), 1e-12),
            "{name} low {}",
            t.slope_low
        );
        assert!(
            close(t.slope_high, want("slope_high"), 1e-12),
            "{name} high {}",
            t.slope_high
        );
        assert_eq!(t.s, want("s"), "{name} s");
        assert!(close(t.tau, want("tau"), 1e-12), "{name} tau");
        assert!(
            close(t.var_s * t.correction, want("var_s"), 1e-9),
            "{name} var_s {} vs {}",
            t.var_s * t.correction,
            want("var_s")
        );
        assert!(close(t.z, want("z"), 1e-9), "{name} z {}", t.z);
        assert!(
            (t.p_value - want("p_value")).abs() <= 1e-9 * want("p_value").max(1e-6),
            "{name} p {} vs {}",
            t.p_value,
            want("p_value")
        );
    }
}

#[test]
fn short_input_has_no_trend() {
    assert!(trend(&[]).is_none());
    assert!(trend(&[1.0, 2.0]).is_none());
    let t = trend(&[4.0; 12]).unwrap();
    assert_eq!((t.slope, t.s, t.z, t.p_value), (0.0, 0.0, 0.0, 1.0));
}
