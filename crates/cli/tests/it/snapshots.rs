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

/// `perfstat ab` of the shipped runs on `latency_ms`, with `extra` flags.
fn ab(extra: &[&str]) -> String {
    let args = ["ab", "data/control.csv", "data/treatment.csv"];
    stdout(&[&args[..], &["--metric", "latency_ms"], extra].concat())
}

/// `perfstat describe data/run.csv` of `latency_ms` by endpoint, with `extra` flags.
fn describe_by_endpoint(extra: &[&str]) -> String {
    let args = ["describe", "data/run.csv", "--metric", "latency_ms"];
    stdout(&[&args[..], &["--by", "endpoint"], extra].concat())
}

#[test]
fn ab_markdown_report() {
    insta::assert_snapshot!("ab_markdown", ab(&["--format", "markdown"]));
}

#[test]
fn ab_table() {
    insta::assert_snapshot!("ab_table", ab(&[]));
}

#[test]
fn ab_by_endpoint_markdown() {
    let md = ab(&["--by", "endpoint", "--format", "markdown"]);
    insta::assert_snapshot!("ab_by_endpoint_markdown", md);
}

#[test]
fn describe_table_and_markdown() {
    insta::assert_snapshot!("describe_table", describe_by_endpoint(&[]));
    let md = describe_by_endpoint(&["--format", "markdown"]);
    insta::assert_snapshot!("describe_markdown", md);
}
