//! `perfstat describe`.

use anyhow::Context as _;
use perfstat_ingest::{Records, Requests};
use perfstat_report::OutDir;
use perfstat_report::describe::DescribeReport;
use perfstat_report::fmt::unit_from_name;
use perfstat_report::json::TimelineDoc;
use perfstat_stats::{Confidence, describe};

use crate::Outcome;
use crate::args::{Bucket, DescribeArgs};
use crate::commands::{evaluate_slos, input_doc, read_inputs_with, sample, slo_gate};
use crate::output;

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<Outcome> {
    let confidence = Confidence::new(args.confidence)?;
    // The throughput timeline (asked for with --bucket) needs the requests' start times.
    let inputs_read = read_inputs_with(&args.files, &args.input, args.timeline.bucket.is_some())?;
    let metric = inputs_read
        .first()
        .map(|d| d.data.metric.clone())
        .unwrap_or_default();
    let unit = inputs_read
        .first()
        .and_then(|d| d.data.unit)
        .or_else(|| unit_from_name(&metric));
    let several_files = inputs_read.len() > 1;
    let mut inputs = Vec::with_capacity(inputs_read.len());
    let mut samples = Vec::new();
    let mut slos = Vec::new();
    for read in inputs_read {
        let mut ds = read.data;
        let mut doc = input_doc(&ds, read.warmup.as_ref(), confidence.level());
        if let (Some(records), Some(requests)) = (ds.records.take(), &ds.requests) {
            let width = match args.timeline.bucket {
                Some(Bucket::Seconds(s)) => Some(s),
                _ => None,
            };
            doc.throughput_timeline = timeline(&records, requests, width);
        }
        inputs.push(doc);
        for group in ds.groups {
            let source = match (&group.label, several_files) {
                (None, _) => ds.source.clone(),
                (Some(label), false) => label.clone(),
                (Some(label), true) => format!("{} · {label}", ds.source),
            };
            let s = sample(&source, group.values)?;
            slos.push(
                evaluate_slos(&args.slo.slo, &s, ds.requests.as_ref(), confidence)
                    .with_context(|| format!("--slo on {source}"))?,
            );
            samples.push((source, describe(&s, confidence)));
        }
    }
    let report = DescribeReport {
        unit: unit.map(str::to_owned),
        metric,
        confidence: confidence.level(),
        inputs,
        samples,
        slos,
    };
    let json = output::json_doc(&report.to_json())?;
    if let Some(dir) = &args.output.out {
        output::finish_report(OutDir::create(dir)?, "describe", &report.markdown(), &json)?;
    }
    output::print_result(
        args.output.format,
        || report.table(),
        &json,
        || report.markdown(),
    )?;
    let failed = report.slos.iter().any(|r| slo_gate(&args.slo, r));
    Ok(if failed {
        Outcome::Finding
    } else {
        Outcome::Success
    })
}

/// Requests per second in buckets of `bucket_s` seconds (default: a round width giving about 50
/// buckets) by request start, from the run's first start; `None` without timestamps.
fn timeline(records: &Records, requests: &Requests, bucket_s: Option<f64>) -> Option<TimelineDoc> {
    let start = records
        .timestamp_ms
        .iter()
        .copied()
        .filter(|t| t.is_finite())
        .reduce(f64::min)?;
    let end = requests.end_ms.filter(|e| e.is_finite())?.max(start);
    let span_s = (end - start) / 1000.0;
    let bucket = bucket_s.unwrap_or_else(|| nice_width(span_s / 50.0));
    let count = ((span_s / bucket).ceil() as usize).clamp(1, 1_000_000);
    let mut reqs = vec![0u64; count];
    let mut fails = vec![0u64; count];
    for (t, ok) in records.timestamp_ms.iter().zip(&records.success) {
        if !t.is_finite() {
            continue;
        }
        let k = (((t - start) / 1000.0 / bucket) as usize).min(count - 1);
        reqs[k] += 1;
        if !ok {
            fails[k] += 1;
        }
    }
    let rps = reqs
        .iter()
        .enumerate()
        .map(|(k, &n)| {
            let lo = k as f64 * bucket;
            let width = if k + 1 == count {
                (span_s - lo).min(bucket)
            } else {
                bucket
            };
            n as f64 / if width > 0.0 { width } else { bucket }
        })
        .collect();
    Some(TimelineDoc {
        bucket_s: bucket,
        start_ms: start,
        requests: reqs,
        failures: fails,
        rps,
    })
}

/// The smallest of 1, 2, 5 × 10^k seconds (at least 1 ms) that is at least `raw`.
fn nice_width(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.001 {
        return 0.001;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|w| *w >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(0.0), 0.001);
        assert_eq!(nice_width(1.2), 2.0);
        assert_eq!(nice_width(2.0), 2.0);
        assert_eq!(nice_width(3.0), 5.0);
        assert_eq!(nice_width(7.0), 10.0);
        assert!((nice_width(0.013) - 0.02).abs() < 1e-15);
    }

    #[test]
    fn timeline_buckets() {
        let records = Records {
            latency_ms: vec![10.0; 5],
            timestamp_ms: vec![0.0, 500.0, 1500.0, 2500.0, 2600.0],
            success: vec![true, true, false, true, true],
            ..Records::default()
        };
        let requests = Requests {
            total: 5,
            start_ms: Some(0.0),
            end_ms: Some(3000.0),
            ..Requests::default()
        };
        let t = timeline(&records, &requests, Some(1.0)).unwrap();
        assert_eq!(t.requests, [2, 1, 2]);
        assert_eq!(t.failures, [0, 1, 0]);
        assert_eq!(t.rps, [2.0, 1.0, 2.0]);
        let t = timeline(&records, &requests, Some(2.0)).unwrap();
        assert_eq!(t.requests, [3, 2]);
        assert_eq!(t.rps, [1.5, 2.0]); // the last bucket is 1 s wide
    }
}
