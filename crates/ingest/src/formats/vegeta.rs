//! vegeta `encode --to csv` (no header; 6, 7, 9 or 12 columns by version; nanoseconds) and
//! `encode --to json` (NDJSON; nanoseconds).

use std::{borrow::Cow, io::Read};

use csv::ByteRecord;
use serde::Deserialize;

use super::{
    By, Lines, Request, Sink, field_count, is_blank, json_line_error, line_of, next_record,
    not_format, ok_status, parse_rfc3339_ms, parse_scaled, parse_status, resolve_by, scale_f64,
    value_at,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// Whether a first line looks like vegeta CSV: a nanosecond timestamp, a status code, a latency, and at
/// least six fields.
pub(crate) fn looks_like_csv(line: &[u8]) -> bool {
    let mut fields = line.split(|&b| b == b',');
    let digits = |f: Option<&[u8]>, min: usize, max: usize| {
        f.is_some_and(|f| (min..=max).contains(&f.len()) && f.iter().all(u8::is_ascii_digit))
    };
    digits(fields.next(), 16, 20)
        && digits(fields.next(), 1, 3)
        && digits(fields.next(), 1, 20)
        && line.iter().filter(|&&b| b == b',').count() >= 5
}

fn check_metric(name: &str, opts: &ReadOptions) -> Result<()> {
    match opts.metric.as_deref() {
        None | Some("latency") => Ok(()),
        Some(m) => Err(Error::new(
            name,
            None,
            ErrorKind::UnknownMetric {
                name: m.to_owned(),
                available: vec!["latency".to_owned()],
            },
        )),
    }
}

const CUSTOM: [&str; 3] = ["method", "url", "attack"];

pub(crate) fn read_csv<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::VegetaCsv;
    check_metric(name, opts)?;
    let (by, by_key) =
        resolve_by(opts, true, true, &CUSTOM).map_err(|k| Error::new(name, None, k))?;
    let mut csv = super::csv_reader(reader, b',');
    let mut record = ByteRecord::new();
    let mut sink = Sink::new(name, format, opts, by);
    let mut width = 0;
    while next_record(name, &mut csv, &mut record)? {
        if is_blank(&record) {
            continue;
        }
        let line = line_of(&record);
        if width == 0 {
            let first = record.get(0).unwrap_or_default();
            if record.len() < 6 || first.is_empty() || !first.iter().all(u8::is_ascii_digit) {
                return Err(not_format(
                    name,
                    Some(line),
                    format,
                    "expected no header and at least 6 fields, the first a timestamp in nanoseconds"
                        .to_owned(),
                ));
            }
            width = record.len();
        }
        if record.len() != width {
            sink.fail(field_count(name, &record, width))?;
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let parsed = value_at(name, "timestamp", field(0), -6, line, Some(0))
            .and_then(|t| value_at(name, "latency", field(2), -6, line, Some(2)).map(|l| (t, l)));
        let (start, latency) = match parsed {
            Ok(v) => v,
            Err(e) => {
                sink.fail(e)?;
                continue;
            }
        };
        let status = parse_status(field(1));
        let error = field(5);
        // Label: the URL (12 columns), else the attack name (9 columns).
        let label = if width >= 11 {
            field(10)
        } else if width >= 8 {
            field(7)
        } else {
            b""
        };
        let r = Request {
            latency,
            start_ms: start,
            ok: ok_status(status) && error.is_empty(),
            status,
            label,
            bytes: parse_scaled(field(4), 0).map_or(0, |b| b as u64),
            message: error,
        };
        let custom: &[u8] = match (by, by_key) {
            (By::Custom, Some(0)) => field(9),
            (By::Custom, Some(1)) => field(10),
            (By::Custom, Some(_)) => field(7),
            _ => b"",
        };
        if let Err(e) = sink.push(&r, custom, line) {
            sink.fail(e)?;
        }
    }
    sink.finish("latency".to_owned(), Some("ms"))
}

#[derive(Deserialize)]
struct Hit<'a> {
    #[serde(borrow)]
    attack: Option<Cow<'a, str>>,
    code: Option<u16>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    latency: Option<f64>,
    bytes_in: Option<u64>,
    #[serde(borrow)]
    error: Option<Cow<'a, str>>,
    #[serde(borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
}

pub(crate) fn read_json<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::VegetaJson;
    check_metric(name, opts)?;
    let (by, by_key) =
        resolve_by(opts, true, true, &CUSTOM).map_err(|k| Error::new(name, None, k))?;
    let mut sink = Sink::new(name, format, opts, by);
    let mut lines = Lines::new(reader);
    while let Some((number, line)) = lines.next_line(name)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let hit: Hit<'_> = match serde_json::from_slice(line) {
            Ok(h) => h,
            Err(e) => {
                sink.fail(json_line_error(name, e, number, line))?;
                continue;
            }
        };
        let Some(latency) = hit.latency.filter(|v| v.is_finite()) else {
            if sink.is_empty() {
                return Err(not_format(
                    name,
                    Some(number),
                    format,
                    "no \"latency\" field in the first record".to_owned(),
                ));
            }
            let e = Error::row(
                name,
                Position::line(number),
                ErrorKind::MissingField {
                    name: "latency".to_owned(),
                },
            );
            sink.fail(e)?;
            continue;
        };
        let status = hit.code.unwrap_or(0);
        let error = hit.error.as_deref().unwrap_or("");
        let url = hit.url.as_deref().unwrap_or("");
        let attack = hit.attack.as_deref().unwrap_or("");
        let r = Request {
            latency: scale_f64(latency, -6),
            start_ms: hit
                .timestamp
                .as_deref()
                .and_then(|t| parse_rfc3339_ms(t.as_bytes()))
                .unwrap_or(f64::NAN),
            ok: ok_status(status) && error.is_empty(),
            status,
            label: if url.is_empty() { attack } else { url }.as_bytes(),
            bytes: hit.bytes_in.unwrap_or(0),
            message: error.as_bytes(),
        };
        let custom: &[u8] = match (by, by_key) {
            (By::Custom, Some(0)) => hit.method.as_deref().unwrap_or("").as_bytes(),
            (By::Custom, Some(1)) => url.as_bytes(),
            (By::Custom, Some(_)) => attack.as_bytes(),
            _ => b"",
        };
        if let Err(e) = sink.push(&r, custom, number) {
            sink.fail(e)?;
        }
    }
    sink.finish("latency".to_owned(), Some("ms"))
}
