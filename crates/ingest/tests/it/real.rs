//! Real tools' output (`tests/fixtures/real/`, commands and versions in its README), checked against
//! each tool's own summary of the same run; and every JSON fixture re-written with other white space
//! and key order reads the same.

use std::path::{Path, PathBuf};

use perfstat_ingest::{Dataset, InputFormat, ReadOptions, read_path, read_reader};

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

fn read(name: &str) -> Dataset {
    read_path(&real(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn sorted(d: &Dataset) -> Vec<f64> {
    let mut v: Vec<f64> = d.values().collect();
    v.sort_by(f64::total_cmp);
    v
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn ab_agrees_with_its_summary_and_says_what_it_cannot_know() {
    // ab-summary.txt: Complete requests 300; Total min 3, median 8, max 22 ms (mean 9 from ab's µs
    // values; -g writes whole ms, whose mean is 8.70); "Percentage of the requests served within": ab
    // takes sorted[(int)(n·p/100)] (0-based) of its values rounded to ms.
    let d = read("ab-g.tsv");
    assert_eq!(d.format, InputFormat::ApacheBench);
    let v = sorted(&d);
    assert_eq!(v.len(), 300);
    assert_eq!((v[0], v[299]), (3.0, 22.0));
    for (p, want) in [
        (50, 8.0),
        (66, 10.0),
        (75, 11.0),
        (80, 12.0),
        (90, 13.0),
        (95, 15.0),
        (98, 17.0),
        (99, 19.0),
    ] {
        assert_eq!(v[300 * p / 100], want, "{p}%");
    }
    assert!((mean(&v) - 9.0).abs() < 0.5);
    // ab counted 60 non-2xx responses the -g file does not mark: failures are unknown, not zero.
    let r = d.requests.as_ref().unwrap();
    assert_eq!(r.total, 300);
    assert!(r.failures_unknown.is_some());
    assert_eq!(r.failed_if_known(), None);
    assert_eq!(r.error_rate(), None);
    // ab: 449.89 requests/s over 0.667 s. The -g start times are whole seconds, so the span read is
    // 1.019 s (294/s); the range the coarse times allow holds ab's figure.
    assert_eq!(r.start_resolution_ms, Some(1000.0));
    let x = r.throughput_rps().unwrap();
    assert!((x - 300.0 / 1.019).abs() < 0.01, "{x}");
    let (lo, hi) = r.throughput_range().unwrap();
    assert!(lo < 449.89 && hi.is_none_or(|h| h > 449.89), "{lo} {hi:?}");
    // Rows are sorted by total time: not time order.
    assert!(d.not_time_ordered.is_some());
    assert!(v.windows(2).all(|w| w[0] <= w[1]));
    let in_file: Vec<f64> = d.values().collect();
    assert_eq!(in_file, v, "ab -g rows are sorted by ttime");
}

#[test]
fn hyperfine_agrees_with_its_summary() {
    // hyperfine-summary.txt: "sleep 0.01": 14.4 ms ± 5.1 ms, range 10.4 … 28.1 ms, 15 runs;
    // "sleep 0.02": 26.2 ms ± 3.6 ms, 21.3 … 32.1 ms (mean ± sample standard deviation, ms to 1 decimal).
    let opts = ReadOptions {
        by: Some("label".into()),
        ..ReadOptions::default()
    };
    let d = read_path(&real("hyperfine.json"), &opts).unwrap();
    assert_eq!(d.format, InputFormat::Hyperfine);
    let want = [(14.4, 5.1, 10.4, 28.1), (26.2, 3.6, 21.3, 32.1)];
    assert_eq!(d.groups.len(), 2);
    for (g, (m, sd, lo, hi)) in d.groups.iter().zip(want) {
        let v = &g.values;
        assert_eq!(v.len(), 15);
        let mu = mean(v);
        let s = (v.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / 14.0).sqrt();
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let r1 = |x: f64| (x * 10.0).round() / 10.0;
        assert_eq!((r1(mu), r1(s), r1(min), r1(max)), (m, sd, lo, hi));
    }
}

#[test]
fn hey_csv_is_read_with_counts() {
    // hey -o csv prints no summary; its 300 rows are 300 requests, status 500 (every 5th /flaky) failed.
    let d = read("hey.csv");
    assert_eq!(d.format, InputFormat::Hey);
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (300, 60));
    assert_eq!(r.failures, [("HTTP 500".to_owned(), 60)]);
}

#[test]
fn locust_request_hook_csv_and_stats() {
    // locust-summary.txt (the same run): 60 requests, 4 failures (HTTP 500), Avg 62, Min 10, Max 222 ms
    // (whole ms). The hook's CSV is a generic CSV: its metric is chosen by name (response_time over
    // start_time and status_code) and every row is a value.
    let d = read("locust_requests.csv");
    assert_eq!(d.metric, "response_time");
    assert!(d.metric_choice.is_some());
    let v = sorted(&d);
    assert_eq!(v.len(), 60);
    assert_eq!(
        (v[0].round(), v[59].round(), mean(&v).round()),
        (10.0, 222.0, 63.0)
    );
    // Locust prints the truncated average (62.94 → 62).
    assert_eq!(mean(&v).trunc(), 62.0);
    // _stats.csv holds totals per endpoint: refused without a metric, with a reason.
    let e = read_path(&real("locust_stats.csv"), &ReadOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("one row of totals per endpoint"),
        "{e}"
    );
    let d = read_path(
        &real("locust_stats.csv"),
        &ReadOptions {
            metric: Some("Request Count".into()),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(d.format, InputFormat::LocustStats);
    assert_eq!(d.values().collect::<Vec<_>>(), [21.0, 35.0, 56.0]);
}

/// `value` written with spaces after `:` and `,`, object keys in reverse order.
fn respaced(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            out.push_str("{ ");
            for (i, (k, v)) in map.iter().rev().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(" : ");
                respaced(v, out);
            }
            out.push_str(" }");
        }
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                respaced(v, out);
            }
            out.push_str(" ]");
        }
        other => out.push_str(&other.to_string()),
    }
}

