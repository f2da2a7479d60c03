//! Readers for the outputs of load-test and benchmark tools, and what they share: detection, the
//! per-request [`Sink`], units, timestamps.
//!
//! Every tool reader turns its input into [`Request`]s (latency in milliseconds, start time, success,
//! status, label, bytes) and pushes them into a [`Sink`], which keeps only what the result needs: the
//! latencies of the kept requests, grouped; counts of requests and failures (by kind); the time span; and,
//! when asked for, per-request columns ([`Records`](crate::Records)).

mod apache_bench;
mod gatling;
mod hey;
mod hyperfine;
mod jmeter;
mod jmeter_xml;
mod k6;
mod llmperf;
mod locust;
mod rows;
mod simple;
mod vegeta;
mod vllm;

use std::{
    collections::HashMap,
    fmt,
    io::{self, BufRead, BufReader, Read},
    str::FromStr,
};

use csv::{ByteRecord, ReaderBuilder};

use crate::{
    InputFormat, ReadOptions,
    dataset::{BadValue, Dataset, Groups, Records, Requests, bad_value_kind, shorten},
    error::{Error, ErrorKind, Position, Result, csv_kind, io_kind},
};

/// A unit of time, for [`ReadOptions::unit`]: values of a generic input are converted from it to
/// milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unit {
    /// Nanoseconds (`ns`).
    Nanoseconds,
    /// Microseconds (`us`, `µs`).
    Microseconds,
    /// Milliseconds (`ms`).
    Milliseconds,
    /// Seconds (`s`).
    Seconds,
}

