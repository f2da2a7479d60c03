//! `--help` of perfstat and of every command, and the stderr and exit status of one bad input per
//! command, as insta snapshots: a change to a flag or an error format is a visible diff.

use crate::util::perfstat;

/// stdout of `perfstat ARGS --help` at a fixed width of 100 columns.
fn help(args: &[&str]) -> String {
    let out = perfstat()
        .args(args)
        .arg("--help")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?} --help");
    String::from_utf8(out.stdout).unwrap()
}

/// `exit N` and the stderr of a failing run.
fn failure(args: &[&str]) -> String {
    let out = perfstat()
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    format!(
        "exit {}\n{}",
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap()
    )
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(help(&[]));
}

#[test]
fn describe_help() {
    insta::assert_snapshot!(help(&["describe"]));
}

#[test]
fn ab_help() {
    insta::assert_snapshot!(help(&["ab"]));
}

#[test]
fn pareto_help() {
    insta::assert_snapshot!(help(&["pareto"]));
}

#[test]
fn regress_help() {
    insta::assert_snapshot!(help(&["regress"]));
}

#[test]
fn capacity_help() {
    insta::assert_snapshot!(help(&["capacity"]));
}

#[test]
fn describe_bad_input() {
    insta::assert_snapshot!(failure(&["describe", "data/no-such-file.csv"]));
}

#[test]
fn ab_bad_fail_on() {
    insta::assert_snapshot!(failure(&[
        "ab",
        "data/control.csv",
        "data/treatment.csv",
        "--fail-on",
        "degradation"
    ]));
}

#[test]
fn pareto_bad_input() {
    insta::assert_snapshot!(failure(&["pareto", "data/history.csv"]));
}

#[test]
fn regress_bad_fail_on() {
    insta::assert_snapshot!(failure(&[
        "regress",
        "data/history.csv",
        "--fail-on",
        "slo"
    ]));
}

#[test]
fn capacity_bad_duration() {
    insta::assert_snapshot!(failure(&[
        "capacity",
        "--level",
        "1",
        "data/run.csv",
        "--duration",
        "5 parsecs"
    ]));
}

#[test]
fn bad_flag() {
    insta::assert_snapshot!(failure(&["describe", "data/run.csv", "--no-such-flag"]));
}

#[test]
fn fail_on_lists_and_aliases() {
    // Comma-separated and repeated conditions; `never` with another is an error.
    let ok = perfstat()
        .args(["describe", "data/run.csv", "--metric", "latency_ms"])
        .args([
            "--slo",
            "p95<1ms",
            "--fail-on",
            "slo,slo-uncertain",
            "--fail-on",
            "slo",
        ])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(1));
    let out = perfstat()
        .args(["describe", "data/run.csv", "--metric", "latency_ms"])
        .args(["--fail-on", "never,slo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --fail-on never cannot be combined with other conditions\n"
    );
}

#[test]
fn ab_direction_named_or_bare() {
    let run = |d: &str| {
        perfstat()
            .args([
                "ab",
                "data/control.csv",
                "data/treatment.csv",
                "--metric",
                "latency_ms",
            ])
            .args(["--format", "json", "--direction", d])
            .output()
            .unwrap()
    };
    let bare = run("higher");
    let named = run("latency_ms=higher");
    assert_eq!(bare.status.code(), Some(0));
    assert_eq!(bare.stdout, named.stdout);
    let doc: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_eq!(doc["direction"], "higher_is_better");
    let other = run("throughput=higher");
    assert_eq!(other.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&other.stderr),
        "error: --direction throughput=…: ab compares one metric, \"latency_ms\"\n"
    );
}
