//! `perfstat regress`: exit codes, the JSON contract, bad cells, gaps, --append.

use std::ffi::OsStr;

use serde_json::Value;

use crate::util::{self, Inputs, input_error, perfstat};

/// Eight quiet nights then tonight at `last` × the level.
fn history(metric: &str, last: f64) -> String {
    let wiggle = [0.0, 0.01, -0.01, 0.005, -0.005, 0.012, -0.008, 0.003];
    let mut csv = format!("night,commit,{metric}\n");
    for (i, w) in wiggle.iter().enumerate() {
        csv.push_str(&format!("2024-01-0{},c{i},{}\n", i + 1, 100.0 * (1.0 + w)));
    }
    csv.push_str(&format!("2024-01-09,c8,{}\n", 100.0 * last));
    csv
}

fn regress(args: &[&OsStr]) -> (i32, Value, String) {
    util::json_doc("regress", args)
}

#[test]
fn latency_plus_30_percent_exits_1() {
    let i = Inputs::new();
    let h = i.file("h.csv", history("p95_latency_ms", 1.3));
    let (code, doc, _) = regress(&[h.as_os_str()]);
    assert_eq!(code, 1);
    assert_eq!(doc["command"], "regress");
    assert_eq!(doc["window"], 7);
    assert_eq!(doc["regressions"], 1);
    let m = &doc["metrics"][0];
    assert_eq!(m["status"], "regression");
    assert_eq!(m["direction"], "lower_is_better");
    assert_eq!(m["threshold"], 0.15);
    assert_eq!(m["baseline"]["n"], 7);
    for key in ["mean", "median", "std_dev"] {
        assert!(m["baseline"][key].is_f64(), "{key}");
    }
    assert!(m["change"]["absolute"].is_f64() && m["change"]["relative"].is_f64());
    assert!(m["p_value"].as_f64().unwrap() < 0.01);
    assert!(m["change_points"].is_array() && m["outliers"].is_array());
    assert!(m.get("candidate").is_some());
    // --fail-on never: same verdict, exit 0.
    let (code, doc, _) = regress(&[h.as_os_str(), OsStr::new("--fail-on"), OsStr::new("never")]);
    assert_eq!(code, 0);
    assert_eq!(doc["regressions"], 1);
}

#[test]
fn small_changes_and_improvements_exit_0() {
    let i = Inputs::new();
    for (metric, last, want) in [
        ("p95_latency_ms", 1.05, "ok"),
        ("cost_per_run", 1.10, "ok"),
        ("p95_latency_ms", 0.7, "improvement"),
        ("throughput_rps", 1.2, "improvement"),
    ] {
        let h = i.file("h.csv", history(metric, last));
        let (code, doc, _) = regress(&[h.as_os_str()]);
        assert_eq!(code, 0, "{metric} {last}");
        assert_eq!(doc["metrics"][0]["status"], want, "{metric} {last}");
    }
    for (metric, last) in [("throughput_rps", 0.8), ("answer_quality", 0.92)] {
        let h = i.file("h.csv", history(metric, last));
        let (code, doc, _) = regress(&[h.as_os_str()]);
        assert_eq!(code, 1, "{metric} {last}");
        assert_eq!(doc["metrics"][0]["status"], "regression");
    }
}

#[test]
fn short_history_is_insufficient_data() {
    let i = Inputs::new();
    let h = i.file("h.csv", "night,p95_latency_ms\n1,100\n2,101\n3,300\n");
    let (code, doc, _) = regress(&[h.as_os_str()]);
    assert_eq!(code, 0);
    let m = &doc["metrics"][0];
    assert_eq!(m["status"], "insufficient_data");
    assert!(m["p_value"].is_null());
    assert!(m["reasons"]["status"].as_str().unwrap().contains("needs 7"));
}

#[test]
fn non_numeric_cell_is_exit_2_with_line_and_column() {
    let i = Inputs::new();
    let h = i.file(
        "h.csv",
        "night,commit,latency_ms,rps\n1,a,10,5\n2,b,11,5\n3,c,oops,5\n",
    );
    let stderr = input_error(&[OsStr::new("regress"), h.as_os_str()]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            r#"error: {}:4:3: expected a number in column "latency_ms", found "oops""#,
            h.display()
        )
    );
}

