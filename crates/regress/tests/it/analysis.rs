//! Window verdicts through `analyze`, change points and outliers end to end.

use perfstat_regress::analyze::{Config, Status, analyze};
use perfstat_regress::config::{Direction, Overrides};
use perfstat_regress::history::read_history;

/// Eight quiet nights then tonight's value `last` (as a factor of the level).
fn history(metric: &str, level: f64, last: f64) -> String {
    let wiggle = [0.0, 0.01, -0.01, 0.005, -0.005, 0.012, -0.008, 0.003];
    let mut csv = format!("night,commit,{metric}\n");
    for (i, w) in wiggle.iter().enumerate() {
        csv.push_str(&format!("2024-01-0{},c{i},{}\n", i + 1, level * (1.0 + w)));
    }
    csv.push_str(&format!("2024-01-09,c8,{}\n", level * last));
    csv
}

fn status(metric: &str, last: f64) -> Status {
    let h = read_history(history(metric, 100.0, last).as_bytes(), "h.csv").unwrap();
    analyze(&h, &Config::default()).unwrap().metrics[0].status
}

#[test]
fn latency_plus_30_percent_is_a_regression() {
    assert_eq!(status("p95_latency_ms", 1.30), Status::Regression);
}

#[test]
fn latency_plus_5_percent_is_ok() {
    // Significant (noise ~1 %) but under the 15 % threshold.
    assert_eq!(status("p95_latency_ms", 1.05), Status::Ok);
}

#[test]
fn throughput_minus_20_percent_is_a_regression() {
    assert_eq!(status("throughput_rps", 0.80), Status::Regression);
}

#[test]
fn quality_minus_8_percent_is_a_regression() {
    assert_eq!(status("answer_quality", 0.92), Status::Regression);
}

#[test]
fn cost_plus_10_percent_is_ok() {
    assert_eq!(status("cost_per_run", 1.10), Status::Ok);
}

#[test]
fn improvement_is_reported() {
    assert_eq!(status("p95_latency_ms", 0.70), Status::Improvement);
    assert_eq!(status("throughput_rps", 1.25), Status::Improvement);
}

#[test]
fn history_shorter_than_the_window_is_insufficient() {
    let csv = "night,p95_latency_ms\n1,100\n2,101\n3,99\n4,150\n";
    let h = read_history(csv.as_bytes(), "h.csv").unwrap();
    let a = analyze(&h, &Config::default()).unwrap();
    let m = &a.metrics[0];
    assert_eq!(m.status, Status::InsufficientData);
    assert!(
        m.reason.as_deref().unwrap().contains("needs 7"),
        "{:?}",
        m.reason
    );
    assert_eq!(m.baseline.n(), 3);
}

#[test]
fn overrides_change_the_verdict() {
    let h = read_history(history("widgets", 100.0, 1.12).as_bytes(), "h.csv").unwrap();
    let a = analyze(&h, &Config::default()).unwrap();
    assert_eq!(
        a.metrics[0].status,
        Status::Regression,
        "other: 10 %, lower is better"
    );
    let config = Config {
        overrides: Overrides {
            thresholds: vec![("widgets".into(), 0.2)],
            directions: vec![],
        },
        ..Config::default()
    };
    assert_eq!(analyze(&h, &config).unwrap().metrics[0].status, Status::Ok);
    let config = Config {
        overrides: Overrides {
            thresholds: vec![],
            directions: vec![("widgets".into(), Direction::HigherIsBetter)],
        },
        ..Config::default()
    };
    assert_eq!(
        analyze(&h, &config).unwrap().metrics[0].status,
        Status::Improvement
    );
    let bad = Config {
        overrides: Overrides {
            thresholds: vec![("nope".into(), 0.2)],
            directions: vec![],
        },
        ..Config::default()
    };
    assert!(analyze(&h, &bad).is_err());
}

#[test]
fn bh_over_metrics_can_withdraw_a_marginal_regression() {
    // One marginal regression among many quiet metrics: its p is multiplied
    // by up to m, so it may no longer be significant; never the other way.
    let mut cols = vec!["night".to_owned()];
    for k in 0..20 {
        cols.push(format!("m{k}_latency"));
    }
    let mut csv = cols.join(",") + "\n";
    let wiggle = [0.0, 0.03, -0.03, 0.02, -0.02, 0.025, -0.025, 0.01];
    for (i, w) in wiggle.iter().enumerate() {
        let row: Vec<String> = (0..20)
            .map(|k| {
                format!(
                    "{}",
                    100.0 * (1.0 + w * if k % 2 == 0 { 1.0 } else { -1.0 })
                )
            })
            .collect();
        csv.push_str(&format!("{i},{}\n", row.join(",")));
    }
    let mut last: Vec<String> = (0..20).map(|_| "100".to_owned()).collect();
    last[0] = "116".to_owned();
    csv.push_str(&format!("8,{}\n", last.join(",")));
    let h = read_history(csv.as_bytes(), "h").unwrap();
    let a = analyze(&h, &Config::default()).unwrap();
    let m = &a.metrics[0];
    let p = m.p_value().unwrap();
    let q = m.q_worse.unwrap();
    assert!(q >= p);
    assert!(p < 0.05, "significant alone: p = {p}");
    assert_eq!(
        m.status,
        if q <= 0.05 {
            Status::Regression
        } else {
            Status::Ok
        }
    );
}

#[test]
fn change_points_outliers_and_gaps_in_history_positions() {
    let mut csv = String::from("run,commit,latency_ms\n");
    let noise = [0.3, -0.5, 0.1, 0.6, -0.2, -0.4, 0.5, -0.1, 0.2, -0.6];
    for i in 0..80 {
        let level = if i >= 40 { 125.0 } else { 100.0 };
        let mut v = level + noise[i % 10] * 2.0;
        if i == 20 {
            v *= 1.6;
        }
        let cell = if i == 30 {
            String::new()
        } else {
            format!("{v}")
        };
        csv.push_str(&format!("{i},c{i},{cell}\n"));
    }
    let h = read_history(csv.as_bytes(), "h").unwrap();
    let a = analyze(&h, &Config::default()).unwrap();
    let m = &a.metrics[0];
    assert_eq!(m.gaps, 1);
    assert_eq!(m.outliers, vec![20]);
    assert_eq!(m.change_points.len(), 1, "{:?}", m.change_points);
    let cp = &m.change_points[0];
    assert_eq!(cp.index, 40);
    assert_eq!(cp.time, "40");
    assert!((cp.relative_change.unwrap() - 0.25).abs() < 0.01);
    assert!(cp.p_value.unwrap() < 1e-6);
    assert!(m.warnings.iter().any(|w| w.contains("gaps")));
}
