//! k6 `--out json` (NDJSON Metric and Point lines) and `--out csv` (one row per sample).
//!
//! One metric is read: `http_req_duration` by default, any other by [`ReadOptions::metric`]. A request
//! failed when its `expected_response` tag is `false`; without that tag, the `http_req_failed` point k6
//! writes after the duration (same time) decides, else the `status` tag (200–399 succeed).

use std::{
    borrow::Cow,
    fmt,
    io::{BufRead, BufReader, Read},
};

use csv::ByteRecord;
use serde::{
    Deserialize,
    de::{Deserializer, MapAccess, Visitor},
};

use super::{
    By, Lines, Request, Sink, csv_header, field_count, is_blank, json_line_error, line_of,
    next_record, not_format, ok_status, parse_epoch_ms, parse_rfc3339_ms, parse_status,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

const DEFAULT_METRIC: &str = "http_req_duration";
const FAILED: &str = "http_req_failed";

/// k6's built-in metrics whose values are times (milliseconds).
const TIME_METRICS: [&str; 10] = [
    "http_req_duration",
    "http_req_blocked",
    "http_req_connecting",
    "http_req_tls_handshaking",
    "http_req_sending",
    "http_req_waiting",
    "http_req_receiving",
    "iteration_duration",
    "group_duration",
    "grpc_req_duration",
];

/// One sample of the metric, before its success is known.
#[derive(Default)]
struct Point {
    value: f64,
    end_ms: f64,
    /// `expected_response` tag, when present.
    expected: Option<bool>,
    status: u16,
    label: Vec<u8>,
    message: Vec<u8>,
    custom: Vec<u8>,
    line: u64,
}

/// Turns points into requests, pairing a duration without `expected_response` with the next
/// `http_req_failed` point.
struct Points<'o> {
    sink: Sink<'o>,
    /// Durations are measured back from the point's time (the request's end).
    duration: bool,
    /// A point waiting for its `http_req_failed`.
    pending: Option<Point>,
}

impl Points<'_> {
    fn point(&mut self, p: Point) -> Result<()> {
        self.flush(None)?;
        if p.expected.is_none() && self.duration {
            self.pending = Some(p);
            return Ok(());
        }
        self.emit(&p, None)
    }

    /// Whether an `http_req_failed` point is awaited.
    fn waiting(&self) -> bool {
        self.pending.is_some()
    }

    /// The pending point, with success from `http_req_failed` (`Some(failed)`) or its status.
    fn flush(&mut self, failed: Option<bool>) -> Result<()> {
        match self.pending.take() {
            Some(p) => self.emit(&p, failed),
            None => Ok(()),
        }
    }

    fn emit(&mut self, p: &Point, failed: Option<bool>) -> Result<()> {
        let ok = match (p.expected, failed) {
            (Some(e), _) => e,
            (None, Some(f)) => !f,
            (None, None) if p.status > 0 || !p.message.is_empty() => {
                ok_status(p.status) && p.message.is_empty()
            }
            (None, None) => true,
        };
        let start = if self.duration {
            p.end_ms - p.value
        } else {
            p.end_ms
        };
        let r = Request {
            latency: p.value,
            start_ms: start,
            ok,
            status: p.status,
            label: &p.label,
            bytes: 0,
            message: &p.message,
        };
        if let Err(e) = self.sink.push(&r, &p.custom, p.line) {
            self.sink.fail(e)?;
        }
        Ok(())
    }
}

/// Resolves `by` for k6: `label` (the `name` tag), `status`, or any tag.
fn k6_by(opts: &ReadOptions) -> (By, Option<&str>) {
    match opts.by.as_deref() {
        None => (By::None, None),
        Some(b) if b.eq_ignore_ascii_case("label") => (By::Label, None),
        Some("status") => (By::Status, None),
        Some(tag) => (By::Custom, Some(tag)),
    }
}

fn unit_of(metric: &str) -> Option<&'static str> {
    (TIME_METRICS.contains(&metric) || metric.ends_with("_duration")).then_some("ms")
}

// ----------------------------------------------------------------------------------------------------
// NDJSON

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    metric: Option<Cow<'a, str>>,
    #[serde(borrow)]
    data: Option<Data<'a>>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(borrow)]
    time: Option<Cow<'a, str>>,
    value: Option<f64>,
    #[serde(borrow)]
    tags: Option<Tags<'a>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    contains: Option<Cow<'a, str>>,
}

/// A Point's tags, in order (string values; others are skipped).
#[derive(Default)]
struct Tags<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Tags<'a> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Tags<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Tags<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of tags")
            }
            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(Tags::default())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut tags = Vec::new();
                while let Some(key) = map.next_key::<Cow<'a, str>>()? {
                    let value: TagValue<'a> = map.next_value()?;
                    if let TagValue(Some(v)) = value {
                        tags.push((key, v));
                    }
                }
                Ok(Tags(tags))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A tag value: a string, or anything else (ignored).
