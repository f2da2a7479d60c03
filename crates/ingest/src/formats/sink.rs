//! One request as a reader sees it, and the [`Sink`] that turns requests into a [`Dataset`].

use std::collections::HashMap;

use super::parse::format_u16;
use crate::{
    InputFormat, ReadOptions,
    dataset::{Dataset, Groups, Records, Requests, shorten},
    error::{Error, ErrorKind, Position, Result},
};

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
            not_time_ordered: None,
            metric_choice: None,
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

#[cfg(test)]
mod tests {
    use super::*;

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
