//! `perfstat capacity`: the shipped simulated runs (data/capacity, known USL
//! parameters), the table of aggregates, degradation points, refusals, and the
//! Markdown report (insta).

use std::ffi::OsStr;

use serde_json::Value;

use crate::util::{self, Inputs, input_error, perfstat};

const LEVELS: [u32; 6] = [1, 5, 10, 25, 50, 80];

/// `--level N data/capacity/users-NN.jtl.gz` for every shipped level.
fn level_args() -> Vec<String> {
    LEVELS
        .iter()
        .flat_map(|n| {
            [
                "--level".to_owned(),
                n.to_string(),
                format!("data/capacity/users-{n:02}.jtl.gz"),
            ]
        })
        .collect()
}

fn json(args: &[String]) -> Value {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let (code, doc, stderr) = util::json_doc("capacity", &args);
    assert_eq!(code, 0, "stderr: {stderr}");
    doc
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// scripts/gen_capacity.py: λ = 50, σ = 0.04, κ = 0.0005 → N* = 43.82, X* = 600.5.
#[test]
fn shipped_runs_recover_the_known_parameters() {
    let mut args = level_args();
    args.extend(["--slo-p95".into(), "200ms".into()]);
    let doc = json(&args);
    assert_eq!(doc["command"], "capacity");
    assert_eq!(doc["workload"], "closed");
    assert_eq!(doc["unit"], "ms");
    let m = &doc["model"];
    for (key, truth) in [("lambda", 50.0), ("sigma", 0.04), ("kappa", 0.0005)] {
        let (lo, hi) = (f(&m[key]["lower"]), f(&m[key]["upper"]));
        assert!(
            lo <= truth && truth <= hi,
            "{key}: {truth} outside [{lo}, {hi}]"
        );
    }
    let n_star = (0.96_f64 / 0.0005).sqrt();
    let peak = &doc["peak"];
    assert!((f(&peak["load"]["estimate"]) / n_star - 1.0).abs() < 0.05);
    let x_star = 50.0 * n_star / (1.0 + 0.04 * (n_star - 1.0) + 0.0005 * n_star * (n_star - 1.0));
    assert!((f(&peak["throughput"]["estimate"]) / x_star - 1.0).abs() < 0.05);
    assert!(f(&m["r_squared"]) > 0.99);
    // Degradation: errors (6 %) from 50 users, p95 above 200 ms at 80.
    assert_eq!(f(&doc["degradation"]["errors_start_at"]), 50.0);
    assert_eq!(f(&doc["degradation"]["p95_slo_crossed_at"]), 80.0);
    assert_eq!(f(&doc["degradation"]["level"]), 50.0);
    assert_eq!(f(&doc["highest_level_meeting_slos"]), 25.0);
    assert_eq!(f(&doc["saturation"]["level"]), 50.0);
    // Per level: JTL gives requests, failures, a duration; Little's law holds.
    let levels = doc["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 6);
    for l in levels {
        assert!(l["duration_s"].as_f64().unwrap() > 29.0);
        assert_eq!(l["little"]["verdict"], "consistent", "{l}");
        assert!(l["latency"]["p95"]["lower"].is_number());
        assert!(l["error_rate"]["upper"].is_number());
    }
    assert!(doc["reasons"].as_object().unwrap().is_empty());
}

#[test]
fn table_of_aggregates() {
    let doc = json(&[
        "data/capacity/levels.csv".into(),
        "--slo-p95".into(),
        "200ms".into(),
    ]);
    assert_eq!(doc["levels"].as_array().unwrap().len(), 6);
    assert!((f(&doc["peak"]["load"]["estimate"]) / 43.82 - 1.0).abs() < 0.05);
    assert_eq!(f(&doc["degradation"]["errors_start_at"]), 50.0);
    assert_eq!(f(&doc["degradation"]["p95_slo_crossed_at"]), 80.0);
    // Aggregates carry no intervals: nothing is confirmed.
    assert!(doc["highest_level_meeting_slos"].is_null());
    assert!(doc["levels"][0]["latency"]["p95"]["lower"].is_null());
}

#[test]
fn degradation_points_on_a_hand_made_table() {
    let i = Inputs::new();
    let table = i.file(
        "levels.csv",
        "level,throughput,p95,error_rate\n\
         1,10,100,0\n2,19,110,0\n4,35,150,0.01\n8,60,450,0.02\n16,80,900,0.03\n32,85,2000,0.2\n",
    );
    let out = perfstat()
        .arg("capacity")
        .arg(&table)
        .args([
            "--slo-p95",
            "400",
            "--min-success",
            "97.5%",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f(&doc["degradation"]["p95_slo_crossed_at"]), 8.0);
    assert_eq!(f(&doc["degradation"]["errors_start_at"]), 16.0);
    assert_eq!(f(&doc["degradation"]["level"]), 8.0);
}

#[test]
fn two_levels_are_refused() {
    let i = Inputs::new();
    let table = i.file("two.csv", "level,throughput\n1,10\n2,19\n");
    let err = input_error(&[OsStr::new("capacity"), table.as_os_str()]);
    assert!(err.contains("too few load levels"), "{err}");
    assert!(err.contains("got 2, need at least 3"), "{err}");
    let mut args: Vec<String> = vec!["capacity".into()];
    args.extend(level_args().into_iter().take(6));
    // The reader's notes on the JTL files come first on stderr, then the error.
    let out = perfstat().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: too few load levels"), "{err}");
    assert!(err.contains("3 parameters"), "{err}");
}

#[test]
fn generic_csv_needs_a_duration() {
    let i = Inputs::new();
    let mut args: Vec<std::ffi::OsString> = vec!["capacity".into()];
    for (n, ms) in [(1, 10.0), (2, 11.0), (4, 13.0), (8, 20.0)] {
        let body: String = std::iter::once("latency_ms\n".to_owned())
            .chain((0..200).map(|k| format!("{}\n", ms + f64::from(k % 7))))
            .collect();
        let path = i.file(&format!("run{n}.csv"), body);
        args.extend([
            "--level".into(),
            n.to_string().into(),
            path.into_os_string(),
        ]);
    }
    let os: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let err = input_error(&os);
    assert!(err.contains("--duration"), "{err}");
    let out = perfstat()
        .args(&args)
        .args(["--duration", "20s", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f(&doc["levels"][0]["throughput"]["estimate"]), 10.0);
    assert!(doc["levels"][0]["error_rate"].is_null());
}

#[test]
fn markdown_report_and_out_dir() {
    let i = Inputs::new();
    let dir = i.dir.path().join("report");
    let out = perfstat()
        .arg("capacity")
        .args(level_args())
        .args(["--slo-p95", "200ms", "--format", "markdown", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("capacity_markdown", md);
    });
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.starts_with("# perfstat capacity"));
    for plot in ["throughput", "latency", "errors"] {
        assert!(report.contains(&format!("({plot}.png)")), "{plot}");
        assert!(dir.join(format!("{plot}.svg")).exists());
        assert!(dir.join(format!("{plot}.png")).exists());
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("capacity.json")).unwrap()).unwrap();
    assert_eq!(json["command"], "capacity");
}

/// Runs `perfstat capacity ARGS --format json`: exit code, JSON (null on error), stderr.
fn capacity_run(args: &[&OsStr]) -> (i32, Value, String) {
    let (code, doc, stderr) = util::json_run("capacity", args);
    (code, doc.unwrap_or(Value::Null), stderr)
}

/// (level, requests, failed, throughput) of every level.
fn level_rows(doc: &Value) -> Vec<(f64, u64, u64, f64)> {
    doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                f(&l["level"]),
                l["requests"].as_u64().unwrap(),
                l["failed"].as_u64().unwrap(),
                f(&l["throughput"]["estimate"]),
            )
        })
        .collect()
}

