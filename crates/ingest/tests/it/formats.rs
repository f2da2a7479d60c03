//! Load-test tools' formats: every sample file, detection against forced readers, edge cases, units.

use std::path::{Path, PathBuf};

use perfstat_ingest::{Dataset, InputFormat, ReadOptions, Unit, read_path, read_reader};
use proptest::prelude::*;

use super::{error_with, read, read_with};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// Every sample and the format it is.
const SAMPLES: [(&str, InputFormat); 14] = [
    ("k6.json", InputFormat::K6Json),
    ("k6.csv", InputFormat::K6Csv),
    ("jmeter.jtl.csv", InputFormat::JmeterCsv),
    ("gatling-simulation.log", InputFormat::Gatling),
    ("vegeta.csv", InputFormat::VegetaCsv),
    ("vegeta.json", InputFormat::VegetaJson),
    ("hey.csv", InputFormat::Hey),
    ("ab-gnuplot.tsv", InputFormat::ApacheBench),
    ("locust_stats_history.csv", InputFormat::LocustHistory),
    ("hyperfine.json", InputFormat::Hyperfine),
    ("vllm-benchmark_serving.json", InputFormat::Vllm),
    ("vllm-bench-serve.json", InputFormat::Vllm),
    ("llmperf_individual_responses.json", InputFormat::Llmperf),
    // An aggregate the generic JSON reader refuses (a top-level object).
    ("llmperf_summary.json", InputFormat::Json),
];

fn opts_for(format: InputFormat) -> ReadOptions {
    ReadOptions {
        // Locust history needs a column to read as a series.
        metric: (format == InputFormat::LocustHistory).then(|| "Requests/s".to_owned()),
        ..ReadOptions::default()
    }
}

fn sample(name: &str) -> Dataset {
    read_path(&fixture(name), &ReadOptions::default()).unwrap()
}

fn by_label(name: &str) -> Dataset {
    let opts = ReadOptions {
        by: Some("label".into()),
        ..ReadOptions::default()
    };
    read_path(&fixture(name), &opts).unwrap()
}

fn requests(d: &Dataset) -> (u64, u64) {
    let r = d.requests.as_ref().unwrap();
    (r.total, r.failed)
}

#[test]
fn detection_matrix() {
    for (file, format) in SAMPLES {
        let bytes = std::fs::read(fixture(file)).unwrap();
        // Detected: the right reader (name hidden, so content alone decides for tools' formats).
        let detected = read_with(file, &bytes, &opts_for(format));
        if format == InputFormat::Json {
            assert!(detected.is_err(), "{file}");
        } else {
            let d = detected.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(d.format, format, "{file}");
        }
        let anonymous = read_with("-", &bytes, &opts_for(format));
        if format.is_tool() {
            assert_eq!(
                anonymous.unwrap().format,
                format,
                "{file} from content only"
            );
        }
        // Forced: every other reader fails with a message (or reads generic text), never panics.
        for forced in InputFormat::ALL {
            let opts = ReadOptions {
                format: Some(forced),
                ..opts_for(forced)
            };
            match read_with(file, &bytes, &opts) {
                Ok(d) => assert!(
                    forced == format || !forced.is_tool(),
                    "{file} read as {forced}: {} values",
                    d.len()
                ),
                Err(e) => {
                    let text = e.to_string();
                    assert!(text.starts_with(file), "{file} as {forced}: {text}");
                    assert!(forced != format || format == InputFormat::Json, "{text}");
                }
            }
        }
    }
}

#[test]
fn k6_json_sample() {
    let d = sample("k6.json");
    assert_eq!(d.metric, "http_req_duration");
    assert_eq!(d.unit, Some("ms"));
    assert_eq!(requests(&d), (24, 2));
    assert_eq!(d.len(), 22);
    assert_eq!(d.groups[0].values[0], 26.531591);
    let r = d.requests.as_ref().unwrap();
    assert_eq!(
        r.failures,
        [
            ("HTTP 500".to_owned(), 1),
            ("request timeout".to_owned(), 1)
        ]
    );
    assert!(r.throughput_rps().unwrap() > 1.0);
    // Another metric, and failures kept.
    let opts = ReadOptions {
        metric: Some("http_req_waiting".into()),
        include_failures: true,
        ..ReadOptions::default()
    };
    let w = read_path(&fixture("k6.json"), &opts).unwrap();
    assert_eq!(w.len(), 24);
    // k6 CSV has the same samples.
    let c = sample("k6.csv");
    assert_eq!(c.groups[0].values, d.groups[0].values);
    assert_eq!(requests(&c), (24, 2));
}

