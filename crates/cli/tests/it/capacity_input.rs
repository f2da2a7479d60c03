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
            "dup.csv",
            "N,X\n1,10\n2,20\n1,30\n",
            "dup.csv:4:1: load level 1 is given twice (first on line 2)",
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
