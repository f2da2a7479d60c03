//! Issue 12's parity: the library crates alone (`perfstat-examples`' `json` functions, which call
//! the builders the CLI calls) produce byte for byte the JSON that `perfstat … --format json`
//! prints, for every command on the shipped `data/`.

use std::path::{Path, PathBuf};

use perfstat_examples::json;

use crate::util::{perfstat, workspace_root};

/// The CLI's stdout (without its final newline) and exit status.
fn cli(args: &[&str]) -> (String, Option<i32>) {
    let out = perfstat()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let doc = stdout.strip_suffix('\n').unwrap_or(&stdout).to_owned();
    (doc, out.status.code())
}

/// An absolute path under the workspace, as text (both sides name the inputs the same way).
fn data(name: &str) -> (PathBuf, String) {
    let path = workspace_root().join("data").join(name);
    let text = path.display().to_string();
    (path, text)
}

fn same(library: String, (cli, code): (String, Option<i32>), expected_code: i32) {
    assert_eq!(code, Some(expected_code));
    assert!(
        library == cli,
        "library and CLI differ:\n{library}\n---\n{cli}"
    );
}

#[test]
fn describe() {
    let (run, r) = data("run.csv");
    let args = ["describe", &r, "--metric", "latency_ms", "--by", "endpoint"];
    same(json::describe(&run).unwrap(), cli(&args), 0);
}

#[test]
fn ab_with_and_without_groups() {
    let ((c, cs), (t, ts)) = (data("control.csv"), data("treatment.csv"));
    let args = ["ab", &cs, &ts, "--metric", "latency_ms"];
    same(json::ab(&c, &t, false).unwrap(), cli(&args), 0);
    let args = ["ab", &cs, &ts, "--metric", "latency_ms", "--by", "endpoint"];
    same(json::ab(&c, &t, true).unwrap(), cli(&args), 0);
}

#[test]
fn ab_over_runs() {
    let ((c, cs), (t, ts)) = (data("runs/control"), data("runs/treatment"));
    let args = [
        "ab",
        "--control",
        &cs,
        "--treatment",
        &ts,
        "--metric",
        "latency_ms",
    ];
    same(json::ab_runs(&c, &t).unwrap(), cli(&args), 0);
}

#[test]
fn pareto() {
    let (configs, text) = data("configs.json");
    let reference =
        "cost_per_1k_tokens=0.01,p95_latency_ms=2000,quality_score=0.5,throughput_tokens_per_s=0";
    let args = [
        "pareto",
        &text,
        "--constraint",
        "p95_latency_ms<=900",
        "--reference",
        reference,
    ];
    same(json::pareto(&configs).unwrap(), cli(&args), 0);
}

#[test]
fn regress() {
    let (history, text) = data("history.csv");
    // The last night is a latency regression: exit 1.
    same(
        json::regress(&history).unwrap(),
        cli(&["regress", &text]),
        1,
    );
}

#[test]
fn capacity() {
    let levels: Vec<(f64, PathBuf)> = [1, 5, 10, 25, 50, 80]
        .iter()
        .map(|&n| {
            (
                f64::from(n),
                data(&format!("capacity/users-{n:02}.jtl.gz")).0,
            )
        })
        .collect();
    let mut args = vec!["capacity".to_owned()];
    for (n, file) in &levels {
        args.extend(["--level".to_owned(), n.to_string(), display(file)]);
    }
    args.extend(["--slo-p95".to_owned(), "200ms".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    same(json::capacity(&levels).unwrap(), cli(&args), 0);
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
