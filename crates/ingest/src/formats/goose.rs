//! goose (<https://github.com/tag1consulting/goose>) request logs, from its source (`src/logger.rs`,
//! `src/metrics.rs` `GooseRequestMetric`, 0.18.1): `--request-log FILE --request-format csv` (a header
//! `elapsed,scenario_index,scenario_name,transaction_index,transaction_name,raw,name,final_url,redirected,
//! response_time,status_code,success,update,user,error,coordinated_omission_elapsed,user_cadence`) or
//! `--request-format json` (JSON Lines of the same fields, `raw` an object; the lines' keys in any
//! order). `elapsed` is the request's start in whole ms since the test began, `response_time` whole ms,
//! `success` goose's own verdict (a non-2xx status or an unexpected one), `status_code` 0 for a
//! transport error.
//!
//! Two kinds of rows are not requests:
//! - `update` = true: `set_success`/`set_failure` correcting an earlier request's verdict. It changes the
//!   verdict of that user's latest request with the same `elapsed` and `name` (looked for among the last
//!   [`WINDOW`] rows); with none, it is a row error.
//! - `coordinated_omission_elapsed` > 0: a request goose *generated* to backfill a stall (Coordinated
//!   Omission Mitigation). Goose's raw figures leave them out; so does perfstat.
//!
//! Rows are grouped by `name` (goose's request name, the path by default).

use std::{borrow::Cow, collections::HashMap, collections::VecDeque, io::Read};

use csv::ByteRecord;
use serde::Deserialize;

use super::{
    By, Lines, Request, Sink, csv_header, field_count, is_blank, json_line_error, line_of,
    next_record, not_format, parse_status, resolve_by, value_at,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// The CSV header's columns perfstat needs (and recognises goose's header by).
const NEEDED: [&str; 8] = [
    "elapsed",
    "name",
    "response_time",
    "status_code",
    "success",
    "update",
    "user",
    "error",
];

/// Grouping keys besides `label` (`name`) and `status`.
const CUSTOM: [&str; 2] = ["scenario_name", "transaction_name"];

/// How many rows an update may look back for its request.
const WINDOW: usize = 4096;

/// Whether a header (or a JSON line's keys) is goose's request log.
pub(crate) fn is_request_log(names: &[String]) -> bool {
    let has = |n: &str| names.iter().any(|f| f == n);
    NEEDED.iter().all(|n| has(n)) && has("coordinated_omission_elapsed")
}

/// One row of the log, owned (rows wait in the window for updates).
struct Row {
    line: u64,
    elapsed: u64,
    latency: f64,
    status: u16,
    success: bool,
    user: u64,
    name: String,
    error: String,
    custom: String,
}

/// Rows in file order, kept back [`WINDOW`] rows so that an update can still change its request.
struct Pending<'o> {
    sink: Sink<'o>,
    rows: VecDeque<Row>,
    /// The index (counted from the first row ever) of each user's latest row.
    latest: HashMap<u64, u64>,
    /// The index of `rows[0]`.
    first: u64,
}

impl<'o> Pending<'o> {
    fn new(sink: Sink<'o>) -> Self {
        Self {
            sink,
            rows: VecDeque::new(),
            latest: HashMap::new(),
            first: 0,
        }
    }

    fn add(&mut self, row: Row) -> Result<()> {
        self.latest
            .insert(row.user, self.first + self.rows.len() as u64);
        self.rows.push_back(row);
        if self.rows.len() > WINDOW {
            self.emit_first()?;
        }
        Ok(())
    }