fn shipped_file(n: u32) -> std::path::PathBuf {
    crate::util::workspace_root().join(format!("data/capacity/users-{n:02}.jtl.gz"))
}

#[test]
fn level_from_name_reads_a_directory_like_explicit_levels() {
    let i = Inputs::new();
    let dir = i.dir.path().join("runs");
    std::fs::create_dir(&dir).unwrap();
    for n in LEVELS {
        std::fs::copy(shipped_file(n), dir.join(format!("run-{n}users.jtl.gz"))).unwrap();
    }
    std::fs::write(dir.join(".hidden"), "ignored").unwrap();
    let explicit = json(&level_args());
    let (code, doc, stderr) = capacity_run(&[OsStr::new("--level-from-name"), dir.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(level_rows(&doc), level_rows(&explicit));
    assert_eq!(doc["model"], explicit["model"]);
    assert!(stderr.contains("run-25users.jtl.gz: level 25"), "{stderr}");
    // A list of files works too, in any order.
    let files: Vec<std::path::PathBuf> = LEVELS
        .iter()
        .rev()
        .map(|n| dir.join(format!("run-{n}users.jtl.gz")))
        .collect();
    let mut args: Vec<&OsStr> = vec![OsStr::new("--level-from-name")];
    args.extend(files.iter().map(|p| p.as_os_str()));
    let (code, doc, _) = capacity_run(&args);
    assert_eq!(code, 0);
    assert_eq!(level_rows(&doc), level_rows(&explicit));
}

#[test]
fn level_from_name_lists_the_files_without_a_number() {
    let i = Inputs::new();
    let jtl = "timeStamp,elapsed,success\n1000,10,true\n2000,12,true\n";
    let a = i.file("baseline.jtl", jtl);
    let b = i.file("run-10.jtl", jtl);
    let c = i.file("peak.jtl", jtl);
    let stderr = input_error(&[
        OsStr::new("capacity"),
        OsStr::new("--level-from-name"),
        a.as_os_str(),
        b.as_os_str(),
        c.as_os_str(),
    ]);
    assert!(
        stderr.contains("baseline.jtl") && stderr.contains("peak.jtl"),
        "{stderr}"
    );
    assert!(!stderr.contains("run-10.jtl"), "{stderr}");
    assert!(stderr.contains("first integer"), "{stderr}");
}

#[test]
fn one_jtl_split_by_all_threads_equals_one_file_per_level() {
    use std::io::Read as _;
    let i = Inputs::new();
    let mut all = String::new();
    for (k, n) in LEVELS.iter().enumerate() {
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(shipped_file(*n)).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        let body = if k == 0 {
            text.as_str()
        } else {
            text.split_once('\n').unwrap().1
        };
        all.push_str(body);
    }
    let file = i.file("all.jtl", all);
    let explicit = json(&level_args());
    let (code, doc, stderr) = capacity_run(&[
        OsStr::new("--by"),
        OsStr::new("allThreads"),
        file.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (got, want) = (level_rows(&doc), level_rows(&explicit));
    assert_eq!(got.len(), 6);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2));
        assert!((g.3 - w.3).abs() <= 1e-9 * w.3, "{g:?} {w:?}");
    }
    assert!(
        stderr.contains("6 levels from column \"allThreads\""),
        "{stderr}"
    );
}

/// A k6 NDJSON whose http_req_duration points carry a `vus` tag: 10·N requests at N VUs, one failed.
fn k6_with_vus(levels: &[u32]) -> String {
    let mut s = String::new();
    for &n in levels {
        for k in 0..10 * n {
            let (ok, status) = if k == 0 {
                ("false", 503)
            } else {
                ("true", 200)
            };
            s.push_str(&format!(
                "{{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{{\"time\":\"2025-03-14T10:26:{:02}.000000000Z\",\"value\":{},\"tags\":{{\"expected_response\":\"{ok}\",\"status\":\"{status}\",\"name\":\"api\",\"vus\":\"{n}\"}}}}}}\n",
                k % 60,
                10.0 + f64::from(n) + f64::from(k % 7)
            ));
        }
    }
    s
}

#[test]
fn k6_split_by_a_vus_tag_needs_the_duration() {
    let i = Inputs::new();
    let levels = [2u32, 4, 8, 16];
    let file = i.file("k6.json", k6_with_vus(&levels));
    let (code, doc, stderr) = capacity_run(&[
        OsStr::new("--by"),
        OsStr::new("vus"),
        file.as_os_str(),
        OsStr::new("--duration"),
        OsStr::new("10s"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows = level_rows(&doc);
    assert_eq!(rows.len(), 4);
    for (row, n) in rows.iter().zip(levels) {
        assert_eq!(row.0, f64::from(n));
        assert_eq!(row.1, u64::from(10 * n), "{row:?}");
        assert_eq!(row.2, 1, "{row:?}");
        assert!((row.3 - f64::from(n)).abs() < 1e-9, "{row:?}");
    }
    let stderr = input_error(&[
        OsStr::new("capacity"),
        OsStr::new("--by"),
        OsStr::new("vus"),
        file.as_os_str(),
    ]);
    assert!(stderr.contains("--duration"), "{stderr}");
    // A tag that is not a number is not a load level.
    let stderr = input_error(&[
        OsStr::new("capacity"),
        OsStr::new("--by"),
        OsStr::new("name"),
        file.as_os_str(),
        OsStr::new("--duration"),
        OsStr::new("10s"),
    ]);
    assert!(stderr.contains("not a load level"), "{stderr}");
}

#[test]
fn fail_on_degradation_below_the_highest_level() {
    let mut args: Vec<String> = level_args();
    args.extend(["--slo-p95".into(), "200ms".into()]);
    let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    // Errors break the objective at 50 users, below the top level (80): exit 1.
    let mut a = os.clone();
    a.extend([OsStr::new("--fail-on"), OsStr::new("degradation")]);
    let (code, doc, stderr) = capacity_run(&a);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(f(&doc["degradation"]["level"]), 50.0);
    // --fail-on never (the default): exit 0 with the same finding.
    let (code, _, _) = capacity_run(&os);
    assert_eq!(code, 0);
    // Without objectives that break, nothing degrades: exit 0.
    let plain = level_args();
    let mut a: Vec<&OsStr> = plain.iter().map(OsStr::new).collect();
    a.extend([
        OsStr::new("--min-success"),
        OsStr::new("50%"),
        OsStr::new("--fail-on"),
        OsStr::new("degradation"),
    ]);
    let (code, doc, stderr) = capacity_run(&a);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        doc["degradation"]["level"].is_null(),
        "{}",
        doc["degradation"]
    );
}

/// `capacity ARGS --slo ... --format json` on the shipped runs: exit code, JSON, stderr.
fn shipped_with(extra: &[&str]) -> (i32, Value, String) {
    let args = level_args();
    let mut a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    a.extend(extra.iter().map(OsStr::new));
    capacity_run(&a)
}

/// The status of the `k`-th `--slo` objective at every level.
fn statuses(doc: &Value, k: usize) -> Vec<String> {
    doc["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slos"][k]["status"].as_str().unwrap().to_owned())
        .collect()
}

/// p95 on the shipped runs: 38, 46, 55, 88, 161, 280 ms (intervals a few ms wide).
#[test]
fn slo_p95_crossed_at_a_known_level() {
    let (code, doc, stderr) = shipped_with(&["--slo", "p95<100ms", "--min-success", "0"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["objectives"]["slos"][0], "p95<100ms");
    assert_eq!(
        statuses(&doc, 0),
        ["pass", "pass", "pass", "pass", "fail", "fail"]
    );
    let l25 = &doc["levels"][3]["slos"][0];
    assert_eq!(
        (&l25["metric"], &l25["op"], &l25["unit"]),
        (&Value::from("p95"), &Value::from("<"), &Value::from("ms"))
    );
    assert_eq!(f(&l25["threshold"]), 100.0);
    // The estimate and interval are the level's p95 (ms data: same numbers).
    let p95 = &doc["levels"][3]["latency"]["p95"];
    for key in ["estimate", "lower", "upper"] {
        assert_eq!(f(&l25[key]), f(&p95[key]), "{key}");
    }
    let d = &doc["degradation"];
    assert_eq!(d["slos"][0]["objective"], "p95<100ms");
    assert_eq!(f(&d["slos"][0]["judged_from"]), 1.0);
    assert_eq!(f(&d["slos"][0]["crossed_at"]), 50.0);
    assert_eq!(f(&d["level"]), 50.0);
    assert!(d["p95_slo_crossed_at"].is_null());
    assert_eq!(f(&doc["highest_level_meeting_slos"]), 25.0);
    // --slo-p95 200ms is --slo "p95<=200ms": same crossing, same confident levels.
    let (_, doc, _) = shipped_with(&["--slo", "p95<=200ms", "--slo-p95", "200ms"]);
    assert_eq!(
        f(&doc["degradation"]["slos"][0]["crossed_at"]),
        f(&doc["degradation"]["p95_slo_crossed_at"])
    );
    assert_eq!(f(&doc["degradation"]["p95_slo_crossed_at"]), 80.0);
    for l in doc["levels"].as_array().unwrap() {
        assert_eq!(
            l["slos"][0]["status"] == "pass",
            l["slo"]["p95_ok_confident"] == true,
            "{l}"
        );
    }
    // --fail-on-slo: the objective fails at 50 and 80 users: exit 1.
    let (code, _, _) = shipped_with(&["--slo", "p95<100ms", "--fail-on-slo"]);
    assert_eq!(code, 1);
    let (code, _, _) = shipped_with(&["--slo", "p95<1s", "--fail-on-slo"]);
    assert_eq!(code, 0);
}

/// Errors on the shipped runs: about 0.2 % up to 25 users, 6 % at 50, 12 % at 80.
#[test]
fn slo_error_rate_crossed_at_a_known_level() {
    let (code, doc, stderr) = shipped_with(&["--slo", "error_rate<1%", "--min-success", "0"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        statuses(&doc, 0),
        ["pass", "pass", "pass", "pass", "fail", "fail"]
    );
    let r = &doc["levels"][4]["slos"][0];
    assert_eq!(
        (&r["metric"], &r["unit"]),
        (&"error_rate".into(), &"fraction".into())
    );
    assert_eq!(f(&r["threshold"]), 0.01);
    // The level's Wilson interval.
    let e = &doc["levels"][4]["error_rate"];
    for key in ["estimate", "lower", "upper"] {
        assert!((f(&r[key]) - f(&e[key])).abs() < 1e-12, "{key}");
    }
    assert_eq!(f(&doc["degradation"]["slos"][0]["crossed_at"]), 50.0);
    assert_eq!(f(&doc["degradation"]["level"]), 50.0);
    assert_eq!(f(&doc["highest_level_meeting_slos"]), 25.0);
    // A tighter objective: 0.2 % is not confirmed below 0.25 % at level 1 (1520 requests).
    let (_, doc, _) = shipped_with(&["--slo", "error_rate<0.25%", "--min-success", "0"]);
    assert_eq!(statuses(&doc, 0)[0], "uncertain");
    assert!(doc["highest_level_meeting_slos"].is_null());
    // --fail-on degradation counts --slo crossings below the top level.
    let (code, _, _) = shipped_with(&[
        "--slo",
        "error_rate<1%",
        "--min-success",
        "0",
        "--fail-on",
        "degradation",
    ]);
    assert_eq!(code, 1);
}

/// A throughput floor counts from the first level that reaches it.
#[test]
fn slo_throughput_floor_counts_from_the_first_level_reaching_it() {
    let (code, doc, stderr) = shipped_with(&[
        "--slo",
        "throughput>=500/s",
        "--min-success",
        "0",
        "--fail-on-slo",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        statuses(&doc, 0),
        ["fail", "fail", "fail", "pass", "pass", "pass"]
    );
    let c = &doc["degradation"]["slos"][0];
    assert_eq!(f(&c["judged_from"]), 25.0);
    assert!(c["crossed_at"].is_null());
    assert!(doc["degradation"]["level"].is_null());
    assert_eq!(f(&doc["highest_level_meeting_slos"]), 80.0);
    // The level's throughput interval.
    let r = &doc["levels"][3]["slos"][0];
    assert_eq!(f(&r["lower"]), f(&doc["levels"][3]["throughput"]["lower"]));
    // Beyond the peak (601/s): met at no level, which fails the gate.
    let (code, doc, _) = shipped_with(&["--slo", "throughput>=700/s", "--fail-on-slo"]);
    assert_eq!(code, 1);
    assert_eq!(f(&doc["degradation"]["slos"][0]["crossed_at"]), 1.0);
}

#[test]
fn slo_in_the_table_and_markdown() {
    let out = perfstat()
        .arg("capacity")
        .args(level_args())
        .args(["--slo", "p95<100ms", "--slo", "error_rate<1%"])
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## Objectives per level"), "{md}");
    assert!(
        md.contains("| level | `p95<100ms` | `error_rate<1%` |"),
        "{md}"
    );
    assert!(
        md.contains("| 50 | ❌ fail 161 ms [158, 164] | ❌ fail 5.99% [5.66%, 6.35%] |"),
        "{md}"
    );
    assert!(md.contains("`p95<100ms` is broken at **50** users"), "{md}");
    let out = perfstat()
        .arg("capacity")
        .args(level_args())
        .args(["--slo", "p95<100ms"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("FAIL 280 ms [277, 285]"), "{table}");
    assert!(table.contains("p95<100ms is broken at 50 users"), "{table}");
}

#[test]
fn malformed_or_unsupported_slo_is_an_input_error() {
    let slo_error = |slo: &str| {
        let table = "data/capacity/levels.csv";
        input_error(&["capacity", table, "--slo", slo].map(OsStr::new))
    };
    let stderr = slo_error("p95<fast");
    assert!(stderr.contains("\"p95<fast\""), "{stderr}");
    let stderr = slo_error("latency<800ms");
    assert!(stderr.contains("unknown metric"), "{stderr}");
    // A table of aggregates has no p90 column.
    let stderr = slo_error("p90<800ms");
    assert!(stderr.contains("cannot be judged"), "{stderr}");
    assert!(stderr.contains("no p90"), "{stderr}");
    // The table's objectives are uncertain (no intervals); their estimates still degrade.
    let (code, doc, stderr) = capacity_run(&[
        OsStr::new("data/capacity/levels.csv"),
        OsStr::new("--slo"),
        OsStr::new("p95<100ms"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(statuses(&doc, 0).iter().all(|s| s == "uncertain"));
    assert_eq!(f(&doc["degradation"]["slos"][0]["crossed_at"]), 50.0);
    assert!(doc["levels"][0]["slos"][0]["reason"].is_string());
}

#[test]
fn a_level_that_is_not_a_number_names_the_flag() {
    let run = "data/capacity/users-10.jtl.gz";
    let stderr = input_error(&["capacity", "--level", "ten", run].map(OsStr::new));
    assert!(
        stderr.contains("--level ten data/capacity/users-10.jtl.gz: \"ten\" is not a number"),
        "{stderr}"
    );
}

#[test]
fn hints_name_the_flags_the_analysis_cannot() {
    // X·R = 5, 20, 30 requests in flight at 1, 5, 10 "users": more than one a user.
    let inputs = Inputs::new();
    let table = inputs.file(
        "t.csv",
        "level,throughput,mean\n1,50,100\n5,200,100\n10,300,100\n",
    );
    let run = |extra: &[&str]| {
        let args: Vec<&OsStr> = [table.as_os_str()]
            .into_iter()
            .chain(extra.iter().map(OsStr::new))
            .collect();
        let (code, _, stderr) = util::json_doc("capacity", &args);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        stderr
    };
    let open = "hint: if the levels are arrival rates, pass --workload open";
    let latency = "hint: --slo-p95 DURATION (or --slo \"p95<800ms\") sets a latency objective";
    let stderr = run(&[]);
    assert!(
        stderr.contains(open) && stderr.contains(latency),
        "{stderr}"
    );
    let stderr = run(&["--workload", "open", "--slo-p95", "800ms"]);
    assert!(!stderr.contains("hint:"), "{stderr}");
    let stderr = run(&["--slo", "mean<1s"]);
    assert!(
        stderr.contains(open) && !stderr.contains(latency),
        "{stderr}"
    );
}