#[test]
fn json_fixtures_read_the_same_with_other_spacing_and_key_order() {
    let dirs = ["tests/fixtures/formats", "tests/fixtures/real"];
    let mut checked = Vec::new();
    for dir in dirs {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let opts = ReadOptions::default();
            let original = read_reader(&name, text.as_bytes(), &opts);
            // One document, or JSON Lines (one value per line).
            let mut rewritten = String::new();
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(doc) => respaced(&doc, &mut rewritten),
                Err(_) => {
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        respaced(&serde_json::from_str(line).unwrap(), &mut rewritten);
                        rewritten.push('\n');
                    }
                }
            }
            assert_ne!(rewritten, text, "{name}");
            let again = read_reader(&name, rewritten.as_bytes(), &opts);
            match (original, again) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
                (Err(a), Err(b)) => {
                    assert_eq!(a.kind().to_string(), b.kind().to_string(), "{name}")
                }
                (a, b) => panic!("{name}: {a:?} vs {b:?}"),
            }
            checked.push(name);
        }
    }
    assert!(checked.len() >= 10, "{checked:?}");
    // The real tools' JSON: hyperfine, goose's JSON Lines log, oha's summary.
    for name in ["hyperfine.json", "goose-requests.json", "oha.json"] {
        assert!(checked.iter().any(|c| c == name), "{name}: {checked:?}");
    }
}

