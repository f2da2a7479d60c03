//! NIST StRD univariate summary statistics, lower-difficulty to high-difficulty
//! accuracy sets NumAcc1–NumAcc4 (<https://www.itl.nist.gov/div898/strd/univ/homepage.html>),
//! generated in-test. Certified mean to 1e-14 relative, standard deviation to 1e-7.

use perfstat_stats::moments::Moments;

/// `first`, then 500 × (`a`, `b`): n = 1001.
fn numacc(first: f64, a: f64, b: f64) -> Vec<f64> {
    let mut v = vec![first];
    for _ in 0..500 {
        v.push(a);
        v.push(b);
    }
    v
}

fn check(name: &str, values: &[f64], mean: f64, sd: f64) {
    let m = Moments::of(values);
    let mean_err = ((m.mean() - mean) / mean).abs();
    let sd_err = ((m.std_dev().unwrap() - sd) / sd).abs();
    assert!(
        mean_err <= 1e-14,
        "{name}: mean {} vs {mean} (rel {mean_err:e})",
        m.mean()
    );
    assert!(
        sd_err <= 1e-7,
        "{name}: sd {} vs {sd} (rel {sd_err:e})",
        m.std_dev().unwrap()
    );
}

#[test]
fn numacc1() {
    check(
        "NumAcc1",
        &[10000001.0, 10000003.0, 10000002.0],
        10000002.0,
        1.0,
    );
}

#[test]
fn numacc2() {
    check("NumAcc2", &numacc(1.2, 1.1, 1.3), 1.2, 0.1);
}

#[test]
fn numacc3() {
    check(
        "NumAcc3",
        &numacc(1000000.2, 1000000.1, 1000000.3),
        1000000.2,
        0.1,
    );
}

#[test]
fn numacc4() {
    check(
        "NumAcc4",
        &numacc(10000000.2, 10000000.1, 10000000.3),
        10000000.2,
        0.1,
    );
}