struct TagValue<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for TagValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any<'a> {
            Str(#[serde(borrow)] Cow<'a, str>),
            Other(serde::de::IgnoredAny),
        }
        Ok(match Any::deserialize(d)? {
            Any::Str(s) => TagValue(Some(s)),
            Any::Other(_) => TagValue(None),
        })
    }
}

/// The metric name of a k6 line, found without parsing it (`"metric":"NAME"`), when it has no escapes.
fn quick_metric(line: &[u8]) -> Option<&[u8]> {
    const KEY: &[u8] = br#""metric":""#;
    let at = memchr::memmem::find(line, KEY)? + KEY.len();
    let rest = &line[at..];
    let end = memchr::memchr2(b'"', b'\\', rest)?;
    (rest[end] == b'"').then(|| &rest[..end])
}

pub(crate) fn read_json<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::K6Json;
    let wanted = opts.metric.as_deref().unwrap_or(DEFAULT_METRIC);
    let (by, tag) = k6_by(opts);
    let mut points = Points {
        sink: Sink::new(name, format, opts, by),
        duration: wanted.starts_with("http_req_"),
        pending: None,
    };
    let mut unit = unit_of(wanted);
    let mut lines = Lines::new(reader);
    let mut seen_k6 = false;
    let mut metrics: Vec<String> = Vec::new();
    while let Some((number, line)) = lines.next_line(name)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Some(m) = quick_metric(line)
            && m != wanted.as_bytes()
            && !(m == FAILED.as_bytes() && points.waiting())
            && seen_k6
            && memchr::memmem::find(line, br#""type":"Point""#).is_some()
        {
            continue;
        }
        let parsed: Line<'_> = match serde_json::from_slice(line) {
            Ok(l) => l,
            Err(e) => {
                if !seen_k6 {
                    return Err(not_format(
                        name,
                        Some(number),
                        format,
                        format!("line {number} is not a k6 JSON line ({e})"),
                    ));
                }
                points.sink.fail(json_line_error(name, e, number, line))?;
                continue;
            }
        };
        let kind = parsed.kind.as_deref().unwrap_or("");
        let metric = parsed.metric.as_deref().unwrap_or("");
        match (kind, parsed.data) {
            ("Metric", Some(data)) => {
                seen_k6 = true;
                let declared = data.name.as_deref().unwrap_or(metric);
                if metrics.len() < 200 && !metrics.iter().any(|m| m == declared) {
                    metrics.push(declared.to_owned());
                }
                if declared == wanted {
                    unit = (data.contains.as_deref() == Some("time")).then_some("ms");
                }
            }
            ("Point", Some(data)) => {
                seen_k6 = true;
                if metric != wanted && metric != FAILED {
                    if metrics.len() < 200 && !metrics.iter().any(|m| m == metric) {
                        metrics.push(metric.to_owned());
                    }
                    continue;
                }
                let Some(value) = data.value.filter(|v| v.is_finite()) else {
                    let e = Error::row(
                        name,
                        Position::line(number),
                        ErrorKind::MissingField {
                            name: "data.value".to_owned(),
                        },
                    );
                    points.sink.fail(e)?;
                    continue;
                };
                if metric == FAILED && metric != wanted {
                    points.flush(Some(value != 0.0))?;
                    continue;
                }
                let tags = data.tags.unwrap_or_default();
                if let (By::Custom, Some(t)) = (by, tag)
                    && tags.get(t).is_none()
                    && points.sink.is_empty()
                {
                    let tags = tags.0.iter().map(|(k, _)| k.to_string());
                    return Err(unknown_by(name, number, t, tags));
                }
                let text = |k: &str| tags.get(k).unwrap_or("").as_bytes().to_vec();
                let end_ms = data
                    .time
                    .as_deref()
                    .and_then(|t| parse_rfc3339_ms(t.as_bytes()))
                    .unwrap_or(f64::NAN);
                let label = match tags.get("name") {
                    Some(n) => n.as_bytes().to_vec(),
                    None => text("url"),
                };
                points.point(Point {
                    value,
                    end_ms,
                    expected: tags.get("expected_response").map(|v| v != "false"),
                    status: parse_status(tags.get("status").unwrap_or("").as_bytes()),
                    label,
                    message: text("error"),
                    custom: tag.map(text).unwrap_or_default(),
                    line: number,
                })?;
            }
            _ if !seen_k6 => {
                return Err(not_format(
                    name,
                    Some(number),
                    format,
                    format!(
                        "line {number} is not a k6 Metric or Point (expected \"type\":\"Point\" or \"Metric\")"
                    ),
                ));
            }
            _ => {
                let e = Error::row(
                    name,
                    Position::line(number),
                    ErrorKind::NotFormat {
                        format,
                        reason: "not a k6 Metric or Point line".to_owned(),
                    },
                );
                points.sink.fail(e)?;
            }
        }
    }
    points.flush(None)?;
    if points.sink.is_empty() && !metrics.is_empty() && !metrics.iter().any(|m| m == wanted) {
        return Err(unknown_metric(name, wanted, metrics));
    }
    points.sink.finish(wanted.to_owned(), unit)
}

