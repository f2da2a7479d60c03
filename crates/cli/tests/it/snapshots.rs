//! Golden reports: the rendered text of the shipped examples (insta snapshots).
//!
//! Numbers appear as rendered (3–4 significant digits), so a snapshot moves
//! only when a statistic changes visibly. Update with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test -p perfstat-cli`) after checking the diff.

use crate::util::perfstat;

fn stdout(args: &[&str]) -> String {
    let out = perfstat().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ab_markdown_report() {
    let md = stdout(&[
        "ab",
        "data/control.csv",
        "data/treatment.csv",
        "--metric",
        "latency_ms",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("ab_markdown", md);
}

#[test]
fn ab_table() {
    let table = stdout(&[
        "ab",
        "data/control.csv",
        "data/treatment.csv",
        "--metric",
        "latency_ms",
    ]);
    insta::assert_snapshot!("ab_table", table);
}

#[test]
fn ab_by_endpoint_markdown() {
    let md = stdout(&[
        "ab",
        "data/control.csv",
        "data/treatment.csv",
        "--metric",
        "latency_ms",
        "--by",
        "endpoint",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("ab_by_endpoint_markdown", md);
}

#[test]
fn describe_table_and_markdown() {
    let table = stdout(&[
        "describe",
        "data/run.csv",
        "--metric",
        "latency_ms",
        "--by",
        "endpoint",
    ]);
    insta::assert_snapshot!("describe_table", table);
    let md = stdout(&[
        "describe",
        "data/run.csv",
        "--metric",
        "latency_ms",
        "--by",
        "endpoint",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("describe_markdown", md);
}