impl Unit {
    /// The unit's symbol: `ns`, `us`, `ms`, `s`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Nanoseconds => "ns",
            Unit::Microseconds => "us",
            Unit::Milliseconds => "ms",
            Unit::Seconds => "s",
        }
    }

    /// The power of ten that converts this unit to milliseconds (`s` → 3, `ns` → −6).
    pub fn exp10_to_ms(self) -> i32 {
        match self {
            Unit::Nanoseconds => -6,
            Unit::Microseconds => -3,
            Unit::Milliseconds => 0,
            Unit::Seconds => 3,
        }
    }

    /// Converts a value in this unit to milliseconds, as if the decimal point of its shortest decimal
    /// representation had been moved (so `0.0161` s is exactly the `f64` nearest to `16.1` ms).
    pub fn to_ms(self, value: f64) -> f64 {
        scale_f64(value, self.exp10_to_ms())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Unit`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit \"{0}\"; expected one of: ms, s, us, ns")]
pub struct UnknownUnit(pub String);

impl FromStr for Unit {
    type Err = UnknownUnit;

    /// Accepts `ns`, `us` (or `µs`), `ms`, `s` (ASCII case ignored).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ns" => Ok(Unit::Nanoseconds),
            "us" | "µs" => Ok(Unit::Microseconds),
            "ms" => Ok(Unit::Milliseconds),
            "s" => Ok(Unit::Seconds),
            _ => Err(UnknownUnit(s.to_owned())),
        }
    }
}

/// Recognises a tool's format from the first bytes of the (decompressed) content; `None` for anything
/// else (then the generic formats apply).
pub(crate) fn detect(head: &[u8]) -> Option<InputFormat> {
    if let Some(format) = InputFormat::from_magic(head) {
        return Some(format);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.first() == Some(&0) {
        // Gatling ≥ 3.13 writes a binary log starting with a RUN record header (0).
        return Some(InputFormat::Gatling);
    }
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &head[start..];
    let line = first_line(text);
    if jmeter_xml::looks_like(text) {
        return Some(InputFormat::JmeterXml);
    }
    if line.starts_with(b"RUN\t") || line.starts_with(b"ASSERTION\t") {
        return Some(InputFormat::Gatling);
    }
    let has = |hay: &[u8], needle: &str| memchr::memmem::find(hay, needle.as_bytes()).is_some();
    match text.first() {
        Some(b'{') => {
            if has(line, r#""type":"Point""#) || has(line, r#""type":"Metric""#) {
                return Some(InputFormat::K6Json);
            }
            if line.starts_with(br#"{"attack":"#)
                || (has(line, r#""latency":"#) && has(line, r#""code":"#) && has(line, r#""seq":"#))
            {
                return Some(InputFormat::VegetaJson);
            }
            let after = text[1..].trim_ascii_start();
            if after.starts_with(br#""results""#) && has(text, r#""command""#) {
                return Some(InputFormat::Hyperfine);
            }
            if has(text, r#""ttfts""#)
                || has(text, r#""mean_ttft_ms""#)
                || (has(text, r#""model_id""#)
                    && (has(text, r#""num_prompts""#) || has(text, r#""request_rate""#)))
            {
                return Some(InputFormat::Vllm);
            }
            None
        }
        Some(b'[') => {
            let first = match memchr::memchr(b'}', text) {
                Some(end) => &text[..end],
                None => text,
            };
            (has(first, r#""ttft_s""#) && has(first, r#""end_to_end_latency_s""#))
                .then_some(InputFormat::Llmperf)
        }
        _ => {
            if line.starts_with(b"metric_name,timestamp,metric_value") {
                return Some(InputFormat::K6Csv);
            }
            if line.starts_with(b"response-time,DNS+dialup") {
                return Some(InputFormat::Hey);
            }
            if line.starts_with(b"starttime\tseconds\tctime\tdtime\tttime\twait") {
                return Some(InputFormat::ApacheBench);
            }
            if line.starts_with(b"Timestamp,User Count,Type,Name,") {
                return Some(InputFormat::LocustHistory);
            }
            let delimiter = crate::format::sniff_delimiter(line, b',');
            let fields: Vec<&[u8]> = line
                .split(|&b| b == delimiter)
                .map(|f| {
                    let f = f.trim_ascii();
                    let f = f.strip_prefix(b"\"").unwrap_or(f);
                    f.strip_suffix(b"\"").unwrap_or(f)
                })
                .collect();
            if fields.contains(&&b"timeStamp"[..]) && fields.contains(&&b"elapsed"[..]) {
                return Some(InputFormat::JmeterCsv);
            }
            vegeta::looks_like_csv(line).then_some(InputFormat::VegetaCsv)
        }
    }
}

/// Reads a tool's format. `reader` starts at the content (any byte-order mark removed).
pub(crate) fn read<R: Read>(
    format: InputFormat,
    name: &str,
    reader: R,
    opts: &ReadOptions,
) -> Result<Dataset> {
    match format {
        InputFormat::K6Json => k6::read_json(name, reader, opts),
        InputFormat::K6Csv => k6::read_csv(name, reader, opts),
        InputFormat::JmeterCsv => jmeter::read(name, reader, opts),
        InputFormat::JmeterXml => jmeter_xml::read(name, reader, opts),
        InputFormat::Gatling => gatling::read(name, reader, opts),
        InputFormat::VegetaCsv => vegeta::read_csv(name, reader, opts),
        InputFormat::VegetaJson => vegeta::read_json(name, reader, opts),
        InputFormat::Hey => hey::read(name, reader, opts),
        InputFormat::ApacheBench => apache_bench::read(name, reader, opts),
        InputFormat::LocustHistory => locust::read(name, reader, opts),
        InputFormat::Hyperfine => hyperfine::read(name, reader, opts),
        InputFormat::Vllm => vllm::read(name, reader, opts),
        InputFormat::Llmperf => llmperf::read(name, reader, opts),
        _ => Err(Error::new(
            name,
            None,
            ErrorKind::NotFormat {
                format,
                reason: "not a tool format".to_owned(),
            },
        )),
    }
}

/// The first line of `text` (without its line end).
fn first_line(text: &[u8]) -> &[u8] {
    let line = match memchr::memchr(b'\n', text) {
        Some(end) => &text[..end],
        None => text,
    };
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The error for an input that is not in `format`.
pub(crate) fn not_format(
    name: &str,
    line: Option<u64>,
    format: InputFormat,
    reason: String,
) -> Error {
    Error::new(
        name,
        line.map(Position::line),
        ErrorKind::NotFormat { format, reason },
    )
}

// ----------------------------------------------------------------------------------------------------
// Requests and the sink

/// One request as a reader sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request<'a> {
    /// The metric's value, milliseconds (or the metric's own unit for non-time metrics).
    pub latency: f64,
    /// Start time, epoch milliseconds (the tool's clock); NaN when unknown.
    pub start_ms: f64,
    /// Whether it succeeded.
    pub ok: bool,
    /// HTTP status; 0 when none or a transport error.
    pub status: u16,
    /// The natural label (endpoint, transaction, command).
    pub label: &'a [u8],
    /// Bytes received; 0 when unknown.
    pub bytes: u64,
    /// A failure message (may be empty).
    pub message: &'a [u8],
}

impl Default for Request<'_> {
    fn default() -> Self {
        Self {
            latency: 0.0,
            start_ms: f64::NAN,
            ok: true,
            status: 0,
            label: b"",
            bytes: 0,
            message: b"",
        }
    }
}

/// How requests are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum By {
    /// One group.
    None,
    /// By the natural label.
    Label,
    /// By HTTP status.
    Status,
    /// By a format-specific key the reader passes to [`Sink::push`].
    Custom,
}

/// Resolves [`ReadOptions::by`] for a format: `label` (one group if the format has no labels), `status` (if it has
/// statuses), or one of `custom` (format-specific columns or tags, matched exactly then ignoring ASCII case),
/// whose index is returned.
pub(crate) fn resolve_by(
    opts: &ReadOptions,
    has_label: bool,
    has_status: bool,
    custom: &[&str],
) -> Result<(By, Option<usize>), ErrorKind> {
    let Some(name) = opts.by.as_deref() else {
        return Ok((By::None, None));
    };
    if let Some(i) = custom.iter().position(|c| *c == name) {
        return Ok((By::Custom, Some(i)));
    }
    if name.eq_ignore_ascii_case("label") {
        // A format without labels has one: everything.
        return Ok((if has_label { By::Label } else { By::None }, None));
    }
    if has_status && name.eq_ignore_ascii_case("status") {
        return Ok((By::Status, None));
    }
    if let Some(i) = custom.iter().position(|c| c.eq_ignore_ascii_case(name)) {
        return Ok((By::Custom, Some(i)));
    }
    let mut available: Vec<String> = Vec::new();
    if has_label {
        available.push("label".to_owned());
    }
    if has_status {
        available.push("status".to_owned());
    }
    available.extend(custom.iter().map(|c| (*c).to_owned()));
    Err(ErrorKind::UnknownBy {
        name: name.to_owned(),
        available,
    })
}

/// At most this many failure kinds are told apart; the rest count as `other`.
const FAILURE_KINDS: usize = 50;

/// Label → id, for [`Records`].
type LabelIds = HashMap<Box<[u8]>, u32>;

/// Collects requests: kept values by group, counts, failures by kind, time span, optional records.
pub(crate) struct Sink<'o> {
    name: &'o str,
    format: InputFormat,
    opts: &'o ReadOptions,
    by: By,
    groups: Groups,
    requests: Requests,
    failures: HashMap<String, u64>,
    rows: u64,
    skipped: u64,
    records: Option<(Records, LabelIds)>,
}

impl<'o> Sink<'o> {
    pub(crate) fn new(name: &'o str, format: InputFormat, opts: &'o ReadOptions, by: By) -> Self {
        Self {
            name,
            format,
            opts,
            by,
            groups: Groups::default(),
            requests: Requests {
                failures_included: opts.include_failures,
                ..Requests::default()
            },
            failures: HashMap::new(),
            rows: 0,
            skipped: 0,
            records: opts
                .keep_records
                .then(|| (Records::default(), HashMap::new())),
        }
    }

    /// Adds a request; `custom` is the grouping key when grouping by a format-specific key.
    pub(crate) fn push(&mut self, r: &Request<'_>, custom: &[u8], line: u64) -> Result<()> {
        self.push_many(r, &[r.latency], custom, line)
    }

    /// Adds a request whose metric has several values (e.g. the inter-token latencies of one LLM
    /// request): counted once, every value kept.
    pub(crate) fn push_many(
        &mut self,
        r: &Request<'_>,
        values: &[f64],
        custom: &[u8],
        line: u64,
    ) -> Result<()> {
        let keep = r.ok || self.opts.include_failures;
        // The group first: an invalid label is a row error, before anything is counted.
        let mut status_text = [0u8; 5];
        let group = match (keep, self.by) {
            (false, _) | (true, By::None) => None,
            (true, by) => {
                let key: &[u8] = match by {
                    By::Label => r.label,
                    By::Custom => custom,
                    _ => format_u16(r.status, &mut status_text),
                };
                let id = self.groups.id(key.trim_ascii()).map_err(|()| {
                    Error::row(
                        self.name,
                        Position::line(line),
                        ErrorKind::InvalidUtf8 {
                            column: Some(self.opts.by.clone().unwrap_or_default()),
                        },
                    )
                })?;
                Some(id)
            }
        };
        self.rows += 1;
        let req = &mut self.requests;
        req.total += 1;
        if r.start_ms.is_finite() {
            req.start_ms = Some(req.start_ms.map_or(r.start_ms, |s| s.min(r.start_ms)));
            let end = r.start_ms + r.latency.max(0.0);
            req.end_ms = Some(req.end_ms.map_or(end, |e| e.max(end)));
        }
        if !r.ok {
            req.failed += 1;
            let key = failure_key(r.status, r.message);
            if let Some(n) = self.failures.get_mut(&key) {
                *n += 1;
            } else if self.failures.len() < FAILURE_KINDS {
                self.failures.insert(key, 1);
            } else {
                *self.failures.entry("other".to_owned()).or_insert(0) += 1;
            }
        }
        if let Some((records, ids)) = &mut self.records {
            let id = match ids.get(r.label) {
                Some(&id) => id,
                None => {
                    let id = records.labels.len() as u32;
                    records
                        .labels
                        .push(String::from_utf8_lossy(r.label).into_owned());
                    ids.insert(r.label.into(), id);
                    id
                }
            };
            records.latency_ms.push(r.latency);
            records.timestamp_ms.push(r.start_ms);
            records.label.push(id);
            records.success.push(r.ok);
            records.status.push(r.status);
            records.bytes.push(r.bytes);
        }
        if keep {
            for &v in values {
                match group {
                    Some(id) => self.groups.push_to(id, v),
                    None => self.groups.push(v),
                }
            }
        }
        Ok(())
    }

    /// Whether no row was read yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Handles a row error: skipped and counted with `skip_invalid` (if it is a row error), else returned.
    pub(crate) fn fail(&mut self, err: Error) -> Result<()> {
        if self.opts.skip_invalid && err.is_skippable() {
            self.rows += 1;
            self.skipped += 1;
            Ok(())
        } else {
            Err(err)
        }
    }

    /// Sets the run's span when the file states it (e.g. a duration) and timestamps are missing.
    pub(crate) fn set_span_if_unknown(&mut self, start_ms: f64, end_ms: f64) {
        if self.requests.start_ms.is_none() && start_ms.is_finite() && end_ms.is_finite() {
            self.requests.start_ms = Some(start_ms);
            self.requests.end_ms = Some(end_ms);
        }
    }

    /// Moves the run's end to at least `end_ms` (when the format knows it apart from the requests).
    pub(crate) fn extend_end(&mut self, end_ms: f64) {
        if let Some(e) = &mut self.requests.end_ms {
            *e = e.max(end_ms);
        }
    }

    /// The dataset, or the error for an input without a usable request.
    pub(crate) fn finish(self, metric: String, unit: Option<&'static str>) -> Result<Dataset> {
        if self.rows == 0 {
            return Err(Error::new(self.name, None, ErrorKind::NoDataRows));
        }
        if self.rows == self.skipped {
            return Err(Error::new(
                self.name,
                None,
                ErrorKind::NoValidRows {
                    skipped: self.skipped,
                },
            ));
        }
        let groups = self.groups.finish();
        if groups.is_empty() {
            let kind = if self.requests.failed > 0 {
                ErrorKind::AllFailed {
                    total: self.requests.total,
                }
            } else {
                ErrorKind::NoDataRows
            };
            return Err(Error::new(self.name, None, kind));
        }
        let mut requests = self.requests;
        let mut failures: Vec<(String, u64)> = self.failures.into_iter().collect();
        failures.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        requests.failures = failures;
        Ok(Dataset {
            source: self.name.to_owned(),
            metric,
            groups,
            rows: self.rows,
            skipped: self.skipped,
            format: self.format,
            unit,
            requests: Some(requests),
            records: self.records.map(|(r, _)| r),
        })
    }
}

/// How a failure is counted: `HTTP 500` for an error status, else its message (first line, shortened),
/// else `status N`, else `failed`.
fn failure_key(status: u16, message: &[u8]) -> String {
    if status >= 400 {
        return format!("HTTP {status}");
    }
    let text = String::from_utf8_lossy(message);
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    // A Python traceback says what happened on its last line.
    let text = if text.trim_start().starts_with("Traceback") {
        lines.next_back()
    } else {
        lines.next()
    };
    match text {
        Some(t) => shorten(t),
        None if status > 0 => format!("status {status}"),
        None => "failed".to_owned(),
    }
}

/// `n` in decimal, into `buf`.
fn format_u16(n: u16, buf: &mut [u8; 5]) -> &[u8] {
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Whether an HTTP status counts as success (k6's default expected statuses: 200–399).
pub(crate) fn ok_status(status: u16) -> bool {
    (200..400).contains(&status)
}

/// An HTTP status: the leading integer of the field (`200`, `Non HTTP response code: ...` → 0).
pub(crate) fn parse_status(bytes: &[u8]) -> u16 {
    let t = bytes.trim_ascii();
    if t.is_empty() || t.len() > 5 || !t.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    std::str::from_utf8(t)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

// ----------------------------------------------------------------------------------------------------
// Numbers, units and times

/// Parses a decimal number and moves its decimal point by `exp10` places (a unit conversion done in
/// decimal, so `0.0161` with 3 is the `f64` nearest to 16.1). Surrounding ASCII white space is ignored.
pub(crate) fn parse_scaled(bytes: &[u8], exp10: i32) -> Result<f64, BadValue> {
    let t = bytes.trim_ascii();
    if exp10 == 0 || t.len() > 48 || t.iter().any(|&b| b == b'e' || b == b'E') {
        let v = crate::dataset::parse_value(t)?;
        return Ok(scale_f64(v, exp10));
    }
    if t.is_empty() {
        return Err(BadValue::NotANumber);
    }
    let mut buf = [0u8; 64];
    buf[..t.len()].copy_from_slice(t);
    let mut n = t.len();
    buf[n] = b'e';
    n += 1;
    let mut exp = [0u8; 5];
    let digits = format_u16(exp10.unsigned_abs() as u16, &mut exp);
    if exp10 < 0 {
        buf[n] = b'-';
        n += 1;
    }
    buf[n..n + digits.len()].copy_from_slice(digits);
    n += digits.len();
    match fast_float2::parse::<f64, _>(&buf[..n]) {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(BadValue::NonFinite),
        Err(_) => Err(BadValue::NotANumber),
    }
}

/// Moves the decimal point of `v`'s shortest decimal representation by `exp10` places.
pub(crate) fn scale_f64(v: f64, exp10: i32) -> f64 {
    if exp10 == 0 || !v.is_finite() || v == 0.0 {
        return v;
    }
    // Integers (as from JSON) below 2^53 are exact: one correctly rounded operation suffices.
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        let p = 10f64.powi(exp10.abs());
        return if exp10 > 0 { v * p } else { v / p };
    }
    let text = format!("{v:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!("{mantissa}e{}", exp + exp10)
        .parse()
        .unwrap_or(v * 10f64.powi(exp10))
}

/// Parses a value of `column` scaled by `exp10`, as a row error at `line`/`col` (1-based field index).
pub(crate) fn value_at(
    name: &str,
    column: &str,
    bytes: &[u8],
    exp10: i32,
    line: u64,
    col: Option<usize>,
) -> Result<f64> {
    parse_scaled(bytes, exp10).map_err(|bad| {
        let position = Position {
            line,
            column: col.map(|c| c as u64 + 1),
        };
        Error::row(name, position, bad_value_kind(column, bytes, bad))
    })
}

/// An epoch timestamp in milliseconds: a number (seconds, milliseconds, microseconds or nanoseconds,
/// told apart by magnitude) or an RFC 3339 date-time. `None` when it is neither.
pub(crate) fn parse_epoch_ms(bytes: &[u8]) -> Option<f64> {
    let t = bytes.trim_ascii();
    if t.is_empty() {
        return None;
    }
    if t.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        let v: f64 = fast_float2::parse(t).ok()?;
        let exp10 = if v < 1e11 {
            3
        } else if v < 1e14 {
            0
        } else if v < 1e17 {
            -3
        } else {
            -6
        };
        return parse_scaled(t, exp10).ok();
    }
    parse_rfc3339_ms(t)
}

/// An RFC 3339 date-time (`2025-03-14T10:26:53.0316377+01:00`, `...Z`, a space for `T`) as epoch ms.
pub(crate) fn parse_rfc3339_ms(t: &[u8]) -> Option<f64> {
    fn num(b: &[u8]) -> Option<i64> {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    }
    if t.len() < 19 {
        return None;
    }
    let (year, month, day) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    if t[4] != b'-' || t[7] != b'-' || !matches!(t[10], b'T' | b't' | b' ') {
        return None;
    }
    let (h, m, s) = (num(&t[11..13])?, num(&t[14..16])?, num(&t[17..19])?);
    if t[13] != b':' || t[16] != b':' || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &t[19..];
    let mut frac_ms = 0.0;
    if let Some(r) = rest.strip_prefix(b".") {
        let n = r.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let digits = &r[..n.min(15)];
        frac_ms = num(digits)? as f64 / 10f64.powi(digits.len() as i32) * 1000.0;
        rest = &r[n..];
    }
    let offset_min = match rest {
        b"Z" | b"z" | b"" => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let v = num(&[*oh1, *oh2])? * 60 + num(&[*om1, *om2])?;
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + s - offset_min * 60;
    Some(secs as f64 * 1000.0 + frac_ms)
}

// ----------------------------------------------------------------------------------------------------
// Text input

/// A CSV reader configured as the generic one: flexible, records end at LF (a CR stays in the last
/// field and is trimmed).
pub(crate) fn csv_reader<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_reader(reader)
}

/// Reads the next record; `false` at the end.
pub(crate) fn next_record<R: Read>(
    name: &str,
    csv: &mut csv::Reader<R>,
    record: &mut ByteRecord,
) -> Result<bool> {
    csv.read_byte_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line());
        Error::new(name, line.map(Position::line), csv_kind(e))
    })
}

/// The line where a record starts.
pub(crate) fn line_of(record: &ByteRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// Whether a record is a blank line.
pub(crate) fn is_blank(record: &ByteRecord) -> bool {
    record.len() <= 1 && record.get(0).is_none_or(|f| f.trim_ascii().is_empty())
}

/// A header's column names, trimmed.
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub(crate) fn new(record: &ByteRecord) -> Self {
        Self {
            names: record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect(),
        }
    }

    /// The column's index: exact name, else ASCII case-insensitive.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|c| c == name)
            .or_else(|| self.names.iter().position(|c| c.eq_ignore_ascii_case(name)))
    }
}

/// The error for a record whose field count differs from the header's.
pub(crate) fn field_count(name: &str, record: &ByteRecord, expected: usize) -> Error {
    Error::row(
        name,
        Position::line(line_of(record)),
        ErrorKind::FieldCount {
            expected: expected as u64,
            found: record.len() as u64,
        },
    )
}

/// Reads lines with their 1-based numbers; line ends (LF, CRLF) removed.
pub(crate) struct Lines<R> {
    inner: BufReader<R>,
    buf: Vec<u8>,
    number: u64,
}

impl<R: Read> Lines<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            inner: BufReader::with_capacity(64 * 1024, reader),
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The next line and its number, or `None` at the end.
    pub(crate) fn next_line(&mut self, name: &str) -> Result<Option<(u64, &[u8])>> {
        self.buf.clear();
        let n = self
            .inner
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::new(name, None, io_kind(e)))?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        while self.buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            self.buf.pop();
        }
        Ok(Some((self.number, &self.buf)))
    }
}

/// Reads a whole (small) JSON document: tool result files that are one object.
pub(crate) fn read_all<R: Read>(name: &str, mut reader: R) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(name, None, io_kind(e)))?;
    Ok(bytes)
}

/// A serde_json error as an input error with its line and column (`line_offset` added to the line).
pub(crate) fn json_error(name: &str, err: serde_json::Error, line_offset: u64) -> Error {
    if err.is_io() {
        return Error::new(name, None, io_kind(io::Error::from(err)));
    }
    let position = (err.line() > 0).then(|| {
        Position::new(
            err.line() as u64 + line_offset,
            (err.column() as u64).max(1),
        )
    });
    Error::new(name, position, ErrorKind::JsonSyntax(err))
}

/// A JSON line error (NDJSON readers): a row error that `skip_invalid` skips.
pub(crate) fn json_line_error(name: &str, err: serde_json::Error, line: u64) -> Error {
    let column = (err.column() as u64).max(1);
    Error::row(
        name,
        Position::new(line, column),
        ErrorKind::JsonSyntax(err),
    )
}

/// A list of names for a message: at most 12, then `...`.
pub(crate) fn shorten_list(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(12)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 12 {
        text.push_str(", ...");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339_ms(b"1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_rfc3339_ms(b"2025-03-14T10:26:53+01:00"),
            Some(1_741_944_413_000.0)
        );
        let v = parse_rfc3339_ms(b"2025-03-14T10:26:53.0316377+01:00").unwrap();
        assert!((v - 1_741_944_413_031.637_7).abs() < 1e-3);
        assert_eq!(parse_rfc3339_ms(b"2025-13-14T10:26:53Z"), None);
        assert_eq!(parse_rfc3339_ms(b"garbage"), None);
    }

    #[test]
    fn epoch_by_magnitude() {
        assert_eq!(parse_epoch_ms(b"1741944413"), Some(1_741_944_413_000.0));
        assert_eq!(parse_epoch_ms(b"1741944413120"), Some(1_741_944_413_120.0));
        assert_eq!(
            parse_epoch_ms(b"1741944413000009171"),
            Some(1_741_944_413_000.009_2)
        );
    }

    #[test]
    fn decimal_scaling() {
        assert_eq!(parse_scaled(b"0.0161", 3), Ok(16.1));
        assert_eq!(parse_scaled(b"19130993", -6), Ok(19.130993));
        assert_eq!(parse_scaled(b" 12 ", 0), Ok(12.0));
        assert_eq!(parse_scaled(b"1.5e-3", 3), Ok(1.5));
        assert!(parse_scaled(b"x", 3).is_err());
        assert!(parse_scaled(b"", 3).is_err());
        assert_eq!(scale_f64(0.0161, 3), 16.1);
        assert_eq!(scale_f64(19_130_993.0, -6), 19.130993);
    }

    #[test]
    fn failure_keys() {
        assert_eq!(failure_key(500, b"x"), "HTTP 500");
        assert_eq!(failure_key(0, b"request timeout"), "request timeout");
        assert_eq!(failure_key(201, b""), "status 201");
        assert_eq!(failure_key(0, b"  "), "failed");
        let mut b = [0; 5];
        assert_eq!(format_u16(0, &mut b), b"0");
        assert_eq!(format_u16(65535, &mut b), b"65535");
    }
}
