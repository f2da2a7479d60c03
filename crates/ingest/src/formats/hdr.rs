//! HdrHistogram interval logs (`.hlog`: wrk2 `--u_latency`-style logs, HdrHistogram's
//! `HistogramLogWriter` in Java/Python/Rust, tools built on them): one base64 V2 (+DEFLATE) encoded
//! histogram per interval. Parsed with the `hdrhistogram` crate (its `IntervalLogIterator` and
//! `Deserializer`; nothing hand-written but the timestamps' base-time rule and the expansion below).
//!
//! A histogram keeps counts per bucket, not requests, so the reader says what it cannot know:
//!
//! - **values**: every recorded count becomes that many values at its bucket's *median equivalent*
//!   value (HdrHistogram's `median_equivalent`, the middle of the bucket, as its mean uses); they are
//!   exact only to the histogram's precision (e.g. 3 significant digits);
//! - **unit**: the log does not say; values are taken as microseconds (wrk2's and most writers'),
//!   [`ReadOptions::unit`](crate::ReadOptions::unit) overrides;
//! - **failures** are unknown ([`Requests::failures_unknown`](crate::Requests::failures_unknown));
//! - **order**: within an interval there is none ([`Dataset::not_time_ordered`]); the span is the
//!   intervals' (first start to last start + length), so the throughput is known.
//!
//! Timestamps follow Java's `HistogramLogReader`: an interval start below one year of seconds is
//! relative to `#[BaseTime: ...]` (or `#[StartTime: ...]`), a larger one is absolute.

use std::io::Read;

use base64::Engine as _;
use hdrhistogram::{
    Histogram,
    serialization::{
        Deserializer,
        interval_log::{IntervalLogIterator, LogEntry},
    },
};

use super::{Request, Sink, not_format, read_all, resolve_by};
use crate::{
    InputFormat, ReadOptions, Unit,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

/// At most this many values are expanded from the histograms (8 bytes each: 1 GiB).
const MAX_VALUES: u64 = 1 << 27;

/// Interval starts below this (one year, in seconds) are relative to the base time.
const RELATIVE_BELOW_S: f64 = 365.0 * 24.0 * 3600.0;

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::HdrLog;
    if let Some(m) = opts.metric.as_deref()
        && m != "latency"
    {
        return Err(Error::new(
            name,
            None,
            ErrorKind::UnknownMetric {
                name: m.to_owned(),
                available: vec!["latency".to_owned()],
            },
        ));
    }
    let (by, _) = resolve_by(opts, true, false, &[]).map_err(|k| Error::new(name, None, k))?;
    let bytes = read_all(name, reader)?;
    let exp10 = opts.unit.unwrap_or(Unit::Microseconds).exp10_to_ms();
    let mut sink = Sink::new(name, format, opts, by);
    let mut base_s: Option<f64> = None;
    let mut start_s: Option<f64> = None;
    let (mut first, mut last) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut expanded = 0u64;
    let mut intervals = 0u64;
    let mut deserializer = Deserializer::new();
    for entry in IntervalLogIterator::new(&bytes) {
        let entry = entry.map_err(|e| {
            let hdrhistogram::serialization::interval_log::LogIteratorError::ParseError { offset } =
                e;
            let line =
                1 + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() as u64;
            not_format(
                name,
                Some(line),
                format,
                "not an interval log line".to_owned(),
            )
        })?;
        let h = match entry {
            LogEntry::BaseTime(t) => {
                base_s = Some(t.as_secs_f64());
                continue;
            }
            LogEntry::StartTime(t) => {
                start_s = Some(t.as_secs_f64());
                continue;
            }
            LogEntry::Interval(h) => h,
        };
        intervals += 1;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(h.encoded_histogram())
            .map_err(|e| {
                not_format(
                    name,
                    None,
                    format,
                    format!("interval {intervals}: invalid base64: {e}"),
                )
            })?;
        let hist: Histogram<u64> = deserializer.deserialize(&mut raw.as_slice()).map_err(|e| {
            not_format(
                name,
                None,
                format,
                format!("interval {intervals}: invalid histogram: {e:?}"),
            )
        })?;
        expanded = expanded.saturating_add(hist.len());
        if expanded > MAX_VALUES {
            return Err(not_format(
                name,
                None,
                format,
                format!(
                    "the histograms hold more than {MAX_VALUES} values, more than perfstat expands"
                ),
            ));
        }
        let t = h.start_timestamp().as_secs_f64();
        let t = if t < RELATIVE_BELOW_S {
            t + base_s.or(start_s).unwrap_or(0.0)
        } else {
            t
        };
        first = first.min(t);
        last = last.max(t + h.duration().as_secs_f64());
        let label = h.tag().map(|t| t.as_str()).unwrap_or_default();
        for v in hist.iter_recorded() {
            let value =
                super::scale_f64(hist.median_equivalent(v.value_iterated_to()) as f64, exp10);
            let r = Request {
                latency: value,
                label: label.as_bytes(),
                ..Request::default()
            };
            for _ in 0..v.count_at_value() {
                sink.push(&r, b"", 0)?;
            }
        }
    }
    if intervals == 0 {
        return Err(Error::new(name, None, ErrorKind::NoDataRows));
    }
    sink.set_span_if_unknown(first * 1000.0, last * 1000.0);
    let mut data = sink.finish("latency".to_owned(), Some("ms"))?;
    data.not_time_ordered = Some(
        "an interval histogram keeps counts per bucket, not the order of the requests".to_owned(),
    );
    if let Some(r) = &mut data.requests {
        r.failures_unknown = Some(
            "an HdrHistogram log records latencies only: which requests failed is unknown"
                .to_owned(),
        );
    }
    Ok(data)
}