#[test]
fn k6_unknown_metric_lists_the_metrics() {
    let e = error_with(
        "k6.json",
        std::fs::read(fixture("k6.json")).unwrap(),
        &super::metric("nope"),
    );
    assert!(e.contains("unknown metric column \"nope\""), "{e}");
    assert!(e.contains("http_req_waiting"), "{e}");
}

#[test]
fn k6_failures_from_http_req_failed_without_expected_response() {
    let p = |m: &str, v: f64, t: &str| {
        format!(
            r#"{{"metric":"{m}","type":"Point","data":{{"time":"2025-03-14T10:26:5{t}Z","value":{v},"tags":{{"name":"a","status":"200"}}}}}}"#
        )
    };
    let text = [
        p("http_req_duration", 10.0, "1"),
        p("http_req_failed", 1.0, "1"),
        p("http_req_duration", 20.0, "2"),
        p("http_req_failed", 0.0, "2"),
        p("http_req_duration", 30.0, "3"),
    ]
    .join("\n");
    let d = read("x", &text).unwrap();
    assert_eq!(d.format, InputFormat::K6Json);
    assert_eq!(d.groups[0].values, [20.0, 30.0]);
    assert_eq!(requests(&d), (3, 1));
}

#[test]
fn jmeter_sample_skips_transaction_rows() {
    let d = by_label("jmeter.jtl.csv");
    assert_eq!(d.metric, "elapsed");
    assert_eq!(requests(&d), (24, 3));
    let labels: Vec<_> = d.groups.iter().map(|g| g.label.clone().unwrap()).collect();
    assert_eq!(labels, ["GET /api/items", "POST /api/orders"]);
    let opts = ReadOptions {
        jmeter_transactions: true,
        include_failures: true,
        ..ReadOptions::default()
    };
    let all = read_path(&fixture("jmeter.jtl.csv"), &opts).unwrap();
    assert_eq!(all.len(), 36);
}

#[test]
fn jmeter_edge_cases() {
    // Custom column set (no success column: the response code decides), quotes, CRLF, extra columns.
    let text = "label,elapsed,timeStamp,responseCode,extra\r\n\
                \"GET /a, b\",12,1741944413000,200,x\r\n\
                \"say \"\"hi\"\"\",15,1741944413100,503,y\r\n\
                \"GET /a, b\",20,1741944413200,204,z\r\n";
    let opts = ReadOptions {
        by: Some("label".into()),
        include_failures: true,
        ..ReadOptions::default()
    };
    let d = read_with("a.jtl", text, &opts).unwrap();
    assert_eq!(d.format, InputFormat::JmeterCsv);
    assert_eq!(d.groups[0].label.as_deref(), Some("GET /a, b"));
    assert_eq!(d.groups[0].values, [12.0, 20.0]);
    assert_eq!(d.groups[1].label.as_deref(), Some("say \"hi\""));
    assert_eq!(requests(&d), (3, 1));
    let r = d.requests.unwrap();
    assert_eq!(r.start_ms, Some(1_741_944_413_000.0));
    assert_eq!(r.end_ms, Some(1_741_944_413_220.0));
    // A wrong column count: error with line, or skipped and counted.
    let bad = "timeStamp,elapsed,label\n1,10,a\n2,11\n3,12,a\n";
    assert_eq!(
        error_with("a.jtl", bad, &ReadOptions::default()),
        "a.jtl:3: expected 3 fields as in the header, found 2"
    );
    let d = read_with("a.jtl", bad, &super::skipping()).unwrap();
    assert_eq!((d.len(), d.skipped), (2, 1));
    // Header only: an empty run.
    assert_eq!(
        error_with(
            "a.jtl",
            "timeStamp,elapsed,label\n",
            &ReadOptions::default()
        ),
        "a.jtl: no data rows"
    );
    // Every request failed.
    let failed = "timeStamp,elapsed,label,success\n1,10,a,false\n";
    assert!(error_with("a.jtl", failed, &ReadOptions::default()).contains("all 1 requests failed"));
    // No header: JMeter's default columns, when forced.
    let headerless = "1741944413120,20,GET /api/items,200,OK,Thread Group 1-1,text,true,,1344,178,3,3,http://x/,19,0,3\n";
    let forced = ReadOptions {
        format: Some(InputFormat::JmeterCsv),
        ..ReadOptions::default()
    };
    assert_eq!(
        read_with("a", headerless, &forced).unwrap().groups[0].values,
        [20.0]
    );
}

