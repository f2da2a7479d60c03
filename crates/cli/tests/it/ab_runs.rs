//! `perfstat ab --control FILE... --treatment FILE...`: A/B over repeated runs (docs/ab-runs.md).

use serde_json::Value;

use crate::util::{Inputs, input_error, perfstat};

fn json(args: &[&str]) -> (i32, Value) {
    let out = perfstat()
        .arg("ab")
        .args(args)
        .args(["--format", "json", "--resamples", "200"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), doc)
}

#[test]
fn directories_and_globs_are_runs() {
    let (code, doc) = json(&[
        "--control",
        "data/runs/control",
        "--treatment",
        "data/runs/treatment/run-*.csv",
    ]);
    assert_eq!(code, 0);
    assert_eq!(doc["command"], "ab");
    assert_eq!(doc["mode"], "runs");
    assert_eq!(doc["run_stat"], "mean");
    assert_eq!(doc["runs"]["control"].as_array().unwrap().len(), 5);
    assert_eq!(doc["runs"]["treatment"].as_array().unwrap().len(), 5);
    assert_eq!(
        doc["inputs"]["treatment"][0]["path"],
        "data/runs/treatment/run-1.csv"
    );
    let icc = doc["variance_components"]["control"]["icc"]["estimate"]
        .as_f64()
        .unwrap();
    assert!(icc > 0.05 && icc < 0.6, "{icc}");
    let ratio = &doc["ratio"]["bootstrap"];
    assert!(ratio["lower"].as_f64().unwrap() < ratio["estimate"].as_f64().unwrap());
    assert!(doc["plan"]["runs_per_arm"].as_u64().unwrap() >= 2);
    assert_eq!(doc["driver"], "means");
}

#[test]
fn one_file_with_a_run_column_and_the_gate() {
    let i = Inputs::new();
    let rows = |shift: f64| -> String {
        let mut s = String::from("run,latency_ms\n");
        for run in 0..4 {
            for j in 0..30 {
                let v = 100.0 + shift + f64::from(run % 2) * 3.0 + f64::from(j % 7);
                s.push_str(&format!("r{run},{v}\n"));
            }
        }
        s
    };
    let c = i.file("c.csv", rows(0.0));
    let t = i.file("t.csv", rows(40.0));
    let (c, t) = (c.to_str().unwrap(), t.to_str().unwrap());
    let args = [
        "--control",
        c,
        "--treatment",
        t,
        "--run",
        "run",
        "--run-stat",
        "p95",
    ];
    let (code, doc) = json(&args);
    assert_eq!(code, 0);
    assert_eq!(doc["runs"]["control"].as_array().unwrap().len(), 4);
    assert!(
        doc["runs"]["control"][0]["name"]
            .as_str()
            .unwrap()
            .ends_with("c.csv · r0")
    );
    assert_eq!(doc["run_stat"], "p95");
    assert_eq!(doc["verdict"], "regressed");
    let (code, _) = json(&[&args[..], &["--fail-on", "regression"]].concat());
    assert_eq!(code, 1);
}

#[test]
fn one_run_per_arm_is_insufficient_with_a_warning() {
    let (code, doc) = json(&[
        "--control",
        "data/runs/control/run-1.csv",
        "--treatment",
        "data/runs/treatment/run-1.csv",
        "--fail-on",
        "not-improved",
    ]);
    assert_eq!(code, 1, "insufficient data is not an improvement");
    assert_eq!(doc["verdict"], "insufficient_data");
    assert!(doc["driver"].is_null());
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("has one run"), "{warnings}");
}

#[test]
fn table_markdown_and_report_folder() {
    let i = Inputs::new();
    let dir = i.dir.path().join("runs-report");
    let out = perfstat()
        .args([
            "ab",
            "--control",
            "data/runs/control",
            "--treatment",
            "data/runs/treatment",
        ])
        .args(["--resamples", "200", "--out"])
        .arg(&dir)
        .success();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("over runs (5 control, 5 treatment"),
        "{table}"
    );
    assert!(table.contains("ICC (control)"), "{table}");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Runs") && md.contains("runs.svg"), "{md}");
    assert!(dir.join("runs.svg").is_file() && dir.join("runs.png").is_file());
}

#[test]
fn bad_run_arguments_are_input_errors() {
    let err = input_error(&[
        "ab".as_ref(),
        "--control".as_ref(),
        "data/runs/nothing-*.csv".as_ref(),
        "--treatment".as_ref(),
        "data/runs/treatment".as_ref(),
    ]);
    assert!(err.contains("nothing-*.csv: no files"), "{err}");
    let out = perfstat()
        .args(["ab", "--control", "data/runs/control"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--control needs --treatment");
    let out = perfstat()
        .args(["ab", "data/control.csv", "data/treatment.csv", "--run", "x"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--run needs --control/--treatment"
    );
}