    /// Applies an update to its request (the user's latest row with the same `elapsed` and `name`).
    fn update(&mut self, name: &str, update: Row) -> Result<()> {
        let found = self.latest.get(&update.user).and_then(|&i| {
            let at = usize::try_from(i.checked_sub(self.first)?).ok()?;
            self.rows
                .get_mut(at)
                .filter(|r| r.elapsed == update.elapsed && r.name == update.name)
        });
        match found {
            Some(row) => {
                row.success = update.success;
                row.error = update.error;
                Ok(())
            }
            None => self.sink.fail(Error::row(
                name,
                Position::line(update.line),
                ErrorKind::UnmatchedUpdate {
                    user: update.user,
                    request: update.name,
                    elapsed: update.elapsed,
                },
            )),
        }
    }

    fn emit_first(&mut self) -> Result<()> {
        let Some(row) = self.rows.pop_front() else {
            return Ok(());
        };
        // The user's latest row leaves the window: forget it (the map stays as small as the window).
        if self.latest.get(&row.user) == Some(&self.first) {
            self.latest.remove(&row.user);
        }
        self.first += 1;
        let r = Request {
            latency: row.latency,
            start_ms: row.elapsed as f64,
            ok: row.success,
            status: row.status,
            label: row.name.as_bytes(),
            bytes: 0,
            message: row.error.as_bytes(),
        };
        if let Err(e) = self.sink.push(&r, row.custom.as_bytes(), row.line) {
            self.sink.fail(e)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Dataset> {
        while !self.rows.is_empty() {
            self.emit_first()?;
        }
        self.sink.finish("response_time".to_owned(), Some("ms"))
    }
}

fn check_metric(name: &str, opts: &ReadOptions) -> Result<()> {
    match opts.metric.as_deref() {
        None | Some("response_time") => Ok(()),
        Some(m) => Err(Error::new(
            name,
            None,
            ErrorKind::UnknownMetric {
                name: m.to_owned(),
                available: vec!["response_time".to_owned()],
            },
        )),
    }
}

fn setup<'o>(
    name: &'o str,
    format: InputFormat,
    opts: &'o ReadOptions,
) -> Result<(Pending<'o>, Option<usize>)> {
    check_metric(name, opts)?;
    let (by, key) = resolve_by(opts, true, true, &CUSTOM).map_err(|k| Error::new(name, None, k))?;
    let key = (by == By::Custom).then_some(key).flatten();
    Ok((Pending::new(Sink::new(name, format, opts, by)), key))
}

/// `true`/`false` (goose writes Rust's `bool`).
fn parse_bool(bytes: &[u8]) -> Option<bool> {
    match bytes.trim_ascii() {
        b"true" => Some(true),
        b"false" => Some(false),
        _ => None,
    }
}

pub(crate) fn read_csv<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::GooseCsv;
    let (mut pending, key) = setup(name, format, opts)?;
    let mut csv = super::csv_reader(reader, b',');
    let mut record = ByteRecord::new();
    let (header, header_line) = csv_header(name, &mut csv, &mut record)?;
    let mut cols = [0usize; NEEDED.len()];
    for (col, n) in cols.iter_mut().zip(NEEDED) {
        *col = header.find(n).ok_or_else(|| {
            not_format(
                name,
                Some(header_line),
                format,
                format!(
                    "no \"{n}\" column in the header ({})",
                    super::shorten_list(&header.names)
                ),
            )
        })?;
    }
    let [
        elapsed,
        req_name,
        response_time,
        status_code,
        success,
        update,
        user,
        error,
    ] = cols;
    let co = header.find("coordinated_omission_elapsed");
    let custom = key.and_then(|k| header.find(CUSTOM[k]));
    let width = header.names.len();
    while next_record(name, &mut csv, &mut record)? {
        if record.len() != width {
            if is_blank(&record) {
                continue;
            }
            pending.sink.fail(field_count(name, &record, width))?;
            continue;
        }
        let line = line_of(&record);
        let field = |i: usize| record.get(i).unwrap_or_default();
        let number = |i: usize, column: &str| value_at(name, column, field(i), 0, line, Some(i));
        let flag = |i: usize| {
            parse_bool(field(i)).ok_or_else(|| {
                let position = Position {
                    line,
                    column: Some(i as u64 + 1),
                };
                let kind = ErrorKind::UnexpectedJson {
                    expected: "true or false",
                    found: "another value",
                };
                Error::row(name, position, kind)
            })
        };
        let parsed = (|| {
            Ok::<_, Error>((
                number(elapsed, "elapsed")?,
                number(response_time, "response_time")?,
                flag(success)?,
                flag(update)?,
                number(user, "user")?,
                co.map(|i| number(i, "coordinated_omission_elapsed"))
                    .transpose()?
                    .unwrap_or(0.0),
            ))
        })();
        let (start, latency, ok, is_update, user_id, co_elapsed) = match parsed {
            Ok(v) => v,
            Err(e) => {
                pending.sink.fail(e)?;
                continue;
            }
        };
        if co_elapsed > 0.0 {
            continue;
        }
        let row = Row {
            line,
            elapsed: start as u64,
            latency,
            status: parse_status(field(status_code)),
            success: ok,
            user: user_id as u64,
            name: String::from_utf8_lossy(field(req_name)).into_owned(),
            error: String::from_utf8_lossy(field(error)).into_owned(),
            custom: custom
                .map(|i| String::from_utf8_lossy(field(i)).into_owned())
                .unwrap_or_default(),
        };
        if is_update {
            pending.update(name, row)?;
        } else {
            pending.add(row)?;
        }
    }
    pending.finish()
}