#[test]
fn gatling_sample() {
    let d = by_label("gatling-simulation.log");
    assert_eq!(requests(&d), (29, 1));
    assert_eq!(d.groups.len(), 3);
    assert_eq!(d.groups[0].values[0], 18.0);
    // Gatling 3.0–3.3 lines (with a user id) and a truncated line.
    let old =
        "RUN\tS\ts\t1\t \t3.2.1\nREQUEST\t1\t\tGET a\t100\t130\tOK\t \nREQUEST\t1\t\tGET a\t100\n";
    assert_eq!(
        error_with("simulation.log", old, &ReadOptions::default()),
        "simulation.log:3: expected 7 fields as in the header, found 5"
    );
    let d = read_with("simulation.log", old, &super::skipping()).unwrap();
    assert_eq!(d.groups[0].values, [30.0]);
    // The binary log of Gatling ≥ 3.13.
    let e = error_with(
        "simulation.log",
        b"\x00\x00\x00\x053.13",
        &ReadOptions::default(),
    );
    assert!(e.contains("binary simulation.log"), "{e}");
}

#[test]
fn vegeta_samples_and_column_versions() {
    let csv = sample("vegeta.csv");
    let json = sample("vegeta.json");
    assert_eq!(csv.groups[0].values, json.groups[0].values);
    assert_eq!(csv.groups[0].values[0], 19.130993);
    assert_eq!(requests(&csv), (30, 3));
    assert_eq!(requests(&json), (30, 3));
    // 6, 7 and 9 columns (older vegeta), one quoted error with a comma and doubled quotes.
    for line in [
        "1741944413000009171,200,19130993,0,45,",
        "1741944413000009171,200,19130993,0,45,,Ym9keQ==",
        "1741944413000009171,200,19130993,0,45,,Ym9keQ==,atk,0",
    ] {
        let text = format!(
            "{line}\n1741944414000009171,0,360769,0,0,\"Get \"\"http://x\"\": a, b\"{}\n",
            ",".repeat(line.matches(',').count() - 5)
        );
        let d = read_with("-", &text, &ReadOptions::default()).unwrap();
        assert_eq!(d.format, InputFormat::VegetaCsv, "{line}");
        assert_eq!(d.groups[0].values, [19.130993], "{line}");
        let r = d.requests.unwrap();
        assert_eq!(r.failures[0].0, "Get \"http://x\": a, b");
    }
}

#[test]
fn hey_and_ab_samples() {
    let h = sample("hey.csv");
    assert_eq!(h.groups[0].values[0], 16.1);
    assert_eq!(requests(&h), (30, 1));
    let a = sample("ab-gnuplot.tsv");
    assert_eq!(requests(&a), (30, 0));
    assert_eq!(a.metric, "ttime");
    let wait = read_path(&fixture("ab-gnuplot.tsv"), &super::metric("wait")).unwrap();
    assert_eq!(wait.metric, "wait");
    // Missing optional columns (no offset, no status) in hey.
    let d = read("-", "response-time,DNS+dialup\n0.0161,0.0015\n").unwrap();
    assert_eq!(d.groups[0].values, [16.1]);
}

#[test]
fn locust_history_is_aggregate_only() {
    let e = error_with(
        "h.csv",
        std::fs::read(fixture("locust_stats_history.csv")).unwrap(),
        &ReadOptions::default(),
    );
    assert!(
        e.contains("holds aggregates, not per-request samples"),
        "{e}"
    );
    assert!(e.contains("name one column as the metric"), "{e}");
    assert!(!e.contains("--"), "no CLI flag in a library message: {e}");
    let d = read_path(&fixture("locust_stats_history.csv"), &super::metric("95%")).unwrap();
    assert_eq!(d.unit, Some("ms"));
    assert!(d.skipped > 0 && d.requests.is_none());
}