#[test]
fn missing_metric_in_some_runs_is_a_gap() {
    let i = Inputs::new();
    let mut csv = String::from("night,latency_ms,error_rate\n");
    for k in 0..12 {
        let err = if k == 4 || k == 5 {
            String::new()
        } else {
            format!("0.01{}", k % 3)
        };
        csv.push_str(&format!("{k},{},{err}\n", 100 + k % 3));
    }
    let h = i.file("h.csv", csv);
    let (code, doc, stderr) = regress(&[h.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let m = &doc["metrics"][1];
    assert_eq!(m["gaps"], 2);
    assert_eq!(m["baseline"]["n"], 7);
    assert!(m["warnings"][0].as_str().unwrap().contains("gaps"));
    assert!(stderr.contains("no value"), "{stderr}");
}

#[test]
fn current_and_append_and_out() {
    let i = Inputs::new();
    let h = i.file("h.csv", history("p95_latency_ms", 1.0));
    let cur = i.file(
        "cur.csv",
        "night,commit,p95_latency_ms,new_metric\n2024-01-10,c9,140,3\n",
    );
    let out = i.dir.path().join("report");
    let (code, doc, stderr) = regress(&[
        h.as_os_str(),
        OsStr::new("--current"),
        cur.as_os_str(),
        OsStr::new("--append"),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(doc["runs"], 10);
    assert_eq!(doc["current_run"]["id"], "2024-01-10");
    assert_eq!(doc["metrics"][0]["status"], "regression");
    assert_eq!(doc["metrics"][1]["status"], "insufficient_data");
    let text = std::fs::read_to_string(&h).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[0], "night,commit,p95_latency_ms,new_metric");
    assert_eq!(lines[10], "2024-01-10,c9,140,3");
    assert!(
        lines[1].ends_with(','),
        "earlier rows get an empty cell: {}",
        lines[1]
    );
    for f in [
        "report.md",
        "regress.json",
        "p95_latency_ms.svg",
        "p95_latency_ms.png",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("1 regression, 0 improvements, 1 with insufficient data in 2 metrics"),
        "{md}"
    );
    // The appended history reads back and analyses the same current run.
    let (code, doc, _) = regress(&[h.as_os_str()]);
    assert_eq!(code, 1);
    assert_eq!(doc["runs"], 10);
}

#[test]
fn long_and_json_lines_histories() {
    let i = Inputs::new();
    let mut long = String::from("time,metric,value\n");
    let mut ndjson = String::new();
    for k in 0..9 {
        let v = if k == 8 {
            150.0
        } else {
            100.0 + f64::from(k % 3)
        };
        long.push_str(&format!("t{k},latency_ms,{v}\n"));
        ndjson.push_str(&format!("{{\"time\":\"t{k}\",\"latency_ms\":{v}}}\n"));
    }
    let l = i.file("h_long.csv", long);
    let j = i.file("h.ndjson", ndjson);
    for f in [l, j] {
        let (code, doc, _) = regress(&[f.as_os_str()]);
        assert_eq!(code, 1);
        assert_eq!(doc["metrics"][0]["status"], "regression");
        assert_eq!(doc["current_run"]["id"], "t8");
    }
}

#[test]
fn bad_options_exit_2() {
    let i = Inputs::new();
    let h = i.file("h.csv", history("p95_latency_ms", 1.0));
    let stderr = input_error(&[
        OsStr::new("regress"),
        h.as_os_str(),
        OsStr::new("--threshold"),
        OsStr::new("nope=10%"),
    ]);
    assert!(stderr.contains("nope"), "{stderr}");
    let out = perfstat()
        .args(["regress", "x.csv", "--append"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--append needs --current");
}

/// A JMeter JTL of 200 requests over 10 s: latencies `lat(k)`, request 7 failed (HTTP 500).
fn jtl(lat: impl Fn(usize) -> f64) -> (String, Vec<f64>) {
    let mut csv = String::from("timeStamp,elapsed,label,responseCode,success\n");
    let mut ok = Vec::new();
    for k in 0..200 {
        let t = 1_700_000_000_000u64 + 50 * k as u64;
        let v = lat(k);
        let (code, success) = if k == 7 { (500, false) } else { (200, true) };
        if success {
            ok.push(v);
        }
        csv.push_str(&format!("{t},{v},GET /,{code},{success}\n"));
    }
    (csv, ok)
}

/// numpy's default percentile (linear, type 7).
fn numpy_percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = p * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

#[test]
fn current_from_raw_jtl_fills_the_matching_statistics() {
    let i = Inputs::new();
    let mut h = String::from("run,p95_latency_ms,p50_latency_ms,error_rate,throughput_rps,cost\n");
    for k in 0..8 {
        let w = [0.0, 0.01, -0.01, 0.005, -0.005, 0.012, -0.008, 0.003][k];
        h.push_str(&format!(
            "{},{},{},0.005,{},1\n",
            k + 1,
            150.0 * (1.0 + w),
            100.0 * (1.0 + w),
            20.0 * (1.0 - w)
        ));
    }
    let hist = i.file("h.csv", &h);
    // Tonight: latencies 100 + (k mod 50) ms — p95 about 147, like the history.
    let (text, ok) = jtl(|k| 100.0 + (k % 50) as f64);
    let cur = i.file("tonight.jtl", text);
    let (code, doc, stderr) = regress(&[
        hist.as_os_str(),
        OsStr::new("--current"),
        cur.as_os_str(),
        OsStr::new("--append"),
    ]);
    assert_eq!(code, 1, "{stderr}"); // p50 125 ms against 100: +25 %, a regression
    let metric = |name: &str| {
        doc["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()
            .clone()
    };
    let p95 = metric("p95_latency_ms")["current"].as_f64().unwrap();
    assert!((p95 - numpy_percentile(&ok, 0.95)).abs() < 1e-9, "{p95}");
    let p50 = metric("p50_latency_ms")["current"].as_f64().unwrap();
    assert!((p50 - numpy_percentile(&ok, 0.5)).abs() < 1e-9, "{p50}");
    // 1 failure in 200; 200 requests over 9 950 + the last latency ms.
    assert_eq!(
        metric("error_rate")["current"].as_f64().unwrap(),
        1.0 / 200.0
    );
    let span_s = (199.0 * 50.0 + 100.0 + (199 % 50) as f64) / 1000.0;
    let rps = metric("throughput_rps")["current"].as_f64().unwrap();
    assert!((rps - 200.0 / span_s).abs() < 1e-9, "{rps}");
    assert!(metric("cost")["current"].is_null());
    assert_eq!(doc["current_run"]["id"], "9");
    assert!(
        stderr.contains("filled p50_latency_ms")
            && stderr.contains("p95_latency_ms")
            && stderr.contains("error_rate")
            && stderr.contains("throughput_rps"),
        "{stderr}"
    );
    // The run was appended as row 9 with the filled columns only.
    let text = std::fs::read_to_string(&hist).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("9,"), "{last}");
    assert!(last.ends_with(','), "cost stays empty: {last}");
}

#[test]
fn current_from_a_plain_csv_of_latencies_with_current_metric() {
    let i = Inputs::new();
    let hist = i.file("h.csv", history("p99_resp_ms", 1.0));
    let mut cur = String::from("resp\n");
    let values: Vec<f64> = (0..500).map(|k| 90.0 + (k % 13) as f64).collect();
    for v in &values {
        cur.push_str(&format!("{v}\n"));
    }
    let cur = i.file("samples.csv", cur);
    let (code, doc, stderr) = regress(&[
        hist.as_os_str(),
        OsStr::new("--current"),
        cur.as_os_str(),
        OsStr::new("--current-metric"),
        OsStr::new("resp_ms"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let m = &doc["metrics"][0];
    assert_eq!(m["name"], "p99_resp_ms");
    let want = numpy_percentile(&values, 0.99);
    assert!((m["current"].as_f64().unwrap() - want).abs() < 1e-9);
    assert!(stderr.contains("filled p99_resp_ms"), "{stderr}");
    assert!(
        stderr.contains("left empty") || !stderr.contains("error_rate ="),
        "{stderr}"
    );
    // Without --current-metric the column name is the base: p99_resp is not in the history.
    let stderr = input_error(&[
        OsStr::new("regress"),
        hist.as_os_str(),
        OsStr::new("--current"),
        cur.as_os_str(),
    ]);
    assert!(
        stderr.contains("p95_resp") && stderr.contains("--current-metric"),
        "{stderr}"
    );
}

#[test]
fn current_summary_row_still_wins_over_samples() {
    let i = Inputs::new();
    let hist = i.file("h.csv", history("p95_latency_ms", 1.0));
    // One row with one numeric column: a summary, not one sample.
    let cur = i.file("cur.csv", "night,p95_latency_ms\n2024-01-10,101\n");
    let (code, doc, stderr) =
        regress(&[hist.as_os_str(), OsStr::new("--current"), cur.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["metrics"][0]["current"], 101.0);
    assert_eq!(doc["current_run"]["id"], "2024-01-10");
    assert!(!stderr.contains("summarised"), "{stderr}");
}

#[test]
fn cache_continues_pelt_after_an_append_with_the_same_result() {
    let i = Inputs::new();
    // 2 100 runs (long enough for the blocked estimates): a shift at 1 000.
    let mut csv = String::from("run,p95_latency_ms\n");
    for k in 0..2100u64 {
        let wiggle = ((k * 7919) % 101) as f64 / 100.0 - 0.5;
        let level = if k >= 1000 { 130.0 } else { 100.0 };
        csv.push_str(&format!("{k},{}\n", level * (1.0 + 0.02 * wiggle)));
    }
    let h = i.file("h.csv", &csv);
    let cache = i.dir.path().join("h.csv.pelt-cache");
    let args = |extra: &[&OsStr]| -> Vec<std::ffi::OsString> {
        let mut v: Vec<std::ffi::OsString> = vec![h.clone().into_os_string()];
        v.extend(extra.iter().map(|s| s.to_os_string()));
        v
    };
    let run = |a: &[std::ffi::OsString]| {
        let a: Vec<&OsStr> = a.iter().map(|s| s.as_os_str()).collect();
        regress(&a)
    };
    let (code, cold, stderr) = run(&args(&[OsStr::new("--cache")]));
    assert_eq!(code, 0, "{stderr}");
    assert!(cache.exists());
    assert!(stderr.contains("0 of 1 metrics"), "{stderr}");
    assert_eq!(cold["metrics"][0]["change_points"][0]["index"], 1000);
    // Append a run: the saved state is continued, the result is a full run's.
    let cur = i.file("cur.csv", "run,p95_latency_ms\n2100,130.5\n");
    let (code, warm, stderr) = run(&args(&[
        OsStr::new("--cache"),
        OsStr::new("--current"),
        cur.as_os_str(),
        OsStr::new("--append"),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 of 1 metrics"), "{stderr}");
    let (_, full, _) = run(&args(&[]));
    assert_eq!(warm["metrics"], full["metrics"]);
    assert_eq!(full["runs"], 2101);
    // A broken cache file costs only the time.
    std::fs::write(&cache, "garbage").unwrap();
    let (code, again, stderr) = run(&args(&[OsStr::new("--cache")]));
    assert_eq!(code, 0);
    assert!(stderr.contains("not a usable cache"), "{stderr}");
    assert_eq!(again["metrics"], full["metrics"]);
}

/// 120 nights of `p95_latency_ms` rising 0.5 % a night (a leak) and a flat `throughput_rps` that
/// steps +30 % at night 60 in both columns of `rps_a`/`rps_b` (one release).
fn trend_history() -> String {
    let wiggle = [0.004, -0.003, 0.001, -0.005, 0.002, 0.0, -0.002, 0.003];
    let mut csv = String::from("night,p95_latency_ms,rps_a,rps_b\n");
    for i in 0..120 {
        let w = wiggle[i % wiggle.len()];
        let step = if i >= 60 { 1.3 } else { 1.0 };
        csv.push_str(&format!(
            "{i},{},{},{}\n",
            100.0 * (1.0 + 0.005 * i as f64) * (1.0 + w),
            1000.0 * step * (1.0 - w),
            500.0 * step * (1.0 + 0.5 * w)
        ));
    }
    csv
}

#[test]
fn a_trend_is_a_drift_not_a_staircase_and_fails_on_drift() {
    let i = Inputs::new();
    let h = i.file("h.csv", trend_history());
    let (code, doc, _) = regress(&[h.as_os_str(), OsStr::new("--fail-on"), OsStr::new("drift")]);
    assert_eq!(code, 1, "{doc}");
    let lat = &doc["metrics"][0];
    assert_eq!(lat["change_points"].as_array().unwrap().len(), 0, "{lat}");
    assert_eq!(lat["drift"]["status"], "worse");
    let per_run = lat["drift"]["relative_per_run"].as_f64().unwrap();
    assert!((0.003..0.006).contains(&per_run), "{per_run}");
    assert_eq!(doc["drifts"], 1);
    // The release: one joint change at night 60, attributed to both throughput columns.
    let joint = doc["joint_change_points"].as_array().unwrap();
    assert_eq!(joint.len(), 1, "{joint:?}");
    assert_eq!(joint[0]["index"], 60);
    assert_eq!(joint[0]["metrics"].as_array().unwrap().len(), 2);
    assert_eq!(doc["metrics"][1]["change_points"][0]["index"], 60);
    assert_eq!(doc["detector"]["penalty"], 4.0);
    assert_eq!(doc["detector"]["scale"], "auto");
    assert_eq!(lat["scale"], "log");
    // The default gate (regression) does not fail on a drift.
    let (code, _, _) = regress(&[h.as_os_str()]);
    assert_eq!(code, 0);
    // Options are said in the output.
    let (_, doc, _) = regress(&[
        h.as_os_str(),
        OsStr::new("--penalty"),
        OsStr::new("mbic"),
        OsStr::new("--min-segment"),
        OsStr::new("5"),
        OsStr::new("--scale"),
        OsStr::new("linear"),
        OsStr::new("--joint-tolerance"),
        OsStr::new("0"),
    ]);
    assert_eq!(doc["detector"]["penalty"], 3.0);
    assert_eq!(doc["detector"]["min_segment"], 5);
    assert_eq!(doc["metrics"][0]["scale"], "linear");
    assert_eq!(doc["joint_change_points"].as_array().unwrap().len(), 0);
    let stderr = input_error(&[
        OsStr::new("regress"),
        h.as_os_str(),
        OsStr::new("--scale"),
        OsStr::new("cubic"),
    ]);
    assert!(stderr.contains("auto, log or linear"), "{stderr}");
}
