//! `--slo`, `--fail-on-slo`, `--warmup` and the throughput timeline through the CLI.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{Inputs, input_error, perfstat};

const FORMATS: &str = "crates/ingest/tests/fixtures/formats";

/// A JMeter JTL of 2000 requests at 10/s over 200 s: 300 ms (± 20) for the first 30 s, then 100 ms
/// (± 20); every 100th request fails with HTTP 500.
fn jtl(inputs: &Inputs, name: &str, steady_ms: f64) -> PathBuf {
    let mut s: u64 = 42;
    let mut u = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("timeStamp,elapsed,label,responseCode,success\n");
    for i in 0..2000u64 {
        let t = 1_741_944_413_000 + i * 100;
        let base = if i < 300 { 300.0 } else { steady_ms };
        let ms = (base + 40.0 * (u() - 0.5)).round();
        let (code, ok) = if i % 100 == 99 {
            (500, false)
        } else {
            (200, true)
        };
        text.push_str(&format!("{t},{ms},GET /a,{code},{ok}\n"));
    }
    inputs.file(name, text)
}

/// Runs perfstat; returns (exit code, stdout, stderr).
fn run(args: &[&OsStr]) -> (i32, String, String) {
    let out = perfstat().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os<'a>(args: &'a [&'a str]) -> Vec<&'a OsStr> {
    args.iter().map(OsStr::new).collect()
}

fn describe_json(file: &Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec![OsStr::new("describe"), file.as_os_str()];
    args.extend(os(extra));
    args.extend(os(&["--format", "json"]));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "stderr: {stderr}");
    (serde_json::from_str(&stdout).unwrap(), stderr)
}

fn slo<'a>(doc: &'a Value, objective: &str) -> &'a Value {
    doc["samples"][0]["slos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["objective"] == objective)
        .unwrap_or_else(|| panic!("no {objective} in {doc}"))
}

#[test]
fn clear_pass_and_clear_fail_with_their_intervals() {
    let inputs = Inputs::new();
    let file = jtl(&inputs, "run.jtl", 100.0);
    let (doc, _) = describe_json(
        &file,
        &[
            "--slo",
            "p95<1s",
            "--slo",
            "p95<50ms",
            "--slo",
            "error_rate<5%",
            "--slo",
            "error_rate<0.1%",
            "--slo",
            "throughput>=9/s",
            "--slo",
            "throughput>=20/s",
            "--slo",
            "mean<=2s",
            "--slo",
            "max<2s",
        ],
    );
    let p = slo(&doc, "p95<1s");
    assert_eq!(p["status"], "pass");
    assert_eq!(p["metric"], "p95");
    assert_eq!(p["op"], "<");
    assert_eq!(p["threshold"], 1000.0);
    let (lo, est, hi) = (
        p["lower"].as_f64().unwrap(),
        p["estimate"].as_f64().unwrap(),
        p["upper"].as_f64().unwrap(),
    );
    assert!(lo <= est && est <= hi && hi < 1000.0, "{p}");
    assert_eq!(slo(&doc, "p95<50ms")["status"], "fail");
    assert_eq!(slo(&doc, "error_rate<5%")["status"], "pass");
    assert_eq!(slo(&doc, "error_rate<5%")["estimate"], 0.01);
    assert_eq!(slo(&doc, "error_rate<0.1%")["status"], "fail");
    let t = slo(&doc, "throughput>=9/s");
    assert_eq!(t["status"], "pass", "{t}");
    assert_eq!(t["unit"], "1/s");
    assert_eq!(slo(&doc, "throughput>=20/s")["status"], "fail");
    assert_eq!(slo(&doc, "mean<=2s")["status"], "pass");
    assert_eq!(slo(&doc, "max<2s")["status"], "pass");
}

