//! `perfstat describe` on good input: formats, grouping, stdin, the JSON contract.

use std::ffi::OsStr;

use serde::Deserialize;

use crate::util::{Inputs, perfstat};

/// A typed mirror of the `describe` contract (docs/json-output.md): every key is required.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Doc {
    command: String,
    metric: String,
    confidence: f64,
    samples: Vec<Sample>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Sample {
    source: String,
    n: usize,
    mean: f64,
    std_dev: Option<f64>,
    min: f64,
    max: f64,
    median: f64,
    skewness: Option<f64>,
    kurtosis: Option<f64>,
    percentiles: Percentiles,
    mean_ci: Option<Interval>,
    median_ci: Option<Interval>,
    normality: Normality,
    outliers: Outliers,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Percentiles {
    p50: f64,
    p90: f64,
    p95: f64,
    p99: f64,
    #[serde(rename = "p99.9")]
    p99_9: f64,
}

#[derive(Debug, Deserialize)]
struct Interval {
    lower: f64,
    upper: f64,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Test {
    statistic: f64,
    p_value: f64,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Ad {
    statistic: f64,
    p_value: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Normality {
    shapiro_wilk: Option<Test>,
    anderson_darling: Option<Ad>,
    dagostino_pearson: Option<Test>,
    jarque_bera: Option<Test>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Outliers {
    tukey: Tukey,
    mad: Option<Mad>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Tukey {
    low_severe: usize,
    low_mild: usize,
    high_mild: usize,
    high_severe: usize,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Mad {
    count: usize,
}

fn json(args: &[&OsStr]) -> Doc {
    let out = perfstat().args(args).args(["--format", "json"]).success();
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one contract document")
}

#[test]
fn shipped_example_by_endpoint() {
    let doc = json(
        &[
            "describe",
            "data/run.csv",
            "--metric",
            "latency_ms",
            "--by",
            "endpoint",
        ]
        .map(OsStr::new),
    );
    assert_eq!(doc.command, "describe");
    assert_eq!(doc.metric, "latency_ms");
    assert_eq!(doc.confidence, 0.95);
    let sources: Vec<&str> = doc.samples.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(
        sources,
        ["GET /products", "POST /checkout", "GET /cart"],
        "first-appearance order"
    );
    assert_eq!(doc.samples.iter().map(|s| s.n).sum::<usize>(), 3000);
    for s in &doc.samples {
        let p = &s.percentiles;
        assert!(
            s.min <= p.p50
                && p.p50 <= p.p90
                && p.p90 <= p.p95
                && p.p95 <= p.p99
                && p.p99 <= p.p99_9
                && p.p99_9 <= s.max
        );
        assert_eq!(p.p50, s.median);
        let m = s.mean_ci.as_ref().unwrap();
        assert!(m.lower < s.mean && s.mean < m.upper);
        let md = s.median_ci.as_ref().unwrap();
        assert!(md.lower <= s.median && s.median <= md.upper);
        // Latencies with a slow tail: every test rejects normality.
        assert!(
            s.normality.shapiro_wilk.as_ref().unwrap().p_value < 0.001,
            "{s:?}"
        );
        assert!(s.skewness.unwrap() > 0.5);
    }
}

#[test]
fn table_is_the_default_and_warns() {
    let out = perfstat()
        .args(["describe", "data/run.csv", "--metric", "latency_ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("latency_ms · data/run.csv\n"), "{text}");
    assert!(text.contains("  n            3000\n"), "{text}");
    assert!(text.contains("warning: not normal"), "{text}");
    assert!(text.contains(" ms"), "unit from the column name: {text}");
}

#[test]
fn stdin_gzip_and_formats_agree() {
    let i = Inputs::new();
    let values: Vec<f64> = (1..=200)
        .map(|k| f64::from(k) * 0.37 + f64::from(k % 7))
        .collect();
    let csv = format!(
        "latency_ms\n{}\n",
        values
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let plain = i.file("v.csv", &csv);
    let gz = i.gzip("v.csv.gz", csv.as_bytes());
    let js = i.file("v.json", serde_json::to_string(&values).unwrap());
    let a = json(&[OsStr::new("describe"), plain.as_os_str()]);
    let b = json(&[OsStr::new("describe"), gz.as_os_str()]);
    let c = json(&[OsStr::new("describe"), js.as_os_str()]);
    let out = perfstat()
        .args(["describe", "-", "--format", "json"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let d: Doc = serde_json::from_slice(&out.stdout).unwrap();
    for other in [&b, &c, &d] {
        let (x, y) = (&a.samples[0], &other.samples[0]);
        assert_eq!(
            (x.n, x.mean, x.median, x.percentiles.p99),
            (y.n, y.mean, y.median, y.percentiles.p99)
        );
    }
    assert_eq!(d.samples[0].source, "<stdin>");
}

#[test]
fn markdown_and_out_dir() {
    let i = Inputs::new();
    let dir = i.dir.path().join("report");
    let out = perfstat()
        .args([
            "describe",
            "data/run.csv",
            "--metric",
            "latency_ms",
            "--by",
            "endpoint",
            "--format",
            "markdown",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("| statistic | `GET /products` | `POST /checkout` | `GET /cart` |"),
        "{md}"
    );
    assert!(md.contains("**Warnings**"), "{md}");
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.starts_with("# perfstat describe"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("describe.json")).unwrap()).unwrap();
    assert_eq!(doc["samples"].as_array().unwrap().len(), 3);
    let names: Vec<_> = std::fs::read_dir(i.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report"], "no temporary folder left behind");
}

#[test]
fn failed_run_leaves_no_report() {
    let i = Inputs::new();
    let bad = i.file("bad.csv", "x\n1\nfoo\n");
    let dir = i.dir.path().join("out");
    let out = perfstat()
        .args([
            OsStr::new("describe"),
            bad.as_os_str(),
            OsStr::new("--out"),
            dir.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.exists());
}

/// 25 groups with `--by`: the table shows 20 and says so; `--limit 2` and `--all`; the JSON has all.
#[test]
fn by_groups_are_limited_in_the_table_not_in_the_json() {
    let i = Inputs::new();
    let mut csv = String::from("group,latency_ms\n");
    for g in 0..25 {
        for k in 0..8 {
            csv.push_str(&format!("g{g:02},{}\n", 10 + g + k));
        }
    }
    let p = i.file("groups.csv", csv);
    let table = |extra: &[&str]| {
        let out = perfstat()
            .arg("describe")
            .arg(&p)
            .args(["--by", "group"])
            .args(extra)
            .success();
        String::from_utf8(out.stdout).unwrap()
    };
    let default = table(&[]);
    assert!(
        default.contains("· g19") && !default.contains("· g20"),
        "{default}"
    );
    assert!(
        default.contains("… 5 more samples not shown (20 of 25)"),
        "{default}"
    );
    let two = table(&["--limit", "2"]);
    assert!(
        two.contains("… 23 more samples not shown (2 of 25)"),
        "{two}"
    );
    let all = table(&["--all"]);
    assert!(all.contains("· g24") && !all.contains("not shown"), "{all}");
    // Markdown (stdout and the report folder's) has the same limit: one column per sample shown.
    let markdown = table(&["--format", "markdown"]);
    assert!(
        markdown.contains("`g19`") && !markdown.contains("`g20`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("… 5 more samples not shown (20 of 25)"),
        "{markdown}"
    );
    let markdown = table(&["--format", "markdown", "--all"]);
    assert!(
        markdown.contains("`g24`") && !markdown.contains("not shown"),
        "{markdown}"
    );
    let out = i.dir.path().join("report");
    table(&["--limit", "3", "--out", out.to_str().unwrap()]);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("`g02`") && !report.contains("`g03`"),
        "{report}"
    );
    assert!(
        report.contains("… 22 more samples not shown (3 of 25)"),
        "{report}"
    );
    let doc = json(&[
        "describe".as_ref(),
        p.as_os_str(),
        "--by".as_ref(),
        "group".as_ref(),
    ]);
    assert_eq!(doc.samples.len(), 25);
}
