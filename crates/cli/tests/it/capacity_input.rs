//! `perfstat capacity` input errors: every one names file, line and column (reliability cases 15,
//! 20 and 22, their inputs in tests/data/reliability), and the table forms it accepts (header
//! aliases, headerless two-column tables, white-space-separated `.txt`).

use std::ffi::OsStr;

use serde_json::Value;

use crate::util::{Inputs, input_error, perfstat};

fn case(dir: &str, file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reliability")
        .join(dir)
        .join(file)
}

/// `perfstat capacity FILE` from the file's folder (so that the error names it as given).
fn capacity_error(path: &std::path::Path) -> String {
    let out = perfstat()
        .current_dir(path.parent().unwrap())
        .arg("capacity")
        .arg(path.file_name().unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

/// Case 15: the bad cell is on line 4 of a CRLF file (capacity said line 3).
#[test]
fn crlf_table_names_the_exact_line_and_column() {
    let path = case("15-crlf-line-numbers-off-by-one", "levels.csv");
    assert!(
        std::fs::read(&path)
            .unwrap()
            .windows(2)
            .any(|w| w == b"\r\n")
    );
    assert_eq!(
        capacity_error(&path),
        "error: levels.csv:4:2: expected a number in column \"throughput\", found \"x\"\n"
    );
}

/// Case 20: a ragged row was the csv crate's message without a file:line prefix.
#[test]
fn ragged_table_names_the_line() {
    let path = case("20-misleading-error-text", "ragged_levels.csv");
    assert_eq!(
        capacity_error(&path),
        "error: ragged_levels.csv:3: expected 2 fields as in the header, found 3\n"
    );
}

/// Case 22: invalid UTF-8 was "cannot read the file: stream did not contain valid UTF-8".
#[test]
fn invalid_utf8_names_line_and_column() {
    let path = case("22-invalid-utf8-no-line", "levels.csv");
    let stderr = capacity_error(&path);
    assert!(
        stderr.starts_with("error: levels.csv:3:2: invalid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn every_table_error_names_file_line_and_column() {
    let i = Inputs::new();
    for (name, text, want) in [
        (
            "bad.csv",
            "level,throughput,p95\n1,10,5\n2,20,fast\n3,30,7\n",
            "bad.csv:3:3: expected a number in column \"p95\", found \"fast\"",
        ),
        (
            "crlf.csv",
            "level,throughput,p95\r\n1,10,5\r\n\r\n2,20,fast\r\n",
            "crlf.csv:4:3: expected a number in column \"p95\", found \"fast\"",
        ),
        (
            "ws.txt",
            "N  X  p95\n1  10  5\n2  20  fast\n",
            "ws.txt:3:3: expected a number in column \"p95\", found \"fast\"",
        ),
        (
            "bare.csv",
            "1,10\n2,x\n",
            "bare.csv:2:2: expected a number in column \"2\", found \"x\"",
        ),
        (
            "alias.csv",
            "users,tps\n1,10\n,20\n",
            "alias.csv:3:1: no users in this row",
        ),
        (
            "rate.csv",
            "level,throughput,error_rate\n1,10,150%\n",
            "rate.csv:2:3: error_rate 1.5 is not within 0 and 1 (write 2 % as 0.02 or 2%)",
        ),
        (
            "cols2.csv",
            "N,X,sd\n1,10,-1\n",
            "cols2.csv:2:3: sd -1 is not a positive number (a standard deviation)",
        ),
        (
            "two.csv",
            "users,threads,X\n1,1,10\n",
            "two.csv:1:2: columns \"users\", \"threads\" could each be the level: rename the one to use `level`",
        ),
        (
            "cols.csv",
            "load,p95\n1,10\n",
            "cols.csv:1: a table of aggregates needs a throughput column",
        ),
    ] {
        let path = i.file(name, text);
        let stderr = input_error(&[OsStr::new("capacity"), path.as_os_str()]);
        let got = stderr.strip_prefix("error: ").unwrap();
        let got = got
            .rsplit_once(std::path::MAIN_SEPARATOR)
            .map_or(got, |(_, g)| g);
        assert!(got.starts_with(want), "{name}: {stderr}");
        // A table is not skipped row by row: no --skip-invalid hint.
        assert!(!stderr.contains("--skip-invalid"), "{stderr}");
    }
}

fn model(path: &std::path::Path) -> Value {
    let out = perfstat()
        .arg("capacity")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["model"].clone()
}

/// The shipped table read through aliases, without a header, and white-space separated: one fit.
#[test]
fn aliases_headerless_and_whitespace_tables_give_the_same_fit() {
    let i = Inputs::new();
    let shipped =
        std::fs::read_to_string(crate::util::workspace_root().join("data/capacity/levels.csv"))
            .unwrap();
    let pairs: Vec<(String, String)> = shipped
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (
                cells.next().unwrap().to_owned(),
                cells.next().unwrap().to_owned(),
            )
        })
        .collect();
    let body = |sep: &str| -> String {
        pairs
            .iter()
            .map(|(n, x)| format!("{n}{sep}{x}\n"))
            .collect()
    };
    let want = model(&i.file("plain.csv", format!("level,throughput\n{}", body(","))));
    assert!(want["lambda"]["estimate"].is_number(), "{want}");
    for (name, text) in [
        ("alias.csv", format!("N,X\n{}", body(","))),
        ("alias2.csv", format!("threads;tps\n{}", body(";"))),
        ("alias3.tsv", format!("vus\tthroughput_rps\n{}", body("\t"))),
        ("alias4.csv", format!("processors,X_N\n{}", body(","))),
        ("bare.csv", body(",")),
        ("table.txt", format!("N    X\n{}", body("   "))),
        ("bare.txt", body(" ")),
    ] {
        assert_eq!(model(&i.file(name, text)), want, "{name}");
    }
}

/// A table on standard input is named `<stdin>`, in errors, `inputs` and each row's `source`.
#[test]
fn a_table_on_stdin() {
    let out = perfstat()
        .args(["capacity", "-", "--format", "json"])
        .write_stdin("N X\n1 10\n2 19\n4 35\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["inputs"], serde_json::json!(["<stdin>"]));
    assert_eq!(doc["levels"][2]["source"], "<stdin>:4");
    let out = perfstat()
        .args(["capacity", "-"])
        .write_stdin("N,X\r\n1,10\r\n2,x\r\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: <stdin>:3:2: expected a number in column \"X\", found \"x\"\n"
    );
}

fn json_run(args: &[&OsStr]) -> (Value, String) {
    let (code, doc, stderr) = crate::util::json_doc("capacity", args);
    assert_eq!(code, 0, "{stderr}");
    (doc, stderr)
}

fn close(a: &Value, b: f64, what: &str) {
    let a = a.as_f64().unwrap_or_else(|| panic!("{what}: {a}"));
    assert!((a - b).abs() <= 1e-6 * b.abs(), "{what}: {a} vs {b}");
}

/// Gunther's ray tracer (R usl's `raytracer`): the unbounded κ < 0 blows up near N ≈ 401 and
/// predicts 414/s at 128; the bounded fit (the default) holds κ at 0 and predicts 335/s.
/// Reference values: scipy `curve_fit` (ftol = xtol = gtol = 1e-15), unbounded and with κ = 0,
/// which `least_squares(bounds=([0, 0, 0], [inf, 1, 1]))` finds active.
#[test]
fn raytracer_bounded_by_default_unbounded_on_request() {
    let table = crate::util::workspace_root().join("data/capacity/raytracer.txt");
    let (doc, stderr) = json_run(&[
        table.as_os_str(),
        OsStr::new("--predict"),
        OsStr::new("128"),
    ]);
    let m = &doc["model"];
    assert_eq!(m["fit"], "bounded");
    assert_eq!(m["at_bound"], serde_json::json!({ "kappa": 0.0 }));
    close(&m["lambda"]["estimate"], 21.848_842_93, "λ");
    close(
        &m["unbounded"]["kappa"]["estimate"],
        -2.011_212_85e-4,
        "unbounded κ",
    );
    close(
        &doc["predictions"][0]["throughput"]["estimate"],
        335.455_087_85,
        "X(128)",
    );
    assert_eq!(m["amdahl"]["preferred"], "amdahl");
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("κ is at its bound 0 (unbounded fit: -2.0112e-4)"),
        "{notes} {stderr}"
    );
    let (doc, stderr) = json_run(&[
        table.as_os_str(),
        OsStr::new("--fit"),
        OsStr::new("unbounded"),
        OsStr::new("--predict"),
        OsStr::new("128"),
    ]);
    assert_eq!(doc["model"]["fit"], "unbounded");
    close(&doc["model"]["kappa"]["estimate"], -2.011_212_85e-4, "κ");
    close(
        &doc["predictions"][0]["throughput"]["estimate"],
        414.098_721_26,
        "X(128)",
    );
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("goes to infinity at N ≈ 400.99"),
        "{notes} {stderr}"
    );
}

/// Replicate rows with a standard deviation: a weighted fit of every row; `--predict` with
/// Little's law response time from the mean latency column, chosen by `--latency-column`.
#[test]
fn replicates_weights_columns_and_predictions() {
    let i = Inputs::new();
    let t = i.file(
        "runs.csv",
        "\"\",\"clients\",\"ops\",\"sd\",\"lat_ms\"\n\
         \"1\",1,10.1,0.3,99\n\"2\",1,9.9,0.3,101\n\"3\",2,19.4,0.6,103\n\"4\",2,19.0,0.6,105\n\
         \"5\",4,35.2,1.1,114\n\"6\",4,34.6,1.0,116\n\"7\",8,52.0,1.6,154\n\"8\",8,53.1,1.6,151\n\
         \"9\",16,60.2,1.8,266\n\"10\",16,59.0,1.8,271\n",
    );
    let (doc, stderr) = json_run(&[
        t.as_os_str(),
        OsStr::new("--level-column"),
        OsStr::new("clients"),
        OsStr::new("--throughput-column"),
        OsStr::new("3"),
        OsStr::new("--latency-column"),
        OsStr::new("lat_ms"),
        OsStr::new("--predict"),
        OsStr::new("12"),
        OsStr::new("24"),
    ]);
    assert!(
        stderr.contains("column 1 (no name: a row index?)"),
        "{stderr}"
    );
    assert_eq!(doc["model"]["weighted"], true);
    assert_eq!(doc["model"]["points"], 10);
    assert_eq!(doc["levels"].as_array().unwrap().len(), 5);
    assert_eq!(
        doc["levels"][0]["replicates"],
        serde_json::json!([10.1, 9.9])
    );
    let p = &doc["predictions"][1];
    assert_eq!(p["load"], 24.0);
    // Weighted: no prediction interval (with its reason); Little's law R = N / X̂(N) in ms.
    assert!(p["prediction_lower"].is_null());
    let x = p["throughput"]["estimate"].as_f64().unwrap();
    close(&p["response_time"]["estimate"], 1000.0 * 24.0 / x, "R(24)");
    // A headerless table of three columns, by number.
    let t = i.file("bare3.txt", "7 1 10\n8 2 19\n9 4 35\n10 8 52\n");
    let (doc, _) = json_run(&[
        t.as_os_str(),
        OsStr::new("--level-column"),
        OsStr::new("2"),
        OsStr::new("--throughput-column"),
        OsStr::new("3"),
    ]);
    assert_eq!(doc["levels"][3]["level"], 8.0);
}

/// ApacheBench `-g` files have no failure column: the failures are unknown, not zero, and the
/// success check is not passed (issue 16).
#[test]
fn ab_files_cannot_pass_the_success_check() {
    let ab =
        crate::util::workspace_root().join("crates/ingest/tests/fixtures/formats/ab-gnuplot.tsv");
    let mut args: Vec<&OsStr> = Vec::new();
    for n in ["1", "2", "4"] {
        args.extend([OsStr::new("--level"), OsStr::new(n), ab.as_os_str()]);
    }
    let (doc, stderr) = json_run(&args);
    assert!(
        stderr.contains("the failures are unknown, not zero"),
        "{stderr}"
    );
    let l = &doc["levels"][0];
    assert!(l["error_rate"].is_null());
    assert!(l["slo"]["success_ok"].is_null());
    assert!(l["slo"]["success_ok_confident"].is_null());
    assert!(doc["highest_level_meeting_slos"].is_null());
}