#[test]
fn hyperfine_one_sample_per_command() {
    let d = sample("hyperfine.json");
    assert_eq!(d.groups.len(), 3);
    assert_eq!(
        d.groups[0].label.as_deref(),
        Some("sort --parallel=1 data.txt")
    );
    assert_eq!(d.groups[0].values[0], 406.88583832);
    assert_eq!(d.groups[0].values.len(), 10);
}

#[test]
fn llm_samples() {
    let legacy = sample("vllm-benchmark_serving.json");
    assert_eq!(requests(&legacy), (24, 1));
    assert_eq!(legacy.metric, "e2el");
    let serve = sample("vllm-bench-serve.json");
    assert_eq!(serve.groups[0].values[0], 592.6521726082176);
    assert!(
        serve.requests.as_ref().unwrap().failures[0]
            .0
            .contains("ServerDisconnectedError")
    );
    for m in ["ttft", "itl", "tpot"] {
        let d = read_path(&fixture("vllm-bench-serve.json"), &super::metric(m)).unwrap();
        assert_eq!(d.metric, m);
        assert!(d.values().all(|v| v > 0.0), "{m}");
    }
    // Aggregates only.
    let e = error_with(
        "v.json",
        r#"{"model_id":"m","num_prompts":2,"mean_ttft_ms":5.0,"completed":2}"#,
        &ReadOptions::default(),
    );
    assert!(
        e.contains("aggregates") && e.contains("mean_ttft_ms"),
        "{e}"
    );
    let l = sample("llmperf_individual_responses.json");
    assert_eq!(requests(&l), (25, 0));
    assert_eq!(l.groups[0].values[0], 4_619.653_725_041_902);
    let t = read_path(
        &fixture("llmperf_individual_responses.json"),
        &super::metric("ttft"),
    )
    .unwrap();
    assert_eq!(t.metric, "ttft");
}

#[test]
fn same_latencies_in_three_units_are_identical() {
    let ms = [12, 15, 7, 230, 41];
    let mut jmeter = String::from("timeStamp,elapsed,label,success\n");
    let mut hey = String::from(
        "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n",
    );
    let mut vegeta = String::new();
    for (i, v) in ms.iter().enumerate() {
        jmeter.push_str(&format!("{},{v},a,true\n", 1_741_944_413_000u64 + i as u64));
        hey.push_str(&format!("{:.4},0,0,0,0,0,200,{i}\n", *v as f64 / 1000.0));
        vegeta.push_str(&format!(
            "{},200,{}000000,0,0,,,,{i}\n",
            1_741_944_413_000_000_000u64 + i as u64,
            v
        ));
    }
    let a = read("a.jtl", &jmeter).unwrap();
    let b = read("b.csv", &hey).unwrap();
    let c = read("c.csv", &vegeta).unwrap();
    assert_eq!(
        (a.format, b.format, c.format),
        (
            InputFormat::JmeterCsv,
            InputFormat::Hey,
            InputFormat::VegetaCsv
        )
    );
    assert_eq!(a.groups[0].values, b.groups[0].values);
    assert_eq!(a.groups[0].values, c.groups[0].values);
    // A generic file with --unit.
    let opts = ReadOptions {
        unit: Some(Unit::Seconds),
        ..ReadOptions::default()
    };
    let g = read_with(
        "g.csv",
        "latency\n0.012\n0.015\n0.007\n0.23\n0.041\n",
        &opts,
    )
    .unwrap();
    assert_eq!(g.groups[0].values, a.groups[0].values);
    assert_eq!(g.unit, Some("ms"));
}

