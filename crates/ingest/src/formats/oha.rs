//! oha (<https://github.com/hatoo/oha>), from its source (`src/printer.rs`, 1.9–1.16):
//!
//! - `--output-format csv` (since 1.9.0): a header `request-start,DNS,DNS+dialup,Response-delay,
//!   request-duration,bytes,status` (the first 1.9 builds lack `Response-delay`), then one row per
//!   *response*, sorted by start; times in seconds, `request-start` since the run began. Transport errors
//!   (connection refused, timeouts) are not written, as in hey's CSV: a status ≥ 400 is a failure.
//! - `--output-format json`: the run's summary (`summary`, `latencyPercentiles`, `responseTimeHistogram`
//!   of 11 equal-width bins, `statusCodeDistribution`, `errorDistribution`, ...), seconds. It holds no
//!   latency per request, so reading it is an error that quotes its figures (requests, statuses, errors,
//!   requests/s, percentiles) and says what would give per-request values.
//!
//! oha's percentiles (`percentile_iter`) are `sorted[⌊p/100 · n⌋]` (0-based) of all responses' durations,
//! failed statuses included; its `successRate` counts only transport errors as failures.

use std::{collections::BTreeMap, io::Read};

use serde::Deserialize;

use super::{
    read_all,
    simple::{Layout, read_simple},
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

/// Whether a header is oha's CSV header.
pub(crate) fn is_csv_header(names: &[String]) -> bool {
    let has = |n: &str| names.iter().any(|f| f == n);
    has("request-start") && has("request-duration") && has("status")
}

/// Whether a JSON document's top-level keys are oha's summary.
pub(crate) fn is_json_summary(keys: &[String]) -> bool {
    let has = |n: &str| keys.iter().any(|f| f == n);
    has("summary")
        && (has("latencyPercentiles") || has("responseTimeHistogram"))
        && has("statusCodeDistribution")
}

pub(crate) fn read_csv<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_simple(
        name,
        reader,
        opts,
        &Layout {
            format: InputFormat::OhaCsv,
            delimiter: b',',
            signature: "request-duration",
            metrics: &["request-duration", "DNS", "DNS+dialup", "Response-delay"],
            exp10: 3,
            status: Some("status"),
            start: Some(("request-start", 3)),
        },
    )
}

#[derive(Deserialize)]
struct Summary {
    summary: Totals,
    #[serde(rename = "latencyPercentiles", default)]
    latency_percentiles: BTreeMap<String, Option<f64>>,
    #[serde(rename = "statusCodeDistribution", default)]
    status_code_distribution: BTreeMap<String, u64>,
    #[serde(rename = "errorDistribution", default)]
    error_distribution: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct Totals {
    total: Option<f64>,
    #[serde(rename = "requestsPerSec")]
    requests_per_sec: Option<f64>,
}

/// `x` seconds as milliseconds with up to 3 decimals, trailing zeros removed.
fn ms(x: f64) -> String {
    let text = format!("{:.3}", x * 1000.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} ms")
}

/// The figures of oha's JSON summary, for the message: `300 requests (300 responses by status: 200:
/// 240, 500: 60; 0 transport errors); 3.7712 s, 79.5510 requests/s; latency p10 44.076 ms, ...`.
fn figures(s: &Summary) -> String {
    let responses: u64 = s.status_code_distribution.values().sum();
    let errors: u64 = s.error_distribution.values().sum();
    let mut parts = Vec::new();
    let statuses: Vec<String> = s
        .status_code_distribution
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    parts.push(format!(
        "{} requests ({} responses by status: {}; {errors} transport errors)",
        responses + errors,
        responses,
        if statuses.is_empty() {
            "none".to_owned()
        } else {
            statuses.join(", ")
        }
    ));
    if let (Some(t), Some(r)) = (s.summary.total, s.summary.requests_per_sec) {
        parts.push(format!("{t:.4} s, {r:.4} requests/s"));
    }
    // The percentiles in their numeric order (the keys are `p10`, `p99.9`, ...).
    let mut ps: Vec<(f64, &str, f64)> = s
        .latency_percentiles
        .iter()
        .filter_map(|(k, v)| {
            let p: f64 = k.strip_prefix('p')?.parse().ok()?;
            Some((p, k.as_str(), (*v)?))
        })
        .collect();
    ps.sort_by(|a, b| a.0.total_cmp(&b.0));
    if !ps.is_empty() {
        let text: Vec<String> = ps
            .iter()
            .map(|(_, k, v)| format!("{k} {}", ms(*v)))
            .collect();
        parts.push(format!("latency {}", text.join(", ")));
    }
    parts.join("; ")
}

pub(crate) fn read_json<R: Read>(name: &str, reader: R, _opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::OhaJson;
    let bytes = read_all(name, reader)?;
    let summary: Summary = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_data() && e.to_string().starts_with("missing field `summary`") {
            super::not_format(name, None, format, "no \"summary\" object".to_owned())
        } else {
            super::json_error(name, e, &bytes)
        }
    })?;
    Err(Error::new(
        name,
        None,
        ErrorKind::AggregateOnly {
            format,
            hint: format!(
                "{}; no latency per request, so percentiles with intervals and tests cannot be \
                 computed from it (oha's `--output-format csv` writes one row per response)",
                figures(&summary)
            ),
        },
    ))
}