#[test]
fn llm_metrics_with_their_units() {
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let with = |file: &str, metric: &str| {
        let opts = ReadOptions {
            metric: Some(metric.into()),
            ..ReadOptions::default()
        };
        read_path(&formats.join(file), &opts).unwrap_or_else(|e| panic!("{file} {metric}: {e}"))
    };
    for file in ["vllm-bench-serve.json", "llmperf_individual_responses.json"] {
        // `ttft_ms` and `itl_ms` are `ttft` and `itl`, in ms.
        for (alias, name) in [("ttft_ms", "ttft"), ("itl_ms", "itl"), ("e2el_ms", "e2el")] {
            let a = with(file, alias);
            let b = with(file, name);
            assert_eq!(a.unit, Some("ms"));
            assert_eq!(a.groups, b.groups, "{file} {alias}");
        }
        let t = with(file, "output_tokens_per_s");
        assert_eq!(
            (t.metric.as_str(), t.unit),
            ("output_tokens_per_s", Some("tokens/s"))
        );
        let first = t.values().next().unwrap();
        // vLLM: output_lens[0] / latencies[0] = 35 / 0.5926521726082176 s; llmperf: its own
        // request_output_throughput_token_per_s of the first request.
        let want = if file.starts_with("vllm") {
            35.0 / 0.592_652_172_608_217_6
        } else {
            61.692_935_653_400_06
        };
        assert!((first - want).abs() < 1e-9, "{file}: {first}");
    }
}

