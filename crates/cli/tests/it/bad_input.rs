//! Bad input: every case exits 2 with a clear one-paragraph message, never a panic.

use std::ffi::OsStr;

use crate::util::{Inputs, input_error, perfstat};

fn describe_err(path: &std::path::Path, extra: &[&str]) -> String {
    let mut args: Vec<&OsStr> = vec![OsStr::new("describe"), path.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    input_error(&args)
}

#[test]
fn empty_file() {
    let i = Inputs::new();
    let p = i.file("empty.csv", "");
    let err = describe_err(&p, &[]);
    assert!(err.contains("empty.csv"), "{err}");
    assert!(
        err.to_lowercase().contains("empty") || err.contains("no data"),
        "{err}"
    );
}

#[test]
fn header_only() {
    let i = Inputs::new();
    let p = i.file("header.csv", "latency_ms\n");
    let err = describe_err(&p, &[]);
    assert!(
        err.contains("header.csv") && err.contains("no data"),
        "{err}"
    );
}

#[test]
fn non_numeric_cell_names_line_and_column() {
    let i = Inputs::new();
    let p = i.file("bad.csv", "id,latency_ms\n1,10.5\n2,11.0\n3,n/a\n4,12\n");
    let err = describe_err(&p, &["--metric", "latency_ms"]);
    assert!(err.contains("bad.csv:4:2"), "names line 4, column 2: {err}");
    assert!(err.contains("n/a") && err.contains("latency_ms"), "{err}");
    assert!(err.contains("hint: pass --skip-invalid"), "{err}");
}

#[test]
fn skip_invalid_skips_and_reports() {
    let i = Inputs::new();
    let p = i.file("bad.csv", "id,latency_ms\n1,10.5\n2,11.0\n3,n/a\n4,12\n");
    let out = perfstat()
        .args([OsStr::new("describe"), p.as_os_str()])
        .args([
            "--metric",
            "latency_ms",
            "--skip-invalid",
            "--format",
            "json",
        ])
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["samples"][0]["n"], 3);
    assert_eq!(doc["inputs"][0]["skipped"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped 1 invalid row"));
}

#[test]
fn unknown_metric_lists_columns() {
    let i = Inputs::new();
    let p = i.file(
        "run.csv",
        "timestamp,latency_ms,status\n1,10.5,200\n2,11,200\n",
    );
    let err = describe_err(&p, &["--metric", "latency"]);
    assert!(
        err.contains("latency_ms") && err.contains("timestamp") && err.contains("status"),
        "{err}"
    );
}

#[test]
fn several_numeric_columns_are_listed() {
    let i = Inputs::new();
    let p = i.file(
        "run.csv",
        "timestamp,latency_ms,elapsed,status\n1,10.5,9,200\n2,11,10,200\n",
    );
    // Two latency-like names: no obvious metric.
    let err = describe_err(&p, &[]);
    assert!(
        err.contains("latency_ms") && err.contains("elapsed") && err.contains("--metric"),
        "{err}"
    );
}

#[test]
fn nan_and_inf_are_errors() {
    let i = Inputs::new();
    for (name, text) in [
        ("nan.csv", "x\n1\nNaN\n"),
        ("inf.csv", "x\n1\ninf\n"),
        ("ninf.csv", "x\n-Infinity\n1\n"),
    ] {
        let p = i.file(name, text);
        let err = describe_err(&p, &[]);
        assert!(err.contains(&format!("{name}:")), "{err}");
    }
}

#[test]
fn invalid_utf8() {
    let i = Inputs::new();
    let p = i.file("latin1.csv", b"name,latency_ms\ncaf\xe9,12\nx,13\n");
    let err = describe_err(&p, &["--metric", "latency_ms", "--by", "name"]);
    assert!(err.contains("latin1.csv:2"), "{err}");
    assert!(err.to_lowercase().contains("utf-8"), "{err}");
}

#[test]
fn truncated_gzip() {
    let i = Inputs::new();
    let full = i.gzip(
        "full.csv.gz",
        "x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n".repeat(50).as_bytes(),
    );
    let bytes = std::fs::read(&full).unwrap();
    let p = i.file("cut.csv.gz", &bytes[..bytes.len() / 2]);
    let err = describe_err(&p, &[]);
    assert!(err.contains("cut.csv.gz"), "{err}");
}

#[test]
fn missing_file() {
    let err = input_error(&[OsStr::new("describe"), OsStr::new("no/such/file.csv")]);
    assert!(err.contains("no/such/file.csv"), "{err}");
}

#[test]
fn bad_confidence_is_a_usage_error() {
    let out = perfstat()
        .args(["describe", "data/run.csv", "--confidence", "1.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_value_is_described_with_reasons() {
    let i = Inputs::new();
    let p = i.file("one.csv", "latency_ms\n42.5\n");
    let out = perfstat()
        .args([
            OsStr::new("describe"),
            p.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ])
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["samples"][0];
    assert_eq!(s["n"], 1);
    assert_eq!(s["mean"], 42.5);
    assert_eq!(s["median"], 42.5);
    assert!(s["std_dev"].is_null() && s["mean_ci"].is_null() && s["skewness"].is_null());
    assert!(s["normality"]["shapiro_wilk"].is_null());
    assert!(
        s["reasons"]["std_dev"]
            .as_str()
            .unwrap()
            .contains("at least 2")
    );
}

#[test]
fn all_values_equal_gives_nulls_not_numbers() {
    let i = Inputs::new();
    let p = i.file("flat.csv", "latency_ms\n".to_owned() + &"7\n".repeat(30));
    let out = perfstat()
        .args([
            OsStr::new("describe"),
            p.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ])
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["samples"][0];
    assert_eq!(s["std_dev"], 0.0);
    assert!(s["skewness"].is_null() && s["kurtosis"].is_null(), "{s}");
    assert!(
        s["normality"]["shapiro_wilk"].is_null() && s["normality"]["jarque_bera"].is_null(),
        "{s}"
    );
    assert!(s["outliers"]["mad"].is_null(), "{s}");
    assert!(s["mean_ci"].is_null(), "{s}");
    assert!(
        s["reasons"]["skewness"].as_str().unwrap().contains("equal"),
        "{s}"
    );
}

/// The files are read in parallel; the error is still the first bad file's, in the order given.
#[test]
fn of_several_bad_files_the_first_given_is_named() {
    let i = Inputs::new();
    let ok = i.file("ok.csv", "latency_ms\n1\n2\n3\n");
    let first = i.file("first.csv", "latency_ms\n1\nx\n");
    let second = i.file("second.csv", "latency_ms\n");
    let err = input_error(&[
        OsStr::new("describe"),
        ok.as_os_str(),
        first.as_os_str(),
        second.as_os_str(),
    ]);
    assert!(err.contains("first.csv:3:1"), "{err}");
    assert!(!err.contains("second.csv"), "{err}");
    let err = input_error(&[
        OsStr::new("describe"),
        second.as_os_str(),
        first.as_os_str(),
    ]);
    assert!(
        err.contains("second.csv") && !err.contains("first.csv"),
        "{err}"
    );
}