#[test]
fn uncertain_when_the_interval_straddles_and_the_gates() {
    let inputs = Inputs::new();
    // 30 values: p50 = 15.5, its 95 % interval [10, 21] holds 15.5 and 12.
    let values: String = (1..=30).map(|v| format!("{v}\n")).collect();
    let file = inputs.file("small.csv", format!("latency_ms\n{values}"));
    let f = file.to_str().unwrap();
    let (doc, _) = describe_json(&file, &["--slo", "p50<12ms"]);
    let s = slo(&doc, "p50<12ms");
    assert_eq!(s["status"], "uncertain", "{s}");
    assert_eq!(
        (s["lower"].as_f64(), s["upper"].as_f64()),
        (Some(10.0), Some(21.0))
    );
    // Uncertain does not fail --fail-on-slo; it fails --fail-on-slo-uncertain.
    let (code, stdout, _) = run(&os(&["describe", f, "--slo", "p50<12ms", "--fail-on-slo"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("uncertain"), "{stdout}");
    let (code, _, _) = run(&os(&[
        "describe",
        f,
        "--slo",
        "p50<12ms",
        "--fail-on-slo-uncertain",
    ]));
    assert_eq!(code, 1);
    // A failure exits 1 only with --fail-on-slo.
    let (code, stdout, _) = run(&os(&["describe", f, "--slo", "p50<5ms"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("FAIL"), "{stdout}");
    let (code, _, _) = run(&os(&["describe", f, "--slo", "p50<5ms", "--fail-on-slo"]));
    assert_eq!(code, 1);
    let (code, _, _) = run(&os(&["describe", f, "--slo", "p50<1s", "--fail-on-slo"]));
    assert_eq!(code, 0);
    // Markdown has a row per objective.
    let (code, md, _) = run(&os(&[
        "describe", f, "--slo", "p50<1s", "--slo", "p50<5ms", "--format", "markdown",
    ]));
    assert_eq!(code, 0);
    assert!(
        md.contains("**SLOs**") && md.contains("| `p50<1s` | ✅ pass |"),
        "{md}"
    );
    assert!(md.contains("| `p50<5ms` | ❌ fail |"), "{md}");
}

#[test]
fn malformed_or_inapplicable_objectives_are_usage_errors() {
    let inputs = Inputs::new();
    let file = inputs.file("a.csv", "latency_ms\n1\n2\n3\n");
    let f = file.as_os_str();
    for bad in [
        "p95=800ms",
        "latency<3ms",
        "p95<800 parsecs",
        "error_rate<150%",
    ] {
        let out = perfstat()
            .args([
                OsStr::new("describe"),
                f,
                OsStr::new("--slo"),
                OsStr::new(bad),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains(bad), "{bad}: {stderr}");
    }
    // A generic CSV has no request accounting or time span.
    let err = input_error(&os(&[
        "describe",
        file.to_str().unwrap(),
        "--slo",
        "error_rate<1%",
    ]));
    assert!(
        err.contains("error_rate<1%") && err.contains("load-test"),
        "{err}"
    );
    let err = input_error(&os(&[
        "describe",
        file.to_str().unwrap(),
        "--slo",
        "throughput>1/s",
    ]));
    assert!(err.contains("timestamps"), "{err}");
}

#[test]
fn ab_judges_the_treatment_and_reports_failures_of_both_inputs() {
    let inputs = Inputs::new();
    let a = jtl(&inputs, "a.jtl", 100.0);
    let b = jtl(&inputs, "b.jtl", 400.0);
    let args = |extra: &[&str]| {
        let mut v = vec![OsStr::new("ab"), a.as_os_str(), b.as_os_str()];
        v.extend(os(extra));
        run(&v)
    };
    let (code, stdout, stderr) = args(&["--slo", "p95<300ms", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let t = &doc["treatment"]["slos"][0];
    assert_eq!(t["objective"], "p95<300ms");
    assert_eq!(t["status"], "fail");
    assert!(doc["control"].get("slos").is_none());
    for input in doc["inputs"].as_array().unwrap() {
        assert_eq!(input["format"], "jmeter-csv");
        assert_eq!(input["requests"], 2000);
        assert_eq!(input["failures"], 20);
        assert_eq!(input["failures_by"][0]["kind"], "HTTP 500");
        assert!(input["error_rate"]["upper"].as_f64().unwrap() > 0.01);
        assert!(input["throughput_rps"].as_f64().unwrap() > 9.9);
    }
    assert_eq!(args(&["--slo", "p95<300ms", "--fail-on-slo"]).0, 1);
    let (code, table, _) = args(&["--slo", "p95<1s", "--fail-on-slo"]);
    assert_eq!(code, 0);
    assert!(
        table.contains("SLOs (B)") && table.contains("p95<1s"),
        "{table}"
    );
}

#[test]
fn warmup_by_time_count_and_auto() {
    let inputs = Inputs::new();
    let file = jtl(&inputs, "run.jtl", 100.0);
    // By time: the first 30 s are 300 requests (3 of them failed).
    let (doc, stderr) = describe_json(&file, &["--warmup", "30s"]);
    let w = &doc["inputs"][0]["warmup"];
    assert_eq!(w["method"], "time");
    assert_eq!(w["dropped"], 300);
    assert_eq!(w["cut_at"], 30.0);
    assert!(
        stderr.contains("warm-up (time 30s): dropped 300 requests"),
        "{stderr}"
    );
    assert_eq!(doc["inputs"][0]["requests"], 1700);
    assert_eq!(doc["inputs"][0]["failures"], 17);
    assert_eq!(doc["samples"][0]["n"], 1683);
    assert!(doc["samples"][0]["max"].as_f64().unwrap() < 200.0);
    // By count.
    let (doc, _) = describe_json(&file, &["--warmup", "500"]);
    let w = &doc["inputs"][0]["warmup"];
    assert_eq!(
        (w["method"].as_str(), w["dropped"].as_u64()),
        (Some("count"), Some(500))
    );
    assert_eq!(w["cut_at"], 50.0);
    assert_eq!(doc["samples"][0]["n"], 1500 - 15);
    // Auto: MSER-5 finds the step at request 300.
    let (doc, stderr) = describe_json(&file, &["--warmup", "auto"]);
    let w = &doc["inputs"][0]["warmup"];
    assert_eq!(w["method"], "mser-5");
    let dropped = w["dropped"].as_u64().unwrap();
    assert!((295..=310).contains(&dropped), "{w}");
    assert_eq!(w["unsettled"], false);
    assert!(stderr.contains("warm-up (mser-5)"), "{stderr}");
    assert!(doc["samples"][0]["max"].as_f64().unwrap() < 200.0);
}

#[test]
fn warmup_on_the_shipped_samples() {
    let root = crate::util::workspace_root();
    // ab -g has whole-second timestamps and rows sorted by total time: a cut by count (or MSER-5)
    // would drop the fastest requests, not the first, so it is refused; a duration cuts by the
    // (whole-second) start times.
    let ab = root.join(FORMATS).join("ab-gnuplot.tsv");
    for spec in ["3", "auto"] {
        let out = crate::util::perfstat()
            .args(["describe", ab.to_str().unwrap(), "--warmup", spec])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("needs the requests in time order"), "{err}");
    }
    let ab = root.join("crates/ingest/tests/fixtures/real/ab-g.tsv");
    let (doc, _) = describe_json(&ab, &["--warmup", "1s"]);
    assert_eq!(doc["inputs"][0]["warmup"]["method"], "time");
    let n = doc["inputs"][0]["requests"].as_u64().unwrap();
    let dropped = doc["inputs"][0]["warmup"]["dropped"].as_u64().unwrap();
    let (full, _) = describe_json(&ab, &[]);
    assert_eq!(full["inputs"][0]["requests"].as_u64().unwrap(), n + dropped);
    // JMeter with --by label: the groups are rebuilt from the requests kept.
    let jmeter = root.join(FORMATS).join("jmeter.jtl.csv");
    let (doc, _) = describe_json(&jmeter, &["--warmup", "1s", "--by", "label"]);
    assert_eq!(doc["inputs"][0]["warmup"]["method"], "time");
    assert_eq!(doc["inputs"][0]["warmup"]["dropped"], 7);
    let samples: Vec<(&str, u64)> = doc["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].as_str().unwrap(), s["n"].as_u64().unwrap()))
        .collect();
    assert_eq!(samples, [("GET /api/items", 7), ("POST /api/orders", 7)]);
    // k6 (MSER-5 on 22 requests: 4 batches).
    let k6 = root.join(FORMATS).join("k6.json");
    let (doc, _) = describe_json(&k6, &["--warmup", "auto"]);
    assert!(doc["inputs"][0]["warmup"]["dropped"].is_u64());
    // A generic file: a count or auto works per group, a duration needs timestamps.
    let inputs = Inputs::new();
    let values: String = (0..100)
        .map(|i| format!("{}\n", if i < 20 { 500 } else { 100 + i % 3 }))
        .collect();
    let csv = inputs.file("lat.csv", format!("latency_ms\n{values}"));
    let (doc, _) = describe_json(&csv, &["--warmup", "auto"]);
    assert_eq!(doc["inputs"][0]["warmup"]["dropped"], 20);
    assert!(doc["inputs"][0]["warmup"]["cut_at"].is_null());
    assert_eq!(doc["samples"][0]["max"], 102.0);
    let err = input_error(&os(&["describe", csv.to_str().unwrap(), "--warmup", "30s"]));
    assert!(
        err.contains("needs request timestamps") && err.contains("--warmup 500"),
        "{err}"
    );
    let err = input_error(&os(&["describe", csv.to_str().unwrap(), "--warmup", "100"]));
    assert!(err.contains("drops all 100 values"), "{err}");
    let out = perfstat()
        .args(os(&["describe", csv.to_str().unwrap(), "--warmup", "soon"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn throughput_timeline_in_describe_json() {
    let inputs = Inputs::new();
    let file = jtl(&inputs, "run.jtl", 100.0);
    let (doc, _) = describe_json(&file, &["--bucket", "10s"]);
    let t = &doc["inputs"][0]["throughput_timeline"];
    assert_eq!(t["bucket_s"], 10.0);
    let rps: Vec<f64> = t["rps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(rps.len(), 20);
    assert!(rps[..19].iter().all(|&r| r == 10.0), "{rps:?}");
    assert_eq!(
        t["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        2000
    );
    assert_eq!(t["failures"][0], 1);
    // auto: a round width for about 50 buckets (200 s → 5 s).
    let (doc, _) = describe_json(&file, &["--bucket", "auto"]);
    assert_eq!(doc["inputs"][0]["throughput_timeline"]["bucket_s"], 5.0);
    // Off by default (it costs memory per request).
    let (doc, _) = describe_json(&file, &[]);
    assert!(doc["inputs"][0].get("throughput_timeline").is_none());
    // No timestamps (a generic file): no timeline.
    let csv = inputs.file("lat.csv", "latency_ms\n1\n2\n3\n");
    let (doc, _) = describe_json(&csv, &["--bucket", "auto"]);
    assert!(doc["inputs"][0].get("throughput_timeline").is_none());
}

/// `describe data/run.csv` (the shipped file: timestamp_ms, latency_ms, status) chooses latency_ms
/// and says so.
#[test]
fn the_shipped_run_csv_chooses_latency_ms() {
    let root = crate::util::workspace_root();
    let out = crate::util::perfstat()
        .arg("describe")
        .arg(root.join("data/run.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "metric latency_ms chosen among the numeric columns timestamp_ms, latency_ms, status"
        ) && stderr.contains("--metric NAME picks another"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("latency_ms · "));
}

/// ab -g: failures unknown (null with a reason, no error-rate interval, an error-rate SLO cannot be
/// judged), throughput with the range its whole-second start times allow, and the table says so.
#[test]
fn ab_says_what_it_cannot_know() {
    let root = crate::util::workspace_root();
    let ab = root.join("crates/ingest/tests/fixtures/real/ab-g.tsv");
    let (doc, stderr) = describe_json(&ab, &[]);
    assert!(stderr.contains("failures unknown"), "{stderr}");
    let input = &doc["inputs"][0];
    assert_eq!(input["requests"], 300);
    assert!(input["failures"].is_null() && input["error_rate"].is_null());
    assert!(
        input["reasons"]["failures"]
            .as_str()
            .unwrap()
            .contains("ab -g")
    );
    assert!(input["reasons"]["error_rate"].is_string());
    let lower = input["throughput_range"]["lower"].as_f64().unwrap();
    // ab's own figure, 449.89/s, lies in the range; the point estimate (294/s) is not it.
    assert!(lower < 449.89);
    assert!(input["reasons"]["throughput_rps"].is_string());
    // A throughput objective covers every span the whole-second times allow: ab itself measured
    // 449.89/s, so `throughput>=400/s` is not refuted by perfstat's 294/s point estimate.
    let (doc, _) = describe_json(&ab, &["--slo", "throughput>=400/s"]);
    let r = slo(&doc, "throughput>=400/s");
    assert_eq!(r["status"], "uncertain", "{r}");
    assert!(
        r["reason"].as_str().unwrap().contains("known to 1 s"),
        "{r}"
    );
    // No lag-1 autocorrelation warning from rows sorted by time taken.
    let out = crate::util::perfstat()
        .args(["ab", ab.to_str().unwrap(), ab.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("autocorrelation"), "{text}");
    assert!(text.contains("failures     unknown: ab -g"), "{text}");
    let out = crate::util::perfstat()
        .args(["describe", ab.to_str().unwrap(), "--slo", "error_rate<1%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // capacity's success check cannot pass on unknown failures: the error rate is null.
    let out = crate::util::perfstat()
        .args(["capacity", "--level", "4"])
        .arg(&ab)
        .args(["--level", "8"])
        .arg(&ab)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cap: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert!(
        stderr.contains("do not say which requests failed"),
        "{stderr}"
    );
    assert!(cap["levels"][0]["error_rate"].is_null(), "{cap}");
}

/// `--slo "p95<40ms"` on 60 values whose p95 is 58.8 ms: the interval has no upper end, but its
/// lower end (54.6 ms) already misses the objective: fail (exit 1).
#[test]
fn slo_with_a_one_ended_interval_decides() {
    let inputs = Inputs::new();
    let values: String = (1..=60)
        .map(|k| format!("{}\n", f64::from(k) * 58.8 / 57.05))
        .collect();
    let csv = inputs.file("sixty.csv", format!("latency_ms\n{values}"));
    let (doc, _) = describe_json(&csv, &["--slo", "p95<40ms"]);
    let r = slo(&doc, "p95<40ms");
    assert_eq!(r["status"], "fail", "{doc}");
    assert!(r["upper"].is_null() && r["lower"].is_number(), "{r}");
    let out = crate::util::perfstat()
        .args([
            "describe",
            csv.to_str().unwrap(),
            "--slo",
            "p95<40ms",
            "--fail-on-slo",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Requests, failures, error rate and throughput are in the table and the Markdown, not only the JSON.
#[test]
fn load_test_facts_in_the_table_and_the_markdown() {
    let root = crate::util::workspace_root();
    let hey = root.join("crates/ingest/tests/fixtures/real/hey.csv");
    let run = |format: &str| {
        let out = crate::util::perfstat()
            .args(["describe", hey.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run("table");
    assert!(table.contains("\nrequests · "), "{table}");
    assert!(table.contains("  requests     300\n"), "{table}");
    assert!(table.contains("  failures     60\n"), "{table}");
    assert!(table.contains("  error rate   20.0 % ["), "{table}");
    assert!(table.contains("  throughput   "), "{table}");
    let md = run("markdown");
    assert!(
        md.contains("| input | requests | failures | error rate | throughput |"),
        "{md}"
    );
    assert!(md.contains("hey.csv` | 300 | 60 | 20.0 % ["), "{md}");
}
