//! `perfstat pareto` on the reliability reproducers (cases 15, 20, 21, 22 of issue 10):
//! every input error names file, line and column, and nothing is silently accepted.

use std::ffi::OsStr;

use crate::util::{Inputs, input_error, perfstat};

const DATA: &str = "crates/cli/tests/data/reliability";

fn pareto_err(file: &str, extra: &[&str]) -> String {
    let path = format!("{DATA}/{file}");
    let mut args: Vec<&OsStr> = vec![OsStr::new("pareto"), OsStr::new(&path)];
    args.extend(extra.iter().map(OsStr::new));
    input_error(&args)
}

const OBJECTIVES: [&str; 4] = ["-o", "cost:min", "-o", "tps:max"];

/// Case 15: the bad cell is on line 4 of a CRLF file (was reported on line 3).
#[test]
fn crlf_csv_names_the_exact_line_and_column() {
    let err = pareto_err("15-crlf-line-numbers-off-by-one/configs.csv", &OBJECTIVES);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {DATA}/15-crlf-line-numbers-off-by-one/configs.csv:4:2: config `c`: metric \
             `cost`: expected a finite number in column \"cost\", found \"inf\""
        )
    );
}

/// Case 20: the string "NaN" is not a sample-file path; `[1, "NaN", 2]` names its element;
/// a CSV cell that is not a number names its line and column.
#[test]
fn misleading_errors_say_what_was_expected() {
    let err = pareto_err("20-misleading-error-text/nan_string.json", &[]);
    assert!(
        err.contains("nan_string.json:1:81: config `a`: metric `cost`: \"NaN\" is not a number: JSON has no NaN"),
        "{err}"
    );
    assert!(!err.contains("sample file \"NaN\""), "{err}");
    let err = pareto_err("20-misleading-error-text/nan_in_array.json", &[]);
    assert!(
        err.contains(
            "nan_in_array.json:1:84: config `a`: metric `cost`: element 2 of the array is a \
             string (\"NaN\"); repeated measurements are an array of numbers"
        ),
        "{err}"
    );
    let err = pareto_err("20-misleading-error-text/pareto_text.csv", &OBJECTIVES);
    assert!(
        err.contains(
            "pareto_text.csv:3:2: config `b`: metric `cost`: expected a number in column \
             \"cost\", found \"n/a\""
        ),
        "{err}"
    );
}

/// Case 21: duplicate JSON keys were silently "last one wins" (the objective flipped to max).
#[test]
fn duplicate_json_keys_are_refused() {
    let err = pareto_err("21-silently-accepted/dupkeys.json", &[]);
    assert!(
        err.contains(
            "dupkeys.json:1:30: duplicate key \"objectives\" (first at 1:2): a JSON object may \
             hold a key once"
        ),
        "{err}"
    );
    // The same in a metrics object.
    let i = Inputs::new();
    let p = i.file(
        "m.json",
        "{\"objectives\": [\"cost:min\"], \"configs\": [\n {\"id\": \"a\", \"metrics\": {\"cost\": 1, \"cost\": 5}}]}",
    );
    let err = input_error(&[OsStr::new("pareto"), p.as_os_str()]);
    assert!(
        err.contains("m.json:2:37: duplicate key \"cost\" (first at 2:26)"),
        "{err}"
    );
}

/// Case 22: invalid UTF-8 gave a byte offset; now the line and column.
#[test]
fn invalid_utf8_names_line_and_column() {
    let err = pareto_err("22-invalid-utf8-no-line/configs.csv", &OBJECTIVES);
    assert!(
        err.contains("22-invalid-utf8-no-line/configs.csv:3:1: invalid UTF-8"),
        "{err}"
    );
}

/// Sample files are read with the input options (`--metric`, `--unit`), and a direction
/// left out is inferred from the name (with a note).
#[test]
fn sample_files_honour_input_options_and_directions_are_inferred() {
    let i = Inputs::new();
    let secs: String = (1..=100)
        .map(|v| format!("{},{}\n", f64::from(v) / 1000.0, 7))
        .collect();
    i.file("run.csv", format!("latency_s,elapsed\n{secs}"));
    let configs = i.file(
        "c.json",
        r#"{"configs": [{"id": "a", "metrics": {"p95_latency_ms": "run.csv", "cost": 1}}]}"#,
    );
    let out = perfstat()
        .arg("pareto")
        .arg(&configs)
        .args(["-o", "p95_latency_ms", "-o", "cost:min"])
        .args(["--metric", "latency_s", "--unit", "s", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: objective `p95_latency_ms`: min (lower is better), inferred"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["objectives"][0]["direction"], "min");
    // p95 (type 7) of 1..100 ms: 95.05 ms, from seconds.
    let p95 = doc["configs"][0]["metrics"]["p95_latency_ms"]
        .as_f64()
        .unwrap();
    assert!((p95 - 95.05).abs() < 1e-9, "{p95}");
    // Without --metric the file has two numeric columns: the ingest error, positioned in
    // the configs file.
    let err = input_error(&[
        OsStr::new("pareto"),
        configs.as_os_str(),
        OsStr::new("-o"),
        OsStr::new("cost"),
    ]);
    assert!(
        err.contains("c.json:1:56: config `a`: metric `p95_latency_ms`: sample file \"run.csv\":"),
        "{err}"
    );
    assert!(err.contains("--metric"), "{err}");
}