#[derive(Deserialize)]
struct Line<'a> {
    elapsed: Option<u64>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    response_time: Option<f64>,
    status_code: Option<u16>,
    success: Option<bool>,
    update: Option<bool>,
    user: Option<u64>,
    #[serde(borrow)]
    error: Option<Cow<'a, str>>,
    coordinated_omission_elapsed: Option<u64>,
    #[serde(borrow)]
    scenario_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    transaction_name: Option<Cow<'a, str>>,
}

pub(crate) fn read_json<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::GooseJson;
    let (mut pending, key) = setup(name, format, opts)?;
    let mut lines = Lines::new(reader);
    let mut seen = false;
    while let Some((number, line)) = lines.next_line(name)? {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let hit: Line<'_> = match serde_json::from_slice(line) {
            Ok(h) => h,
            Err(e) => {
                pending.sink.fail(json_line_error(name, e, number, line))?;
                continue;
            }
        };
        let missing = [
            ("elapsed", hit.elapsed.is_none()),
            ("response_time", hit.response_time.is_none()),
            ("success", hit.success.is_none()),
            ("user", hit.user.is_none()),
        ]
        .into_iter()
        .find_map(|(field, missing)| missing.then_some(field));
        if let Some(field) = missing {
            if !seen {
                return Err(not_format(
                    name,
                    Some(number),
                    format,
                    format!("no \"{field}\" field in the first record"),
                ));
            }
            let e = Error::row(
                name,
                Position::line(number),
                ErrorKind::MissingField {
                    name: field.to_owned(),
                },
            );
            pending.sink.fail(e)?;
            continue;
        }
        seen = true;
        if hit.coordinated_omission_elapsed.unwrap_or(0) > 0 {
            continue;
        }
        let custom = match key {
            Some(0) => hit.scenario_name.as_deref(),
            Some(_) => hit.transaction_name.as_deref(),
            None => None,
        };
        let row = Row {
            line: number,
            elapsed: hit.elapsed.unwrap_or(0),
            latency: hit.response_time.unwrap_or(0.0),
            status: hit.status_code.unwrap_or(0),
            success: hit.success.unwrap_or(false),
            user: hit.user.unwrap_or(0),
            name: hit.name.as_deref().unwrap_or("").to_owned(),
            error: hit.error.as_deref().unwrap_or("").to_owned(),
            custom: custom.unwrap_or("").to_owned(),
        };
        if hit.update.unwrap_or(false) {
            pending.update(name, row)?;
        } else {
            pending.add(row)?;
        }
    }
    pending.finish()
}
