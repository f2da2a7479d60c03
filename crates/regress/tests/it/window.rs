//! Baseline numbers and the window test against numpy/scipy
//! (fixture from `scripts/reference/gen_regress.py`).

use perfstat_regress::config::Direction;
use perfstat_regress::window::{Baseline, prediction_test};
use serde_json::Value;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

#[test]
fn baseline_and_test_equal_numpy_and_scipy() {
    let text = include_str!("../fixtures/regress_window.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let history: Vec<Option<f64>> = c["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect();
        let window = c["window"].as_u64().unwrap() as usize;
        let direction = match c["direction"].as_str().unwrap() {
            "lower_is_better" => Direction::LowerIsBetter,
            _ => Direction::HigherIsBetter,
        };
        let current = history.len() - 1;
        let b = Baseline::before(&history, current, window);
        let want = &c["baseline"];
        assert_eq!(b.n() as u64, want["n"].as_u64().unwrap(), "{name}");
        assert!(
            close(b.mean.unwrap(), want["mean"].as_f64().unwrap(), 1e-15),
            "{name} mean"
        );
        assert!(
            close(b.median.unwrap(), want["median"].as_f64().unwrap(), 1e-15),
            "{name} median"
        );
        assert!(
            close(b.std_dev.unwrap(), want["std_dev"].as_f64().unwrap(), 1e-9),
            "{name} std_dev {:?} vs {}",
            b.std_dev,
            want["std_dev"]
        );
        let x = history[current].unwrap();
        // At 1e9 + O(1) numpy's own mean is rounded to ~1e-7, so x − mean
        // (and t) agree to ~1e-7 only; elsewhere to 1e-9.
        let tol = if name == "large_offset" { 1e-6 } else { 1e-9 };
        let t = prediction_test(x, &b, direction).unwrap();
        assert!(
            close(t.statistic, c["t"].as_f64().unwrap(), tol),
            "{name} t {} vs {}",
            t.statistic,
            c["t"]
        );
        assert!(
            close(t.p_worse, c["p_worse"].as_f64().unwrap(), tol),
            "{name} p {} vs {}",
            t.p_worse,
            c["p_worse"]
        );
        assert!(
            close(
                x - b.mean.unwrap(),
                c["change"]["absolute"].as_f64().unwrap(),
                tol
            ),
            "{name} change"
        );
    }
}