/// No row of the metric `wanted`: the metrics the file has.
fn unknown_metric(name: &str, wanted: &str, metrics: Vec<String>) -> Error {
    Error::new(
        name,
        None,
        ErrorKind::UnknownMetric {
            name: wanted.to_owned(),
            available: metrics,
        },
    )
}

/// No tag or column `by` (at `line`): `label`, `status` and the tags or columns there are.
fn unknown_by(name: &str, line: u64, by: &str, found: impl Iterator<Item = String>) -> Error {
    let mut available = vec!["label".to_owned(), "status".to_owned()];
    available.extend(found);
    Error::new(
        name,
        Some(Position::line(line)),
        ErrorKind::UnknownBy {
            name: by.to_owned(),
            available,
        },
    )
}

// ----------------------------------------------------------------------------------------------------
// CSV

pub(crate) fn read_csv<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::K6Csv;
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    reader
        .fill_buf()
        .map_err(|e| Error::new(name, None, crate::error::io_kind(e)))?;
    let mut csv = super::csv_reader(reader, b',');
    let mut record = ByteRecord::new();
    let (header, header_line) = csv_header(name, &mut csv, &mut record)?;
    let (Some(metric_col), Some(value_col)) =
        (header.find("metric_name"), header.find("metric_value"))
    else {
        return Err(not_format(
            name,
            Some(header_line),
            format,
            format!(
                "no \"metric_name\" and \"metric_value\" columns in the header ({})",
                super::shorten_list(&header.names)
            ),
        ));
    };
    let col = |n: &str| header.find(n);
    let (time_col, expected_col, status_col, name_col, url_col, error_col) = (
        col("timestamp"),
        col("expected_response"),
        col("status"),
        col("name"),
        col("url"),
        col("error"),
    );
    let wanted = opts.metric.as_deref().unwrap_or(DEFAULT_METRIC);
    let (by, tag) = k6_by(opts);
    let by_col = match tag {
        Some(t) => Some(
            header
                .find(t)
                .ok_or_else(|| unknown_by(name, header_line, t, header.names.iter().cloned()))?,
        ),
        None => None,
    };
    let mut points = Points {
        sink: Sink::new(name, format, opts, by),
        duration: wanted.starts_with("http_req_"),
        pending: None,
    };
    let width = header.names.len();
    let mut metrics: Vec<String> = Vec::new();
    while next_record(name, &mut csv, &mut record)? {
        if record.len() != width {
            if is_blank(&record) {
                continue;
            }
            points.sink.fail(field_count(name, &record, width))?;
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let metric = field(Some(metric_col));
        let is_failed = metric == FAILED.as_bytes() && wanted != FAILED;
        if metric != wanted.as_bytes() && !is_failed {
            if metrics.len() < 200 && !metrics.iter().any(|m| m.as_bytes() == metric) {
                metrics.push(String::from_utf8_lossy(metric).into_owned());
            }
            continue;
        }
        if is_failed && !points.waiting() {
            continue;
        }
        let line = line_of(&record);
        let value = match super::value_at(
            name,
            "metric_value",
            field(Some(value_col)),
            0,
            line,
            Some(value_col),
        ) {
            Ok(v) => v,
            Err(e) => {
                points.sink.fail(e)?;
                continue;
            }
        };
        if is_failed {
            points.flush(Some(value != 0.0))?;
            continue;
        }
        let label = match field(name_col) {
            b"" => field(url_col),
            n => n,
        };
        let expected = match field(expected_col).trim_ascii() {
            b"true" => Some(true),
            b"false" => Some(false),
            _ => None,
        };
        points.point(Point {
            value,
            end_ms: parse_epoch_ms(field(time_col)).unwrap_or(f64::NAN),
            expected,
            status: parse_status(field(status_col)),
            label: label.to_vec(),
            message: field(error_col).to_vec(),
            custom: field(by_col).to_vec(),
            line,
        })?;
    }
    points.flush(None)?;
    if points.sink.is_empty() && !metrics.is_empty() {
        return Err(unknown_metric(name, wanted, metrics));
    }
    points.sink.finish(wanted.to_owned(), unit_of(wanted))
}