#[test]
fn malformed_lines_name_file_and_line() {
    let text = std::fs::read_to_string(fixture("vegeta.json")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let cut = &lines[4][..40];
    lines[4] = cut;
    let broken = lines.join("\n");
    let e = error_with("v.json", &broken, &ReadOptions::default());
    assert!(e.starts_with("v.json:5:"), "{e}");
    let d = read_with("v.json", &broken, &super::skipping()).unwrap();
    assert_eq!(d.skipped, 1);
    assert_eq!(d.rows, 30);

    let text = std::fs::read_to_string(fixture("k6.json")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(r#""metric":"http_req_duration","type":"Point""#))
        .unwrap();
    lines[at] = &lines[at][..60];
    let broken = lines.join("\n");
    let e = error_with("k6.json", &broken, &ReadOptions::default());
    assert!(e.starts_with(&format!("k6.json:{}:", at + 1)), "{e}");
    assert_eq!(
        read_with("k6.json", &broken, &super::skipping())
            .unwrap()
            .skipped,
        1
    );
}

#[test]
fn records_are_columnar() {
    let opts = ReadOptions {
        keep_records: true,
        ..ReadOptions::default()
    };
    let d = read_path(&fixture("jmeter.jtl.csv"), &opts).unwrap();
    let r = d.records.unwrap();
    assert_eq!(r.len(), 24);
    assert_eq!(r.labels, ["GET /api/items", "POST /api/orders"]);
    assert_eq!(r.success.iter().filter(|s| !**s).count(), 3);
    assert_eq!(r.timestamp_ms[0], 1_741_944_413_120.0);
    assert_eq!(r.status[0], 200);
    assert_eq!(r.bytes[0], 1344);
}

#[test]
fn format_names_round_trip() {
    for f in InputFormat::ALL {
        assert_eq!(f.name().parse::<InputFormat>(), Ok(f));
    }
    assert_eq!("jtl".parse::<InputFormat>(), Ok(InputFormat::JmeterCsv));
    assert_eq!("ns".parse::<Unit>(), Ok(Unit::Nanoseconds));
    assert!("min".parse::<Unit>().is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        skip in any::<bool>(),
        failures in any::<bool>(),
    ) {
        for format in InputFormat::ALL {
            let opts = ReadOptions { skip_invalid: skip, include_failures: failures, format: Some(format), ..ReadOptions::default() };
            if let Ok(d) = read_reader("x", &bytes[..], &opts) {
                prop_assert!(d.values().all(f64::is_finite));
            }
        }
    }

    #[test]
    fn no_reader_panics_on_mutated_samples(
        which in 0usize..13,
        at in any::<prop::sample::Index>(),
        junk in proptest::collection::vec(proptest::sample::select(b"\t,\"{}[]\n\r:0129.-eE\\\x00\xff".to_vec()), 0..20),
        skip in any::<bool>(),
        mutation in 0usize..6,
        special in proptest::sample::select(vec!["1e400", "-0", "5e-324", "1.797e308", "-1.797e308", "-1e400"]),
        unit in proptest::sample::select(vec![None, Some(Unit::Seconds), Some(Unit::Nanoseconds)]),
    ) {
        let bytes = std::fs::read(fixture(SAMPLES[which].0)).unwrap();
        let cut = at.index(bytes.len());
        let mutated = mutate(&bytes, mutation, cut, &junk, special);
        for format in [None, Some(SAMPLES[which].1)] {
            let opts = ReadOptions { skip_invalid: skip, format, unit, ..opts_for(SAMPLES[which].1) };
            if let Ok(d) = read_reader("x", &mutated[..], &opts) {
                prop_assert!(d.values().all(f64::is_finite));
            }
        }
    }
}

/// One mutation of a sample: junk spliced in at `at`, CRLF line ends, a byte-order mark, truncation at
/// `at`, an invalid UTF-8 byte at `at`, or the number around `at` replaced by a special one.
fn mutate(bytes: &[u8], mutation: usize, at: usize, junk: &[u8], special: &str) -> Vec<u8> {
    match mutation {
        0 => {
            let mut out = bytes[..at].to_vec();
            out.extend_from_slice(junk);
            out.extend_from_slice(&bytes[(at + junk.len()).min(bytes.len())..]);
            out
        }
        1 => String::from_utf8_lossy(bytes)
            .replace('\n', "\r\n")
            .into_bytes(),
        2 => [&b"\xEF\xBB\xBF"[..], bytes].concat(),
        3 => bytes[..at].to_vec(),
        4 => [&bytes[..at], &b"\xff\xc3"[..], &bytes[at..]].concat(),
        _ => {
            // The run of number characters around `at` (or at `at` if there is none).
            let number = |b: u8| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'e';
            let mut start = at;
            while start > 0 && number(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = at;
            while end < bytes.len() && number(bytes[end]) {
                end += 1;
            }
            [&bytes[..start], special.as_bytes(), &bytes[end..]].concat()
        }
    }
}
