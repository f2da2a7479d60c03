//! JMeter JTL XML: nested sub-results, transactions, assertion failures, detection, malformed input.

use std::path::Path;

use perfstat_ingest::{InputFormat, ReadOptions, read_path};

use super::{error_with, read, read_with};

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/jmeter.jtl.xml")
}

#[test]
fn sample_file_counts_top_level_samples_and_transaction_children() {
    let opts = ReadOptions {
        by: Some("label".into()),
        keep_records: true,
        ..ReadOptions::default()
    };
    let d = read_path(&fixture(), &opts).unwrap();
    assert_eq!(d.format, InputFormat::JmeterXml);
    assert_eq!(d.metric, "elapsed");
    assert_eq!(d.unit, Some("ms"));
    // Requests: GET /api/items, GET /home (its redirect sub-results are part of it), POST /api/orders,
    // the two transaction children (the parent is skipped), the JSR223 sample.
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (6, 2));
    let labels: Vec<_> = d.groups.iter().map(|g| g.label.clone().unwrap()).collect();
    assert_eq!(
        labels,
        ["GET /api/items", "GET /home", "GET /cart", "JSR223 Sampler"]
    );
    assert_eq!(d.groups[1].values, [35.0]);
    assert_eq!(
        r.failures,
        [
            (r#"Expected "paid" but found "declined""#.to_owned(), 1),
            ("HTTP 500".to_owned(), 1)
        ]
    );
    assert_eq!(r.start_ms, Some(1_741_944_413_120.0));
    assert_eq!(r.end_ms, Some(1_741_944_413_515.0));
    let rec = d.records.as_ref().unwrap();
    assert_eq!(rec.len(), 6);
    assert_eq!(rec.status[2], 500);
    assert_eq!(rec.bytes[0], 1344);
}

#[test]
fn transactions_and_failures_on_request() {
    let opts = ReadOptions {
        jmeter_transactions: true,
        include_failures: true,
        by: Some("label".into()),
        ..ReadOptions::default()
    };
    let d = read_path(&fixture(), &opts).unwrap();
    assert_eq!(d.requests.as_ref().unwrap().total, 7);
    let checkout = d
        .groups
        .iter()
        .find(|g| g.label.as_deref() == Some("Checkout & pay"))
        .unwrap();
    assert_eq!(checkout.values, [70.0]);
    assert_eq!(d.len(), 7);
}

#[test]
fn other_metrics_and_groupings() {
    let opts = ReadOptions {
        metric: Some("Latency".into()),
        by: Some("threadName".into()),
        ..ReadOptions::default()
    };
    let d = read_path(&fixture(), &opts).unwrap();
    assert_eq!(d.metric, "Latency");
    assert_eq!(d.groups[0].label.as_deref(), Some("Thread Group 1-1"));
    assert_eq!(d.groups[0].values, [19.0, 24.0]);
    let by_status = ReadOptions {
        by: Some("status".into()),
        include_failures: true,
        ..ReadOptions::default()
    };
    let d = read_path(&fixture(), &by_status).unwrap();
    let labels: Vec<_> = d.groups.iter().map(|g| g.label.clone().unwrap()).collect();
    assert_eq!(labels, ["200", "500"]);
}

#[test]
fn detection_from_content_and_forced_readers() {
    let bytes = std::fs::read(fixture()).unwrap();
    let d = read("-", &bytes).unwrap();
    assert_eq!(d.format, InputFormat::JmeterXml);
    // Without the declaration, with a comment and a BOM.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let body = text.split_once("?>").unwrap().1;
    let d = read("-", format!("\u{feff}<!-- run 7 -->{body}")).unwrap();
    assert_eq!(d.requests.unwrap().total, 6);
    for forced in InputFormat::ALL {
        let opts = ReadOptions {
            format: Some(forced),
            ..ReadOptions::default()
        };
        match read_with("run.jtl", &bytes, &opts) {
            Ok(d) => assert!(
                forced == InputFormat::JmeterXml || !forced.is_tool(),
                "{forced}: {d:?}"
            ),
            Err(e) => assert!(e.to_string().starts_with("run.jtl"), "{e}"),
        }
    }
    // The JMeter XML reader refuses other files.
    let opts = ReadOptions {
        format: Some(InputFormat::JmeterXml),
        ..ReadOptions::default()
    };
    let e = error_with("a.xml", "<results><x/></results>", &opts);
    assert_eq!(
        e,
        "a.xml:1: not a JMeter JTL XML file: the root element is <results>, not <testResults>"
    );
    assert!(error_with("a.csv", "a,b\n1,2\n", &opts).starts_with("a.csv: not a JMeter JTL XML"));
}

#[test]
fn bad_values_malformed_xml_and_truncation() {
    let xml = "<testResults>\n<httpSample t=\"5\" lb=\"a\" s=\"true\"/>\n<httpSample t=\"x\" lb=\"a\" s=\"true\"/>\n<httpSample lb=\"a\"/>\n</testResults>\n";
    assert_eq!(
        error_with("r.jtl", xml, &ReadOptions::default()),
        r#"r.jtl:3: expected a number in column "elapsed", found "x""#
    );
    let d = read_with("r.jtl", xml, &super::skipping()).unwrap();
    assert_eq!((d.rows, d.skipped, d.len()), (3, 2, 1));
    // Mismatched tags: an XML error with its line.
    let bad = "<testResults>\n<httpSample t=\"5\">\n</sample>\n</testResults>";
    let e = error_with("r.jtl", bad, &ReadOptions::default());
    assert!(e.starts_with("r.jtl:3: invalid XML:"), "{e}");
    // A killed run leaves <testResults> open: complete samples count.
    let open = "<testResults>\n<httpSample t=\"5\" s=\"true\"/>\n<httpSample t=\"6\" s=\"true\">";
    assert_eq!(
        read("r.jtl", open).unwrap().values().collect::<Vec<_>>(),
        [5.0]
    );
    // An empty run.
    assert_eq!(
        error_with(
            "r.jtl",
            "<testResults version=\"1.2\">\n</testResults>\n",
            &ReadOptions::default()
        ),
        "r.jtl: no data rows"
    );
    // All failed.
    let failed = "<testResults><sample t=\"1\" s=\"false\" rc=\"503\"/></testResults>";
    assert!(error_with("r.jtl", failed, &ReadOptions::default()).contains("all 1 requests failed"));
}