#[test]
fn jmeter_jtl_with_and_without_a_header_agrees_with_its_summariser() {
    // Debian's JMeter 2.13 (via JMeterRun.java, see the README): its summariser's last line of each run.
    // "Avg" is the integer mean of elapsed over every sample (failed ones included, truncated), "Err"
    // the failed samples. (file, requests, failed, Avg, Min, Max, columns)
    let runs = [
        ("jmeter-2.13-default.jtl", 300, 32, 10.0, 4.0, 55.0, 12),
        ("jmeter-2.13-header.jtl", 300, 29, 11.0, 3.0, 104.0, 12),
        ("jmeter-2.13-custom.jtl", 300, 31, 11.0, 3.0, 141.0, 16),
    ];
    for (file, total, failed, avg, min, max, columns) in runs {
        let summary = std::fs::read_to_string(real(&file.replace(".jtl", "-summary.txt"))).unwrap();
        assert!(
            summary.contains(&format!("{total} in"))
                && summary.contains(&format!("Err: {failed:>5}")),
            "{file}: {summary}"
        );
        let opts = ReadOptions {
            include_failures: true,
            keep_records: true,
            ..ReadOptions::default()
        };
        let d = read_path(&real(file), &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.format, InputFormat::JmeterCsv, "{file}");
        assert_eq!(d.metric, "elapsed");
        let r = d.requests.as_ref().unwrap();
        assert_eq!((r.total, r.failed), (total, failed), "{file}");
        assert_eq!(r.failures, [("HTTP 500".to_owned(), failed)], "{file}");
        let v = sorted(&d);
        assert_eq!(
            (mean(&v).trunc(), v[0], v[v.len() - 1]),
            (avg, min, max),
            "{file}"
        );
        // Throughput: perfstat's is requests over (last end − first start) of the samples; JMeter's
        // summariser divides by the wall time since the test started (JVM start-up included), so it
        // is lower (134.8/s vs 181.7/s for the first run): a different definition, not a misreading.
        let records = d.records.as_ref().unwrap();
        let first = records
            .timestamp_ms
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let last = records
            .timestamp_ms
            .iter()
            .zip(&records.latency_ms)
            .map(|(t, l)| t + l)
            .fold(f64::NEG_INFINITY, f64::max);
        let x = r.throughput_rps().unwrap();
        assert!(
            (x - total as f64 / ((last - first) / 1000.0)).abs() < 1e-9,
            "{file}"
        );
        let text = std::fs::read_to_string(real(file)).unwrap();
        let fields = text.lines().last().unwrap().split(',').count();
        assert_eq!(fields, columns, "{file}");
    }
    // Without a header, the 12 default fields of 2.13 map to its default columns: Latency is the 12th.
    let latency = read_path(
        &real("jmeter-2.13-default.jtl"),
        &ReadOptions {
            metric: Some("Latency".into()),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let first = std::fs::read_to_string(real("jmeter-2.13-default.jtl")).unwrap();
    let first: Vec<&str> = first.lines().next().unwrap().split(',').collect();
    assert_eq!(latency.values().next(), Some(first[11].parse().unwrap()));
    // The custom set (URL, IdleTime, Connect, failureMessage on): Connect is the last field.
    let connect = read_path(
        &real("jmeter-2.13-custom.jtl"),
        &ReadOptions {
            metric: Some("Connect".into()),
            include_failures: true,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(real("jmeter-2.13-custom.jtl")).unwrap();
    let last: Vec<f64> = text
        .lines()
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(connect.values().collect::<Vec<_>>(), last);
}

#[test]
fn hdr_histogram_log_agrees_with_the_histograms_and_the_raw_run() {
    // hey.hlog: hey.csv's response times recorded by hdrh 0.10.8 (3 significant digits, µs), one
    // histogram per second (hdr_log.py). hey-hlog-summary.txt: the merged histogram's own figures.
    let d = read("hey.hlog");
    assert_eq!(d.format, InputFormat::HdrLog);
    assert_eq!((d.metric.as_str(), d.unit), ("latency", Some("ms")));
    let summary = std::fs::read_to_string(real("hey-hlog-summary.txt")).unwrap();
    let figure = |key: &str| -> f64 {
        let line = summary
            .lines()
            .find(|l| l.starts_with(&format!("{key} ")))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let v = sorted(&d);
    assert_eq!(v.len() as f64, figure("count"));
    let r = d.requests.as_ref().unwrap();
    assert_eq!(r.total, 300);
    assert!(r.failures_unknown.is_some() && r.error_rate().is_none());
    assert!(d.not_time_ordered.is_some());
    // HdrHistogram's mean uses each bucket's median-equivalent value, as perfstat's values do: equal.
    assert!(
        (mean(&v) * 1000.0 - figure("mean")).abs() < 1e-6,
        "{}",
        mean(&v)
    );
    // Its percentiles are the highest equivalent value of the bucket holding the rank; perfstat's
    // type-7 quantile of the median-equivalent values differs by at most a bucket's width (3
    // significant digits: 0.1 %).
    let sample = perfstat_stats::Sample::new(v.clone()).unwrap();
    for (key, q) in [("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)] {
        let ours = sample.quantile(q).unwrap() * 1000.0;
        let theirs = figure(key);
        assert!(
            (ours - theirs).abs() <= 1e-3 * theirs,
            "{key}: {ours} vs {theirs}"
        );
    }
    // Against the raw run: every value within the histogram's precision of hey's own.
    let all = ReadOptions {
        include_failures: true,
        ..ReadOptions::default()
    };
    let raw = sorted(&read_path(&real("hey.csv"), &all).unwrap());
    assert_eq!(raw.len(), v.len());
    for (a, b) in v.iter().zip(&raw) {
        assert!((a - b).abs() <= 1e-3 * b, "{a} vs {b}");
    }
    // The span is the intervals' (whole seconds here): 0 s to the last interval's end.
    assert!(r.duration_s().unwrap() >= 3.0);
}

#[test]
fn wrk_report_is_aggregates_and_says_so_with_its_figures() {
    // wrk 4.1.0 `--latency`: "136 requests in 2.10s", "Non-2xx or 3xx responses: 27",
    // "Requests/sec: 64.91", percentiles 50/75/90/99 % = 60.23/69.82/77.07/105.72 ms.
    let e = read_path(&real("wrk-latency.txt"), &ReadOptions::default()).unwrap_err();
    let text = e.to_string();
    for want in [
        "136 requests in 2.10s",
        "27 non-2xx/3xx responses",
        "64.91 requests/s",
        "p50 60.23ms, p75 69.82ms, p90 77.07ms, p99 105.72ms",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(matches!(
        e.kind(),
        perfstat_ingest::ErrorKind::AggregateOnly {
            format: InputFormat::WrkReport,
            ..
        }
    ));
}

/// The cells of the row named `row` in the table after the line containing `heading` of a goose
/// summary (`| `-separated, trimmed; the name cell first).
fn goose_row(summary: &str, heading: &str, row: &str) -> Vec<String> {
    let after = &summary[summary.find(heading).unwrap_or_else(|| panic!("{heading}"))..];
    let line = after
        .lines()
        .find(|l| l.split('|').next().unwrap().trim() == row)
        .unwrap_or_else(|| panic!("{heading} {row}"));
    line.split('|').map(|c| c.trim().to_owned()).collect()
}

#[test]
fn goose_request_logs_agree_with_its_summary() {
    // goose 0.18.1 (/work/goose-test's `GET /ok` and `GET /flaky`, 2 users × 75 iterations; README).
    // Its figures: requests and fails per request name; Avg (2 decimals), Min, Max (whole ms) over every
    // request, failed ones included; percentiles: the smallest logged time whose cumulative count
    // reaches round(n·p) (times under 100 ms are kept exact); req/s = requests over the test's run time
    // rounded to whole seconds.
    for (file, format) in [
        ("goose-requests.csv", InputFormat::GooseCsv),
        ("goose-requests.json", InputFormat::GooseJson),
    ] {
        let summary_file = if format == InputFormat::GooseCsv {
            "goose-csv-summary.txt"
        } else {
            "goose-json-summary.txt"
        };
        let summary = std::fs::read_to_string(real(summary_file)).unwrap();
        let opts = ReadOptions {
            include_failures: true,
            by: Some("label".into()),
            ..ReadOptions::default()
        };
        let d = read_path(&real(file), &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.format, format, "{file}");
        assert_eq!((d.metric.as_str(), d.unit), ("response_time", Some("ms")));
        let all: Vec<(String, Vec<f64>)> = d
            .groups
            .iter()
            .map(|g| {
                let mut v = g.values.clone();
                v.sort_by(f64::total_cmp);
                (format!("GET {}", g.label.as_deref().unwrap()), v)
            })
            .chain(std::iter::once(("Aggregated".to_owned(), sorted(&d))))
            .collect();
        assert_eq!(all.len(), 3, "{file}");
        let r = d.requests.as_ref().unwrap();
        for (name, v) in &all {
            let counts = goose_row(&summary, "PER REQUEST METRICS", name);
            let n: u64 = counts[1].replace(',', "").parse().unwrap();
            assert_eq!(v.len() as u64, n, "{file} {name}");
            let fails: u64 = counts[2].split(' ').next().unwrap().parse().unwrap();
            if name == "Aggregated" {
                assert_eq!((r.total, r.failed), (n, fails), "{file}");
                // goose's "32 (10.7%)": the error rate in percent to one decimal, "0%" for none.
                let rate = match r.error_rate().unwrap() {
                    0.0 => "0%".to_owned(),
                    e => format!("{:.1}%", 100.0 * e),
                };
                assert_eq!(counts[2], format!("{fails} ({rate})"), "{file}");
                assert_eq!(r.failures, [("HTTP 500".to_owned(), fails)], "{file}");
                // Throughput: goose divides by its run time rounded to whole seconds, perfstat by first
                // start → last end of the log (whole ms): a different span.
                let theirs: f64 = counts[3].parse().unwrap();
                let whole_s = (n as f64 / theirs).round();
                assert!((n as f64 / whole_s - theirs).abs() < 0.005, "{file}");
                let ours = r.throughput_rps().unwrap();
                let span = r.duration_s().unwrap();
                assert!((ours - n as f64 / span).abs() < 1e-9);
                assert!(
                    span < whole_s + 0.5 && span > whole_s - 1.5,
                    "{file}: {span}"
                );
            }
            let times = goose_row(&summary, "PER REQUEST METRICS", name);
            let times = goose_row(
                &summary[summary.find("PER REQUEST METRICS").unwrap()..],
                "Avg (ms)",
                &times[0],
            );
            let avg: f64 = times[1].parse().unwrap();
            let r2 = |x: f64| (x * 100.0).round() / 100.0;
            assert_eq!(r2(mean(v)), avg, "{file} {name} mean");
            assert_eq!(v[0], times[2].parse::<f64>().unwrap(), "{file} {name} min");
            assert_eq!(v[v.len() - 1], times[3].parse::<f64>().unwrap(), "{name}");
            let pct = goose_row(&summary, "Slowest page load", name);
            for (i, p) in [0.5f64, 0.75, 0.98, 0.99, 0.999, 0.9999].iter().enumerate() {
                let rank = ((v.len() as f64 * p).round() as usize).max(1);
                let want: f64 = pct[i + 1].parse().unwrap();
                assert_eq!(v[rank - 1], want, "{file} {name} {p}");
            }
        }
        // The statuses goose counted.
        let codes = goose_row(&summary, "Status codes", "Aggregated");
        let records = read_path(
            &real(file),
            &ReadOptions {
                keep_records: true,
                ..ReadOptions::default()
            },
        )
        .unwrap()
        .records
        .unwrap();
        for part in codes[1].split(", ") {
            let (count, code) = part.split_once(" [").unwrap();
            let code: u16 = code.trim_end_matches(']').parse().unwrap();
            let seen = records.status.iter().filter(|s| **s == code).count();
            assert_eq!(seen.to_string(), count.replace(',', ""), "{file} {code}");
        }
        // In time order (elapsed since the test began).
        assert!(d.not_time_ordered.is_none(), "{file}");
    }
}

#[test]
fn goose_updates_change_their_request_and_backfilled_requests_are_left_out() {
    // As goose 0.18 writes them (src/goose.rs): `set_failure` re-sends the request with `update` true
    // and its new verdict; Coordinated Omission Mitigation sends generated copies with
    // `coordinated_omission_elapsed` > 0 (goose's raw figures leave them out).
    let header = "elapsed,scenario_index,scenario_name,transaction_index,transaction_name,raw,name,\
                  final_url,redirected,response_time,status_code,success,update,user,error,\
                  coordinated_omission_elapsed,user_cadence";
    let row = |elapsed: u64, name: &str, ms: u64, ok: bool, update: bool, user: u64, co: u64| {
        format!(
            "{elapsed},0,load,0,,\"GooseRawRequest {{ method: Get, url: \"\"{name}\"\" }}\",{name},\
             {name},false,{ms},200,{ok},{update},{user},{},{co},0",
            if ok { "" } else { "marked as failed" }
        )
    };
    let text = [
        header.to_owned(),
        row(0, "/a", 5, true, false, 0, 0),
        row(1, "/b", 7, true, false, 1, 0),
        // User 0's request at 0 ms marked failed by the load test, after user 1's row.
        row(0, "/a", 5, false, true, 0, 0),
        row(9, "/a", 300, true, false, 1, 250),
        row(12, "/b", 8, true, false, 0, 0),
    ]
    .join("\n");
    let opts = ReadOptions {
        keep_records: true,
        ..ReadOptions::default()
    };
    let d = read_reader("g.csv", text.as_bytes(), &opts).unwrap();
    assert_eq!(d.format, InputFormat::GooseCsv);
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (3, 1));
    assert_eq!(r.failures, [("marked as failed".to_owned(), 1)]);
    let records = d.records.as_ref().unwrap();
    assert_eq!(records.success, [false, true, true]);
    assert_eq!(records.timestamp_ms, [0.0, 1.0, 12.0]);
    assert_eq!(d.values().collect::<Vec<_>>(), [7.0, 8.0]);
    // An update whose request is not that user's latest row is an error at its line.
    let orphan = [header.to_owned(), row(3, "/a", 5, false, true, 4, 0)].join("\n");
    let e = read_reader("g.csv", orphan.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("g.csv:2: an update"), "{e}");
    // An update looks back 4096 rows at most (memory stays bounded): one after 4096 other rows is an
    // error, one after 4095 is applied.
    for (others, ok) in [(4095, true), (4096, false)] {
        let mut lines = vec![header.to_owned(), row(0, "/a", 5, true, false, 0, 0)];
        lines.extend((0..others).map(|i| row(i + 1, "/b", 7, true, false, 1, 0)));
        lines.push(row(0, "/a", 5, false, true, 0, 0));
        let got = read_reader(
            "g.csv",
            lines.join("\n").as_bytes(),
            &ReadOptions::default(),
        );
        match got {
            Ok(d) => assert!(ok && d.requests.unwrap().failed == 1, "{others}"),
            Err(e) => assert!(!ok && e.to_string().contains("an update"), "{others}: {e}"),
        }
    }
    // The JSON Lines log reads the same (keys in goose's alphabetical order or any other).
    let json: String = [
        r#"{"coordinated_omission_elapsed":0,"elapsed":0,"error":"","name":"/a","response_time":5,"status_code":200,"success":true,"update":false,"user":0}"#,
        r#"{"user":0,"update":true,"success":false,"status_code":200,"response_time":5,"name":"/a","error":"marked as failed","elapsed":0,"coordinated_omission_elapsed":0}"#,
    ]
    .join("\n");
    let all = ReadOptions {
        include_failures: true,
        ..opts
    };
    let d = read_reader("g.json", json.as_bytes(), &all).unwrap();
    assert_eq!(d.format, InputFormat::GooseJson);
    assert_eq!(d.records.as_ref().unwrap().success, [false]);
}

#[test]
fn oha_csv_is_read_with_its_counts_values_and_span() {
    // oha 1.16.0 `--output-format csv` (README): one row per response, seconds; with it oha prints no
    // summary. The server answers 500 to every 5th request: 60 of the 300 failed.
    let opts = ReadOptions {
        include_failures: true,
        keep_records: true,
        ..ReadOptions::default()
    };
    let d = read_path(&real("oha.csv"), &opts).unwrap();
    assert_eq!(d.format, InputFormat::OhaCsv);
    assert_eq!(
        (d.metric.as_str(), d.unit),
        ("request-duration", Some("ms"))
    );
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (300, 60));
    assert_eq!(r.failures, [("HTTP 500".to_owned(), 60)]);
    assert_eq!(r.error_rate(), Some(0.2));
    // The values are the file's seconds in ms; the span runs from the first start to the last end.
    let text = std::fs::read_to_string(real("oha.csv")).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|f| f.parse().unwrap()).collect())
        .collect();
    let values: Vec<f64> = d.values().collect();
    assert_eq!(values.len(), rows.len());
    for (v, row) in values.iter().zip(&rows) {
        assert!((v - row[4] * 1000.0).abs() < 1e-9, "{v} {row:?}");
    }
    let first = rows.iter().map(|r| r[0]).fold(f64::INFINITY, f64::min);
    let last = rows
        .iter()
        .map(|r| r[0] + r[4])
        .fold(f64::NEG_INFINITY, f64::max);
    let x = r.throughput_rps().unwrap();
    assert!((x - 300.0 / (last - first)).abs() < 1e-6, "{x}");
    assert!(d.not_time_ordered.is_none());
    // oha sorts the rows by start.
    assert!(rows.windows(2).all(|w| w[0][0] <= w[1][0]));
}

#[test]
fn oha_json_summary_is_aggregates_and_says_so_with_its_figures() {
    // oha 1.16.0 `--output-format json` (README): the summary of the run, in seconds. Its percentiles
    // are sorted[⌊p/100·n⌋] (0-based) of every response's duration (500s included); requestsPerSec is
    // all requests over oha's total time (start-up included).
    let e = read_path(&real("oha.json"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(
        e.kind(),
        perfstat_ingest::ErrorKind::AggregateOnly {
            format: InputFormat::OhaJson,
            ..
        }
    ));
    let text = e.to_string();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(real("oha.json")).unwrap()).unwrap();
    let statuses = doc["statusCodeDistribution"].as_object().unwrap();
    let responses: u64 = statuses.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(responses, 300);
    let mut want = vec![
        "300 requests (300 responses by status: ".to_owned(),
        "; 0 transport errors)".to_owned(),
        format!(
            "{:.4} requests/s",
            doc["summary"]["requestsPerSec"].as_f64().unwrap()
        ),
    ];
    for (code, n) in statuses {
        want.push(format!("{code}: {n}"));
    }
    for p in ["p50", "p90", "p99"] {
        let ms = doc["latencyPercentiles"][p].as_f64().unwrap() * 1000.0;
        want.push(format!(
            "{p} {}",
            format!("{ms:.3}")
                .trim_end_matches('0')
                .trim_end_matches('.')
        ));
    }
    for w in want {
        assert!(text.contains(&w), "{w}: {text}");
    }
}
